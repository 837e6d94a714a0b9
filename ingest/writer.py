"""Writes a cruscotto database: schema plus rows. Only the ingest tools use it; the dashboard never does."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine

from data_access.schema import metadata

log = logging.getLogger(__name__)

CHUNK = 20_000


def engine_scrittura(url: str) -> Engine:
    """A writable engine, for the ingest tools only."""
    return create_engine(url)


def crea_schema(conn: Connection) -> None:
    """Create every table and index of the contract that does not exist yet."""
    metadata.create_all(conn)


def inserisci(conn: Connection, tabelle: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Insert rows table by table, in dependency order, in chunks."""
    for table in metadata.sorted_tables:
        rows = tabelle.get(table.name, ())
        for chunk in _chunks(rows, CHUNK):
            conn.execute(table.insert(), chunk)
        if rows:
            log.info("inserted %d rows into %s", len(rows), table.name)


def _chunks(rows: Sequence[Mapping[str, Any]], size: int) -> Iterable[Sequence[Mapping[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
