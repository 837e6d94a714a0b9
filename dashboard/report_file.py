"""The report's files: the PDF, the XLSX annex with the lists, and the manifest of a run (no Streamlit)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from dashboard import exports, formatting, privacy, report_pdf
from dashboard.viste import report as vista
from dashboard.viste.report import GIORNI_IN_SCADENZA, Report

MIME_XLSX = exports.MIME["xlsx"]
MANIFESTO = "manifest.json"
STAMPE_IN_PARALLELO = min(4, max(2, os.cpu_count() or 2))


@dataclass(frozen=True)
class Documenti:
    """One report's two files."""

    report: Report
    pdf: bytes
    xlsx: bytes

    @property
    def nome_pdf(self) -> str:
        """File name of the PDF."""
        return self.report.nome_file + ".pdf"

    @property
    def nome_xlsx(self) -> str:
        """File name of the XLSX annex."""
        return self.report.nome_file + ".xlsx"


def contesto(r: Report) -> dict[str, object]:
    """The annex's context sheet: what, where, when, from which data, under which privacy rule."""
    voci: dict[str, object] = {
        "Report": "Report bimestrale sulle CIGS in corso",
        "Territorio": r.territorio.titolo,
        "Bimestre": r.periodo.nome,
        "Situazione al": r.riferimento,
        "Confronto con": f"{r.periodo.precedente.nome} (situazione al {formatting.data(r.riferimento_precedente)})",
        "Stato del report": "provvisorio: bimestre non concluso alla data dei dati" if r.provvisorio else "definitivo",
        "Dati al": r.info.data_estrazione,
        "Fonti": ", ".join(r.info.fonti) + f" ({vista.ORIGINE})",
        "Riservatezza": privacy.nota(r.soglia),
    }
    if r.info.demo:
        voci["Attenzione"] = "Dati dimostrativi, non utilizzabili per decisioni."
    return voci


def xlsx(r: Report) -> bytes:
    """The annex: every list of the report as a sheet, with real numbers and dates, dated by the data date."""
    reg = r.territorio.regionale
    fogli = {
        "CIGS in corso": vista.tabella_procedure(r.procedure, reg),
        "Unità produttive": vista.tabella_unita(r.unita),
        "Nuove nel bimestre": vista.tabella_procedure(r.nuove, reg),
        "Concluse nel bimestre": vista.tabella_procedure(r.concluse, reg),
        f"In scadenza {GIORNI_IN_SCADENZA} giorni": vista.tabella_procedure(r.in_scadenza, reg),
        "Per provincia": vista.tabella_per_provincia(r.per_provincia),
        "Stato step": vista.tabella_step(r.step),
        "Casi alta complessità": vista.tabella_casi(r.casi),
    }
    return exports.xlsx_fogli(fogli, contesto(r), r.info.data_estrazione)


def documenti(
    reports: Sequence[Report], avanzamento: Callable[[int, int, Documenti], None] | None = None
) -> list[Documenti]:
    """The files of every report; the charts of all of them are drawn in one browser session first."""
    figure = report_pdf.svg_dei_report(reports)
    fatti = []
    # Each PDF is printed by its own short-lived browser, most of whose time is start-up: a few at once.
    with ThreadPoolExecutor(max_workers=STAMPE_IN_PARALLELO) as pool:
        documenti_html = [report_pdf.html(r, svg) for r, svg in zip(reports, figure, strict=True)]
        pdf = pool.map(report_pdf.stampa, documenti_html, [r.info.data_estrazione for r in reports])
        for i, (r, dati) in enumerate(zip(reports, pdf, strict=True), start=1):
            fatti.append(Documenti(r, dati, xlsx(r)))
            if avanzamento:
                avanzamento(i, len(reports), fatti[-1])
    return fatti


def sha256(dati: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(dati).hexdigest()


def manifesto(docs: Sequence[Documenti]) -> dict[str, object]:
    """What a run wrote: the period, the data date, and each file with its territory and SHA-256 (no clock time)."""
    primo = docs[0].report
    return {
        "report": "Report bimestrale sulle CIGS in corso",
        "periodo": {
            "codice": primo.periodo.codice,
            "nome": primo.periodo.nome,
            "inizio": primo.periodo.inizio.isoformat(),
            "fine": primo.periodo.fine.isoformat(),
            "situazione_al": primo.riferimento.isoformat(),
            "provvisorio": primo.provvisorio,
        },
        "dati_al": primo.info.data_estrazione.isoformat(),
        "dati_dimostrativi": primo.info.demo,
        "fonti": list(primo.info.fonti),
        "soglia_riservatezza": primo.soglia,
        "file": [
            {
                "territorio": d.report.territorio.codice,
                "nome": d.report.territorio.titolo,
                "pdf": {"file": d.nome_pdf, "sha256": sha256(d.pdf), "byte": len(d.pdf)},
                "xlsx": {"file": d.nome_xlsx, "sha256": sha256(d.xlsx), "byte": len(d.xlsx)},
            }
            for d in docs
        ],
    }


def cartella_periodo(radice: Path, r: Report) -> Path:
    """Where a bimester's files go: DIR/2025-11 (DIR/2025-11-provvisorio for a provisional run)."""
    return radice / (r.periodo.codice + ("-provvisorio" if r.provvisorio else ""))


def scrivi(radice: Path, docs: Sequence[Documenti]) -> Path:
    """Write the files and the manifest under DIR/<period>/; return the manifest's path."""
    cartella = cartella_periodo(radice, docs[0].report)
    cartella.mkdir(parents=True, exist_ok=True)
    for d in docs:
        (cartella / d.nome_pdf).write_bytes(d.pdf)
        (cartella / d.nome_xlsx).write_bytes(d.xlsx)
    percorso = cartella / MANIFESTO
    testo = json.dumps(manifesto(docs), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    percorso.write_text(testo, encoding="utf-8")
    return percorso
