"""Misure PAL on a hand-made set of extracts: each rule check finds its one breaking row and no clean row, the
budget arithmetic and the STEP 4 → measure linkage; on the demo, the totals by measure equal the SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy.engine import Engine

from dashboard.letture import misure as letture
from dashboard.viste import misure as vm
from data_access.dominio import SIGLE
from data_access.engine import crea_engine
from data_access.queries import misure as q
from ingest.estratti import PER_NOME, scrivi_csv
from ingest.load import carica
from tests.misure_dirette import differenze

D = date
DUL, FC, GOL, RETE = "Dote Unica Lavoro", "Formazione Continua", "GOL", "Azioni di Rete"


def _intervento(codice: str, misura: str, lavoratore: str, azienda: str, **altro: object) -> dict[str, object]:
    riga: dict[str, object] = {
        "codice_intervento": codice,
        "misura": misura,
        "id_lavoratore": lavoratore,
        "codice_azienda": azienda,
        "sigla_provincia": "BG",
        "data_assegnazione": D(2025, 3, 1),
        "importo_assegnato": 100_000,  # cents: 1.000 €
    }
    return riga | altro


def _progetto(codice: str, aziende: list[str], lavoratori: int) -> list[dict[str, object]]:
    """A project's workers, spread over its companies in turn."""
    return [
        _intervento(f"{codice}-{i:02d}", RETE, f"{codice}-W{i:02d}", aziende[i % len(aziende)], codice_progetto=codice)
        for i in range(lavoratori)
    ]


def _estratti() -> dict[str, list[dict[str, object]]]:
    step = {"data_step1": D(2025, 2, 1), "data_step2": D(2025, 2, 10), "data_step3": D(2025, 2, 20)}
    interventi = [
        # STEP 4 workers: W1 has its measure 10 days after STEP 4, W4 (GOL) only a dote of another measure.
        _intervento("DUL-W1", DUL, "W1", "AZ1", data_assegnazione=D(2025, 3, 11), importo_speso=30_000),
        _intervento("FC-W2", FC, "W2", "AZ1", data_assegnazione=D(2025, 3, 21), importo_assegnato=200_000,
                    importo_speso=200_000),  # at the cap, spent all: clean
        _intervento("DUL-W4", DUL, "W4", "AZ1", data_assegnazione=D(2025, 3, 5)),
        # One row per rule:
        _intervento("FC-OLTRE", FC, "X1", "AZ4", importo_assegnato=210_000),
        _intervento("DUL-SPESO", DUL, "X2", "AZ4", importo_speso=100_001),
        _intervento("DUL-A", DUL, "X3", "AZ4", data_avvio=D(2025, 3, 1), data_fine=D(2025, 6, 30)),
        _intervento("DUL-B", DUL, "X3", "AZ4", data_assegnazione=D(2025, 6, 1), data_avvio=D(2025, 6, 1)),
        # Two doti one after the other: not at the same time.
        _intervento("DUL-C", DUL, "X4", "AZ4", data_assegnazione=D(2024, 1, 10), data_avvio=D(2024, 1, 10),
                    data_fine=D(2024, 6, 30)),
        _intervento("DUL-D", DUL, "X4", "AZ4", data_assegnazione=D(2024, 7, 1)),
        _intervento("GOL-2024", GOL, "X5", "AZ4", data_assegnazione=D(2024, 5, 1), importo_assegnato=50_000),
    ]  # fmt: skip
    # Companies' Formazione Continua: AZ3 above 50.000 € (26 × 2.000 €), AZ2 exactly at it (25 × 2.000 €).
    for azienda, quanti in (("AZ3", 26), ("AZ2", 25)):
        interventi += [
            _intervento(f"FC-{azienda}-{i:02d}", FC, f"{azienda}-F{i:02d}", azienda, importo_assegnato=200_000)
            for i in range(quanti)
        ]
    # Projects: one clean at the limits (10 workers, 3 companies, one sector), then one per rule.
    pulito = _progetto("PR-OK", ["AZ1", "AZ2", "AZ3"], 10)
    pulito[0] |= {"data_fine": D(2025, 4, 30), "esito_180": "occupato", "importo_risultato": 190_000}  # over 1.835
    pulito[1] |= {"data_fine": D(2025, 4, 30), "esito_180": "autoimpiego", "importo_risultato": 386_000}  # at cap
    interventi += pulito
    interventi += _progetto("PR-PICCOLO", ["AZ1"], 9)
    interventi += _progetto("PR-AZIENDE", ["AZ1", "AZ2", "AZ3", "AZ5"], 10)
    interventi += _progetto("PR-SETTORI", ["AZ1", "AZ4"], 10)
    aziende = [
        {"codice_azienda": c, "ragione_sociale": f"Azienda {c}", "ateco_codice": ateco, "ateco_descrizione": "x"}
        for c, ateco in (("AZ1", "25.11"), ("AZ2", "25"), ("AZ3", "25.62"), ("AZ4", "13"), ("AZ5", "25"))
    ]
    return {
        "aziende": aziende,
        "unita_produttive": [{"codice_unita": "UP1", "codice_azienda": "AZ1", "codice_comune": "016024"}],
        "procedure": [
            {
                "codice_procedura": "P1",
                "codice_azienda": "AZ1",
                "tipo": "CIGS_MIN",
                "linea_guida": "A",
                "anno": 2025,
                "data_inizio": D(2025, 1, 10),
                "stato": "in corso",
            }
        ],
        "procedure_unita": [{"codice_procedura": "P1", "codice_unita": "UP1", "lavoratori": 5}],
        "operatori": [
            {
                "codice_operatore": "OP1",
                "denominazione": "Operatore Uno",
                "sigla_provincia": "BG",
                "accreditamento": "lavoro",
            }
        ],
        "lavoratori": [
            {
                "id_lavoratore": "W1",
                "codice_procedura": "P1",
                "codice_unita": "UP1",
                **step,
                "data_step4": D(2025, 3, 1),
                "misura_pal": DUL,
            },
            {
                "id_lavoratore": "W2",
                "codice_procedura": "P1",
                "codice_unita": "UP1",
                **step,
                "data_step4": D(2025, 3, 1),
                "misura_pal": FC,
            },
            {
                "id_lavoratore": "W3",
                "codice_procedura": "P1",
                "codice_unita": "UP1",
                **step,
                "data_step4": D(2025, 3, 1),
                "misura_pal": DUL,
            },
            {
                "id_lavoratore": "W4",
                "codice_procedura": "P1",
                "codice_unita": "UP1",
                **step,
                "data_step4": D(2025, 3, 1),
                "misura_pal": GOL,
            },
            {"id_lavoratore": "W5", "codice_procedura": "P1", "codice_unita": "UP1", **step},
        ],
        "dotazioni_misure": [{"misura": DUL, "dotazione": 1_000_000_00, "atto": "Decreto di prova"}],
        "progetti_rete": [
            {
                "codice_progetto": p,
                "titolo": f"Progetto {p}",
                "codice_operatore": "OP1",
                "sigla_provincia": "BG",
                "data_approvazione": D(2025, 2, 1),
            }
            for p in ("PR-OK", "PR-PICCOLO", "PR-AZIENDE", "PR-SETTORI")
        ],
        "interventi_pal": interventi,
    }


@pytest.fixture(scope="module")
def fixture_misure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The hand-made extracts, written as Italian Excel CSV files and loaded by the loader; a read-only engine."""
    cartella = tmp_path_factory.mktemp("misure")
    for nome, righe in _estratti().items():
        scrivi_csv(cartella / f"{nome}.csv", PER_NOME[nome], righe)
    db = cartella / "misure.db"
    carica(f"sqlite:///{db}", [cartella], data_estrazione=D(2026, 1, 15))
    engine = crea_engine(f"sqlite:///{db}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def controlli(fixture_misure: Engine) -> dict[str, pl.DataFrame]:
    return {c.codice: c.righe for c in letture.controlli(fixture_misure, SIGLE)}


@pytest.mark.parametrize(
    ("controllo", "colonna", "attesi"),
    [
        ("massimale_persona", "codice", {"FC-OLTRE", "PR-OK-00"}),  # the voucher, and the result-based services
        ("massimale_impresa", "codice_azienda", {"AZ3"}),
        ("progetti_piccoli", "codice", {"PR-PICCOLO"}),
        ("progetti_aziende", "codice", {"PR-AZIENDE"}),
        ("progetti_settori", "codice", {"PR-SETTORI"}),
        ("doti_sovrapposte", "codice", {"DUL-A"}),
        ("speso_oltre_assegnato", "codice", {"DUL-SPESO"}),
    ],
)
def test_each_check_finds_only_its_breaking_row(
    controlli: dict[str, pl.DataFrame], controllo: str, colonna: str, attesi: set[str]
) -> None:
    assert set(controlli[controllo][colonna]) == attesi


def test_breaking_rows_carry_what_breaks(controlli: dict[str, pl.DataFrame]) -> None:
    voucher = controlli["massimale_persona"].filter(pl.col("codice") == "FC-OLTRE").row(0, named=True)
    assert (voucher["assegnato_cent"], voucher["massimale_cent"]) == (210_000, 200_000)
    risultato = controlli["massimale_persona"].filter(pl.col("codice") == "PR-OK-00").row(0, named=True)
    assert (risultato["risultato_cent"], risultato["massimale_risultato_cent"]) == (190_000, 183_500)
    impresa = controlli["massimale_impresa"].row(0, named=True)
    assert (impresa["interventi"], impresa["assegnato_cent"], impresa["massimale_cent"]) == (26, 5_200_000, 5_000_000)
    aziende = controlli["progetti_aziende"].row(0, named=True)
    assert (aziende["lavoratori"], aziende["aziende"], aziende["settori"]) == (10, 4, 1)
    settori = controlli["progetti_settori"].row(0, named=True)
    assert (settori["aziende"], settori["settori"]) == (2, 2)
    piccolo = controlli["progetti_piccoli"].row(0, named=True)
    assert piccolo["lavoratori"] == 9
    coppia = controlli["doti_sovrapposte"].row(0, named=True)
    assert (coppia["id_lavoratore"], coppia["codice_altro"]) == ("X3", "DUL-B")


@pytest.mark.parametrize("perimetro", [SIGLE, ("BG",), ("LC", "MI")])
def test_checks_and_projects_equal_the_direct_sql_on_the_fixture(fixture_misure: Engine, perimetro: tuple) -> None:
    """The rows the page reads from the loader's derived tables are the rows of the SQL over every record."""
    assert differenze(fixture_misure, perimetro) == {}


def test_the_perimeter_narrows_the_checks(fixture_misure: Engine) -> None:
    """Everything is in Bergamo: a Lecco perimeter finds nothing."""
    assert all(c.righe.is_empty() for c in letture.controlli(fixture_misure, ("LC",)))


def test_budget_arithmetic(fixture_misure: Engine) -> None:
    quadro = letture.quadro(fixture_misure, 2025, SIGLE)
    bilancio = {r["misura"]: r for r in vm.bilancio(quadro, regionale=True).iter_rows(named=True)}
    dul = bilancio[DUL]
    # DUL: W1, W4, X2 and X3 twice in 2025 (1.000 € each), X4 twice in 2024: 7.000 € over every year.
    assert dul["dotazione_cent"] == 1_000_000_00
    assert dul["impegnato_cent"] == 7 * 100_000
    assert dul["speso_cent"] == 30_000 + 100_001
    assert dul["residuo_cent"] == 1_000_000_00 - 7 * 100_000
    assert dul["quota_impegnata"] == pytest.approx(0.7)
    assert dul["impegnato_anno_cent"] == 5 * 100_000
    assert (dul["interventi"], dul["lavoratori"]) == (5, 4)
    # Azioni di Rete: the published 5.000.000 €, 39 workers at 1.000 € plus 1.900 € and 3.860 € of results.
    rete = bilancio[RETE]
    assert rete["dotazione_cent"] == 5_000_000_00
    assert rete["impegnato_cent"] == 39 * 100_000 + 190_000 + 386_000
    assert rete["quota_impegnata"] == pytest.approx((39 * 1_000 + 1_900 + 3_860) * 100 / 5_000_000)
    # Formazione Continua and GOL have no budget: nothing left to compute.
    assert bilancio[GOL]["dotazione_cent"] is None and bilancio[GOL]["residuo_cent"] is None
    # A province's perimeter shows no regional budget.
    assert vm.bilancio(quadro, regionale=False)["dotazione_cent"].is_null().all()


def test_step4_linkage(fixture_misure: Engine) -> None:
    """W1 and W2 have their measure (10 and 20 days after STEP 4), W4 only another one, W3 none; W5 is not at 4."""
    df = q.collegamento_step4(fixture_misure, 2025, SIGLE)
    per_misura = {r["misura"]: (r["step4"], r["con_intervento"], r["altra_misura"]) for r in df.iter_rows(named=True)}
    assert per_misura == {DUL: (2, 1, 0), FC: (1, 1, 0), GOL: (1, 0, 1)}
    giorni = {
        (r["misura"], r["giorni"]): r["lavoratori"]
        for r in q.ritardi_step4(fixture_misure, 2025, SIGLE).iter_rows(named=True)
    }
    assert giorni == {(DUL, 10): 1, (FC, 20): 1}


def test_years_compared(fixture_misure: Engine) -> None:
    quadro = letture.quadro(fixture_misure, 2025, SIGLE)
    confronto, anni = vm.confronto(quadro)
    assert anni == (2024, 2025)
    dul = confronto.filter(pl.col("misura") == DUL).row(0, named=True)
    # One worker in 2024 (X4, two doti): a small count, hidden with the change computed from it.
    assert (dul["lavoratori_2024"], dul["lavoratori_2024_soppresso"], dul["lavoratori_2025"]) == (None, "<3", 4)
    assert (dul["variazione"], dul["variazione_soppresso"]) == (None, "<3")
    assert vm.lavoratori_per_anno(quadro) == {2024: 2, 2025: 4 + 53 + 39}


# --- the demo ---------------------------------------------------------------------------------------------------------
def _sql(demo_db: Path, query: str) -> list[tuple]:
    with sqlite3.connect(demo_db) as conn:
        return conn.execute(query).fetchall()


def test_demo_totals_by_measure_equal_the_sql(engine: Engine, demo_db: Path) -> None:
    attesi = _sql(
        demo_db,
        "SELECT anno, misura, count(*), count(DISTINCT id_lavoratore), count(DISTINCT azienda_id), "
        "sum(assegnato_cent), coalesce(sum(speso_cent), 0), coalesce(sum(risultato_cent), 0) "
        "FROM intervento_pal GROUP BY anno, misura ORDER BY anno, misura",
    )
    assert [tuple(r) for r in q.totali(engine, SIGLE).iter_rows()] == attesi
    per_provincia = q.per_provincia(engine, (2025,), SIGLE)
    assert (
        int(per_provincia["interventi"].sum())
        == _sql(demo_db, "SELECT count(*) FROM intervento_pal WHERE anno = 2025")[0][0]
    )


@pytest.mark.parametrize("perimetro", [SIGLE, ("BG", "MI"), ("LC",)])
def test_demo_checks_and_projects_equal_the_direct_sql(engine: Engine, perimetro: tuple) -> None:
    assert differenze(engine, perimetro) == {}


def test_demo_every_step4_worker_has_a_record_of_its_measure(engine: Engine) -> None:
    df = q.collegamento_step4(engine, 2025, SIGLE)
    assert int(df["step4"].sum()) == 2232  # the published 51,0% of 4.377
    assert int(df["con_intervento"].sum()) == 2232
    assert int(df["altra_misura"].sum()) == 0


def test_demo_has_a_handful_of_breaches_for_every_check(engine: Engine) -> None:
    conteggi = {c.codice: c.righe.height for c in letture.controlli(engine, SIGLE)}
    assert all(1 <= n <= 3 for n in conteggi.values()), conteggi


def test_demo_dates_assignment_on_or_after_step4(engine: Engine) -> None:
    ist = q.ritardi_step4(engine, 2025, SIGLE)
    assert int(ist["giorni"].min()) >= 0
    assert int(ist["giorni"].max()) <= 60


def test_demo_months_add_up_to_the_year(engine: Engine) -> None:
    mesi = q.per_mese(engine, 2025, SIGLE)
    totali = q.totali(engine, SIGLE).filter(pl.col("anno") == 2025)
    assert int(mesi["interventi"].sum()) == int(totali["interventi"].sum())


def test_check_rows_read_as_italian_text(fixture_misure: Engine) -> None:
    """Euro whole and with the sign, dates GG/MM/AAAA, the year as a year."""
    c = next(x for x in letture.controlli(fixture_misure, SIGLE) if x.codice == "massimale_persona")
    testo = vm.per_schermo(c.righe.filter(pl.col("codice") == "FC-OLTRE"), vm.controllo_colonne(c)).row(0, named=True)
    assert (testo["Anno"], testo["Assegnato"], testo["Massimale"]) == ("2025", "2.100 €", "2.000 €")
    assert (testo["Assegnato il"], testo["Servizi a risultato"]) == ("01/03/2025", "n.d.")
