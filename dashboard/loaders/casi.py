"""Cached loaders of the high-complexity cases page (over `dashboard.letture.casi`)."""

from __future__ import annotations

from datetime import date

import polars as pl

from dashboard.letture import casi as letture
from dashboard.loaders import cache_dati, engine


@cache_dati
def elenco(db_url: str, al: date) -> pl.DataFrame:
    """Every case with its figures and traffic light at the data date, in urgency order."""
    return letture.elenco(engine(db_url), al)


@cache_dati
def dettaglio(db_url: str, codice: str, al: date) -> letture.Dettaglio:
    """Procedures, tavoli up to the data date, step progress and stages, units of one case."""
    return letture.dettaglio(engine(db_url), codice, al)
