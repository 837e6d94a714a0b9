"""Every cell of the Region's published 2024 and 2025 tables, as returned by the queries."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_access.dominio import CODICI_TIPO, SIGLE
from data_access.queries import procedure
from data_access.queries.meta import anni_disponibili
from data_access.schema import lavoratore

TSV = Path(__file__).resolve().parents[1] / "data" / "tabelle_ufficiali.tsv"
PREFISSI = {"CIGS_MIN": "cigs_min", "CIGS_REG": "cigs_reg", "LIC": "lic"}


def _intero(text: str) -> int:
    return int(text.replace(".", "")) if text.strip() else 0  # published blanks mean zero


def _righe() -> list[dict[str, str]]:
    with TSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))


PUBBLICATE = _righe()
CELLE = [
    pytest.param(
        int(r["anno"]),
        r["provincia"],
        tipo,
        misura,
        _intero(r[f"{PREFISSI[tipo]}_{misura}"]),
        id=f"{r['anno']}-{r['provincia']}-{tipo}-{misura}",
    )
    for r in PUBBLICATE
    for tipo in CODICI_TIPO
    for misura in ("unita", "lavoratori")
]


@pytest.fixture(scope="module")
def celle(engine: Engine) -> pl.DataFrame:
    """All cells, queried once per engine."""
    return procedure.per_provincia(engine, (2024, 2025), CODICI_TIPO, SIGLE)


def _valore(celle: pl.DataFrame, anno: int, sigla: str, tipo: str, misura: str) -> int:
    return celle.filter((pl.col("anno") == anno) & (pl.col("sigla") == sigla) & (pl.col("tipo") == tipo))[misura].item()


def test_transcription_is_complete() -> None:
    assert len(PUBBLICATE) == 26  # 12 provinces + TOT, two years
    assert len(CELLE) == 26 * 6


@pytest.mark.parametrize(("anno", "sigla", "tipo", "misura", "atteso"), [c for c in CELLE if c.values[1] != "TOT"])
def test_province_cell(celle: pl.DataFrame, anno: int, sigla: str, tipo: str, misura: str, atteso: int) -> None:
    assert _valore(celle, anno, sigla, tipo, misura) == atteso


@pytest.mark.parametrize(("anno", "sigla", "tipo", "misura", "atteso"), [c for c in CELLE if c.values[1] == "TOT"])
def test_regional_total(celle: pl.DataFrame, anno: int, sigla: str, tipo: str, misura: str, atteso: int) -> None:
    anno_tipo = celle.filter((pl.col("anno") == anno) & (pl.col("tipo") == tipo))
    assert anno_tipo[misura].sum() == atteso


@pytest.mark.parametrize(
    ("anno", "sigla", "atteso"),
    [pytest.param(int(r["anno"]), r["provincia"], _intero(r["totale_lavoratori"]), id=f"{r['anno']}-{r['provincia']}")
     for r in PUBBLICATE],
)  # fmt: skip
def test_total_workers_per_province(celle: pl.DataFrame, anno: int, sigla: str, atteso: int) -> None:
    righe = celle.filter(pl.col("anno") == anno)
    if sigla != "TOT":
        righe = righe.filter(pl.col("sigla") == sigla)
    assert righe["lavoratori"].sum() == atteso


@pytest.mark.parametrize(("anno", "totale"), [(2024, 9557), (2025, 11800)])
def test_headline_totals(engine: Engine, anno: int, totale: int) -> None:
    ind = procedure.indicatori(engine, (anno,), CODICI_TIPO, SIGLE)
    assert ind["lavoratori"].item() == totale


def test_worker_rows_add_up_to_the_published_cells(engine: Engine, celle: pl.DataFrame) -> None:
    lv = lavoratore.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(lv.anno, lv.tipo, lv.sigla_provincia, func.count()).group_by(lv.anno, lv.tipo, lv.sigla_provincia)
        ).fetchall()
    per_cella = {(a, t, s): n for a, t, s, n in rows}
    for r in celle.iter_rows(named=True):
        assert per_cella.get((r["anno"], r["tipo"], r["sigla"]), 0) == r["lavoratori"], r


def test_step_cohort_2025(engine: Engine) -> None:
    ind = procedure.indicatori(engine, (2024, 2025), CODICI_TIPO, SIGLE)
    by_year = {r["anno"]: r for r in ind.iter_rows(named=True)}
    assert by_year[2025]["coorte_step"] == 4377
    assert by_year[2025]["step4"] == 2232
    assert round(by_year[2025]["step4"] * 100 / by_year[2025]["coorte_step"]) == 51
    assert by_year[2024]["coorte_step"] == 0


def test_tavoli_2025(engine: Engine) -> None:
    ind = procedure.indicatori(engine, (2025,), CODICI_TIPO, SIGLE).row(0, named=True)
    assert (ind["tavoli_regionali"], ind["tavoli_bilaterali"]) == (4, 21)


def test_filters_restrict_the_figures(engine: Engine) -> None:
    ind = procedure.indicatori(engine, (2025,), ("CIGS_MIN",), ("LC",)).row(0, named=True)
    assert ind["lavoratori"] == 104
    assert ind["unita"] == 4
    # Regional tavoli concern every province; Lecco had its own bilateral ones too.
    assert ind["tavoli_regionali"] == 4


def test_years_available(engine: Engine) -> None:
    assert anni_disponibili(engine) == (2024, 2025)
