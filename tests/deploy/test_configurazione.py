"""The deploy/ configurations: HAProxy accepts its file, the project config does not undo the production one."""

from __future__ import annotations

import configparser
import os
import subprocess
import tomllib
from pathlib import Path

from bench.cluster import HAPROXY, HAPROXY_CFG, PGBOUNCER_INI
from data_access import ROOT

PRODUZIONE = ROOT / "deploy" / "streamlit" / "config.toml"
PROGETTO = ROOT / ".streamlit" / "config.toml"


def _voci(path: Path) -> dict[str, object]:
    with path.open("rb") as fh:
        return {f"{sezione}.{k}": v for sezione, valori in tomllib.load(fh).items() for k, v in valori.items()}


def test_haproxy_accetta_la_configurazione() -> None:
    """`haproxy -c` validates deploy/haproxy.cfg with the addresses of a two-replica deployment."""
    env = {
        **os.environ,
        "CRUSCOTTO_ASCOLTO": "127.0.0.1:8080",
        "CRUSCOTTO_REPLICA_1": "127.0.0.1:8501",
        "CRUSCOTTO_REPLICA_2": "127.0.0.1:8502",
    }
    res = subprocess.run([HAPROXY, "-c", "-f", str(HAPROXY_CFG)], env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Configuration file is valid" in res.stdout + res.stderr


def test_progetto_non_contraddice_la_produzione() -> None:
    """Streamlit reads the project's .streamlit/config.toml after the global (production) one: no key may differ."""
    produzione, progetto = _voci(PRODUZIONE), _voci(PROGETTO)
    contrasti = {
        k: (produzione[k], progetto[k]) for k in produzione.keys() & progetto.keys() if produzione[k] != progetto[k]
    }
    assert contrasti == {}
    assert produzione["server.fileWatcherType"] == "none"
    assert produzione["server.runOnSave"] is False
    assert produzione["client.toolbarMode"] == "viewer"
    assert produzione["server.address"] == "127.0.0.1"
    assert "server.cookieSecret" not in produzione and "server.cookieSecret" not in progetto  # from the secrets file


def test_pgbouncer_in_modalita_transazione() -> None:
    """PgBouncer pools by transaction and does not refuse psycopg's `options` startup parameter."""
    ini = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    ini.read(PGBOUNCER_INI, encoding="utf-8")
    assert ini["pgbouncer"]["pool_mode"] == "transaction"
    assert "options" in ini["pgbouncer"]["ignore_startup_parameters"].split(",")
