"""The maps page in headless Chromium with the network closed: the map draws, tooltips read, a click filters."""

from __future__ import annotations

import io

from PIL import Image
from playwright.sync_api import Locator, Page, Route

from dashboard import geo, tema
from tests.e2e.conftest import errori_js, filtri_sidebar, screenshot, wait_for_app

CARICAMENTO_S = 120
LOCALI = ("http://127.0.0.1", "ws://127.0.0.1", "http://localhost", "ws://localhost")
# Points at least 0,12° inside their province and away from its label (lon, lat).
DENTRO = {"MI": (8.97, 45.45), "SO": (9.85, 46.19)}


def _chiudi_rete(page: Page) -> list[str]:
    """Abort every request that leaves the machine, as the Region's intranet does; return where they went."""
    bloccate: list[str] = []

    def instrada(route: Route) -> None:
        if route.request.url.startswith(LOCALI):
            route.continue_()
        else:
            bloccate.append(route.request.url)
            route.abort()

    page.route("**/*", instrada)
    return bloccate


def _apri(page: Page, url: str) -> Locator:
    page.goto(url)
    wait_for_app(page, CARICAMENTO_S)
    tela = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    tela.wait_for(state="visible")
    page.wait_for_timeout(1000)  # deck.gl draws on the next animation frames
    return tela


def _pixel(tela: Locator, lon: float, lat: float) -> tuple[float, float]:
    """Where a point falls on the page, by the Web Mercator projection deck.gl uses at the map's opening view."""
    box = tela.bounding_box()
    assert box is not None
    vista = geo.vista(*geo.CORNICE_PAGINA)
    scala = geo.TILE_PX * 2**vista.zoom
    (x, y), (cx, cy) = geo.mercatore(lon, lat), geo.mercatore(vista.lon, vista.lat)
    return box["x"] + box["width"] / 2 + (x - cx) * scala, box["y"] + box["height"] / 2 + (y - cy) * scala


def _atteso(colore: str) -> tuple[int, ...]:
    """A class colour as it shows on the white page with the fill's transparency."""
    *rgb, alfa = tema.rgb(colore, 235)
    return tuple(round(c * alfa / 255 + 255 * (1 - alfa / 255)) for c in rgb)


def _vicino(a: tuple[int, ...], b: tuple[int, ...], tolleranza: int = 12) -> bool:
    return all(abs(x - y) <= tolleranza for x, y in zip(a, b, strict=True))


def test_map_draws_offline_with_the_class_colours(app_url: str, browser_page: Page) -> None:
    page = browser_page
    bloccate = _chiudi_rete(page)
    tela = _apri(page, f"{app_url}/mappe")
    screenshot(page, "mappe")
    immagine = Image.open(io.BytesIO(tela.screenshot())).convert("RGB")
    # Not blank: most of the frame is province colour, in several classes.
    colori = immagine.getcolors(maxcolors=1_000_000) or []
    non_bianchi = sum(n for n, c in colori if c != (255, 255, 255))
    assert non_bianchi > 0.3 * immagine.width * immagine.height
    box = tela.bounding_box()
    assert box is not None

    def colore_in(sigla: str) -> tuple[int, ...]:
        px, py = _pixel(tela, *DENTRO[sigla])
        return immagine.getpixel((round(px - box["x"]), round(py - box["y"])))

    # Milano (3.226 workers) in the darkest class, Sondrio (33) in the lightest.
    assert _vicino(colore_in("MI"), _atteso(tema.SEQUENZIALE[-1])), colore_in("MI")
    assert _vicino(colore_in("SO"), _atteso(tema.SEQUENZIALE[0])), colore_in("SO")
    # Nothing was even asked of a tile or style server.
    assert not [u for u in bloccate if any(h in u for h in ("carto", "mapbox", "maplibre", "tile"))], bloccate
    assert errori_js(page) == []


def test_tooltip_reads_the_official_figure(app_url: str, browser_page: Page) -> None:
    page = browser_page
    _chiudi_rete(page)
    tela = _apri(page, f"{app_url}/mappe")
    page.mouse.move(*_pixel(tela, *DENTRO["MI"]))
    suggerimento = page.locator(".deck-tooltip")
    suggerimento.wait_for(state="visible")
    assert suggerimento.inner_text().splitlines() == [
        "Milano (MI)",
        "Lavoratori coinvolti: 3.226",
        "posizione 1 su 12",
    ]


def test_click_on_a_province_filters_the_dashboard(app_url: str, browser_page: Page) -> None:
    page = browser_page
    _chiudi_rete(page)
    tela = _apri(page, f"{app_url}/mappe")
    page.mouse.click(*_pixel(tela, *DENTRO["MI"]))
    page.wait_for_url("**prov=MI**")
    wait_for_app(page, CARICAMENTO_S)
    assert filtri_sidebar(page) == ("2025", ["Milano (MI)"])
    assert page.get_by_text("Anno 2025 · Milano · tutte le procedure").first.is_visible()
    screenshot(page, "mappe-milano")
    # The other pages follow the filter.
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Panoramica").click()
    wait_for_app(page, CARICAMENTO_S)
    assert "prov=MI" in page.url
    assert page.get_by_text("Anno 2025 · Milano · tutte le procedure").first.is_visible()
    # Back on the map, one button returns to all provinces.
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Mappe province").click()
    wait_for_app(page, CARICAMENTO_S)
    page.get_by_role("button", name="Tutte le province").click()
    wait_for_app(page, CARICAMENTO_S)
    assert "prov=" not in page.url
    assert filtri_sidebar(page) == ("2025", [])
    assert errori_js(page) == []


SCHERMI = ((1280, 720), (1366, 768), (1536, 864), (1920, 1080))


def _non_bianchi_sul_bordo(tela: Locator, spessore: int = 2) -> int:
    """Pixels of the canvas's outer ring that are not the white background: a province cut by the frame."""
    immagine = Image.open(io.BytesIO(tela.screenshot())).convert("L")
    w, h = immagine.size
    bordo = [
        immagine.getpixel((x, y))
        for x in range(w)
        for y in range(h)
        if x < spessore or y < spessore or x >= w - spessore or y >= h - spessore
    ]
    return sum(1 for v in bordo if v < 245)


def test_no_province_is_cut_by_the_frame_on_the_regions_screens(app_url: str, browser_page: Page) -> None:
    page = browser_page
    _chiudi_rete(page)
    for larghezza, altezza in SCHERMI:
        page.set_viewport_size({"width": larghezza, "height": altezza})
        for percorso in ("mappe", "tavolo?tavolo=LC&slide=4"):
            tela = _apri(page, f"{app_url}/{percorso}")
            assert _non_bianchi_sul_bordo(tela) == 0, (percorso, larghezza, altezza)
