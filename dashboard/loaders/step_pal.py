"""Cached loaders of the Step PAL page (the step model's cohort)."""

from __future__ import annotations

from datetime import date

import polars as pl

from dashboard.loaders import cache_dati, engine, nel_perimetro
from data_access.queries import step


@nel_perimetro
@cache_dati
def percorsi(db_url: str, anno: int, province: tuple[str, ...]) -> pl.DataFrame:
    """Workers by province and current stage, with how many reached each step."""
    return step.percorsi(engine(db_url), anno, province)


@nel_perimetro
@cache_dati
def mediane(db_url: str, anno: int, province: tuple[str, ...]) -> pl.DataFrame:
    """Median days between steps by province, and for the selection."""
    return step.mediane(engine(db_url), anno, province)


@nel_perimetro
@cache_dati
def coorti_mensili(db_url: str, anno: int, province: tuple[str, ...], data_riferimento: date) -> pl.DataFrame:
    """Workers by province and month of presa in carico, with PAL and the GOL timeliness counts."""
    return step.coorti_mensili(engine(db_url), anno, province, data_riferimento)


@nel_perimetro
@cache_dati
def misure(db_url: str, anno: int, province: tuple[str, ...]) -> pl.DataFrame:
    """Workers with PAL activated by province and measure."""
    return step.misure(engine(db_url), anno, province)


@nel_perimetro
@cache_dati
def operatori(db_url: str, anno: int, province: tuple[str, ...]) -> pl.DataFrame:
    """Workers followed by each accredited operator."""
    return step.operatori(engine(db_url), anno, province)
