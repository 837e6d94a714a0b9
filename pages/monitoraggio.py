"""Monitoraggio trimestrale: who among the Nuclei crisi has sent each quarter, what they declare, how it compares."""

import streamlit as st

from dashboard import components, filters, formatting, loaders, privacy
from dashboard.charts import monitoraggio as grafici
from dashboard.letture import monitoraggio as letture
from dashboard.loaders import monitoraggio as dati
from dashboard.viste import monitoraggio as vm
from data_access.dominio import TIPO, TIPO_MODELLO_STEP

f = filters.correnti()
db = loaders.url()
info = loaders.info_dati(db)
fonte = components.fonte(info, "Nuclei crisi territoriali e Regione Lombardia, DG Istruzione, Formazione, Lavoro")
imp = letture.impostazioni()
m = dati.vista(db, f.anno, f.province, info.data_estrazione, imp.scadenza_gg, imp.tolleranza)
cigs_min = TIPO[TIPO_MODELLO_STEP].etichetta

st.title(f"Monitoraggio trimestrale {f.anno}")
st.caption(
    f"{f.descrizione()} — PAL attivate per i lavoratori in {cigs_min}, come le dichiarano ogni trimestre i Nuclei "
    "crisi, confrontate con i microdati del modello a step e con le tabelle pubblicate"
)
for avviso in imp.avvisi:
    st.warning(avviso, icon=":material/settings:")


def scarica(df, vista: str, key: str, etichetta: str = "Scarica i dati") -> None:
    """The download of a table, named after the page."""
    components.scarica(df, vista=f"Monitoraggio - {vista}", filtri=f, info=info, key=key, etichetta=etichetta)


def pubblicate() -> None:
    """The database against the Region's published 2024 and 2025 tables."""
    st.subheader(f"Database e tabelle pubblicate: {vm.esito_pubblicate(m.pubblicate)}", anchor=False)
    diverse = vm.pubblicate_tabella(m.pubblicate)
    if diverse.is_empty():
        st.success(
            "0 differenze: ogni cella delle tabelle 2024 e 2025 coincide con il database.", icon=":material/check:"
        )
    else:
        components.mostra_tabella(diverse)
    scarica(vm.pubblicate_download(m.pubblicate), "Tabelle pubblicate", "mon_pubblicate")


r = m.riepilogo
ric, procedure = m.riconciliazione_province, m.riconciliazione_procedure
cifre = vm.indicatori(r, m.cifre, ric, m.pubblicate, m.scadenza_gg, m.tolleranza, f.anno)
for riga in (cifre[:3], cifre[3:]):
    for colonna, (etichetta, valore, aiuto) in zip(st.columns(3), riga, strict=True):
        with colonna:
            components.kpi(etichetta, valore, aiuto=aiuto)

if TIPO_MODELLO_STEP not in f.tipi or not m.inviati:
    motivo = "aggiungerle tra i tipi di procedura" if TIPO_MODELLO_STEP not in f.tipi else "nessun trimestre caricato"
    st.info(f"Il monitoraggio trimestrale riguarda le {cigs_min} ({motivo} per il {f.anno}).")
    pubblicate()
    st.stop()

schede = st.tabs(["Chi ha inviato", "Cifre dichiarate", "Riconciliazione con i microdati", "Tabelle pubblicate"])
with schede[0]:
    components.grafico(grafici.invii(m.griglia, r, fonte), vm.griglia_tabella(m.griglia), key="mon_invii")
    scarica(vm.griglia_download(m.griglia), "Invii", "mon_griglia")
    with st.expander("Storico delle versioni inviate"):
        storico = m.storico.select(list(vm.TABELLA_STORICO)).rename(vm.TABELLA_STORICO)
        components.mostra_tabella(formatting.testo_tabella(storico))
        scarica(storico, "Storico invii", "mon_storico")
with schede[1]:
    tabella_misure = vm.misure_tabella(m.per_misura)
    components.grafico(grafici.misure(m.per_misura, fonte), formatting.testo_tabella(tabella_misure), key="mon_misure")
    scarica(tabella_misure, "PAL per misura", "mon_misure_dati", "Scarica le PAL per misura")
    st.subheader("Per provincia e trimestre, dall'inizio dell'anno e sull'anno precedente", anchor=False)
    components.mostra_tabella(vm.cifre_tabella(m.cifre))
    scarica(m.cifre.select(list(vm.TABELLA_CIFRE)).rename(vm.TABELLA_CIFRE), "Cifre dichiarate", "mon_cifre")
with schede[2]:
    fig = grafici.differenze(m.differenze_province, m.tolleranza, fonte)
    components.grafico(fig, vm.riconciliazione_tabella(ric.filter(ric["voce"] == vm.PAL_TOTALE), False), key="mon_diff")
    solo = st.toggle("Solo le righe con una differenza", value=True, key="mon_solo_differenze")
    st.subheader("Per provincia e trimestre", anchor=False)
    components.mostra_tabella(vm.riconciliazione_tabella(ric, solo))
    scarica(vm.riconciliazione_download(ric), "Riconciliazione province", "mon_ric")
    st.subheader("Per procedura", anchor=False)
    components.mostra_tabella(vm.procedure_tabella(procedure, solo))
    scarica(vm.procedure_download(procedure), "Riconciliazione procedure", "mon_ric_proc")
    st.subheader(f"Dichiarate ma non tra le {cigs_min} in VertenzeOnline", anchor=False)
    components.mostra_tabella(vm.sconosciute_tabella(m.sconosciute))
    scarica(vm.sconosciute_tabella(m.sconosciute), "Procedure sconosciute", "mon_sconosciute")
    st.subheader("In VertenzeOnline, con lavoratori nel trimestre, ma non dichiarate", anchor=False)
    components.mostra_tabella(vm.non_dichiarate_tabella(m.non_dichiarate))
    scarica(vm.non_dichiarate_tabella(m.non_dichiarate), "Procedure non dichiarate", "mon_non_dichiarate")
with schede[3]:
    pubblicate()
st.caption(f"{vm.nota_scadenza(m.scadenza_gg, m.tolleranza)} {privacy.nota()}")
