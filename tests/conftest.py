"""Shared fixtures: one demo database per test session, and helpers to run pages in AppTest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access.engine import crea_engine
from ingest.demo import costruisci

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


@pytest.fixture
def app_page(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Run the app (entry point with navigation and filters) on a page, with optional URL parameters."""
    monkeypatch.setenv("CRUSCOTTO_DB_URL", demo_url)

    def run(page: str | None = None, timeout: float = 60, **query: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=timeout)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(str(ROOT / "pages" / page))
            at.run()
        return at

    return run
