"""Writes a cruscotto database: schema plus rows. Only the ingest tools use it; the dashboard never does."""

from __future__ import annotations

import itertools
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, create_engine, event, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from data_access.schema import metadata

log = logging.getLogger(__name__)

CHUNK = 20_000
DIALETTI = ("sqlite", "postgresql")


def engine_scrittura(url: str) -> Engine:
    """A writable engine, for the ingest tools only; on SQLite every statement, DDL too, is transactional."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _senza_autobegin(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            # pysqlite opens transactions only before DML, so CREATE TABLE would escape a rollback.
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # Take the write lock up front: what was validated is what gets written.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


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


def upsert(
    conn: Connection,
    table: Table,
    rows: Iterable[Mapping[str, Any]],
    chiave: Sequence[str],
    escludi_dal_confronto: Sequence[str] = (),
) -> int:
    """Insert rows, or update the row with the same key when a value differs; identical rows stay untouched."""
    if conn.dialect.name not in DIALETTI:
        raise ValueError(f"unsupported database dialect for upsert: {conn.dialect.name}")
    blocchi = _chunks(rows, CHUNK)
    primo = next(blocchi, None)
    if not primo:
        return 0
    insert = sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert
    stmt = insert(table)
    colonne = [c for c in primo[0] if c not in chiave]
    confronto = [c for c in colonne if c not in escludi_dal_confronto]
    if confronto:
        # The WHERE keeps identical rows untouched, so a re-import writes nothing.
        stmt = stmt.on_conflict_do_update(
            index_elements=list(chiave),
            set_={c: stmt.excluded[c] for c in colonne},
            where=or_(*(table.c[c].is_distinct_from(stmt.excluded[c]) for c in confronto)),
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(chiave))
    n = 0
    for chunk in itertools.chain([primo], blocchi):
        conn.execute(stmt, chunk)
        n += len(chunk)
    log.info("upserted %d rows into %s", n, table.name)
    return n


def _chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk
