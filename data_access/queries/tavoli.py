"""Aggregates behind the Esporta dati page that no other page lists: the tavoli and the cases they discussed.

The other datasets come from the queries of the pages that show them: `procedure.per_provincia` (official-table
cells), `step.percorsi` (the step cohort) and the `casi` queries (the watch list of high-complexity cases).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.engine import Engine

from data_access.queries import leggi
from data_access.queries.procedure import tavoli_delle_province
from data_access.schema import azienda, caso_alta_complessita, tavolo, tavolo_caso

SCHEMA_TAVOLI = {"id": pl.Int64, "data": pl.Date, "tipo": pl.String, "sigla": pl.String, "casi": pl.Int64}
SCHEMA_DISCUSSI = {"id": pl.Int64, "codice": pl.String, "ragione_sociale": pl.String}


def _tavoli_scelti(anno: int, province: Sequence[str]) -> ColumnElement[bool]:
    # The same tavoli as the headline figures count (procedure.indicatori).
    return and_(tavolo.c.anno == anno, tavoli_delle_province(province))


def tavoli(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """The year's tavoli concerning the provinces, with how many high-complexity cases each discussed."""
    tv = tavolo.c
    stmt = (
        select(
            tv.id,
            tv.data,
            tv.tipo,
            tv.sigla_provincia.label("sigla"),
            func.count(tavolo_caso.c.caso_id).label("casi"),
        )
        .select_from(tavolo)
        .outerjoin(tavolo_caso, tavolo_caso.c.tavolo_id == tv.id)
        .where(_tavoli_scelti(anno, province))
        .group_by(tv.id, tv.data, tv.tipo, tv.sigla_provincia)
        .order_by(tv.data, tv.id)
    )
    return leggi(engine, stmt, SCHEMA_TAVOLI)


def casi_discussi(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Which case (code and company) each of those tavoli discussed: one row per tavolo and case."""
    tv, ca = tavolo.c, caso_alta_complessita.c
    stmt = (
        select(tv.id, ca.codice, azienda.c.ragione_sociale)
        .select_from(tavolo)
        .join(tavolo_caso, tavolo_caso.c.tavolo_id == tv.id)
        .join(caso_alta_complessita, ca.id == tavolo_caso.c.caso_id)
        .join(azienda, azienda.c.id == ca.azienda_id)
        .where(_tavoli_scelti(anno, province))
        .order_by(tv.id, ca.codice)
    )
    return leggi(engine, stmt, SCHEMA_DISCUSSI)


SCHEMA_SEDUTE = {"data": pl.Date, "tipo": pl.String, "sigla": pl.String}


def sedute(engine: Engine, anni: Sequence[int], province: Sequence[str]) -> pl.DataFrame:
    """The dates of the tavoli of those years concerning the provinces (regional and bilateral), by date."""
    tv = tavolo.c
    stmt = (
        select(tv.data, tv.tipo, tv.sigla_provincia.label("sigla"))
        .where(tv.anno.in_(list(anni)), tavoli_delle_province(province))
        .order_by(tv.data, tv.id)
    )
    return leggi(engine, stmt, SCHEMA_SEDUTE)
