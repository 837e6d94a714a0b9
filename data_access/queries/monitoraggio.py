"""The quarterly PAL monitoring of the Nuclei crisi, and the microdata it is checked against."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl
from sqlalchemy import ColumnElement, Integer, and_, case, cast, extract, func, literal, or_, select, union_all
from sqlalchemy.engine import Engine

from data_access.dominio import COLONNA_MISURA, MISURA_ALTRA, TIPI_MONITORAGGIO
from data_access.queries import leggi
from data_access.schema import lavoratore, monitoraggio_pal, procedura, procedura_unita

m = monitoraggio_pal.c
VOCI: tuple[str, ...] = ("presi_in_carico", *COLONNA_MISURA.values(), "esonerati")
COLONNE_PAL: tuple[str, ...] = tuple(COLONNA_MISURA.values())
SCHEMA_INVII = {
    "sigla": pl.String,
    "anno": pl.Int64,
    "trimestre": pl.Int64,
    "versione": pl.Int64,
    "data_invio": pl.Date,
    "caricato_il": pl.Datetime,
    "procedure": pl.Int64,
    "presi_in_carico": pl.Int64,
    "pal": pl.Int64,
    "esonerati": pl.Int64,
}
SCHEMA_DICHIARAZIONI = {
    "sigla": pl.String,
    "anno": pl.Int64,
    "trimestre": pl.Int64,
    "versione": pl.Int64,
    "data_invio": pl.Date,
    "codice_procedura": pl.String,
    **dict.fromkeys(VOCI, pl.Int64),
    "note": pl.String,
}
SCHEMA_MICRODATI = {
    "sigla": pl.String,
    "anno": pl.Int64,
    "trimestre": pl.Int64,
    "codice_procedura": pl.String,
    "voce": pl.String,
    "lavoratori": pl.Int64,
}
SCHEMA_PROCEDURE = {
    "codice_procedura": pl.String,
    "sigla": pl.String,
    "tipo": pl.String,
    "data_inizio": pl.Date,
    "data_fine": pl.Date,
}


def _perimetro(anni: Sequence[int], province: Sequence[str]) -> ColumnElement[bool]:
    return and_(m.anno.in_(list(anni)), m.sigla_provincia.in_(list(province)))


def invii(engine: Engine, anni: Sequence[int], province: Sequence[str]) -> pl.DataFrame:
    """Every version of every submitted quarter: when it was sent and loaded, procedures and totals declared."""
    pal = sum((func.sum(m[c]) for c in COLONNE_PAL[1:]), func.sum(m[COLONNE_PAL[0]]))
    stmt = (
        select(
            m.sigla_provincia.label("sigla"),
            m.anno,
            m.trimestre,
            m.versione,
            func.max(m.data_invio).label("data_invio"),
            func.max(m.caricato_il).label("caricato_il"),
            func.count().label("procedure"),
            func.sum(m.presi_in_carico).label("presi_in_carico"),
            pal.label("pal"),
            func.sum(m.esonerati).label("esonerati"),
        )
        .where(_perimetro(anni, province))
        .group_by(m.sigla_provincia, m.anno, m.trimestre, m.versione)
        .order_by(m.sigla_provincia, m.anno, m.trimestre, m.versione)
    )
    return leggi(engine, stmt, SCHEMA_INVII)


def dichiarazioni(engine: Engine, anni: Sequence[int], province: Sequence[str]) -> pl.DataFrame:
    """The current declaration (highest version) of each submitted quarter, one row per procedure."""
    ultima = (
        select(m.sigla_provincia, m.anno, m.trimestre, func.max(m.versione).label("versione"))
        .where(_perimetro(anni, province))
        .group_by(m.sigla_provincia, m.anno, m.trimestre)
        .subquery()
    )
    stmt = (
        select(
            m.sigla_provincia.label("sigla"),
            m.anno,
            m.trimestre,
            m.versione,
            m.data_invio,
            m.codice_procedura,
            *(m[v] for v in VOCI),
            m.note,
        )
        .join(
            ultima,
            and_(
                ultima.c.sigla_provincia == m.sigla_provincia,
                ultima.c.anno == m.anno,
                ultima.c.trimestre == m.trimestre,
                ultima.c.versione == m.versione,
            ),
        )
        .order_by(m.sigla_provincia, m.anno, m.trimestre, m.codice_procedura)
    )
    return leggi(engine, stmt, SCHEMA_DICHIARAZIONI)


def microdati(engine: Engine, anni: Sequence[int], province: Sequence[str]) -> pl.DataFrame:
    """What the step-model microdata give, by province, quarter, procedure and item of the declaration.

    Items: workers taken in charge (STEP 1 dated in the quarter), with PAL activated (STEP 4 in the quarter) in each
    measure's column, exempted (NO PAL dated in the quarter). Only CIGS ministeriali, the monitored procedures.
    """
    anni = list(anni)
    lv, pr = lavoratore.c, procedura.c
    dal, al = date(min(anni), 1, 1), date(max(anni), 12, 31)
    colonna_misura = case(
        *((lv.misura_pal == misura, literal(colonna)) for misura, colonna in COLONNA_MISURA.items()
          if misura != MISURA_ALTRA),
        else_=literal(COLONNA_MISURA[MISURA_ALTRA]),
    )  # fmt: skip

    def evento(giorno: ColumnElement[date], voce: ColumnElement[str]) -> select:
        # Grouped by their labels: PostgreSQL would not match two copies of an expression with a bound parameter.
        anno = cast(extract("year", giorno), Integer).label("anno")
        # Floor division: SQLAlchemy renders "/" as true division (numeric on PostgreSQL, rounded by the cast).
        trimestre = cast((cast(extract("month", giorno), Integer) + 2) // 3, Integer).label("trimestre")
        etichetta = voce.label("voce")
        return (
            select(
                lv.sigla_provincia.label("sigla"),
                anno,
                trimestre,
                pr.codice_fonte.label("codice_procedura"),
                etichetta,
                func.count().label("lavoratori"),
            )
            .select_from(lavoratore.join(procedura, pr.id == lv.procedura_id))
            .where(
                lv.tipo.in_(list(TIPI_MONITORAGGIO)),
                lv.sigla_provincia.in_(list(province)),
                giorno.between(dal, al),
            )
            .group_by(lv.sigla_provincia, anno, trimestre, pr.codice_fonte, etichetta)
        )

    tutti = union_all(
        evento(lv.data_step1, literal("presi_in_carico")),
        evento(lv.data_step4, colonna_misura),
        evento(lv.data_esonero, literal("esonerati")),
    ).subquery()
    stmt = select(tutti).where(tutti.c.anno.in_(anni))
    return leggi(engine, stmt, SCHEMA_MICRODATI).sort("sigla", "anno", "trimestre", "codice_procedura", "voce")


def procedure_monitorate(engine: Engine, anni: Sequence[int], province: Sequence[str]) -> pl.DataFrame:
    """The monitored procedures (CIGS ministeriali) with units in the provinces, running at some time in the years."""
    pr, pu = procedura.c, procedura_unita.c
    dal, al = date(min(anni), 1, 1), date(max(anni), 12, 31)
    stmt = (
        select(pr.codice_fonte, pu.sigla_provincia, pr.tipo, pr.data_inizio, pr.data_fine)
        .distinct()
        .select_from(procedura.join(procedura_unita, pu.procedura_id == pr.id))
        .where(
            pr.tipo.in_(list(TIPI_MONITORAGGIO)),
            pu.sigla_provincia.in_(list(province)),
            pr.data_inizio <= al,
            or_(pr.data_fine.is_(None), pr.data_fine >= dal),
        )
        .order_by(pr.codice_fonte, pu.sigla_provincia)
    )
    return leggi(engine, stmt, SCHEMA_PROCEDURE)


def tipi_procedure(engine: Engine, codici: Sequence[str]) -> pl.DataFrame:
    """The type of each of the given procedure codes that VertenzeOnline knows (codes a Nucleo declared)."""
    schema = {"codice_procedura": pl.String, "tipo": pl.String}
    if not codici:
        return pl.DataFrame(schema=schema)
    stmt = select(procedura.c.codice_fonte, procedura.c.tipo).where(procedura.c.codice_fonte.in_(sorted(set(codici))))
    return leggi(engine, stmt, schema)
