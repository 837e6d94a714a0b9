"""Streamlit pieces of the Modalità tavolo page: one slide of the deck, drawn as a screen of the meeting."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import deck, testo
from dashboard.charts import mappe, per_proiettore, senza_titolo
from dashboard.components import PLOTLY_CONFIG, mostra_tabella
from dashboard.contesto import fonte
from data_access.queries.meta import InfoDati


def slide(s: deck.Slide, info: InfoDati) -> None:
    """One slide: title stating the idea, then key figures, chart (with legend or data table), table or points."""
    st.title(s.titolo, anchor=False)
    if s.sottotitolo:
        st.html(f'<p class="slide-sotto">{testo.html_(s.sottotitolo)}</p>')
    colonne = 1 if s.figure else 4
    for riga in range(0, len(s.cifre), colonne):
        for col, c in zip(st.columns(colonne), s.cifre[riga : riga + colonne], strict=False):
            col.metric(c.etichetta, c.valore, c.dettaglio or None, delta_color="off", delta_arrow="off")
    for n_fig, fig in enumerate(s.figure):  # the chart takes the height the slide has left (tavolo.css)
        with st.container(key=f"slide_grafico_{n_fig}"):
            area, legenda = st.columns([3, 2], gap="large") if s.legenda else (st.container(), None)
        if isinstance(fig, go.Figure):
            area.plotly_chart(per_proiettore(senza_titolo(fig)), height="stretch", theme=None,
                              config={**PLOTLY_CONFIG, "displayModeBar": False},
                              key=f"slide_{s.chiave}_{n_fig}")  # fmt: skip
        else:
            area.pydeck_chart(fig, height="stretch", key=f"slide_{s.chiave}_{n_fig}", alt=s.titolo)
        if legenda is not None:
            legenda.html(mappe.legenda_html(s.legenda_titolo, s.legenda))
            legenda.html(f'<p class="slide-fonte">{testo.html_(fonte(info))}</p>')
    if s.tabella is not None and not s.figure:
        st.table(_colorata(s.tabella, s.colori_tabella))
    if s.punti:
        avvisi = [p for p in s.punti if s.chiave == "titolo" and p.startswith("Attenzione")]
        punti = [testo.md(p, None) for p in s.punti if p not in avvisi]
        copertina = "\n\n".join(f"**{p}**" if p.startswith("Dati al") else p for p in punti)
        st.markdown(copertina if s.chiave == "titolo" else "\n".join(f"- {p}" for p in punti))
        for avviso in avvisi:
            st.warning(testo.md(avviso, None), icon=":material/history:")


def tabella_del_grafico(s: deck.Slide) -> None:
    """The figures of a slide's chart, opened over the slide from the navigation bar: the slide keeps its room."""
    if s.tabella is not None and s.figure:
        with st.popover("Tabella dei dati", icon=":material/table:"):
            mostra_tabella(s.tabella)


def _colorata(tabella: pl.DataFrame, colori: tuple[str, dict[str, str]] | None) -> pd.io.formats.style.Styler:
    """A slide's table for st.table, with the background of a column's cells by their text (the traffic light).

    st.table colours cells only through a pandas Styler: a slide's table has a few rows, so building one is cheap.
    """
    colonna, per_testo = colori or ("", {})
    # st.table renders cells as Markdown: every text cell but the coloured labels is escaped.
    testi = [c for c, t in tabella.schema.items() if t == pl.String and c != colonna]
    stile = tabella.with_columns(testo.md_expr(c) for c in testi).to_pandas().style.hide(axis="index")
    if colori is not None:
        stile = stile.map(lambda v: f"background-color: {per_testo.get(v, 'transparent')}", subset=[colonna])
    return stile
