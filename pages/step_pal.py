"""Step PAL: the step model of decreto 5151/2025 — how far the workers got, where, and how fast."""

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import components, filters, loaders
from dashboard.charts import step_pal as grafici
from dashboard.loaders import eventi as calendario
from dashboard.loaders import step_pal as dati
from dashboard.viste import eventi
from dashboard.viste import step_pal as vista
from data_access.dominio import GIORNI_OBIETTIVO_GOL, STATI_PERCORSO, STEPS, TIPO, TIPO_MODELLO_STEP

f = filters.correnti()
db = loaders.url()
info = loaders.info_dati(db)
fonte = components.fonte(info)
cigs_min = TIPO[TIPO_MODELLO_STEP].etichetta

st.title(f"Step PAL {f.anno}")
st.caption(f"{f.descrizione()} — modello a step per le {cigs_min} con obbligo di PAL (decreto regionale 5151/2025)")

if TIPO_MODELLO_STEP not in f.tipi:
    st.info(f"Il modello a step riguarda solo le {cigs_min}: aggiungerle tra i tipi di procedura per vederlo.")
    st.stop()
percorsi = dati.percorsi(db, f.anno, f.province)
if percorsi.is_empty():
    st.info(vista.senza_coorte(f.anno))
    st.stop()

totale = "Lombardia" if f.tutte_le_province else "Selezione"
coorte = vista.coorte(percorsi)
funnel, stato = vista.funnel(percorsi), vista.stato_attuale(percorsi)
province = vista.province(percorsi, totale)
mensili_grezzi = dati.coorti_mensili(db, f.anno, f.province, info.data_estrazione)
tempi = vista.tempi(dati.mediane(db, f.anno, f.province), mensili_grezzi, totale)
misure = dati.misure(db, f.anno, f.province)


def sezione(
    fig: go.Figure, df: pl.DataFrame, colonne: dict[str, str], key: str, titolo: str, scarica: bool = True
) -> None:
    """A chart with its table (hidden cells as on screen) and the download of the same figures."""
    components.grafico(fig, vista.per_schermo(df, colonne), key=key, titolo_tabella=f"{titolo} (tabella)")
    if scarica:
        components.scarica(vista.per_download(df, colonne), vista=f"Step PAL - {titolo}", filtri=f, info=info, key=key)


for colonna, (etichetta, valore, aiuto) in zip(st.columns(6), vista.indicatori(funnel, tempi, coorte), strict=True):
    with colonna:
        components.kpi(etichetta, valore, aiuto=aiuto)

sinistra, destra = st.columns([3, 2], gap="large")
with sinistra:
    sezione(
        grafici.funnel(funnel, coorte, fonte), funnel, vista.TABELLA_FUNNEL, "step_funnel", "Lavoratori per step", False
    )
with destra:
    st.subheader("Gli step del modello", anchor=False)
    st.markdown("\n".join(f"- **{s.etichetta}** · {s.descrizione}" for s in STATI_PERCORSO))
    st.caption(vista.NOTA_FUNNEL)
    riepilogo = vista.per_download(vista.riepilogo(funnel, stato), vista.TABELLA_RIEPILOGO)
    components.scarica(riepilogo, vista="Step PAL - Funnel", filtri=f, info=info, key="step_riepilogo")
sezione(
    grafici.stato_attuale(stato, coorte, fonte, f.anno),
    stato,
    vista.TABELLA_STATO,
    "step_stato",
    "Situazione attuale",
    False,
)

gol = f"{GIORNI_OBIETTIVO_GOL} giorni"
schede = st.tabs(["Province a confronto", f"Tempi e obiettivo {gol}", "Prese in carico per mese", "Misure e operatori"])
with schede[0]:
    sezione(grafici.province(province, fonte), province, vista.TABELLA_PROVINCE, "step_province", "Province")
with schede[1]:
    sezione(grafici.tempi(tempi, fonte), tempi, vista.TABELLA_TEMPI, "step_tempi", "Tempi per provincia")
    st.caption(f"Programma GOL: politiche attive entro 4 mesi ({gol}) per chi percepisce un sostegno al reddito.")
with schede[2]:
    mensili = vista.mensili(mensili_grezzi)
    fatti = eventi.eventi(calendario.sedute(db, tuple(sorted(set(mensili["anno_presa"]))), f.province))
    sezione(grafici.mensili(mensili, fonte, fatti), mensili, vista.TABELLA_MENSILI, "step_mesi", "Coorti mensili")
with schede[3]:
    per_misura = vista.misure(misure, vista.nascosto(funnel, "lavoratori", pl.col("codice") == STEPS[-1].codice))
    sezione(grafici.misure(per_misura, fonte), per_misura, vista.TABELLA_MISURE, "step_misure", "PAL per misura", False)
    griglia = vista.per_download(vista.misure_per_provincia(misure, province), vista.TABELLA_MISURE_PROVINCIA)
    components.scarica(
        griglia,
        vista="Step PAL - Misure per provincia",
        filtri=f,
        info=info,
        key="step_misure",
        etichetta="Scarica le misure per provincia",
    )
    operatori = vista.operatori(dati.operatori(db, f.anno, f.province), province)
    sezione(grafici.operatori(operatori, fonte), operatori, vista.TABELLA_OPERATORI, "step_operatori", "Operatori")
st.caption(vista.nota_riservatezza())
