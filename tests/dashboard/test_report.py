"""The bimonthly report: periods, figures against the database, PDF text, XLSX lists, manifest, reproducibility."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from dashboard import privacy, report_cli
from dashboard.letture import report as letture
from dashboard.viste import report as vista
from dashboard.viste.report import Periodo, PeriodoNonValido, Territorio
from data_access.dominio import SIGLE
from tests import pdf_accessibile
from tests.conftest import PERIODO, Generati

DATA_DATI = date(2026, 1, 15)
FINE = "2025-12-31"
INIZIO = "2025-11-01"


# --- periods -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("testo", "inizio", "fine", "nome"),
    [
        ("2025-11", date(2025, 11, 1), date(2025, 12, 31), "novembre–dicembre 2025"),
        ("2025-12", date(2025, 11, 1), date(2025, 12, 31), "novembre–dicembre 2025"),
        ("2024-02", date(2024, 1, 1), date(2024, 2, 29), "gennaio–febbraio 2024"),
        ("2025-4", date(2025, 3, 1), date(2025, 4, 30), "marzo–aprile 2025"),
    ],
)
def test_bimestre_da_un_suo_mese(testo: str, inizio: date, fine: date, nome: str) -> None:
    p = Periodo.leggi(testo)
    assert (p.inizio, p.fine, p.nome) == (inizio, fine, nome)


@pytest.mark.parametrize("testo", ["2025-13", "2025-00", "novembre", "", "2025/11", "1999-11"])
def test_periodo_non_valido(testo: str) -> None:
    with pytest.raises(PeriodoNonValido, match="AAAA-MM"):
        Periodo.leggi(testo)


def test_precedente_e_ultimo_completo() -> None:
    assert Periodo.leggi("2025-01").precedente == Periodo.leggi("2024-11")
    assert vista.ultimo_completo(DATA_DATI) == Periodo.leggi("2025-11")
    assert vista.ultimo_completo(date(2025, 12, 31)) == Periodo.leggi("2025-11")
    with pytest.raises(PeriodoNonValido, match="non è ancora concluso"):
        vista.verifica_periodo(Periodo.leggi("2026-01"), DATA_DATI, provvisorio_ammesso=False)
    with pytest.raises(PeriodoNonValido, match="inizia dopo"):
        vista.verifica_periodo(Periodo.leggi("2026-03"), DATA_DATI, provvisorio_ammesso=True)


def test_periodo_provvisorio_descrive_la_data_dei_dati(engine) -> None:
    dati = letture.leggi(engine, Periodo.leggi("2026-01"), SIGLE)
    r = dati.report(Territorio("LC"))
    assert r.provvisorio and r.riferimento == DATA_DATI
    assert "provvisorio" in r.nome_file


# --- figures against the database ----------------------------------------------------------------------------


def _sql(demo_db: Path, query: str, *params: object) -> list[tuple]:
    with sqlite3.connect(f"file:{demo_db}?mode=ro", uri=True) as conn:
        return conn.execute(query, params).fetchall()


IN_VIGORE = """
    FROM procedura_unita pu JOIN procedura p ON p.id = pu.procedura_id
    WHERE p.tipo IN ('CIGS_MIN', 'CIGS_REG') AND p.data_inizio <= ? AND (p.data_fine IS NULL OR p.data_fine >= ?)
"""


def _attese(demo_db: Path, province: tuple[str, ...]) -> dict[str, int]:
    segnaposto = ",".join("?" * len(province))
    filtro = f" AND pu.sigla_provincia IN ({segnaposto})"
    (tot, minis, regio, unita, lav), = _sql(
        demo_db,
        "SELECT count(DISTINCT p.id), count(DISTINCT CASE WHEN p.tipo = 'CIGS_MIN' THEN p.id END), "
        "count(DISTINCT CASE WHEN p.tipo = 'CIGS_REG' THEN p.id END), count(*), sum(pu.lavoratori)"
        + IN_VIGORE + filtro,
        FINE, FINE, *province,
    )  # fmt: skip
    return {"procedure": tot, "min": minis, "reg": regio, "unita": unita, "lavoratori": lav}


def _numero(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _testo_pdf(path: Path) -> str:
    testo = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return testo


def _piatto(testo: str) -> str:
    return re.sub(r"\s+", " ", testo)


def _file(cartella: Path, codice: str, estensione: str) -> Path:
    (trovato,) = cartella.glob(f"report-bimestrale_{PERIODO}_{codice}_dati-al-2026-01-15.{estensione}")
    return trovato


@pytest.mark.parametrize(("codice", "province", "nome"), [("LC", ("LC",), "Lecco"), ("regione", SIGLE, "Lombardia")])
def test_pdf_riporta_le_cifre_del_database(
    report_generati: Generati, demo_db: Path, codice: str, province: tuple[str, ...], nome: str
) -> None:
    attese = _attese(demo_db, province)
    assert attese["procedure"] > 0
    pdf = _file(report_generati.cartella, codice, "pdf")
    testo = _piatto(_testo_pdf(pdf))
    frase = (
        f"Al 31/12/2025 sono in corso nel territorio ({nome}) {_numero(attese['procedure'])} procedure di CIGS "
        f"({_numero(attese['min'])} ministeriali e {_numero(attese['reg'])} regionali), con "
        f"{_numero(attese['unita'])} unità produttive e {_numero(attese['lavoratori'])} lavoratori coinvolti"
    )
    assert frase in testo
    for atteso in ("Dati al 15/01/2026", "novembre–dicembre 2025", "Pagina 1 di", "Riservatezza", "VertenzeOnline"):
        assert atteso in testo
    codici = {c for (c,) in _sql(demo_db, "SELECT DISTINCT p.codice_fonte" + IN_VIGORE + " AND pu.sigla_provincia IN "
                                 f"({','.join('?' * len(province))})", FINE, FINE, *province)}  # fmt: skip
    mancanti = {c for c in codici if c not in testo.replace("- ", "-").replace(" ", "")}
    assert not mancanti
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    assert re.search(r"Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)", info)
    assert "Report bimestrale CIGS" in info and "CreationDate:    Thu Jan 15 00:00:00 2026" in info


def test_pdf_accessibile_in_italiano(report_generati: Generati) -> None:
    pdf = pdf_accessibile.leggi(_file(report_generati.cartella, "LC", "pdf"))
    assert pdf.info["Tagged"] == "yes"
    assert pdf.info["Title"] == "Report bimestrale CIGS — Provincia di Lecco — novembre–dicembre 2025"
    assert b"/Lang (it)" in pdf.dati and b"/DisplayDocTitle true" in pdf.dati
    assert pdf.conta("H1") == 1 and pdf.conta("H2") >= 6
    # Tables with their caption and column headers, header cells scoped to their column, data cells pointing to them.
    assert pdf.conta("Table") >= 5 and pdf.conta("Caption") == pdf.conta("Table")
    assert pdf.conta("TH") >= 5 * 5 and pdf.albero.count("/Scope /Column") == pdf.conta("TH")
    assert "/Headers [(node" in pdf.albero
    # Charts are figures with their message as alternative text; the key figures are a list.
    assert pdf.conta("Figure") >= 3 and len(re.findall(rb"/Alt [(<]", pdf.dati)) >= 3
    assert pdf.conta("L") == 1 and pdf.conta("LI") >= 6


def test_xlsx_elenca_le_procedure_del_database(report_generati: Generati, demo_db: Path) -> None:
    wb = openpyxl.load_workbook(_file(report_generati.cartella, "LC", "xlsx"))
    assert wb.sheetnames[0] == "CIGS in corso" and wb.sheetnames[-1] == "Filtri e fonte"
    assert wb.properties.title == "Report bimestrale sulle CIGS in corso" and wb.properties.language == "it-IT"
    for foglio in wb.worksheets:  # every list is an Excel table: a defined header row, a name of its own
        assert len(foglio.title) <= 31
        if foglio.max_row > 1:
            (tabella,) = foglio.tables.values()
            assert tabella.ref == foglio.dimensions and tabella.headerRowCount == 1
    ws = wb["CIGS in corso"]
    righe = list(ws.iter_rows(values_only=True))
    testa = righe[0]
    elenco = {r[testa.index("Procedura")]: r[testa.index("Lavoratori")] for r in righe[1:]}
    attese = dict(
        _sql(demo_db, "SELECT p.codice_fonte, sum(pu.lavoratori)" + IN_VIGORE + " AND pu.sigla_provincia = 'LC' "
             "GROUP BY p.codice_fonte", FINE, FINE)
    )  # fmt: skip
    assert set(elenco) == set(attese)
    for codice, valore in elenco.items():
        assert valore == attese[codice] or privacy.e_soppressa(valore)
    assert ws.cell(2, testa.index("Inizio autorizzazione") + 1).number_format == "dd/mm/yyyy"
    unita = list(wb["Unità produttive"].iter_rows(values_only=True))[1:]
    assert len(unita) == _attese(demo_db, ("LC",))["unita"]
    contesto = {r[0]: r[1] for r in wb["Filtri e fonte"].iter_rows(values_only=True)}
    assert contesto["Bimestre"] == "novembre–dicembre 2025" and contesto["Territorio"] == "Provincia di Lecco"


def test_manifest_con_hash_dei_file(report_generati: Generati) -> None:
    manifesto = json.loads((report_generati.cartella / "manifest.json").read_text(encoding="utf-8"))
    assert manifesto["periodo"]["codice"] == PERIODO and manifesto["dati_al"] == "2026-01-15"
    assert [f["territorio"] for f in manifesto["file"]] == ["LC", "regione"]
    for voce in manifesto["file"]:
        for tipo in ("pdf", "xlsx"):
            dati = (report_generati.cartella / voce[tipo]["file"]).read_bytes()
            assert hashlib.sha256(dati).hexdigest() == voce[tipo]["sha256"]
            assert len(dati) == voce[tipo]["byte"]


def test_seconda_esecuzione_identica(report_generati: Generati) -> None:
    prima = sorted(p.name for p in report_generati.cartella.iterdir())
    assert prima == sorted(p.name for p in report_generati.seconda.iterdir())
    for nome in prima:
        assert (report_generati.cartella / nome).read_bytes() == (report_generati.seconda / nome).read_bytes(), nome


# --- consistency and privacy ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reports(engine) -> dict[str, vista.Report]:
    return {r.territorio.codice: r for r in letture.genera(engine, Periodo.leggi(PERIODO), SIGLE)}


def test_tredici_report_e_bilancio_del_bimestre(reports: dict[str, vista.Report]) -> None:
    assert list(reports) == [*SIGLE, "regione"]
    for r in reports.values():
        # in force now = in force at the end of the bimester before + started - ended (rows by procedure, province)
        prima = r.cifra("procedure").precedente
        righe_prima = r.procedure.height - r.nuove.height + r.concluse.height
        assert r.cifra("procedure").valore <= r.procedure.height
        if not r.territorio.regionale:
            assert righe_prima == prima
    somma = sum(reports[s].cifra("lavoratori").valore for s in SIGLE)
    assert somma == reports["regione"].cifra("lavoratori").valore


def test_fonte_e_data_dei_dati_come_in_ogni_vista(reports: dict[str, vista.Report]) -> None:
    r = reports["LC"]
    assert r.dati_al == "Dati al 15/01/2026 · dati dimostrativi"
    assert r.fonte == (
        "Fonte: Regione Lombardia, DG Istruzione, Formazione, Lavoro (VertenzeOnline). "
        "Dati al 15/01/2026 — dati dimostrativi."
    )


def test_stesse_celle_nascoste_in_ogni_edizione(reports: dict[str, vista.Report]) -> None:
    regione = reports["regione"]
    for sigla in SIGLE:
        qui = reports[sigla]
        assert qui.step.tabella.equals(regione.step.tabella.filter(pl.col("sigla") == sigla))
        celle = (
            regione.procedure.filter(pl.col("sigla") == sigla)
            .select("procedura_id", "lavoratori_testo")
            .sort("procedura_id")
        )
        assert qui.procedure.select("procedura_id", "lavoratori_testo").sort("procedura_id").equals(celle)


def test_nessun_piccolo_conteggio_visibile(reports: dict[str, vista.Report]) -> None:
    t = privacy.soglia()
    for r in reports.values():
        for df in (r.procedure, r.concluse):
            visibili = df.filter(~pl.col("lavoratori_testo").str.contains("<|riservato"))
            assert not visibili.filter(pl.col("lavoratori").is_between(1, t - 1)).height
            for _, riga in df.group_by("sigla", "tipo"):
                nascoste = riga.filter(pl.col("lavoratori_testo").str.contains("<|riservato"))
                assert nascoste.height != 1
        step = r.step.tabella
        assert not step.filter(
            (pl.col("testo") == pl.col("lavoratori").cast(pl.String)) & pl.col("lavoratori").is_between(1, t - 1)
        ).height


# --- the command line ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argomenti", "messaggio"),
    [
        (["--periodo", "2025-13"], "AAAA-MM"),
        (["--periodo", "2026-01"], "--provvisorio"),
        (["--periodo", "2026-05", "--provvisorio"], "inizia dopo"),
        (["--provincia", "XX"], "sconosciuta"),
    ],
)
def test_riga_di_comando_rifiuta(demo_url: str, tmp_path: Path, capsys, argomenti: list[str], messaggio: str) -> None:
    assert report_cli.main(["--db", demo_url, "--out", str(tmp_path), *argomenti]) == 2
    assert messaggio in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_riga_di_comando_senza_database(tmp_path: Path, capsys) -> None:
    assert report_cli.main(["--db", f"sqlite:///{tmp_path / 'manca.db'}", "--out", str(tmp_path / "out")]) == 1
    assert "non è stato trovato" in capsys.readouterr().err


def test_testo_ostile_scritto_come_testo() -> None:
    from dashboard import report_pdf

    df = pl.DataFrame({"Azienda": ['<img src=x onerror=alert(1)> & "Co"'], "Lavoratori": ["<3"]})
    pagina = report_pdf.tabella_html(df, "Titolo <b>", "vuota")
    assert "<img" not in pagina and "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;" in pagina
    assert "Titolo &lt;b&gt;" in pagina and "<td class=n>&lt;3</td>" in pagina


# --- long lists: tables of a few hundred rows, grouped by province, summary edition ---------------------------

SVG_VUOTO = {nome: '<svg xmlns="http://www.w3.org/2000/svg"/>' for nome in ("mappa", "scadenze", "step")}


def test_elenco_lungo_diviso_in_tabelle_con_intestazione(monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard import report_pdf

    monkeypatch.setattr(report_pdf, "RIGHE_PER_TABELLA", 4)
    df = pl.DataFrame({"Azienda": [f"Ditta {i}" for i in range(10)], "Lavoratori": list(range(1000, 1010))})
    pagina = report_pdf.tabella_html(df, "Elenco", "vuota")
    tabelle = re.findall(r"<table[^>]*>(.*?)</table>", pagina)
    assert len(tabelle) == 3
    assert [t.count("<tr>") - 1 for t in tabelle] == [4, 4, 2]  # the header row of each table, then its rows
    for t in tabelle:
        assert "<thead><tr><th scope=col>Azienda</th><th scope=col class=n>Lavoratori</th></tr></thead>" in t
    assert re.findall(r"<caption>(.*?)</caption>", pagina) == [
        "Elenco", "Elenco (segue, righe 5–8 di 10)", "Elenco (segue, righe 9–10 di 10)"
    ]  # fmt: skip
    assert re.findall(r"<td>(Ditta \d)</td>", pagina) == [f"Ditta {i}" for i in range(10)]
    assert "<td class=n>1.009</td>" in pagina and "style=" not in pagina


@pytest.fixture(scope="module")
def regionale(engine) -> vista.Report:
    return letture.leggi(engine, Periodo.leggi(PERIODO), SIGLE).report(Territorio(vista.REGIONE))


def test_regionale_per_provincia(regionale: vista.Report) -> None:
    from dashboard import report_pdf

    assert not report_pdf.sintetico(regionale)
    pagina = report_pdf.html(regionale, SVG_VUOTO)
    per_sigla = regionale.procedure.group_by("sigla").len()
    for sigla, n in per_sigla.iter_rows():
        nome = vista.NOME_PROVINCIA[sigla]
        assert f"<h3>{nome}: {n} procedure</h3>" in pagina
        assert f"<caption>CIGS in corso — {nome}</caption>" in pagina
    titoli = re.findall(r"<h3>([^<:]+): \d+ procedure</h3>", pagina)
    assert titoli == [vista.NOME_PROVINCIA[s] for s in sorted(per_sigla["sigla"])]
    elenco = pagina[pagina.index("<h2>Le CIGS in corso</h2>") : pagina.index("<h2>Cosa è cambiato")]
    assert "Provincia</th>" not in elenco
    assert elenco.count("<tbody><tr>") and elenco.count("</tr>") - elenco.count("<thead>") == regionale.procedure.height


def test_regionale_troppo_lungo_in_edizione_di_sintesi(
    regionale: vista.Report, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from dashboard import report_pdf

    monkeypatch.setattr(report_pdf, "RIGHE_MASSIME_ELENCO", 10)
    assert report_pdf.sintetico(regionale) and not report_pdf.sintetico(_come_lecco(regionale))
    pagina = report_pdf.html(regionale, SVG_VUOTO)
    assert "<h2>Le CIGS in corso</h2>" not in pagina and "Unità produttive delle CIGS" not in pagina
    sintesi = vista.tabella_sintesi_province(regionale)
    assert sintesi["CIGS in corso"].to_list()[-1] == regionale.procedure.height
    assert sintesi["In scadenza entro 60 giorni"].to_list()[-1] == regionale.in_scadenza.height
    assert sintesi["Di casi ad alta complessità"].to_list()[-1] == regionale.procedure["alta_complessita"].sum()
    pdf = tmp_path / "sintesi.pdf"
    pdf.write_bytes(report_pdf.stampa(pagina, regionale.info.data_estrazione))
    testo = _piatto(_testo_pdf(pdf))
    primo = _piatto(subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert f"Edizione di sintesi: le {_numero(regionale.procedure.height)} righe delle CIGS in corso" in primo
    assert "sono nell'allegato XLSX" in primo
    codici = set(regionale.in_scadenza["codice_procedura"]) | set(
        regionale.procedure.filter(pl.col("alta_complessita"))["codice_procedura"]
    )
    assert codici and not {c for c in codici if c not in testo.replace("- ", "-").replace(" ", "")}
    assert "CIGS per provincia" in testo and f"Lombardia {_numero(regionale.procedure.height)}" in testo
    tag = pdf_accessibile.leggi(pdf)  # still tagged: headings per province, every table with caption and headers
    assert tag.info["Tagged"] == "yes" and tag.conta("H3") >= 2
    assert tag.conta("Caption") == tag.conta("Table") and tag.albero.count("/Scope /Column") == tag.conta("TH")


def _come_lecco(r: vista.Report) -> vista.Report:
    import dataclasses

    return dataclasses.replace(r, territorio=Territorio("LC"))
