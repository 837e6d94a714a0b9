"""High-complexity cases: the watch list and one case's detail, aggregated by the database.

A case belongs to a company; its procedures are that company's procedures flagged `alta_complessita`.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import and_, func, literal, select, true, union_all
from sqlalchemy.engine import Engine

from data_access.dominio import SIGLE, TIPO_MODELLO_STEP
from data_access.queries import leggi
from data_access.queries.procedure import SCHEMA_CONTEGGI, conteggi_ufficiali
from data_access.schema import (
    DATE_STEP,
    agg_step_procedura,
    azienda,
    caso_alta_complessita,
    comune,
    lavoratore,
    procedura,
    procedura_unita,
    tavolo,
    tavolo_caso,
    unita_produttiva,
)

ca = caso_alta_complessita.c
pr = procedura.c

# The one definition of which procedures make up a case, and the joins every query starts from.
PROCEDURE_DEI_CASI = caso_alta_complessita.join(
    procedura, and_(pr.azienda_id == ca.azienda_id, pr.alta_complessita.is_(True))
)
_UNITA_DEI_CASI = PROCEDURE_DEI_CASI.join(procedura_unita, procedura_unita.c.procedura_id == pr.id)
_LAVORATORI_DEI_CASI = PROCEDURE_DEI_CASI.join(lavoratore, lavoratore.c.procedura_id == pr.id)
_TAVOLI_DEI_CASI = caso_alta_complessita.join(tavolo_caso, tavolo_caso.c.caso_id == ca.id).join(
    tavolo, tavolo.c.id == tavolo_caso.c.tavolo_id
)

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
    "note": pl.String,
    "referente": pl.String,
    "contatto_referente": pl.String,
}


def casi(engine: Engine) -> pl.DataFrame:
    """One row per case, with its company and sector."""
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
            ca.note,
            ca.referente,
            ca.contatto_referente,
        )
        .join_from(caso_alta_complessita, azienda, az.id == ca.azienda_id)
        .order_by(ca.codice)
    )
    return leggi(engine, stmt, SCHEMA_CASI)


SCHEMA_COINVOLGIMENTO = {"codice": pl.String, "tipo": pl.String, "sigla": pl.String, **SCHEMA_CONTEGGI}


def coinvolgimento(engine: Engine, province: tuple[str, ...] = SIGLE) -> pl.DataFrame:
    """Units, workers and procedures of each case by procedure type and province (official-table counting)."""
    pu = procedura_unita.c
    stmt = (
        select(ca.codice, pu.tipo, pu.sigla_provincia.label("sigla"), *conteggi_ufficiali())
        .select_from(_UNITA_DEI_CASI)
        .where(pu.sigla_provincia.in_(province))
        .group_by(ca.codice, pu.tipo, pu.sigla_provincia)
        .order_by(ca.codice, pu.tipo, pu.sigla_provincia)
    )
    return leggi(engine, stmt, SCHEMA_COINVOLGIMENTO)


SCHEMA_STEP = {"codice": pl.String, "stato_step": pl.String, "lavoratori": pl.Int64}


def step_per_caso(engine: Engine, codice: str | None = None, province: tuple[str, ...] = SIGLE) -> pl.DataFrame:
    """Workers of each case's step cohort by furthest stage reached (STEP1..STEP4, NOPAL), in `province`."""
    if set(province) != set(SIGLE):  # a part of a case: its workers in the provinces, row by row
        lv = lavoratore.c
        stmt = (
            select(ca.codice, lv.stato_step, func.count().label("lavoratori"))
            .select_from(_LAVORATORI_DEI_CASI)
            .where(lv.tipo == TIPO_MODELLO_STEP, lv.stato_step.is_not(None), lv.sigla_provincia.in_(province))
            .group_by(ca.codice, lv.stato_step)
            .order_by(ca.codice, lv.stato_step)
        )
        return leggi(engine, stmt if codice is None else stmt.where(ca.codice == codice), SCHEMA_STEP)
    # The derived table counts the cohort's workers by procedure: the same figures without reading worker rows.
    a = agg_step_procedura.c
    stmt = (
        select(ca.codice, a.stato_step, func.sum(a.lavoratori).label("lavoratori"))
        .select_from(PROCEDURE_DEI_CASI.join(agg_step_procedura, a.procedura_id == pr.id))
        .where(a.tipo == TIPO_MODELLO_STEP)
        .group_by(ca.codice, a.stato_step)
        .order_by(ca.codice, a.stato_step)
    )
    if codice is not None:
        stmt = stmt.where(ca.codice == codice)
    return leggi(engine, stmt, SCHEMA_STEP)


SCHEMA_TAVOLI_PER_CASO = {"codice": pl.String, "tavoli": pl.Int64, "ultimo_tavolo": pl.Date}


def tavoli_per_caso(engine: Engine, al: date) -> pl.DataFrame:
    """Tavoli that discussed each case up to a date: how many and the last one."""
    tv = tavolo.c
    stmt = (
        select(ca.codice, func.count().label("tavoli"), func.max(tv.data).label("ultimo_tavolo"))
        .select_from(_TAVOLI_DEI_CASI)
        .where(tv.data <= al)
        .group_by(ca.codice)
        .order_by(ca.codice)
    )
    return leggi(engine, stmt, SCHEMA_TAVOLI_PER_CASO)


# --- one case ---------------------------------------------------------------------------------------------

SCHEMA_PROCEDURE = {
    "codice_fonte": pl.String,
    "tipo": pl.String,
    "anno": pl.Int64,
    "data_inizio": pl.Date,
    "data_fine": pl.Date,
    "stato": pl.String,
    "unita": pl.Int64,
    "lavoratori": pl.Int64,
}


def procedure_caso(engine: Engine, codice: str, province: tuple[str, ...] = SIGLE) -> pl.DataFrame:
    """The case's procedures with their period, state, units and workers (only those and their units in `province`)."""
    pu = procedura_unita.c
    stmt = (
        select(
            pr.codice_fonte,
            pr.tipo,
            pr.anno,
            pr.data_inizio,
            pr.data_fine,
            pr.stato,
            func.count(pu.unita_id).label("unita"),
            func.coalesce(func.sum(pu.lavoratori), 0).label("lavoratori"),
        )
        .select_from(PROCEDURE_DEI_CASI.outerjoin(procedura_unita, pu.procedura_id == pr.id))
        .where(ca.codice == codice)
        .where(pu.sigla_provincia.in_(province) if set(province) != set(SIGLE) else true())
        .group_by(pr.id, pr.codice_fonte, pr.tipo, pr.anno, pr.data_inizio, pr.data_fine, pr.stato)
        .order_by(pr.data_inizio, pr.codice_fonte)
    )
    return leggi(engine, stmt, SCHEMA_PROCEDURE)


SCHEMA_TAVOLI = {"data": pl.Date, "tipo": pl.String, "sigla": pl.String}


def tavoli_caso(engine: Engine, codice: str, al: date) -> pl.DataFrame:
    """The tavoli where the case was discussed up to a date, by date."""
    tv = tavolo.c
    stmt = (
        select(tv.data, tv.tipo, tv.sigla_provincia.label("sigla"))
        .select_from(_TAVOLI_DEI_CASI)
        .where(ca.codice == codice, tv.data <= al)
        .order_by(tv.data)
    )
    return leggi(engine, stmt, SCHEMA_TAVOLI)


SCHEMA_PROGRESSIONE = {"step": pl.String, "data": pl.Date, "lavoratori": pl.Int64}


def progressione_step(engine: Engine, codice: str, province: tuple[str, ...] = SIGLE) -> pl.DataFrame:
    """Workers of the case (in `province`) reaching each step, per day (the dates of STEP 1 to STEP 4)."""
    lv = lavoratore.c
    parti = []
    for step, colonna in DATE_STEP.items():
        parti.append(
            select(literal(step).label("step"), colonna.label("data"), func.count().label("lavoratori"))
            .select_from(_LAVORATORI_DEI_CASI)
            .where(ca.codice == codice, lv.tipo == TIPO_MODELLO_STEP, colonna.is_not(None))
            .where(lv.sigla_provincia.in_(province))
            .group_by(colonna)
        )
    unione = union_all(*parti).subquery()
    stmt = select(unione.c.step, unione.c.data, unione.c.lavoratori).order_by(unione.c.step, unione.c.data)
    return leggi(engine, stmt, SCHEMA_PROGRESSIONE)


SCHEMA_UNITA = {
    "codice_fonte": pl.String,
    "comune": pl.String,
    "sigla": pl.String,
    "lat": pl.Float64,
    "lon": pl.Float64,
    "lavoratori": pl.Int64,
}


def unita_caso(engine: Engine, codice: str) -> pl.DataFrame:
    """The case's production units, placed at their municipality, with the workers involved there."""
    pu, up, co = procedura_unita.c, unita_produttiva.c, comune.c
    stmt = (
        select(
            up.codice_fonte,
            co.nome.label("comune"),
            up.sigla_provincia.label("sigla"),
            co.lat,
            co.lon,
            func.coalesce(func.sum(pu.lavoratori), 0).label("lavoratori"),
        )
        .select_from(_UNITA_DEI_CASI)
        .join(unita_produttiva, up.id == pu.unita_id)
        .join(comune, co.codice_istat == up.codice_comune)
        .where(ca.codice == codice)
        .group_by(up.id, up.codice_fonte, co.nome, up.sigla_provincia, co.lat, co.lon)
        .order_by(up.codice_fonte)
    )
    return leggi(engine, stmt, SCHEMA_UNITA)
