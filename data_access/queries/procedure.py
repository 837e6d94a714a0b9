"""Procedures by year, type and province: the cells of the Region's official tables, and the headline figures."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import and_, case, distinct, func, or_, select
from sqlalchemy.engine import Engine

from data_access.dominio import TIPO_MODELLO_STEP
from data_access.queries import leggi
from data_access.schema import lavoratore, procedura_unita, tavolo

SCHEMA_CELLE = {
    "anno": pl.Int64,
    "tipo": pl.String,
    "sigla": pl.String,
    "unita": pl.Int64,
    "lavoratori": pl.Int64,
    "procedure": pl.Int64,
}


def per_provincia(engine: Engine, anni: Sequence[int], tipi: Sequence[str], province: Sequence[str]) -> pl.DataFrame:
    """Units, workers and procedures by (year, type, province), with a zero row for every empty cell."""
    pu = procedura_unita.c
    stmt = (
        select(
            pu.anno,
            pu.tipo,
            pu.sigla_provincia.label("sigla"),
            func.count().label("unita"),
            func.coalesce(func.sum(pu.lavoratori), 0).label("lavoratori"),
            func.count(distinct(pu.procedura_id)).label("procedure"),
        )
        .where(pu.anno.in_(list(anni)), pu.tipo.in_(list(tipi)), pu.sigla_provincia.in_(list(province)))
        .group_by(pu.anno, pu.tipo, pu.sigla_provincia)
    )
    found = leggi(engine, stmt, SCHEMA_CELLE)
    grid = (
        pl.DataFrame({"anno": list(anni)}, schema={"anno": pl.Int64})
        .join(pl.DataFrame({"tipo": list(tipi)}, schema={"tipo": pl.String}), how="cross")
        .join(pl.DataFrame({"sigla": list(province)}, schema={"sigla": pl.String}), how="cross")
    )
    return (
        grid.join(found, on=["anno", "tipo", "sigla"], how="left")
        .with_columns(pl.col("unita", "lavoratori", "procedure").fill_null(0))
        .sort("anno", "tipo", "sigla")
    )


SCHEMA_INDICATORI = {
    "anno": pl.Int64,
    "lavoratori": pl.Int64,
    "unita": pl.Int64,
    "procedure": pl.Int64,
    "coorte_step": pl.Int64,
    "step4": pl.Int64,
    "tavoli_regionali": pl.Int64,
    "tavoli_bilaterali": pl.Int64,
}


def indicatori(engine: Engine, anni: Sequence[int], tipi: Sequence[str], province: Sequence[str]) -> pl.DataFrame:
    """Headline figures per year: workers, units, distinct procedures, step cohort and STEP 4, tavoli."""
    anni, tipi, province = list(anni), list(tipi), list(province)
    pu = procedura_unita.c
    proc = leggi(
        engine,
        select(
            pu.anno,
            func.coalesce(func.sum(pu.lavoratori), 0).label("lavoratori"),
            func.count().label("unita"),
            func.count(distinct(pu.procedura_id)).label("procedure"),
        )
        .where(pu.anno.in_(anni), pu.tipo.in_(tipi), pu.sigla_provincia.in_(province))
        .group_by(pu.anno),
        {"anno": pl.Int64, "lavoratori": pl.Int64, "unita": pl.Int64, "procedure": pl.Int64},
    )
    lv = lavoratore.c
    step = leggi(
        engine,
        select(
            lv.anno,
            func.count().label("coorte_step"),
            func.coalesce(func.sum(case((lv.stato_step == "STEP4", 1), else_=0)), 0).label("step4"),
        )
        .where(
            lv.anno.in_(anni),
            lv.tipo == TIPO_MODELLO_STEP,
            lv.tipo.in_(tipi),
            lv.sigla_provincia.in_(province),
            lv.stato_step.is_not(None),
        )
        .group_by(lv.anno),
        {"anno": pl.Int64, "coorte_step": pl.Int64, "step4": pl.Int64},
    )
    tv = tavolo.c
    tav = leggi(
        engine,
        select(
            tv.anno,
            func.coalesce(func.sum(case((tv.tipo == "regionale", 1), else_=0)), 0).label("tavoli_regionali"),
            func.coalesce(func.sum(case((tv.tipo == "bilaterale", 1), else_=0)), 0).label("tavoli_bilaterali"),
        )
        .where(
            tv.anno.in_(anni),
            or_(tv.tipo == "regionale", and_(tv.tipo == "bilaterale", tv.sigla_provincia.in_(province))),
        )
        .group_by(tv.anno),
        {"anno": pl.Int64, "tavoli_regionali": pl.Int64, "tavoli_bilaterali": pl.Int64},
    )
    out = pl.DataFrame({"anno": anni}, schema={"anno": pl.Int64})
    for part in (proc, step, tav):
        out = out.join(part, on="anno", how="left")
    return out.with_columns(pl.exclude("anno").fill_null(0)).select(list(SCHEMA_INDICATORI)).sort("anno")
