"""Every page and every tavolo slide on the screens the Region has (1280×720 to 1920×1080), in headless Chromium.

Fails on a slide that scrolls, a visible text cut by its container or ending in "…", a plotly title wider than
its chart, a chart's text clipped at its figure's edge, an English string of the frame (Streamlit, plotly, the
data grid), an exception or a JavaScript error.
"""

from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import Browser, Page

from tests.e2e.conftest import SCREENSHOTS, errori_js, wait_for_app

SCHERMI = [(1280, 720), (1366, 768), (1536, 864), (1920, 1080)]
CARICAMENTO_S = 120
# What the frame says in English when it is not translated or hidden (visible text, tooltips, aria labels).
FRASI_INGLESI = [
    "Page not found",
    "You have requested page",
    "Download as CSV",
    "Download plot as a png",
    "Zoom in",
    "Zoom out",
    "Autoscale",
    "Reset axes",
    "Toggle Spike Lines",
    "Show closest data on hover",
    "Compare data on hover",
    "Box Select",
    "Lasso Select",
    "Produced with Plotly",
    "Search",
    "Fullscreen",
    "Show/hide columns",
    "Choose an option",
    "Clear all",
    "Selected values",
    "Remove ",
    "No results",
    "Running...",
    "Deploy",
    "Made with Streamlit",
    "Help for ",
    "Skip to main content",
    "Main menu",
    "Link to heading",
    "App pages",
    "Collapse sidebar",
    "Expand sidebar",
    "Sidebar",
    "Navigate to home page",
    "Copy to clipboard",
    "Choose date",
    " start date",
    " end date",
    "day, ",
    "month, ",
    "year, ",
    *("January", "February", "March", "April", "June", "July", "August", "September", "October", "November"),
    "December",
]
# Accessible names that are English only as a whole (as parts of a longer text they may be Italian or a name).
NOMI_INGLESI = {"Open", "Close", "Logo", "Stop", "Search", "Image", "image", "Chart", "Toolbar", "Menu"}

# Visible text cut: a node whose own text ends with "…" or whose box hides part of it (overflow + ellipsis).
_TESTI_TAGLIATI = """(radice) => {
    const fuori = [];
    const visibile = (el) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    for (const el of document.querySelectorAll(radice + ' *')) {
        if (el.closest('svg, canvas, [data-testid="stDataFrame"], script, style, [aria-hidden="true"]')) continue;
        const testi = Array.from(el.childNodes).filter((n) => n.nodeType === 3);
        const proprio = testi.map((n) => n.textContent).join('').trim();
        // Screen-reader text (.solo-lettori) is clipped to nothing on purpose, like the skip link: not a cut label.
        if (!proprio || !visibile(el) || el.closest('[data-testid="stSkipToContent"], .solo-lettori')) continue;
        if (proprio.endsWith('…') || proprio.endsWith('...')) { fuori.push('ends with …: ' + proprio); continue; }
        // The box that cuts may be the text's own or one of its near ancestors (e.g. a metric's label).
        for (let box = el, livello = 0; box && livello < 4; box = box.parentElement, livello++) {
            const s = getComputedStyle(box);
            const taglia = ['hidden', 'clip'].includes(s.overflowX) &&
                (s.textOverflow === 'ellipsis' || ['nowrap', 'pre'].includes(s.whiteSpace) || box === el);
            if (taglia && box.scrollWidth > box.clientWidth + 1) { fuori.push('cut by its box: ' + proprio); break; }
        }
        // A control's label pushed past the edge of a box that clips or scrolls it (a segmented control too narrow
        // for its options hides the last one's end: "Unità produttive coinv").
        if (el.closest('button, label, [role="tab"], [role="radio"], [data-testid="stMetric"]')) {
            const r = el.getBoundingClientRect();
            const limite = el.closest('[data-testid="stElementContainer"]') || document.body;
            for (let box = el.parentElement; box && box !== limite; box = box.parentElement) {
                if (getComputedStyle(box).overflowX === 'visible') continue;
                const b = box.getBoundingClientRect();
                if (r.right > b.right + 1 || r.left < b.left - 1) {
                    fuori.push('cut by a box around it: ' + proprio);
                    break;
                }
            }
        }
    }
    return fuori;
}"""

# A plotly title (or subtitle) wider than its chart, or drawn outside it.
_TITOLI_LARGHI = """() => {
    const fuori = [];
    for (const grafico of document.querySelectorAll('.js-plotly-plot')) {
        const box = grafico.getBoundingClientRect();
        if (box.width === 0) continue;
        for (const t of grafico.querySelectorAll('.g-gtitle text, text.gtitle, text.gtitle-subtitle')) {
            const r = t.getBoundingClientRect();
            if (r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1))
                fuori.push(`${t.textContent} (${Math.round(r.width)} px in ${Math.round(box.width)} px)`);
        }
    }
    return fuori;
}"""

# A chart's own text (ticks, labels on the bars, notes, legend) drawn past the edge of its figure is clipped there.
_TESTI_FUORI_GRAFICO = """() => {
    const fuori = [];
    for (const grafico of document.querySelectorAll('.js-plotly-plot')) {
        const box = grafico.getBoundingClientRect();
        if (box.width === 0 || !grafico.checkVisibility()) continue;
        for (const t of grafico.querySelectorAll('.main-svg text')) {
            if (t.closest('.hoverlayer') || !(t.textContent || '').trim()) continue;
            const r = t.getBoundingClientRect();
            if (r.width > 0 && (r.left < box.left - 2 || r.right > box.right + 2))
                fuori.push(`${t.textContent.trim()} (${Math.round(r.left - box.left)}..`
                    + `${Math.round(r.right - box.left)} px in ${Math.round(box.width)} px)`);
        }
    }
    return fuori;
}"""

# Every text a user can meet: visible text, and the accessible names and hints a screen reader announces (labels,
# tooltips, placeholders, alternative texts, values) of every rendered element not hidden from assistive technology.
_NOMI_ACCESSIBILI = ("data-title", "title", "aria-label", "placeholder", "alt", "aria-valuetext", "aria-description")
_TESTO_CORNICE = """(attributi) => {
    const nomi = [];
    for (const el of document.querySelectorAll(attributi.map((a) => `[${a}]`).join(', '))) {
        if (!el.checkVisibility() || el.closest('[aria-hidden="true"]')) continue;
        for (const nome of attributi) if (el.hasAttribute(nome)) nomi.push(el.getAttribute(nome).trim());
    }
    return {testo: document.body.innerText, nomi};
}"""

# A slide scrolls when the main section, or any box inside the slide, is taller than the room it has.
_SCORRIMENTI = """() => {
    const fuori = [];
    const main = document.querySelector('[data-testid="stMain"]');
    if (main && main.scrollHeight > main.clientHeight + 1)
        fuori.push(`page ${main.scrollHeight} > ${main.clientHeight}`);
    const barra = document.querySelector('.st-key-tavolo_nav');
    for (const el of document.querySelectorAll('.st-key-slide *, .st-key-copertina *')) {
        const r = el.getBoundingClientRect();
        if (barra && r.height > 0 && el.checkVisibility() && r.bottom > barra.getBoundingClientRect().top + 1
            && !el.children.length && (el.textContent || '').trim())
            fuori.push(`under the navigation: ${el.textContent.trim().slice(0, 60)}`);
        const s = getComputedStyle(el);
        if (['auto', 'scroll'].includes(s.overflowY) && el.scrollHeight > el.clientHeight + 1)
            fuori.push(`box ${el.className || el.tagName} ${el.scrollHeight} > ${el.clientHeight}`);
        if (['auto', 'scroll'].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1)
            fuori.push(`box ${el.className || el.tagName} ${el.scrollWidth} > ${el.clientWidth} (wide)`);
    }
    return fuori;
}"""


def _difetti(page: Page, radice: str) -> list[str]:
    """Everything wrong on the page as a user sees it now."""
    difetti = [f"text {t}" for t in page.evaluate(_TESTI_TAGLIATI, radice)]
    difetti += [f"plotly title too wide: {t}" for t in page.evaluate(_TITOLI_LARGHI)]
    difetti += [f"chart text clipped at the figure's edge: {t}" for t in page.evaluate(_TESTI_FUORI_GRAFICO)]
    difetti += [f"English in the frame: {f!r}" for f in frasi_inglesi(page)]
    eccezioni = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    if eccezioni.count():
        difetti.append(f"exception: {eccezioni.first.inner_text()[:500]}")
    difetti += [f"javascript: {e}" for e in errori_js(page)]
    return difetti


def frasi_inglesi(page: Page) -> list[str]:
    """The frame's English phrases in the page's text or in its accessible names, and English names as a whole."""
    cornice = page.evaluate(_TESTO_CORNICE, list(_NOMI_ACCESSIBILI))
    tutto = "\n".join([cornice["testo"], *cornice["nomi"]])
    return [f for f in FRASI_INGLESI if f in tutto] + sorted(NOMI_INGLESI & set(cornice["nomi"]))


def _foto(page: Page, nome: str) -> None:
    """The screen as the user sees it, into screenshots/ (not versioned)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{nome}.png"))


def _per_ogni_schermo(page: Page, nome: str, radice: str, scorrimento: bool) -> list[str]:
    """Resize the window through the four screens; the defects found on each, named by screen."""
    trovati: list[str] = []
    for larghezza, altezza in SCHERMI:
        page.set_viewport_size({"width": larghezza, "height": altezza})
        page.wait_for_timeout(700)  # charts and columns re-layout to the new width
        difetti = _difetti(page, radice) + (
            [f"slide scrolls: {s}" for s in page.evaluate(_SCORRIMENTI)] if scorrimento else []
        )
        _foto(page, f"schermo-{nome}-{larghezza}x{altezza}")
        trovati += [f"{nome} at {larghezza}×{altezza}: {d}" for d in difetti]
    return trovati


def _nuova_pagina(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="it-IT", accept_downloads=True)
    page = context.new_page()
    page.errori = []  # type: ignore[attr-defined]
    page.on("console", lambda m: page.errori.append(f"console: {m.text}") if m.type == "error" else None)  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errori.append(f"pageerror: {e}"))  # type: ignore[attr-defined]
    page.set_default_timeout(60_000)
    return page


def test_every_page_and_slide_reads_right_on_every_screen(app_url: str, browser: Browser) -> None:
    page = _nuova_pagina(browser)
    difetti: list[str] = []
    try:
        page.goto(app_url)
        wait_for_app(page, CARICAMENTO_S)
        percorsi = [
            urlparse(a.get_attribute("href") or "").path.strip("/")
            for a in page.locator('[data-testid="stSidebarNavLink"]').all()
        ]
        assert len(percorsi) >= 7
        for percorso in [p for p in percorsi if p != "tavolo"]:
            page.goto(f"{app_url}/{percorso}")
            wait_for_app(page, CARICAMENTO_S)
            difetti += _per_ogni_schermo(page, percorso or "panoramica", '[data-testid="stAppViewContainer"]', False)
        page.goto(f"{app_url}/panoramica")  # the old link of the home page
        wait_for_app(page, CARICAMENTO_S)
        difetti += [f"/panoramica: {d}" for d in _difetti(page, "body") if "English" in d]
        if not page.locator('[data-testid="stMain"] h1').first.inner_text().startswith("Panoramica"):
            difetti.append("/panoramica does not reach the home page")
        page.goto(f"{app_url}/tavolo?tavolo=regionale&slide=1")
        wait_for_app(page, CARICAMENTO_S)
        totale = int(page.locator(".slide-numero").inner_text().split("\n")[0].split("/")[1])  # "1 / 8"
        for n in range(1, totale + 1):
            difetti += _per_ogni_schermo(page, f"tavolo-{n}", '[data-testid="stMain"]', True)
            if n < totale:
                page.locator(".st-key-tavolo_succ button").click()
                page.wait_for_url(f"**slide={n + 1}**")
                wait_for_app(page, CARICAMENTO_S)
    finally:
        page.context.close()
    assert difetti == [], "\n".join(difetti)
