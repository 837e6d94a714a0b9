"""Cached loader of the Monitoraggio trimestrale page."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.letture import monitoraggio as letture
from dashboard.loaders import TTL_S, engine


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=64)
def vista(
    db_url: str, anno: int, province: tuple[str, ...], al: date, scadenza_gg: int, tolleranza: int
) -> letture.Monitoraggio:
    """The whole view for a year and perimeter, at the data date, with the settings in force."""
    return letture.leggi(engine(db_url), anno, province, al, scadenza_gg, tolleranza)
