"""On a real PostgreSQL server the app's engine is read-only, time-limited, and gives the same figures as SQLite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from data_access import engine as engine_mod
from data_access.dominio import CODICI_TIPO, SIGLE
from data_access.engine import ErroreDatabase, crea_engine, traduci_errore, verifica
from data_access.queries import procedure
from data_access.queries.meta import anni_disponibili, info_dati
from tests.e2e.conftest import porta_libera
from tests.postgres_server import RUOLO_LETTURA, SUPERUTENTE, ServerPostgres

pytestmark = pytest.mark.postgres

WRITES = {
    "insert": "INSERT INTO provincia (sigla, nome, codice_istat) VALUES ('XX', 'Prova', '999')",
    "update": "UPDATE lavoratore SET stato_step = 'STEP4'",
    "delete": "DELETE FROM procedura",
    "create-table": "CREATE TABLE intrusa (id INTEGER)",
    "drop-table": "DROP TABLE metadati",
    "create-index": "CREATE INDEX ix_intruso ON azienda (ragione_sociale)",
    "truncate": "TRUNCATE tavolo_caso",
}


@pytest.fixture(params=[RUOLO_LETTURA, SUPERUTENTE])
def app_engine(request: pytest.FixtureRequest, postgres_server: ServerPostgres) -> Iterator[Engine]:
    """The app's engine as the read-only role, and as the owner: the engine alone must prevent writes."""
    url = postgres_server.url_lettura if request.param == RUOLO_LETTURA else postgres_server.url_proprietario
    eng = crea_engine(url)
    yield eng
    eng.dispose()


def _conteggi(server: ServerPostgres) -> tuple[int, int, int, int]:
    """Row counts read through a separate, plain connection."""
    eng = create_engine(server.url_proprietario)
    with eng.connect() as conn:
        conteggi = tuple(
            conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("provincia", "procedura", "lavoratore", "tavolo_caso")
        )
        tabelle = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar_one()
    eng.dispose()
    return (*conteggi, tabelle)  # type: ignore[return-value]


@pytest.mark.parametrize("sql", WRITES.values(), ids=WRITES.keys())
def test_writes_fail_in_a_read_only_transaction(app_engine: Engine, postgres_server: ServerPostgres, sql: str) -> None:
    prima = _conteggi(postgres_server)
    with pytest.raises(DBAPIError, match="read-only transaction"), app_engine.begin() as conn:
        conn.execute(text(sql))
    assert _conteggi(postgres_server) == prima
    assert prima[:3] == (12, 522, 21357)


def test_read_only_role_cannot_write_even_outside_the_app(postgres_server: ServerPostgres) -> None:
    # The second line of defence: without the engine's read-only transaction, the role's grants still refuse.
    eng = create_engine(postgres_server.url_lettura)
    with eng.connect() as conn:
        conn.execute(text("SET default_transaction_read_only = off"))
        conn.commit()
        with pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(text("DELETE FROM procedura"))
        conn.rollback()
        with pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(text("CREATE TABLE intrusa (id INTEGER)"))
    eng.dispose()


def test_documented_role_is_read_only_by_itself(postgres_server: ServerPostgres) -> None:
    # The role created with the documentation's SQL, reached without the app's connection options.
    eng = create_engine(postgres_server.url_lettura)
    with eng.connect() as conn:
        assert conn.execute(text("SHOW transaction_read_only")).scalar_one() == "on"
        assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "15s"
        ruolo = conn.execute(
            text("SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user")
        ).one()
        assert tuple(ruolo) == (False, False, False)
    eng.dispose()


def test_statement_timeout_is_set(app_engine: Engine) -> None:
    with app_engine.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "15s"
        assert conn.execute(text("SHOW transaction_read_only")).scalar_one() == "on"


def test_statement_timeout_follows_the_setting_and_aborts_long_queries(
    postgres_server: ServerPostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(engine_mod.ENV_TIMEOUT, "0.5")
    eng = crea_engine(postgres_server.url_lettura)
    with eng.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "500ms"
        with pytest.raises(DBAPIError) as err:
            conn.execute(text("SELECT pg_sleep(5)"))
    errore = traduci_errore(err.value, eng)
    assert errore.messaggio.startswith("La richiesta al database ha superato il tempo massimo.")
    assert "statement timeout" in errore.dettaglio
    eng.dispose()


def test_unreachable_server_gives_italian_message() -> None:
    porta = porta_libera()  # nothing listens there
    eng = crea_engine(f"postgresql+psycopg://{RUOLO_LETTURA}:segreto@127.0.0.1:{porta}/crisi")
    with pytest.raises(ErroreDatabase) as err:
        verifica(eng)
    assert err.value.messaggio == "Il server del database non risponde. Riprovare più tardi o avvisare l'assistenza."
    assert f"127.0.0.1:{porta}" in err.value.dettaglio
    assert "segreto" not in err.value.dettaglio
    eng.dispose()


def test_read_only_role_sees_the_whole_contract(postgres_server: ServerPostgres) -> None:
    eng = crea_engine(postgres_server.url_lettura)
    verifica(eng)
    info = info_dati(eng)
    assert info.demo is True
    assert info.data_estrazione.strftime("%d/%m/%Y") == "15/01/2026"
    assert anni_disponibili(eng) == (2024, 2025)
    eng.dispose()


@pytest.mark.parametrize("province", [SIGLE, ("BG", "MI"), ("SO",)], ids=["tutte", "BG+MI", "SO"])
def test_same_figures_as_sqlite(demo_url: str, postgres_url: str, province: tuple[str, ...]) -> None:
    sqlite, postgres = crea_engine(demo_url), crea_engine(postgres_url)
    for query in (procedure.per_provincia, procedure.indicatori):
        attesa = query(sqlite, (2024, 2025), CODICI_TIPO, province)
        ottenuta = query(postgres, (2024, 2025), CODICI_TIPO, province)
        assert ottenuta.height > 0
        assert_frame_equal(ottenuta, attesa, check_exact=False, rel_tol=1e-9)
    sqlite.dispose()
    postgres.dispose()


def test_wrong_password_says_access_denied(postgres_server: ServerPostgres) -> None:
    eng = crea_engine(postgres_server.url(RUOLO_LETTURA, "password-sbagliata"))
    with pytest.raises(ErroreDatabase) as err:
        verifica(eng)
    assert err.value.messaggio.startswith("Accesso al database negato")
    assert "password authentication failed" in err.value.dettaglio
    assert "password-sbagliata" not in err.value.dettaglio
    eng.dispose()
