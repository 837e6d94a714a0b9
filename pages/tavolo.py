"""Modalità tavolo: the dashboard as slides for the Tavolo regionale and the Tavoli bilaterali, and as PowerPoint."""

import logging
from datetime import date
from html import escape
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, components, deck, filters, loaders, pptx_export
from dashboard.charts import mappe
from dashboard.loaders import tavolo as dati

log = logging.getLogger(__name__)
ASSETS = Path(__file__).resolve().parents[1] / "assets"
KEY_TAVOLO, KEY_SLIDE, KEY_SLIDE_LINK = "tavolo_scelto", "tavolo_slide", "_tavolo_slide_link"
KEY_GIORNO = "tavolo_giorno"

f = filters.correnti()
db = loaders.url()
info = loaders.info_dati(db)
st.html(ASSETS / "tavolo.css")
st.html((ASSETS / "tavolo.js").read_text(encoding="utf-8"), unsafe_allow_javascript=True)

if KEY_TAVOLO not in st.session_state:  # first run of the page: the link decides tavolo and slide
    raw = st.query_params.get("tavolo")
    scelto = deck.leggi_tavolo(raw) or deck.Tavolo(f.province[0] if len(f.province) == 1 else deck.REGIONALE)
    if raw is not None and deck.leggi_tavolo(raw) is None:
        log.warning("link parameter tavolo=%r ignored", raw)
        st.warning(f"Tavolo «{raw}» non riconosciuto nel link: mostro il {scelto.nome.lower()}.")
    st.session_state[KEY_TAVOLO] = scelto.codice
    st.session_state[KEY_SLIDE_LINK] = st.query_params.get("slide")
    st.session_state[KEY_SLIDE] = 0


def vai(passo: int) -> None:
    """Move by some slides (the buttons and the keyboard arrows)."""
    st.session_state[KEY_SLIDE] += passo


with st.container(key="tavolo_barra", horizontal=True, vertical_alignment="center"):
    st.page_link("../pages/panoramica.py", label="Esci", icon=":material/close:", query_params=filters.a_query(f))
    codice = st.selectbox("Tavolo", deck.CODICI_TAVOLO, key=KEY_TAVOLO, format_func=deck.etichetta_tavolo,
                          on_change=lambda: st.session_state.update({KEY_SLIDE: 0}), width=420,
                          label_visibility="collapsed")  # fmt: skip
    giorno = st.date_input("Data della riunione", key=KEY_GIORNO, value=date.today(), format="DD/MM/YYYY",
                           width=190, label_visibility="collapsed", help="Data della riunione")  # fmt: skip
    snap = dati.snapshot_fissato(db, codice, f.anno, f.tipi, info)
    d = deck.costruisci(snap, giorno)
    if info.data_estrazione > snap.info.data_estrazione:
        st.button("Nuovi dati: aggiorna", icon=":material/refresh:", on_click=dati.aggiorna, type="primary")
    try:
        pptx_export.percorso_chromium()
        st.download_button("Scarica PowerPoint", lambda: dati.pptx(db, snap, snap.chiave, d.giorno),
                           file_name=f"{d.nome_file}.pptx", mime=pptx_export.MIME, icon=":material/download:",
                           on_click="ignore")  # fmt: skip
    except pptx_export.ErroreEsportazione as exc:
        log.error("pptx export unavailable: %s", exc.dettaglio)
        st.caption(exc.messaggio)

n = len(d.slides)
raw_slide = st.session_state.pop(KEY_SLIDE_LINK, None)
if raw_slide is not None:
    if raw_slide.isdigit() and 1 <= int(raw_slide) <= n:
        st.session_state[KEY_SLIDE] = int(raw_slide) - 1
    else:
        log.warning("link parameter slide=%r ignored", raw_slide)
        st.warning(f"La slide «{raw_slide}» non esiste (sono {n}): mostro la prima.")
i = st.session_state[KEY_SLIDE] = min(max(st.session_state[KEY_SLIDE], 0), n - 1)
filters.scrivi_in_url("tavolo", codice)
filters.scrivi_in_url("slide", str(i + 1))
s = d.slides[i]


def mostra(s: deck.Slide) -> None:
    """One slide: title stating the idea, then key figures, chart (with legend or data table), table or points."""
    st.title(s.titolo, anchor=False)
    if s.sottotitolo:
        st.html(f'<p class="slide-sotto">{escape(s.sottotitolo)}</p>')
    colonne = 1 if s.figure else 4
    for riga in range(0, len(s.cifre), colonne):
        for col, c in zip(st.columns(colonne), s.cifre[riga : riga + colonne], strict=False):
            col.metric(c.etichetta, c.valore, c.dettaglio or None, delta_color="off", delta_arrow="off")
    for n_fig, fig in enumerate(s.figure):  # the chart takes the height the slide has left (tavolo.css)
        with st.container(key=f"slide_grafico_{n_fig}"):
            area, legenda = st.columns([3, 2], gap="large") if s.legenda else (st.container(), None)
        if isinstance(fig, go.Figure):
            area.plotly_chart(charts.per_proiettore(charts.senza_titolo(fig)), height="stretch", theme=None,
                              config={**components.PLOTLY_CONFIG, "displayModeBar": False},
                              key=f"slide_{s.chiave}_{n_fig}")  # fmt: skip
        else:
            area.pydeck_chart(fig, height="stretch", key=f"slide_{s.chiave}_{n_fig}", alt=s.titolo)
        if legenda is not None:
            legenda.html(mappe.legenda_html(s.legenda_titolo, s.legenda))
            legenda.html(f'<p class="slide-fonte">{escape(components.fonte(d.info))}</p>')
    if s.tabella is not None and not s.figure:
        stile = s.tabella.to_pandas().style.hide(axis="index")
        if s.colori_tabella:
            colonna, colori = s.colori_tabella
            stile = stile.map(lambda v: f"background-color: {colori.get(v, 'transparent')}", subset=[colonna])
        st.table(stile)
    if s.punti:
        avvisi = [p for p in s.punti if s.chiave == "titolo" and p.startswith("Attenzione")]
        testi = [p for p in s.punti if p not in avvisi]
        copertina = "\n\n".join(f"**{p}**" if p.startswith("Dati al") else p for p in testi)
        st.markdown(copertina if s.chiave == "titolo" else "\n".join(f"- {p}" for p in testi))
        for avviso in avvisi:
            st.warning(avviso, icon=":material/history:")


with st.container(key="copertina" if s.chiave == "titolo" else "slide"):
    st.html(f'<div class="slide-testa"><span>{d.tavolo.nome} · {d.filtri}</span><span>{d.dati_al}</span></div>')
    mostra(s)

with st.container(key="tavolo_nav", horizontal=True, vertical_alignment="center"):
    st.button("Precedente", icon=":material/arrow_back:", key="tavolo_prec", on_click=vai, args=(-1,), disabled=i == 0)
    if s.tabella is not None and s.figure:  # the chart's table opens over the slide, which keeps its room
        with st.popover("Tabella dei dati", icon=":material/table:"):
            components.mostra_tabella(s.tabella)
    st.html(f'<p class="slide-numero">{d.numero(i)}</p>')
    st.button("Successiva", icon=":material/arrow_forward:", key="tavolo_succ", on_click=vai, args=(1,),
              disabled=i == n - 1)  # fmt: skip
