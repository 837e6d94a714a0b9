"""Step model queries: the published 2025 cohort on the demo data, exact timing on a hand-made database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy.engine import Engine

from data_access.dominio import MISURE_PAL, SIGLE
from data_access.engine import crea_engine
from data_access.queries import step
from ingest import ufficiali
from ingest.writer import crea_schema, engine_scrittura, inserisci

DATA_RIFERIMENTO = date(2025, 12, 31)  # the 120-day window closes for STEP 1 on or before 02/09/2025


# --- the published 2025 cohort on the demo data ------------------------------------------------------------------
def test_cohort_2025_matches_the_published_figures(engine: Engine) -> None:
    p = step.percorsi(engine, 2025, SIGLE)
    assert p["lavoratori"].sum() == ufficiali.COORTE_STEP_2025 == 4377
    assert p.filter(pl.col("stato") == "STEP4")["lavoratori"].sum() == ufficiali.STEP4_2025 == 2232
    # Reaching STEP 4 (its date) and standing at STEP 4 are the same workers.
    assert p["step4"].sum() == 2232
    assert p["step1"].sum() == 4377
    assert p["step1"].sum() >= p["step2"].sum() >= p["step3"].sum() >= p["step4"].sum()
    assert set(p["stato"]) == {"STEP1", "STEP2", "STEP3", "STEP4", "NOPAL"}


def test_cohort_by_province_matches_the_official_cigs_ministeriali_table(engine: Engine) -> None:
    per_prov = dict(step.percorsi(engine, 2025, SIGLE).group_by("sigla").agg(pl.col("lavoratori").sum()).iter_rows())
    attesi = {
        s: lav for (anno, tipo, s), (_, lav) in ufficiali.obiettivi().items() if (anno, tipo) == (2025, "CIGS_MIN")
    }
    assert per_prov == {s: n for s, n in attesi.items() if n}
    assert "LO" not in per_prov  # the published blank: no CIGS ministeriali in Lodi in 2025


def test_no_cohort_before_the_step_model(engine: Engine) -> None:
    assert step.percorsi(engine, 2024, SIGLE).is_empty()
    assert step.mediane(engine, 2024, SIGLE).is_empty()
    assert step.coorti_mensili(engine, 2024, SIGLE, date(2025, 1, 15)).is_empty()


def test_province_filter(engine: Engine) -> None:
    p = step.percorsi(engine, 2025, ["LC", "MB"])
    assert set(p["sigla"]) == {"LC", "MB"}
    assert p["lavoratori"].sum() == 104 + 672
    assert step.percorsi(engine, 2025, ["LO"]).is_empty()


def test_monthly_cohorts_add_up_to_the_cohort(engine: Engine) -> None:
    m = step.coorti_mensili(engine, 2025, SIGLE, date(2026, 1, 15))
    assert m["lavoratori"].sum() == 4377
    assert m["pal"].sum() == 2232
    assert (
        m["esonerati"].sum()
        == step.percorsi(engine, 2025, SIGLE).filter(pl.col("stato") == "NOPAL")["lavoratori"].sum()
    )
    assert (m["entro_obiettivo"] <= m["in_finestra"]).all()
    assert (m["in_finestra"] <= m["lavoratori"]).all()
    # Nobody taken in charge in the last 120 days has a closed window.
    recenti = m.filter(pl.date(pl.col("anno_presa"), pl.col("mese_presa"), 1) > date(2025, 9, 17))
    assert recenti["in_finestra"].sum() == 0


def test_medians_agree_with_the_histogram(engine: Engine) -> None:
    """On SQLite the medians come from the histogram, on PostgreSQL from percentile_cont: the same numbers."""
    med = step.mediane(engine, 2025, SIGLE)
    ist = step.istogramma_durate(engine, 2025, SIGLE)
    for (sigla, intervallo), gruppo in ist.group_by("sigla", "intervallo"):
        giorni = gruppo.select(pl.col("giorni").repeat_by("lavoratori").explode())["giorni"]
        riga = med.filter((pl.col("sigla") == sigla) & (pl.col("intervallo") == intervallo))
        assert riga["lavoratori"][0] == giorni.len()
        assert riga["mediana"][0] == giorni.median()
    tot = med.filter(pl.col("sigla") == step.TOTALE)
    assert dict(zip(tot["intervallo"], tot["lavoratori"], strict=True)) == {
        "STEP1-STEP2": 3710,
        "STEP2-STEP3": 3030,
        "STEP3-STEP4": 2232,
        "STEP1-STEP4": 2232,
    }
    assert (med["mediana"] >= 0).all()


def test_measures_and_operators(engine: Engine) -> None:
    m = step.misure(engine, 2025, SIGLE)
    assert m["lavoratori"].sum() == 2232
    assert set(m["misura"]) <= set(MISURE_PAL)
    o = step.operatori(engine, 2025, SIGLE)
    assert o["lavoratori"].sum() == 3030  # STEP 3 and STEP 4 workers have an operator in the demo
    assert o["pal"].sum() == 2232
    assert set(o["sigla"]) <= set(SIGLE)
    assert o["operatore_id"].is_unique().all()


# --- a hand-made database with known dates -----------------------------------------------------------------------
def _lavoratore(n: int, sigla: str, stato: str | None, *date_step: date | None, **altro: object) -> dict:
    date_step = (*date_step, None, None, None, None)[:4]
    return {
        "id": f"T{n:03d}",
        "procedura_id": 1,
        "unita_id": 1 if sigla == "BG" else 2,
        "anno": altro.pop("anno", 2025),
        "tipo": altro.pop("tipo", "CIGS_MIN"),
        "sigla_provincia": sigla,
        **{f"data_step{i}": d for i, d in enumerate(date_step, start=1)},
        "data_esonero": altro.pop("data_esonero", None),
        "motivo_esonero": None,
        "misura_pal": altro.pop("misura_pal", "GOL" if date_step[3] else None),
        "operatore_id": altro.pop("operatore_id", None),
        "stato_step": stato,
    }


def _d(testo: str) -> date:
    return date.fromisoformat(testo)


def _dopo(inizio: str, *giorni: int) -> list[date]:
    """STEP dates from a start and the days each step took."""
    out = [_d(inizio)]
    for g in giorni:
        out.append(out[-1] + timedelta(days=g))
    return out


LAVORATORI = [
    # BG: STEP 1 → 4 in 60, 130, 72 (after the window's cut-off) and exactly 120 days.
    _lavoratore(1, "BG", "STEP4", *_dopo("2025-01-01", 10, 20, 30), operatore_id=1),
    _lavoratore(2, "BG", "STEP4", *_dopo("2025-02-01", 20, 20, 90), operatore_id=1),
    _lavoratore(3, "BG", "STEP2", *_dopo("2025-03-01", 4)),
    _lavoratore(4, "BG", "NOPAL", _d("2025-03-10"), data_esonero=_d("2025-03-20")),
    _lavoratore(5, "BG", "STEP4", *_dopo("2025-09-20", 10, 20, 42), operatore_id=2),
    _lavoratore(9, "BG", "STEP4", *_dopo("2025-04-01", 10, 20, 90), operatore_id=2),
    # MI: 30 days to STEP 4; one stopped at STEP 3, one at STEP 1.
    _lavoratore(6, "MI", "STEP4", *_dopo("2025-01-15", 10, 10, 10), operatore_id=3),
    _lavoratore(7, "MI", "STEP3", *_dopo("2025-01-20", 20, 5), operatore_id=3),
    _lavoratore(8, "MI", "STEP1", _d("2025-04-01")),
    # Outside the cohort: another procedure type, another year, no step data.
    _lavoratore(20, "MI", "STEP4", *_dopo("2025-01-01", 1, 1, 1), tipo="LIC"),
    _lavoratore(21, "MI", "STEP4", *_dopo("2024-01-01", 1, 1, 1), anno=2024),
    _lavoratore(22, "BG", None),
]


@pytest.fixture(scope="module")
def piccolo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A tiny database written with the ingest writer, read through the app's read-only engine."""
    path: Path = tmp_path_factory.mktemp("step") / "piccolo.db"
    scrittura = engine_scrittura(f"sqlite:///{path}")
    righe = {
        "provincia": [
            {"sigla": "BG", "nome": "Bergamo", "codice_istat": "016", "occupati": None},
            {"sigla": "MI", "nome": "Milano", "codice_istat": "015", "occupati": None},
        ],
        "comune": [
            {"codice_istat": "016024", "nome": "Bergamo", "sigla_provincia": "BG", "lat": 45.7, "lon": 9.7},
            {"codice_istat": "015146", "nome": "Milano", "sigla_provincia": "MI", "lat": 45.5, "lon": 9.2},
        ],
        "azienda": [
            {
                "id": 1,
                "codice_fonte": "AZ1",
                "ragione_sociale": "Prova S.p.A.",
                "ateco_codice": "25",
                "ateco_descrizione": "Metalli",
            },
        ],
        "unita_produttiva": [
            {"id": 1, "codice_fonte": "UP1", "azienda_id": 1, "codice_comune": "016024", "sigla_provincia": "BG"},
            {"id": 2, "codice_fonte": "UP2", "azienda_id": 1, "codice_comune": "015146", "sigla_provincia": "MI"},
        ],
        "procedura": [
            {
                "id": 1,
                "codice_fonte": "P1",
                "azienda_id": 1,
                "tipo": "CIGS_MIN",
                "linea_guida": "A",
                "anno": 2025,
                "data_inizio": _d("2024-12-01"),
                "stato": "in corso",
                "alta_complessita": False,
            },
        ],
        "operatore": [
            {
                "id": i,
                "codice_fonte": f"OP{i}",
                "denominazione": f"Operatore {i}",
                "sigla_provincia": s,
                "accreditamento": "lavoro",
                "in_catalogo_crisi": True,
            }
            for i, s in ((1, "BG"), (2, "BG"), (3, "MI"))
        ],
        "lavoratore": LAVORATORI,
        "metadati": [
            {
                "fonte": "prova",
                "descrizione": "prova",
                "data_estrazione": DATA_RIFERIMENTO,
                "caricato_il": datetime(2026, 1, 1),
                "demo": True,
                "righe": len(LAVORATORI),
            },
        ],
    }
    with scrittura.begin() as conn:
        crea_schema(conn)
        inserisci(conn, righe)
    scrittura.dispose()
    eng = crea_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


def _mediane(eng: Engine) -> dict[tuple[str, str], tuple[int, float]]:
    med = step.mediane(eng, 2025, ["BG", "MI"])
    return {(r["sigla"], r["intervallo"]): (r["lavoratori"], r["mediana"]) for r in med.iter_rows(named=True)}


def test_hand_made_medians_are_exact(piccolo: Engine) -> None:
    med = _mediane(piccolo)
    # BG, STEP 1 → 4: 60, 72, 120, 130 → (72 + 120) / 2.
    assert med[("BG", "STEP1-STEP4")] == (4, 96.0)
    # MI, STEP 1 → 2: 10 and 20 → 15 (an even count averages the two middle values).
    assert med[("MI", "STEP1-STEP2")] == (2, 15.0)
    assert med[("MI", "STEP1-STEP4")] == (1, 30.0)
    # BG, STEP 3 → 4: 30, 42, 90, 90 → 66.
    assert med[("BG", "STEP3-STEP4")] == (4, 66.0)
    # The whole selection: STEP 1 → 4 over 30, 60, 72, 120, 130 → 72; STEP 3 → 4 over 10, 30, 42, 90, 90 → 42.
    assert med[(step.TOTALE, "STEP1-STEP4")] == (5, 72.0)
    assert med[(step.TOTALE, "STEP3-STEP4")] == (5, 42.0)
    # STEP 1 → 2: 10, 20, 4, 10, 10 (BG) and 10, 20 (MI) → 10.
    assert med[(step.TOTALE, "STEP1-STEP2")] == (7, 10.0)
    # MI STEP 2 → 3: 10 and 5 → 7,5.
    assert med[("MI", "STEP2-STEP3")] == (2, 7.5)


def test_hand_made_histogram_counts_days(piccolo: Engine) -> None:
    ist = step.istogramma_durate(piccolo, 2025, ["BG"]).filter(pl.col("intervallo") == "STEP1-STEP4")
    assert dict(zip(ist["giorni"], ist["lavoratori"], strict=True)) == {60: 1, 72: 1, 120: 1, 130: 1}


def test_hand_made_gol_window(piccolo: Engine) -> None:
    m = step.coorti_mensili(piccolo, 2025, ["BG", "MI"], DATA_RIFERIMENTO)
    per_prov = m.group_by("sigla").agg(pl.col("lavoratori", "pal", "esonerati", "in_finestra", "entro_obiettivo").sum())
    righe = {r["sigla"]: r for r in per_prov.iter_rows(named=True)}
    # BG: window closed for workers 1, 2, 3, 9 (4 exempted, 5 too recent); within 120 days: 1 (60) and 9 (exactly 120).
    assert (righe["BG"]["in_finestra"], righe["BG"]["entro_obiettivo"]) == (4, 2)
    assert (righe["BG"]["lavoratori"], righe["BG"]["pal"], righe["BG"]["esonerati"]) == (6, 4, 1)
    # MI: 6, 7, 8 in the window; only 6 has PAL (in 30 days).
    assert (righe["MI"]["in_finestra"], righe["MI"]["entro_obiettivo"]) == (3, 1)
    # The month of presa in carico groups the workers.
    gennaio = m.filter((pl.col("anno_presa") == 2025) & (pl.col("mese_presa") == 1))
    assert gennaio["lavoratori"].sum() == 3
    settembre = m.filter(pl.col("mese_presa") == 9)
    assert settembre["in_finestra"].sum() == 0


def test_hand_made_cohort_excludes_other_types_years_and_unstaged_workers(piccolo: Engine) -> None:
    p = step.percorsi(piccolo, 2025, ["BG", "MI"])
    assert p["lavoratori"].sum() == 9
    assert dict(p.group_by("sigla").agg(pl.col("step4").sum()).iter_rows()) == {"BG": 4, "MI": 1}
    o = step.operatori(piccolo, 2025, ["BG", "MI"])
    assert dict(zip(o["operatore"], o["lavoratori"], strict=True)) == {
        "Operatore 1": 2,
        "Operatore 2": 2,
        "Operatore 3": 2,
    }
    assert step.misure(piccolo, 2025, ["BG", "MI"])["lavoratori"].sum() == 5
