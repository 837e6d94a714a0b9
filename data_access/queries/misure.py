"""PAL measures (doti, vouchers, Azioni di Rete projects): totals, months, operators, outcomes, rule checks.

Every query takes the provinces perimeter: a record belongs to the province of the worker's workplace, a project
to the province where it runs. Amounts are whole euro cents.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl
from sqlalchemy import ColumnElement, Integer, and_, case, cast, distinct, extract, func, literal, or_, select
from sqlalchemy.engine import Engine

from data_access.dominio import (
    ESITO_AUTOIMPIEGO,
    MISURE,
    STEPS,
    TIPO_MODELLO_STEP,
)
from data_access.queries import leggi
from data_access.schema import (
    azienda,
    dotazione_misura,
    intervento_pal,
    lavoratore,
    operatore,
    progetto_rete,
)

iv = intervento_pal.c
STEP4 = STEPS[-1].codice
IMPORTI = ("assegnato_cent", "speso_cent", "risultato_cent")


def _giorni(dialetto: str, fine: ColumnElement[date], inizio: ColumnElement[date]) -> ColumnElement[int]:
    """Whole days from `inizio` to `fine` in the engine's date arithmetic (SQLite keeps dates as ISO text)."""
    if dialetto == "sqlite":
        return cast(func.julianday(fine) - func.julianday(inizio), Integer)
    return cast(fine - inizio, Integer)


def _nel_perimetro(province: Sequence[str]) -> ColumnElement[bool]:
    return iv.sigla_provincia.in_(list(province))


def _somme() -> list[ColumnElement[int]]:
    return [func.coalesce(func.sum(iv[c]), 0).label(c) for c in IMPORTI]


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
    """Records, distinct workers and amounts by year of assignment, measure and province."""
    stmt = (
        select(
            iv.anno,
            iv.misura,
            iv.sigla_provincia.label("sigla"),
            func.count().label("interventi"),
            func.count(distinct(iv.id_lavoratore)).label("lavoratori"),
            *_somme(),
        )
        .where(iv.anno.in_(list(anni)), _nel_perimetro(province))
        .group_by(iv.anno, iv.misura, iv.sigla_provincia)
        .order_by(iv.anno, iv.misura, iv.sigla_provincia)
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
    stmt = (
        select(
            iv.anno,
            iv.misura,
            func.count().label("interventi"),
            func.count(distinct(iv.id_lavoratore)).label("lavoratori"),
            func.count(distinct(iv.azienda_id)).label("aziende"),
            *_somme(),
        )
        .where(_nel_perimetro(province))
        .group_by(iv.anno, iv.misura)
        .order_by(iv.anno, iv.misura)
    )
    return leggi(engine, stmt, SCHEMA_TOTALI)


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


def per_mese(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Records assigned in each month of the year, by measure."""
    mese = cast(extract("month", iv.data_assegnazione), Integer)
    stmt = (
        select(
            iv.misura,
            mese.label("mese"),
            func.count().label("interventi"),
            func.count(distinct(iv.id_lavoratore)).label("lavoratori"),
            *_somme(),
        )
        .where(iv.anno == anno, _nel_perimetro(province))
        .group_by(iv.misura, mese)
        .order_by(iv.misura, mese)
    )
    return leggi(engine, stmt, SCHEMA_MESI)


def operatori(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Accredited operators by measure: workers followed, records and amounts."""
    op = operatore.c
    stmt = (
        select(
            iv.misura,
            op.denominazione.label("operatore"),
            op.sigla_provincia.label("sigla"),
            func.count(distinct(iv.id_lavoratore)).label("lavoratori"),
            func.count().label("interventi"),
            *_somme(),
        )
        .select_from(intervento_pal.join(operatore, op.id == iv.operatore_id))
        .where(iv.anno == anno, _nel_perimetro(province))
        .group_by(iv.misura, op.id, op.denominazione, op.sigla_provincia)
        .order_by(iv.misura, op.denominazione)
    )
    schema = {
        "misura": pl.String,
        "operatore": pl.String,
        "sigla": pl.String,
        "lavoratori": pl.Int64,
        "interventi": pl.Int64,
        **SCHEMA_IMPORTI,
    }
    return leggi(engine, stmt, schema)


def esiti(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Workers by measure and outcome at 180 days (null: not known yet or not given by the source)."""
    stmt = (
        select(iv.misura, iv.esito_180.label("esito"), func.count(distinct(iv.id_lavoratore)).label("lavoratori"))
        .where(iv.anno == anno, _nel_perimetro(province))
        .group_by(iv.misura, iv.esito_180)
        .order_by(iv.misura, iv.esito_180)
    )
    return leggi(engine, stmt, {"misura": pl.String, "esito": pl.String, "lavoratori": pl.Int64})


# --- Azioni di Rete projects ------------------------------------------------------------------------------------------
def _settore() -> ColumnElement[str]:
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
            func.count(distinct(_settore())).label("settori"),
            *_somme(),
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
    return leggi(engine, stmt, SCHEMA_PROGETTI)


def progetti_aziende(engine: Engine, province: Sequence[str]) -> pl.DataFrame:
    """The companies of each project in the perimeter, with their sector and workers."""
    p, a = progetto_rete.c, azienda.c
    stmt = (
        select(
            p.codice_fonte.label("codice"),
            a.ragione_sociale.label("azienda"),
            _settore().label("settore"),
            a.ateco_descrizione.label("settore_descrizione"),
            func.count(distinct(iv.id_lavoratore)).label("lavoratori"),
        )
        .select_from(progetto_rete.join(intervento_pal, iv.progetto_id == p.id).join(azienda, a.id == iv.azienda_id))
        .where(p.sigla_provincia.in_(list(province)))
        .group_by(p.codice_fonte, a.id, a.ragione_sociale, _settore(), a.ateco_descrizione)
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


def _tetto(campo: str) -> ColumnElement[int]:
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
    tetto_assegnato, tetto_risultato = _tetto("assegnato_cent"), _tetto("risultato_cent")
    stmt = (
        select(
            *_riga(),
            iv.assegnato_cent,
            tetto_assegnato.label("massimale_cent"),
            iv.risultato_cent,
            tetto_risultato.label("massimale_risultato_cent"),
            iv.esito_180.label("esito"),
        )
        .select_from(_con_azienda())
        .where(
            _nel_perimetro(province),
            or_(iv.assegnato_cent > tetto_assegnato, iv.risultato_cent > tetto_risultato),
        )
        .order_by(iv.anno, iv.misura, iv.codice_fonte)
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
    """Companies whose records of a measure in one year add up above the measure's cap per company."""
    a = azienda.c
    per_misura = [m for m in MISURE if m.massimale_impresa_cent is not None]
    if not per_misura:
        return pl.DataFrame(schema={})
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
        .select_from(_con_azienda())
        .where(_nel_perimetro(province), iv.misura.in_([m.nome for m in per_misura]))
        .group_by(a.id, a.codice_fonte, a.ragione_sociale, iv.misura, iv.anno)
        .having(totale > func.max(tetto))
        .order_by(iv.anno, iv.misura, a.ragione_sociale)
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
    """Pairs of records of one worker in the same measure whose periods overlap (start: avvio, else assignment)."""
    a, b = intervento_pal.alias("a"), intervento_pal.alias("b")
    mai = literal(date(9999, 12, 31))

    def inizio(t) -> ColumnElement[date]:
        return func.coalesce(t.c.data_avvio, t.c.data_assegnazione)

    def fine(t) -> ColumnElement[date]:
        return func.coalesce(t.c.data_fine, mai)

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
        .select_from(a.join(b, and_(a.c.id_lavoratore == b.c.id_lavoratore, a.c.misura == b.c.misura)))
        .where(
            a.c.id < b.c.id,
            inizio(a) <= fine(b),
            inizio(b) <= fine(a),
            a.c.sigla_provincia.in_(list(province)),
        )
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
def _coorte_step4(anno: int, province: Sequence[str]) -> ColumnElement[bool]:
    lv = lavoratore.c
    return and_(
        lv.anno == anno,
        lv.tipo == TIPO_MODELLO_STEP,
        lv.stato_step == STEP4,
        lv.sigla_provincia.in_(list(province)),
    )


def _prima_assegnazione(lv_id: ColumnElement[str], misura: ColumnElement[str] | None = None):
    """The first assignment of a worker's records (of one measure): one index lookup per STEP 4 worker."""
    condizioni = [iv.id_lavoratore == lv_id] + ([iv.misura == misura] if misura is not None else [])
    return select(func.min(iv.data_assegnazione)).where(*condizioni).correlate(lavoratore).scalar_subquery()


def collegamento_step4(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """STEP 4 workers of the step model by province and measure: with a record of that measure, of another only."""
    lv = lavoratore.c
    stessa = _prima_assegnazione(lv.id, lv.misura_pal).is_not(None)
    qualsiasi = _prima_assegnazione(lv.id).is_not(None)
    stmt = (
        select(
            lv.sigla_provincia.label("sigla"),
            lv.misura_pal.label("misura"),
            func.count().label("step4"),
            func.sum(case((stessa, 1), else_=0)).label("con_intervento"),
            func.sum(case((and_(~stessa, qualsiasi), 1), else_=0)).label("altra_misura"),
        )
        .where(_coorte_step4(anno, province))
        .group_by(lv.sigla_provincia, lv.misura_pal)
        .order_by(lv.sigla_provincia, lv.misura_pal)
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
    lv = lavoratore.c
    percorsi = (
        select(
            lv.sigla_provincia.label("sigla"),
            lv.misura_pal.label("misura"),
            lv.data_step4,
            _prima_assegnazione(lv.id, lv.misura_pal).label("prima"),
        )
        .where(_coorte_step4(anno, province))
        .subquery("percorsi")
    )
    pc = percorsi.c
    attesa = _giorni(engine.dialect.name, pc.prima, pc.data_step4)
    stmt = (
        select(pc.sigla, pc.misura, attesa.label("giorni"), func.count().label("lavoratori"))
        .where(pc.prima.is_not(None))
        .group_by(pc.sigla, pc.misura, attesa)
        .order_by(pc.sigla, pc.misura, attesa)
    )
    return leggi(engine, stmt, {"sigla": pl.String, "misura": pl.String, "giorni": pl.Int64, "lavoratori": pl.Int64})
