"""Aggregates behind the Esporta dati page: step stages by province, high-complexity cases, tavoli.

The procedures-by-province dataset is `procedure.per_provincia` (the official-table cells).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.engine import Engine

from data_access.dominio import TIPO_MODELLO_STEP
from data_access.queries import leggi
from data_access.schema import (
    azienda,
    caso_alta_complessita,
    lavoratore,
    procedura,
    procedura_unita,
    tavolo,
    tavolo_caso,
)

ca = caso_alta_complessita.c
pr = procedura.c

SCHEMA_STEP = {"sigla": pl.String, "stato": pl.String, "lavoratori": pl.Int64}


def step_per_provincia(engine: Engine, anno: int) -> pl.DataFrame:
    """Workers of the year's step cohort by province and furthest stage reached, for every province.

    All provinces, whatever the filter: suppression is decided on the whole table, so that the same cell is hidden
    in every export and no two exports can be subtracted from each other.
    """
    lv = lavoratore.c
    stmt = (
        select(lv.sigla_provincia.label("sigla"), lv.stato_step.label("stato"), func.count().label("lavoratori"))
        .where(lv.anno == anno, lv.tipo == TIPO_MODELLO_STEP, lv.stato_step.is_not(None))
        .group_by(lv.sigla_provincia, lv.stato_step)
        .order_by(lv.sigla_provincia, lv.stato_step)
    )
    return leggi(engine, stmt, SCHEMA_STEP)


SCHEMA_CASI = {
    "codice": pl.String,
    "ragione_sociale": pl.String,
    "ateco_codice": pl.String,
    "ateco_descrizione": pl.String,
    "stato": pl.String,
    "rischio": pl.String,
    "livelli_istituzionali": pl.String,
    "data_apertura": pl.Date,
    "prossima_scadenza": pl.Date,
    "tipo_scadenza": pl.String,
    "data_ultimo_aggiornamento": pl.Date,
}
SCHEMA_COINVOLGIMENTO = {
    "codice": pl.String,
    "tipo": pl.String,
    "sigla": pl.String,
    "unita": pl.Int64,
    "lavoratori": pl.Int64,
    "procedure": pl.Int64,
}


def _procedure_del_caso(anno: int):
    # A case's procedures are its company's procedures flagged as high complexity (as on the Casi page).
    return and_(pr.azienda_id == ca.azienda_id, pr.alta_complessita.is_(True), pr.anno == anno)


def coinvolgimento_casi(engine: Engine, anno: int, tipi: Sequence[str], province: Sequence[str]) -> pl.DataFrame:
    """Units, workers and procedures of each case in the year, by procedure type and province, within the filters."""
    pu = procedura_unita.c
    stmt = (
        select(
            ca.codice,
            pu.tipo,
            pu.sigla_provincia.label("sigla"),
            func.count().label("unita"),
            func.coalesce(func.sum(pu.lavoratori), 0).label("lavoratori"),
            func.count(distinct(pu.procedura_id)).label("procedure"),
        )
        .join_from(caso_alta_complessita, procedura, _procedure_del_caso(anno))
        .join(procedura_unita, pu.procedura_id == pr.id)
        .where(pu.tipo.in_(list(tipi)), pu.sigla_provincia.in_(list(province)))
        .group_by(ca.codice, pu.tipo, pu.sigla_provincia)
        .order_by(ca.codice, pu.tipo, pu.sigla_provincia)
    )
    return leggi(engine, stmt, SCHEMA_COINVOLGIMENTO)


def casi(engine: Engine, codici: Sequence[str]) -> pl.DataFrame:
    """The sheet of each case listed (company, sector, state, risk, deadlines); free-text notes are left out."""
    az = azienda.c
    stmt = (
        select(
            ca.codice,
            az.ragione_sociale,
            az.ateco_codice,
            az.ateco_descrizione,
            ca.stato,
            ca.rischio,
            ca.livelli_istituzionali,
            ca.data_apertura,
            ca.prossima_scadenza,
            ca.tipo_scadenza,
            ca.data_ultimo_aggiornamento,
        )
        .join_from(caso_alta_complessita, azienda, az.id == ca.azienda_id)
        .where(ca.codice.in_(list(codici)))
        .order_by(ca.codice)
    )
    return leggi(engine, stmt, SCHEMA_CASI)


SCHEMA_TAVOLI = {"id": pl.Int64, "data": pl.Date, "tipo": pl.String, "sigla": pl.String, "casi": pl.Int64}
SCHEMA_DISCUSSI = {"id": pl.Int64, "codice": pl.String, "ragione_sociale": pl.String}


def _tavoli_scelti(anno: int, province: Sequence[str]):
    # The regional table concerns every province; a bilateral one only its own (as for the headline figures).
    tv = tavolo.c
    return and_(
        tv.anno == anno,
        or_(tv.tipo == "regionale", and_(tv.tipo == "bilaterale", tv.sigla_provincia.in_(list(province)))),
    )


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
    tv = tavolo.c
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
