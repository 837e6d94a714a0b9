"""Cached data of the tavolo deck: one snapshot per extraction, pinned for the session while the meeting runs."""

from __future__ import annotations

import logging
from datetime import date

import streamlit as st

from dashboard import deck, loaders, pptx_export, sessione
from dashboard.letture import tavolo as riunione
from data_access.queries.meta import InfoDati

log = logging.getLogger(__name__)
KEY_SNAPSHOT = "_tavolo_snapshot"


@loaders.cache_dati(max_entries=loaders.MAX_ENTRIES_SNAPSHOT)
def snapshot(db_url: str, codice: str, anno: int, tipi: tuple[str, ...], data_estrazione: date) -> riunione.Snapshot:
    """All the deck's data, keyed by the extraction date: a new extraction makes a new snapshot."""
    return riunione.carica_snapshot(loaders.engine(db_url), riunione.Tavolo(codice), anno, tipi)


def snapshot_fissato(db_url: str, codice: str, anno: int, tipi: tuple[str, ...], info: InfoDati) -> riunione.Snapshot:
    """The session's snapshot: it stays the same while paging, even if new data land, until `aggiorna()`."""
    if codice not in sessione.corrente().tavoli_ammessi(riunione.CODICI_TAVOLO):
        raise LookupError(f"tavolo {codice!r} outside the user's perimeter")
    chiave = (db_url, codice, anno, tipi)
    fissato = st.session_state.get(KEY_SNAPSHOT)
    if fissato is None or fissato[0] != chiave:
        fissato = (chiave, snapshot(db_url, codice, anno, tipi, info.data_estrazione))
        st.session_state[KEY_SNAPSHOT] = fissato
    return fissato[1]


def aggiorna() -> None:
    """Forget the pinned snapshot: the next run reads the latest extraction."""
    st.session_state.pop(KEY_SNAPSHOT, None)


@loaders.cache_dati(ttl_s=loaders.TTL_PPTX_S, max_entries=loaders.MAX_ENTRIES_PPTX)
def pptx(db_url: str, _snap: riunione.Snapshot, chiave: tuple[str, int, tuple[str, ...], date], giorno: date) -> bytes:
    """The PowerPoint of a snapshot (drawing the charts takes seconds: cached by database, snapshot key and day)."""
    try:
        return pptx_export.scrivi(deck.costruisci(_snap, giorno))
    except pptx_export.ErroreEsportazione as exc:
        log.error("pptx export failed for %s: %s", chiave, exc.dettaglio)
        raise
