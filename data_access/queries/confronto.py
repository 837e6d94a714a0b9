"""Year-on-year comparison over the same period: the official tables' cells counted up to a cut-off date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import polars as pl
from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.engine import Engine

from data_access.queries import leggi
from data_access.queries.procedure import SCHEMA_CELLE
from data_access.schema import procedura, procedura_unita


def per_provincia_fino_al(
    engine: Engine, fino_al: Mapping[int, date], tipi: Sequence[str], province: Sequence[str]
) -> pl.DataFrame:
    """Units, workers and procedures by (year, type, province) for procedures started by each year's cut-off date."""
    anni, tipi, province = sorted(fino_al), list(tipi), list(province)
    pu, pr = procedura_unita.c, procedura.c
    # A procedure counts in year Y when it started between 1 January and the cut-off of Y.
    nel_periodo = or_(*(and_(pu.anno == a, pr.data_inizio <= fino_al[a]) for a in anni)) if anni else pu.anno.is_(None)
    stmt = (
        select(
            pu.anno,
            pu.tipo,
            pu.sigla_provincia.label("sigla"),
            func.count().label("unita"),
            func.coalesce(func.sum(pu.lavoratori), 0).label("lavoratori"),
            func.count(distinct(pu.procedura_id)).label("procedure"),
        )
        .join(procedura, procedura.c.id == pu.procedura_id)
        .where(nel_periodo, pu.tipo.in_(tipi), pu.sigla_provincia.in_(province))
        .group_by(pu.anno, pu.tipo, pu.sigla_provincia)
    )
    found = leggi(engine, stmt, SCHEMA_CELLE)
    grid = (
        pl.DataFrame({"anno": anni}, schema={"anno": pl.Int64})
        .join(pl.DataFrame({"tipo": tipi}, schema={"tipo": pl.String}), how="cross")
        .join(pl.DataFrame({"sigla": province}, schema={"sigla": pl.String}), how="cross")
    )
    return (
        grid.join(found, on=["anno", "tipo", "sigla"], how="left")
        .with_columns(pl.col("unita", "lavoratori", "procedure").fill_null(0))
        .sort("anno", "tipo", "sigla")
    )
