"""Cached loader of the events marked on the monthly charts: the tavoli of the perimeter."""

from __future__ import annotations

import polars as pl

from dashboard.loaders import cache_dati, engine, nel_perimetro
from data_access.queries import tavoli


@nel_perimetro
@cache_dati
def sedute(db_url: str, anni: tuple[int, ...], province: tuple[str, ...]) -> pl.DataFrame:
    """Dates of the tavoli of those years concerning the provinces."""
    return tavoli.sedute(engine(db_url), anni, province)
