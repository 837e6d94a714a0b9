"""Streamlit pieces of the Esporta dati page."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import privacy


def configurazione_colonne(df: pl.DataFrame) -> dict[str, object]:
    """Preview columns: figures right-aligned, names wide enough to read in full."""
    config: dict[str, object] = {}
    for c in df.columns:
        if df.schema[c].is_numeric() or privacy.conteggi_soppressi(df[c]):
            config[c] = st.column_config.TextColumn(alignment="right")
        elif c in ("Provincia", "Azienda", "Settore ATECO", "Livelli istituzionali", "Aziende dei casi"):
            # Wide enough for a name, not so wide that the figures scroll out of a 1600-pixel screen.
            config[c] = st.column_config.TextColumn(width="large" if c == "Aziende dei casi" else "medium")
    return config
