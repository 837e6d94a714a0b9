"""A load never takes the app down: while it runs, and after it is killed with -9, the app serves the last data."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from data_access.engine import ErroreDatabase, crea_engine
from data_access.queries import leggi
from tests.conftest import APP, ROOT

# A load stopped half-way: its transaction has changed thousands of rows, spilled to disk by a tiny page cache.
CARICAMENTO_A_META = """
import sys, time
from sqlalchemy import text
from ingest.writer import engine_scrittura
conn = engine_scrittura(sys.argv[1]).connect()
conn.connection.dbapi_connection.execute("PRAGMA cache_size = 8")
conn.begin()
conn.execute(text("UPDATE lavoratore SET stato_step = NULL, data_step4 = NULL"))
conn.execute(text("DELETE FROM procedura_unita"))
conn.execute(text("UPDATE metadati SET data_estrazione = '2030-01-01'"))
print("a metà", flush=True)
time.sleep(600)
"""


def _pagina(url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CRUSCOTTO_DB_URL", url)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return {m.label: m.value for m in at.metric}


def _conta(url: str) -> int:
    eng = crea_engine(url)
    n = leggi(eng, text("SELECT count(*) FROM lavoratore WHERE stato_step IS NOT NULL"), {"n": int})["n"][0]
    eng.dispose()
    return int(n)


def test_kill_9_mid_load_leaves_the_app_serving_the_previous_data(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cruscotto.db"
    shutil.copy(demo_db, db)
    # A database written before WAL: the loader itself must switch it, readers cannot.
    vecchio = sqlite3.connect(db)
    vecchio.execute("PRAGMA journal_mode = DELETE")
    vecchio.close()
    url = f"sqlite:///{db}"
    prima = _conta(url)
    figure = _pagina(url, monkeypatch)
    assert figure["Lavoratori coinvolti"] == "11.800"
    caricatore = subprocess.Popen(
        [sys.executable, "-c", CARICAMENTO_A_META, url], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert caricatore.stdout is not None and caricatore.stdout.readline().strip() == "a metà"
        # While the load holds the database: the same figures, no "database is locked".
        assert _conta(url) == prima
        assert _pagina(url, monkeypatch) == figure
    finally:
        os.kill(caricatore.pid, signal.SIGKILL)
        caricatore.wait(timeout=30)
    assert caricatore.returncode == -signal.SIGKILL
    # After the crash, a fresh read-only app (no writer ever reopened the file) still serves the previous data.
    assert _conta(url) == prima
    assert _pagina(url, monkeypatch) == figure
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


def test_locked_database_says_in_aggiornamento_not_corrupt(demo_db: Path, tmp_path: Path) -> None:
    # A file still in rollback-journal mode, locked by a writer: "in aggiornamento", distinct from "danneggiato".
    db = tmp_path / "bloccato.db"
    shutil.copy(demo_db, db)
    scrittore = sqlite3.connect(db, isolation_level=None)
    scrittore.execute("PRAGMA journal_mode = DELETE")
    scrittore.execute("BEGIN EXCLUSIVE")
    try:
        eng = crea_engine(f"sqlite:///{db}")
        with pytest.raises(ErroreDatabase) as err:
            leggi(eng, text("SELECT count(*) FROM provincia"), {"n": int})
        eng.dispose()
    finally:
        scrittore.execute("ROLLBACK")
        scrittore.close()
    assert err.value.messaggio == "Il database è in aggiornamento: riprovare tra qualche istante."
    assert "database is locked" in err.value.dettaglio
