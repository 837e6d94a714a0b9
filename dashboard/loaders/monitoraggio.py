"""Cached loader of the Monitoraggio trimestrale page."""

from __future__ import annotations

from datetime import date

from dashboard.letture import monitoraggio as letture
from dashboard.loaders import cache_dati, engine, nel_perimetro


@nel_perimetro
@cache_dati(max_entries=64)
def vista(
    db_url: str, anno: int, province: tuple[str, ...], al: date, scadenza_gg: int, tolleranza: int
) -> letture.Monitoraggio:
    """The whole view for a year and perimeter, at the data date, with the settings in force."""
    return letture.leggi(engine(db_url), anno, province, al, scadenza_gg, tolleranza)
