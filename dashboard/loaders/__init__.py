"""Cached access to the data layer for pages: one engine per URL, query results keyed by filter values.

Each view keeps its own cached loaders in a module of this package (e.g. `dashboard.loaders.step_pal`).
"""

from __future__ import annotations

import logging
import threading

import polars as pl
import streamlit as st
from sqlalchemy.engine import Engine

from data_access.engine import crea_engine, descrivi, resolve_url, timeout_s, verifica
from data_access.queries import meta, procedure

log = logging.getLogger(__name__)
TTL_S = 600


def url() -> str:
    """The database URL in use, with the same precedence as every command line (see resolve_url); settings checked."""
    timeout_s()  # a bad CRUSCOTTO_TIMEOUT_S stops every page with its message, not only the first engine
    return resolve_url()


@st.cache_resource(show_spinner=False)
def engine(db_url: str) -> Engine:
    """A read-only engine, checked once per URL."""
    eng = crea_engine(db_url)
    verifica(eng)
    return eng


_versioni: dict[str, tuple[object, ...]] = {}
_versioni_lock = threading.Lock()


def allinea_cache(db_url: str) -> None:
    """Clear every cached figure when the data changed since the caches were filled: no page mixes two loads."""
    versione = meta.versione_dati(engine(db_url))
    with _versioni_lock:
        precedente = _versioni.setdefault(db_url, versione)
        if precedente != versione:
            log.info("new data in %s: cached figures cleared", descrivi(db_url))
            st.cache_data.clear()
            _versioni[db_url] = versione


@st.cache_data(ttl=TTL_S, show_spinner=False)
def info_dati(db_url: str) -> meta.InfoDati:
    """Extraction date and demo flag."""
    return meta.info_dati(engine(db_url))


@st.cache_data(ttl=TTL_S, show_spinner=False)
def anni(db_url: str) -> tuple[int, ...]:
    """Years available."""
    return meta.anni_disponibili(engine(db_url))


@st.cache_data(ttl=TTL_S, show_spinner=False)
def indicatori(db_url: str, anni: tuple[int, ...], tipi: tuple[str, ...], province: tuple[str, ...]) -> pl.DataFrame:
    """Headline figures per year."""
    return procedure.indicatori(engine(db_url), anni, tipi, province)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def per_provincia(db_url: str, anni: tuple[int, ...], tipi: tuple[str, ...], province: tuple[str, ...]) -> pl.DataFrame:
    """Units, workers and procedures by year, type and province (zero-filled)."""
    return procedure.per_provincia(engine(db_url), anni, tipi, province)
