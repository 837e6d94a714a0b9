"""Cached loaders of the high-complexity cases page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from dashboard.loaders import TTL_S, engine
from dashboard.viste import casi
from data_access.queries import casi as q

PROVINCE_GEOJSON = Path(__file__).resolve().parents[2] / "assets" / "geo" / "province.geojson"


@st.cache_data(ttl=TTL_S, show_spinner=False)
def elenco(db_url: str, al: date) -> pl.DataFrame:
    """Every case with its figures and traffic light at the data date, in urgency order."""
    eng = engine(db_url)
    return casi.componi(q.casi(eng), q.coinvolgimento(eng), q.step_per_caso(eng), q.tavoli_per_caso(eng, al), al)


@dataclass(frozen=True)
class Dettaglio:
    """What the detail of one case shows."""

    procedure: pl.DataFrame
    tavoli: pl.DataFrame
    progressione: pl.DataFrame
    fasi: pl.DataFrame
    unita: pl.DataFrame


@st.cache_data(ttl=TTL_S, show_spinner=False)
def dettaglio(db_url: str, codice: str, al: date) -> Dettaglio:
    """Procedures, tavoli up to the data date, step progress and stages, units of one case."""
    eng = engine(db_url)
    fasi = casi.funnel_caso(q.step_per_caso(eng, codice))
    grezza = q.progressione_step(eng, codice)
    if fasi["soppresso"].any():  # the curves' end points would give a hidden stage back by difference
        grezza = grezza.clear()
    return Dettaglio(
        procedure=q.procedure_caso(eng, codice),
        tavoli=q.tavoli_caso(eng, codice, al),
        progressione=casi.progressione_cumulata(grezza, al),
        fasi=fasi,
        unita=q.unita_caso(eng, codice),
    )


@st.cache_data(show_spinner=False)
def province_geojson() -> dict[str, Any]:
    """The 12 province outlines (ISTAT via openpolis)."""
    return json.loads(PROVINCE_GEOJSON.read_text(encoding="utf-8"))
