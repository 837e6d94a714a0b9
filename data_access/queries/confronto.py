"""Year-on-year comparison over the same period: the official tables' cells counted up to a cut-off date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import polars as pl
from sqlalchemy.engine import Engine

from data_access.queries import procedure


def per_provincia_fino_al(
    engine: Engine, fino_al: Mapping[int, date], tipi: Sequence[str], province: Sequence[str]
) -> pl.DataFrame:
    """Units, workers and procedures by (year, type, province) for procedures started by each year's cut-off date."""
    return procedure.per_provincia(engine, sorted(fino_al), tipi, province, fino_al=fino_al)
