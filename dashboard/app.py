"""Entry point: page config, navigation, the shared filters and the 'Dati al' banner."""

from __future__ import annotations

import logging

import streamlit as st

from dashboard import avvio

avvio.importa_tutto()  # before any other import of the app: concurrent first runs must not import in parallel

from dashboard import components, esercizio, filters, loaders, sessione, testo  # noqa: E402
from data_access import ROOT  # noqa: E402
from data_access.engine import ErroreDatabase, descrivi  # noqa: E402

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("cruscotto")

PAGES = ROOT / "pages"
# The first page the user may open is the default one (sessione.navigazione puts it first).
PAGINE = [
    st.Page(
        PAGES / "panoramica.py",
        title="Panoramica",
        icon=":material/dashboard:",
        url_path="home",  # reserved by Streamlit for the default page (served at /); /panoramica is the alias
    ),
    st.Page(PAGES / "confronto.py", title="Confronto anni", icon=":material/compare_arrows:", url_path="confronto"),
    st.Page(PAGES / "mappe.py", title="Mappe province", icon=":material/map:", url_path="mappe"),
    st.Page(PAGES / "step_pal.py", title="Step PAL", icon=":material/filter_alt:", url_path="step-pal"),
    st.Page(PAGES / "casi.py", title="Casi alta complessità", icon=":material/warning:", url_path="casi"),
    st.Page(PAGES / "misure.py", title="Misure PAL", icon=":material/payments:", url_path="misure"),
    st.Page(
        PAGES / "monitoraggio.py",
        title="Monitoraggio trimestrale",
        icon=":material/fact_check:",
        url_path="monitoraggio",
    ),
    st.Page(PAGES / "tavolo.py", title="Modalità tavolo", icon=":material/co_present:", url_path="tavolo"),
    st.Page(PAGES / "esporta.py", title="Esporta dati", icon=":material/download:", url_path="esporta"),
    st.Page(PAGES / "report.py", title="Report bimestrale", icon=":material/picture_as_pdf:", url_path="report"),
    st.Page(PAGES / "registro.py", title="Registro download", icon=":material/receipt_long:", url_path="registro"),
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
perimetro = sessione.accedi()  # the login, refusal or error screen stops the run here
pagine = sessione.navigazione(PAGINE, perimetro)


def _alla_home() -> None:
    """The home page's own name in a link (/panoramica) leads home, not to an English 'Page not found'."""
    st.switch_page(pagine[0])


# Not in the menu: it only answers the links that name the home page.
pagina = st.navigation([*pagine, st.Page(_alla_home, title="Panoramica", url_path="panoramica", visibility="hidden")])
sessione.imposta_vista(pagina.title)
components.documento(pagina.title)


def _errore(exc: ErroreDatabase) -> None:
    log.error("database error: %s", exc.dettaglio)
    st.error(f"**Dati non disponibili.** {exc.messaggio}", icon=":material/database_off:")
    st.stop()


try:
    db_url = loaders.url()
    loaders.allinea_cache(db_url)
    info = loaders.info_dati(db_url)
    anni = loaders.anni(db_url)
except ErroreDatabase as exc:
    _errore(exc)
except LookupError as exc:
    _errore(
        ErroreDatabase("Il database non contiene i metadati dell'estrazione.", f"{exc} in {descrivi(loaders.url())}")
    )
if not anni:
    _errore(ErroreDatabase("Il database non contiene procedure.", f"no procedures in {descrivi(db_url)}"))

sessione.barra_utente(perimetro)
filtri = filters.sidebar(anni, perimetro.province_filtro)
with st.sidebar:
    st.html(f'<p class="attribuzione">{components.ATTRIBUZIONE_GEO}.</p>')
components.avviso_ripresa()
components.banner_dati(info)
for avviso in filters.avvisi_link():
    st.warning(avviso, icon=":material/link_off:")
richiesta = filters.pagina_sconosciuta(
    st.context.url, [p.url_path for p in PAGINE], str(st.get_option("server.baseUrlPath") or "")
)
if richiesta is not None:
    log.warning("unknown page requested: %r", richiesta)
    st.warning(
        f"La pagina «{testo.md(richiesta, 60)}» non esiste: mostro la {pagina.title.lower()}.",
        icon=":material/link_off:",
    )

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
