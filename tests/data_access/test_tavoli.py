"""The Esporta dati tavoli queries on the demo database (SQLite and PostgreSQL), cross-checked with plain SQL."""

from __future__ import annotations

import polars as pl
from sqlalchemy import text

from data_access.dominio import CODICI_TIPO, SIGLE
from data_access.queries import procedure
from data_access.queries import tavoli as q


def test_every_tavolo_of_the_year(engine) -> None:
    df = q.tavoli(engine, 2025, SIGLE)
    assert df.height == 25
    assert df.filter(pl.col("tipo") == "regionale").height == 4
    assert df.filter(pl.col("tipo") == "bilaterale").height == 21
    assert df["sigla"].filter(df["tipo"] == "regionale").is_null().all()
    assert df["data"].is_sorted()
    assert q.tavoli(engine, 2023, SIGLE).is_empty()


def test_the_same_tavoli_as_the_headline_figures(engine) -> None:
    """Regional tables concern every province, a bilateral one its own: the list and the count agree."""
    for province in (("LC",), ("BG", "MI"), SIGLE):
        df = q.tavoli(engine, 2025, province)
        conta = procedure.indicatori(engine, (2025,), CODICI_TIPO, province).row(0, named=True)
        assert df.filter(pl.col("tipo") == "regionale").height == conta["tavoli_regionali"] == 4
        bilaterali = df.filter(pl.col("tipo") == "bilaterale")
        assert bilaterali.height == conta["tavoli_bilaterali"]
        assert set(bilaterali["sigla"]) <= set(province)


def test_cases_discussed_add_up_per_tavolo(engine) -> None:
    sedute = q.tavoli(engine, 2025, SIGLE)
    discussi = q.casi_discussi(engine, 2025, SIGLE)
    per_tavolo = dict(discussi.group_by("id").agg(pl.len()).iter_rows())
    assert {r["id"]: r["casi"] for r in sedute.iter_rows(named=True) if r["casi"]} == per_tavolo
    with engine.connect() as conn:
        attesi = conn.execute(
            text("SELECT count(*) FROM tavolo_caso tc JOIN tavolo t ON t.id = tc.tavolo_id WHERE t.anno = :anno"),
            {"anno": 2025},
        ).scalar_one()
    assert discussi.height == attesi > 0
    assert discussi["ragione_sociale"].is_not_null().all()
