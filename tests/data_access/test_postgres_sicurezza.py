"""PostgreSQL: the app refuses a role that can write, every write attempt fails, a frozen server cannot hang a page."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from data_access import engine as engine_mod
from data_access.engine import ErroreDatabase, crea_engine, verifica
from data_access.queries import leggi
from data_access.queries.meta import info_dati
from data_access.schema import provincia
from tests.postgres_server import RUOLO_LETTURA, ServerPostgres

pytestmark = pytest.mark.postgres

# Tricks that would undo read-only from inside a session of the read-only role.
TENTATIVI = {
    "set-read-write-then-write": ["SET default_transaction_read_only = off", "DELETE FROM procedura"],
    "transaction-read-write": ["SET TRANSACTION READ WRITE", "DELETE FROM procedura"],
    "session-read-write": ["SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "UPDATE provincia SET nome = 'x'"],
    "set-config": ["SELECT set_config('default_transaction_read_only', 'off', false)", "TRUNCATE tavolo_caso"],
    "temp-table": ["CREATE TEMP TABLE intrusa (id INTEGER)"],
    "create-schema": ["CREATE SCHEMA intruso"],
    "create-table": ["CREATE TABLE intrusa (id INTEGER)"],
    "create-function": ["CREATE FUNCTION intrusa() RETURNS int LANGUAGE sql AS 'SELECT 1'"],
    "copy-to-file": ["COPY provincia TO '/tmp/cruscotto-intruso.csv'"],
    "large-object": ["SELECT lo_import('/etc/hostname')"],
    "grant": ["GRANT SELECT ON provincia TO PUBLIC"],
    "alter-role": ["ALTER ROLE cruscotto_lettura SET statement_timeout = 0"],
    "lock": ["LOCK TABLE procedura IN ACCESS EXCLUSIVE MODE"],
    "nextval": ["SELECT nextval(pg_get_serial_sequence('procedura', 'id'))"],
}


def _conteggi(server: ServerPostgres) -> tuple[int, ...]:
    eng = create_engine(server.url_proprietario)
    with eng.connect() as conn:
        righe = tuple(
            conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("provincia", "procedura", "tavolo_caso")
        )
        oggetti = conn.execute(text("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"))
        ruolo = conn.execute(text("SELECT rolconfig::text FROM pg_roles WHERE rolname = 'cruscotto_lettura'"))
        stato = (*righe, oggetti.scalar_one(), ruolo.scalar_one())
    eng.dispose()
    return stato  # type: ignore[return-value]


@pytest.mark.parametrize("istruzioni", TENTATIVI.values(), ids=TENTATIVI.keys())
def test_every_write_attempt_of_the_read_only_role_fails(
    postgres_server: ServerPostgres, istruzioni: list[str]
) -> None:
    prima = _conteggi(postgres_server)
    eng = crea_engine(postgres_server.url_lettura)
    rifiuto = r"read-only transaction|permission denied|must be (owner|superuser)"
    with pytest.raises(DBAPIError, match=rifiuto), eng.begin() as conn:
        for sql in istruzioni:
            conn.execute(text(sql))
    eng.dispose()
    assert _conteggi(postgres_server) == prima
    assert not Path("/tmp/cruscotto-intruso.csv").exists()


def test_documented_role_passes_the_start_up_check(postgres_server: ServerPostgres) -> None:
    eng = crea_engine(postgres_server.url_lettura)
    verifica(eng)
    eng.dispose()


def test_owner_is_refused_at_start_up(postgres_server: ServerPostgres) -> None:
    eng = crea_engine(postgres_server.url_proprietario)
    with pytest.raises(ErroreDatabase) as err:
        verifica(eng)
    assert err.value.messaggio.startswith("Il cruscotto non si avvia: l'utente del database può modificare i dati.")
    assert "special=True" in err.value.dettaglio
    assert postgres_server.password_super not in err.value.dettaglio
    eng.dispose()


@contextmanager
def _ruolo_con(server: ServerPostgres, privilegio: str) -> Iterator[str]:
    """A login role like the documented one, plus one extra privilege; dropped afterwards."""
    admin = create_engine(server.url_proprietario, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE ROLE lettore_largo LOGIN PASSWORD 'largo'"))
        conn.execute(text("GRANT CONNECT ON DATABASE crisi TO lettore_largo"))
        conn.execute(text("GRANT USAGE ON SCHEMA public TO lettore_largo"))
        conn.execute(text("GRANT SELECT ON ALL TABLES IN SCHEMA public TO lettore_largo"))
        conn.execute(text(privilegio))
    try:
        yield server.url("lettore_largo", "largo")
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP OWNED BY lettore_largo"))
            conn.execute(text("DROP ROLE lettore_largo"))
        admin.dispose()


@pytest.mark.parametrize(
    ("privilegio", "atteso"),
    [
        ("GRANT INSERT ON tavolo_caso TO lettore_largo", "public.tavolo_caso"),
        # Tables are listed in name order, the first 20: the derived tables come first.
        ("GRANT UPDATE ON ALL TABLES IN SCHEMA public TO lettore_largo", "public.agg_step_percorsi"),
        ("GRANT CREATE ON SCHEMA public TO lettore_largo", "create_in=[public]"),
        ("GRANT CREATE ON DATABASE crisi TO lettore_largo", "create_schema_in_db=True"),
    ],
    ids=["insert-one-table", "update-all", "create-in-schema", "create-schema"],
)
def test_a_role_that_can_write_anything_is_refused(
    postgres_server: ServerPostgres, privilegio: str, atteso: str
) -> None:
    with _ruolo_con(postgres_server, privilegio) as url:
        eng = crea_engine(url)
        with pytest.raises(ErroreDatabase) as err:
            verifica(eng)
        eng.dispose()
    assert "può modificare i dati" in err.value.messaggio
    assert atteso in err.value.dettaglio


def test_start_up_checks_the_effective_statement_timeout(
    postgres_server: ServerPostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A connection whose time limit is not the configured one (e.g. a pooler dropping options) is refused.
    eng = crea_engine(postgres_server.url_lettura)
    monkeypatch.setenv(engine_mod.ENV_TIMEOUT, "20")
    with pytest.raises(ErroreDatabase) as err:
        verifica(eng)
    eng.dispose()
    assert "limite di tempo" in err.value.messaggio
    assert "statement_timeout=15000 ms (expected 20000)" in err.value.dettaglio


def _processi_del_server(server: ServerPostgres) -> list[int]:
    """The postmaster and all its children."""
    postmaster = int((server.dati / "postmaster.pid").read_text().split()[0])
    figli = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            campi = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(campi[1]) == postmaster:
            figli.append(int(stat.parent.name))
    return [postmaster, *figli]


def test_a_frozen_server_answers_server_non_risponde_within_the_timeout(
    postgres_server: ServerPostgres, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(engine_mod.ENV_TIMEOUT, "1")
    eng = crea_engine(postgres_server.url_lettura)
    assert info_dati(eng).demo is True  # a pooled connection, alive
    processi = _processi_del_server(postgres_server)
    caplog.set_level(logging.ERROR)
    for pid in processi:
        os.kill(pid, signal.SIGSTOP)
    try:
        inizio = time.monotonic()
        with pytest.raises(ErroreDatabase) as err:
            leggi(eng, select(provincia.c.sigla), {"sigla": str})
        durata = time.monotonic() - inizio
    finally:
        for pid in processi:
            os.kill(pid, signal.SIGCONT)
    assert "Il server del database non risponde" in err.value.messaggio
    # Ping deadline (2 s) + connect timeout (2 s), with a generous margin for a slow machine; never minutes.
    assert durata < 30
    assert "silent" in caplog.text or "timeout expired" in caplog.text
    # Once the server is back, the same engine serves again.
    assert leggi(eng, select(provincia.c.sigla), {"sigla": str}).height == 12
    eng.dispose()


def test_a_query_on_a_server_frozen_mid_session_is_dropped_by_the_client(
    postgres_server: ServerPostgres, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The connection is checked out and answering; then the server stops mid-query.
    monkeypatch.setenv(engine_mod.ENV_TIMEOUT, "1")
    eng = crea_engine(postgres_server.url_lettura)
    caplog.set_level(logging.ERROR)
    with eng.connect() as conn:
        conn.execute(text("SELECT 1"))
        processi = _processi_del_server(postgres_server)  # with this connection's backend
        for pid in processi:
            os.kill(pid, signal.SIGSTOP)
        try:
            inizio = time.monotonic()
            with pytest.raises(ErroreDatabase) as err:
                conn.execute(text("SELECT count(*) FROM lavoratore"))
            durata = time.monotonic() - inizio
        finally:
            for pid in processi:
                os.kill(pid, signal.SIGCONT)
    assert err.value.messaggio.startswith("Il server del database non risponde (nessuna risposta in 3 secondi).")
    assert durata < 30
    assert "client-side deadline" in caplog.text
    assert RUOLO_LETTURA not in err.value.messaggio
    eng.dispose()


def test_the_role_changing_its_own_timeout_does_not_change_the_apps(postgres_server: ServerPostgres) -> None:
    # Outside the app, the documented role lifts its own default: the app's sessions keep the configured limit.
    fuori = create_engine(postgres_server.url_lettura, isolation_level="AUTOCOMMIT")
    with fuori.connect() as conn:
        conn.execute(text("SET default_transaction_read_only = off"))
        conn.execute(text(f"ALTER ROLE {RUOLO_LETTURA} SET statement_timeout = 0"))
    try:
        eng = crea_engine(postgres_server.url_lettura)
        verifica(eng)
        with eng.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "15s"
        eng.dispose()
    finally:
        with fuori.connect() as conn:
            conn.execute(text("SET default_transaction_read_only = off"))
            conn.execute(text(f"ALTER ROLE {RUOLO_LETTURA} SET statement_timeout = '15s'"))
        fuori.dispose()
