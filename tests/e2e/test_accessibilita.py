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
