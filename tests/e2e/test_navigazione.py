"""Every page of the navigation loads in a real browser, inside the shared frame, and the home draws its chart."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import controlla_errori, controlla_pagina, filtri_sidebar, screenshot, wait_for_app

# URL path -> title in the sidebar navigation, in menu order.
PAGINE = {
    "": "Panoramica",
    "confronto": "Confronto anni",
    "mappe": "Mappe province",
    "step-pal": "Step PAL",
    "casi": "Casi alta complessità",
    "misure": "Misure PAL",
    "monitoraggio": "Monitoraggio trimestrale",
    "tavolo": "Modalità tavolo",
    "esporta": "Esporta dati",
    "report": "Report bimestrale",
    "registro": "Registro download",
    "accessibilita": "Accessibilità",
}
# Pages shown full screen for a projector, without the sidebar: their own tests check their frame.
SCHERMO_INTERO = {"tavolo"}
CARICAMENTO_S = 90


def voci_menu(page: Page) -> list[tuple[str, str]]:
    """(URL path, title) of each link in the sidebar navigation."""
    return [
        (urlparse(link.get_attribute("href") or "").path.strip("/"), link.inner_text().splitlines()[-1])
        for link in page.locator('[data-testid="stSidebarNavLink"]').all()
    ]


def test_menu_lists_every_page(app_url: str, browser_page: Page) -> None:
    browser_page.goto(app_url)
    wait_for_app(browser_page, CARICAMENTO_S)
    assert voci_menu(browser_page) == list(PAGINE.items())


@pytest.mark.parametrize("percorso", PAGINE, ids=[p or "home" for p in PAGINE])
def test_page_loads_without_errors(app_url: str, browser_page: Page, percorso: str) -> None:
    browser_page.goto(f"{app_url}/{percorso}")
    wait_for_app(browser_page, CARICAMENTO_S)
    screenshot(browser_page, f"pagina-{percorso or 'panoramica'}")
    if percorso in SCHERMO_INTERO:
        controlla_errori(browser_page, PAGINE[percorso])
    else:
        controlla_pagina(browser_page, PAGINE[percorso])


def test_home_draws_its_chart(app_url: str, browser_page: Page) -> None:
    browser_page.goto(app_url)
    wait_for_app(browser_page, CARICAMENTO_S)
    grafico = browser_page.locator('[data-testid="stPlotlyChart"]').first
    grafico.locator("svg.main-svg").first.wait_for(state="visible")
    # Three procedure types, two years: six bars, labelled with the official 2025 figures.
    assert grafico.locator("g.trace.bars g.point").count() == 6
    etichette = grafico.locator("text.bartext").evaluate_all("els => els.map(e => e.textContent)")
    assert {"4.377", "2.620", "4.803"} <= set(etichette)
    # The title states the message above the chart, as page text that wraps.
    assert "Lavoratori coinvolti" in browser_page.locator(".titolo-grafico-testo").first.inner_text()


def test_menu_keeps_the_filters_across_pages(app_url: str, browser_page: Page) -> None:
    page = browser_page
    page.goto(f"{app_url}/?anno=2024&prov=BG")
    wait_for_app(page, CARICAMENTO_S)
    con_menu = [(p, t) for p, t in PAGINE.items() if p and p not in SCHERMO_INTERO]
    # Full-screen pages have no menu to leave them by: they come last.
    for percorso, titolo in [*con_menu, ("", "Panoramica"), *((p, PAGINE[p]) for p in SCHERMO_INTERO)]:
        page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=titolo).click()
        page.wait_for_url(f"{app_url}/{percorso}**")
        wait_for_app(page, CARICAMENTO_S)
        assert "anno=2024" in page.url and "prov=BG" in page.url, f"filters lost on {titolo}: {page.url}"
        if percorso in SCHERMO_INTERO:
            controlla_errori(page, titolo)
        else:
            controlla_pagina(page, titolo)
            assert filtri_sidebar(page) == ("2024", ["Bergamo (BG)"]), f"filters lost on {titolo}"
