"""Fixtures for the loader: the demo extracts, a database loaded from them, and a table checksum."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_access.schema import metadata
from ingest.demo import Generatore, scrivi_estratti
from ingest.load import carica
from ingest.writer import engine_scrittura

DATA_ESTRAZIONE = date(2026, 1, 15)
TABELLE_CHIAVE = (
    "azienda",
    "unita_produttiva",
    "procedura",
    "procedura_unita",
    "operatore",
    "lavoratore",
    "caso_alta_complessita",
    "tavolo",
    "tavolo_caso",
    "dotazione_misura",
    "progetto_rete",
    "intervento_pal",
    "metadati",
)


@pytest.fixture(scope="session")
def estratti_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data (seed 2025, scale 1) written as extract files, as `cruscotto-demo --extracts` does."""
    cartella = tmp_path_factory.mktemp("estratti") / "demo"
    scrivi_estratti(Generatore().genera(), cartella)
    return cartella


@pytest.fixture(scope="session")
def db_caricato(estratti_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database loaded once from the demo extracts; tests work on copies."""
    path = tmp_path_factory.mktemp("caricato") / "base.db"
    carica(f"sqlite:///{path}", [estratti_demo])
    return path


@pytest.fixture
def db(db_caricato: Path, tmp_path: Path) -> str:
    """URL of a private copy of the loaded demo database."""
    copia = tmp_path / "copia.db"
    shutil.copy(db_caricato, copia)
    return f"sqlite:///{copia}"


def impronta(url_o_engine: str | Engine, tabelle: tuple[str, ...] = TABELLE_CHIAVE) -> dict[str, tuple[int, str]]:
    """Rows and a SHA-256 of every row (in key order) for each table: equal only if the data are equal."""
    engine = engine_scrittura(url_o_engine) if isinstance(url_o_engine, str) else url_o_engine
    esito: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for nome in tabelle:
            tabella = metadata.tables[nome]
            ordine = [*tabella.primary_key.columns, *tabella.columns]
            digest = hashlib.sha256()
            for riga in conn.execute(select(tabella).order_by(*ordine)):
                digest.update(repr(tuple(riga)).encode())
            n = conn.execute(select(func.count()).select_from(tabella)).scalar_one()
            esito[nome] = (n, digest.hexdigest())
    if isinstance(url_o_engine, str):
        engine.dispose()
    return esito
