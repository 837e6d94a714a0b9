"""Cached access to the data layer for pages: one engine per URL, query results keyed by filter values.

Each view keeps its own cached loaders in a module of this package (e.g. `dashboard.loaders.step_pal`).
"""

from __future__ import annotations

import polars as pl
import streamlit as st
from sqlalchemy.engine import Engine

from data_access.engine import crea_engine, resolve_url, verifica
from data_access.queries import meta, procedure

TTL_S = 600


def url() -> str:
    """The database URL in use (environment, secrets or the demo file)."""
    try:
        secret = st.secrets.get("database", {}).get("url")
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):  # no secrets file: that is fine
        secret = None
    return secret or resolve_url()


@st.cache_resource(show_spinner=False)
def engine(db_url: str) -> Engine:
    """A read-only engine, checked once per URL."""
    eng = crea_engine(db_url)
    verifica(eng)
    return eng


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
