"""The production topology on one machine, on loopback: PostgreSQL, PgBouncer, Streamlit replicas, HAProxy.

`make cluster` runs it until Ctrl-C (or `make cluster-stop`); the load test and the cluster test use `Cluster`.
The configurations are the ones in deploy/: only addresses, ports and paths change.
"""

from __future__ import annotations

import argparse
import configparser
import logging
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from data_access import ROOT

if str(ROOT) not in sys.path:  # bench/ and tests/ are not installed packages: the tree goes on the path
    sys.path.insert(0, str(ROOT))

from tests.postgres_server import DATABASE, RUOLO_LETTURA, ServerPostgres

log = logging.getLogger("cluster")

DEPLOY = ROOT / "deploy"
HAPROXY_CFG = DEPLOY / "haproxy.cfg"
PGBOUNCER_INI = DEPLOY / "pgbouncer.ini"
CONFIG_STREAMLIT = DEPLOY / "streamlit" / "config.toml"
APP = ROOT / "dashboard" / "app.py"
BIN = Path(sys.executable).parent
HAPROXY = shutil.which("haproxy", path=f"/usr/sbin:{os.environ.get('PATH', '')}") or "/usr/sbin/haproxy"
PGBOUNCER = shutil.which("pgbouncer", path=f"/usr/sbin:{os.environ.get('PATH', '')}") or "/usr/sbin/pgbouncer"
PORTA_BASE = 8680
PID_FILE = ROOT / "var" / "cluster.pid"
AVVIO_S = 90.0


class ClusterNonAvviato(RuntimeError):
    """A component of the cluster did not start; the message holds the end of its log."""


def porta_libera() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Porte:
    """The loopback ports of the cluster's components."""

    haproxy: int
    repliche: tuple[int, ...]
    pgbouncer: int
    postgres: int

    @classmethod
    def da_base(cls, base: int, repliche: int) -> Porte:
        """Consecutive ports from base: HAProxy, the replicas, PgBouncer, PostgreSQL."""
        return cls(base, tuple(range(base + 1, base + 1 + repliche)), base + 1 + repliche, base + 2 + repliche)

    @classmethod
    def libere(cls, repliche: int) -> Porte:
        """Ports free right now (for tests)."""
        return cls(porta_libera(), tuple(porta_libera() for _ in range(repliche)), porta_libera(), porta_libera())


def _coda(path: Path, righe: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-righe:])
    except OSError:
        return "<log non disponibile>"


def risponde(url: str, timeout_s: float = 2.0) -> bool:
    """Whether a Streamlit health URL answers 'ok'."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def porta_aperta(porta: int) -> bool:
    """Whether something accepts TCP connections on a loopback port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", porta)) == 0


def _ferma(proc: subprocess.Popen | None, segnale: int = signal.SIGTERM, attesa_s: float = 15) -> None:
    """Stop a process started here, by its own id; SIGKILL if it does not stop in time."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(segnale)
    try:
        proc.wait(timeout=attesa_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=attesa_s)


@dataclass
class Cluster:
    """PostgreSQL loaded with the demo through cruscotto-load, PgBouncer, replicas, HAProxy; avvia() then ferma()."""

    porte: Porte
    cartella: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="cruscotto-cluster-")))
    segreto_cookie: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    postgres: ServerPostgres | None = None
    pgbouncer: subprocess.Popen | None = None
    haproxy: subprocess.Popen | None = None
    repliche: dict[int, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The address users open: HAProxy."""
        return f"http://127.0.0.1:{self.porte.haproxy}"

    def url_replica(self, indice: int) -> str:
        """The address of one replica, bypassing the balancer."""
        return f"http://127.0.0.1:{self.porte.repliche[indice]}"

    @property
    def url_db(self) -> str:
        """The URL the replicas use: the read-only role, through PgBouncer."""
        assert self.postgres is not None
        return (
            f"postgresql+psycopg://{RUOLO_LETTURA}:{self.postgres.password_lettura}"
            f"@127.0.0.1:{self.porte.pgbouncer}/{DATABASE}"
        )

    # --- start and stop -------------------------------------------------------------------------------------------

    def avvia(self) -> str:
        """Start every component, in order; return the balancer's URL. On failure, stop what started."""
        try:
            self._avvia_postgres()
            self.avvia_pgbouncer()
            for i in range(len(self.porte.repliche)):
                self.avvia_replica(i, attendi=False)
            for i in range(len(self.porte.repliche)):
                self._attendi_replica(i)
            self._avvia_haproxy()
        except BaseException:
            self.ferma()
            raise
        return self.url

    def ferma(self) -> None:
        """Stop every component started here and delete the cluster's files."""
        _ferma(self.haproxy)
        for proc in self.repliche.values():
            _ferma(proc)
        self.ferma_pgbouncer()
        if self.postgres is not None:
            self.postgres.stop()
        shutil.rmtree(self.cartella, ignore_errors=True)

    def _avvia_postgres(self) -> None:
        self.postgres = ServerPostgres(porta=self.porte.postgres)
        self.postgres.start()
        self.postgres.crea_database()
        estratti = self.cartella / "estratti"
        for cmd in (
            [str(BIN / "cruscotto-demo"), "--extracts", str(estratti), "--force"],
            [str(BIN / "cruscotto-load"), "--db", self.postgres.url_proprietario, str(estratti)],
        ):
            res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if res.returncode != 0:
                raise ClusterNonAvviato(f"{Path(cmd[0]).name} failed ({res.returncode}):\n{res.stderr[-3000:]}")
        self.postgres.crea_ruolo_lettura()

    def _cartella_utente(self, nome: str) -> tuple[Path, str | None]:
        """A folder for a component that runs as the unprivileged user of PostgreSQL (PgBouncer refuses root)."""
        assert self.postgres is not None
        cartella = self.cartella / nome
        cartella.mkdir(exist_ok=True)
        utente = self.postgres.utente
        if utente is not None:
            info = pwd.getpwnam(utente)
            self.cartella.chmod(0o755)
            os.chown(cartella, info.pw_uid, info.pw_gid)
        return cartella, utente

    def avvia_pgbouncer(self) -> None:
        """Start PgBouncer with deploy/pgbouncer.ini, on this cluster's ports and files."""
        assert self.postgres is not None
        cartella, utente = self._cartella_utente("pgbouncer")
        ini = configparser.ConfigParser(interpolation=None, delimiters=("=",))
        ini.optionxform = str  # keys are case-sensitive names
        ini.read(PGBOUNCER_INI, encoding="utf-8")
        ini["databases"][DATABASE] = f"host=127.0.0.1 port={self.porte.postgres} dbname={DATABASE}"
        ini["pgbouncer"].update(
            listen_port=str(self.porte.pgbouncer),
            auth_file=str(cartella / "userlist.txt"),
            logfile=str(cartella / "pgbouncer.log"),
            pidfile=str(cartella / "pgbouncer.pid"),
        )
        (cartella / "userlist.txt").write_text(f'"{RUOLO_LETTURA}" "{self.postgres.password_lettura}"\n')
        with (cartella / "pgbouncer.ini").open("w", encoding="utf-8") as fh:
            ini.write(fh)
        for nome in ("userlist.txt", "pgbouncer.ini"):
            (cartella / nome).chmod(0o600)
            if utente is not None:
                info = pwd.getpwnam(utente)
                os.chown(cartella / nome, info.pw_uid, info.pw_gid)
        with (cartella / "stdout.log").open("ab") as out:
            self.pgbouncer = subprocess.Popen(
                [PGBOUNCER, str(cartella / "pgbouncer.ini")],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=cartella,
                user=utente,
                group=pwd.getpwnam(utente).pw_gid if utente else None,
                extra_groups=[] if utente else None,
            )
        self._attendi(lambda: porta_aperta(self.porte.pgbouncer), self.pgbouncer, cartella / "pgbouncer.log")

    def ferma_pgbouncer(self) -> None:
        """Stop PgBouncer (its clients get an error until it starts again)."""
        _ferma(self.pgbouncer, signal.SIGINT)  # SIGINT: immediate shutdown
        self.pgbouncer = None

    def riavvia_postgres(self) -> None:
        """Restart PostgreSQL (fast: connections cut), same port and data."""
        assert self.postgres is not None
        self.postgres.riavvia()

    def ferma_postgres(self) -> None:
        """Stop PostgreSQL without deleting its data (avvia_postgres_fermo() starts it again)."""
        assert self.postgres is not None
        self.postgres._esegui(self.postgres.bin_dir / "pg_ctl", "-D", str(self.postgres.dati), "-m", "fast", "stop")

    def avvia_postgres_fermo(self) -> None:
        """Start again a PostgreSQL stopped by ferma_postgres()."""
        assert self.postgres is not None
        pg = self.postgres
        pg_ctl = pg.bin_dir / "pg_ctl"
        pg._esegui(pg_ctl, "-D", str(pg.dati), "-l", str(pg.log_path), "-o", pg.opzioni_avvio, "-w", "start")

    def _log_replica(self, indice: int) -> Path:
        return self.cartella / f"replica{indice + 1}.log"

    def avvia_replica(self, indice: int, attendi: bool = True) -> None:
        """Start replica `indice` with the production Streamlit configuration (as the global config file)."""
        casa = self.cartella / "home"
        (casa / ".streamlit").mkdir(parents=True, exist_ok=True)
        shutil.copy(CONFIG_STREAMLIT, casa / ".streamlit" / "config.toml")
        env = {
            **os.environ,
            "HOME": str(casa),
            "CRUSCOTTO_DB_URL": self.url_db,
            "STREAMLIT_SERVER_COOKIE_SECRET": self.segreto_cookie,
            "PYTHONUNBUFFERED": "1",
        }
        cmd = [sys.executable, "-m", "streamlit", "run", str(APP), f"--server.port={self.porte.repliche[indice]}"]
        with self._log_replica(indice).open("ab") as out:
            self.repliche[indice] = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        if attendi:
            self._attendi_replica(indice)

    def _attendi_replica(self, indice: int) -> None:
        salute = f"{self.url_replica(indice)}/_stcore/health"
        self._attendi(lambda: risponde(salute), self.repliche[indice], self._log_replica(indice))

    def uccidi_replica(self, indice: int) -> None:
        """Kill replica `indice` at once (SIGKILL), as a crash would."""
        _ferma(self.repliche.pop(indice, None), signal.SIGKILL)

    def pid_repliche(self) -> dict[int, int]:
        """Process id of each running replica."""
        return {i: p.pid for i, p in self.repliche.items() if p.poll() is None}

    def pid_servizi(self) -> dict[str, int]:
        """Process id of PostgreSQL's postmaster, PgBouncer and HAProxy (those running)."""
        pid = {}
        if self.postgres is not None and (self.postgres.dati / "postmaster.pid").is_file():
            pid["PostgreSQL"] = int((self.postgres.dati / "postmaster.pid").read_text().split()[0])
        for nome, proc in (("PgBouncer", self.pgbouncer), ("HAProxy", self.haproxy)):
            if proc is not None and proc.poll() is None:
                pid[nome] = proc.pid
        return pid

    def _avvia_haproxy(self) -> None:
        env = {
            **os.environ,
            "CRUSCOTTO_ASCOLTO": f"127.0.0.1:{self.porte.haproxy}",
            **{f"CRUSCOTTO_REPLICA_{i + 1}": f"127.0.0.1:{p}" for i, p in enumerate(self.porte.repliche)},
        }
        log_path = self.cartella / "haproxy.log"
        with log_path.open("ab") as out:
            self.haproxy = subprocess.Popen(
                [HAPROXY, "-db", "-f", str(HAPROXY_CFG)], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT
            )
        self._attendi(lambda: risponde(f"{self.url}/_stcore/health"), self.haproxy, log_path)

    def _attendi(self, pronto, proc: subprocess.Popen, log_path: Path) -> None:
        scadenza = time.monotonic() + AVVIO_S
        while time.monotonic() < scadenza:
            if proc.poll() is not None:
                raise ClusterNonAvviato(f"{proc.args[0]} exited with {proc.returncode}:\n{_coda(log_path)}")
            if pronto():
                return
            time.sleep(0.25)
        raise ClusterNonAvviato(f"{proc.args[0]} not ready within {AVVIO_S:.0f} s:\n{_coda(log_path)}")


def _ferma_avviato() -> int:
    """`make cluster-stop`: send SIGTERM to the cluster script started by `make cluster` (its pid file)."""
    try:
        pid = int(PID_FILE.read_text().strip())
    except (OSError, ValueError):
        print("Nessun cluster avviato (manca var/cluster.pid).")
        return 0
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        print(f"Il processo {pid} non esiste più.")
        PID_FILE.unlink(missing_ok=True)
        return 0
    for _ in range(120):
        if not PID_FILE.exists():
            print("Cluster fermato.")
            return 0
        time.sleep(0.5)
    print(f"Il cluster (processo {pid}) non si è fermato entro 60 s.")
    return 1


def main(argv: list[str] | None = None) -> int:
    """`make cluster`: start the cluster, print its URL, wait for Ctrl-C or SIGTERM, stop everything."""
    parser = argparse.ArgumentParser(description="Avvia in locale PostgreSQL, PgBouncer, le repliche e HAProxy.")
    parser.add_argument("--porta-base", type=int, default=PORTA_BASE, help="prima porta (HAProxy), poi le altre")
    parser.add_argument("--repliche", type=int, default=2)
    parser.add_argument("--ferma", action="store_true", help="ferma il cluster avviato da `make cluster`")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    if args.ferma:
        return _ferma_avviato()
    if args.repliche not in (1, 2):
        parser.error("--repliche: 1 o 2 (deploy/haproxy.cfg ha due righe server)")
    porte = Porte.da_base(args.porta_base, 2)
    cluster = Cluster(porte)
    fermati = {"segnale": False}

    def _termina(signum, frame):
        fermati["segnale"] = True
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _termina)
    PID_FILE.parent.mkdir(exist_ok=True)
    PID_FILE.write_text(str(os.getpid()))
    try:
        print("Avvio di PostgreSQL, PgBouncer, repliche e HAProxy…", flush=True)
        url = cluster.avvia()
        if args.repliche == 1:
            cluster.uccidi_replica(1)
        print(f"\nCruscotto bilanciato: {url}")
        for i, p in enumerate(porte.repliche[: args.repliche]):
            print(f"  replica {i + 1}: http://127.0.0.1:{p}")
        print(f"  PgBouncer: 127.0.0.1:{porte.pgbouncer}  PostgreSQL: 127.0.0.1:{porte.postgres}")
        print(f"  log in {cluster.cartella}")
        print("Ctrl-C (o `make cluster-stop`) per fermare tutto.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\nArresto del cluster…", flush=True)
    except ClusterNonAvviato as exc:
        print(f"Il cluster non è partito: {exc}", file=sys.stderr)
        return 1
    finally:
        cluster.ferma()
        PID_FILE.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
