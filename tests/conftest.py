"""Shared fixtures: one demo database per test session, and helpers to run pages in AppTest."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from dashboard import report_cli
from data_access.engine import crea_engine
from ingest.demo import costruisci
from ingest.writer import engine_scrittura
from tests.postgres_server import SUPERUTENTE, PostgresNonDisponibile, ServerPostgres

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database (seed 2025, scale 1), built once per session."""
    path = tmp_path_factory.mktemp("db") / "demo.db"
    costruisci(path)
    return path


@pytest.fixture(scope="session")
def demo_url(demo_db: Path) -> str:
    """SQLAlchemy URL of the demo database."""
    return f"sqlite:///{demo_db}"


@pytest.fixture(scope="session")
def engine(demo_url: str) -> Engine:
    """The app's read-only engine on the demo database."""
    return crea_engine(demo_url)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[ServerPostgres]:
    """One throwaway PostgreSQL server per session, loaded with the demo rows and a SELECT-only role."""
    try:
        server = ServerPostgres()
    except PostgresNonDisponibile as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        server.start()
        server.carica_demo()
    except Exception as exc:
        server.stop()
        pytest.fail(f"the test PostgreSQL server could not be prepared: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def postgres_vuoto(postgres_server: ServerPostgres, request: pytest.FixtureRequest) -> str:
    """URL of an empty database of the test module on the session's PostgreSQL server, as the owner."""
    nome = "estratti_" + request.module.__name__.rsplit(".", 1)[-1]
    admin = engine_scrittura(postgres_server.url(SUPERUTENTE, postgres_server.password_super, "postgres"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{nome}"'))  # a name made here, not input
    admin.dispose()
    return postgres_server.url(SUPERUTENTE, postgres_server.password_super, nome)


@pytest.fixture(scope="session")
def registro_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The export register of the test session (a SQLite file in a temporary folder, never the repository's var/)."""
    return f"sqlite:///{tmp_path_factory.mktemp('registro') / 'registro.db'}"


@pytest.fixture(scope="session", autouse=True)
def _registro_di_prova(registro_url: str) -> Iterator[None]:
    """Every test, module fixtures included, writes downloads to the session's register."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CRUSCOTTO_REGISTRO_URL", registro_url)
        yield


@pytest.fixture
def app_page(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Run the app (entry point with navigation and filters) on a page, with optional URL parameters."""
    monkeypatch.setenv("CRUSCOTTO_DB_URL", demo_url)

    def run(page: str | None = None, timeout: float = 60, **query: str) -> AppTest:
        return esegui_app(page, timeout, **query)

    return run


def esegui_app(pagina: str | None = None, timeout: float = 60, **query: str) -> AppTest:
    """Run the app (entry point with navigation and filters) with URL parameters, then switch to a page of pages/."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for chiave, valore in query.items():
        at.query_params[chiave] = valore
    at.run()
    if pagina is not None:
        at.switch_page(str(ROOT / "pages" / pagina))
        at.run()
    return at


def apri_pagina(
    db_url: str,
    pagina: str,
    timeout: float = 90,
    env: dict[str, str] | None = None,
    senza: tuple[str, ...] = ("CRUSCOTTO_SOGLIA_PRIVACY",),
    **query: str,
) -> AppTest:
    """A page run once on a database (e.g. for a module fixture), with the settings `env` and none of `senza`."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CRUSCOTTO_DB_URL", db_url)
        for nome in senza:
            mp.delenv(nome, raising=False)
        for nome, valore in (env or {}).items():
            mp.setenv(nome, valore)
        return esegui_app(pagina, timeout, **query)


def titoli_grafici(at: object) -> list[tuple[str, str]]:
    """(title, subtitle) of the page's charts, drawn as page text above each chart, in order."""
    titoli = []
    for h in at.get("html"):  # type: ignore[attr-defined]
        titolo = re.search(r'class="titolo-grafico-testo">(.*?)</p>', h.proto.body)
        if titolo:
            sotto = re.search(r'class="sottotitolo-grafico">(.*?)</p>', h.proto.body)
            titoli.append((html.unescape(titolo[1]), html.unescape(sotto[1]) if sotto else ""))
    return titoli


# The demo's data date is 15/01/2026: its last complete bimester is novembre–dicembre 2025.
PERIODO = "2025-11"


@dataclass(frozen=True)
class Generati:
    """The Lecco and regional reports of the demo's last complete bimester, written twice by the command line."""

    cartella: Path
    seconda: Path
    uscita: str


@pytest.fixture(scope="session")
def report_generati(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Generati:
    """Run `cruscotto-report --provincia LC,regione` twice into two folders (the second run must be identical)."""
    uscite = []
    for nome in ("prima", "seconda"):
        out = tmp_path_factory.mktemp(f"report-{nome}")
        codice = report_cli.main(
            ["--db", demo_url, "--periodo", PERIODO, "--provincia", "LC,regione", "--out", str(out)]
        )
        assert codice == 0
        uscite.append(out)
    return Generati(uscite[0] / PERIODO, uscite[1] / PERIODO, "")
