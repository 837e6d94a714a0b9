"""Cached loaders of the Step PAL page (the step model's cohort)."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboard.loaders import TTL_S, engine
from data_access.queries import step


@st.cache_data(ttl=TTL_S, show_spinner=False)
def percorsi(db_url: str, anno: int, province: tuple[str, ...]) -> pl.DataFrame:
    """Workers by province and current stage, with how many reached each step."""
    return step.percorsi(engine(db_url), anno, province)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def mediane(db_url: str, anno: int, province: tuple[str, ...]) -> pl.DataFrame:
    """Median days between steps by province, and for the selection."""
    return step.mediane(engine(db_url), anno, province)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def coorti_mensili(db_url: str, anno: int, province: tuple[str, ...], data_riferimento: date) -> pl.DataFrame:
    """Workers by province and month of presa in carico, with PAL and the GOL timeliness counts."""
    return step.coorti_mensili(engine(db_url), anno, province, data_riferimento)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def misure(db_url: str, anno: int, province: tuple[str, ...]) -> pl.DataFrame:
    """Workers with PAL activated by province and measure."""
    return step.misure(engine(db_url), anno, province)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def operatori(db_url: str, anno: int, province: tuple[str, ...]) -> pl.DataFrame:
    """Workers followed by each accredited operator."""
    return step.operatori(engine(db_url), anno, province)
