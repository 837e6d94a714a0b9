"""Cached loaders of the Misure PAL page."""

from __future__ import annotations

from dashboard.letture import misure as letture
from dashboard.loaders import cache_dati, engine, nel_perimetro


@nel_perimetro
@cache_dati
def quadro(db_url: str, anno: int, province: tuple[str, ...]) -> letture.QuadroMisure:
    """The measures' figures for a year and a perimeter, privacy applied."""
    return letture.quadro(engine(db_url), anno, province)


@nel_perimetro
@cache_dati
def controlli(db_url: str, province: tuple[str, ...]) -> list[letture.Controllo]:
    """The rule checks with the rows that break them."""
    return letture.controlli(engine(db_url), province)
