"""Cached loaders of the high-complexity cases page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from dashboard.loaders import TTL_S, engine, nel_perimetro
from dashboard.viste import casi
from data_access.dominio import SIGLE
from data_access.queries import casi as q

PROVINCE_GEOJSON = Path(__file__).resolve().parents[2] / "assets" / "geo" / "province.geojson"


@nel_perimetro
@st.cache_data(ttl=TTL_S, show_spinner=False)
def elenco(db_url: str, al: date, province: tuple[str, ...]) -> pl.DataFrame:
    """The cases with a unit in `province` (the perimeter), figures and traffic light at the data date, by urgency."""
    eng = engine(db_url)
    tutti = casi.componi(q.casi(eng), q.coinvolgimento(eng), q.step_per_caso(eng), q.tavoli_per_caso(eng, al), al)
    return tutti if set(province) == set(SIGLE) else casi.filtra(tutti, province=province)


@dataclass(frozen=True)
class Dettaglio:
    """What the detail of one case shows."""

    procedure: pl.DataFrame
    tavoli: pl.DataFrame
    progressione: pl.DataFrame
    fasi: pl.DataFrame
    unita: pl.DataFrame


@nel_perimetro
@st.cache_data(ttl=TTL_S, show_spinner=False)
def dettaglio(db_url: str, codice: str, al: date, province: tuple[str, ...]) -> Dettaglio:
    """Procedures, tavoli to the data date, step progress and stages, units (in `province`) of a case listed there."""
    if codice not in elenco(db_url, al, province)["codice"].to_list():
        raise LookupError(f"case {codice!r} outside the perimeter {province}")
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
        unita=q.unita_caso(eng, codice).filter(pl.col("sigla").is_in(province)),
    )


@st.cache_data(show_spinner=False)
def province_geojson() -> dict[str, Any]:
    """The 12 province outlines (ISTAT via openpolis)."""
    return json.loads(PROVINCE_GEOJSON.read_text(encoding="utf-8"))
