"""Cached loaders of the province maps page."""

from __future__ import annotations

import polars as pl

from dashboard.loaders import cache_dati, engine, nel_perimetro
from data_access.queries import territorio


@cache_dati
def per_provincia(db_url: str, anni: tuple[int, ...], tipi: tuple[str, ...]) -> pl.DataFrame:
    """Workers, units and procedures by year and province (all 12, zero-filled)."""
    return territorio.per_provincia(engine(db_url), anni, tipi)


@nel_perimetro
@cache_dati
def coorte_step(db_url: str, anno: int, tipi: tuple[str, ...], province: tuple[str, ...]) -> pl.DataFrame:
    """Step cohort and STEP 4 by province of the perimeter."""
    return territorio.coorte_step(engine(db_url), anno, tipi, province)


@cache_dati
def occupati(db_url: str) -> pl.DataFrame:
    """Employed residents by province (may be NULL)."""
    return territorio.occupati(engine(db_url))


@nel_perimetro
@cache_dati
def per_comune(db_url: str, anno: int, tipi: tuple[str, ...], province: tuple[str, ...]) -> pl.DataFrame:
    """Units and workers by municipality of the perimeter, with coordinates."""
    return territorio.per_comune(engine(db_url), anno, tipi, province)
