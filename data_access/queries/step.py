"""The step model's cohort (CIGS ministeriali, decreto 5151/2025): steps reached, timing, PAL measures, operators."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import polars as pl
from sqlalchemy import ColumnElement, Integer, Table, and_, case, cast, extract, func, not_, or_, select
from sqlalchemy.engine import Engine

from data_access.dominio import GIORNI_OBIETTIVO_GOL, NO_PAL, SIGLE, STEP_PAL, STEPS, TIPO_MODELLO_STEP, TOTALE
from data_access.queries import leggi
from data_access.schema import (
    DATE_STEP,
    agg_step_durate,
    agg_step_misure,
    agg_step_operatori,
    agg_step_percorsi,
    agg_step_presa,
    lavoratore,
    operatore,
    procedura,
)
from data_access.sql import giorni

# The selection's total in per-province results, as the official tables label it.


def coorte(
    t: Table, anni: Sequence[int], province: Sequence[str] = SIGLE, tipi: Sequence[str] = (TIPO_MODELLO_STEP,)
) -> ColumnElement[bool]:
    """Rows of a derived table (see schema.py) for the step model's cohort of the years, in the provinces selected.

    The cohort is the CIGS ministeriali's: none when the types chosen leave them out.
    """
    return and_(
        t.c.anno.in_(list(anni)),
        t.c.tipo == TIPO_MODELLO_STEP,
        t.c.tipo.in_(list(tipi)),
        t.c.sigla_provincia.in_(list(province)),
    )


def pal_attivate() -> ColumnElement[int]:
    """Workers with PAL activated, summed over agg_step_percorsi rows: those who reached STEP 4 (dominio.STEP_PAL)."""
    return func.coalesce(func.sum(agg_step_percorsi.c[STEP_PAL.codice.lower()]), 0)


SCHEMA_PERCORSI = {
    "sigla": pl.String,
    "stato": pl.String,
    "lavoratori": pl.Int64,
    **{s.codice.lower(): pl.Int64 for s in STEPS},
}


def percorsi(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Workers by (province, current stage), with how many of them reached each step (date of the step set)."""
    a = agg_step_percorsi.c
    stmt = (
        select(
            a.sigla_provincia.label("sigla"),
            a.stato_step.label("stato"),
            func.sum(a.lavoratori).label("lavoratori"),
            *(func.sum(a[s.codice.lower()]).label(s.codice.lower()) for s in STEPS),
        )
        .where(coorte(agg_step_percorsi, (anno,), province))
        .group_by(a.sigla_provincia, a.stato_step)
        .order_by(a.sigla_provincia, a.stato_step)
    )
    return leggi(engine, stmt, SCHEMA_PERCORSI)


SCHEMA_ISTOGRAMMA = {"sigla": pl.String, "intervallo": pl.String, "giorni": pl.Int64, "lavoratori": pl.Int64}
SCHEMA_MEDIANE = {"sigla": pl.String, "intervallo": pl.String, "lavoratori": pl.Int64, "mediana": pl.Float64}


def istogramma_durate(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """How many workers took each number of days, by (province, interval): a small table, not worker rows."""
    d = agg_step_durate.c
    stmt = (
        select(d.sigla_provincia.label("sigla"), d.intervallo, d.giorni, func.sum(d.lavoratori).label("lavoratori"))
        .where(coorte(agg_step_durate, (anno,), province))
        .group_by(d.sigla_provincia, d.intervallo, d.giorni)
        .order_by(d.sigla_provincia, d.intervallo, d.giorni)
    )
    return leggi(engine, stmt, SCHEMA_ISTOGRAMMA)


def mediana_da_istogramma(ist: pl.DataFrame, per: Sequence[str]) -> pl.DataFrame:
    """Median days per group from (giorni, lavoratori) counts; even counts average the two middle values."""
    per = list(per)
    return (
        ist.sort([*per, "giorni"])
        .with_columns(
            cum=pl.col("lavoratori").cum_sum().over(per),
            n=pl.col("lavoratori").sum().over(per),
        )
        # 0-based positions of the two middle values, as percentile_cont(0.5) interpolates them.
        .with_columns(basso=(pl.col("n") - 1) // 2, alto=pl.col("n") // 2)
        .group_by(per, maintain_order=True)
        .agg(
            lavoratori=pl.col("n").first(),
            mediana=(
                pl.col("giorni").filter(pl.col("cum") > pl.col("basso")).first()
                + pl.col("giorni").filter(pl.col("cum") > pl.col("alto")).first()
            )
            / 2,
        )
    )


def mediane(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Median days of each interval by province, plus the selection's total (sigla 'TOT')."""
    # The days histogram is a few hundred rows on any engine: the medians are taken from it here.
    ist = istogramma_durate(engine, anno, province)
    per_provincia = mediana_da_istogramma(ist, ["sigla", "intervallo"])
    totale = mediana_da_istogramma(
        ist.group_by("intervallo", "giorni").agg(pl.col("lavoratori").sum()), ["intervallo"]
    ).with_columns(sigla=pl.lit(TOTALE))
    out = pl.concat([per_provincia, totale.select(per_provincia.columns)])
    return out.cast(SCHEMA_MEDIANE).sort("sigla", "intervallo")  # type: ignore[arg-type]


SCHEMA_MENSILI = {
    "sigla": pl.String,
    "anno_presa": pl.Int64,
    "mese_presa": pl.Int64,
    "lavoratori": pl.Int64,
    "pal": pl.Int64,
    "esonerati": pl.Int64,
    "in_finestra": pl.Int64,
    "entro_obiettivo": pl.Int64,
}


def coorti_mensili(engine: Engine, anno: int, province: Sequence[str], data_riferimento: date) -> pl.DataFrame:
    """Workers by province and month of presa in carico: PAL activated, exempted, and the GOL timeliness counts.

    `in_finestra`: taken in charge at least GIORNI_OBIETTIVO_GOL days before the data date and not exempted, so
    their window has closed; `entro_obiettivo`: those of them with PAL activated within that many days of STEP 1.
    """
    p = agg_step_presa.c
    in_finestra = and_(p.data_step1 <= data_riferimento - timedelta(days=GIORNI_OBIETTIVO_GOL), not_(p.esonerato))
    anno_presa = cast(extract("year", p.data_step1), Integer)
    mese_presa = cast(extract("month", p.data_step1), Integer)

    def conta(condizione: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condizione, p.lavoratori), else_=0)), 0)

    stmt = (
        select(
            p.sigla_provincia.label("sigla"),
            anno_presa.label("anno_presa"),
            mese_presa.label("mese_presa"),
            func.sum(p.lavoratori).label("lavoratori"),
            conta(p.pal).label("pal"),
            conta(p.esonerato).label("esonerati"),
            conta(in_finestra).label("in_finestra"),
            conta(and_(in_finestra, p.pal_entro_obiettivo)).label("entro_obiettivo"),
        )
        .where(coorte(agg_step_presa, (anno,), province))
        .group_by(p.sigla_provincia, anno_presa, mese_presa)
        .order_by(p.sigla_provincia, anno_presa, mese_presa)
    )
    return leggi(engine, stmt, SCHEMA_MENSILI)


def misure(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Workers with PAL activated by province and measure."""
    m = agg_step_misure.c
    stmt = (
        select(
            m.sigla_provincia.label("sigla"), m.misura_pal.label("misura"), func.sum(m.lavoratori).label("lavoratori")
        )
        .where(coorte(agg_step_misure, (anno,), province))
        .group_by(m.sigla_provincia, m.misura_pal)
        .order_by(m.sigla_provincia, m.misura_pal)
    )
    return leggi(engine, stmt, {"sigla": pl.String, "misura": pl.String, "lavoratori": pl.Int64})


def operatori(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Workers taken in charge by each accredited operator (with its province), and how many have PAL activated."""
    op, o = operatore.c, agg_step_operatori.c
    stmt = (
        select(
            op.id.label("operatore_id"),
            op.denominazione.label("operatore"),
            op.sigla_provincia.label("sigla"),
            func.sum(o.lavoratori).label("lavoratori"),
            func.sum(o.pal).label("pal"),
        )
        .select_from(agg_step_operatori.join(operatore, o.operatore_id == op.id))
        .where(coorte(agg_step_operatori, (anno,), province))
        .group_by(op.id, op.denominazione, op.sigla_provincia)
        .order_by(op.id)
    )
    schema = {
        "operatore_id": pl.Int64,
        "operatore": pl.String,
        "sigla": pl.String,
        "lavoratori": pl.Int64,
        "pal": pl.Int64,
    }
    return leggi(engine, stmt, schema)


# --- the step model at a given day (the bimonthly report) ----------------------------------------------------------

# The stage of a worker whose procedure is in force but who has not been taken in charge yet.
NON_IN_CARICO = "NONE"
SCHEMA_STATI_AL = {
    "procedura_id": pl.Int64,
    "sigla": pl.String,
    "stato": pl.String,
    "lavoratori": pl.Int64,
    "in_finestra": pl.Int64,
    "entro_obiettivo": pl.Int64,
}


def stati_al(engine: Engine, al: date, province: Sequence[str]) -> pl.DataFrame:
    """Workers of the CIGS ministeriali in force on a day, by procedure, province and the stage reached by that day.

    The stage follows from the step dates up to `al` (NO PAL from the exemption date first), not from the stage
    recorded at the extraction, so a past day reads as it was. `in_finestra` and `entro_obiettivo` are the GOL rule
    on that day: taken in charge at least GIORNI_OBIETTIVO_GOL days before and not exempted, and of them those with
    PAL activated within that many days of STEP 1.
    """
    pr, lv = procedura.c, lavoratore.c
    raggiunto = [(lv.data_esonero.is_not(None) & (lv.data_esonero <= al), NO_PAL.codice)]
    raggiunto += [(DATE_STEP[s.codice].is_not(None) & (DATE_STEP[s.codice] <= al), s.codice) for s in reversed(STEPS)]
    stato = case(*raggiunto, else_=NON_IN_CARICO)
    esonerato = lv.data_esonero.is_not(None) & (lv.data_esonero <= al)
    in_finestra = and_(
        lv.data_step1.is_not(None), lv.data_step1 <= al - timedelta(days=GIORNI_OBIETTIVO_GOL), not_(esonerato)
    )
    in_tempo = and_(
        in_finestra,
        lv.data_step4.is_not(None),
        giorni(engine.dialect.name, lv.data_step4, lv.data_step1) <= GIORNI_OBIETTIVO_GOL,
    )
    stmt = (
        select(
            lv.procedura_id,
            lv.sigla_provincia.label("sigla"),
            stato.label("stato"),
            func.count().label("lavoratori"),
            func.coalesce(func.sum(case((in_finestra, 1), else_=0)), 0).label("in_finestra"),
            func.coalesce(func.sum(case((in_tempo, 1), else_=0)), 0).label("entro_obiettivo"),
        )
        .select_from(lavoratore.join(procedura, pr.id == lv.procedura_id))
        .where(
            lv.tipo == TIPO_MODELLO_STEP,
            lv.sigla_provincia.in_(list(province)),
            pr.data_inizio <= al,
            or_(pr.data_fine.is_(None), pr.data_fine >= al),
        )
        .group_by(lv.procedura_id, lv.sigla_provincia, stato)
        .order_by(lv.procedura_id, lv.sigla_provincia, stato)
    )
    return leggi(engine, stmt, SCHEMA_STATI_AL)
