"""The same-period cells: procedures counted from 1 January to each year's cut-off, on a hand-made and the demo DB."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy.engine import Engine

from data_access.dominio import CODICI_TIPO, SIGLE
from data_access.engine import crea_engine
from data_access.queries import procedure
from ingest.writer import crea_schema, engine_scrittura, inserisci

# (id, type, year, start date, [(unit id, province, workers)])
PROCEDURE = [
    (1, "CIGS_MIN", 2024, date(2024, 3, 15), [(1, "BG", 10), (2, "CO", 5)]),  # on the cut-off: counted
    (2, "CIGS_MIN", 2024, date(2024, 3, 16), [(1, "BG", 7)]),  # the day after: left out
    (3, "LIC", 2025, date(2025, 3, 15), [(2, "CO", 20)]),
    (4, "LIC", 2025, date(2025, 1, 1), [(1, "BG", 3)]),
    (5, "CIGS_REG", 2025, date(2025, 12, 31), [(1, "BG", 100)]),  # after the cut-off
    (6, "CIGS_MIN", 2023, date(2023, 2, 1), [(1, "BG", 50)]),  # a year not compared
]
LINEA = {"CIGS_MIN": "A", "CIGS_REG": "B", "LIC": "D"}
FINO_AL = {2024: date(2024, 3, 15), 2025: date(2025, 3, 15)}


def crea_db_piccolo(path: Path, data_estrazione: date = date(2025, 3, 15)) -> str:
    """A small cruscotto database with the procedures above; returns its URL."""
    url = f"sqlite:///{path}"
    righe = {
        "provincia": [
            {"sigla": "BG", "nome": "Bergamo", "codice_istat": "016"},
            {"sigla": "CO", "nome": "Como", "codice_istat": "013"},
        ],
        "comune": [
            {"codice_istat": "016024", "nome": "Bergamo", "sigla_provincia": "BG", "lat": 45.69, "lon": 9.67},
            {"codice_istat": "013075", "nome": "Como", "sigla_provincia": "CO", "lat": 45.81, "lon": 9.08},
        ],
        "azienda": [{"id": 1, "codice_fonte": "AZ1", "ragione_sociale": "Alfa", "ateco_codice": "25",
                     "ateco_descrizione": "Metalli"}],
        "unita_produttiva": [
            {"id": 1, "codice_fonte": "U1", "azienda_id": 1, "codice_comune": "016024", "sigla_provincia": "BG"},
            {"id": 2, "codice_fonte": "U2", "azienda_id": 1, "codice_comune": "013075", "sigla_provincia": "CO"},
        ],
        "procedura": [
            {"id": i, "codice_fonte": f"P{i}", "azienda_id": 1, "tipo": t, "linea_guida": LINEA[t], "anno": a,
             "data_inizio": d, "stato": "aperta", "alta_complessita": False}
            for i, t, a, d, _ in PROCEDURE
        ],
        "procedura_unita": [
            {"procedura_id": i, "unita_id": u, "anno": a, "tipo": t, "sigla_provincia": s, "lavoratori": n}
            for i, t, a, _, unita in PROCEDURE
            for u, s, n in unita
        ],
        "metadati": [{"fonte": "VertenzeOnline", "descrizione": "prova", "data_estrazione": data_estrazione,
                      "caricato_il": datetime(2025, 3, 16, 8), "demo": True, "righe": 7}],
    }  # fmt: skip
    scrittura = engine_scrittura(url)
    with scrittura.begin() as conn:
        crea_schema(conn)
        inserisci(conn, righe)
    scrittura.dispose()
    return url


@pytest.fixture(scope="module")
def piccolo(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The app's read-only engine on the small database."""
    return crea_engine(crea_db_piccolo(tmp_path_factory.mktemp("confronto") / "piccolo.db"))


def per_provincia_fino_al(engine: Engine, fino_al: dict[int, date], tipi, province) -> pl.DataFrame:
    """The official-table cells cut at each year's date: `procedure.per_provincia` with `fino_al`."""
    return procedure.per_provincia(engine, sorted(fino_al), tipi, province, fino_al=fino_al)


def _celle(df: pl.DataFrame) -> dict[tuple[int, str, str], tuple[int, int, int]]:
    return {(r["anno"], r["tipo"], r["sigla"]): (r["unita"], r["lavoratori"], r["procedure"]) for r in df.to_dicts()}


def test_counts_procedures_started_by_each_cut_off(piccolo: Engine) -> None:
    celle = _celle(per_provincia_fino_al(piccolo, FINO_AL, CODICI_TIPO, ("BG", "CO")))
    assert celle[(2024, "CIGS_MIN", "BG")] == (1, 10, 1)  # procedure 2 started the day after the cut-off
    assert celle[(2024, "CIGS_MIN", "CO")] == (1, 5, 1)
    assert celle[(2025, "LIC", "CO")] == (1, 20, 1)  # started on the cut-off day
    assert celle[(2025, "LIC", "BG")] == (1, 3, 1)
    assert celle[(2025, "CIGS_REG", "BG")] == (0, 0, 0)  # started after the cut-off
    assert len(celle) == 2 * 3 * 2  # every (year, type, province) cell, zero-filled
    assert sum(v[1] for v in celle.values()) == 38


def test_later_cut_off_counts_everything_of_the_year(piccolo: Engine) -> None:
    fine_anno = {2024: date(2024, 12, 31), 2025: date(2025, 12, 31)}
    celle = _celle(per_provincia_fino_al(piccolo, fine_anno, CODICI_TIPO, ("BG", "CO")))
    assert celle[(2024, "CIGS_MIN", "BG")] == (2, 17, 2)
    assert celle[(2025, "CIGS_REG", "BG")] == (1, 100, 1)


def test_filters_on_type_and_province(piccolo: Engine) -> None:
    df = per_provincia_fino_al(piccolo, FINO_AL, ("LIC",), ("CO",))
    assert df.select("anno", "tipo", "sigla", "lavoratori").rows() == [(2024, "LIC", "CO", 0), (2025, "LIC", "CO", 20)]


def test_one_query_with_or_without_a_cut_off(piccolo: Engine) -> None:
    """The same-period cells are procedure.per_provincia with cut-offs; a year without one counts in full."""
    tagliate = procedure.per_provincia(piccolo, (2024, 2025), CODICI_TIPO, ("BG", "CO"), fino_al=FINO_AL)
    assert tagliate.equals(per_provincia_fino_al(piccolo, FINO_AL, CODICI_TIPO, ("BG", "CO")))
    celle = _celle(
        procedure.per_provincia(piccolo, (2024, 2025), CODICI_TIPO, ("BG", "CO"), fino_al={2025: FINO_AL[2025]})
    )
    assert celle[(2024, "CIGS_MIN", "BG")] == (2, 17, 2)  # 2024 has no cut-off here: both procedures
    assert celle[(2025, "CIGS_REG", "BG")] == (0, 0, 0)  # 2025 stops at its cut-off
    assert celle[(2025, "LIC", "CO")] == (1, 20, 1)


def test_year_end_cut_off_equals_the_official_tables(engine: Engine) -> None:
    fine_anno = {2024: date(2024, 12, 31), 2025: date(2025, 12, 31)}
    stesso = per_provincia_fino_al(engine, fine_anno, CODICI_TIPO, SIGLE)
    ufficiale = procedure.per_provincia(engine, (2024, 2025), CODICI_TIPO, SIGLE)
    assert stesso.equals(ufficiale)
    assert stesso.filter(pl.col("anno") == 2025)["lavoratori"].sum() == 11800


def test_mid_year_cut_off_matches_an_independent_count(engine: Engine, demo_db: Path) -> None:
    fino_al = {2024: date(2024, 6, 30), 2025: date(2025, 6, 30)}
    df = per_provincia_fino_al(engine, fino_al, CODICI_TIPO, SIGLE)
    with sqlite3.connect(f"file:{demo_db}?mode=ro", uri=True) as conn:
        attesi = dict(
            ((a, t), (u, n))
            for a, t, u, n in conn.execute(
                "SELECT pu.anno, pu.tipo, count(*), sum(pu.lavoratori) FROM procedura_unita pu "
                "JOIN procedura p ON p.id = pu.procedura_id "
                "WHERE p.data_inizio <= pu.anno || '-06-30' GROUP BY pu.anno, pu.tipo"
            )
        )
    per_tipo = df.group_by("anno", "tipo").agg(pl.col("unita").sum(), pl.col("lavoratori").sum())
    trovati = {(r["anno"], r["tipo"]): (r["unita"], r["lavoratori"]) for r in per_tipo.to_dicts()}
    assert trovati == attesi
    assert 0 < df.filter(pl.col("anno") == 2025)["lavoratori"].sum() < 11800
