"""The bimonthly report as a document: HTML and CSS for A4, printed to a tagged PDF by the system Chromium.

Chromium's print-to-PDF is the route: the browser is already installed for kaleido and the browser tests, it
implements CSS paged media (A4, margins, running footers with «Pagina n di m»), it writes a tagged PDF whose
structure (headings, tables with header cells, figures with alternative text, lang="it") comes from the HTML,
and it keeps SVG charts as vector graphics. Its only variable output is the creation date, which is set here
to the data date so that the same data give the same file.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from html import escape
from pathlib import Path

import plotly.graph_objects as go
import polars as pl

from dashboard import chromium, formatting, privacy
from dashboard.charts import report as grafici
from dashboard.viste import report as vista
from dashboard.viste.report import GIORNI_IN_SCADENZA, Report
from data_access.dominio import GIORNI_OBIETTIVO_GOL, NOME_PROVINCIA, SIGLE, TIPO

log = logging.getLogger(__name__)

TIMEOUT_S = 120
# Rows of one printed table: longer lists are split (see tabella_html).
RIGHE_PER_TABELLA = 200
# Beyond this many procedure rows the regional PDF is the summary edition (see sintetico).
RIGHE_MASSIME_ELENCO = 2000
# Codes and types are read and searched whole: their cells never wrap.
SENZA_A_CAPO = frozenset({"Tipo", "Procedura", "Caso", "Unità produttiva"})
MIME = "application/pdf"
# Figures are drawn at this size (px) and scaled to the page width by CSS: the SVG keeps them sharp.
DIMENSIONI = {"mappa": (900, 620), "scadenze": (900, 440), "step": (900, 400)}
_DATA_PDF = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})")
_NODO_PDF = re.compile(rb"\(node(\d{8})\)")


class ErroreDocumento(Exception):
    """The PDF could not be produced: an Italian message for the page, a precise one for the logs."""

    def __init__(self, messaggio: str, dettaglio: str) -> None:
        super().__init__(dettaglio)
        self.messaggio = messaggio
        self.dettaglio = dettaglio


def _chromium() -> str:
    percorso, candidati = chromium.trova()
    if not percorso:
        raise ErroreDocumento(
            "Impossibile scrivere il PDF: Chromium non è installato (pacchetto «chromium»).",
            f"no Chromium executable among {candidati}",
        )
    return percorso


# --- charts ------------------------------------------------------------------------------------------------


def svg(figure: Sequence[go.Figure], dimensioni: Sequence[tuple[int, int]]) -> list[str]:
    """SVG text of plotly charts, drawn by one headless Chromium session (kaleido)."""
    if not figure:
        return []
    import kaleido  # imported here: only the documents need it

    percorso = _chromium()

    async def disegna() -> list[bytes]:
        async with kaleido.Kaleido(n=1, path=percorso, timeout=TIMEOUT_S) as k:
            return [
                await k.calc_fig(fig, opts={"format": "svg", "width": w, "height": h})
                for fig, (w, h) in zip(figure, dimensioni, strict=True)
            ]

    try:  # a thread of its own: the caller (Streamlit, a test) may already run an event loop
        with ThreadPoolExecutor(max_workers=1) as pool:
            return [b.decode("utf-8") for b in pool.submit(asyncio.run, disegna()).result()]
    except Exception as exc:
        raise ErroreDocumento(
            "Impossibile disegnare i grafici del report.", f"kaleido with {percorso}: {exc!r}"
        ) from exc


def svg_dei_report(reports: Sequence[Report]) -> list[dict[str, str]]:
    """The SVG of every report's figures, all drawn in one browser session."""
    figure = [grafici.figure(r) for r in reports]
    piatte = [f for per_report in figure for f in per_report.values()]
    dim = [DIMENSIONI[nome] for per_report in figure for nome in per_report]
    disegnate = iter(svg(piatte, dim))
    return [{nome: next(disegnate) for nome in per_report} for per_report in figure]


# --- HTML --------------------------------------------------------------------------------------------------

CSS = """
@page {
  size: A4; margin: 16mm 15mm 18mm 15mm;
  @bottom-left { content: PIEDE; font: 8pt "DejaVu Sans", sans-serif; color: #444; }
  @bottom-right { content: "Pagina " counter(page) " di " counter(pages); font: 8pt "DejaVu Sans", sans-serif;
                  color: #444; }
}
html { font-family: "Source Sans 3", "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; color: #1B1F1C; }
body { margin: 0; }
h1 { font-size: 19pt; color: #006633; margin: 0 0 2mm 0; line-height: 1.15; }
h2 { font-size: 13.5pt; color: #006633; margin: 7mm 0 2mm 0; break-after: avoid; border-bottom: 0.6pt solid #006633; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm 0; break-after: avoid; }
p { margin: 1mm 0 2mm 0; line-height: 1.35; }
.ente { font-size: 9pt; color: #444; margin-bottom: 3mm; }
.sottotitolo { font-size: 11.5pt; margin: 0 0 2mm 0; }
.avviso { border: 1pt solid #B45309; background: #FFF3CD; color: #5C3B00; padding: 2mm 3mm; margin: 2mm 0;
          font-weight: 600; }
ul.cifre { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2.5mm; margin: 3mm 0; padding: 0;
           list-style: none; }
ul.cifre li { border: 0.6pt solid #9DB8A6; background: #EEF3EF; padding: 2mm 3mm; break-inside: avoid; }
ul.cifre span { display: block; }
ul.cifre .etichetta { font-size: 8.5pt; color: #333; }
ul.cifre .valore { font-size: 17pt; font-weight: 700; color: #063; }
ul.cifre .dettaglio { font-size: 8pt; color: #333; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm 0; font-size: 8pt; break-inside: auto; }
table.segue { margin-top: 0; }
caption { text-align: left; font-weight: 700; font-size: 9pt; padding-bottom: 1mm; caption-side: top; }
thead { display: table-header-group; }
th { background: #E4ECE6; text-align: left; vertical-align: bottom; border-bottom: 0.8pt solid #006633; }
th, td { padding: 0.8mm 1.4mm; }
td { border-bottom: 0.3pt solid #CCC; vertical-align: top; }
tr { break-inside: avoid; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.n { white-space: normal; }
td.c { white-space: nowrap; }
figure { margin: 2mm 0 3mm 0; break-inside: avoid; }
figure img { width: 100%; height: auto; }
figcaption { font-size: 8pt; color: #444; }
.nota { font-size: 8pt; color: #333; }
.vuoto { font-style: italic; color: #444; }
section.pagina { break-before: page; }
"""


def _e(testo: object) -> str:
    return escape(str(testo), quote=True)


def _cella(valore: object) -> tuple[str, bool]:
    """A value as the page shows it, and whether it is a figure (right-aligned)."""
    if valore is None:
        return "—", False
    if isinstance(valore, bool):
        return ("sì" if valore else "no"), False
    if isinstance(valore, int):
        return formatting.numero(valore), True
    if isinstance(valore, float):
        return formatting.numero(valore, 1), True
    if isinstance(valore, date):
        return formatting.data(valore), True
    testo = str(valore)
    return testo, bool(privacy.e_soppressa(testo) or testo.isdigit())


def _celle(df: pl.DataFrame) -> tuple[list[list[str]], list[bool]]:
    """Every cell's text as the page shows it, and which columns hold only figures (right-aligned)."""
    righe = [[_cella(v) for v in riga] for riga in df.rows()]
    numerica = [all(r[j][1] or r[j][0] == "—" for r in righe) for j in range(df.width)]
    testi = [
        [formatting.numero(int(t)) if numerica[j] and t.isdigit() else t for j, (t, _) in enumerate(r)] for r in righe
    ]
    return testi, numerica


def tabella_html(df: pl.DataFrame, titolo: str, vuota: str) -> str:
    """A table with its caption and column headers (tagged as header cells), or a sentence when empty.

    A long list becomes consecutive tables of RIGHE_PER_TABELLA rows, each with its caption and header row:
    Chromium lays a table out as a whole, in a time that grows faster than its rows, while short tables print
    in linear time and read the same (the header row also repeats on every page).
    """
    if df.is_empty():
        return f'<h3>{_e(titolo)}</h3><p class="vuoto">{_e(vuota)}</p>'
    testi, numerica = _celle(df)
    classe = [
        " class=n" if n else " class=c" if c in SENZA_A_CAPO else "" for c, n in zip(df.columns, numerica, strict=True)
    ]
    testa = "".join(f"<th scope=col{classe[j]}>{_e(c)}</th>" for j, c in enumerate(df.columns))
    tabelle = []
    for inizio in range(0, len(testi), RIGHE_PER_TABELLA):
        blocco = testi[inizio : inizio + RIGHE_PER_TABELLA]
        didascalia = titolo if inizio == 0 else f"{titolo} (segue, righe {formatting.numero(inizio + 1)}–"
        if inizio:
            didascalia += f"{formatting.numero(inizio + len(blocco))} di {formatting.numero(len(testi))})"
        corpo = "".join(
            "<tr>" + "".join(f"<td{classe[j]}>{_e(t)}</td>" for j, t in enumerate(riga)) + "</tr>" for riga in blocco
        )
        segue = " class=segue" if inizio else ""
        tabelle.append(
            f"<table{segue}><caption>{_e(didascalia)}</caption><thead><tr>{testa}</tr></thead>"
            f"<tbody>{corpo}</tbody></table>"
        )
    return "".join(tabelle)


def tabelle_per_provincia(df: pl.DataFrame, titolo: str, vuota: str, conta: str) -> str:
    """A regional list as one heading and table per province (in the usual order), without the province column."""
    if df.is_empty() or "Provincia" not in df.columns:
        return tabella_html(df, titolo, vuota)
    parti = []
    for nome in (NOME_PROVINCIA[s] for s in sorted(SIGLE)):
        righe = df.filter(pl.col("Provincia") == nome).drop("Provincia")
        if righe.is_empty():
            continue
        parti.append(f"<h3>{_e(nome)}: {formatting.numero(righe.height)} {_e(conta)}</h3>")
        parti.append(tabella_html(righe, f"{titolo} — {nome}", vuota))
    return "".join(parti)


def _figura(svg_testo: str, alternativa: str) -> str:
    """A chart as a vector image with its text alternative (the chart itself carries title and source)."""
    dati = base64.b64encode(svg_testo.encode("utf-8")).decode("ascii")
    return f'<figure><img src="data:image/svg+xml;base64,{dati}" alt="{_e(alternativa)}"></figure>'


def _cifre(r: Report) -> str:
    voci = []
    for c in r.cifre:
        dettaglio = "; ".join(x for x in (c.spiegazione, c.variazione) if x)
        voci.append(
            f'<li><span class="etichetta">{_e(c.etichetta)}</span> <span class="valore">{_e(c.testo)}</span> '
            f'<span class="dettaglio">{_e(dettaglio)}</span></li>'
        )
    # A list, not a <dl>: Chromium tags a list as L/LI in the PDF, a description list as untagged blocks.
    return f'<ul class="cifre">{"".join(voci)}</ul>'


def sintesi(r: Report) -> str:
    """The first page's summary in one paragraph of plain Italian."""
    c = {x.chiave: x for x in r.cifre}
    n = formatting.numero
    testo = (
        f"Al {formatting.data(r.riferimento)} sono in corso nel territorio ({r.territorio.nome}) "
        f"{n(c['procedure'].valore)} procedure di CIGS ({n(c['procedure_CIGS_MIN'].valore)} ministeriali e "
        f"{n(c['procedure_CIGS_REG'].valore)} regionali), con {n(c['unita'].valore)} unità produttive e "
        f"{n(c['lavoratori'].valore)} lavoratori coinvolti"
    )
    if c["procedure"].precedente is not None:
        testo += f" (al {formatting.data(r.riferimento_precedente)}: {n(c['procedure'].precedente)} procedure e "
        testo += f"{n(c['lavoratori'].precedente)} lavoratori)"
    testo += (
        f". Nel bimestre {n(c['nuove'].valore)} procedure sono state avviate e {n(c['concluse'].valore)} si sono "
        f"concluse; {n(c['in_scadenza'].valore)} scadono entro {GIORNI_IN_SCADENZA} giorni."
    )
    return testo


def _testo_step(r: Report) -> str:
    s = r.step
    if not s.lavoratori:
        return "Nessun lavoratore di CIGS ministeriali in corso nel territorio al giorno di riferimento."
    parti = [f"{formatting.numero(s.lavoratori)} lavoratori delle CIGS ministeriali in corso"]
    if s.pal_riservata:
        parti.append(
            "il numero con PAL attivata non è mostrato perché da esso si potrebbe ricavare un conteggio inferiore "
            f"a {r.soglia}"
        )
    else:
        parti.append(f"PAL attivata (STEP 4) per {formatting.numero(s.pal)} ({formatting.percentuale(s.quota_pal)})")
    testo = "; ".join(parti) + "."
    if s.in_finestra and s.in_finestra >= r.soglia and s.entro_obiettivo >= r.soglia:
        testo += (
            f" Regola GOL dei {GIORNI_OBIETTIVO_GOL} giorni: dei {formatting.numero(s.in_finestra)} lavoratori presi "
            f"in carico da almeno {GIORNI_OBIETTIVO_GOL} giorni e non esonerati, "
            f"{formatting.numero(s.entro_obiettivo)} "
            f"({formatting.percentuale(s.quota_gol)}) hanno avuto la PAL attivata entro {GIORNI_OBIETTIVO_GOL} giorni "
            "dalla presa in carico."
        )
    elif s.in_finestra:
        testo += f" Regola GOL dei {GIORNI_OBIETTIVO_GOL} giorni: meno di {r.soglia} lavoratori, dato non mostrato."
    else:
        testo += f" Regola GOL: nessun lavoratore preso in carico da almeno {GIORNI_OBIETTIVO_GOL} giorni."
    return testo


def _piede(r: Report) -> str:
    """The running footer as a CSS string: territory, period, data date (quotes and markup escaped for CSS)."""
    provv = " · PROVVISORIO" if r.provvisorio else ""
    testo = f"Report bimestrale CIGS · {r.territorio.nome} · {r.periodo.nome}{provv} · {r.dati_al}"
    return '"' + re.sub(r'[\\"<>&]', lambda m: f"\\{ord(m.group()):X} ", testo) + '"'


def html(r: Report, svg_figure: dict[str, str]) -> str:
    """The whole report as one HTML document, every text escaped."""
    al = formatting.data(r.riferimento)
    avvisi = []
    if r.provvisorio:
        avvisi.append(
            f"Report provvisorio: il bimestre {r.periodo.nome} non è concluso alla data dei dati; le cifre "
            f"descrivono la situazione al {al}."
        )
    if r.info.demo:
        avvisi.append("Dati dimostrativi: non utilizzabili per decisioni.")
    fig = grafici.figure(r)

    def titolo_di(nome: str) -> str:
        return fig[nome].layout.title.text or ""

    parti = [
        '<p class="ente">Regione Lombardia · DG Istruzione, Formazione, Lavoro · Presidio Crisi e Ammortizzatori</p>',
        f"<h1>Report bimestrale sulle CIGS in corso — {_e(r.territorio.titolo)}</h1>",
        f'<p class="sottotitolo">Bimestre {_e(r.periodo.nome)} · situazione al {_e(al)} · {_e(r.dati_al)}</p>',
        *(f'<p class="avviso">{_e(a)}</p>' for a in avvisi),
        *((f'<p class="avviso">{_e(avviso_sintesi(r))}</p>',) if sintetico(r) else ()),
        f"<p>{_e(sintesi(r))}</p>",
        "<h2>Le cifre principali</h2>",
        _cifre(r),
        f'<p class="nota">Variazioni sul {_e(r.periodo.precedente.nome)} (situazione al '
        f"{_e(formatting.data(r.riferimento_precedente))}). {_e(r.fonte)}</p>",
        '<section class="pagina">',
        "<h2>Dove: le unità produttive per comune</h2>",
        _figura(svg_figure["mappa"], titolo_di("mappa") + ". " + _alternativa_mappa(r)),
        tabella_html(
            vista.tabella_per_provincia(r.per_provincia),
            "CIGS in corso per provincia e tipo (procedure, unità, lavoratori)",
            "Nessuna CIGS in corso.",
        ),
        "</section>",
        '<section class="pagina">',
        *(_elenchi_sintesi(r) if sintetico(r) else _elenchi(r)),
        _figura(svg_figure["scadenze"], titolo_di("scadenze") + "."),
        '<section class="pagina">',
        f"<h2>{_e(TIPO['CIGS_MIN'].etichetta)}: modello a step e regola GOL</h2>",
        f"<p>{_e(_testo_step(r))}</p>",
        _figura(svg_figure["step"], titolo_di("step") + ". " + _alternativa_step(r)),
        tabella_html(vista.tabella_step(r.step), f"Lavoratori per stato del percorso al {al}", "Nessun lavoratore."),
        "<h2>Casi ad alta complessità</h2>",
        "<p>Casi aperti o in monitoraggio del cruscotto con almeno un'unità produttiva nel territorio, in ordine di "
        f"urgenza; scadenze e giorni alla data dei dati ({_e(formatting.data(r.info.data_estrazione))}).</p>",
        tabella_html(
            vista.tabella_casi(r.casi), "Casi ad alta complessità aperti", "Nessun caso aperto nel territorio."
        ),
        "</section>",
        '<section class="pagina">',
        *(() if sintetico(r) else _elenco_unita(r)),
        "<h2>Note e fonti</h2>",
        *(f"<p class=nota>{_e(p)}</p>" for p in note(r)),
        "</section>",
    ]
    return (
        f'<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{_e(r.titolo)}</title>'
        f'<meta name="description" content="{_e(sintesi(r))}">'
        f"<style>{CSS.replace('PIEDE', _piede(r))}</style></head>"
        f"<body>{''.join(parti)}</body></html>"
    )


def sintetico(r: Report) -> bool:
    """Whether the PDF is the summary edition: a regional report whose lists would run to hundreds of pages."""
    return r.territorio.regionale and r.procedure.height > RIGHE_MASSIME_ELENCO


def avviso_sintesi(r: Report) -> str:
    """The first page's statement of what the summary edition leaves to the XLSX annex."""
    n = formatting.numero
    return (
        f"Edizione di sintesi: le {n(r.procedure.height)} righe delle CIGS in corso (una per procedura e provincia) "
        f"e le {n(r.unita.height)} unità produttive sono più di quante un documento da leggere possa riportare. "
        "Questo PDF dà per ogni provincia le cifre, le procedure in scadenza entro "
        f"{GIORNI_IN_SCADENZA} giorni e quelle dei casi ad alta complessità; gli elenchi completi (CIGS in corso, "
        "unità produttive, nuove e concluse nel bimestre) sono nell'allegato XLSX."
    )


def _elenchi(r: Report) -> list[str]:
    """The lists of the full edition: every procedure in force, then what changed in the bimester."""
    reg, al = r.territorio.regionale, _e(formatting.data(r.riferimento))
    return [
        "<h2>Le CIGS in corso</h2>",
        f"<p>Procedure autorizzate il {al}: una riga per procedura"
        f"{' e provincia, raggruppate per provincia' if reg else ''}; i giorni alla scadenza sono contati dal "
        f"{al}.</p>",
        tabelle_per_provincia(
            _compatta(vista.tabella_procedure(r.procedure, reg)), "CIGS in corso", "Nessuna CIGS in corso.", "procedure"
        ),
        "</section>",
        "<h2>Cosa è cambiato nel bimestre</h2>",
        tabella_html(
            _breve(r.nuove, reg), f"Nuove nel bimestre ({len(r.nuove)})", "Nessuna procedura avviata nel bimestre."
        ),
        tabella_html(
            _breve(r.concluse, reg),
            f"Concluse nel bimestre ({len(r.concluse)})",
            "Nessuna procedura conclusa nel bimestre.",
        ),
        tabella_html(
            _breve(r.in_scadenza, reg),
            f"In scadenza entro {GIORNI_IN_SCADENZA} giorni ({len(r.in_scadenza)})",
            f"Nessuna procedura scade entro {GIORNI_IN_SCADENZA} giorni.",
        ),
    ]


def _elenchi_sintesi(r: Report) -> list[str]:
    """The lists of the summary edition: counts by province, the expiring procedures, those of watched cases."""
    al = _e(formatting.data(r.riferimento))
    return [
        "<h2>Le CIGS in corso: sintesi per provincia</h2>",
        f"<p>Procedure autorizzate il {al}, nuove e concluse nel bimestre, in scadenza entro {GIORNI_IN_SCADENZA} "
        "giorni e legate a un caso ad alta complessità; una procedura con unità in più province conta in ciascuna. "
        "Gli elenchi completi sono nell'allegato XLSX.</p>",
        tabella_html(vista.tabella_sintesi_province(r), "CIGS per provincia", "Nessuna CIGS in corso."),
        "</section>",
        '<section class="pagina">',
        f"<h2>In scadenza entro {GIORNI_IN_SCADENZA} giorni</h2>",
        f"<p>Procedure in corso il {al} la cui autorizzazione finisce entro {GIORNI_IN_SCADENZA} giorni, per "
        "provincia.</p>",
        tabelle_per_provincia(
            _compatta(vista.tabella_procedure(r.in_scadenza, True)),
            f"In scadenza entro {GIORNI_IN_SCADENZA} giorni",
            f"Nessuna procedura scade entro {GIORNI_IN_SCADENZA} giorni.",
            "procedure",
        ),
        "</section>",
        '<section class="pagina">',
        "<h2>CIGS dei casi ad alta complessità</h2>",
        f"<p>Procedure in corso il {al} di aziende seguite nel cruscotto dei casi ad alta complessità, per "
        "provincia.</p>",
        tabelle_per_provincia(
            _compatta(vista.tabella_procedure(r.procedure.filter(pl.col("alta_complessita")), True)),
            "CIGS dei casi ad alta complessità",
            "Nessuna procedura di casi ad alta complessità.",
            "procedure",
        ),
        "</section>",
    ]


def _elenco_unita(r: Report) -> list[str]:
    """The production units of the procedures in force (grouped by province in the regional edition)."""
    return [
        "<h2>Unità produttive delle CIGS in corso</h2>",
        tabelle_per_provincia(
            vista.tabella_unita(r.unita).drop("Codice ISTAT comune"), "Unità produttive", "Nessuna unità.", "unità"
        ),
    ]


def _compatta(df: pl.DataFrame) -> pl.DataFrame:
    """The procedures table without the columns the A4 page has no room for (the XLSX annex keeps them)."""
    return df.drop("Settore ATECO", "Alta complessità")


def _breve(df: pl.DataFrame, regionale: bool) -> pl.DataFrame:
    """A short list of procedures: company, type, province, workers, start, end, days."""
    completa = vista.tabella_procedure(df, regionale)
    tenute = ["Tipo", "Procedura", "Azienda", *(["Provincia"] if regionale else []), "Lavoratori",
              "Inizio autorizzazione", "Fine autorizzazione", "Giorni alla scadenza"]  # fmt: skip
    return completa.select(tenute)


def _alternativa_mappa(r: Report) -> str:
    primi = r.comuni.group_by("comune").agg(pl.col("unita").sum()).sort("unita", "comune", descending=[True, False])
    elenco = ", ".join(f"{c} ({formatting.numero(u)})" for c, u in primi.head(5).iter_rows())
    return f"Comuni con più unità produttive: {elenco}." if elenco else "Nessuna unità."


def _alternativa_step(r: Report) -> str:
    tab = vista.tabella_step(r.step)
    riga = tab.row(tab.height - 1, named=True)
    return "; ".join(f"{k}: {v}" for k, v in riga.items() if k != "Provincia") + "."


def note(r: Report) -> list[str]:
    """How to read the report: definitions, the privacy rule, the sources."""
    return [
        f"Periodo: bimestre {r.periodo.nome} ({formatting.data(r.periodo.inizio)}–{formatting.data(r.periodo.fine)}). "
        f"Le procedure «in corso» sono quelle autorizzate il {formatting.data(r.riferimento)}: avviate entro quel "
        "giorno e con fine dell'autorizzazione da quel giorno in poi. «Nuove»: avviate nel bimestre; «concluse»: in "
        f"corso il {formatting.data(r.riferimento_precedente)} (o avviate dopo) e non più il "
        f"{formatting.data(r.riferimento)}; quindi le CIGS in corso sono quelle del bimestre precedente, più le nuove, "
        "meno le concluse.",
        "Tipi: CIGS ministeriali (linee guida A) e CIGS regionali (linee guida B, C). Un'unità produttiva conta una "
        "volta per ogni procedura che la coinvolge; i lavoratori sono quelli delle unità del territorio.",
        f"Modello a step (decreto regionale 5151 del 10/04/2025): stato raggiunto al {formatting.data(r.riferimento)} "
        "secondo le date di presa in carico (STEP 1), scelta degli strumenti (STEP 2), incontri (STEP 3), PAL attivata "
        "(STEP 4) ed esonero (NO PAL). Regola GOL: politiche attive entro "
        f"{GIORNI_OBIETTIVO_GOL} giorni dalla presa in carico.",
        "Riservatezza: " + privacy.nota(r.soglia) + " I totali per provincia e tipo sono pubblici e non nascosti.",
        f"Fonti: {', '.join(r.info.fonti)} ({vista.ORIGINE}). Dati estratti il "
        f"{formatting.data(r.info.data_estrazione)}: tutte le cifre vengono da questa stessa estrazione.",
        "Casi ad alta complessità: stato, rischio e scadenze alla data dei dati; lavoratori di tutte le sedi del caso.",
        "L'allegato XLSX contiene gli stessi elenchi, con numeri e date utilizzabili nei fogli di calcolo.",
    ]


# --- PDF ---------------------------------------------------------------------------------------------------


def stampa(documento: str, giorno: date) -> bytes:
    """Print an HTML document to PDF with Chromium; creation and modification dates set to `giorno`."""
    percorso = _chromium()
    with tempfile.TemporaryDirectory(prefix="cruscotto-report-") as cartella:
        sorgente, uscita = Path(cartella) / "report.html", Path(cartella) / "report.pdf"
        sorgente.write_text(documento, encoding="utf-8")
        comando = [
            percorso, *chromium.OPZIONI, f"--user-data-dir={Path(cartella) / 'profilo'}", "--no-pdf-header-footer",
            "--generate-pdf-document-outline", f"--print-to-pdf={uscita}", sorgente.as_uri(),
        ]  # fmt: skip
        try:
            esito = subprocess.run(
                comando, capture_output=True, timeout=TIMEOUT_S, env={**os.environ, "TZ": "UTC"}, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise ErroreDocumento(
                "La scrittura del PDF ha superato il tempo massimo.",
                f"chromium print-to-pdf timed out after {TIMEOUT_S} s",
            ) from exc
        if esito.returncode != 0 or not uscita.is_file():
            coda = esito.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise ErroreDocumento(
                "Impossibile scrivere il PDF del report.", f"chromium exit {esito.returncode}: {' | '.join(coda)}"
            )
        dati = uscita.read_bytes()
    return riproducibile(dati, giorno)


def riproducibile(dati: bytes, giorno: date) -> bytes:
    """The PDF with what varies between two printings of the same page made fixed, byte lengths unchanged.

    Creation and modification dates become `giorno`; the tagged structure's element ids (Chromium numbers them by
    DOM node, which shifts with the browser's own work) are renumbered by rank, keeping their order for the id tree.
    Every replacement has the length of the original, so the cross-reference table stays valid.
    """
    fisso = f"{giorno:%Y%m%d}000000".encode()
    dati = _DATA_PDF.sub(lambda m: b"/" + m.group(1) + b" (D:" + fisso, dati)
    rango = {n: i for i, n in enumerate(sorted({int(m) for m in _NODO_PDF.findall(dati)}), start=1)}
    return _NODO_PDF.sub(lambda m: b"(node%08d)" % rango[int(m.group(1))], dati)


def pdf(r: Report, svg_figure: dict[str, str]) -> bytes:
    """The report's PDF."""
    return stampa(html(r, svg_figure), r.info.data_estrazione)
