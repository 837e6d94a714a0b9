"""Mappe province: where the workers are and where PAL activation lags; a click on a province filters the dashboard."""

import streamlit as st

from dashboard import components, filters, loaders, sessione
from dashboard.charts import mappe as grafici
from dashboard.loaders import mappe as dati
from dashboard.viste import mappe as vista
from data_access.dominio import SIGLE

KEY_MAPPA = "mappe_generazione"  # bumped after a click: a fresh map forgets the click, the filter keeps it

f = filters.correnti()
db = loaders.url()
info = loaders.info_dati(db)
evidenziate = () if f.tutte_le_province else f.province
dettaglio = sessione.corrente().vede_dettaglio  # step cohort and municipalities are not published aggregates
occupati = dati.occupati(db)
metriche = vista.metriche_offerte(dettaglio, occupati)

st.title(f"Mappe delle province {f.anno}")
st.caption(f"{f.descrizione()} — un clic su una provincia la sceglie nel filtro di tutto il cruscotto")

if st.query_params.get("metrica") == "occupati" and "occupati" not in metriche:  # a link from before, or a wish
    st.info(vista.MOTIVO_OCCUPATI, icon=":material/info:")
    del st.query_params["metrica"]
scelta = filters.valore_da_url("metrica", metriche, vista.METRICA_PREDEFINITA)
col_metrica, col_opzioni = st.columns([3, 1], vertical_alignment="bottom")
metrica = col_metrica.radio(
    "Indicatore",
    metriche,
    index=metriche.index(scelta),
    format_func=lambda m: vista.METRICHE[m].etichetta,
    horizontal=True,
    key="mappe_metrica",
)
filters.scrivi_in_url("metrica", None if metrica == vista.METRICA_PREDEFINITA else metrica)
con_comuni = dettaglio and col_opzioni.toggle("Unità produttive per comune", key="mappe_comuni")
sfondo = col_opzioni.toggle(
    "Sfondo cartografico (serve internet)",
    value=False,
    key="mappe_sfondo",
    help="Le mappe funzionano senza rete; lo sfondo con strade e città viene scaricato da internet (Carto).",
)

celle = dati.per_provincia(db, (f.anno_precedente, f.anno), f.tipi)
coorte = dati.coorte_step(db, f.anno, f.tipi, SIGLE) if metrica == "pal" else None
valori = vista.indicatore(metrica, f.anno, celle, coorte, occupati)
if vista.senza_dati(valori):
    st.info(vista.motivo_senza_dati(metrica, f.anno, f.tipi), icon=":material/info:")
    st.stop()

classi = vista.classi(metrica, valori["valore"].to_list())
comuni = dati.per_comune(db, f.anno, f.tipi, SIGLE) if con_comuni else None
deck = grafici.mappa(valori, metrica, classi, evidenziate, comuni, sfondo)

with st.container(key="mappe_riga"):  # map and legend, then the bars: below them when the screen is narrow
    col_mappa, col_legenda, col_barre = st.columns([7, 2, 6], gap="small")
with col_mappa:
    generazione = st.session_state.setdefault(KEY_MAPPA, 0)
    evento = st.pydeck_chart(
        deck,
        on_select="rerun",
        selection_mode="single-object",
        key=f"mappa_{generazione}",
        height=600,
        alt=f"Mappa delle 12 province lombarde colorate per {vista.METRICHE[metrica].titolo.lower()}",
    )
    st.caption(f"{components.fonte(info)} {components.ATTRIBUZIONE_GEO}.")
with col_legenda:
    note = vista.note_legenda(valori, evidenziate, comuni is not None)
    cerchi = grafici.legenda_cerchi(comuni) if comuni is not None else []
    titolo_legenda = f"{vista.METRICHE[metrica].titolo}, {f.anno}"
    st.html(grafici.legenda_html(titolo_legenda, vista.legenda(classi, valori), note, cerchi))
    if evidenziate and st.button("Tutte le province", key="mappe_tutte", width="stretch"):
        filters.seleziona_province([])
with col_barre:
    quota = vista.quota_regionale(coorte) if coorte is not None else None
    fig = grafici.barre(
        valori,
        metrica,
        classi,
        vista.titolo_barre(valori, metrica, f.anno, coorte),
        components.fonte(info),
        evidenziate,
        quota * 100 if quota is not None else None,
    )
    tabella = vista.tabella(valori, metrica)
    components.grafico(fig, tabella, key="mappe_barre", titolo_tabella="Valori della mappa (tabella)")
    components.scarica(
        tabella, vista=f"Mappe - {vista.METRICHE[metrica].titolo}", filtri=f, info=info, key="mappe_tabella"
    )

sigla = vista.sigla_selezionata(evento.selection)
if sigla is not None:
    st.session_state[KEY_MAPPA] = generazione + 1
    filters.seleziona_province([sigla])
