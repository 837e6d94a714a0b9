"""The export register for pages: one writer engine per URL, a short-lived check that it accepts rows, its rows."""

from __future__ import annotations

import logging
from datetime import date

import polars as pl
import streamlit as st
from sqlalchemy.engine import Engine

from data_access import registro

log = logging.getLogger(__name__)
VERIFICA_TTL_S = 15


@st.cache_resource(show_spinner=False)
def engine(url: str) -> Engine:
    """The register's engine (the app's only writer), prepared once per URL."""
    eng = registro.crea_engine_registro(url)
    registro.prepara(eng)
    return eng


@st.cache_data(ttl=VERIFICA_TTL_S, show_spinner=False)
def _motivo(url: str) -> str | None:
    try:
        return registro.scrivibile(engine(url))
    except registro.ErroreRegistro as exc:
        engine.clear()  # a register that could not be prepared is tried again at the next check
        return exc.dettaglio


def non_scrivibile() -> str | None:
    """Why the register cannot take a row now (logged), or None: without it no file is handed out."""
    url = registro.url_registro()
    motivo = _motivo(url)
    if motivo is not None:
        log.error("export register not writable (%s): %s", registro.descrivi(url), motivo)
    return motivo


def scrittore() -> Engine:
    """The register's writer engine for this app's URL."""
    return engine(registro.url_registro())


@st.cache_resource(show_spinner=False)
def _lettore(url: str) -> Engine:
    return registro.crea_engine_registro(url)


def righe(email: str | None, dal: date | None, al: date | None, vista: str | None) -> pl.DataFrame:
    """The register's rows for the Registro page (never cached: it is the audit trail)."""
    return registro.leggi(_lettore(registro.url_lettura()), email=email, dal=dal, al=al, vista=vista)
