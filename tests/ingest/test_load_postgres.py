"""cruscotto-load on a real PostgreSQL server: the demo extracts give the official totals, re-import changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from ingest import ufficiali
from ingest.load import main
from ingest.writer import engine_scrittura
from tests.ingest.conftest import impronta
from tests.ingest.test_demo_estratti import QUERY_CELLE, celle_ufficiali

pytestmark = pytest.mark.postgres


def _sql(url: str, query: str) -> list[tuple]:
    engine = engine_scrittura(url)
    with engine.connect() as conn:
        righe = [tuple(r) for r in conn.execute(text(query))]
    engine.dispose()
    return righe


def test_carica_gli_estratti_demo_in_postgres(postgres_vuoto: str, estratti_demo: Path, tmp_path: Path) -> None:
    assert main(["--db", postgres_vuoto, str(estratti_demo)]) == 0
    assert celle_ufficiali(_sql(postgres_vuoto, QUERY_CELLE)) == ufficiali.obiettivi()
    assert _sql(postgres_vuoto, "SELECT anno, sum(lavoratori) FROM procedura_unita GROUP BY anno ORDER BY anno") == [
        (2024, 9557),
        (2025, 11800),
    ]
    coorte = _sql(
        postgres_vuoto,
        "SELECT count(*), count(*) FILTER (WHERE stato_step = 'STEP4') FROM lavoratore "
        "WHERE anno = 2025 AND tipo = 'CIGS_MIN' AND stato_step IS NOT NULL",
    )
    assert coorte == [(4377, 2232)]
    assert _sql(postgres_vuoto, "SELECT count(*), min(data_estrazione)::text, bool_and(demo) FROM metadati") == [
        (
            10,
            "2026-01-15",
            True,
        )  # one row per source: the six of the step model and tavoli, SIUL, BES, SIUF, the Nuclei's monitoring
    ]

    # Re-import: nothing changes, not even the load time.
    prima = impronta(postgres_vuoto)
    assert main(["--db", postgres_vuoto, str(estratti_demo)]) == 0
    assert impronta(postgres_vuoto) == prima

    # A refused batch leaves PostgreSQL untouched.
    cattivo = tmp_path / "procedure_unita.csv"
    cattivo.write_text("codice_procedura;codice_unita;lavoratori\nVO-2024-000001;UP0000001;-1\n", encoding="utf-8")
    assert main(["--db", postgres_vuoto, "--data-estrazione", "15/01/2026", str(cattivo)]) == 1
    assert impronta(postgres_vuoto) == prima
