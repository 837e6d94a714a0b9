"""Casi alta complessità: the directorate's watch list of difficult crises, a case's detail and its brief."""

import hashlib
import logging
from html import escape

import polars as pl
import streamlit as st

from dashboard import brief, casi, components, filters, formatting, loaders, privacy
from dashboard.charts import casi as grafici
from dashboard.loaders import casi as dati
from data_access.dominio import LIVELLI_RISCHIO, NOME_PROVINCIA, STATI_CASO

log = logging.getLogger("cruscotto.casi")
PARAM_CASO = "caso"

f = filters.correnti()
db = loaders.url()
info = loaders.info_dati(db)
al = info.data_estrazione
tutti = dati.elenco(db, al)

st.title("Casi ad alta complessità")
st.caption(
    f"Fotografia al **{formatting.data(al)}**, data di estrazione dei dati: giorni alla scadenza, scadenze superate e "
    "giorni senza aggiornamento sono contati a quella data, non a oggi. Dalla barra laterale valgono province e tipo "
    "di procedura (basta una unità o una procedura del caso); l'anno non si applica ai casi."
)
riquadro_kpi = st.container()
c1, c2, c3, c4 = st.columns([2, 3, 2, 2])
testo = c1.text_input("Cerca azienda", placeholder="Parte della ragione sociale")
settori = casi.settori(tutti)
scelti = c2.multiselect("Settore ATECO", list(settori), format_func=settori.get, placeholder="Tutti i settori")
stati = c3.multiselect("Stato", STATI_CASO, default=list(casi.STATI_APERTI), placeholder="Tutti gli stati")
rischi = c4.multiselect("Rischio", LIVELLI_RISCHIO, placeholder="Tutti i livelli")
elenco = casi.filtra(casi.nella_barra(tutti, f), settori=scelti, stati=stati, rischi=rischi, testo=testo)

with riquadro_kpi:
    for col, (etichetta, valore, aiuto) in zip(
        st.columns(6), casi.voci_indicatori(casi.indicatori(elenco)), strict=True
    ):
        with col:
            components.kpi(etichetta, valore, aiuto=aiuto)

codici = elenco["codice"].to_list()
richiesto = st.query_params.get(PARAM_CASO)
if richiesto and richiesto not in tutti["codice"].to_list():
    log.warning("link parameter %s=%r: unknown case", PARAM_CASO, richiesto)
    st.warning(
        f"Il caso «{richiesto}» indicato nel link non esiste: sceglierne uno dall'elenco.", icon=":material/link_off:"
    )
    richiesto = None
predefinito = [codici.index(richiesto)] if richiesto in codici else []
tabella = casi.tabella_elenco(elenco)
st.markdown(f"**{formatting.numero(elenco.height)} casi** in ordine di urgenza · selezionare una riga per il dettaglio")
if elenco.is_empty():
    st.info("Nessun caso risponde ai filtri scelti.", icon=":material/filter_alt_off:")
evento = st.dataframe(
    grafici.stile_elenco(tabella),
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    selection_default={"selection": {"rows": predefinito}},
    # The key follows the rows shown, so a selection never points at another case after the filters change.
    key="casi_elenco_" + hashlib.sha1("|".join(codici).encode()).hexdigest()[:12],
    height=38 + 35 * max(1, min(len(codici), 14)),
    placeholder=formatting.ND,
)
st.caption(casi.REGOLA_SEMAFORO)
components.scarica(
    tabella, vista="Casi alta complessità", filtri=f, info=info, key="casi", etichetta="Scarica l'elenco"
)

righe = evento.selection.rows
caso = (codici[righe[0]] if righe else None) if righe != predefinito else richiesto
filters.scrivi_in_url(PARAM_CASO, caso)
if caso is None:
    st.stop()

riga = tutti.filter(pl.col("codice") == caso).row(0, named=True)
det = dati.dettaglio(db, caso, al)
st.divider()
st.header(f"{caso} · {riga['ragione_sociale']}")
if caso not in codici:
    st.info(
        "Il caso selezionato non rientra nei filtri attivi: ne mostro comunque il dettaglio.", icon=":material/info:"
    )
st.markdown(
    f"Semaforo **{casi.ETICHETTA_SEMAFORO[riga['semaforo']]}** · stato **{riga['stato']}** · rischio "
    f"**{riga['rischio']}** · scadenza: {riga['tipo_scadenza'] or 'nessuna'} · settore {riga['settore']} · "
    f"livelli: {', '.join(riga['livelli'])}"
)
m1, m2, m3, m4 = st.columns(4)
with m1:
    components.kpi("Lavoratori coinvolti", riga["lavoratori_testo"])
with m2:
    components.kpi("Unità produttive", formatting.numero(riga["unita"]), aiuto=", ".join(riga["province"]))
with m3:
    quota = privacy.ETICHETTA_SECONDARIA if riga["pal_riservata"] else formatting.percentuale(riga["quota_pal"])
    aiuto = f"Sui {casi.testo_conteggio(riga['coorte_step'])} lavoratori del caso nel modello a step."
    components.kpi("PAL attivate (STEP 4)", quota, aiuto=aiuto)
with m4:
    giorni = riga["giorni_alla_scadenza"]
    st.metric(
        "Prossima scadenza",
        formatting.data(riga["prossima_scadenza"]),
        casi.descrivi_scadenza(giorni),
        delta_color=casi.colore_scadenza(giorni),
        delta_arrow="off",
        border=True,
        help=riga["tipo_scadenza"],
    )

fonte = components.fonte(info)
fig = grafici.cronologia(det.procedure, det.tavoli, det.progressione, riga, al, fonte)
components.grafico(
    fig, casi.tabella_procedure(det.procedure), key="casi_cronologia", titolo_tabella="Procedure del caso (tabella)"
)
sinistra, destra = st.columns(2)
with sinistra:
    if det.fasi["lavoratori"].sum():
        tab_fasi = det.fasi.select(pl.col("fase").alias("Fase"), pl.col("testo").alias("Lavoratori"))
        components.grafico(
            grafici.funnel(det.fasi, fonte), tab_fasi, key="casi_funnel", titolo_tabella="Fasi (tabella)"
        )
        if det.fasi["soppresso"].any():
            st.caption(f"{privacy.nota()} Per questo la cronologia non mostra l'avanzamento negli step.")
    else:
        st.info(
            "Nessun lavoratore del caso nel modello a step: riguarda le sole CIGS ministeriali.", icon=":material/info:"
        )
with destra:
    st.markdown(f"**Unità produttive del caso** ({', '.join(NOME_PROVINCIA[s] for s in riga['province'])})")
    st.pydeck_chart(grafici.mappa_unita(det.unita, dati.province_geojson(), riga["province"]), height=400)
    st.caption(f"Punti: unità nel loro comune, grandezza secondo i lavoratori. {components.ATTRIBUZIONE_GEO}.")
    with st.expander("Unità produttive (tabella)"):
        components.mostra_tabella(casi.tabella_unita(det.unita))
st.subheader("Note")
st.html(f'<p class="note-caso">{escape(riga["note"] or "Nessuna nota.")}</p>')
st.download_button(
    "⬇ Scarica la scheda del caso (HTML stampabile A4)",
    brief.scheda(riga, det.procedure, det.tavoli, det.fasi, info),
    file_name=brief.nome_file(caso, info),
    mime="text/html",
    on_click="ignore",
    type="primary",
)
