"""Casi alta complessità: the directorate's watch list of difficult crises, a case's detail and its brief."""

import polars as pl
import streamlit as st

from dashboard import components, filters, formatting, loaders, sessione
from dashboard.charts import casi as grafici
from dashboard.components import casi as pezzi
from dashboard.loaders import casi as dati
from dashboard.viste import casi as vista
from data_access.dominio import LIVELLI_RISCHIO, SIGLE, STATI_CASO

f = filters.correnti()
db = loaders.url()
info = loaders.info_dati(db)
al = info.data_estrazione
fonte = components.fonte(info)
tutti = dati.elenco(db, al, SIGLE)  # the loader keeps the cases of the user's perimeter

st.title("Casi ad alta complessità")
st.caption(
    f"Fotografia al **{formatting.data(al)}**, data di estrazione dei dati: giorni alla scadenza, scadenze superate e "
    "giorni senza aggiornamento sono contati a quella data, non a oggi. Dalla barra laterale valgono province e tipo "
    "di procedura (basta una unità o una procedura del caso); l'anno non si applica ai vista."
)
riquadro_kpi = st.container()
c1, c2, c3, c4 = st.columns([2, 2, 3, 2])  # room for the two default states on one line
testo = c1.text_input("Cerca azienda", placeholder="Parte della ragione sociale")
settori = vista.settori(tutti)
scelti = c2.multiselect("Settore ATECO", list(settori), format_func=settori.get, placeholder="Tutti i settori")
stati = c3.multiselect("Stato", STATI_CASO, default=list(vista.STATI_APERTI), placeholder="Tutti gli stati")
rischi = c4.multiselect("Rischio", LIVELLI_RISCHIO, placeholder="Tutti i livelli")
elenco = vista.filtra(vista.nella_barra(tutti, f), settori=scelti, stati=stati, rischi=rischi, testo=testo)
with riquadro_kpi:
    pezzi.indicatori(elenco)

codici = elenco["codice"].to_list()
tabella = vista.tabella_elenco(elenco)
caso = pezzi.elenco(tabella, codici, pezzi.caso_dal_link(tutti))
components.scarica(
    tabella, vista="Casi alta complessità", filtri=f, info=info, key="casi", etichetta="Scarica l'elenco"
)
filters.scrivi_in_url(pezzi.PARAM_CASO, caso)
if caso is None:
    st.stop()

riga = tutti.filter(pl.col("codice") == caso).row(0, named=True)
det = dati.dettaglio(db, caso, al, SIGLE)
st.divider()
with pezzi.dettaglio():  # brought into view when a case is opened, with the way back to the list on top
    pezzi.intestazione(riga, nei_filtri=caso in codici)
    if not sessione.corrente().tutte:
        st.caption(pezzi.NOTA_PARTE_DEL_CASO)
    components.grafico(
        grafici.cronologia(det.procedure, det.tavoli, det.progressione, riga, al, fonte),
        vista.tabella_procedure(det.procedure),
        key="casi_cronologia",
        titolo_tabella="Procedure del caso (tabella)",
    )
    sinistra, destra = st.columns(2)
    with sinistra:
        pezzi.fasi(det, fonte)
    with destra:
        st.markdown(pezzi.titolo_unita(riga))
        st.pydeck_chart(grafici.mappa_unita(det.unita, riga["province"]), height=400)
        pezzi.tabella_unita(det)
    pezzi.note_e_scheda(riga, det, info)
