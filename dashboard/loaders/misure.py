"""Cached loaders of the Misure PAL page."""

from __future__ import annotations

import streamlit as st

from dashboard.letture import misure as letture
from dashboard.loaders import TTL_S, engine


@st.cache_data(ttl=TTL_S, show_spinner=False)
def quadro(db_url: str, anno: int, province: tuple[str, ...]) -> letture.QuadroMisure:
    """The measures' figures for a year and a perimeter, privacy applied."""
    return letture.quadro(engine(db_url), anno, province)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def controlli(db_url: str, province: tuple[str, ...]) -> list[letture.Controllo]:
    """The rule checks with the rows that break them."""
    return letture.controlli(engine(db_url), province)
