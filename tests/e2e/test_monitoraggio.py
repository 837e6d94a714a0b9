"""Monitoraggio trimestrale in headless Chromium: the grid drawn, the grid and the reconciliation downloaded."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.conftest import controlla_pagina, scarica, screenshot, wait_for_app

NOME = "cruscotto_monitoraggio-{}_2025_dati-al-2026-01-15.{}"


def test_page_grid_and_downloads(app_url: str, browser_page: Page, tmp_path: Path) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_url}/monitoraggio")
    wait_for_app(page, 120)
    controlla_pagina(page, "Monitoraggio trimestrale")
    grafico = page.locator('[data-testid="stPlotlyChart"]').first
    grafico.wait_for(state="visible")
    titoli = " ".join(page.locator(".titolo-grafico").all_inner_texts())  # chart titles are page text above them
    assert "2025: 37 trimestri inviati su 38 (3 in ritardo), 1 mancante, 6 in attesa" in titoli
    screenshot(page, "monitoraggio-1366")

    griglia = scarica(page, page.locator(".st-key-mon_griglia_download button"), tmp_path)
    assert griglia.name == NOME.format("invii", "csv")
    righe = list(csv.DictReader(io.StringIO(griglia.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    assert len(righe) == 12 * 4
    pavia = next(r for r in righe if r["Sigla"] == "PV" and r["Trimestre"] == "3")
    assert (pavia["Stato"], pavia["Giorni di ritardo"], pavia["Scadenza"]) == ("Mancante", "77", "30/10/2025")
    assert sum(r["Stato"] == "Inviato in ritardo" for r in righe) == 3

    page.get_by_role("tab", name="Riconciliazione con i microdati").click()
    page.locator(".st-key-mon_ric_download button").wait_for()
    riconciliazione = scarica(page, page.locator(".st-key-mon_ric_download button"), tmp_path)
    assert riconciliazione.name == NOME.format("riconciliazione-province", "csv")
    testo = riconciliazione.read_text(encoding="utf-8-sig")
    righe = list(csv.DictReader(io.StringIO(testo, newline=""), delimiter=";"))
    milano = next(r for r in righe if r["Provincia"] == "Milano" and r["Voce"] == "PAL GOL" and r["Trimestre"] == "3")
    assert (milano["Differenza (Nucleo − microdati)"], milano["Esito"]) == ("6", "Da verificare")
    como = next(r for r in righe if r["Provincia"] == "Como" and r["Voce"] == "Presi in carico (STEP 1)"
                and r["Trimestre"] == "3")  # fmt: skip
    assert (como["Dichiarati dal Nucleo"], como["Dai microdati (modello a step)"]) == ("46", "83")
    screenshot(page, "monitoraggio-riconciliazione")
