"""The export register: who downloaded what, when, with which filters, and the file's SHA-256.

The register is the app's only writing path, kept apart from the read-only data database: its own URL and engine,
one INSERT per file, nothing else. SQLite (a file under var/, created with triggers that refuse UPDATE and DELETE)
by default; in production a PostgreSQL table written by an INSERT-only role (docs/accesso.md).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import polars as pl
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    select,
    text,
)
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from data_access.engine import descrivi

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
ENV_REGISTRO = "CRUSCOTTO_REGISTRO_URL"
ENV_REGISTRO_LETTURA = "CRUSCOTTO_REGISTRO_LETTURA_URL"
REGISTRO_PREDEFINITO = ROOT / "var" / "registro.db"
TABELLA = "registro_download"

metadata = MetaData()
# No key column here: the database numbers the rows (identity on PostgreSQL, rowid on SQLite), so an INSERT needs
# neither RETURNING nor the sequence, which the INSERT-only role may not read.
registro_download = Table(
    TABELLA,
    metadata,
    Column("istante", DateTime(timezone=True), nullable=False),
    Column("email", String, nullable=False),
    Column("ruolo", String, nullable=False),
    Column("perimetro", String, nullable=False),
    Column("vista", String, nullable=False),
    Column("dataset", String, nullable=False),
    Column("filtri", String, nullable=False),
    Column("formato", String, nullable=False),
    Column("righe", Integer, nullable=False),
    Column("byte", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("nome_file", String, nullable=False),
)
# SQLite has no roles: triggers make the file append-only for anyone who opens it through SQL.
_TRIGGER_SQLITE = (
    f"CREATE TRIGGER IF NOT EXISTS {TABELLA}_no_update BEFORE UPDATE ON {TABELLA} "
    "BEGIN SELECT RAISE(ABORT, 'registro in sola aggiunta'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABELLA}_no_delete BEFORE DELETE ON {TABELLA} "
    "BEGIN SELECT RAISE(ABORT, 'registro in sola aggiunta'); END",
)
SCHEMA = {
    "istante": pl.Datetime("us", "UTC"),
    "email": pl.String,
    "ruolo": pl.String,
    "perimetro": pl.String,
    "vista": pl.String,
    "dataset": pl.String,
    "filtri": pl.String,
    "formato": pl.String,
    "righe": pl.Int64,
    "byte": pl.Int64,
    "sha256": pl.String,
    "nome_file": pl.String,
}


class ErroreRegistro(Exception):
    """The register cannot be written (or read): Italian message for the page, precise one for the logs."""

    def __init__(self, messaggio: str, dettaglio: str) -> None:
        super().__init__(dettaglio)
        self.messaggio = messaggio
        self.dettaglio = dettaglio


@dataclass(frozen=True)
class Voce:
    """One row of the register: a file handed to a user."""

    email: str
    ruolo: str
    perimetro: str
    vista: str
    dataset: str
    filtri: str
    formato: str
    righe: int
    byte: int
    sha256: str
    nome_file: str


def impronta(dati: bytes) -> str:
    """The SHA-256 of a file, hexadecimal."""
    return hashlib.sha256(dati).hexdigest()


def url_registro() -> str:
    """The register's URL: CRUSCOTTO_REGISTRO_URL, else var/registro.db."""
    return os.environ.get(ENV_REGISTRO) or f"sqlite:///{REGISTRO_PREDEFINITO}"


def url_lettura() -> str:
    """The URL the Registro page reads with (a SELECT-only role on PostgreSQL); default: the register's URL."""
    return os.environ.get(ENV_REGISTRO_LETTURA) or url_registro()


_NON_SCRIVIBILE = (
    "Il registro dei download non può essere scritto: per questo il file non viene consegnato. "
    "Riprovare più tardi o avvisare l'assistenza."
)


def crea_engine_registro(url: str) -> Engine:
    """An engine on the register; a SQLite register is created with its table and triggers if absent."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ErroreRegistro(_NON_SCRIVIBILE, f"invalid register URL: {exc}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite(parsed)
    if backend == "postgresql":
        return create_engine(
            parsed,
            connect_args={"connect_timeout": 5, "application_name": "cruscotto-registro"},
            pool_pre_ping=True,
            pool_size=2,
            max_overflow=2,
        )
    raise ErroreRegistro(_NON_SCRIVIBILE, f"unsupported register backend {backend!r}")


def _sqlite(url: URL) -> Engine:
    if not url.database or url.database == ":memory:":
        raise ErroreRegistro(_NON_SCRIVIBILE, f"SQLite register URL without a file: {url}")
    path = Path(url.database)
    if path == REGISTRO_PREDEFINITO:  # the app's own state folder, absent on a fresh checkout run on another database
        path.parent.mkdir(parents=True, exist_ok=True)

    def connect() -> sqlite3.Connection:
        # Concurrent downloads wait for each other's INSERT instead of failing at once.
        return sqlite3.connect(path, check_same_thread=False, timeout=10)

    return create_engine("sqlite+pysqlite://", creator=connect)


def prepara(engine: Engine) -> None:
    """Create the register's table where the app may (SQLite); on PostgreSQL the administrator creates it."""
    if engine.dialect.name != "sqlite":
        return
    try:
        with engine.begin() as conn:
            metadata.create_all(conn, checkfirst=True)
            for istruzione in _TRIGGER_SQLITE:
                conn.execute(text(istruzione))
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        raise ErroreRegistro(_NON_SCRIVIBILE, f"register not prepared: {_prima_riga(exc)}") from exc


def registra(engine: Engine, voce: Voce, istante: datetime | None = None) -> None:
    """Append one row; raise ErroreRegistro if the register refuses it (the file must then not be handed out)."""
    riga = {"istante": istante or datetime.now(UTC), **asdict(voce)}
    try:
        with engine.begin() as conn:
            conn.execute(insert(registro_download).values(**riga))
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        raise ErroreRegistro(_NON_SCRIVIBILE, f"register write failed: {_prima_riga(exc)}") from exc
    log.info(
        "download registered: %s role=%s view=%r format=%s rows=%d sha256=%s",
        voce.email,
        voce.ruolo,
        voce.vista,
        voce.formato,
        voce.righe,
        voce.sha256,
    )


def consegna(engine: Engine, dati: bytes, **campi: str | int) -> bytes:
    """Record a file (size and SHA-256 computed here) and give its bytes back; raise ErroreRegistro if refused."""
    registra(engine, Voce(byte=len(dati), sha256=impronta(dati), **campi))  # type: ignore[arg-type]
    return dati


def scrivibile(engine: Engine) -> str | None:
    """None if the register accepts rows now, else why not (checked without writing a row)."""
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # takes the write lock: fails on a read-only file
                conn.exec_driver_sql("ROLLBACK")
                presente = conn.execute(
                    text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": TABELLA}
                ).scalar_one()
                return None if presente else f"table {TABELLA} missing"
            permesso = conn.execute(
                text("SELECT has_table_privilege(:t, 'INSERT') AND NOT pg_is_in_recovery()"), {"t": TABELLA}
            ).scalar_one()
            return None if permesso else f"role {conn.engine.url.username} may not INSERT into {TABELLA}"
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        return _prima_riga(exc)


def leggi(
    engine: Engine,
    *,
    email: str | None = None,
    dal: date | None = None,
    al: date | None = None,
    vista: str | None = None,
) -> pl.DataFrame:
    """The register's rows, newest first, filtered by user, period (days, inclusive) and view."""
    r = registro_download.c
    stmt = select(*(r[c] for c in SCHEMA)).order_by(r.istante.desc())
    if email:
        stmt = stmt.where(r.email == email)
    if vista:
        stmt = stmt.where(r.vista == vista)
    if dal:
        stmt = stmt.where(r.istante >= datetime.combine(dal, time.min, UTC))
    if al:
        stmt = stmt.where(r.istante < datetime.combine(al + timedelta(days=1), time.min, UTC))
    try:
        with engine.connect() as conn:
            righe = conn.execute(stmt).fetchall()
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        raise ErroreRegistro(
            "Il registro dei download non si può leggere. Avvisare l'assistenza.",
            f"register read failed on {descrivi(engine.url)}: {_prima_riga(exc)}",
        ) from exc
    # SQLite gives the instant back without its zone (stored in UTC); PostgreSQL with it.
    righe = [(_utc(x[0]), *x[1:]) for x in righe]
    return pl.DataFrame(righe, schema=dict(SCHEMA), orient="row")


def _utc(istante: datetime) -> datetime:
    return istante.replace(tzinfo=UTC) if istante.tzinfo is None else istante.astimezone(UTC)


def _prima_riga(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0]
