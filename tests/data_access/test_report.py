"""Queries of the bimonthly report on SQLite and PostgreSQL: units in force over a span, step stages on a day."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from data_access.dominio import SIGLE
from data_access.queries import procedure, step

GIORNO = date(2025, 12, 31)
IN_VIGORE = "p.data_inizio <= :g AND (p.data_fine IS NULL OR p.data_fine >= :g)"


def _sql(demo_db: Path, query: str, **params: object) -> list[tuple]:
    with sqlite3.connect(f"file:{demo_db}?mode=ro", uri=True) as conn:
        return conn.execute(query, params).fetchall()


def test_unita_nel_periodo(engine, demo_db: Path) -> None:
    df = procedure.unita_nel_periodo(engine, date(2025, 11, 1), GIORNO, ["CIGS_MIN", "CIGS_REG"], ("LC", "BG"))
    ((righe, lavoratori),) = _sql(
        demo_db,
        "SELECT count(*), sum(pu.lavoratori) FROM procedura_unita pu JOIN procedura p ON p.id = pu.procedura_id "
        "WHERE p.tipo IN ('CIGS_MIN', 'CIGS_REG') AND pu.sigla_provincia IN ('LC', 'BG') AND p.data_inizio <= "
        ":fine AND (p.data_fine IS NULL OR p.data_fine >= :inizio)",
        inizio="2025-11-01", fine="2025-12-31",
    )  # fmt: skip
    assert (df.height, int(df["lavoratori"].sum())) == (righe, lavoratori)
    assert set(df["sigla"]) == {"LC", "BG"} and df["comune"].null_count() == 0


def test_stati_al_dalle_date_dei_passi(engine, demo_db: Path) -> None:
    df = step.stati_al(engine, GIORNO, SIGLE)
    per_stato = dict(df.group_by("stato").agg(pl.col("lavoratori").sum()).iter_rows())
    attesi = dict(
        _sql(
            demo_db,
            "SELECT CASE WHEN l.data_esonero <= :g THEN 'NOPAL' WHEN l.data_step4 <= :g THEN 'STEP4' "
            "WHEN l.data_step3 <= :g THEN 'STEP3' WHEN l.data_step2 <= :g THEN 'STEP2' "
            "WHEN l.data_step1 <= :g THEN 'STEP1' ELSE 'NONE' END AS s, count(*) "
            f"FROM lavoratore l JOIN procedura p ON p.id = l.procedura_id WHERE l.tipo = 'CIGS_MIN' AND {IN_VIGORE} "
            "GROUP BY s",
            g=GIORNO.isoformat(),
        )
    )
    assert per_stato == attesi
    ((finestra, entro),) = _sql(
        demo_db,
        "SELECT sum(l.data_step1 <= :limite AND NOT coalesce(l.data_esonero <= :g, 0)), "
        "sum(l.data_step1 <= :limite AND NOT coalesce(l.data_esonero <= :g, 0) AND "
        "julianday(l.data_step4) - julianday(l.data_step1) <= 120) "
        f"FROM lavoratore l JOIN procedura p ON p.id = l.procedura_id WHERE l.tipo = 'CIGS_MIN' AND {IN_VIGORE}",
        g=GIORNO.isoformat(), limite="2025-09-02",
    )  # fmt: skip
    assert (int(df["in_finestra"].sum()), int(df["entro_obiettivo"].sum())) == (finestra, entro)


@pytest.mark.parametrize("tipi", [("CIGS_MIN", "CIGS_REG"), ("LIC",)])
def test_primo_inizio(engine, demo_db: Path, tipi: tuple[str, ...]) -> None:
    segnaposto = ",".join(f"'{t}'" for t in tipi)
    ((primo,),) = _sql(demo_db, f"SELECT min(data_inizio) FROM procedura WHERE tipo IN ({segnaposto})")
    assert procedure.primo_inizio(engine, tipi) == date.fromisoformat(primo)
