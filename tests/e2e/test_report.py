"""Report bimestrale in Chromium: the page prepares Lecco's report and both downloads are the files described."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import openpyxl
from playwright.sync_api import Page

from tests.conftest import Generati
from tests.e2e.conftest import scarica, screenshot, wait_for_app


def test_report_di_lecco_dalla_pagina(
    app_url: str, browser_page: Page, report_generati: Generati, tmp_path: Path
) -> None:
    browser_page.goto(f"{app_url}/report?periodo=2025-11&territorio=LC")
    wait_for_app(browser_page)
    assert browser_page.locator('[data-testid="stException"]').count() == 0
    assert browser_page.get_by_text("Provincia di Lecco — novembre–dicembre 2025").count() == 1
    browser_page.get_by_role("button", name="Prepara il PDF e l'allegato XLSX").click()
    browser_page.get_by_text("Report pronto.").wait_for(timeout=240_000)
    screenshot(browser_page, "report")
    pdf = scarica(browser_page, "Scarica il PDF", tmp_path, 120_000)
    xlsx = scarica(browser_page, "Scarica l'allegato XLSX", tmp_path, 120_000)
    assert pdf.name == "report-bimestrale_2025-11_LC_dati-al-2026-01-15.pdf"
    assert xlsx.name == "report-bimestrale_2025-11_LC_dati-al-2026-01-15.xlsx"
    # The page's files are the command line's, byte for byte (same data, same rule, same dates).
    for scaricato in (pdf, xlsx):
        atteso = report_generati.cartella / scaricato.name
        assert hashlib.sha256(scaricato.read_bytes()).digest() == hashlib.sha256(atteso.read_bytes()).digest()
    testo = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    testo = " ".join(testo.split())  # the title may wrap between words
    assert "Provincia di Lecco" in testo and "Pagina 1 di" in testo
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "CIGS in corso"
