"""The export register: one row per file with its SHA-256, append-only, and a refusal when it cannot be written."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from data_access import registro
from ingest.writer import engine_scrittura
from tests.postgres_server import SUPERUTENTE, ServerPostgres

DOC = Path(__file__).resolve().parents[2] / "docs" / "accesso.md"
CAMPI = {
    "email": "nucleo.crisi@provincia.lecco.it",
    "ruolo": "nucleo",
    "perimetro": "LC",
    "vista": "Esporta dati",
    "dataset": "Procedure per provincia",
    "filtri": "Anno 2025 · Lecco · tutte le procedure",
    "formato": "csv_it",
    "righe": 3,
    "nome_file": "cruscotto_procedure-per-provincia_2025_LC_dati-al-2026-01-15.csv",
}


@pytest.fixture
def sqlite_registro(tmp_path: Path) -> Iterator[Engine]:
    eng = registro.crea_engine_registro(f"sqlite:///{tmp_path / 'registro.db'}")
    registro.prepara(eng)
    yield eng
    eng.dispose()


def test_one_row_per_file_with_its_hash(sqlite_registro: Engine) -> None:
    dati = "Anno;Sigla\r\n2025;LC\r\n".encode("utf-8-sig")
    assert registro.scrivibile(sqlite_registro) is None
    assert registro.consegna(sqlite_registro, dati, **CAMPI) == dati
    registro.consegna(sqlite_registro, b"altro", **{**CAMPI, "email": "mario.rossi@regione.lombardia.it"})
    righe = registro.leggi(sqlite_registro)
    assert righe.height == 2
    ultima, prima = righe.row(0, named=True), righe.row(1, named=True)  # newest first
    assert ultima["email"] == "mario.rossi@regione.lombardia.it"
    assert prima["sha256"] == hashlib.sha256(dati).hexdigest() and prima["byte"] == len(dati)
    assert {k: prima[k] for k in CAMPI} == CAMPI
    assert prima["istante"].tzinfo is not None
    assert registro.leggi(sqlite_registro, email="nucleo.crisi@provincia.lecco.it").height == 1
    assert registro.leggi(sqlite_registro, vista="Casi alta complessità").height == 0
    assert registro.leggi(sqlite_registro, dal=date(2000, 1, 1), al=date(2000, 1, 31)).is_empty()


def test_period_filter_counts_whole_days(sqlite_registro: Engine) -> None:
    registro.registra(sqlite_registro, _voce(), istante=datetime(2026, 1, 31, 23, 59, tzinfo=UTC))
    registro.registra(sqlite_registro, _voce(), istante=datetime(2026, 2, 1, 0, 0, tzinfo=UTC))
    assert registro.leggi(sqlite_registro, dal=date(2026, 1, 1), al=date(2026, 1, 31)).height == 1
    assert registro.leggi(sqlite_registro, dal=date(2026, 2, 1), al=date(2026, 2, 1)).height == 1


def _voce() -> registro.Voce:
    return registro.Voce(byte=1, sha256="0" * 64, **CAMPI)  # type: ignore[arg-type]


@pytest.mark.parametrize("istruzione", ["UPDATE registro_download SET email = 'x'", "DELETE FROM registro_download"])
def test_sqlite_register_is_append_only(sqlite_registro: Engine, istruzione: str) -> None:
    registro.consegna(sqlite_registro, b"x", **CAMPI)
    with pytest.raises(DBAPIError, match="registro in sola aggiunta"), sqlite_registro.begin() as conn:
        conn.execute(text(istruzione))
    assert registro.leggi(sqlite_registro).height == 1


def test_unwritable_sqlite_register_refuses(tmp_path: Path) -> None:
    corrotto = tmp_path / "registro.db"
    corrotto.write_bytes(b"non un database" * 100)
    eng = registro.crea_engine_registro(f"sqlite:///{corrotto}")
    with pytest.raises(registro.ErroreRegistro) as exc:
        registro.prepara(eng)
    assert "non viene consegnato" in exc.value.messaggio
    assert registro.scrivibile(eng) is not None
    with pytest.raises(registro.ErroreRegistro):
        registro.consegna(eng, b"x", **CAMPI)


def _sql_documentato() -> list[str]:
    sezione = DOC.read_text(encoding="utf-8").split("## Registro su PostgreSQL", 1)[1].split("\n## ", 1)[0]
    blocco = sezione.split("```sql", 1)[1].split("```", 1)[0]
    return [i.strip() for i in blocco.split(";") if i.strip()]


@pytest.fixture(scope="module")
def postgres_registro(postgres_server: ServerPostgres) -> Iterator[dict[str, str]]:
    """A register database on the session's server, created with the documented SQL; URLs of its two roles."""
    admin = engine_scrittura(postgres_server.url(SUPERUTENTE, postgres_server.password_super, "postgres"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("CREATE DATABASE registro"))
    admin.dispose()
    password = {"cruscotto_registro": secrets.token_hex(8), "cruscotto_registro_lettura": secrets.token_hex(8)}
    proprietario = engine_scrittura(postgres_server.url(SUPERUTENTE, postgres_server.password_super, "registro"))
    with proprietario.begin() as conn:
        for istruzione in _sql_documentato():
            for ruolo, pw in password.items():  # CREATE ROLE takes no bind parameters
                istruzione = istruzione.replace(
                    f"ROLE {ruolo} LOGIN PASSWORD '***'", f"ROLE {ruolo} LOGIN PASSWORD '{pw}'"
                )
            conn.execute(text(istruzione))
    proprietario.dispose()
    yield {ruolo: postgres_server.url(ruolo, pw, "registro") for ruolo, pw in password.items()}


@pytest.mark.postgres
def test_postgres_register_insert_only_role(postgres_registro: dict[str, str]) -> None:
    scrittore = registro.crea_engine_registro(postgres_registro["cruscotto_registro"])
    lettore = registro.crea_engine_registro(postgres_registro["cruscotto_registro_lettura"])
    try:
        registro.prepara(scrittore)  # nothing to do on PostgreSQL: the administrator created the table
        assert registro.scrivibile(scrittore) is None
        dati = b"Anno;Sigla\r\n2025;LC\r\n"
        registro.consegna(scrittore, dati, **CAMPI)
        (riga,) = registro.leggi(lettore).iter_rows(named=True)
        assert riga["sha256"] == hashlib.sha256(dati).hexdigest() and riga["email"] == CAMPI["email"]
        for istruzione in (
            "SELECT * FROM registro_download",
            "UPDATE registro_download SET email = 'x'",
            "DELETE FROM registro_download",
        ):
            with pytest.raises(DBAPIError, match="permission denied"), scrittore.begin() as conn:
                conn.execute(text(istruzione))
    finally:
        scrittore.dispose()
        lettore.dispose()


@pytest.mark.postgres
def test_postgres_read_only_register_refuses_the_download(postgres_registro: dict[str, str]) -> None:
    sola_lettura = registro.crea_engine_registro(postgres_registro["cruscotto_registro_lettura"])
    try:
        assert "may not INSERT" in (registro.scrivibile(sola_lettura) or "")
        with pytest.raises(registro.ErroreRegistro) as exc:
            registro.consegna(sola_lettura, b"x", **CAMPI)
        assert "permission denied" in exc.value.dettaglio
        assert "non viene consegnato" in exc.value.messaggio
    finally:
        sola_lettura.dispose()
