"""The map's queries against the published tables: provinces, step cohort, employed, municipalities."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy.engine import Engine

from data_access.dominio import CODICI_TIPO, SIGLE
from data_access.queries import procedure, territorio

TSV = Path(__file__).resolve().parents[1] / "data" / "tabelle_ufficiali.tsv"


def _intero(testo: str) -> int:
    return int(testo.replace(".", "")) if testo.strip() else 0  # published blanks mean zero


def _pubblicate() -> dict[tuple[int, str], dict[str, int]]:
    """Per (year, province): published units (all types), total workers and CIGS ministeriali workers."""
    with TSV.open(encoding="utf-8") as fh:
        righe = csv.DictReader((riga for riga in fh if not riga.startswith("#")), delimiter="\t")
        return {
            (int(r["anno"]), r["provincia"]): {
                "unita": sum(_intero(r[f"{t}_unita"]) for t in ("cigs_min", "cigs_reg", "lic")),
                "lavoratori": _intero(r["totale_lavoratori"]),
                "cigs_min": _intero(r["cigs_min_lavoratori"]),
            }
            for r in righe
            if r["provincia"] != "TOT"
        }


PUBBLICATE = _pubblicate()


@pytest.fixture(scope="module")
def province(engine: Engine) -> pl.DataFrame:
    return territorio.per_provincia(engine, (2024, 2025), CODICI_TIPO)


def _riga(df: pl.DataFrame, anno: int, sigla: str) -> dict[str, int]:
    return df.filter((pl.col("anno") == anno) & (pl.col("sigla") == sigla)).row(0, named=True)


@pytest.mark.parametrize(("anno", "sigla"), sorted(PUBBLICATE))
def test_province_match_the_published_tables(province: pl.DataFrame, anno: int, sigla: str) -> None:
    riga = _riga(province, anno, sigla)
    assert riga["lavoratori"] == PUBBLICATE[(anno, sigla)]["lavoratori"]
    assert riga["unita"] == PUBBLICATE[(anno, sigla)]["unita"]


def test_milano_2025_and_regional_totals(province: pl.DataFrame) -> None:
    assert _riga(province, 2025, "MI")["lavoratori"] == 3226
    assert _riga(province, 2025, "MI")["unita"] == 27 + 10 + 115
    totali = dict(province.group_by("anno").agg(pl.col("lavoratori").sum()).iter_rows())
    assert totali == {2024: 9557, 2025: 11800}


def test_procedures_are_distinct_per_province(engine: Engine, province: pl.DataFrame) -> None:
    # A procedure has one type, so the distinct count per province is the sum over types of the per-type counts.
    per_tipo = procedure.per_provincia(engine, (2025,), CODICI_TIPO, SIGLE)
    attese = dict(per_tipo.group_by("sigla").agg(pl.col("procedure").sum()).iter_rows())
    trovate = dict(province.filter(pl.col("anno") == 2025).select("sigla", "procedure").iter_rows())
    assert trovate == attese
    assert trovate["MI"] > 0


def test_every_province_is_present_even_without_cases(engine: Engine) -> None:
    df = territorio.per_provincia(engine, (2025,), ("CIGS_MIN",))
    assert df["sigla"].to_list() == sorted(SIGLE)
    assert _riga(df, 2025, "LO") == {"anno": 2025, "sigla": "LO", "lavoratori": 0, "unita": 0, "procedure": 0}
    assert _riga(df, 2025, "MI")["lavoratori"] == 949


def test_step_cohort_by_province(engine: Engine) -> None:
    coorte = territorio.coorte_step(engine, 2025, CODICI_TIPO)
    assert coorte.height == 12
    assert (coorte["coorte"].sum(), coorte["step4"].sum()) == (4377, 2232)
    # The cohort is the CIGS ministeriali workers of each province.
    for r in coorte.iter_rows(named=True):
        assert r["coorte"] == PUBBLICATE[(2025, r["sigla"])]["cigs_min"], r
    assert coorte.filter(pl.col("sigla") == "MI").row(0, named=True) == {"sigla": "MI", "coorte": 949, "step4": 463}


def test_step_cohort_follows_the_type_filter_and_year(engine: Engine) -> None:
    assert territorio.coorte_step(engine, 2025, ("LIC", "CIGS_REG"))["coorte"].sum() == 0
    assert territorio.coorte_step(engine, 2024, CODICI_TIPO)["coorte"].sum() == 0


def test_employed_are_missing_in_the_demo(engine: Engine) -> None:
    occ = territorio.occupati(engine)
    assert occ["sigla"].to_list() == list(SIGLE)
    assert occ["occupati"].is_null().all()


def test_municipalities_add_up_to_their_province(engine: Engine, province: pl.DataFrame) -> None:
    comuni = territorio.per_comune(engine, 2025, CODICI_TIPO)
    per_prov = comuni.group_by("sigla").agg(pl.col("lavoratori", "unita").sum())
    attese = province.filter(pl.col("anno") == 2025).select("sigla", "lavoratori", "unita")
    assert per_prov.sort("sigla").equals(attese.sort("sigla"))
    assert comuni["codice_comune"].n_unique() == comuni.height
    assert comuni["lavoratori"].to_list() == sorted(comuni["lavoratori"].to_list(), reverse=True)
    # Every circle falls inside Lombardy's bounding box.
    assert comuni["lon"].is_between(8.49, 11.43).all() and comuni["lat"].is_between(44.68, 46.64).all()


def test_municipalities_follow_the_type_filter(engine: Engine) -> None:
    comuni = territorio.per_comune(engine, 2025, ("CIGS_MIN",))
    assert comuni["lavoratori"].sum() == 4377
