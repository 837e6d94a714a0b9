"""Entry point: page config, navigation, the shared filters and the 'Dati al' banner."""

from __future__ import annotations

import logging

import streamlit as st

from dashboard import components, esercizio, filters, loaders
from data_access import ROOT
from data_access.engine import ErroreDatabase, descrivi

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("cruscotto")

PAGES = ROOT / "pages"
PAGINE = [
    st.Page(
        PAGES / "panoramica.py",
        title="Panoramica",
        icon=":material/dashboard:",
        url_path="panoramica",
        default=True,
    ),
    st.Page(PAGES / "confronto.py", title="Confronto anni", icon=":material/compare_arrows:", url_path="confronto"),
    st.Page(PAGES / "mappe.py", title="Mappe province", icon=":material/map:", url_path="mappe"),
    st.Page(PAGES / "step_pal.py", title="Step PAL", icon=":material/filter_alt:", url_path="step-pal"),
    st.Page(PAGES / "casi.py", title="Casi alta complessità", icon=":material/warning:", url_path="casi"),
    st.Page(PAGES / "tavolo.py", title="Modalità tavolo", icon=":material/co_present:", url_path="tavolo"),
    st.Page(PAGES / "esporta.py", title="Esporta dati", icon=":material/download:", url_path="esporta"),
    st.Page(
        PAGES / "accessibilita.py",
        title="Accessibilità",
        icon=":material/accessibility_new:",
        url_path="accessibilita",
    ),
]

st.set_page_config(
    page_title="Cruscotto Crisi Lombardia", page_icon=str(ROOT / "assets" / "favicon.png"), layout="wide"
)
st.logo(str(ROOT / "assets" / "logo.svg"), size="large")
components.css()
pagina = st.navigation(PAGINE)
components.documento(pagina.title)


def _errore(exc: ErroreDatabase) -> None:
    log.error("database error: %s", exc.dettaglio)
    st.error(f"**Dati non disponibili.** {exc.messaggio}", icon=":material/database_off:")
    st.stop()


db_url = loaders.url()
try:
    info = loaders.info_dati(db_url)
    anni = loaders.anni(db_url)
except ErroreDatabase as exc:
    _errore(exc)
except LookupError as exc:
    _errore(ErroreDatabase("Il database non contiene i metadati dell'estrazione.", f"{exc} in {descrivi(db_url)}"))
if not anni:
    _errore(ErroreDatabase("Il database non contiene procedure.", f"no procedures in {descrivi(db_url)}"))

filtri = filters.sidebar(anni)
with st.sidebar:
    st.html(f'<p class="attribuzione">{components.ATTRIBUZIONE_GEO}.</p>')
components.banner_dati(info)
for avviso in filters.avvisi_link():
    st.warning(avviso, icon=":material/link_off:")

try:
    with esercizio.cronometro(pagina.title, filtri.descrizione()):  # a log line when a run exceeds the threshold
        pagina.run()
except ErroreDatabase as exc:
    _errore(exc)
except Exception:
    log.exception("unexpected error on page %s", pagina.title)
    st.error(
        "**Si è verificato un errore imprevisto.** La pagina non può essere mostrata; l'errore è stato registrato.",
        icon=":material/error:",
    )
