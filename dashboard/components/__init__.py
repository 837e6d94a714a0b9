"""Reusable pieces of page: data banner, headline figures, chart with its table, downloads."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import escape

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import exports, formatting, privacy
from dashboard.contesto import ATTRIBUZIONE_GEO as ATTRIBUZIONE_GEO  # pages read it here with the widgets
from dashboard.contesto import Filtri, fonte
from data_access import ROOT
from data_access.queries.meta import InfoDati

CSS = ROOT / "assets" / "style.css"
# No Plotly toolbar: its buttons (English, two dozen per page) would stand in the keyboard's way to the downloads,
# and the app offers the data behind every chart as a table and as files.
PLOTLY_CONFIG = {"displaylogo": False, "locale": "it", "displayModeBar": False}
LINGUA = "it"
NOME_APP = "Cruscotto Crisi Lombardia"


def css() -> None:
    """Load the app's stylesheet."""
    st.html(f"<style>{CSS.read_text(encoding='utf-8')}</style>")


def documento(titolo_pagina: str) -> None:
    """Declare the page's language and a title of its own: Streamlit's shell says lang="en" and one title for all."""
    titolo = f"{titolo_pagina} — {NOME_APP}"
    testo_js = json.dumps(titolo).replace("<", "\\u003c")
    st.html(
        f"<script>document.documentElement.lang = {json.dumps(LINGUA)}; document.title = {testo_js};</script>",
        unsafe_allow_javascript=True,
    )


def banner_dati(info: InfoDati) -> None:
    """The 'Dati al …' line shown on every page, with the demo badge when the data are not real."""
    badge = ' <span class="badge-demo">Dati dimostrativi</span>' if info.demo else ""
    st.html(
        f'<div class="banner-dati">Dati al <strong>{formatting.data_estesa(info.data_estrazione)}</strong>{badge}</div>'
    )


def kpi(
    etichetta: str,
    valore: str,
    delta: str | None = None,
    *,
    buono_se_cresce: bool = True,
    aiuto: str | None = None,
) -> None:
    """One headline figure with its change on the previous year."""
    st.metric(
        etichetta,
        valore,
        delta=delta,
        delta_color="normal" if buono_se_cresce else "inverse",
        help=aiuto,
        border=True,
    )


def grafico(
    fig: go.Figure, tabella: pl.DataFrame, *, key: str, titolo_tabella: str = "Tabella dei dati del grafico"
) -> None:
    """A chart, its message in words for screen readers, and its table one keystroke away (the expander after it)."""
    st.html(f'<p class="solo-lettori">{escape(alternativa(fig))}</p>')
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key)
    with st.expander(titolo_tabella):
        mostra_tabella(tabella)


def alternativa(fig: go.Figure) -> str:
    """The text alternative of a chart: its title, which states the message, and where its figures are."""
    titolo = re.sub(r"<[^>]+>", " ", fig.layout.title.text or "Grafico").strip()
    return f"Grafico: {titolo}. Le cifre sono nella tabella dei dati che segue il grafico."


def mostra_tabella(df: pl.DataFrame, **kwargs: object) -> None:
    """A table with Italian number and date formats."""
    st.dataframe(formatting.tabella(df), hide_index=True, width="stretch", **kwargs)


def file_dati(
    df: pl.DataFrame,
    formato: str,
    *,
    vista: str,
    filtri: Filtri,
    info: InfoDati,
    note: Mapping[str, str] | None = None,
) -> exports.File:
    """The file of a table in a format of exports.FORMATI: name with view, filters and data date; context sheet."""
    contesto: dict[str, object] = {
        "Vista": vista,
        "Filtri": filtri.descrizione(),
        "Fonte": fonte(info),
        "Data di estrazione": info.data_estrazione,
        "Dati dimostrativi": "sì" if info.demo else "no",
        **(note or {}),
    }
    if privacy.contiene_soppressioni(df):
        contesto["Riservatezza"] = privacy.nota()
    return exports.prepara(df, formato, vista, _parti_filtro(filtri), info.data_estrazione, contesto)


def _parti_filtro(filtri: Filtri) -> list[str]:
    """The filters as they appear in a file name: year, then provinces and types when not all."""
    parti = [str(filtri.anno)]
    if not filtri.tutte_le_province:
        parti.append("-".join(filtri.province))
    if not filtri.tutti_i_tipi:
        parti.append("-".join(filtri.tipi))
    return parti


def scarica(
    df: pl.DataFrame,
    *,
    vista: str,
    filtri: Filtri,
    info: InfoDati,
    key: str,
    etichetta: str = "Scarica i dati",
    note: Mapping[str, str] | None = None,
) -> None:
    """Download of exactly the table shown, in the format chosen (Italian Excel CSV by default)."""
    col_formato, col_bottone = st.columns([2, 1], vertical_alignment="bottom")
    formato = col_formato.selectbox(
        "Formato", list(exports.FORMATI), format_func=exports.FORMATI.get, key=f"{key}_formato"
    )

    # The file is built only when the button is clicked: reruns of a page do not pay for it.
    def dati() -> bytes:
        return file_dati(df, formato, vista=vista, filtri=filtri, info=info, note=note).dati

    col_bottone.download_button(
        f"⬇ {etichetta}",
        dati,
        file_name=exports.nome_file(vista, _parti_filtro(filtri), info.data_estrazione, exports.ESTENSIONE[formato]),
        mime=exports.MIME[formato],
        key=f"{key}_download",
        on_click="ignore",
    )
