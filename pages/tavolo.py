"""Modalità tavolo: the dashboard as slides for the Tavolo regionale and the Tavoli bilaterali, and as PowerPoint."""

import logging
from datetime import date

import streamlit as st

from dashboard import deck, filters, loaders, pptx_export
from dashboard.components import tavolo as pezzi
from dashboard.letture import tavolo as riunione
from dashboard.loaders import tavolo as dati
from data_access import ROOT

log = logging.getLogger(__name__)
ASSETS = ROOT / "assets"
TASTI = "Frecce sinistra e destra o Pagina su e giù per cambiare slide"
KEY_TAVOLO, KEY_SLIDE, KEY_SLIDE_LINK = "tavolo_scelto", "tavolo_slide", "_tavolo_slide_link"

f = filters.correnti()
db = loaders.url()
info = loaders.info_dati(db)
st.html(ASSETS / "tavolo.css")
st.html((ASSETS / "tavolo.js").read_text(encoding="utf-8"), unsafe_allow_javascript=True)

if KEY_TAVOLO not in st.session_state:  # first run of the page: the link decides tavolo and slide
    raw = st.query_params.get("tavolo")
    scelto = riunione.leggi_tavolo(raw) or riunione.Tavolo(
        f.province[0] if len(f.province) == 1 else riunione.REGIONALE
    )
    if raw is not None and riunione.leggi_tavolo(raw) is None:
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
    codice = st.selectbox("Tavolo", riunione.CODICI_TAVOLO, key=KEY_TAVOLO, format_func=riunione.etichetta_tavolo,
                          on_change=lambda: st.session_state.update({KEY_SLIDE: 0}), width=420,
                          label_visibility="collapsed")  # fmt: skip
    snap = dati.snapshot_fissato(db, codice, f.anno, f.tipi, info)
    d = deck.costruisci(snap, date.today())
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


with st.container(key="copertina" if s.chiave == "titolo" else "slide"):
    st.html(f'<div class="slide-testa"><span>{d.tavolo.nome} · {d.filtri}</span><span>{d.dati_al}</span></div>')
    pezzi.slide(s)

with st.container(key="tavolo_nav", horizontal=True, vertical_alignment="center"):
    st.button("Precedente", icon=":material/arrow_back:", key="tavolo_prec", on_click=vai, args=(-1,), disabled=i == 0)
    st.html(f'<p class="slide-numero" aria-live="polite">{d.numero(i)}<span class="solo-lettori">. {TASTI}</span></p>')
    st.button("Successiva", icon=":material/arrow_forward:", key="tavolo_succ", on_click=vai, args=(1,),
              disabled=i == n - 1)  # fmt: skip
