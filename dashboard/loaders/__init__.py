"""Cached access to the data layer for pages: one engine per URL, query results keyed by filter values.

Each view keeps its own cached loaders in a module of this package (e.g. `dashboard.loaders.step_pal`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import polars as pl
import streamlit as st
from sqlalchemy.engine import Engine

from dashboard import sessione
from data_access.engine import crea_engine, resolve_url, verifica
from data_access.queries import meta, procedure

TTL_S = 600
P = ParamSpec("P")
R = TypeVar("R")


def nel_perimetro(loader: Callable[P, R]) -> Callable[P, R]:
    """Narrow a loader's `province` argument to the session's perimeter before it reads (and before it keys its cache).

    The one place where the user's scope meets the filters: a page or a link may ask for any provinces, the loader
    reads only those of the perimeter (none for a user who sees published aggregates only).
    """
    firma = inspect.signature(loader)

    @functools.wraps(loader)
    def limitato(*args: P.args, **kwargs: P.kwargs) -> R:
        legati = firma.bind(*args, **kwargs)
        legati.arguments["province"] = sessione.corrente().limita(legati.arguments["province"])
        return loader(*legati.args, **legati.kwargs)

    return limitato


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


@nel_perimetro
@st.cache_data(ttl=TTL_S, show_spinner=False)
def indicatori(db_url: str, anni: tuple[int, ...], tipi: tuple[str, ...], province: tuple[str, ...]) -> pl.DataFrame:
    """Headline figures per year."""
    return procedure.indicatori(engine(db_url), anni, tipi, province)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def per_provincia(db_url: str, anni: tuple[int, ...], tipi: tuple[str, ...], province: tuple[str, ...]) -> pl.DataFrame:
    """Units, workers and procedures by year, type and province (zero-filled)."""
    return procedure.per_provincia(engine(db_url), anni, tipi, province)
