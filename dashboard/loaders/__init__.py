"""Cached access to the data layer for pages: one engine per URL, query results keyed by filter values.

Each view keeps its own cached loaders in a module of this package (e.g. `dashboard.loaders.step_pal`), thin
wrappers over the queries (`data_access.queries`) or the composed reads (`dashboard.letture`). Every data cache is
made by `cache_dati`, so its settings are chosen here once.
"""

from __future__ import annotations

import functools
import inspect
import logging
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import polars as pl
import streamlit as st
from sqlalchemy.engine import Engine

from dashboard import sessione
from data_access.engine import crea_engine, descrivi, resolve_url, timeout_s, verifica
from data_access.queries import meta, procedure

log = logging.getLogger(__name__)

# Every cache's settings, in one place.
TTL_S = 600  # a new extraction shows within ten minutes
MAX_ENTRIES = 256  # per loader: memory stays flat however many filter combinations users try
MAX_ENTRIES_SNAPSHOT = 32  # tavolo decks: each holds every figure of a meeting
TTL_PPTX_S, MAX_ENTRIES_PPTX = 3600, 16  # PowerPoint files: seconds to draw, megabytes to keep

F = TypeVar("F", bound=Callable[..., object])


def cache_dati(
    funzione: F | None = None, *, ttl_s: int = TTL_S, max_entries: int | None = MAX_ENTRIES
) -> F | Callable[[F], F]:
    """`st.cache_data` with the app's settings, for every loader of data (`@cache_dati` or `@cache_dati(...)`)."""
    decoratore = st.cache_data(ttl=ttl_s, max_entries=max_entries, show_spinner=False)
    return decoratore(funzione) if funzione is not None else decoratore  # type: ignore[return-value]


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


@cache_dati
def info_dati(db_url: str) -> meta.InfoDati:
    """Extraction date and demo flag."""
    return meta.info_dati(engine(db_url))


@cache_dati
def anni(db_url: str) -> tuple[int, ...]:
    """Years available."""
    return meta.anni_disponibili(engine(db_url))


@nel_perimetro
@cache_dati
def indicatori(db_url: str, anni: tuple[int, ...], tipi: tuple[str, ...], province: tuple[str, ...]) -> pl.DataFrame:
    """Headline figures per year."""
    return procedure.indicatori(engine(db_url), anni, tipi, province)


@cache_dati
def per_provincia(db_url: str, anni: tuple[int, ...], tipi: tuple[str, ...], province: tuple[str, ...]) -> pl.DataFrame:
    """Units, workers and procedures by year, type and province (zero-filled)."""
    return procedure.per_provincia(engine(db_url), anni, tipi, province)
