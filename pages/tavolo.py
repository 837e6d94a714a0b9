"""Modalità tavolo: the dashboard as slides for the Tavolo regionale and the Tavoli bilaterali, and as PowerPoint."""

import logging
import re
from datetime import date

import streamlit as st

from dashboard import components, deck, filters, loaders, pptx_export, sessione, testo
from dashboard.components import tavolo as pezzi
from dashboard.letture import tavolo as riunione
from dashboard.loaders import tavolo as dati
from data_access import ROOT

log = logging.getLogger(__name__)
ASSETS = ROOT / "assets"
TASTI = "Frecce sinistra e destra o Pagina su e giù per cambiare slide"
KEY_TAVOLO, KEY_SLIDE, KEY_SLIDE_LINK = "tavolo_scelto", "tavolo_slide", "_tavolo_slide_link"
KEY_GIORNO = "tavolo_giorno"

f = filters.correnti()
db = loaders.url()
info = loaders.info_dati(db)
st.html(ASSETS / "tavolo.css")
st.html((ASSETS / "tavolo.js").read_text(encoding="utf-8"), unsafe_allow_javascript=True)

ammessi = sessione.corrente().tavoli_ammessi(riunione.CODICI_TAVOLO)  # the perimeter's tavoli only
if KEY_TAVOLO not in st.session_state:  # first run of the page: the link decides tavolo and slide
    raw = st.query_params.get("tavolo")
    predefinito = f.province[0] if len(f.province) == 1 else riunione.REGIONALE
    predefinito = riunione.Tavolo(predefinito if predefinito in ammessi else ammessi[0])
    chiesto = riunione.leggi_tavolo(raw)
    scelto = chiesto if chiesto is not None and chiesto.codice in ammessi else predefinito
    if raw is not None and chiesto is None:
        log.warning("link parameter tavolo=%r ignored", raw)
        st.warning(f"Tavolo «{testo.md(raw, 40)}» non riconosciuto nel link: mostro il {scelto.nome.lower()}.")
    elif chiesto is not None and chiesto.codice not in ammessi:
        log.warning("link parameter tavolo=%r outside the perimeter", raw)
        st.warning(f"Il {chiesto.nome.lower()} non è tra quelli che può consultare: mostro il {scelto.nome.lower()}.")
    st.session_state[KEY_TAVOLO] = scelto.codice
    st.session_state[KEY_SLIDE_LINK] = st.query_params.get("slide")
    st.session_state[KEY_SLIDE] = 0


def vai(passo: int) -> None:
    """Move by some slides (the buttons and the keyboard arrows)."""
    st.session_state[KEY_SLIDE] += passo


with st.container(key="tavolo_barra", horizontal=True, vertical_alignment="center"):
    st.page_link("../pages/panoramica.py", label="Esci", icon=":material/close:", query_params=filters.a_query(f))
    codice = st.selectbox("Tavolo", ammessi, key=KEY_TAVOLO, format_func=riunione.etichetta_tavolo,
                          on_change=lambda: st.session_state.update({KEY_SLIDE: 0}), width=420,
                          label_visibility="collapsed")  # fmt: skip
    giorno = st.date_input("Data della riunione", key=KEY_GIORNO, value=date.today(), format="DD/MM/YYYY",
                           width=190, label_visibility="collapsed", help="Data della riunione")  # fmt: skip
    snap = dati.snapshot_fissato(db, codice, f.anno, f.tipi, info)
    d = deck.costruisci(snap, giorno)
    n_slide = len(d.slides)  # the register counts a deck's slides as its rows
    if info.data_estrazione > snap.info.data_estrazione:
        st.button("Nuovi dati: aggiorna", icon=":material/refresh:", on_click=dati.aggiorna, type="primary")
    try:
        pptx_export.percorso_chromium()
        components.scarica_file("Scarica PowerPoint", lambda: dati.pptx(db, snap, snap.chiave, d.giorno),
                                nome_file=f"{d.nome_file}.pptx", mime=pptx_export.MIME, dataset=d.tavolo.nome,
                                filtri=d.filtri, formato="pptx", righe=n_slide, key="tavolo_pptx",
                                icon=":material/download:")  # fmt: skip
    except pptx_export.ErroreEsportazione as exc:
        log.error("pptx export unavailable: %s", exc.dettaglio)
        st.caption(exc.messaggio)

n = len(d.slides)
raw_slide = st.session_state.pop(KEY_SLIDE_LINK, None)
if raw_slide is not None:
    # ASCII digits only: str.isdigit() accepts '²', which int() rejects.
    if re.fullmatch(r"[0-9]{1,4}", raw_slide.strip()) and 1 <= int(raw_slide) <= n:
        st.session_state[KEY_SLIDE] = int(raw_slide) - 1
    else:
        log.warning("link parameter slide=%r ignored", raw_slide)
        st.warning(f"La slide «{testo.md(raw_slide, 40)}» non esiste (sono {n}): mostro la prima.")
i = st.session_state[KEY_SLIDE] = min(max(st.session_state[KEY_SLIDE], 0), n - 1)
filters.scrivi_in_url("tavolo", codice)
filters.scrivi_in_url("slide", str(i + 1))
s = d.slides[i]


with st.container(key="copertina" if s.chiave == "titolo" else "slide"):
    st.html(f'<div class="slide-testa"><span>{d.tavolo.nome} · {d.filtri}</span><span>{d.dati_al}</span></div>')
    pezzi.slide(s, d.info)

with st.container(key="tavolo_nav", horizontal=True, vertical_alignment="center"):
    st.button("Precedente", icon=":material/arrow_back:", key="tavolo_prec", on_click=vai, args=(-1,), disabled=i == 0)
    pezzi.tabella_del_grafico(s)
    st.html(f'<p class="slide-numero" aria-live="polite">{d.numero(i)}<span class="solo-lettori">. {TASTI}</span></p>')
    st.button("Successiva", icon=":material/arrow_forward:", key="tavolo_succ", on_click=vai, args=(1,),
              disabled=i == n - 1)  # fmt: skip
