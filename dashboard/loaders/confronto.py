"""Cached loaders of the year comparison page (over `dashboard.letture.confronto`)."""

from __future__ import annotations

import polars as pl

from dashboard.letture import confronto as letture
from dashboard.loaders import cache_dati, engine
from dashboard.viste.confronto import Periodo


@cache_dati
def celle(db_url: str, anni: tuple[int, ...], tipi: tuple[str, ...], periodo: Periodo | None) -> pl.DataFrame:
    """The official tables' cells of all provinces, on whole years or cut to the same period."""
    return letture.celle(engine(db_url), anni, tipi, periodo)
