"""Modalità tavolo in headless Chromium at projector size: paging with buttons and arrows, links, exit, download."""

from __future__ import annotations

import io
from pathlib import Path

from playwright.sync_api import Page
from pptx import Presentation

from tests.e2e.conftest import errori_js, screenshot, wait_for_app

PROIETTORE = {"width": 1920, "height": 1080}
CARICAMENTO_S = 120
TITOLI_LECCO = [
    "Tavolo bilaterale — Lecco",
    "Lecco, 2025: 375 lavoratori coinvolti, +77,7% sul 2024",
    "Lecco, 2024 → 2025. CIGS ministeriali: +66 lavoratori (+173,7%), la variazione maggiore",
    "Lecco nel 2025: 375 lavoratori coinvolti, 8ª provincia su 12 (3,2% del totale regionale)",
    "Lecco — PAL attivata per 80 lavoratori su 104: il 76,9%",
    "Lecco: nessun caso ad alta complessità aperto",
    "Lecco, monitoraggio 2025: 3 trimestri inviati su 3",
    "Fonti e note",
]


def _titolo(page: Page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text()


def _numero(page: Page) -> str:
    return page.locator(".slide-numero").inner_text().split("\n")[0].strip()  # the visible "3 / 8", not the keys hint


def _apri(page: Page, url: str) -> None:
    page.set_viewport_size(PROIETTORE)
    page.goto(url)
    wait_for_app(page, CARICAMENTO_S)


def _slide_intera(page: Page, indice: int) -> None:
    """The slide fits the projector: its last element ends above the fixed navigation bar."""
    contenuto = page.locator(".st-key-slide, .st-key-copertina").first.bounding_box()
    barra = page.locator(".st-key-tavolo_nav").bounding_box()
    assert contenuto and barra
    assert contenuto["y"] + contenuto["height"] <= barra["y"] + 1, f"slide {indice} runs under the navigation"
    assert barra["y"] + barra["height"] <= PROIETTORE["height"] + 1


def test_pages_through_the_lecco_deck_with_buttons(app_url: str, browser_page: Page) -> None:
    page = browser_page
    _apri(page, f"{app_url}/tavolo?tavolo=LC")
    # Projector frame: no sidebar, no toolbar, the filters written on the slide.
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stToolbar"]').is_visible()
    assert page.locator(".slide-testa").inner_text().startswith("Tavolo bilaterale — Lecco · Anno 2025 · Lecco")
    assert "Dati al 15/01/2026" in page.locator(".slide-testa").inner_text()
    precedente = page.get_by_role("button", name="Precedente")
    successiva = page.get_by_role("button", name="Successiva")
    assert precedente.is_disabled()
    for n, titolo in enumerate(TITOLI_LECCO, start=1):
        assert _titolo(page) == titolo
        assert _numero(page) == f"{n} / 8"
        assert f"slide={n}" in page.url and "tavolo=LC" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
        _slide_intera(page, n)
        screenshot(page, f"tavolo-lecco-{n}")
        if n < len(TITOLI_LECCO):
            successiva.click()
            page.wait_for_url(f"**slide={n + 1}**")
            wait_for_app(page, CARICAMENTO_S)
    assert successiva.is_disabled()
    precedente.click()
    page.wait_for_url("**slide=7**")
    wait_for_app(page, CARICAMENTO_S)
    assert _titolo(page) == TITOLI_LECCO[6]
    assert errori_js(page) == []


def test_keyboard_arrows_turn_the_slides(app_url: str, browser_page: Page) -> None:
    page = browser_page
    _apri(page, f"{app_url}/tavolo?tavolo=regionale&slide=2")
    assert _titolo(page) == "Lombardia, 2025: 11.800 lavoratori coinvolti, +23,5% sul 2024"
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**slide=3**")
    wait_for_app(page, CARICAMENTO_S)
    assert _numero(page) == "3 / 8"
    assert "in aumento in 7 province su 12" in _titolo(page)
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**slide=2**")
    wait_for_app(page, CARICAMENTO_S)
    assert _numero(page) == "2 / 8"
    page.keyboard.press("PageDown")  # what a presenter's clicker sends
    page.wait_for_url("**slide=3**")
    wait_for_app(page, CARICAMENTO_S)
    assert _numero(page) == "3 / 8"


def test_regional_map_and_cases_slides_at_projector_size(app_url: str, browser_page: Page) -> None:
    page = browser_page
    _apri(page, f"{app_url}/tavolo?tavolo=regionale&slide=4")
    assert page.locator('[data-testid="stDeckGlJsonChart"]').count() == 1
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(state="visible")
    assert "1.700 e oltre" in page.locator(".legenda-mappa").inner_text()
    _slide_intera(page, 4)
    screenshot(page, "tavolo-regionale-4")
    page.get_by_role("button", name="Successiva").click()
    page.wait_for_url("**slide=5**")
    wait_for_app(page, CARICAMENTO_S)
    screenshot(page, "tavolo-regionale-5")
    page.get_by_role("button", name="Successiva").click()
    page.wait_for_url("**slide=6**")
    wait_for_app(page, CARICAMENTO_S)
    tabella = page.locator('[data-testid="stTable"]')
    assert tabella.locator("tbody tr").count() == 8
    assert tabella.locator("tbody tr").first.locator("td").first.inner_text() == "Rosso"
    _slide_intera(page, 6)
    screenshot(page, "tavolo-regionale-6")


def test_unknown_link_value_shows_a_notice(app_url: str, browser_page: Page) -> None:
    page = browser_page
    _apri(page, f"{app_url}/tavolo?tavolo=ZZ&slide=abc")
    avvisi = page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts()
    assert any("Tavolo «ZZ» non riconosciuto" in a for a in avvisi)
    assert any("La slide «abc» non esiste" in a for a in avvisi)
    assert _titolo(page) == "Tavolo regionale"


def test_exit_goes_back_to_the_dashboard(app_url: str, browser_page: Page) -> None:
    page = browser_page
    _apri(page, f"{app_url}/tavolo?tavolo=LC&slide=3")
    page.get_by_role("link", name="Esci").click()
    page.wait_for_url(lambda url: "/tavolo" not in url)
    wait_for_app(page, CARICAMENTO_S)
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    assert _titolo(page) == "Panoramica 2025"


def test_download_the_deck_as_powerpoint(app_url: str, browser_page: Page) -> None:
    page = browser_page
    _apri(page, f"{app_url}/tavolo?tavolo=LC")
    with page.expect_download(timeout=180_000) as scaricamento:
        page.get_by_role("button", name="Scarica PowerPoint").click()
    download = scaricamento.value
    assert download.suggested_filename == "tavolo-LC-2025-dati-2026-01-15.pptx"
    prs = Presentation(io.BytesIO(Path(download.path()).read_bytes()))
    assert len(prs.slides) == 8
    testi = [s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame]
    assert "Lecco, 2025: 375 lavoratori coinvolti, +77,7% sul 2024" in testi
