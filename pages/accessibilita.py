"""Dichiarazione di accessibilità: conformance level, known limits, how it is checked, where to report a problem."""

from html import escape

import streamlit as st

from dashboard.viste import accessibilita as vista

contatto = vista.contatto()

st.title("Dichiarazione di accessibilità")
st.markdown(f"Regione Lombardia si impegna a rendere accessibile questo servizio. Riferimento: {vista.LIVELLO}.")
st.header("Stato di conformità", anchor=False)
st.markdown(vista.STATO)
st.header("Contenuti non accessibili e alternative", anchor=False)
st.markdown("\n".join(f"- {limite}" for limite in vista.LIMITI))
st.header("Uso da tastiera", anchor=False)
st.markdown(vista.TASTIERA)
st.header("Come è verificato", anchor=False)
st.markdown(vista.VERIFICA)
st.header("Segnalazioni", anchor=False)
st.html(
    "<p>Per segnalare un problema di accessibilità o chiedere i dati in un altro formato scrivere a "
    f'<a href="{escape(contatto.link)}">{escape(contatto.indirizzo)}</a>. In caso di risposta insoddisfacente '
    "è possibile rivolgersi al Difensore civico per il digitale presso "
    '<a href="https://www.agid.gov.it/">AgID</a>.</p>'
)
