"""The app shell: every page renders, bad input gives Italian messages and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import APP, ROOT

PAGINE = sorted(p.name for p in (ROOT / "pages").glob("*.py"))


def _testi(elementi) -> str:
    return "\n".join(e.value for e in elementi)


@pytest.mark.parametrize("pagina", PAGINE)
def test_every_page_renders_with_the_shared_frame(app_page, pagina: str) -> None:
    at = app_page(pagina)
    assert not at.exception, at.exception
    assert not at.error, _testi(at.error)
    assert at.sidebar.selectbox(key="filtro_anno").value == 2025
    titoli = [t.value for t in at.title]
    assert (pagina == "panoramica.py") == any(t.startswith("Panoramica") for t in titoli), titoli
    assert any("Dati al" in h.proto.body for h in at.get("html")), "the 'Dati al' banner is missing"


def test_demo_badge_and_attribution(app_page) -> None:
    at = app_page()
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "Dati dimostrativi" in html
    assert "ISTAT (CC-BY 4.0)" in html


def _run_with_url(url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("CRUSCOTTO_DB_URL", url)
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    return at


def test_missing_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    at = _run_with_url(f"sqlite:///{tmp_path / 'assente.db'}", monkeypatch)
    assert not at.exception
    assert "Il database non è stato trovato" in _testi(at.error)
    assert "make demo" in _testi(at.error)
    assert any("SQLite file not found" in r.getMessage() for r in caplog.records)


def test_corrupt_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    corrotto = tmp_path / "corrotto.db"
    corrotto.write_bytes(b"\x00garbage" * 512)
    at = _run_with_url(f"sqlite:///{corrotto}", monkeypatch)
    assert not at.exception
    assert "danneggiato" in _testi(at.error)
    assert any("not a database" in r.getMessage() for r in caplog.records)


def test_unreachable_postgres(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    at = _run_with_url("postgresql+psycopg://lettore:pw@127.0.0.1:1/crisi", monkeypatch)
    assert not at.exception
    assert "non risponde" in _testi(at.error)
    assert any("127.0.0.1" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("query", "avviso", "anno"),
    [
        (
            {"prov": "XX"},
            "Valore non riconosciuto nel link per «Province»: XX (ignorato: mostro tutte le province).",
            2025,
        ),
        ({"anno": "1999"}, "Anno «1999» non disponibile nel link: mostro il 2025.", 2025),
        ({"anno": "abc"}, "Anno «abc» non disponibile nel link: mostro il 2025.", 2025),
        ({"tipo": "FOO", "anno": "2024"}, "Valore non riconosciuto nel link per «Tipo di procedura»: FOO", 2024),
    ],
)
def test_bad_link_values_fall_back_with_notice(app_page, query: dict[str, str], avviso: str, anno: int) -> None:
    at = app_page(**query)
    assert not at.exception
    assert avviso in _testi(at.warning)
    assert at.sidebar.selectbox(key="filtro_anno").value == anno


def test_link_with_provinces_restores_the_filter(app_page) -> None:
    at = app_page(anno="2025", prov="LC,bg")
    assert at.sidebar.multiselect(key="filtro_prov").value == ["BG", "LC"]
    assert {m.label: m.value for m in at.metric}["Lavoratori coinvolti"] == "2.439"  # 2.064 + 375
    assert at.query_params["prov"] == "BG,LC"


@pytest.mark.parametrize(
    ("pagina", "query", "avviso"),
    [
        ("casi.py", {"caso": ""}, None),
        ("casi.py", {"caso": "  "}, None),
        ("tavolo.py", {"slide": "²"}, "La slide «²» non esiste (sono 8): mostro la prima."),
        ("tavolo.py", {"slide": "٣"}, "La slide «٣» non esiste (sono 8): mostro la prima."),
    ],
    ids=["caso-vuoto", "caso-spazi", "slide-apice", "slide-cifra-araba"],
)
def test_odd_link_values_never_give_an_unexpected_error(app_page, pagina: str, query: dict, avviso: str | None) -> None:
    at = app_page(pagina, **query)
    assert not at.exception, at.exception
    assert not at.error, _testi(at.error)
    if avviso is None:
        assert not at.header  # no case opened, no notice needed
    else:
        assert avviso in [w.value for w in at.warning]
