"""The data-layer suite runs twice: on the demo SQLite file and on a real PostgreSQL server with the same rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from data_access.engine import crea_engine
from tests.postgres_server import PostgresNonDisponibile, ServerPostgres


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


@pytest.fixture(scope="session")
def postgres_url(postgres_server: ServerPostgres) -> str:
    """URL of the demo data on PostgreSQL as the dashboard's read-only role."""
    return postgres_server.url_lettura


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The app's read-only engine on the demo data, on SQLite and then on PostgreSQL."""
    fixture = "demo_url" if request.param == "sqlite" else "postgres_url"
    eng = crea_engine(request.getfixturevalue(fixture))
    yield eng
    eng.dispose()
