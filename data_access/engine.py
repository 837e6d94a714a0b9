"""The only place that opens database connections: read-only, time-limited, bound parameters only."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
import tomllib
from pathlib import Path

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
            with path.open("rb") as fh:
                url = tomllib.load(fh).get("database", {}).get("url")
            if url:
                return str(url)
    return None


def resolve_url() -> str:
    """The database URL: CRUSCOTTO_DB_URL, else Streamlit secrets, else the demo SQLite file."""
    return os.environ.get(ENV_URL) or _secrets_url() or f"sqlite:///{DEMO_DB}"


def _timeout_s() -> float:
    try:
        return float(os.environ.get(ENV_TIMEOUT, DEFAULT_TIMEOUT_S))
    except ValueError:
        return DEFAULT_TIMEOUT_S


def descrivi(url: str | URL) -> str:
    """The URL without its password, for logs and the page."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<URL non valido>"


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


class _ConnessioneTemporizzata(sqlite3.Connection):
    """A SQLite connection that remembers when its current statement started."""

    avvio: float = 0.0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.avvio = time.monotonic()


def _postgres_engine(url: URL, timeout_s: float) -> Engine:
    options = f"-c default_transaction_read_only=on -c statement_timeout={int(timeout_s * 1000)}"
    return create_engine(
        url,
        connect_args={"options": options, "connect_timeout": 5, "application_name": "cruscotto-crisi"},
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
    )


def crea_engine(url: str | None = None) -> Engine:
    """A read-only engine for the URL (default: resolve_url())."""
    raw = url or resolve_url()
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise ErroreDatabase("L'indirizzo del database non è valido.", f"Invalid database URL: {exc}") from exc
    timeout_s = _timeout_s()
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed, timeout_s)
    if backend == "postgresql":
        return _postgres_engine(parsed, timeout_s)
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
    except ErroreDatabase:
        raise
    except (DBAPIError, SQLAlchemyError) as exc:
        raise traduci_errore(exc, engine) from exc


def traduci_errore(exc: Exception, engine: Engine) -> ErroreDatabase:
    """Turn a driver error into an ErroreDatabase with an Italian message (an ErroreDatabase passes through)."""
    if isinstance(exc, ErroreDatabase):
        return exc
    detail = f"{type(exc).__name__} on {descrivi(engine.url)}: {exc}".splitlines()[0]
    lowered = str(exc).lower()
    if "password authentication failed" in lowered or ("role" in lowered and "does not exist" in lowered):
        msg = "Accesso al database negato: utente o password non validi. Avvisare l'assistenza."
    elif "permission denied" in lowered:
        msg = "L'utente del cruscotto non ha il permesso di leggere questi dati. Avvisare l'assistenza."
    elif "not a database" in lowered or "malformed" in lowered or "file is encrypted" in lowered:
        msg = "Il file del database è danneggiato o non è un database SQLite."
    elif "connection" in lowered or "could not" in lowered or "timeout expired" in lowered:
        msg = "Il server del database non risponde. Riprovare più tardi o avvisare l'assistenza."
    elif "interrupted" in lowered or "statement timeout" in lowered or "canceling statement" in lowered:
        msg = "La richiesta al database ha superato il tempo massimo. Restringere i filtri e riprovare."
    else:
        msg = "Errore nella lettura del database."
    return ErroreDatabase(msg, detail)
