"""The app's engine is read-only, time-limited, and turns database problems into Italian messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from data_access import engine as engine_mod
from data_access.engine import ErroreDatabase, crea_engine, resolve_url, verifica
from data_access.queries import leggi
from data_access.queries.meta import info_dati

WRITES = [
    "INSERT INTO provincia (sigla, nome, codice_istat) VALUES ('XX', 'Prova', '999')",
    "UPDATE lavoratore SET stato_step = 'STEP4'",
    "DELETE FROM procedura",
    "CREATE TABLE intrusa (id INTEGER)",
    "DROP TABLE metadati",
    "CREATE INDEX ix_intruso ON azienda (ragione_sociale)",
]


@pytest.fixture
def copia_db(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database, so a failed write test cannot spoil the session's one."""
    target = tmp_path / "copia.db"
    shutil.copy(demo_db, target)
    return target


@pytest.mark.parametrize("sql", WRITES)
def test_sqlite_writes_fail(copia_db: Path, sql: str) -> None:
    eng = crea_engine(f"sqlite:///{copia_db}")
    with pytest.raises(DBAPIError, match=r"not authorized|readonly"), eng.begin() as conn:
        conn.execute(text(sql))
    with eng.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM procedura")).scalar_one() == 522
        assert conn.execute(text("SELECT count(*) FROM provincia")).scalar_one() == 12


def test_sqlite_is_opened_read_only_and_query_only(copia_db: Path) -> None:
    eng = crea_engine(f"sqlite:///{copia_db}")
    with eng.connect() as conn:
        assert conn.execute(text("PRAGMA query_only")).scalar_one() == 1
        # query_only cannot be switched off from inside (the authorizer refuses PRAGMA writes).
        with pytest.raises(DBAPIError, match="not authorized"):
            conn.execute(text("PRAGMA query_only = OFF"))
        assert conn.execute(text("PRAGMA query_only")).scalar_one() == 1


def test_missing_file_gives_italian_message(tmp_path: Path) -> None:
    with pytest.raises(ErroreDatabase) as err:
        crea_engine(f"sqlite:///{tmp_path / 'assente.db'}")
    assert "non è stato trovato" in err.value.messaggio
    assert "assente.db" in err.value.dettaglio
    assert not (tmp_path / "assente.db").exists()  # opening must not create it


def test_corrupt_file_gives_italian_message(tmp_path: Path) -> None:
    corrotto = tmp_path / "corrotto.db"
    corrotto.write_bytes(b"questo non e' un database SQLite" * 200)
    with pytest.raises(ErroreDatabase) as err:
        verifica(crea_engine(f"sqlite:///{corrotto}"))
    assert "danneggiato" in err.value.messaggio
    assert "not a database" in err.value.dettaglio


def test_empty_database_lacks_tables(tmp_path: Path) -> None:
    import sqlite3

    vuoto = tmp_path / "vuoto.db"
    sqlite3.connect(vuoto).execute("CREATE TABLE altro (x)").connection.close()
    with pytest.raises(ErroreDatabase) as err:
        verifica(crea_engine(f"sqlite:///{vuoto}"))
    assert "non contiene le tabelle" in err.value.messaggio
    assert "metadati" in err.value.dettaglio


def test_unsupported_and_invalid_urls() -> None:
    with pytest.raises(ErroreDatabase, match="mysql"):
        crea_engine("mysql://u@localhost/x")
    with pytest.raises(ErroreDatabase) as err:
        crea_engine("non un url")
    assert "non è valido" in err.value.messaggio


def test_unreachable_postgres_gives_italian_message() -> None:
    eng = crea_engine("postgresql+psycopg://nessuno:segreto@127.0.0.1:1/crisi")
    with pytest.raises(ErroreDatabase) as err:
        verifica(eng)
    assert "non risponde" in err.value.messaggio
    assert "segreto" not in err.value.dettaglio  # the password never reaches the logs


def test_statement_timeout_aborts_long_queries(copia_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(engine_mod.ENV_TIMEOUT, "0.2")
    eng = crea_engine(f"sqlite:///{copia_db}")
    endless = text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")
    with pytest.raises(ErroreDatabase) as err:
        leggi(eng, endless, {"n": int})
    assert "tempo massimo" in err.value.messaggio
    # The connection stays usable for the next, normal query.
    assert info_dati(eng).demo is True


def test_url_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(engine_mod.ENV_URL, raising=False)
    monkeypatch.setattr(engine_mod.Path, "home", lambda: tmp_path / "home")
    assert resolve_url() == f"sqlite:///{engine_mod.DEMO_DB}"
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[database]\nurl = "sqlite:///segreti.db"\n')
    assert resolve_url() == "sqlite:///segreti.db"
    monkeypatch.setenv(engine_mod.ENV_URL, "sqlite:///ambiente.db")
    assert resolve_url() == "sqlite:///ambiente.db"
