"""A throwaway PostgreSQL server for the tests: own data dir, loopback port, gone when stopped."""

from __future__ import annotations

import logging
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import URL, text

from ingest.demo import Generatore
from ingest.writer import crea_schema, engine_scrittura, inserisci

log = logging.getLogger(__name__)

PG_ROOT = Path("/usr/lib/postgresql")
VERSIONE_PREFERITA = "15"
UTENTE_SERVER = "nobody"  # initdb refuses root: as root, the cluster belongs to this unprivileged user
UTENTE_RISERVA = "cruscotto-pg"  # created with useradd where there is no `nobody`
SUPERUTENTE = "postgres"
DATABASE = "crisi"  # the name used in the documented SQL
RUOLO_LETTURA = "cruscotto_lettura"
TIMEOUT_AVVIO_S = 60

# The read-only role is created with the SQL documented for administrators, so the documentation is what is tested.
DOC_RUOLO = Path(__file__).resolve().parents[1] / "docs" / "dizionario-dati.md"
SEZIONE_RUOLO = "## Accesso in sola lettura"
PASSWORD_DOC = "'***'"


def sql_ruolo_lettura(doc: Path = DOC_RUOLO) -> list[str]:
    """The statements of the first ```sql block in the documentation's read-only access section."""
    testo = doc.read_text(encoding="utf-8")
    if SEZIONE_RUOLO not in testo:
        raise ValueError(f"{doc}: section {SEZIONE_RUOLO!r} not found")
    sezione = testo.split(SEZIONE_RUOLO, 1)[1].split("\n## ", 1)[0]
    if "```sql" not in sezione:
        raise ValueError(f"{doc}: no ```sql block in section {SEZIONE_RUOLO!r}")
    blocco = sezione.split("```sql", 1)[1].split("```", 1)[0]
    righe = [r for r in blocco.splitlines() if r.strip() and not r.strip().startswith("--")]
    return [i.strip() for i in "\n".join(righe).split(";") if i.strip()]


class PostgresNonDisponibile(RuntimeError):
    """PostgreSQL's server binaries are not installed, or the server did not start."""


def cartella_binari() -> Path:
    """The bin directory of the installed PostgreSQL server (15 preferred, else the newest)."""
    preferita = PG_ROOT / VERSIONE_PREFERITA / "bin"
    if (preferita / "initdb").is_file():
        return preferita
    versioni = sorted((p for p in PG_ROOT.glob("*/bin") if (p / "initdb").is_file()), key=lambda p: int(p.parent.name))
    if not versioni:
        raise PostgresNonDisponibile(
            f"PostgreSQL server binaries not found under {PG_ROOT}: run .ci/install-system-deps "
            "(Debian package postgresql)."
        )
    return versioni[-1]


def utente_server() -> str:
    """An unprivileged system user to own the cluster when the tests run as root."""
    for nome in (UTENTE_SERVER, UTENTE_RISERVA):
        try:
            pwd.getpwnam(nome)
            return nome
        except KeyError:
            continue
    res = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", UTENTE_RISERVA],
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        raise PostgresNonDisponibile(f"no unprivileged user to run PostgreSQL as, and useradd failed: {res.stderr}")
    return UTENTE_RISERVA


def _porta_libera() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerPostgres:
    """A PostgreSQL cluster in a temp dir, listening on 127.0.0.1 only; start() then stop()."""

    bin_dir: Path = field(default_factory=cartella_binari)
    base: Path = field(init=False)
    porta: int = 0  # 0: a free port chosen at start
    password_super: str = field(init=False, default_factory=lambda: secrets.token_hex(12))
    password_lettura: str = field(init=False, default_factory=lambda: secrets.token_hex(12))

    def __post_init__(self) -> None:
        # Not pytest's tmp_path: its parents are private to root, and the server may run as another user.
        self.base = Path(tempfile.mkdtemp(prefix="cruscotto-pg-"))
        self.utente = utente_server() if os.geteuid() == 0 else None

    @property
    def dati(self) -> Path:
        """The cluster's data directory."""
        return self.base / "dati"

    @property
    def log_path(self) -> Path:
        """The server log."""
        return self.base / "server.log"

    def _esegui(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(a) for a in args]
        if self.utente is not None:
            cmd = ["runuser", "-u", self.utente, "--", *cmd]
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=self.base, timeout=TIMEOUT_AVVIO_S + 30)
        if res.returncode != 0:
            raise PostgresNonDisponibile(
                f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}\n{self.coda_log()}"
            )
        return res

    def coda_log(self, righe: int = 40) -> str:
        """The end of the server log, for failure messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-righe:])
        except OSError:
            return ""

    def start(self) -> None:
        """initdb, then start the server on a free loopback port; only the temp dir's socket, no system one."""
        pwfile = self.base / "pwfile"
        pwfile.write_text(self.password_super + "\n")
        if self.utente is not None:
            info = pwd.getpwnam(self.utente)
            for path in (self.base, pwfile):
                os.chown(path, info.pw_uid, info.pw_gid)
        self.base.chmod(0o700)
        self._esegui(
            self.bin_dir / "initdb",
            "-D",
            str(self.dati),
            "-U",
            SUPERUTENTE,
            f"--pwfile={pwfile}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        pwfile.unlink()
        self.porta = self.porta or _porta_libera()
        opzioni = " ".join(
            [
                f"-p {self.porta}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.base}",
                # A throwaway cluster: durability is not needed, speed is.
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
            ]
        )
        self.opzioni_avvio = opzioni
        self._esegui(
            self.bin_dir / "pg_ctl",
            "-D",
            str(self.dati),
            "-l",
            str(self.log_path),
            "-o",
            opzioni,
            "-w",
            "-t",
            str(TIMEOUT_AVVIO_S),
            "start",
        )
        log.info("PostgreSQL started on 127.0.0.1:%d (data in %s)", self.porta, self.dati)

    def stop(self) -> None:
        """Stop the server and delete its files."""
        try:
            if (self.dati / "postmaster.pid").exists():
                self._esegui(self.bin_dir / "pg_ctl", "-D", str(self.dati), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def url(self, utente: str, password: str, database: str = DATABASE) -> str:
        """A SQLAlchemy URL (psycopg driver) to this server over TCP."""
        return URL.create(
            "postgresql+psycopg",
            username=utente,
            password=password,
            host="127.0.0.1",
            port=self.porta,
            database=database,
        ).render_as_string(hide_password=False)

    @property
    def url_proprietario(self) -> str:
        """The superuser's URL on the dashboard database (writable: for loading and checks only)."""
        return self.url(SUPERUTENTE, self.password_super)

    @property
    def url_lettura(self) -> str:
        """The read-only role's URL, the one the dashboard would be given."""
        return self.url(RUOLO_LETTURA, self.password_lettura)

    def crea_database(self) -> None:
        """Create the (empty) dashboard database."""
        admin = engine_scrittura(self.url(SUPERUTENTE, self.password_super, "postgres"))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"CREATE DATABASE {DATABASE}"))
        admin.dispose()

    def crea_ruolo_lettura(self) -> None:
        """Create the read-only role with the documented SQL, then refresh the planner's statistics."""
        scrittura = engine_scrittura(self.url_proprietario)
        with scrittura.begin() as conn:
            for istruzione in sql_ruolo_lettura():
                # CREATE ROLE takes no bind parameters: the documented placeholder becomes the random hex password.
                conn.execute(text(istruzione.replace(PASSWORD_DOC, f"'{self.password_lettura}'")))
            conn.execute(text("ANALYZE"))
        scrittura.dispose()

    def carica_demo(self) -> dict[str, int]:
        """Create the dashboard database, load the demo rows into it, create the read-only role; return counts."""
        self.crea_database()
        righe = Generatore().genera()
        scrittura = engine_scrittura(self.url_proprietario)
        with scrittura.begin() as conn:
            crea_schema(conn)
            inserisci(conn, righe)
        scrittura.dispose()
        self.crea_ruolo_lettura()
        return {nome: len(r) for nome, r in righe.items()}

    def riavvia(self) -> None:
        """Restart the server on the same port (fast shutdown: open connections are cut)."""
        pg_ctl = self.bin_dir / "pg_ctl"
        self._esegui(pg_ctl, "-D", str(self.dati), "-l", str(self.log_path), "-m", "fast", "-w", "restart")
