"""Reusable pieces of page: data banner, headline figures, chart with its table, downloads."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping

import plotly.graph_objects as go
import polars as pl
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import exports, formatting, privacy, sessione
from dashboard.charts import senza_titolo, titolo_di
from dashboard.contesto import ATTRIBUZIONE_GEO as ATTRIBUZIONE_GEO  # pages read it here with the widgets
from dashboard.contesto import Filtri, fonte
from dashboard.loaders import registro as registro_download
from dashboard.plotly_it import PLOTLY_IT
from dashboard.testo import html_ as testo_html
from data_access import ROOT, registro
from data_access.queries.meta import InfoDati

log = logging.getLogger(__name__)
CSS = ROOT / "assets" / "style.css"
CORNICE_JS = ROOT / "assets" / "cornice.js"
# No Plotly toolbar: its buttons (English, two dozen per page) would stand in the keyboard's way to the downloads,
# and the app offers the data behind every chart as a table and as files. Plotly's Italian locale travels with
# each chart's config: Streamlit's Plotly bundle registers no locale.
PLOTLY_CONFIG = {"displaylogo": False, "locale": "it", "locales": {"it": PLOTLY_IT}, "displayModeBar": False}
LINGUA = "it"
NOME_APP = "Cruscotto Crisi Lombardia"


AVVISO_RIPRESA = (
    "Il collegamento con il server si era interrotto ed è stato ripristinato: la pagina è stata ricaricata con gli "
    "stessi filtri."
)
_CHIAVE_RIPRESA = "_sessione_ripresa"


def sessione_precedente() -> str | None:
    """The id of the session this browser tab had before, if the server it reconnected to does not know it.

    On reconnecting, Streamlit's frontend sends its previous session id as the third Sec-WebSocket-Protocol entry;
    a server that still holds that session resumes it, any other one (a restarted replica, or another replica when
    the balancer moved the tab) starts a new session with a new id.
    """
    voci = [v.strip() for v in st.context.headers.get("Sec-Websocket-Protocol", "").split(",")]
    precedente = voci[2] if len(voci) >= 3 else ""
    ctx = get_script_run_ctx()
    if not precedente or ctx is None or precedente == ctx.session_id:
        return None
    return precedente


def avviso_ripresa() -> None:
    """Once per session: tell a user whose tab moved to a new session that the page was reloaded."""
    if _CHIAVE_RIPRESA in st.session_state:
        return
    precedente = sessione_precedente()
    st.session_state[_CHIAVE_RIPRESA] = precedente is not None
    if precedente is not None:
        logging.getLogger("cruscotto").info("session %s replaces %s, unknown to this server", _sessione(), precedente)
        st.info(AVVISO_RIPRESA, icon=":material/sync:")


def _sessione() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "?"


def css() -> None:
    """Load the app's stylesheet, and the script that puts the frame's last English labels into Italian."""
    st.html(f"<style>{CSS.read_text(encoding='utf-8')}</style>")
    st.html(CORNICE_JS.read_text(encoding="utf-8"), unsafe_allow_javascript=True)


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
    """One headline figure with its change on the previous year (a change without sign, e.g. «invariato», in grey)."""
    senza_segno = delta is not None and delta[:1] not in "+-−"
    st.metric(
        etichetta,
        valore,
        delta=delta,
        delta_color="off" if senza_segno else "normal" if buono_se_cresce else "inverse",
        delta_arrow="off" if senza_segno else "auto",
        help=aiuto,
        border=True,
    )


def grafico(
    fig: go.Figure, tabella: pl.DataFrame, *, key: str, titolo_tabella: str = "Tabella dei dati del grafico"
) -> None:
    """A chart with its message in words for screen readers, and its table one keystroke away (the expander after it).

    The chart's title and subtitle are drawn as page text above it: they wrap to the width the chart has, which
    a Plotly title (one line, cut at the figure's edge) cannot do on a 1280-pixel screen.
    """
    st.html(f'<p class="solo-lettori">{testo_html(alternativa(fig), None)}</p>')
    titolo, sottotitolo = titolo_di(fig)
    if titolo:
        st.html(titolo_grafico_html(titolo, sottotitolo))
        fig = senza_titolo(fig)
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key)
    with st.expander(titolo_tabella):
        mostra_tabella(tabella)


# The tags Plotly draws in titles (bold, italic, colour, sup/sub); other "<" are text, e.g. the privacy label "<3".
_TAG_PLOTLY = re.compile(r"</?(?:b|i|em|sup|sub|span)(?:\s[^<>]*)?>")


def titolo_grafico_html(titolo: str, sottotitolo: str = "") -> str:
    """A chart's title (the message) and subtitle as wrapping HTML; Plotly's line breaks become spaces."""

    def testo(t: str) -> str:
        return testo_html(_TAG_PLOTLY.sub("", t.replace("<br>", " ")), None)

    sotto = f'<p class="sottotitolo-grafico">{testo(sottotitolo)}</p>' if sottotitolo else ""
    return f'<div class="titolo-grafico"><p class="titolo-grafico-testo">{testo(titolo)}</p>{sotto}</div>'


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
    def dati() -> exports.File:
        return file_dati(df, formato, vista=vista, filtri=filtri, info=info, note=note)

    scarica_file(
        f"⬇ {etichetta}",
        dati,
        nome_file=exports.nome_file_formato(vista, _parti_filtro(filtri), info.data_estrazione, formato),
        mime=exports.MIME[formato],
        dataset=vista,
        filtri=filtri.descrizione(),
        formato=formato,
        righe=df.height,
        key=f"{key}_download",
        contenitore=col_bottone,
    )


def scarica_file(
    etichetta: str,
    costruisci: Callable[[], exports.File | bytes],
    *,
    nome_file: str,
    mime: str,
    dataset: str,
    filtri: str,
    formato: str,
    righe: int,
    key: str,
    contenitore: object | None = None,
    **opzioni: object,
) -> None:
    """The one download button of the app: the file is recorded in the export register before it is handed out.

    If the register cannot be written the button is replaced by a notice, and a file whose row the register refuses
    at the click is not delivered.
    """
    area = contenitore or st
    if registro_download.non_scrivibile() is not None:
        area.warning(
            "**Download non disponibile.** Il registro dei download non può essere scritto e nessun file viene "
            "consegnato senza essere registrato. Riprovare più tardi o avvisare l'assistenza.",
            icon=":material/block:",
        )
        return
    perimetro, pagina, scrittore = sessione.corrente(), sessione.vista_corrente(), registro_download.scrittore()

    def dati() -> bytes:  # runs at the click, outside the page's run: everything it needs is bound here
        fatto = costruisci()
        try:
            return registro.consegna(
                scrittore,
                fatto.dati if isinstance(fatto, exports.File) else fatto,
                email=perimetro.email or "(accesso non configurato)",
                ruolo=perimetro.ruolo,
                perimetro=",".join(perimetro.province),
                vista=pagina,
                dataset=dataset,
                filtri=filtri,
                formato=formato,
                righe=righe,
                nome_file=nome_file,
            )
        except registro.ErroreRegistro as exc:
            log.error("download refused, %s: %s", perimetro.email or "(open)", exc.dettaglio)
            raise

    area.download_button(etichetta, dati, file_name=nome_file, mime=mime, key=key, on_click="ignore", **opzioni)
