"""What the database says about itself: extraction date, demo flag, years available."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import func, select, union
from sqlalchemy.engine import Engine

from data_access.queries import leggi
from data_access.schema import metadata, metadati, procedura, tavolo


@dataclass(frozen=True)
class InfoDati:
    """The data date and provenance shown on every page."""

    data_estrazione: date
    demo: bool
    fonti: tuple[str, ...]


def info_dati(engine: Engine) -> InfoDati:
    """The oldest extraction date among the sources (data are complete up to it), and the demo flag."""
    df = leggi(
        engine,
        select(metadati.c.fonte, metadati.c.data_estrazione, metadati.c.demo).order_by(metadati.c.fonte),
        {"fonte": pl.String, "data_estrazione": pl.Date, "demo": pl.Boolean},
    )
    if df.is_empty():
        raise LookupError("metadati is empty")
    return InfoDati(
        data_estrazione=df["data_estrazione"].min(),  # type: ignore[arg-type]
        demo=bool(df["demo"].any()),
        fonti=tuple(df["fonte"].to_list()),
    )


def versione_dati(engine: Engine) -> tuple[tuple[object, ...], ...]:
    """What changes with every load that changed data: each source's extraction date, load time and rows."""
    df = leggi(
        engine,
        select(metadati.c.fonte, metadati.c.data_estrazione, metadati.c.caricato_il, metadati.c.righe).order_by(
            metadati.c.fonte
        ),
        {"fonte": pl.String, "data_estrazione": pl.Date, "caricato_il": pl.Datetime, "righe": pl.Int64},
    )
    return tuple(df.iter_rows())


def anni_disponibili(engine: Engine) -> tuple[int, ...]:
    """Years with procedures or tavoli, ascending."""
    stmt = union(select(procedura.c.anno), select(tavolo.c.anno)).subquery()
    df = leggi(engine, select(stmt.c.anno).order_by(stmt.c.anno), {"anno": pl.Int64})
    return tuple(df["anno"].to_list())


def conteggio(engine: Engine, tabella: str) -> int:
    """Rows of a table (used by checks and benchmarks)."""
    df = leggi(engine, select(func.count()).select_from(metadata.tables[tabella]), {"n": pl.Int64})
    return int(df["n"][0])
