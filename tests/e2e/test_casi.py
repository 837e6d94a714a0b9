"""Casi alta complessità in the browser: a selected row brings its detail into view, and the way back works."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page

from tests.e2e.conftest import controlla_pagina, screenshot, wait_for_app

CARICAMENTO_S = 90
RIGA_PX, INTESTAZIONE_PX = 35, 35  # the list's row and header heights (dashboard.components.casi)


def _in_vista(page: Page, selettore: str) -> bool:
    """True when the element's top edge is inside the window, below the app's top bar."""
    box = page.locator(selettore).first.bounding_box()
    altezza = (page.viewport_size or {"height": 0})["height"]
    return box is not None and 0 <= box["y"] < altezza - 40


def test_selecting_a_row_brings_the_detail_into_view_and_back(app_url: str, browser_page: Page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_url}/casi")
    wait_for_app(page, CARICAMENTO_S)
    controlla_pagina(page, "Casi alta complessità")
    elenco = page.locator('.st-key-casi_lista [data-testid="stDataFrame"]')
    elenco.scroll_into_view_if_needed()
    box = elenco.bounding_box()
    assert box is not None
    # The fourth row (AC-2025-19), by its selection box.
    page.mouse.click(box["x"] + 15, box["y"] + INTESTAZIONE_PX + RIGA_PX * 3 + RIGA_PX / 2)
    wait_for_app(page, CARICAMENTO_S)
    titolo = page.locator('.st-key-casi_dettaglio [data-testid="stHeading"] h2').first
    titolo.wait_for()
    assert titolo.inner_text().startswith("AC-2025-19 · ")
    page.wait_for_timeout(1800)  # the scrolling script's last retry
    assert _in_vista(page, '.st-key-casi_dettaglio [data-testid="stHeading"] h2')
    torna = page.get_by_role("button", name="Torna all'elenco")
    assert _in_vista(page, ".st-key-casi_torna")
    assert parse_qs(urlparse(page.url).query)["caso"] == ["AC-2025-19"]
    screenshot(page, "casi-dettaglio-1280")

    torna.click()
    wait_for_app(page, CARICAMENTO_S)
    page.wait_for_timeout(1800)
    assert page.locator(".st-key-casi_dettaglio").count() == 0
    assert "caso" not in parse_qs(urlparse(page.url).query)
    assert _in_vista(page, '.st-key-casi_lista [data-testid="stDataFrame"]')
    controlla_pagina(page, "Casi alta complessità")
