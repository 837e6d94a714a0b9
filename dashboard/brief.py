"""The one-page brief of a case for the institutional levels: self-contained printable HTML (A4), in Italian."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from dashboard import formatting, privacy, tema
from dashboard.contesto import fonte
from dashboard.testo import html_
from dashboard.viste.casi import (
    ETICHETTA_SEMAFORO,
    GIORNI_SENZA_AGGIORNAMENTO,
    descrivi_scadenza,
    prossimi_passi,
    riservatezza,
    testo_conteggio,
    testo_lavoratori,
    testo_riga,
)
from data_access.dominio import NOME_PROVINCIA, TIPO
from data_access.queries.meta import InfoDati

# CSS needs quotes around family names with spaces or digits ("Source Sans 3"); the theme's list may carry them.
_FONT = ", ".join(
    n if n in ("serif", "sans-serif") else f'"{n}"'
    for n in (x.strip().strip("\"'") for x in tema.FONT_FAMILY.split(","))
)
_CSS = f"""
@page {{ size: A4; margin: 11mm 14mm 11mm 14mm; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {_FONT}; font-size: 10pt; line-height: 1.3; color: {tema.GRIGIO_TESTO};
  max-width: 182mm; margin: 0 auto; }}
@media screen {{ body {{ margin: 10mm auto; }} }}
header {{ border-bottom: 3px solid {tema.VERDE_REGIONE}; padding-bottom: 2mm; margin-bottom: 3mm; }}
.ente {{ font-size: 9pt; color: #555; text-transform: uppercase; letter-spacing: 0.04em; }}
h1 {{ font-size: 17pt; color: {tema.VERDE_REGIONE}; margin: 1mm 0 1.5mm 0; }}
h2 {{ font-size: 11.5pt; color: {tema.VERDE_REGIONE}; margin: 0 0 1.5mm 0; }}
.meta {{ font-size: 10pt; margin: 0; }}
p.ente {{ margin: 0; }}
.badge {{ display: inline-block; padding: 0.3mm 2.5mm; border-radius: 1.5mm; font-weight: 700; color: #000;
  border: 1px solid #888; }}
.demo {{ background: #FFF3CD; color: #664D03; border-color: #E6C15A; }}
section {{ break-inside: avoid; margin-top: 3mm; }}
section > p {{ margin: 1mm 0; }}
.scadenza {{ border-left: 2.5mm solid; padding: 2mm 3mm; background: #F6F6F6; font-size: 11.5pt; }}
.cifre {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 2.5mm; list-style: none; margin: 0;
  padding: 0; }}
.cifra {{ border: 1px solid #CCC; border-radius: 1.5mm; padding: 1.5mm 3mm; }}
.cifra .valore {{ font-size: 18pt; font-weight: 700; line-height: 1.1; }}
.cifra .etichetta {{ font-size: 9pt; color: #444; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9.5pt; }}
caption {{ text-align: left; font-size: 8pt; line-height: 1.1; color: #444; caption-side: top; padding: 0; }}
th, td {{ text-align: left; padding: 1mm 1.5mm; border-bottom: 1px solid #CCC; }}
th {{ background: #EEF4F0; }}
td.num, th.num {{ text-align: right; }}
.barra {{ display: flex; height: 7mm; border: 1px solid #888; margin: 1mm 0 1.5mm 0; }}
.barra div {{ height: 100%; }}
.legenda span {{ display: inline-block; margin-right: 4mm; font-size: 9pt; }}
.legenda i {{ display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm; border: 1px solid #888; }}
.livelli span {{ display: inline-block; border: 1px solid {tema.VERDE_REGIONE}; border-radius: 1.5mm;
  padding: 0.3mm 2mm; margin: 0 1.5mm 1.5mm 0; }}
.passi {{ border: 1px solid #CCC; border-radius: 1.5mm; padding: 1.5mm 3mm; }}
.passi p {{ margin: 0 0 1mm 0; }}
.passi ul {{ margin: 0; padding-left: 5mm; }}
.referente {{ font-size: 10pt; margin: 1mm 0 0 0; }}
.note {{ white-space: pre-wrap; border: 1px solid #CCC; padding: 2mm 3mm; margin: 0; }}
.scadenza p {{ margin: 0; }}
footer p {{ margin: 0; }}
footer {{ margin-top: 3mm; padding-top: 1.5mm; border-top: 1px solid #999; font-size: 8.5pt; color: #555; }}
"""


def _cifra(valore: str, etichetta: str) -> str:
    return (
        f'<li class="cifra"><div class="valore">{html_(valore)}</div>'
        f'<div class="etichetta">{html_(etichetta)}</div></li>'
    )


def _procedure(procedure: pl.DataFrame) -> str:
    if procedure.is_empty():
        return "<p>Nessuna procedura collegata al caso.</p>"
    righe = "".join(
        f"<tr><td>{html_(TIPO[p['tipo']].etichetta)} ({html_(TIPO[p['tipo']].linee_guida)})</td>"
        f"<td>{formatting.data(p['data_inizio'])} – {formatting.data(p['data_fine'])}</td>"
        f"<td>{html_(p['stato'])}</td><td class='num'>{formatting.numero(p['unita'])}</td>"
        f"<td class='num'>{html_(p['testo'])}</td></tr>"
        for p in riservatezza(procedure).with_columns(testo_lavoratori().alias("testo")).iter_rows(named=True)
    )
    intestazione = "".join(
        f'<th scope="col"{" class=num" if numero else ""}>{nome}</th>'
        for nome, numero in (("Procedura", False), ("Periodo", False), ("Stato", False), ("Unità", True),
                             ("Lavoratori", True))
    )  # fmt: skip
    return (
        f"<table><caption>Procedure di crisi collegate al caso, con unità produttive e lavoratori</caption>"
        f"<thead><tr>{intestazione}</tr></thead><tbody>{righe}</tbody></table>"
    )


def _step(fasi: pl.DataFrame) -> str:
    coorte = int(fasi["coorte"][0])
    if not coorte:
        return "<p>Nessun lavoratore del caso nel modello a step (riguarda le CIGS ministeriali).</p>"
    segmenti, legenda, voci = [], [], []
    for f in fasi.with_columns(testo_lavoratori().alias("testo")).iter_rows(named=True):
        colore = tema.COLORE_STEP[f["stato_step"]]
        # A suppressed stage gets no segment: its width would reveal the small count.
        if f["lavoratori"]:
            segmenti.append(f'<div style="width:{f["lavoratori"] * 100 / coorte:.2f}%;background:{colore}"></div>')
        legenda.append(f'<span><i style="background:{colore}"></i>{html_(f["fase"])}: {html_(f["testo"])}</span>')
        voci.append(f"{f['fase']}: {f['testo']}")
    # The bar is a picture of the figures in the legend: its text alternative states them.
    alternativa = f"Barra dei lavoratori per fase più avanzata raggiunta: {'; '.join(voci)}."
    return (
        f"<p>{testo_conteggio(coorte)} lavoratori nel modello a step (decreto 5151/2025), per fase più avanzata "
        f'raggiunta:</p><div class="barra" role="img" aria-label="{html_(alternativa)}">{"".join(segmenti)}</div>'
        f'<div class="legenda" aria-hidden="true">{"".join(legenda)}</div>'
    )


def _tavoli(tavoli: pl.DataFrame) -> str:
    if tavoli.is_empty():
        return "Nessun tavolo registrato."
    voci = [
        f"{formatting.data(t['data'])} ({t['tipo']}" + (f", {NOME_PROVINCIA[t['sigla']]}" if t["sigla"] else "") + ")"
        for t in tavoli.iter_rows(named=True)
    ]
    return html_("; ".join(voci)) + "."


def _passi(caso: Mapping[str, Any], fasi: pl.DataFrame, info: InfoDati) -> str:
    p = prossimi_passi(caso, fasi, info.data_estrazione)
    voci = "".join(f"<li>{html_(v, None)}</li>" for v in p.passi)
    return f"<p><strong>Decisione richiesta:</strong> {html_(p.decisione, None)}</p>" + (
        f"<ul>{voci}</ul>" if voci else ""
    )


def _referente(caso: Mapping[str, Any]) -> str:
    """Who follows the case and how to reach them; an e-mail address becomes a link."""
    chi, recapito = caso.get("referente"), caso.get("contatto_referente")
    if not chi and not recapito:
        return "Referente del caso: non indicato nella scheda."
    testo = f"Referente del caso: <strong>{html_(chi or 'non indicato')}</strong>"
    if recapito:
        indirizzo = str(recapito).strip()
        if "@" in indirizzo and " " not in indirizzo:
            testo += f' · <a href="mailto:{html_(indirizzo)}">{html_(indirizzo)}</a>'
        else:
            testo += f" · {html_(indirizzo)}"
    return testo


def scheda(
    caso: Mapping[str, Any], procedure: pl.DataFrame, tavoli: pl.DataFrame, fasi: pl.DataFrame, info: InfoDati
) -> str:
    """The brief of a case (a row of dashboard.casi.componi) as a standalone HTML page."""
    al = formatting.data(info.data_estrazione)
    giorni = caso["giorni_alla_scadenza"]
    colore = tema.COLORE_SEMAFORO[caso["semaforo"]]
    semaforo = html_(ETICHETTA_SEMAFORO[caso["semaforo"]])
    demo = ' <span class="badge demo">Dati dimostrativi</span>' if info.demo else ""
    province = ", ".join(f"{NOME_PROVINCIA[s]} ({s})" for s in caso["province"]) or formatting.ND
    if caso["coorte_step"]:
        pal = testo_riga(caso)[1]
        pal_nota = f"PAL attivate (STEP 4 su {testo_conteggio(caso['coorte_step'])} nel modello a step)"
    else:
        pal, pal_nota = formatting.NON_APPLICABILE, "PAL attivate (nessun lavoratore nel modello a step)"
    if caso["prossima_scadenza"]:
        scadenza = (
            f"<strong>Prossima scadenza: {formatting.data(caso['prossima_scadenza'])}</strong>"
            f" — {html_(caso['tipo_scadenza'] or 'scadenza')} — {html_(descrivi_scadenza(giorni))} al {al}"
        )
    else:
        scadenza = "<strong>Nessuna scadenza registrata</strong>"
    fermo = caso["giorni_senza_aggiornamento"]
    cifre = "".join(
        (
            _cifra(testo_riga(caso)[0], "Lavoratori coinvolti"),
            _cifra(formatting.numero(caso["unita"]), f"Unità produttive · {province}"),
            _cifra(pal, pal_nota),
            _cifra(
                formatting.numero(caso["tavoli"]),
                f"Tavoli · ultimo il {formatting.data(caso['ultimo_tavolo'])}"
                if caso["tavoli"]
                else "Tavoli · nessuno finora",
            ),
            _cifra(
                formatting.numero(fermo),
                f"Giorni dall'ultimo aggiornamento ({formatting.data(caso['data_ultimo_aggiornamento'])})"
                + (f", oltre {GIORNI_SENZA_AGGIORNAMENTO}" if fermo > GIORNI_SENZA_AGGIORNAMENTO else ""),
            ),
            _cifra(formatting.data(caso["data_apertura"]), "Apertura del caso"),
        )
    )
    livelli = "".join(f"<span>{html_(v)}</span>" for v in caso["livelli"]) or formatting.ND
    note = html_(caso["note"] or "Nessuna nota.")
    titolo = f"Caso {caso['codice']}: {caso['ragione_sociale']}"
    return f"""<!doctype html>
<html lang="it">
<head><meta charset="utf-8"><title>{html_(titolo)} — scheda al {al}</title>
<meta name="description" content="Scheda del caso ad alta complessità {html_(caso["codice"])}, dati al {al}">
<style>{_CSS}</style></head>
<body>
<header>
  <p class="ente">Regione Lombardia · DG Istruzione, Formazione, Lavoro · Scheda caso ad alta complessità</p>
  <h1>{html_(titolo)}</h1>
  <p class="meta">Settore ATECO {html_(caso["settore"])} · Stato: <strong>{html_(caso["stato"])}</strong> ·
  Rischio: <strong>{html_(caso["rischio"])}</strong> ·
  Semaforo: <span class="badge" style="background:{colore}">{semaforo}</span></p>
  <p class="meta">Dati al <strong>{al}</strong>{demo} · Documento riservato ai livelli istituzionali coinvolti</p>
  <p class="referente">{_referente(caso)}</p>
</header>
<main>
<section class="scadenza" style="border-color:{colore}"><p>{scadenza}</p></section>
<section><h2>Prossimi passi e decisione richiesta</h2><div class="passi">{_passi(caso, fasi, info)}</div></section>
<section aria-label="Cifre del caso"><ul class="cifre">{cifre}</ul></section>
<section><h2>Livelli istituzionali coinvolti</h2><div class="livelli">{livelli}</div></section>
<section><h2>Procedure</h2>{_procedure(procedure)}</section>
<section><h2>Percorso di politica attiva</h2>{_step(fasi)}</section>
<section><h2>Tavoli in cui il caso è stato discusso</h2><p>{_tavoli(tavoli)}</p></section>
<section><h2>Note</h2><p class="note">{note}</p></section>
</main>
<footer><p>{html_(fonte(info))} Giorni calcolati alla data dei dati, non alla data di stampa.
{html_(privacy.nota())}</p></footer>
</body>
</html>
"""


def nome_file(codice: str, info: InfoDati) -> str:
    """scheda-caso_AC-2025-02_dati-al-2026-01-15.html"""
    return f"scheda-caso_{codice}_dati-al-{info.data_estrazione:%Y-%m-%d}.html"
