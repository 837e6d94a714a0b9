"""Figures by province and by municipality for the maps: workers, units, procedures, step cohort, employed."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_access.dominio import SIGLE
from data_access.queries import leggi, step
from data_access.queries.procedure import SCHEMA_CONTEGGI, conteggi_ufficiali
from data_access.schema import agg_step_percorsi, comune, procedura_unita, provincia, unita_produttiva

SCHEMA_PROVINCE = {"anno": pl.Int64, "sigla": pl.String, **SCHEMA_CONTEGGI}


def per_provincia(engine: Engine, anni: Sequence[int], tipi: Sequence[str]) -> pl.DataFrame:
    """Workers, units and distinct procedures by (year, province) for the given types, every province present."""
    anni, tipi = list(anni), list(tipi)
    pu = procedura_unita.c
    stmt = (
        select(pu.anno, pu.sigla_provincia.label("sigla"), *conteggi_ufficiali())
        .where(pu.anno.in_(anni), pu.tipo.in_(tipi))
        .group_by(pu.anno, pu.sigla_provincia)
    )
    trovate = leggi(engine, stmt, SCHEMA_PROVINCE)
    griglia = pl.DataFrame({"anno": anni}, schema={"anno": pl.Int64}).join(
        pl.DataFrame({"sigla": list(SIGLE)}, schema={"sigla": pl.String}), how="cross"
    )
    return (
        griglia.join(trovate, on=["anno", "sigla"], how="left")
        .with_columns(pl.col("lavoratori", "unita", "procedure").fill_null(0))
        .sort("anno", "sigla")
    )


def coorte_step(engine: Engine, anno: int, tipi: Sequence[str], province: Sequence[str] = SIGLE) -> pl.DataFrame:
    """The step-model cohort (CIGS ministeriali with a step state) and how many reached STEP 4, by province.

    Provinces outside `province` (the user's perimeter) are not read: they come back with a zero cohort.
    """
    a = agg_step_percorsi.c  # the cohort's workers by stage, kept by the loader (no worker rows read)
    stmt = (
        select(
            a.sigla_provincia.label("sigla"), func.sum(a.lavoratori).label("coorte"), step.pal_attivate().label("step4")
        )
        .where(step.coorte(agg_step_percorsi, (anno,), tipi=tipi), a.sigla_provincia.in_(list(province)))
        .group_by(a.sigla_provincia)
    )
    trovate = leggi(engine, stmt, {"sigla": pl.String, "coorte": pl.Int64, "step4": pl.Int64})
    return (
        pl.DataFrame({"sigla": list(SIGLE)}, schema={"sigla": pl.String})
        .join(trovate, on="sigla", how="left")
        .with_columns(pl.col("coorte", "step4").fill_null(0))
    )


def occupati(engine: Engine) -> pl.DataFrame:
    """Employed residents by province (NULL where the database has no figure)."""
    pr = provincia.c
    trovate = leggi(
        engine, select(pr.sigla, pr.occupati).order_by(pr.sigla), {"sigla": pl.String, "occupati": pl.Int64}
    )
    return pl.DataFrame({"sigla": list(SIGLE)}, schema={"sigla": pl.String}).join(trovate, on="sigla", how="left")


SCHEMA_COMUNI = {
    "codice_comune": pl.String,
    "comune": pl.String,
    "sigla": pl.String,
    "lat": pl.Float64,
    "lon": pl.Float64,
    "unita": pl.Int64,
    "lavoratori": pl.Int64,
}


def per_comune(engine: Engine, anno: int, tipi: Sequence[str], province: Sequence[str] = SIGLE) -> pl.DataFrame:
    """Units involved (as counted by the official tables) and their workers by municipality of `province`."""
    pu, up, co = procedura_unita.c, unita_produttiva.c, comune.c
    stmt = (
        select(
            co.codice_istat.label("codice_comune"),
            co.nome.label("comune"),
            co.sigla_provincia.label("sigla"),
            co.lat,
            co.lon,
            *conteggi_ufficiali()[:2],  # units and workers, as the official tables count them
        )
        .select_from(
            procedura_unita.join(unita_produttiva, up.id == pu.unita_id).join(
                comune, co.codice_istat == up.codice_comune
            )
        )
        .where(pu.anno == anno, pu.tipo.in_(list(tipi)), co.sigla_provincia.in_(list(province)))
        .group_by(co.codice_istat, co.nome, co.sigla_provincia, co.lat, co.lon)
        .order_by(func.sum(pu.lavoratori).desc(), co.codice_istat)
    )
    return leggi(engine, stmt, SCHEMA_COMUNI)
