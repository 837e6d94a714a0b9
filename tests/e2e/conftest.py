"""Browser fixtures: the dashboard served by `streamlit run` on loopback, driven by Debian's headless Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bench import streamlit_ws

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1600, "height": 1000}
AVVIO_TIMEOUT_S = 60.0
RISCALDAMENTO_TIMEOUT_S = 180.0

# Server logs of this session, shown in the report of a failed browser test.
_LOG_SERVER: list[Path] = []


def porta_libera() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _coda(path: Path, righe: int = 60) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-righe:])
    except OSError:
        return "<log non disponibile>"


@contextlib.contextmanager
def server_streamlit(
    db_url: str,
    log_path: Path,
    *,
    porta: int | None = None,
    env_extra: dict[str, str] | None = None,
    opzioni: tuple[str, ...] = (),
) -> Iterator[str]:
    """Run `streamlit run dashboard/app.py` on a loopback port until the block ends; yield its base URL."""
    _LOG_SERVER.append(log_path)
    avvio = streamlit_ws.server_streamlit(db_url, log_path, porta, AVVIO_TIMEOUT_S, env_extra, opzioni)
    try:
        url = avvio.__enter__()
    except RuntimeError as exc:  # exited or never healthy: the test fails with the server's own words
        pytest.fail(f"{exc}\n{_coda(log_path)}")
    try:
        yield url
    finally:
        avvio.__exit__(None, None, None)


@pytest.fixture(scope="session")
def app_url(demo_url: str, browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the dashboard served on the session's demo database, shared by all browser tests."""
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    with server_streamlit(demo_url, log_path) as url:
        riscalda(browser, url)
        yield url


def riscalda(browser: Browser, url: str) -> None:
    """Open every page once, so the tests' own timeouts do not include the server's first imports."""
    context = browser.new_context(viewport=VIEWPORT, locale="it-IT")
    page = context.new_page()
    try:
        page.goto(url)
        wait_for_app(page, RISCALDAMENTO_TIMEOUT_S)
        for href in [a.get_attribute("href") for a in page.locator('[data-testid="stSidebarNavLink"]').all()]:
            if href:
                page.goto(href)
                wait_for_app(page, RISCALDAMENTO_TIMEOUT_S)
    except PlaywrightError:
        pass  # a page that does not load is reported by the tests themselves
    finally:
        context.close()


@pytest.fixture(scope="session")
def playwright_sync() -> Iterator[Playwright]:
    """The Playwright driver for the session."""
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_sync: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless; its absence fails the browser tests instead of skipping them."""
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run .ci/install-system-deps (Debian package chromium).")
    browser = playwright_sync.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def browser_page(browser: Browser) -> Iterator[Page]:
    """A fresh page (1600x1000, Italian locale); `page.errori` collects console errors and uncaught JS errors."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="it-IT")
    page = context.new_page()
    errori: list[str] = []
    page.on(
        "console",
        lambda msg: errori.append(f"console: {msg.text} ({msg.location.get('url')})") if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: errori.append(f"pageerror: {exc}"))
    page.errori = errori  # type: ignore[attr-defined]
    page.set_default_timeout(60_000)
    yield page
    context.close()


# The app has finished when its root reports a completed run, the main block is drawn and no status widget shows.
_APP_FERMA = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && document.querySelector('[data-testid="stMainBlockContainer"]') !== null
        && document.querySelector('[data-testid="stStatusWidget"]') === null
        && document.querySelector('[data-testid="stSkeleton"]') === null;
}"""


def wait_for_app(page: Page, timeout_s: float = 30) -> None:
    """Wait until the Streamlit app has finished running (checked twice, since a run may trigger a rerun)."""
    scadenza = time.monotonic() + timeout_s
    for _ in range(2):
        resto_ms = max(1000, (scadenza - time.monotonic()) * 1000)
        page.wait_for_function(_APP_FERMA, timeout=resto_ms, polling=100)
        page.wait_for_timeout(400)
    page.wait_for_function(_APP_FERMA, timeout=max(1000, (scadenza - time.monotonic()) * 1000), polling=100)


# Streamlit scrolls inside its main section, not the document: the page's real height is that section's.
_ALTEZZA = """() => {
    const main = document.querySelector('[data-testid="stMain"]') || document.scrollingElement;
    return Math.ceil(Math.max(main.scrollHeight, document.documentElement.clientHeight));
}"""


def errori_js(page: Page) -> list[str]:
    """The page's JavaScript errors, leaving out resources that failed to load (e.g. web fonts without network)."""
    return [e for e in page.errori if "Failed to load resource" not in e]  # type: ignore[attr-defined]


def controlla_pagina(page: Page, titolo: str) -> None:
    """Assert the page ran without exceptions, error boxes or JavaScript errors, inside the shared frame."""
    controlla_errori(page, titolo)
    controlla_cornice(page, titolo)


def controlla_errori(page: Page, titolo: str) -> None:
    """Assert the page ran without exceptions, error boxes or JavaScript errors, and shows a title."""
    eccezioni = page.locator('[data-testid="stException"]')
    assert eccezioni.count() == 0, f"exception on {titolo}: {eccezioni.first.inner_text()[:2000]}"
    errori = page.locator('[data-testid="stAlertContentError"]')
    assert errori.count() == 0, f"error box on {titolo}: {errori.first.inner_text()}"
    assert errori_js(page) == []
    assert page.locator('[data-testid="stMain"] h1').count() >= 1, f"no title on {titolo}"


def controlla_cornice(page: Page, titolo: str) -> None:
    """Assert the shared frame is drawn: sidebar filters, 'Dati al' banner, the page's menu item active, a title."""
    assert "Dati al 15 gennaio 2026" in page.locator(".banner-dati").inner_text()
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("Filtri", exact=True).is_visible()
    for filtro in ("Anno", "Province", "Tipo di procedura"):
        assert sidebar.get_by_role("combobox", name=filtro).is_visible(), f"filter {filtro} missing on {titolo}"
    attiva = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    assert attiva.inner_text().splitlines()[-1] == titolo
    assert page.locator('[data-testid="stMain"] h1').count() >= 1, f"no title on {titolo}"


def filtri_sidebar(page: Page) -> tuple[str, list[str]]:
    """The year shown in the sidebar and the province chips selected (empty: all provinces)."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    anno = sidebar.get_by_role("combobox", name="Anno").input_value()
    province = sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Province")
    return anno, [t.get_attribute("title") or "" for t in province.locator("[data-tag] span[title]").all()]


def scarica(page: Page, bottone: str | Locator, cartella: Path, timeout_ms: float | None = None) -> Path:
    """Click a download button (a locator, or a download button's label) and return the saved file (page timeout)."""
    if isinstance(bottone, str):
        bottone = page.locator('[data-testid="stDownloadButton"]').filter(has_text=bottone)
    with page.expect_download(timeout=timeout_ms) as info:
        bottone.click()
    download = info.value
    assert download.failure() is None
    path = cartella / download.suggested_filename
    download.save_as(path)
    return path


def screenshot(page: Page, name: str) -> Path:
    """Save a whole-page PNG to screenshots/NAME.png at the repo root (git-ignored) and return its path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size or VIEWPORT
    altezza = min(int(page.evaluate(_ALTEZZA)), 12_000)
    if altezza > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": altezza})
        page.wait_for_timeout(500)  # charts re-layout to the new size
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(viewport)
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test."""
    qui = Path(__file__).parent
    for item in items:
        if qui in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Attach the tail of the Streamlit server logs and the page's errors to a failed browser test."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    for path in _LOG_SERVER:
        report.sections.append((f"streamlit log {path}", _coda(path)))
    page = getattr(item, "funcargs", {}).get("browser_page")
    if page is not None and getattr(page, "errori", None):
        report.sections.append(("browser errors", "\n".join(page.errori)))
