"""Aggregate queries: SQLAlchemy Core in, polars DataFrames out, aggregation done by the database."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import polars as pl
from sqlalchemy import Executable
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from data_access.engine import traduci_errore

log = logging.getLogger(__name__)


def leggi(engine: Engine, stmt: Executable, schema: Mapping[str, pl.DataType | type[pl.DataType]]) -> pl.DataFrame:
    """Run a statement and return its rows as a DataFrame with the given column types."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(stmt).fetchall()
    except (DBAPIError, SQLAlchemyError) as exc:
        errore = traduci_errore(exc, engine)
        log.error("query failed: %s", errore.dettaglio)
        raise errore from exc
    return pl.DataFrame([tuple(r) for r in rows], schema=dict(schema), orient="row")
