"""Hostile text from the database and from the link is shown as typed on every page: never as Markdown or HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import testo
from dashboard.components import casi
from tests.conftest import ROOT, esegui_app
from tests.ostile import CASO, HTML_ATTIVO, INVISIBILE, LINK, MARKDOWN_ATTIVO, NOME, db_ostile

PAGINE = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
# The app's own script that sets the page's language and title (components.documento), with no markup inside.
SCRIPT_DOCUMENTO = re.compile(
    r'<script>document\.documentElement\.lang = "it"; document\.title = "[^"<>\\]*(\\u[0-9a-f]{4}[^"<>\\]*)*";</script>'
)
EXTRA = {"casi.py": {"caso": CASO}, "tavolo.py": {"slide": "6"}}


@pytest.fixture(scope="module")
def url_ostile(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{db_ostile(demo_db, tmp_path_factory.mktemp('ostile'))}"


def _sorgenti(at: AppTest) -> tuple[list[str], list[str], list[str]]:
    """What the page hands to the browser: Markdown sources, HTML bodies, plotly specs (with table cells)."""
    markdown = [e.value for kind in ("markdown", "caption", "title", "header", "subheader") for e in at.get(kind)]
    markdown += [e.proto.body for kind in ("warning", "info", "error", "success") for e in at.get(kind)]
    markdown += [e.proto.help for e in at.get("metric")] + [e.proto.label for e in at.get("metric")]
    for tabella in at.table:
        markdown += [str(v) for v in tabella.value.to_numpy().ravel()]
    propri = {
        (ROOT / "assets" / nome).read_text(encoding="utf-8").strip()
        for nome in ("tavolo.js", "tavolo.css", "cornice.js")
    }
    # The Casi page's scrolling scripts: constants and a counter, nothing from the data.
    propri |= {casi.script_in_vista(chiave, 1) for chiave in casi.CONTENITORI}
    html = [
        e.proto.body
        for e in at.get("html")
        if re.sub(r"^<script>/\* \d+ \*/", "<script>/* 1 */", e.proto.body.strip()) not in propri
        and not SCRIPT_DOCUMENTO.fullmatch(e.proto.body.strip())
    ]
    grafici = [e.proto.spec for e in at.get("plotly_chart")]
    return markdown, html, grafici


@pytest.mark.parametrize("pagina", PAGINE)
def test_hostile_text_is_inert_on_every_page(pagina: str, url_ostile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRUSCOTTO_DB_URL", url_ostile)
    at = esegui_app(pagina, 90, **{**LINK, **EXTRA.get(pagina, {})})
    assert not at.exception, at.exception
    markdown, html, grafici = _sorgenti(at)
    for sorgente in markdown:
        assert not MARKDOWN_ATTIVO.search(sorgente), sorgente
        assert not INVISIBILE.search(sorgente), repr(sorgente)
    for sorgente in html + grafici:
        assert not HTML_ATTIVO.search(sorgente), sorgente[:300]
        assert not INVISIBILE.search(json.loads(json.dumps(sorgente))), "invisible character in HTML or chart"
    # The link's values are reported, as text, in the notice.
    avvisi = " ".join(w.proto.body for w in at.warning)
    assert testo.md(LINK["prov"].upper()) in avvisi
    if pagina in EXTRA:  # the hostile case is on screen, escaped
        assert any(testo.md(NOME) in s for s in markdown), "the hostile name did not reach the page"
