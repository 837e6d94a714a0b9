"""Misure PAL: who each measure reaches, where, what is committed and spent against the budget, and the rules."""

import polars as pl
import streamlit as st

from dashboard import components, filters, loaders
from dashboard.charts import misure as grafici
from dashboard.loaders import eventi as calendario
from dashboard.loaders import misure as dati
from dashboard.viste import eventi
from dashboard.viste import misure as vm
from data_access.dominio import MISURA, MISURA_PROGETTI

f = filters.correnti()
db = loaders.url()
info = loaders.info_dati(db)
fonte = components.fonte(info, "Regione Lombardia, applicativi SIUL, Bandi e Servizi (BES) e SIUF")
q = dati.quadro(db, f.anno, f.province)
controlli = dati.controlli(db, f.province)
rete = MISURA[MISURA_PROGETTI]

st.title(f"Misure PAL {f.anno}")
st.caption(f"{f.descrizione()} — doti, voucher e progetti per misura (il tipo di procedura non si applica alle misure)")


def sezione(fig, df: pl.DataFrame, colonne: dict[str, str], key: str, titolo: str) -> None:
    """A chart with its table and the download of the same figures."""
    components.grafico(fig, vm.per_schermo(df, colonne), key=key, titolo_tabella=f"{titolo} (tabella)")
    tabella(df, colonne, key, titolo, mostra=False)


def tabella(
    df: pl.DataFrame, colonne: dict[str, str], key: str, titolo: str, mostra: bool = True, a_schermo: dict | None = None
) -> None:
    """A table (Italian text, hidden cells as labels) and its download; `a_schermo` narrows the columns shown."""
    if mostra:
        components.mostra_tabella(vm.per_schermo(df, a_schermo or colonne))
    components.scarica(vm.per_download(df, colonne), vista=f"Misure PAL - {titolo}", filtri=f, info=info, key=key)


bilancio = vm.bilancio(q, f.tutte_le_province)
collegamento = vm.collegamento(q)
if q.totali.filter(pl.col("anno") == f.anno).is_empty() and collegamento["step4"].sum() == 0:
    st.info(f"Nessun intervento delle misure PAL assegnato nel {f.anno} per le province scelte.")
for colonna, (etichetta, valore, aiuto) in zip(st.columns(5), vm.indicatori(q, collegamento, controlli), strict=True):
    with colonna:
        components.kpi(etichetta, valore, aiuto=aiuto)

sezione(grafici.bilancio(bilancio, fonte), bilancio, vm.TABELLA_BILANCIO, "misure_bilancio", "Dotazioni e impegni")
st.caption(vm.NOTA_IMPORTI + ("" if f.tutte_le_province else " " + vm.NOTA_PERIMETRO))

confronto, anni = vm.confronto(q)
schede = st.tabs(
    [" e ".join(map(str, anni)) or str(f.anno), "Per provincia", "Per mese", "Dallo STEP 4 alla misura",
     f"Progetti {MISURA_PROGETTI}", "Operatori ed esiti"]
)  # fmt: skip
with schede[0]:
    colonne = {"misura": "Misura", **vm.colonne_confronto(anni)}
    grafico = grafici.confronto(vm.lungo_confronto(confronto, anni), anni, f.anno, vm.lavoratori_per_anno(q), fonte)
    sezione(grafico, confronto, colonne, "misure_anni", "Confronto tra anni")
with schede[1]:
    province = vm.province(q)
    sezione(grafici.province(province, fonte, f.anno), province, vm.TABELLA_PROVINCE, "misure_province", "Province")
    griglia = vm.griglia_province(province)
    components.mostra_tabella(griglia)
    components.scarica(griglia, vista="Misure PAL - Province per misura", filtri=f, info=info, key="misure_griglia")
with schede[2]:
    mesi = vm.mesi(q)
    fatti = eventi.eventi(calendario.sedute(db, (f.anno,), f.province))
    sezione(grafici.mesi(mesi, fonte, f.anno, fatti), mesi, vm.TABELLA_MESI, "misure_mesi", "Interventi per mese")
with schede[3]:
    sezione(grafici.collegamento(collegamento, fonte), collegamento, vm.TABELLA_COLLEGAMENTO, "misure_step4",
            "Dallo STEP 4 alla misura")  # fmt: skip
    st.caption(vm.NOTA_COLLEGAMENTO)
with schede[4]:
    progetti = vm.progetti(q, rete.minimo_lavoratori_progetto, rete.massimo_aziende_progetto)
    st.caption(vm.nota_progetti(rete))
    tabella(progetti, vm.TABELLA_PROGETTI, "misure_progetti", f"Progetti {MISURA_PROGETTI}")
with schede[5]:
    tabella(q.operatori, vm.TABELLA_OPERATORI, "misure_operatori", "Operatori per misura")
    tabella(vm.esiti(q), vm.TABELLA_ESITI, "misure_esiti", "Esiti a 180 giorni")

st.header("Controlli sulle regole delle misure", anchor="controlli")
st.caption(vm.NOTA_CONTROLLI)
# The rule's wording is too long for a grid cell: on screen it is under each check's heading, in the file a column.
tabella(vm.riepilogo_controlli(controlli), vm.TABELLA_RIEPILOGO_CONTROLLI, "misure_controlli", "Controlli",
        a_schermo=vm.TABELLA_RIEPILOGO_CONTROLLI_SCHERMO)  # fmt: skip
for c in controlli:
    with st.expander(vm.titolo_controllo(c), expanded=False, icon=vm.icona(c)):
        st.caption(c.regola)
        if c.righe.is_empty():
            st.success("Nessuna riga viola la regola.", icon=":material/check_circle:")
        else:
            tabella(c.righe, vm.controllo_colonne(c), f"misure_c_{c.codice}", f"Controllo - {c.titolo}")
st.caption(vm.nota_riservatezza())
