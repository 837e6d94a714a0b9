"""The monitoring queries on the demo data, on SQLite and on PostgreSQL: the same figures from both engines."""

from __future__ import annotations

import polars as pl
from sqlalchemy.engine import Engine

from data_access.dominio import SIGLE
from data_access.queries import monitoraggio as q


def test_submissions_and_current_versions(engine: Engine) -> None:
    invii = q.invii(engine, (2024, 2025), SIGLE)
    assert invii.height == 38  # 37 quarters sent, Lecco's second one twice
    lecco = invii.filter((pl.col("sigla") == "LC") & (pl.col("trimestre") == 2))
    assert lecco["versione"].to_list() == [1, 2]
    dichiarazioni = q.dichiarazioni(engine, (2025,), SIGLE)
    assert dichiarazioni.height == 280  # the current versions only: Lecco's first one is left out
    assert int(dichiarazioni.select(q.COLONNE_PAL).sum_horizontal().sum()) == 1676


def test_microdata_by_quarter_and_procedure(engine: Engine) -> None:
    micro = q.microdati(engine, (2025,), SIGLE)
    assert not micro.select("sigla", "anno", "trimestre", "codice_procedura", "voce").is_duplicated().any()
    per_voce = dict(micro.group_by("voce").agg(pl.col("lavoratori").sum()).iter_rows())
    # 2025 dates of the step cohort: STEP 1 (4.377 less the 77 taken in charge in January 2026), STEP 4 by measure.
    assert per_voce["presi_in_carico"] == 4300
    assert sum(per_voce.get(c, 0) for c in q.COLONNE_PAL) == 2232 - 297
    assert set(micro["trimestre"]) == {1, 2, 3, 4}


def test_perimeter_and_procedures(engine: Engine) -> None:
    assert set(q.invii(engine, (2025,), ("MI", "VA"))["sigla"]) == {"MI", "VA"}
    assert set(q.microdati(engine, (2025,), ("LC",))["sigla"]) == {"LC"}
    procedure = q.procedure_monitorate(engine, (2025,), SIGLE)
    assert procedure.height == 123 and set(procedure["tipo"]) == {"CIGS_MIN"}
    tipi = q.tipi_procedure(engine, ["VO-2025-990001", procedure["codice_procedura"][0]])
    assert tipi.rows() == [(procedure["codice_procedura"][0], "CIGS_MIN")]
