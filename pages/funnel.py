"""Step PAL: the step model of decreto 5151/2025 — how far the workers got, where, and how fast."""

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import components, filters, loaders
from dashboard import step as sp
from dashboard.charts import step as grafici
from dashboard.loaders import step as dati
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
    if f.anno < sp.ANNO_AVVIO:
        st.info(f"Il modello a step è partito con il decreto regionale 5151 del 10/04/2025: nel {f.anno} non c'è "
                "una coorte di lavoratori da seguire.")  # fmt: skip
    else:
        st.info(f"Nessun lavoratore in {cigs_min} nel modello a step per le province scelte nel {f.anno}.")
    st.stop()

totale = "Lombardia" if f.tutte_le_province else "Selezione"
coorte = sp.coorte(percorsi)
funnel, stato = sp.funnel(percorsi), sp.stato_attuale(percorsi)
province = sp.province(percorsi, totale)
mensili_grezzi = dati.coorti_mensili(db, f.anno, f.province, info.data_estrazione)
tempi = sp.tempi(dati.mediane(db, f.anno, f.province), mensili_grezzi, totale)
misure = dati.misure(db, f.anno, f.province)


def sezione(fig: go.Figure, df: pl.DataFrame, colonne: dict[str, str], key: str, titolo: str) -> None:
    """A chart with its table (hidden cells as on screen) and the download of the same figures."""
    components.grafico(fig, sp.per_schermo(df, colonne), key=key, titolo_tabella=f"{titolo} (tabella)")
    components.scarica(sp.per_download(df, colonne), vista=f"Step PAL - {titolo}", filtri=f, info=info, key=key)


for colonna, (etichetta, valore, aiuto) in zip(st.columns(6), sp.indicatori(funnel, tempi, coorte), strict=True):
    with colonna:
        components.kpi(etichetta, valore, aiuto=aiuto)

sinistra, destra = st.columns([3, 2], gap="large")
with sinistra:
    components.grafico(grafici.funnel(funnel, coorte, fonte), sp.per_schermo(funnel, sp.TABELLA_FUNNEL),
                       key="step_funnel", titolo_tabella="Lavoratori per step (tabella)")  # fmt: skip
with destra:
    st.subheader("Gli step del modello", anchor=False)
    st.markdown("\n".join(f"- **{s.etichetta}** · {s.descrizione}" for s in STATI_PERCORSO))
    st.caption("Un lavoratore è arrivato a uno step quando ne è registrata la data. La conversione è la quota di "
               "chi, arrivato allo step precedente, è arrivato anche a questo.")  # fmt: skip
    riepilogo = sp.per_download(sp.riepilogo(funnel, stato), sp.TABELLA_RIEPILOGO)
    components.scarica(riepilogo, vista="Step PAL - funnel", filtri=f, info=info, key="step_riepilogo")
components.grafico(grafici.stato_attuale(stato, coorte, fonte, f.anno), sp.per_schermo(stato, sp.TABELLA_STATO),
                   key="step_stato", titolo_tabella="Situazione attuale (tabella)")  # fmt: skip

schede = st.tabs(["Province a confronto", f"Tempi e obiettivo {GIORNI_OBIETTIVO_GOL} giorni",
                  "Prese in carico per mese", "Misure PAL e operatori"])  # fmt: skip
with schede[0]:
    sezione(grafici.province(province, fonte), province, sp.TABELLA_PROVINCE, "step_province", "province")
with schede[1]:
    sezione(grafici.tempi(tempi, fonte), tempi, sp.TABELLA_TEMPI, "step_tempi", "tempi per provincia")
    st.caption(f"Obiettivo del programma GOL: politiche attive entro 4 mesi ({GIORNI_OBIETTIVO_GOL} giorni) per chi "
               "percepisce un sostegno al reddito. Le mediane su meno lavoratori della soglia di riservatezza non "
               "sono mostrate.")  # fmt: skip
with schede[2]:
    mensili = sp.mensili(mensili_grezzi)
    sezione(grafici.mensili(mensili, fonte), mensili, sp.TABELLA_MENSILI, "step_mesi", "coorti mensili")
with schede[3]:
    per_misura = sp.misure(misure, sp.nascosto(funnel, "lavoratori", pl.col("codice") == STEPS[-1].codice))
    components.grafico(grafici.misure(per_misura, fonte), sp.per_schermo(per_misura, sp.TABELLA_MISURE),
                       key="step_misure", titolo_tabella="PAL per misura (tabella)")  # fmt: skip
    griglia = sp.per_download(sp.misure_per_provincia(misure, province), sp.TABELLA_MISURE_PROVINCIA)
    components.scarica(griglia, vista="Step PAL - misure per provincia", filtri=f, info=info, key="step_misure",
                       etichetta="Scarica le misure per provincia")  # fmt: skip
    operatori = sp.operatori(dati.operatori(db, f.anno, f.province), province)
    sezione(grafici.operatori(operatori, fonte), operatori, sp.TABELLA_OPERATORI, "step_operatori", "operatori")
st.caption(sp.nota_riservatezza())
