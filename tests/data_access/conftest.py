"""The data-layer suite runs twice: on the demo SQLite file and on a real PostgreSQL server with the same rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from data_access.engine import crea_engine
from tests.postgres_server import ServerPostgres


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
