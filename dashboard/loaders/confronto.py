"""Cached loaders of the year comparison page."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboard.loaders import TTL_S, engine
from data_access.queries import procedure


@st.cache_data(ttl=TTL_S, show_spinner=False)
def per_provincia_fino_al(
    db_url: str, fino_al: tuple[tuple[int, date], ...], tipi: tuple[str, ...], province: tuple[str, ...]
) -> pl.DataFrame:
    """The official tables' cells for procedures started by each year's cut-off date (same-period comparison)."""
    tagli = dict(fino_al)
    return procedure.per_provincia(engine(db_url), sorted(tagli), tipi, province, fino_al=tagli)
