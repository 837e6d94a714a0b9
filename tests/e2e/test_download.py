"""Esporta dati in Chromium: each download button gives the file described, with the database's figures."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from playwright.sync_api import Page
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from dashboard import exports
from data_access.schema import lavoratore, procedura_unita
from tests.e2e.conftest import scarica, screenshot, wait_for_app

BOM = "\ufeff"


def _lavoratori(engine: Engine, anno: int, province: list[str] | None = None, tipi: list[str] | None = None) -> int:
    """Workers in the official-table cells, straight from the database."""
    pu = procedura_unita.c
    stmt = select(func.sum(pu.lavoratori)).where(pu.anno == anno)
    if province:
        stmt = stmt.where(pu.sigla_provincia.in_(province))
    if tipi:
        stmt = stmt.where(pu.tipo.in_(tipi))
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def _apri(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Si è verificato un errore imprevisto").count() == 0


def test_each_button_downloads_the_official_table(
    app_url: str, browser_page: Page, engine: Engine, tmp_path: Path
) -> None:
    _apri(browser_page, f"{app_url}/esporta")
    screenshot(browser_page, "esporta")
    atteso = _lavoratori(engine, 2025)
    assert atteso == 11800
    nome = "cruscotto_procedure-per-provincia_2025_dati-al-2026-01-15"

    csv_it = scarica(browser_page, exports.FORMATI["csv_it"], tmp_path)
    assert csv_it.name == f"{nome}.csv"
    testo = csv_it.read_bytes().decode("utf-8")
    assert testo.startswith(BOM)
    righe = list(csv.reader(io.StringIO(testo.removeprefix(BOM), newline=""), delimiter=";"))
    intestazione = righe[0]
    assert intestazione[:5] == ["Anno", "Tipo di procedura", "Linee guida", "Sigla", "Provincia"]
    col = intestazione.index("Lavoratori coinvolti")
    assert sum(int(r[col]) for r in righe[1:]) == atteso
    peso = intestazione.index("Peso % lavoratori")
    assert next(r[peso] for r in righe[1:] if r[3] == "MI" and r[1] == "Licenziamenti collettivi") == "42,3"

    plain = scarica(browser_page, exports.FORMATI["csv"], tmp_path / "plain")
    assert plain.name == f"{nome}_csv-standard.csv"  # a name of its own beside the Italian CSV
    df = pl.read_csv(plain)
    assert df["Lavoratori coinvolti"].sum() == atteso
    assert df.schema["Peso % lavoratori"] == pl.Float64

    xlsx = scarica(browser_page, exports.FORMATI["xlsx"], tmp_path)
    assert xlsx.name == f"{nome}.xlsx"
    wb = openpyxl.load_workbook(xlsx)
    dati = list(wb.worksheets[0].iter_rows(values_only=True))
    col = dati[0].index("Lavoratori coinvolti")
    assert sum(r[col] for r in dati[1:]) == atteso
    info = dict(wb[exports.FOGLIO_CONTESTO].iter_rows(values_only=True))
    assert info["Filtri"] == "Anno 2025 · tutte le province · tutte le procedure"
    assert info["Data di estrazione"].date().isoformat() == "2026-01-15"


def test_link_with_filters_downloads_just_that_selection(
    app_url: str, browser_page: Page, engine: Engine, tmp_path: Path
) -> None:
    _apri(browser_page, f"{app_url}/esporta?anno=2024&prov=MI,BG&tipo=LIC&dataset=procedure")
    xlsx = scarica(browser_page, exports.FORMATI["xlsx"], tmp_path)
    assert xlsx.name == "cruscotto_procedure-per-provincia_2024_BG-MI_LIC_dati-al-2026-01-15.xlsx"
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Procedure per provincia", exports.FOGLIO_CONTESTO]  # named after what it holds
    dati = list(wb.worksheets[0].iter_rows(values_only=True))
    assert [r[3] for r in dati[1:]] == ["BG", "MI"]
    col = dati[0].index("Lavoratori coinvolti")
    assert sum(r[col] for r in dati[1:]) == _lavoratori(engine, 2024, ["BG", "MI"], ["LIC"]) == 616 + 2191
    info = dict(wb[exports.FOGLIO_CONTESTO].iter_rows(values_only=True))
    assert info["Filtri"] == "Anno 2024 · Bergamo, Milano · Licenziamenti collettivi"


def test_step_download_is_suppressed_and_adds_up(
    app_url: str, browser_page: Page, engine: Engine, tmp_path: Path
) -> None:
    _apri(browser_page, f"{app_url}/esporta?dataset=step")
    screenshot(browser_page, "esporta-step")
    path = scarica(browser_page, exports.FORMATI["csv_it"], tmp_path)
    assert path.name == "cruscotto_step-pal-per-provincia_2025_dati-al-2026-01-15.csv"
    righe = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    per_sigla = {r[1]: dict(zip(righe[0], r, strict=True)) for r in righe[1:]}
    assert [per_sigla["CR"][s] for s in ("STEP 1", "STEP 2", "STEP 3", "STEP 4", "NO PAL")] == ["<3"] * 5
    lv = lavoratore.c
    with engine.connect() as conn:
        step4 = conn.execute(
            select(func.count()).where(lv.anno == 2025, lv.tipo == "CIGS_MIN", lv.stato_step == "STEP4")
        ).scalar_one()
    assert per_sigla["TOT"]["STEP 4"] == str(step4) == "2232"
    assert per_sigla["TOT"]["Totale"] == "4377"
    # Every shown count is a whole number or a suppression label, never a revealing figure below 3.
    for r in righe[1:]:
        for cella in r[3:8]:
            assert cella in ("<3", "riservato") or cella == "0" or int(cella) >= 3


@pytest.mark.parametrize("dataset", ["casi", "tavoli"])
def test_lists_download_as_xlsx(app_url: str, browser_page: Page, tmp_path: Path, dataset: str) -> None:
    _apri(browser_page, f"{app_url}/esporta?dataset={dataset}")
    path = scarica(browser_page, exports.FORMATI["xlsx"], tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    righe = list(ws.iter_rows(values_only=True))
    assert len(righe) - 1 == (20 if dataset == "casi" else 25)
    data_col = righe[0].index("Aperto il" if dataset == "casi" else "Data")
    assert all(ws.cell(i + 2, data_col + 1).is_date for i in range(len(righe) - 1))
