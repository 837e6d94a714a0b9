"""Misure PAL in Chromium: the page draws its charts, and the budget table downloads with the database's figures."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.conftest import controlla_pagina, screenshot, wait_for_app
from tests.e2e.test_download import BOM

CARICAMENTO_S = 90


def test_page_draws_and_its_budget_table_downloads(
    app_url: str, browser_page: Page, demo_db: Path, tmp_path: Path
) -> None:
    page = browser_page
    page.goto(f"{app_url}/misure")
    wait_for_app(page, CARICAMENTO_S)
    controlla_pagina(page, "Misure PAL")
    screenshot(page, "misure")
    grafico = page.locator('[data-testid="stPlotlyChart"]').first
    grafico.locator("svg.main-svg").first.wait_for(state="visible")
    # Committed and spent for the four measures, and the four budget lines.
    assert grafico.locator("g.trace.bars g.point").count() == 8
    # The chart's title is page text above it, so that it wraps on narrow screens.
    assert "della dotazione" in (page.locator(".titolo-grafico-testo").first.text_content() or "")

    # The download of the budgets' table, found by its widget key (every button of the page reads the same).
    with page.expect_download() as info:
        page.locator(".st-key-misure_bilancio_download button").click()
    assert info.value.failure() is None
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert "dotazioni" in path.name.lower() and path.suffix == ".csv", path.name
    testo = path.read_bytes().decode("utf-8")
    assert testo.startswith(BOM)
    righe = {r["Misura"]: r for r in csv.DictReader(io.StringIO(testo.removeprefix(BOM)), delimiter=";")}
    assert list(righe) == ["Dote Unica Lavoro", "Formazione Continua", "GOL", "Azioni di Rete"]
    with sqlite3.connect(demo_db) as conn:
        impegnato = dict(
            conn.execute(
                "SELECT misura, sum(assegnato_cent) + coalesce(sum(risultato_cent), 0) FROM intervento_pal GROUP BY 1"
            ).fetchall()
        )
    for misura, riga in righe.items():
        # Italian Excel: decimal comma, no thousands separator, euro with cents.
        assert float(riga["Impegnato (tutte le annualità)"].replace(",", ".")) == impegnato[misura] / 100
    assert float(riga["Dotazione"].replace(",", ".")) == 5_000_000  # Azioni di Rete: the published 5.000.000 €
