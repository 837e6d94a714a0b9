"""Read-only that the session cannot undo: every write attempt through the app's own engine fails."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from data_access.engine import crea_engine

# Every statement class that changes something, and the tricks that would undo read-only from inside.
TENTATIVI = {
    "insert": "INSERT INTO provincia (sigla, nome, codice_istat) VALUES ('XX', 'Prova', '999')",
    "replace": "REPLACE INTO provincia (sigla, nome, codice_istat) VALUES ('MI', 'Prova', '999')",
    "update": "UPDATE lavoratore SET stato_step = 'STEP4'",
    "delete": "DELETE FROM procedura",
    "create-table": "CREATE TABLE intrusa (id INTEGER)",
    "create-temp-table": "CREATE TEMP TABLE intrusa (id INTEGER)",
    "create-temp-view": "CREATE TEMP VIEW intrusa AS SELECT 1",
    "create-temp-trigger": "CREATE TEMP TRIGGER t AFTER INSERT ON provincia BEGIN SELECT 1; END",
    "create-view": "CREATE VIEW intrusa AS SELECT 1",
    "create-index": "CREATE INDEX ix_intruso ON azienda (ragione_sociale)",
    "create-virtual": "CREATE VIRTUAL TABLE intrusa USING fts5(x)",
    "drop-table": "DROP TABLE metadati",
    "alter-table": "ALTER TABLE provincia ADD COLUMN intrusa TEXT",
    "reindex": "REINDEX",
    "analyze": "ANALYZE",
    "vacuum": "VACUUM",
    "vacuum-into": "VACUUM INTO '{altro}'",
    "attach-rw": "ATTACH 'file:{db}?mode=rw' AS rw",
    "attach-new": "ATTACH '{altro}' AS nuovo",
    "attach-memory": "ATTACH ':memory:' AS m",
    "detach": "DETACH main",
    "pragma-query-only-off": "PRAGMA query_only = OFF",
    "pragma-writable-schema": "PRAGMA writable_schema = ON",
    "pragma-journal-mode": "PRAGMA journal_mode = DELETE",
    "pragma-user-version": "PRAGMA user_version = 7",
    "pragma-schema-query-only": "PRAGMA main.query_only = 0",
    "pragma-wal-checkpoint": "PRAGMA wal_checkpoint(TRUNCATE)",
    "pragma-optimize": "PRAGMA optimize",
    "pragma-cache-size": "PRAGMA cache_size = 1",
}


@pytest.fixture
def copia_db(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database."""
    target = tmp_path / "copia.db"
    shutil.copy(demo_db, target)
    return target


def _impronta(db: Path) -> tuple[bytes, list[str]]:
    """The file's bytes and the tables, read outside the app."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    tabelle = [r[0] for r in conn.execute("SELECT name FROM sqlite_master ORDER BY name")]
    conn.close()
    return db.read_bytes(), tabelle


@pytest.mark.parametrize("sql", TENTATIVI.values(), ids=TENTATIVI.keys())
def test_every_write_attempt_fails_and_leaves_no_trace(copia_db: Path, tmp_path: Path, sql: str) -> None:
    altro = tmp_path / "altro.db"
    prima = _impronta(copia_db)
    eng = crea_engine(f"sqlite:///{copia_db}")
    with pytest.raises(DBAPIError, match=r"not authorized|authorization denied|too many attached"), eng.begin() as conn:
        conn.execute(text(sql.format(db=copia_db, altro=altro)))
    # The same pooled connection, for the next session: still read-only, still limited.
    with eng.connect() as conn:
        assert conn.execute(text("PRAGMA query_only")).scalar_one() == 1
        with pytest.raises(DBAPIError, match="not authorized"):
            conn.execute(text("DELETE FROM procedura"))
    eng.dispose()
    assert _impronta(copia_db) == prima
    assert not altro.exists()
    # Only the WAL companions a reader opens, and no frame written in the WAL.
    assert {p.name for p in tmp_path.iterdir()} <= {"copia.db", "copia.db-wal", "copia.db-shm"}
    wal = tmp_path / "copia.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_pragma_then_attach_cannot_write(copia_db: Path) -> None:
    # The trick seen: switch query_only off, then attach the same file read-write and write through it.
    eng = crea_engine(f"sqlite:///{copia_db}")
    with eng.connect() as conn:
        for sql in ("PRAGMA query_only = OFF", f"ATTACH 'file:{copia_db}?mode=rw' AS rw", "DELETE FROM rw.procedura"):
            with pytest.raises(DBAPIError):
                conn.execute(text(sql))
            conn.rollback()
    with eng.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM procedura")).scalar_one() == 522
    eng.dispose()


def test_reads_the_app_needs_still_work(copia_db: Path) -> None:
    from sqlalchemy import inspect

    eng = crea_engine(f"sqlite:///{copia_db}")
    with eng.connect() as conn:
        ispettore = inspect(conn)
        assert "procedura" in ispettore.get_table_names()
        assert {c["name"] for c in ispettore.get_columns("provincia")} >= {"sigla", "nome"}
        assert ispettore.get_indexes("lavoratore")
        ispettore.get_foreign_keys("lavoratore")
        assert conn.execute(text("PRAGMA table_info(provincia)")).fetchall()
        serie = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT sum(i) FROM n"
        assert conn.execute(text(serie)).scalar_one() == 6
        assert conn.execute(text("SELECT upper(nome) FROM provincia WHERE sigla = 'MI'")).scalar_one() == "MILANO"
    eng.dispose()
