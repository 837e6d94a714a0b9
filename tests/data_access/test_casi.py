"""The high-complexity case queries on the real demo database, cross-checked with plain SQL."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import text

from data_access.queries import casi as q

AL = date(2026, 1, 15)


def _scalare(engine, sql: str, **params: object) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def test_twenty_cases_with_their_company(engine) -> None:
    df = q.casi(engine)
    assert df.height == 20
    assert df["codice"].n_unique() == 20
    caso = df.filter(pl.col("codice") == "AC-2025-02").row(0, named=True)
    assert caso["ragione_sociale"] == "Confezioni Benaco S.p.A."
    assert caso["ateco_codice"] == "14"
    assert caso["prossima_scadenza"] == date(2026, 1, 12)
    assert caso["tipo_scadenza"] == "Scadenza CIGS"
    assert sorted(df["stato"].unique().to_list()) == ["aperto", "chiuso", "in monitoraggio"]


def test_involvement_counts_the_case_procedures(engine) -> None:
    df = q.coinvolgimento(engine)
    caso = df.filter(pl.col("codice") == "AC-2025-19")
    assert sorted(caso["sigla"].to_list()) == ["MI", "PV"]
    assert caso["tipo"].unique().to_list() == ["LIC"]
    assert caso["unita"].sum() == 3
    assert caso["lavoratori"].sum() == 156
    # Every worker of every flagged procedure of a case's company, counted once per unit row.
    attesi = _scalare(
        engine,
        "SELECT sum(pu.lavoratori) FROM caso_alta_complessita c JOIN procedura p "
        "ON p.azienda_id = c.azienda_id AND p.alta_complessita JOIN procedura_unita pu ON pu.procedura_id = p.id",
    )
    assert df["lavoratori"].sum() == attesi


def test_step_cohort_of_a_ministerial_case(engine) -> None:
    df = q.step_per_caso(engine, "AC-2025-02")
    per_fase = dict(df.select("stato_step", "lavoratori").iter_rows())
    assert per_fase == {"NOPAL": 40, "STEP1": 46, "STEP2": 72, "STEP3": 103, "STEP4": 182}
    assert sum(per_fase.values()) == 443
    # Collective dismissals are outside the step model.
    assert q.step_per_caso(engine, "AC-2025-19").is_empty()


def test_tavoli_per_case_up_to_the_date(engine) -> None:
    df = q.tavoli_per_caso(engine, AL)
    riga = df.filter(pl.col("codice") == "AC-2025-04").row(0, named=True)
    assert riga["tavoli"] == 7
    assert riga["ultimo_tavolo"] == date(2025, 12, 15)
    assert "AC-2025-06" not in df["codice"].to_list()  # no tavolo has discussed it yet
    prima = q.tavoli_per_caso(engine, date(2025, 6, 30)).filter(pl.col("codice") == "AC-2025-04").row(0, named=True)
    assert (prima["tavoli"], prima["ultimo_tavolo"]) == (4, date(2025, 6, 27))


def test_detail_of_one_case(engine) -> None:
    proc = q.procedure_caso(engine, "AC-2025-02")
    assert proc.select("tipo", "data_inizio", "data_fine", "unita", "lavoratori").rows() == [
        ("CIGS_MIN", date(2025, 9, 25), date(2026, 1, 12), 1, 443)
    ]
    tavoli = q.tavoli_caso(engine, "AC-2025-02", AL)
    assert tavoli.height == 2
    assert tavoli["data"].max() == date(2025, 12, 15)
    assert q.tavoli_caso(engine, "AC-2025-02", date(2025, 10, 31)).height == 1
    assert q.tavoli_caso(engine, "AC-2025-02", date(2025, 9, 24)).height == 0  # none before the case was opened


def test_step_progress_sums_to_the_stages(engine) -> None:
    prog = q.progressione_step(engine, "AC-2025-02")
    per_step = dict(prog.group_by("step").agg(pl.col("lavoratori").sum()).iter_rows())
    # Every cohort worker has a STEP 1 date; STEP 4 dates are those who reached it.
    assert per_step["STEP1"] == 443
    assert per_step["STEP4"] == 182
    assert per_step["STEP1"] >= per_step["STEP2"] >= per_step["STEP3"] >= per_step["STEP4"]
    assert prog["data"].max() <= AL


def test_units_placed_at_their_municipality(engine) -> None:
    df = q.unita_caso(engine, "AC-2025-09")
    assert df.height == 3
    assert df["lavoratori"].sum() == 104
    assert set(df["sigla"]) == {"MI"}
    assert df["lat"].is_between(44.6, 46.7).all() and df["lon"].is_between(8.4, 11.5).all()
