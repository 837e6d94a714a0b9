"""Procedures by year, type and province: the cells of the Region's official tables, and the headline figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import polars as pl
from sqlalchemy import ColumnElement, Label, and_, case, distinct, func, or_, select
from sqlalchemy.engine import Engine

from data_access.dominio import TAVOLO_BILATERALE, TAVOLO_REGIONALE
from data_access.queries import leggi, step
from data_access.schema import (
    agg_step_percorsi,
    azienda,
    comune,
    procedura,
    procedura_unita,
    tavolo,
    unita_produttiva,
)

# The columns of conteggi_ufficiali, and the cells of the official tables that carry them.
SCHEMA_CONTEGGI = {"unita": pl.Int64, "lavoratori": pl.Int64, "procedure": pl.Int64}
SCHEMA_CELLE = {"anno": pl.Int64, "tipo": pl.String, "sigla": pl.String, **SCHEMA_CONTEGGI}


def conteggi_ufficiali() -> tuple[Label[int], Label[int], Label[int]]:
    """The official tables' counting over procedura_unita rows: units involved, workers involved, distinct procedures.

    A unit counts once for every procedure that involves it; a procedure spread over several provinces counts once
    in each of them (and once in a total over provinces).
    """
    pu = procedura_unita.c
    return (
        func.count().label("unita"),
        func.coalesce(func.sum(pu.lavoratori), 0).label("lavoratori"),
        func.count(distinct(pu.procedura_id)).label("procedure"),
    )


def per_provincia(
    engine: Engine,
    anni: Sequence[int],
    tipi: Sequence[str],
    province: Sequence[str],
    fino_al: Mapping[int, date] | None = None,
) -> pl.DataFrame:
    """Units, workers and procedures by (year, type, province), with a zero row for every empty cell.

    With `fino_al` (a cut-off date per year) a procedure counts in its year only when it started by that year's
    cut-off: the same-period comparison of an incomplete year. A year without a cut-off counts in full.
    """
    anni, tipi, province = list(anni), list(tipi), list(province)
    pu = procedura_unita.c
    stmt = (
        select(pu.anno, pu.tipo, pu.sigla_provincia.label("sigla"), *conteggi_ufficiali())
        .where(pu.anno.in_(anni), pu.tipo.in_(tipi), pu.sigla_provincia.in_(province))
        .group_by(pu.anno, pu.tipo, pu.sigla_provincia)
    )
    if fino_al:
        stmt = stmt.join(procedura, procedura.c.id == pu.procedura_id).where(_avviate_entro(fino_al))
    found = leggi(engine, stmt, SCHEMA_CELLE)
    grid = (
        pl.DataFrame({"anno": anni}, schema={"anno": pl.Int64})
        .join(pl.DataFrame({"tipo": tipi}, schema={"tipo": pl.String}), how="cross")
        .join(pl.DataFrame({"sigla": province}, schema={"sigla": pl.String}), how="cross")
    )
    return (
        grid.join(found, on=["anno", "tipo", "sigla"], how="left")
        .with_columns(pl.col(*SCHEMA_CONTEGGI).fill_null(0))
        .sort("anno", "tipo", "sigla")
    )


def _avviate_entro(fino_al: Mapping[int, date]) -> ColumnElement[bool]:
    """Rows of procedures started between 1 January and their year's cut-off (years without one: all rows)."""
    pu, pr = procedura_unita.c, procedura.c
    return or_(
        pu.anno.not_in(list(fino_al)),
        *(and_(pu.anno == anno, pr.data_inizio <= giorno) for anno, giorno in fino_al.items()),
    )


def tavoli_delle_province(province: Sequence[str]) -> ColumnElement[bool]:
    """The tavoli concerning the provinces: the regional table concerns all of them, a bilateral one its own."""
    tv = tavolo.c
    return or_(tv.tipo == TAVOLO_REGIONALE, and_(tv.tipo == TAVOLO_BILATERALE, tv.sigla_provincia.in_(list(province))))


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
        select(pu.anno, *conteggi_ufficiali())
        .where(pu.anno.in_(anni), pu.tipo.in_(tipi), pu.sigla_provincia.in_(province))
        .group_by(pu.anno),
        {"anno": pl.Int64, **SCHEMA_CONTEGGI},
    )
    a = agg_step_percorsi.c  # the cohort's workers by stage, kept by the loader (no worker rows read)
    coorte = leggi(
        engine,
        select(a.anno, func.sum(a.lavoratori).label("coorte_step"), step.pal_attivate().label("step4"))
        .where(step.coorte(agg_step_percorsi, anni, province, tipi))
        .group_by(a.anno),
        {"anno": pl.Int64, "coorte_step": pl.Int64, "step4": pl.Int64},
    )
    tv = tavolo.c
    tav = leggi(
        engine,
        select(
            tv.anno,
            func.coalesce(func.sum(case((tv.tipo == TAVOLO_REGIONALE, 1), else_=0)), 0).label("tavoli_regionali"),
            func.coalesce(func.sum(case((tv.tipo == TAVOLO_BILATERALE, 1), else_=0)), 0).label("tavoli_bilaterali"),
        )
        .where(tv.anno.in_(anni), tavoli_delle_province(province))
        .group_by(tv.anno),
        {"anno": pl.Int64, "tavoli_regionali": pl.Int64, "tavoli_bilaterali": pl.Int64},
    )
    out = pl.DataFrame({"anno": anni}, schema={"anno": pl.Int64})
    for part in (proc, coorte, tav):
        out = out.join(part, on="anno", how="left")
    return out.with_columns(pl.exclude("anno").fill_null(0)).select(list(SCHEMA_INDICATORI)).sort("anno")


# --- procedures in force over a span of days (the bimonthly report) -----------------------------------------------

SCHEMA_UNITA_NEL_PERIODO = {
    "procedura_id": pl.Int64,
    "codice_procedura": pl.String,
    "tipo": pl.String,
    "linea_guida": pl.String,
    "data_inizio": pl.Date,
    "data_fine": pl.Date,
    "alta_complessita": pl.Boolean,
    "ragione_sociale": pl.String,
    "ateco_codice": pl.String,
    "ateco_descrizione": pl.String,
    "codice_unita": pl.String,
    "indirizzo": pl.String,
    "codice_comune": pl.String,
    "comune": pl.String,
    "sigla": pl.String,
    "lat": pl.Float64,
    "lon": pl.Float64,
    "lavoratori": pl.Int64,
}


def unita_nel_periodo(
    engine: Engine, dal: date, al: date, tipi: Sequence[str], province: Sequence[str]
) -> pl.DataFrame:
    """One row per production unit of a procedure authorised on some day from `dal` to `al`, in the provinces.

    A procedure is in force from its start to the end of its authorisation, both included (no end: still open).
    """
    pu, up, co, az = procedura_unita.c, unita_produttiva.c, comune.c, azienda.c
    pr = procedura.c
    stmt = (
        select(
            pr.id.label("procedura_id"),
            pr.codice_fonte.label("codice_procedura"),
            pr.tipo,
            pr.linea_guida,
            pr.data_inizio,
            pr.data_fine,
            pr.alta_complessita,
            az.ragione_sociale,
            az.ateco_codice,
            az.ateco_descrizione,
            up.codice_fonte.label("codice_unita"),
            up.indirizzo,
            co.codice_istat.label("codice_comune"),
            co.nome.label("comune"),
            pu.sigla_provincia.label("sigla"),
            co.lat,
            co.lon,
            pu.lavoratori,
        )
        .select_from(
            procedura_unita.join(procedura, pr.id == pu.procedura_id)
            .join(azienda, az.id == pr.azienda_id)
            .join(unita_produttiva, up.id == pu.unita_id)
            .join(comune, co.codice_istat == up.codice_comune)
        )
        .where(
            pr.tipo.in_(list(tipi)),
            pu.sigla_provincia.in_(list(province)),
            pr.data_inizio <= al,
            or_(pr.data_fine.is_(None), pr.data_fine >= dal),
        )
        .order_by(pr.codice_fonte, up.codice_fonte)
    )
    return leggi(engine, stmt, SCHEMA_UNITA_NEL_PERIODO)


def primo_inizio(engine: Engine, tipi: Sequence[str]) -> date | None:
    """The earliest start of a procedure of the given types (None in an empty database)."""
    df = leggi(
        engine,
        select(func.min(procedura.c.data_inizio).label("primo")).where(procedura.c.tipo.in_(list(tipi))),
        {"primo": pl.Date},
    )
    return df["primo"][0]
