"""Registro download: who took which file, when, with which filters and its SHA-256 (the directorate only)."""

from datetime import date, timedelta

import streamlit as st

from dashboard import components, exports, formatting
from dashboard.loaders import registro
from dashboard.viste import registro as vista

st.title("Registro download")
st.caption(
    "Ogni file consegnato dal cruscotto (tabelle, elenchi, schede dei casi, presentazioni dei tavoli) è registrato "
    "prima della consegna: chi, quando, da quale pagina, con quali filtri, il numero di righe e l'impronta SHA-256 "
    "del file. Il registro si può solo aggiungere: nessuna riga si modifica o si cancella."
)

oggi = date.today()
c1, c2, c3 = st.columns([3, 2, 3])
utente = c1.text_input("Utente (e-mail)", placeholder="Tutti gli utenti", key="registro_utente").strip().lower()
periodo = c2.date_input("Periodo", (oggi - timedelta(days=30), oggi), format="DD/MM/YYYY", key="registro_periodo")
dal, al = (periodo[0], periodo[-1]) if isinstance(periodo, tuple) and periodo else (None, None)
tutte = registro.righe(utente or None, dal, al, None)
viste = sorted(set(tutte["vista"].to_list()))
scelta = c3.selectbox("Pagina", viste, index=None, placeholder="Tutte le pagine", key="registro_vista")
righe = tutte if scelta is None else tutte.filter(tutte["vista"] == scelta)

st.markdown(vista.riepilogo(righe, dal, al))
tabella = vista.tabella(righe)
components.mostra_tabella(tabella)
nome = "_".join(["cruscotto_registro-download", *(d.isoformat() for d in (dal, al) if d)]) + ".csv"
components.scarica_file(
    "⬇ Scarica il registro (CSV per Excel)",
    lambda: exports.contenuto(tabella, "csv_it", {}),
    nome_file=nome,
    mime=exports.MIME["csv_it"],
    dataset="Registro download",
    filtri=vista.descrizione_filtri(utente, dal, al, scelta),
    formato="csv_it",
    righe=tabella.height,
    key="registro_csv",
)
st.caption(f"{formatting.numero(righe.height)} righe; orari in ora italiana; il CSV contiene le righe mostrate.")
