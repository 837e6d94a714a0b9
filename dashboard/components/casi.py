"""Pieces of the Casi alta complessità page: headline figures, the list with its selection, a case's detail."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

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
_ELENCO, _DETTAGLIO = "casi_lista", "casi_dettaglio"  # container keys: CSS classes st-key-<key>
CONTENITORI = (_ELENCO, _DETTAGLIO)
_CHIAVE_AZZERA = "casi_azzeramenti"  # times the list's selection was emptied by "Torna all'elenco"
_CHIAVE_IN_VISTA = "casi_in_vista"  # the case last brought into view, or _ELENCO to bring the list back
_CHIAVE_SCORRI = "casi_scorrimenti"  # makes each scrolling script new, so the browser runs it


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


def script_in_vista(chiave: str, volta: int) -> str:
    """The script that scrolls the container with `chiave` to the top of the window; `volta` makes each one new.

    Retried while the rest of the page is drawn below the container, which moves it; clear of the app's top bar.
    """
    return (
        f"<script>/* {volta} */ [0, 250, 700, 1500].forEach((ms) => setTimeout(() => {{"
        f"const el = document.querySelector('.st-key-{chiave}'); if (!el) return;"
        "el.style.scrollMarginTop = '4.5rem'; el.scrollIntoView({block: 'start'}); }, ms));</script>"
    )


def _porta_in_vista(chiave: str) -> None:
    """Bring the container with `chiave` into view (once: the browser runs a script when it is first drawn).

    The detail is drawn below a long list: without this a selection would change nothing the user can see.
    """
    volta = st.session_state[_CHIAVE_SCORRI] = st.session_state.get(_CHIAVE_SCORRI, 0) + 1
    st.html(script_in_vista(chiave, volta), unsafe_allow_javascript=True)


def _torna_all_elenco() -> None:
    """Close the detail: a new key empties the list's selection, the link loses ?caso=, the list comes back in view."""
    st.session_state[_CHIAVE_AZZERA] = st.session_state.get(_CHIAVE_AZZERA, 0) + 1
    st.session_state[_CHIAVE_IN_VISTA] = _ELENCO
    st.query_params.pop(PARAM_CASO, None)


def elenco(tabella: pl.DataFrame, codici: list[str], richiesto: str | None) -> str | None:
    """The list by urgency with its traffic light; returns the case selected in it (or asked for by the link)."""
    with st.container(key=_ELENCO):
        if st.session_state.get(_CHIAVE_IN_VISTA) == _ELENCO:
            _porta_in_vista(_ELENCO)
        caso = _elenco(tabella, codici, richiesto)
    if caso is None:  # the next case opened, even the same one again, comes into view
        st.session_state[_CHIAVE_IN_VISTA] = None
    return caso


def _elenco(tabella: pl.DataFrame, codici: list[str], richiesto: str | None) -> str | None:
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
        # "Torna all'elenco" changes it too, to empty the selection.
        key=f"casi_elenco_{st.session_state.get(_CHIAVE_AZZERA, 0)}_"
        + hashlib.sha1("|".join(codici).encode()).hexdigest()[:12],
        height=38 + 35 * max(1, min(len(codici), RIGHE_VISIBILI)),
        placeholder=formatting.ND,
    )
    st.caption(casi.REGOLA_SEMAFORO)
    righe = evento.selection.rows
    # Until the user selects something else, the link's case stays open even when the filters hide it.
    return (codici[righe[0]] if righe else None) if righe != predefinito else richiesto


def dettaglio() -> DeltaGenerator:
    """The container of a case's detail, brought into view when a case is newly opened (from the list or a link)."""
    return st.container(key=_DETTAGLIO)


def intestazione(riga: Mapping[str, Any], nei_filtri: bool) -> None:
    """The way back to the list, the case's name, state line and four headline figures."""
    if st.session_state.get(_CHIAVE_IN_VISTA) != riga["codice"]:
        st.session_state[_CHIAVE_IN_VISTA] = riga["codice"]
        _porta_in_vista(_DETTAGLIO)
    st.button(
        "Torna all'elenco",
        icon=":material/arrow_upward:",
        on_click=_torna_all_elenco,
        key="casi_torna",
        help="Chiude il dettaglio del caso e riporta all'elenco.",
    )
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
    """The next steps and decision asked for, the case's owner, notes and the download of its printable brief."""
    passi = casi.prossimi_passi(riga, det.fasi, info.data_estrazione)
    st.subheader("Prossimi passi e decisione richiesta", anchor=False)
    st.markdown(
        f"**Decisione richiesta:** {testo.md(passi.decisione, None)}\n\n"
        + "".join(f"- {testo.md(p, None)}\n" for p in passi.passi)
    )
    referente = " · ".join(testo.md(v) for v in (riga["referente"], riga["contatto_referente"]) if v)
    st.caption(f"Referente del caso: {referente or 'non indicato nella scheda'}.")
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
