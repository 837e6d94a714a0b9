"""The only place that opens database connections: read-only, time-limited, bound parameters only."""

from __future__ import annotations

import logging
import math
import os
import re
import socket
import sqlite3
import threading
import time
import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import QueuePool

from data_access import ROOT
from data_access.schema import TABELLE_RICHIESTE

log = logging.getLogger(__name__)

DEMO_DB = ROOT / "var" / "demo.db"
ENV_URL = "CRUSCOTTO_DB_URL"
ENV_TIMEOUT = "CRUSCOTTO_TIMEOUT_S"
DEFAULT_TIMEOUT_S = 15.0
MIN_TIMEOUT_S = 0.1
MAX_TIMEOUT_S = 600.0
# Seconds the client waits beyond the server's statement_timeout before it drops a connection that went silent.
MARGINE_SCADENZA_S = 2.0


class ErroreDatabase(Exception):
    """A database problem, with an Italian message for the page and a precise one for the logs."""

    def __init__(self, messaggio: str, dettaglio: str) -> None:
        super().__init__(dettaglio)
        self.messaggio = messaggio
        self.dettaglio = dettaglio


def _secrets_url() -> str | None:
    """Read `[database] url` from a Streamlit secrets file without importing Streamlit."""
    for path in (Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"):
        if path.is_file():
            try:
                with path.open("rb") as fh:
                    dati = tomllib.load(fh)
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
                raise ErroreDatabase(
                    f"Il file delle impostazioni riservate «{path.name}» non è leggibile: correggerlo "
                    '(formato TOML, es. [database] url = "...").',
                    f"Malformed secrets file {path}: {exc}",
                ) from exc
            sezione = dati.get("database", {})
            url = sezione.get("url") if isinstance(sezione, dict) else None
            if url:
                return str(url)
    return None


def resolve_url(esplicito: str | None = None) -> str:
    """The database URL, with one precedence everywhere: --db, CRUSCOTTO_DB_URL, Streamlit secrets, demo file."""
    return esplicito or os.environ.get(ENV_URL) or _secrets_url() or f"sqlite:///{DEMO_DB}"


def timeout_s() -> float:
    """CRUSCOTTO_TIMEOUT_S, checked: a finite number of seconds in [MIN_TIMEOUT_S, MAX_TIMEOUT_S]."""
    raw = os.environ.get(ENV_TIMEOUT)
    if raw is None or not raw.strip():
        return DEFAULT_TIMEOUT_S
    try:
        valore = float(raw.strip().replace(",", "."))
    except ValueError:
        valore = math.nan
    if not math.isfinite(valore) or not MIN_TIMEOUT_S <= valore <= MAX_TIMEOUT_S:
        raise ErroreDatabase(
            f"Impostazione {ENV_TIMEOUT} non valida («{raw[:40]}»): indicare i secondi, "
            f"tra {MIN_TIMEOUT_S:g} e {MAX_TIMEOUT_S:.0f}.",
            f"Invalid {ENV_TIMEOUT}={raw[:40]!r}: expected seconds in [{MIN_TIMEOUT_S:g}, {MAX_TIMEOUT_S:.0f}]",
        )
    return valore


# scheme://userinfo@host...: the userinfo ends at the LAST '@' before the path, so a password with '@' stays hidden.
_AUTORITA = re.compile(r"^(?P<schema>[^:/?#]+://)(?P<utente>[^/?#]*)@(?P<resto>[^@/?#]*(?:[/?#].*)?)$", re.DOTALL)
_PASSWORD_QUERY = re.compile(r"(?i)([?&]password=)[^&]*")


def descrivi(url: str | URL) -> str:
    """The URL without its password, for logs and the page (also when the password has an unescaped '@')."""
    testo = url.render_as_string(hide_password=False) if isinstance(url, URL) else str(url)
    m = _AUTORITA.match(testo)
    if m:
        utente = m["utente"].split(":", 1)
        nascosto = f"{utente[0]}:***" if len(utente) == 2 else utente[0]
        testo = f"{m['schema']}{nascosto}@{m['resto']}"
    return _PASSWORD_QUERY.sub(r"\1***", testo)


def controlla_url(raw: str) -> URL:
    """Parse a database URL, refusing what would be misread (e.g. an unescaped '@' in the password)."""
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise ErroreDatabase(
            "L'indirizzo del database non è valido (atteso sqlite:///file.db o postgresql+psycopg://utente@host/db).",
            f"Invalid database URL {descrivi(raw)}",
        ) from exc
    if "@" in (parsed.host or ""):
        raise ErroreDatabase(
            "L'indirizzo del database non è valido: un carattere «@» nella password va scritto come %40.",
            f"Database URL with an unescaped '@' in its credentials: {descrivi(raw)}",
        )
    return parsed


def _sqlite_engine(url: URL, timeout_s: float) -> Engine:
    path = Path(url.database or "")
    if not url.database or url.database == ":memory:":
        raise ErroreDatabase("Il database indicato non è un file SQLite.", f"SQLite URL without a file: {url}")
    if not path.is_file():
        raise ErroreDatabase(
            "Il database non è stato trovato. Per i dati dimostrativi eseguire «make demo».",
            f"SQLite file not found: {path.resolve()}",
        )
    uri = f"file:{path.resolve().as_posix()}?mode=ro"

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, factory=_ConnessioneTemporizzata)
        conn.execute("PRAGMA query_only = ON")
        # The session cannot undo read-only: no other database can be attached, no statement but a read runs.
        conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        conn.set_authorizer(_solo_lettura)
        # SQLite has no statement timeout: a progress handler aborts a statement that runs too long.
        conn.set_progress_handler(lambda: int(time.monotonic() - conn.avvio > timeout_s), 10_000)
        return conn

    # A creator-based URL names no file, so SQLAlchemy would pick its per-thread pool for in-memory databases, which
    # closes a connection still in use by another thread once more threads than it keeps are running (Streamlit runs
    # each page run in a new thread). A queue pool lends each connection to one thread at a time.
    engine = create_engine(
        "sqlite+pysqlite://", creator=connect, poolclass=QueuePool, pool_size=5, max_overflow=15, pool_timeout=timeout_s
    )

    @event.listens_for(engine, "before_cursor_execute")
    def _restart_clock(conn, cursor, statement, parameters, context, executemany):
        dbapi = conn.connection.dbapi_connection
        if isinstance(dbapi, _ConnessioneTemporizzata):
            dbapi.avvio = time.monotonic()

    return engine


# PRAGMAs that only read even with an argument (the inspector's table_info, index_list...).
_PRAGMA_LETTURA_CON_ARGOMENTO = frozenset(
    {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list"}
)
# PRAGMAs that act even without an argument.
_PRAGMA_CHE_AGISCONO = frozenset({"optimize", "wal_checkpoint", "incremental_vacuum", "shrink_memory"})
_AZIONI_LETTURA = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
)
# pysqlite and SQLAlchemy open and close (empty) transactions and savepoints around reads.
_AZIONI_TRANSAZIONE = frozenset({sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_SAVEPOINT})


def _solo_lettura(azione: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None) -> int:
    """SQLite authorizer: reads only. No write, no DDL, no ATTACH (hence no VACUUM INTO), no PRAGMA that sets."""
    if azione in _AZIONI_LETTURA or azione in _AZIONI_TRANSAZIONE:
        return sqlite3.SQLITE_OK
    if azione == sqlite3.SQLITE_PRAGMA:
        nome = (arg1 or "").lower()
        if nome in _PRAGMA_CHE_AGISCONO:
            return sqlite3.SQLITE_DENY
        if arg2 is None or nome in _PRAGMA_LETTURA_CON_ARGOMENTO:
            return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


class _ConnessioneTemporizzata(sqlite3.Connection):
    """A SQLite connection that remembers when its current statement started."""

    avvio: float = 0.0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.avvio = time.monotonic()


CONNECT_TIMEOUT_S = 5


def _postgres_engine(url: URL, timeout_s: float) -> Engine:
    # libpq's connect_timeout is whole seconds, at least 2; never longer than the statement timeout.
    connessione_s = max(2, min(CONNECT_TIMEOUT_S, math.ceil(timeout_s)))
    options = f"-c default_transaction_read_only=on -c statement_timeout={int(timeout_s * 1000)}"
    engine = create_engine(
        url,
        connect_args={
            "options": options,
            "connect_timeout": connessione_s,
            "application_name": "cruscotto-crisi",
            # A peer that vanishes (cable, crash) is noticed by the kernel within about a timeout.
            "keepalives": 1,
            "keepalives_idle": max(1, int(timeout_s / 3)),
            "keepalives_interval": max(1, int(timeout_s / 6)),
            "keepalives_count": 3,
            "tcp_user_timeout": int(timeout_s * 1000),
            # No server-side prepared statements: PgBouncer in transaction mode hands each transaction to any server
            # connection, where a statement prepared on another one does not exist.
            "prepare_threshold": None,
        },
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
    )
    # A server that is alive for the kernel but silent (stopped, stuck) is caught by a client-side deadline.
    scadenza_s = timeout_s + MARGINE_SCADENZA_S
    ping = engine.dialect.do_ping

    def ping_con_scadenza(dbapi_conn: Any) -> bool:
        with _Sorveglianza(dbapi_conn, connessione_s):
            return ping(dbapi_conn)

    engine.dialect.do_ping = ping_con_scadenza  # type: ignore[method-assign]

    @event.listens_for(engine, "before_cursor_execute")
    def _arma(conn, cursor, statement, parameters, context, executemany):
        conn.info["sorveglianza"] = _Sorveglianza(conn.connection.dbapi_connection, scadenza_s).__enter__()

    @event.listens_for(engine, "after_cursor_execute")
    def _disarma(conn, cursor, statement, parameters, context, executemany):
        sorveglianza = conn.info.pop("sorveglianza", None)
        if sorveglianza is not None:
            sorveglianza.__exit__(None, None, None)

    @event.listens_for(engine, "handle_error")
    def _scaduta(ctx):
        sorveglianza = ctx.connection.info.pop("sorveglianza", None) if ctx.connection is not None else None
        if sorveglianza is not None:
            sorveglianza.__exit__(None, None, None)
            if sorveglianza.scattata:
                raise ErroreDatabase(
                    f"Il server del database non risponde (nessuna risposta in {scadenza_s:.0f} secondi). "
                    "Riprovare più tardi o avvisare l'assistenza.",
                    f"database server {descrivi(engine.url)} silent for {scadenza_s:.0f} s: connection dropped",
                ) from ctx.original_exception

    @event.listens_for(engine, "connect")
    def _sola_lettura(dbapi_connection, connection_record):
        # Every transaction opens as BEGIN READ ONLY: this holds behind PgBouncer too, which drops `options`.
        dbapi_connection.read_only = True

    @event.listens_for(engine, "begin")
    def _tempo_massimo(conn):
        # The time limit for each transaction, set by the app itself: behind PgBouncer in transaction mode the
        # startup `options` are dropped and a session-level SET would land on whichever server connection is free.
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout_s * 1000)}")

    return engine


class _Sorveglianza:
    """A client-side deadline on one DBAPI connection: past it, the socket is shut down so the driver returns."""

    def __init__(self, dbapi_conn: Any, secondi: float) -> None:
        self.dbapi_conn = dbapi_conn
        self.secondi = secondi
        self.scattata = False
        self._timer = threading.Timer(secondi, self._scatta)
        self._timer.daemon = True

    def __enter__(self) -> _Sorveglianza:
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.cancel()

    def _scatta(self) -> None:
        try:
            fd = self.dbapi_conn.pgconn.socket
        except Exception:  # already closed: nothing to wake up
            return
        self.scattata = True
        log.error("database server silent for %.0f s: closing the connection (client-side deadline)", self.secondi)
        copia = socket.socket(fileno=os.dup(fd))
        try:
            copia.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        finally:
            copia.close()


def crea_engine(url: str | None = None) -> Engine:
    """A read-only engine for the URL (default: resolve_url())."""
    parsed = controlla_url(url or resolve_url())
    secondi = timeout_s()
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed, secondi)
    if backend == "postgresql":
        return _postgres_engine(parsed, secondi)
    raise ErroreDatabase(
        "Tipo di database non supportato: usare SQLite o PostgreSQL.", f"Unsupported backend {backend!r}"
    )


def verifica(engine: Engine) -> None:
    """Check that the database answers and holds the expected tables; raise ErroreDatabase if not."""
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            missing = [t for t in TABELLE_RICHIESTE if t not in present]
            if missing:
                raise ErroreDatabase(
                    "Il database non contiene le tabelle del cruscotto: è danneggiato o non è quello giusto.",
                    f"Missing tables {missing} in {descrivi(engine.url)}",
                )
            conn.execute(text("SELECT count(*) FROM metadati")).scalar_one()
            if conn.dialect.name == "postgresql":
                _verifica_ruolo(conn, descrivi(engine.url))
    except ErroreDatabase:
        raise
    except (DBAPIError, SQLAlchemyError) as exc:
        raise traduci_errore(exc, engine) from exc


# Tables, views and sequences of the database the role could change in any way.
_SQL_SCRIVIBILI = text(
    """
    SELECT n.nspname || '.' || c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      AND (CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(c.oid, 'UPDATE')
           ELSE has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') END
           OR pg_has_role(c.relowner, 'USAGE'))
    ORDER BY 1
    """
)
_SQL_POTERI = text(
    """
    SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolbypassrls,
           has_database_privilege(current_database(), 'CREATE'),
           coalesce((SELECT string_agg(nspname, ', ') FROM pg_namespace
                     WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
                       AND has_schema_privilege(oid, 'CREATE')), '')
    FROM pg_roles r WHERE r.rolname = current_user
    """
)


def _verifica_ruolo(conn: Any, dove: str) -> None:
    """PostgreSQL: refuse a role that could write anything, and a session without the configured time limit."""
    speciale, crea_schemi, schemi = conn.execute(_SQL_POTERI).one()
    scrivibili = conn.execute(_SQL_SCRIVIBILI).scalars().all()
    if speciale or crea_schemi or schemi or scrivibili:
        cosa = ", ".join(scrivibili[:5]) or schemi or "il database"
        raise ErroreDatabase(
            "Il cruscotto non si avvia: l'utente del database può modificare i dati. Usare un utente che può "
            "solo leggere (vedere «Accesso in sola lettura» nel dizionario dati).",
            f"role {conn.execute(text('SELECT current_user')).scalar_one()} on {dove} can write: "
            f"special={speciale} create_schema_in_db={crea_schemi} create_in=[{schemi}] "
            f"tables=[{', '.join(scrivibili[:20])}]{' …' if len(scrivibili) > 20 else ''} ({cosa})",
        )
    atteso = int(timeout_s() * 1000)
    effettivo = conn.execute(text("SELECT setting::int FROM pg_settings WHERE name = 'statement_timeout'")).scalar_one()
    sola_lettura = conn.execute(text("SHOW transaction_read_only")).scalar_one()
    if effettivo != atteso or sola_lettura != "on":
        raise ErroreDatabase(
            "Il cruscotto non si avvia: la connessione al database non ha il limite di tempo o la sola lettura "
            "previsti. Avvisare l'assistenza.",
            f"on {dove}: statement_timeout={effettivo} ms (expected {atteso}), transaction_read_only={sola_lettura}",
        )


def traduci_errore(exc: Exception, engine: Engine | URL | str) -> ErroreDatabase:
    """Turn a driver error into an ErroreDatabase with an Italian message (an ErroreDatabase passes through)."""
    if isinstance(exc, ErroreDatabase):
        return exc
    dove = descrivi(engine.url if isinstance(engine, Engine) else engine)
    detail = f"{type(exc).__name__} on {dove}: {exc}".splitlines()[0]
    lowered = str(exc).lower()
    if "password authentication failed" in lowered or ("role" in lowered and "does not exist" in lowered):
        msg = "Accesso al database negato: utente o password non validi. Avvisare l'assistenza."
    elif "permission denied" in lowered:
        msg = "L'utente del cruscotto non ha il permesso di leggere questi dati. Avvisare l'assistenza."
    elif "database is locked" in lowered or "database is busy" in lowered or "database table is locked" in lowered:
        msg = "Il database è in aggiornamento: riprovare tra qualche istante."
    elif "not a database" in lowered or "malformed" in lowered or "file is encrypted" in lowered:
        msg = "Il file del database è danneggiato o non è un database SQLite."
    elif "connection" in lowered or "could not" in lowered or "timeout expired" in lowered:
        msg = "Il server del database non risponde. Riprovare più tardi o avvisare l'assistenza."
    elif "interrupted" in lowered or "statement timeout" in lowered or "canceling statement" in lowered:
        msg = "La richiesta al database ha superato il tempo massimo. Restringere i filtri e riprovare."
    else:
        msg = "Errore nella lettura del database."
    return ErroreDatabase(msg, detail)
