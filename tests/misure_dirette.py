"""The Misure PAL rule checks and project lists computed straight from the record rows, without derived tables.

The reference the page's queries (which read the agg_misure_* tables written by the loader) are checked against.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import case, distinct, func, literal, or_, select
from sqlalchemy.engine import Engine

from data_access.dominio import MISURE
from data_access.queries import leggi
from data_access.queries import misure as q
from data_access.schema import azienda, intervento_pal, operatore, progetto_rete

iv = intervento_pal.c


def _riga() -> list:
    return [
        iv.codice_fonte.label("codice"),
        iv.misura,
        iv.anno,
        iv.id_lavoratore,
        azienda.c.ragione_sociale.label("azienda"),
        iv.sigla_provincia.label("sigla"),
        iv.data_assegnazione,
    ]


def oltre_massimale(engine: Engine, province: Sequence[str]) -> pl.DataFrame:
    """Records above the cap per person, filtered on every record of the perimeter."""
    assegnato, risultato = q.tetto("assegnato_cent"), q.tetto("risultato_cent")
    stmt = (
        select(
            *_riga(),
            iv.assegnato_cent,
            assegnato.label("massimale_cent"),
            iv.risultato_cent,
            risultato.label("massimale_risultato_cent"),
            iv.esito_180.label("esito"),
        )
        .select_from(intervento_pal.join(azienda, azienda.c.id == iv.azienda_id))
        .where(
            iv.sigla_provincia.in_(list(province)), or_(iv.assegnato_cent > assegnato, iv.risultato_cent > risultato)
        )
        .order_by(iv.anno, iv.misura, iv.codice_fonte)
    )
    schema = {
        **dict.fromkeys(["codice", "misura"], pl.String),
        "anno": pl.Int64,
        **dict.fromkeys(["id_lavoratore", "azienda", "sigla"], pl.String),
        "data_assegnazione": pl.Date,
        "assegnato_cent": pl.Int64,
        "massimale_cent": pl.Int64,
        "risultato_cent": pl.Int64,
        "massimale_risultato_cent": pl.Int64,
        "esito": pl.String,
    }
    return leggi(engine, stmt, schema)


def aziende_oltre_massimale(engine: Engine, province: Sequence[str]) -> pl.DataFrame:
    """Companies above the cap per company: the GROUP BY of the perimeter's records."""
    a = azienda.c
    per_misura = [m for m in MISURE if m.massimale_impresa_cent is not None]
    tetto = case(*((iv.misura == m.nome, literal(m.massimale_impresa_cent)) for m in per_misura))
    totale = func.sum(iv.assegnato_cent)
    stmt = (
        select(
            a.codice_fonte.label("codice_azienda"),
            a.ragione_sociale.label("azienda"),
            iv.misura,
            iv.anno,
            func.count().label("interventi"),
            func.count(distinct(iv.sigla_provincia)).label("province"),
            totale.label("assegnato_cent"),
            func.max(tetto).label("massimale_cent"),
        )
        .select_from(intervento_pal.join(azienda, a.id == iv.azienda_id))
        .where(iv.sigla_provincia.in_(list(province)), iv.misura.in_([m.nome for m in per_misura]))
        .group_by(a.id, a.codice_fonte, a.ragione_sociale, iv.misura, iv.anno)
        .having(totale > func.max(tetto))
        .order_by(iv.anno, iv.misura, a.ragione_sociale)
    )
    schema = {
        "codice_azienda": pl.String,
        "azienda": pl.String,
        "misura": pl.String,
        "anno": pl.Int64,
        **dict.fromkeys(["interventi", "province", "assegnato_cent", "massimale_cent"], pl.Int64),
    }
    return leggi(engine, stmt, schema)


def progetti(engine: Engine, province: Sequence[str]) -> pl.DataFrame:
    """Projects with the distinct workers, companies and sectors and the amounts of their records."""
    p, op = progetto_rete.c, operatore.c
    stmt = (
        select(
            p.codice_fonte.label("codice"),
            p.titolo,
            p.sigla_provincia.label("sigla"),
            op.denominazione.label("operatore"),
            p.data_approvazione,
            p.approvato_cent,
            func.count(distinct(iv.id_lavoratore)).label("lavoratori"),
            func.count(distinct(iv.azienda_id)).label("aziende"),
            func.count(distinct(q.settore())).label("settori"),
            *(func.coalesce(func.sum(iv[c]), 0).label(c) for c in q.IMPORTI),
        )
        .select_from(
            progetto_rete.outerjoin(intervento_pal, iv.progetto_id == p.id)
            .outerjoin(azienda, azienda.c.id == iv.azienda_id)
            .outerjoin(operatore, op.id == p.operatore_id)
        )
        .where(p.sigla_provincia.in_(list(province)))
        .group_by(p.id, p.codice_fonte, p.titolo, p.sigla_provincia, op.denominazione, p.data_approvazione)
        .group_by(p.approvato_cent)
        .order_by(p.codice_fonte)
    )
    return leggi(engine, stmt, q.SCHEMA_PROGETTI)


def progetti_aziende(engine: Engine, province: Sequence[str]) -> pl.DataFrame:
    """The companies of each project with their distinct workers, from the records."""
    p, a = progetto_rete.c, azienda.c
    stmt = (
        select(
            p.codice_fonte.label("codice"),
            a.ragione_sociale.label("azienda"),
            q.settore().label("settore"),
            a.ateco_descrizione.label("settore_descrizione"),
            func.count(distinct(iv.id_lavoratore)).label("lavoratori"),
        )
        .select_from(progetto_rete.join(intervento_pal, iv.progetto_id == p.id).join(azienda, a.id == iv.azienda_id))
        .where(p.sigla_provincia.in_(list(province)))
        .group_by(p.codice_fonte, a.id, a.ragione_sociale, q.settore(), a.ateco_descrizione)
        .order_by(p.codice_fonte, a.ragione_sociale)
    )
    schema = {
        **dict.fromkeys(["codice", "azienda", "settore", "settore_descrizione"], pl.String),
        "lavoratori": pl.Int64,
    }
    return leggi(engine, stmt, schema)


# The page's query and its direct counterpart, by name.
COPPIE = {
    "oltre_massimale": (q.oltre_massimale, oltre_massimale),
    "aziende_oltre_massimale": (q.aziende_oltre_massimale, aziende_oltre_massimale),
    "progetti": (q.progetti, progetti),
    "progetti_aziende": (q.progetti_aziende, progetti_aziende),
}


def differenze(engine: Engine, province: Sequence[str]) -> dict[str, tuple[pl.DataFrame, pl.DataFrame]]:
    """The queries whose result differs from the direct SQL over the records, with both results."""
    esito = {}
    for nome, (pagina, diretta) in COPPIE.items():
        trovato, atteso = pagina(engine, province), diretta(engine, province)
        if not trovato.equals(atteso):
            esito[nome] = (trovato, atteso)
    return esito
