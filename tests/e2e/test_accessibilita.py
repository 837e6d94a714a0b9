"""WCAG 2.1 AA in Chromium: axe-core on every page (expanders open, every tab, every tavolo slide), and the keyboard."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import ROOT, wait_for_app

AXE = ROOT / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAG_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPATTI_BLOCCANTI = {"serious", "critical"}
CARICAMENTO_S = 120


@dataclass(frozen=True)
class Eccezione:
    """A violation imposed by Streamlit's shell, which the app cannot change: rule, CSS selector, reason."""

    regola: str
    selettore: str
    motivo: str


# The only violations tolerated: each comes from markup Streamlit generates and the app cannot reach.
ECCEZIONI: tuple[Eccezione, ...] = ()


def _axe_pronto() -> Path:
    if not AXE.is_file():
        pytest.fail(f"axe-core not found at {AXE}: run `make test` (it installs axe-core from npm).", pytrace=False)
    return AXE


def _esclusa(regola: str, nodo: dict) -> bool:
    """True when the violating node matches an exception of the same rule (its selector, via the DOM)."""
    return any(e.regola == regola and nodo["_eccezione"] == e.selettore for e in ECCEZIONI)


_ESEGUI_AXE = """async ([tag, eccezioni]) => {
    const r = await axe.run(document, {runOnly: {type: 'tag', values: tag}, resultTypes: ['violations']});
    return r.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => {
            const el = document.querySelector(n.target[0]);
            const ecc = eccezioni.find(e => e[0] === v.id && el && (el.matches(e[1]) || el.closest(e[1])));
            return {target: n.target, html: n.html.slice(0, 200), summary: n.failureSummary,
                    _eccezione: ecc ? ecc[1] : null};
        }),
    }));
}"""


def violazioni(page: Page, dove: str) -> list[str]:
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as it is, less the exceptions."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(_axe_pronto()))
    trovate = page.evaluate(_ESEGUI_AXE, [TAG_WCAG, [[e.regola, e.selettore] for e in ECCEZIONI]])
    righe = []
    for v in trovate:
        if v["impact"] not in IMPATTI_BLOCCANTI:
            continue
        nodi = [n for n in v["nodes"] if not _esclusa(v["id"], n)]
        for n in nodi:
            righe.append(f"{dove}: {v['id']} ({v['impact']}) {json.dumps(n['target'])} {n['html']!r} — {n['summary']}")
    return righe


def apri_espansori(page: Page) -> None:
    """Open every closed, visible expander of the main area, so the tables behind the charts are checked too."""
    page.evaluate("""() => document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stExpander"] details:not([open]) > summary'
    ).forEach(s => { if (s.offsetParent !== null) s.click(); })""")
    page.wait_for_timeout(500)


def _pagine(page: Page, app_url: str) -> list[str]:
    page.goto(app_url)
    wait_for_app(page, CARICAMENTO_S)
    link = page.locator('[data-testid="stSidebarNavLink"]')
    return [h for h in (a.get_attribute("href") for a in link.all()) if h and "/tavolo" not in h]


def test_every_page_with_its_tabs_and_expanders_passes_axe(app_url: str, browser_page: Page) -> None:
    page = browser_page
    trovate: list[str] = []
    for href in _pagine(page, app_url):
        page.goto(href)
        wait_for_app(page, CARICAMENTO_S)
        nome = href.rsplit("/", 1)[-1] or "panoramica"
        apri_espansori(page)
        trovate += violazioni(page, nome)
        schede = page.locator('[data-testid="stMain"] [role="tab"]')
        for n in range(1, schede.count()):
            schede.nth(n).click()
            page.wait_for_timeout(300)
            apri_espansori(page)
            trovate += violazioni(page, f"{nome}, scheda {n + 1}")
    assert trovate == [], "\n".join(trovate)


def test_every_tavolo_slide_passes_axe(app_url: str, browser_page: Page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/tavolo")
    wait_for_app(page, CARICAMENTO_S)
    trovate: list[str] = []
    successiva = page.get_by_role("button", name="Successiva")
    n = 1
    while True:
        apri_espansori(page)
        trovate += violazioni(page, f"tavolo, slide {n}")
        if successiva.is_disabled():
            break
        successiva.click()
        n += 1
        page.wait_for_url(f"**slide={n}**")
        wait_for_app(page, CARICAMENTO_S)
    assert n >= 5, f"the regional deck has only {n} slides"
    assert trovate == [], "\n".join(trovate)


# Every visible download button of the page, by the last line of its label (its icon's name comes first).
_DOWNLOAD = """() => [...document.querySelectorAll('[data-testid="stDownloadButton"] button')]
    .filter(e => e.checkVisibility()).map(b => b.innerText.trim().split('\\n').pop())"""
# Record, as the focus moves, what receives it and whether its outline shows (2 px or more, on it or its select).
# A cell of the data grid is the exception: the grid draws the focused cell on its canvas, not as an outline.
_REGISTRA_FOCUS = """() => {
    window.__fuochi = [];
    document.addEventListener('focusin', (evento) => {
        const el = evento.target;
        const cella = el.tagName === 'TD' && el.closest('[data-testid="stDataFrame"]') !== null;
        const visibile = cella || [el, el.closest('[data-baseweb="select"]')].filter(Boolean).some(e => {
            const s = getComputedStyle(e);
            return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
        });
        const download = el.closest('[data-testid="stDownloadButton"]') !== null;
        const testo = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().split('\\n').pop();
        const inizio = el.closest('[data-testid="stSkipToContent"]') !== null;
        window.__fuochi.push({testo, visibile, download, inizio, tag: el.tagName});
    }, true);
}"""
GIRO_MASSIMO = 400  # Tab presses: a page with data grids takes one press per grid column


def download_da_tastiera(page: Page, dove: str) -> tuple[list[str], int]:
    """Tab from the top of the main area (the sidebar's filters are walked on Confronto) until every visible download
    has had a visible focus, or the focus is back at the top of the page."""
    download = page.evaluate(_DOWNLOAD)
    page.evaluate(_REGISTRA_FOCUS)
    page.evaluate("() => { window.scrollTo(0, 0); document.querySelector('[data-testid=\"stMain\"]').focus(); }")
    fuochi: list[dict] = []
    for _ in range(GIRO_MASSIMO // 5):
        for _ in range(5):
            page.keyboard.press("Tab")
        fuochi = page.evaluate("() => window.__fuochi")
        raggiunti = [f["testo"] for f in fuochi if f["download"]]
        if all(d in raggiunti for d in download) or any(f["inizio"] for f in fuochi):
            break
    raggiunti = [f["testo"] for f in fuochi if f["download"]]
    difetti = [f"{dove}: focus not visible on {f['tag']} {f['testo']!r}" for f in fuochi if not f["visibile"]]
    difetti += [f"{dove}: download {d!r} not reached by Tab" for d in download if d not in raggiunti]
    return difetti, len(download)


def test_every_page_in_italian_with_its_title_and_every_download_on_the_keyboard(
    app_url: str, browser_page: Page
) -> None:
    page = browser_page
    titoli, difetti, download = {}, [], 0
    for href in [*_pagine(page, app_url), f"{app_url}/tavolo"]:
        page.goto(href)
        wait_for_app(page, CARICAMENTO_S)
        page.wait_for_function("() => document.documentElement.lang === 'it'", timeout=10_000)
        titoli[href] = page.title()
        trovati, quanti = download_da_tastiera(page, href.rsplit("/", 1)[-1] or "panoramica")
        difetti += trovati
        download += quanti
    assert all(t.endswith(" — Cruscotto Crisi Lombardia") for t in titoli.values()), titoli
    assert len(set(titoli.values())) == len(titoli), titoli
    assert titoli[f"{app_url}/confronto"] == "Confronto anni — Cruscotto Crisi Lombardia"
    assert download >= 10, f"only {download} downloads on the pages"
    assert difetti == [], "\n".join(difetti)


# What the keyboard focus is on, and whether it shows: an outline of 2 px or more on it or on its select box.
_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const visibile = [el, el.closest('[data-baseweb="select"]')].filter(Boolean).some(e => {
        const s = getComputedStyle(e);
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    });
    const testo = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().split('\\n').pop();
    return {testo, visibile, tag: el.tagName};
}"""


def percorri(page: Page, massimo: int) -> list[dict]:
    """Press Tab from the top of the page up to `massimo` times; what received the focus, in order."""
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    visti = []
    for _ in range(massimo):
        page.keyboard.press("Tab")
        stato = page.evaluate(_FOCUS)
        if stato:
            visti.append(stato)
    return visti


def test_keyboard_reaches_filters_and_downloads_with_visible_focus(app_url: str, browser_page: Page) -> None:
    page = browser_page
    page.goto(f"{app_url}/confronto")
    wait_for_app(page, CARICAMENTO_S)
    visti = percorri(page, 80)
    nascosti = [v for v in visti if not v["visibile"]]
    assert nascosti == [], f"focus not visible on {nascosti}"
    testi = [v["testo"] for v in visti]
    for filtro in ("Anno", "Province", "Tipo di procedura"):
        assert any(filtro in t for t in testi), f"filter {filtro} not reached: {testi}"
    scarica = [n for n, v in enumerate(visti) if v["tag"] == "BUTTON" and "Scarica i dati" in v["testo"]]
    assert scarica, f"no download reached in 80 Tab presses: {testi}"
    assert scarica[0] < 40, f"the first download takes {scarica[0] + 1} Tab presses: {testi}"
    regione = [v for v in visti if v["tag"] == "DIV" and v["testo"].startswith("Lavoratori coinvolti per provincia")]
    assert regione, f"the scrollable official table is not reachable: {testi}"


def test_keyboard_reaches_every_slide_control_with_visible_focus(app_url: str, browser_page: Page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/tavolo?slide=2")
    wait_for_app(page, CARICAMENTO_S)
    visti = percorri(page, 40)
    nascosti = [v for v in visti if not v["visibile"]]
    assert nascosti == [], f"focus not visible on {nascosti}"
    testi = " | ".join(v["testo"] for v in visti)
    for comando in ("Esci", "Scarica PowerPoint", "Precedente", "Successiva"):
        assert comando in testi, f"{comando} not reached: {testi}"
    assert "Frecce sinistra e destra" in page.locator(".slide-numero").inner_text()
