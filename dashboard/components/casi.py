"""Pieces of the Casi alta complessità page: headline figures, the list with its selection, a case's detail."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

import polars as pl
import streamlit as st

from dashboard import brief, components, formatting, privacy, testo
from dashboard.charts import casi as grafici
from dashboard.letture.casi import Dettaglio
from dashboard.viste import casi
from data_access.dominio import NOME_PROVINCIA
from data_access.queries.meta import InfoDati

log = logging.getLogger("cruscotto.casi")
PARAM_CASO = "caso"
# Rows shown in full before the list scrolls: the most urgent cases stay on one projector screen.
RIGHE_VISIBILI = 14


NOTA_PARTE_DEL_CASO = (
    "Cifre della sola parte del caso nelle province del suo perimetro: lavoratori, unità, procedure e step delle "
    "altre province non sono conteggiati."
)


def indicatori(elenco: pl.DataFrame) -> None:
    """The six headline figures of the cases listed, on one row."""
    for col, (etichetta, valore, aiuto) in zip(
        st.columns(6), casi.voci_indicatori(casi.indicatori(elenco)), strict=True
    ):
        with col:
            components.kpi(etichetta, valore, aiuto=aiuto)


def caso_dal_link(tutti: pl.DataFrame) -> str | None:
    """The case asked for by the link (?caso=), or None; an unknown code gets a notice instead of the detail."""
    richiesto = (st.query_params.get(PARAM_CASO) or "").strip() or None  # ?caso= (empty) means no case
    if richiesto and richiesto not in tutti["codice"].to_list():
        log.warning("link parameter %s=%r: unknown case", PARAM_CASO, richiesto)
        st.warning(
            f"Il caso «{testo.md(richiesto, 40)}» indicato nel link non esiste o non è tra quelli che può consultare: "
            "sceglierne uno dall'elenco.",
            icon=":material/link_off:",
        )
        return None
    return richiesto


def elenco(tabella: pl.DataFrame, codici: list[str], richiesto: str | None) -> str | None:
    """The list by urgency with its traffic light; returns the case selected in it (or asked for by the link)."""
    st.markdown(
        f"**{formatting.numero(len(codici))} casi** in ordine di urgenza · selezionare una riga per il dettaglio"
    )
    if not codici:
        st.info("Nessun caso risponde ai filtri scelti.", icon=":material/filter_alt_off:")
    predefinito = [codici.index(richiesto)] if richiesto in codici else []
    evento = st.dataframe(
        grafici.elenco_visibile(tabella),
        hide_index=True,
        column_config={grafici.COLONNA_LUCE: st.column_config.ImageColumn(" ", width=40)},
        on_select="rerun",
        selection_mode="single-row",
        selection_default={"selection": {"rows": predefinito}},
        # The key follows the rows shown, so a selection never points at another case after the filters change.
        key="casi_elenco_" + hashlib.sha1("|".join(codici).encode()).hexdigest()[:12],
        height=38 + 35 * max(1, min(len(codici), RIGHE_VISIBILI)),
        placeholder=formatting.ND,
    )
    st.caption(casi.REGOLA_SEMAFORO)
    righe = evento.selection.rows
    # Until the user selects something else, the link's case stays open even when the filters hide it.
    return (codici[righe[0]] if righe else None) if righe != predefinito else richiesto


def intestazione(riga: Mapping[str, Any], nei_filtri: bool) -> None:
    """The case's name, state line and four headline figures."""
    st.header(f"{testo.md(riga['codice'])} · {testo.md(riga['ragione_sociale'])}", anchor=False)
    if not nei_filtri:
        st.info(
            "Il caso selezionato non rientra nei filtri attivi: ne mostro comunque il dettaglio.",
            icon=":material/info:",
        )
    st.markdown(
        f"Semaforo **{casi.ETICHETTA_SEMAFORO[riga['semaforo']]}** · stato **{testo.md(riga['stato'])}** · rischio "
        f"**{testo.md(riga['rischio'])}** · scadenza: {testo.md(riga['tipo_scadenza'] or 'nessuna')} · "
        f"settore {testo.md(riga['settore'])} · livelli: {testo.md(', '.join(riga['livelli']))}"
    )
    lavoratori, quota = casi.testo_riga(riga)
    m1, m2, m3, m4 = st.columns(4)
    with m1:
        components.kpi("Lavoratori coinvolti", lavoratori)
    with m2:
        components.kpi("Unità produttive", formatting.numero(riga["unita"]), aiuto=", ".join(riga["province"]))
    with m3:
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
            help=testo.md(riga["tipo_scadenza"]) if riga["tipo_scadenza"] else None,
        )


def fasi(det: Dettaglio, fonte: str) -> None:
    """The case's step funnel with its table, or why there is none."""
    if not det.fasi["coorte"][0]:
        st.info(
            "Nessun lavoratore del caso nel modello a step: riguarda le sole CIGS ministeriali.", icon=":material/info:"
        )
        return
    tabella = det.fasi.select(pl.col("fase").alias("Fase"), casi.testo_lavoratori().alias("Lavoratori"))
    components.grafico(grafici.funnel(det.fasi, fonte), tabella, key="casi_funnel", titolo_tabella="Fasi (tabella)")
    if det.fasi[casi.NASCOSTI].is_not_null().any():
        st.caption(f"{privacy.nota()} Per questo la cronologia non mostra l'avanzamento negli step.")


def titolo_unita(riga: Mapping[str, Any]) -> str:
    """The heading above the map of the case's units."""
    return f"**Unità produttive del caso** ({', '.join(NOME_PROVINCIA[s] for s in riga['province'])})"


def tabella_unita(det: Dettaglio) -> None:
    """What the map shows, in words, and its table."""
    st.caption(f"Punti: unità nel loro comune, grandezza secondo i lavoratori. {components.ATTRIBUZIONE_GEO}.")
    with st.expander("Unità produttive (tabella)"):
        components.mostra_tabella(casi.tabella_unita(det.unita))


def note_e_scheda(riga: Mapping[str, Any], det: Dettaglio, info: InfoDati) -> None:
    """The case's notes and the download of its printable brief."""
    st.subheader("Note")
    st.html(f'<p class="note-caso">{testo.html_(riga["note"] or "Nessuna nota.")}</p>')
    components.scarica_file(
        "⬇ Scarica la scheda del caso (HTML stampabile A4)",
        lambda: brief.scheda(riga, det.procedure, det.tavoli, det.fasi, info).encode("utf-8"),
        nome_file=brief.nome_file(riga["codice"], info),
        mime="text/html",
        dataset=f"Scheda del caso {riga['codice']}",
        filtri=f"Caso {riga['codice']}",
        formato="html",
        righe=1,
        key="casi_scheda",
        type="primary",
    )
