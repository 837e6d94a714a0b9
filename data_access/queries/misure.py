"""PAL measures (doti, vouchers, Azioni di Rete projects): totals, months, operators, outcomes, rule checks.

Every query takes the provinces perimeter: a record belongs to the province of the worker's workplace, a project
to the province where it runs. Amounts are whole euro cents.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl
from sqlalchemy import ColumnElement, Integer, Select, Table, case, distinct, func, literal, select
from sqlalchemy.engine import Engine

from data_access.dominio import (
    ESITO_AUTOIMPIEGO,
    MISURE,
    STEPS,
)
from data_access.queries import leggi
from data_access.schema import (
    agg_misure_aziende_oltre,
    agg_misure_aziende_pluriprovincia,
    agg_misure_esiti,
    agg_misure_lavoratori_pluriprovincia,
    agg_misure_mesi,
    agg_misure_oltre_massimale,
    agg_misure_operatori,
    agg_misure_progetti,
    agg_misure_progetti_aziende,
    agg_misure_provincia,
    agg_misure_ritardi,
    agg_misure_sovrapposte,
    agg_misure_step4,
    azienda,
    dotazione_misura,
    intervento_pal,
    operatore,
    progetto_rete,
)

iv = intervento_pal.c
STEP4 = STEPS[-1].codice
IMPORTI = ("assegnato_cent", "speso_cent", "risultato_cent")


def _nel_perimetro(province: Sequence[str]) -> ColumnElement[bool]:
    return iv.sigla_provincia.in_(list(province))


def _somme() -> list[ColumnElement[int]]:
    return [func.coalesce(func.sum(iv[c]), 0).label(c) for c in IMPORTI]


def _somme_di(tabella: Table, *colonne: str) -> list[ColumnElement[int]]:
    return [func.coalesce(func.sum(tabella.c[c]), 0).label(c) for c in colonne]


def _doppi(
    tabella: Table, chi: str, dimensioni: Sequence[str], dove: Sequence[ColumnElement[bool]], province: Sequence[str]
) -> Select:
    """Per cell, how many times the per-province counts of distinct `chi` count the same one more than once."""
    m = tabella.c
    celle = (
        select(*(m[d] for d in dimensioni), m[chi], m.sigla_provincia)
        .distinct()
        .where(*dove, m.sigla_provincia.in_(list(province)))
        .subquery("celle")
    )
    c = celle.c
    return select(*(c[d] for d in dimensioni), (func.count() - func.count(distinct(c[chi]))).label("doppi")).group_by(
        *(c[d] for d in dimensioni)
    )


def _una_volta(
    engine: Engine,
    df: pl.DataFrame,
    colonna: str,
    doppi: Select,
    dimensioni: dict[str, str],
) -> pl.DataFrame:
    """The distinct count over the perimeter: the sum over its provinces less who is in more than one of them."""
    schema = {**{d: df.schema[nome] for d, nome in dimensioni.items()}, "doppi": pl.Int64}
    correzione = leggi(engine, doppi, schema).rename(dimensioni)
    return (
        df.join(correzione, on=list(dimensioni.values()), how="left", nulls_equal=True, maintain_order="left")
        .with_columns((pl.col(colonna) - pl.col("doppi").fill_null(0)).alias(colonna))
        .drop("doppi")
    )


SCHEMA_IMPORTI = {c: pl.Int64 for c in IMPORTI}
SCHEMA_PER_PROVINCIA = {
    "anno": pl.Int64,
    "misura": pl.String,
    "sigla": pl.String,
    "interventi": pl.Int64,
    "lavoratori": pl.Int64,
    **SCHEMA_IMPORTI,
}


def per_provincia(engine: Engine, anni: Sequence[int], province: Sequence[str]) -> pl.DataFrame:
    """Records, distinct workers and amounts by year of assignment, measure and province (from agg_misure_provincia)."""
    a = agg_misure_provincia.c
    stmt = (
        select(a.anno, a.misura, a.sigla_provincia.label("sigla"), a.interventi, a.lavoratori, *(a[c] for c in IMPORTI))
        .where(a.anno.in_(list(anni)), a.sigla_provincia.in_(list(province)))
        .order_by(a.anno, a.misura, a.sigla_provincia)
    )
    return leggi(engine, stmt, SCHEMA_PER_PROVINCIA)


SCHEMA_TOTALI = {
    "anno": pl.Int64,
    "misura": pl.String,
    "interventi": pl.Int64,
    "lavoratori": pl.Int64,
    "aziende": pl.Int64,
    **SCHEMA_IMPORTI,
}


def totali(engine: Engine, province: Sequence[str]) -> pl.DataFrame:
    """Per year and measure, every year: records, distinct workers and companies, amounts (budget arithmetic)."""
    a = agg_misure_provincia.c
    stmt = (
        select(a.anno, a.misura, *_somme_di(agg_misure_provincia, "interventi", "lavoratori", "aziende", *IMPORTI))
        .where(a.sigla_provincia.in_(list(province)))
        .group_by(a.anno, a.misura)
        .order_by(a.anno, a.misura)
    )
    df = leggi(engine, stmt, SCHEMA_TOTALI)
    chiave = {"anno": "anno", "misura": "misura"}
    for tabella, chi, colonna in (
        (agg_misure_lavoratori_pluriprovincia, "id_lavoratore", "lavoratori"),
        (agg_misure_aziende_pluriprovincia, "azienda_id", "aziende"),
    ):
        df = _una_volta(engine, df, colonna, _doppi(tabella, chi, list(chiave), (), province), chiave)
    return df


def dotazioni(engine: Engine) -> pl.DataFrame:
    """Budgets loaded from the dotazioni_misure extract (regional figures: no province perimeter applies)."""
    d = dotazione_misura.c
    stmt = select(d.misura, d.dotazione_cent, d.atto).order_by(d.misura)
    return leggi(engine, stmt, {"misura": pl.String, "dotazione_cent": pl.Int64, "atto": pl.String})


SCHEMA_MESI = {
    "misura": pl.String,
    "mese": pl.Int64,
    "interventi": pl.Int64,
    "lavoratori": pl.Int64,
    **SCHEMA_IMPORTI,
}


def _lavoratori_una_volta(
    engine: Engine, df: pl.DataFrame, anno: int, province: Sequence[str], dimensioni: dict[str, str]
) -> pl.DataFrame:
    m = agg_misure_lavoratori_pluriprovincia
    doppi = _doppi(m, "id_lavoratore", list(dimensioni), (m.c.anno == anno,), province)
    return _una_volta(engine, df, "lavoratori", doppi, dimensioni)


def per_mese(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Records assigned in each month of the year, by measure (from agg_misure_mesi)."""
    a = agg_misure_mesi.c
    stmt = (
        select(a.misura, a.mese, *_somme_di(agg_misure_mesi, "interventi", "lavoratori", *IMPORTI))
        .where(a.anno == anno, a.sigla_provincia.in_(list(province)))
        .group_by(a.misura, a.mese)
        .order_by(a.misura, a.mese)
    )
    df = leggi(engine, stmt, SCHEMA_MESI)
    return _lavoratori_una_volta(engine, df, anno, province, {"misura": "misura", "mese": "mese"})


def operatori(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Accredited operators by measure: workers followed, records and amounts (from agg_misure_operatori)."""
    op, a = operatore.c, agg_misure_operatori.c
    stmt = (
        select(
            a.misura,
            op.id.label("operatore_id"),
            op.denominazione.label("operatore"),
            op.sigla_provincia.label("sigla"),
            *_somme_di(agg_misure_operatori, "lavoratori", "interventi", *IMPORTI),
        )
        .select_from(agg_misure_operatori.join(operatore, op.id == a.operatore_id))
        .where(a.anno == anno, a.sigla_provincia.in_(list(province)))
        .group_by(a.misura, op.id, op.denominazione, op.sigla_provincia)
        .order_by(a.misura, op.denominazione)
    )
    schema = {
        "misura": pl.String,
        "operatore_id": pl.Int64,
        "operatore": pl.String,
        "sigla": pl.String,
        "lavoratori": pl.Int64,
        "interventi": pl.Int64,
        **SCHEMA_IMPORTI,
    }
    df = leggi(engine, stmt, schema)
    dimensioni = {"misura": "misura", "operatore_id": "operatore_id"}
    return _lavoratori_una_volta(engine, df, anno, province, dimensioni).drop("operatore_id")


def esiti(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Workers by measure and outcome at 180 days (null: not known yet or not given by the source)."""
    a = agg_misure_esiti.c
    stmt = (
        select(a.misura, a.esito_180.label("esito"), *_somme_di(agg_misure_esiti, "lavoratori"))
        .where(a.anno == anno, a.sigla_provincia.in_(list(province)))
        .group_by(a.misura, a.esito_180)
        .order_by(a.misura, a.esito_180)
    )
    df = leggi(engine, stmt, {"misura": pl.String, "esito": pl.String, "lavoratori": pl.Int64})
    return _lavoratori_una_volta(engine, df, anno, province, {"misura": "misura", "esito_180": "esito"})


# --- Azioni di Rete projects ------------------------------------------------------------------------------------------
def settore() -> ColumnElement[str]:
    """The ATECO division (two digits): the sector a project's companies must share."""
    return func.substr(azienda.c.ateco_codice, 1, 2)


SCHEMA_PROGETTI = {
    "codice": pl.String,
    "titolo": pl.String,
    "sigla": pl.String,
    "operatore": pl.String,
    "data_approvazione": pl.Date,
    "approvato_cent": pl.Int64,
    "lavoratori": pl.Int64,
    "aziende": pl.Int64,
    "settori": pl.Int64,
    **SCHEMA_IMPORTI,
}


def progetti(engine: Engine, province: Sequence[str]) -> pl.DataFrame:
    """Azioni di Rete projects in the perimeter (where they run), with workers, companies, sectors and amounts."""
    p, op, a = progetto_rete.c, operatore.c, agg_misure_progetti.c
    stmt = (
        select(
            p.codice_fonte.label("codice"),
            p.titolo,
            p.sigla_provincia.label("sigla"),
            op.denominazione.label("operatore"),
            p.data_approvazione,
            p.approvato_cent,
            a.lavoratori,
            a.aziende,
            a.settori,
            *(a[c] for c in IMPORTI),
        )
        .select_from(
            progetto_rete.join(agg_misure_progetti, a.progetto_id == p.id).outerjoin(operatore, op.id == p.operatore_id)
        )
        .where(p.sigla_provincia.in_(list(province)))
        .order_by(p.codice_fonte)
    )
    return leggi(engine, stmt, SCHEMA_PROGETTI)


def progetti_aziende(engine: Engine, province: Sequence[str]) -> pl.DataFrame:
    """The companies of each project in the perimeter, with their sector and workers."""
    p, a, pa = progetto_rete.c, azienda.c, agg_misure_progetti_aziende.c
    stmt = (
        select(
            p.codice_fonte.label("codice"),
            a.ragione_sociale.label("azienda"),
            settore().label("settore"),
            a.ateco_descrizione.label("settore_descrizione"),
            pa.lavoratori,
        )
        .select_from(
            progetto_rete.join(agg_misure_progetti_aziende, pa.progetto_id == p.id).join(azienda, a.id == pa.azienda_id)
        )
        .where(p.sigla_provincia.in_(list(province)))
        .order_by(p.codice_fonte, a.ragione_sociale)
    )
    schema = {
        "codice": pl.String,
        "azienda": pl.String,
        "settore": pl.String,
        "settore_descrizione": pl.String,
        "lavoratori": pl.Int64,
    }
    return leggi(engine, stmt, schema)


# --- rule checks: the rows that break a rule ----------------------------------------------------------------------
SCHEMA_RIGA = {
    "codice": pl.String,
    "misura": pl.String,
    "anno": pl.Int64,
    "id_lavoratore": pl.String,
    "azienda": pl.String,
    "sigla": pl.String,
    "data_assegnazione": pl.Date,
}


def _riga() -> list[ColumnElement]:
    return [
        iv.codice_fonte.label("codice"),
        iv.misura,
        iv.anno,
        iv.id_lavoratore,
        azienda.c.ragione_sociale.label("azienda"),
        iv.sigla_provincia.label("sigla"),
        iv.data_assegnazione,
    ]


def _con_azienda():
    return intervento_pal.join(azienda, azienda.c.id == iv.azienda_id)


def tetto(campo: str) -> ColumnElement[int]:
    """The cap a record's amount is held to, from dominio.MISURE (NULL where the measure has none)."""
    rami = []
    for m in MISURE:
        if campo == "assegnato_cent" and m.massimale_persona_cent is not None:
            rami.append((iv.misura == m.nome, literal(m.massimale_persona_cent)))
        if campo == "risultato_cent" and m.massimale_risultato_cent is not None:
            tetto = case(
                (iv.esito_180 == ESITO_AUTOIMPIEGO, literal(m.massimale_autoimpiego_cent)),
                else_=literal(m.massimale_risultato_cent),
            )
            rami.append((iv.misura == m.nome, tetto))
    return case(*rami, else_=None) if rami else literal(None, Integer)


def oltre_massimale(engine: Engine, province: Sequence[str]) -> pl.DataFrame:
    """Records above the measure's cap per person: value assigned, or result-based services (Azioni di Rete)."""
    tetto_assegnato, tetto_risultato = tetto("assegnato_cent"), tetto("risultato_cent")
    o = agg_misure_oltre_massimale.c
    stmt = (
        select(
            *_riga(),
            iv.assegnato_cent,
            tetto_assegnato.label("massimale_cent"),
            iv.risultato_cent,
            tetto_risultato.label("massimale_risultato_cent"),
            iv.esito_180.label("esito"),
        )
        .select_from(agg_misure_oltre_massimale.join(_con_azienda(), iv.id == o.id))
        .where(o.sigla_provincia.in_(list(province)))
        .order_by(o.anno, o.misura, o.codice_fonte)
    )
    schema = {
        **SCHEMA_RIGA,
        "assegnato_cent": pl.Int64,
        "massimale_cent": pl.Int64,
        "risultato_cent": pl.Int64,
        "massimale_risultato_cent": pl.Int64,
        "esito": pl.String,
    }
    return leggi(engine, stmt, schema)


def aziende_oltre_massimale(engine: Engine, province: Sequence[str]) -> pl.DataFrame:
    """Companies whose records of a measure in one year add up above the measure's cap per company.

    Read from agg_misure_aziende_oltre (companies above the cap over every province, by province): summed within the
    perimeter, the ones still above the cap.
    """
    a, o = azienda.c, agg_misure_aziende_oltre.c
    per_misura = [m for m in MISURE if m.massimale_impresa_cent is not None]
    if not per_misura:
        return pl.DataFrame(schema={})
    tetto = case(*((o.misura == m.nome, literal(m.massimale_impresa_cent)) for m in per_misura))
    totale = func.sum(o.assegnato_cent)
    stmt = (
        select(
            a.codice_fonte.label("codice_azienda"),
            a.ragione_sociale.label("azienda"),
            o.misura,
            o.anno,
            func.sum(o.interventi).label("interventi"),
            func.count().label("province"),
            totale.label("assegnato_cent"),
            func.max(tetto).label("massimale_cent"),
        )
        .select_from(agg_misure_aziende_oltre.join(azienda, a.id == o.azienda_id))
        .where(o.sigla_provincia.in_(list(province)))
        .group_by(a.id, a.codice_fonte, a.ragione_sociale, o.misura, o.anno)
        .having(totale > func.max(tetto))
        .order_by(o.anno, o.misura, a.ragione_sociale)
    )
    schema = {
        "codice_azienda": pl.String,
        "azienda": pl.String,
        "misura": pl.String,
        "anno": pl.Int64,
        "interventi": pl.Int64,
        "province": pl.Int64,
        "assegnato_cent": pl.Int64,
        "massimale_cent": pl.Int64,
    }
    return leggi(engine, stmt, schema)


def speso_oltre_assegnato(engine: Engine, province: Sequence[str]) -> pl.DataFrame:
    """Records whose amount spent or reported is above the amount assigned."""
    stmt = (
        select(*_riga(), iv.assegnato_cent, iv.speso_cent)
        .select_from(_con_azienda())
        .where(_nel_perimetro(province), iv.speso_cent > iv.assegnato_cent)
        .order_by(iv.anno, iv.misura, iv.codice_fonte)
    )
    return leggi(engine, stmt, {**SCHEMA_RIGA, "assegnato_cent": pl.Int64, "speso_cent": pl.Int64})


def doti_sovrapposte(engine: Engine, province: Sequence[str]) -> pl.DataFrame:
    """Pairs of records of one worker in the same measure whose periods overlap (from agg_misure_sovrapposte)."""
    a, b = intervento_pal.alias("a"), intervento_pal.alias("b")
    coppie = agg_misure_sovrapposte.c

    def inizio(t) -> ColumnElement[date]:
        return func.coalesce(t.c.data_avvio, t.c.data_assegnazione)

    stmt = (
        select(
            a.c.id_lavoratore,
            a.c.misura,
            a.c.sigla_provincia.label("sigla"),
            a.c.codice_fonte.label("codice"),
            inizio(a).label("inizio"),
            a.c.data_fine.label("fine"),
            b.c.codice_fonte.label("codice_altro"),
            inizio(b).label("inizio_altro"),
            b.c.data_fine.label("fine_altro"),
        )
        .select_from(
            agg_misure_sovrapposte.join(a, a.c.id == coppie.id).join(b, b.c.id == coppie.id_altro)
        )  # the pairs are found by the loader (the self-join of every record is too slow for a page)
        .where(a.c.sigla_provincia.in_(list(province)))
        .order_by(a.c.misura, a.c.id_lavoratore, a.c.codice_fonte)
    )
    schema = {
        "id_lavoratore": pl.String,
        "misura": pl.String,
        "sigla": pl.String,
        "codice": pl.String,
        "inizio": pl.Date,
        "fine": pl.Date,
        "codice_altro": pl.String,
        "inizio_altro": pl.Date,
        "fine_altro": pl.Date,
    }
    return leggi(engine, stmt, schema)


# --- from STEP 4 to the measure ------------------------------------------------------------------------------------
def collegamento_step4(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """STEP 4 workers of the step model by province and measure: with a record of that measure, of another only."""
    a = agg_misure_step4.c
    stmt = (
        select(
            a.sigla_provincia.label("sigla"),
            a.misura_pal.label("misura"),
            *_somme_di(agg_misure_step4, "step4", "con_intervento", "altra_misura"),
        )
        .where(a.anno == anno, a.sigla_provincia.in_(list(province)))
        .group_by(a.sigla_provincia, a.misura_pal)
        .order_by(a.sigla_provincia, a.misura_pal)
    )
    schema = {
        "sigla": pl.String,
        "misura": pl.String,
        "step4": pl.Int64,
        "con_intervento": pl.Int64,
        "altra_misura": pl.Int64,
    }
    return leggi(engine, stmt, schema)


def ritardi_step4(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Days from STEP 4 to the first record of the worker's measure: workers per (province, measure, days)."""
    a = agg_misure_ritardi.c
    stmt = (
        select(
            a.sigla_provincia.label("sigla"),
            a.misura_pal.label("misura"),
            a.giorni,
            *_somme_di(agg_misure_ritardi, "lavoratori"),
        )
        .where(a.anno == anno, a.sigla_provincia.in_(list(province)))
        .group_by(a.sigla_provincia, a.misura_pal, a.giorni)
        .order_by(a.sigla_provincia, a.misura_pal, a.giorni)
    )
    return leggi(engine, stmt, {"sigla": pl.String, "misura": pl.String, "giorni": pl.Int64, "lavoratori": pl.Int64})
