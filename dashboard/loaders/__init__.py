"""Cached access to the data layer for pages: one engine per URL, query results keyed by filter values.

Each view keeps its own cached loaders in a module of this package (e.g. `dashboard.loaders.step_pal`), thin
wrappers over the queries (`data_access.queries`) or the composed reads (`dashboard.letture`). Every data cache is
made by `cache_dati`, so its settings are chosen here once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import polars as pl
import streamlit as st
from sqlalchemy.engine import Engine

from data_access.engine import crea_engine, resolve_url, verifica
from data_access.queries import meta, procedure

# Every cache's settings, in one place.
TTL_S = 600  # a new extraction shows within ten minutes
MAX_ENTRIES: int | None = None  # per loader; None: no bound, entries expire after TTL_S
MAX_ENTRIES_SNAPSHOT = 32  # tavolo decks: each holds every figure of a meeting
TTL_PPTX_S, MAX_ENTRIES_PPTX = 3600, 16  # PowerPoint files: seconds to draw, megabytes to keep

F = TypeVar("F", bound=Callable[..., object])


def cache_dati(
    funzione: F | None = None, *, ttl_s: int = TTL_S, max_entries: int | None = MAX_ENTRIES
) -> F | Callable[[F], F]:
    """`st.cache_data` with the app's settings, for every loader of data (`@cache_dati` or `@cache_dati(...)`)."""
    decoratore = st.cache_data(ttl=ttl_s, max_entries=max_entries, show_spinner=False)
    return decoratore(funzione) if funzione is not None else decoratore  # type: ignore[return-value]


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


@cache_dati
def info_dati(db_url: str) -> meta.InfoDati:
    """Extraction date and demo flag."""
    return meta.info_dati(engine(db_url))


@cache_dati
def anni(db_url: str) -> tuple[int, ...]:
    """Years available."""
    return meta.anni_disponibili(engine(db_url))


@cache_dati
def indicatori(db_url: str, anni: tuple[int, ...], tipi: tuple[str, ...], province: tuple[str, ...]) -> pl.DataFrame:
    """Headline figures per year."""
    return procedure.indicatori(engine(db_url), anni, tipi, province)


@cache_dati
def per_provincia(db_url: str, anni: tuple[int, ...], tipi: tuple[str, ...], province: tuple[str, ...]) -> pl.DataFrame:
    """Units, workers and procedures by year, type and province (zero-filled)."""
    return procedure.per_provincia(engine(db_url), anni, tipi, province)
