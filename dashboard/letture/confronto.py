"""Composed reads of the Confronto anni view: the official tables' cells, on the whole years or the same period."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy.engine import Engine

from dashboard.viste.confronto import Periodo
from data_access.dominio import SIGLE
from data_access.queries import procedure


def celle(engine: Engine, anni: Sequence[int], tipi: Sequence[str], periodo: Periodo | None = None) -> pl.DataFrame:
    """Units, workers and procedures by (year, type, province), all provinces (weights are on the regional total).

    With a period (`viste.confronto.periodo_confrontato`), each year counts only the procedures started by the
    period's cut-off in that year: the same-period comparison of an incomplete year.
    """
    tagli = {a: periodo.fino_al(a) for a in anni} if periodo is not None else None
    return procedure.per_provincia(engine, anni, tipi, SIGLE, fino_al=tagli)
