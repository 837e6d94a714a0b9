"""The step model's cohort (CIGS ministeriali, decreto 5151/2025): steps reached, timing, PAL measures, operators."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import polars as pl
from sqlalchemy import ColumnElement, Integer, and_, case, cast, extract, func, literal, select, union_all
from sqlalchemy.engine import Engine

from data_access.dominio import GIORNI_OBIETTIVO_GOL, NO_PAL, STEPS, TIPO_MODELLO_STEP
from data_access.queries import leggi
from data_access.schema import lavoratore, operatore

lv = lavoratore.c
# The selection's total in per-province results, as the official tables label it.
TOTALE = "TOT"
DATE_STEP: dict[str, ColumnElement[date]] = {
    STEPS[0].codice: lv.data_step1,
    STEPS[1].codice: lv.data_step2,
    STEPS[2].codice: lv.data_step3,
    STEPS[3].codice: lv.data_step4,
}
# Intervals timed by the page: each step from the one before, and the whole path to PAL activation.
INTERVALLI: tuple[tuple[str, str], ...] = (
    (STEPS[0].codice, STEPS[1].codice),
    (STEPS[1].codice, STEPS[2].codice),
    (STEPS[2].codice, STEPS[3].codice),
    (STEPS[0].codice, STEPS[3].codice),
)


def codice_intervallo(da: str, a: str) -> str:
    """'STEP1-STEP4'."""
    return f"{da}-{a}"


def _coorte(anno: int, province: Sequence[str]) -> ColumnElement[bool]:
    """Workers of the step model's cohort for the year, in the provinces selected."""
    return and_(
        lv.anno == anno,
        lv.tipo == TIPO_MODELLO_STEP,
        lv.sigla_provincia.in_(list(province)),
        lv.stato_step.is_not(None),
    )


def giorni(dialetto: str, fine: ColumnElement[date], inizio: ColumnElement[date]) -> ColumnElement[int]:
    """Whole days from `inizio` to `fine`, in the engine's own date arithmetic."""
    if dialetto == "sqlite":
        # SQLite stores dates as ISO text; julianday of two midnights differs by a whole number.
        return cast(func.julianday(fine) - func.julianday(inizio), Integer)
    # PostgreSQL: date - date is an integer number of days.
    return cast(fine - inizio, Integer)


SCHEMA_PERCORSI = {
    "sigla": pl.String,
    "stato": pl.String,
    "lavoratori": pl.Int64,
    **{s.codice.lower(): pl.Int64 for s in STEPS},
}


def percorsi(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Workers by (province, current stage), with how many of them reached each step (date of the step set)."""
    stmt = (
        select(
            lv.sigla_provincia.label("sigla"),
            lv.stato_step.label("stato"),
            func.count().label("lavoratori"),
            *(func.count(col).label(codice.lower()) for codice, col in DATE_STEP.items()),
        )
        .where(_coorte(anno, province))
        .group_by(lv.sigla_provincia, lv.stato_step)
        .order_by(lv.sigla_provincia, lv.stato_step)
    )
    return leggi(engine, stmt, SCHEMA_PERCORSI)


def _durate(dialetto: str, anno: int, province: Sequence[str]):
    """One row per (worker, interval) with the days it took: a subquery, never fetched as such."""
    parti = [
        select(
            lv.sigla_provincia.label("sigla"),
            literal(codice_intervallo(da, a)).label("intervallo"),
            giorni(dialetto, DATE_STEP[a], DATE_STEP[da]).label("giorni"),
        ).where(_coorte(anno, province), DATE_STEP[da].is_not(None), DATE_STEP[a].is_not(None))
        for da, a in INTERVALLI
    ]
    return union_all(*parti).subquery("durate")


SCHEMA_ISTOGRAMMA = {"sigla": pl.String, "intervallo": pl.String, "giorni": pl.Int64, "lavoratori": pl.Int64}
SCHEMA_MEDIANE = {"sigla": pl.String, "intervallo": pl.String, "lavoratori": pl.Int64, "mediana": pl.Float64}


def istogramma_durate(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """How many workers took each number of days, by (province, interval): a small table, not worker rows."""
    d = _durate(engine.dialect.name, anno, province)
    stmt = (
        select(d.c.sigla, d.c.intervallo, d.c.giorni, func.count().label("lavoratori"))
        .group_by(d.c.sigla, d.c.intervallo, d.c.giorni)
        .order_by(d.c.sigla, d.c.intervallo, d.c.giorni)
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
    dialetto = engine.dialect.name
    if dialetto == "sqlite":
        # SQLite has no median: count workers by days in SQL, take the median of that small histogram here.
        ist = istogramma_durate(engine, anno, province)
        per_provincia = mediana_da_istogramma(ist, ["sigla", "intervallo"])
        totale = mediana_da_istogramma(
            ist.group_by("intervallo", "giorni").agg(pl.col("lavoratori").sum()), ["intervallo"]
        ).with_columns(sigla=pl.lit(TOTALE))
        out = pl.concat([per_provincia, totale.select(per_provincia.columns)])
    else:
        d = _durate(dialetto, anno, province)
        mediana = func.percentile_cont(0.5).within_group(d.c.giorni)
        per_provincia = leggi(
            engine,
            select(d.c.sigla, d.c.intervallo, func.count().label("lavoratori"), mediana.label("mediana")).group_by(
                d.c.sigla, d.c.intervallo
            ),
            SCHEMA_MEDIANE,
        )
        totale = leggi(
            engine,
            select(
                literal(TOTALE).label("sigla"),
                d.c.intervallo,
                func.count().label("lavoratori"),
                mediana.label("mediana"),
            ).group_by(d.c.intervallo),
            SCHEMA_MEDIANE,
        )
        out = pl.concat([per_provincia, totale])
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


def coorti_mensili(
    engine: Engine, anno: int, province: Sequence[str], data_riferimento: date, obiettivo: int = GIORNI_OBIETTIVO_GOL
) -> pl.DataFrame:
    """Workers by province and month of presa in carico: PAL activated, exempted, and the GOL timeliness counts.

    `in_finestra`: taken in charge at least `obiettivo` days before the data date and not exempted, so their
    window has closed; `entro_obiettivo`: those of them with PAL activated within `obiettivo` days of STEP 1.
    """
    giorni_pal = giorni(engine.dialect.name, lv.data_step4, lv.data_step1)
    in_finestra = and_(lv.data_step1 <= data_riferimento - timedelta(days=obiettivo), lv.stato_step != NO_PAL.codice)
    anno_presa = cast(extract("year", lv.data_step1), Integer)
    mese_presa = cast(extract("month", lv.data_step1), Integer)
    stmt = (
        select(
            lv.sigla_provincia.label("sigla"),
            anno_presa.label("anno_presa"),
            mese_presa.label("mese_presa"),
            func.count().label("lavoratori"),
            func.count(lv.data_step4).label("pal"),
            func.coalesce(func.sum(case((lv.stato_step == NO_PAL.codice, 1), else_=0)), 0).label("esonerati"),
            func.coalesce(func.sum(case((in_finestra, 1), else_=0)), 0).label("in_finestra"),
            func.coalesce(
                func.sum(case((and_(in_finestra, lv.data_step4.is_not(None), giorni_pal <= obiettivo), 1), else_=0)),
                0,
            ).label("entro_obiettivo"),
        )
        .where(_coorte(anno, province), lv.data_step1.is_not(None))
        .group_by(lv.sigla_provincia, anno_presa, mese_presa)
        .order_by(lv.sigla_provincia, anno_presa, mese_presa)
    )
    return leggi(engine, stmt, SCHEMA_MENSILI)


def misure(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Workers with PAL activated by province and measure."""
    stmt = (
        select(lv.sigla_provincia.label("sigla"), lv.misura_pal.label("misura"), func.count().label("lavoratori"))
        .where(_coorte(anno, province), lv.misura_pal.is_not(None))
        .group_by(lv.sigla_provincia, lv.misura_pal)
        .order_by(lv.sigla_provincia, lv.misura_pal)
    )
    return leggi(engine, stmt, {"sigla": pl.String, "misura": pl.String, "lavoratori": pl.Int64})


def operatori(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Workers taken in charge by each accredited operator (with its province), and how many have PAL activated."""
    op = operatore.c
    stmt = (
        select(
            op.id.label("operatore_id"),
            op.denominazione.label("operatore"),
            op.sigla_provincia.label("sigla"),
            func.count().label("lavoratori"),
            func.count(lv.data_step4).label("pal"),
        )
        .select_from(lavoratore.join(operatore, lv.operatore_id == op.id))
        .where(_coorte(anno, province))
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
