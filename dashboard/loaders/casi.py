"""Cached loaders of the high-complexity cases page (over `dashboard.letture.casi`)."""

from __future__ import annotations

from datetime import date

import polars as pl

from dashboard.letture import casi as letture
from dashboard.loaders import cache_dati, engine, nel_perimetro


@nel_perimetro
@cache_dati
def elenco(db_url: str, al: date, province: tuple[str, ...]) -> pl.DataFrame:
    """The cases with a unit in the perimeter, with figures and traffic light at the data date, in urgency order."""
    return letture.elenco(engine(db_url), al, province)


@nel_perimetro
@cache_dati
def dettaglio(db_url: str, codice: str, al: date, province: tuple[str, ...]) -> letture.Dettaglio:
    """Procedures, tavoli up to the data date, step progress and stages, units (in the perimeter) of one case."""
    return letture.dettaglio(engine(db_url), codice, al, province)
