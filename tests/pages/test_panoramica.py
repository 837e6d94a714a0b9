"""The home page in AppTest: headline figures of the official tables."""

from __future__ import annotations

from tests.conftest import titoli_grafici


def _metriche(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_home_shows_2025_workers(app_page) -> None:
    at = app_page()
    assert not at.exception
    metriche = _metriche(at)
    assert metriche["Lavoratori coinvolti"] == "11.800"
    assert metriche["PAL attivate (STEP 4)"] == "51,0%"
    assert metriche["Tavoli svolti"] == "25"


def test_home_for_2024_from_url(app_page) -> None:
    at = app_page(anno="2024")
    assert not at.exception
    assert _metriche(at)["Lavoratori coinvolti"] == "9.557"
    assert _metriche(at)["PAL attivate (STEP 4)"] == "non applicabile"  # the step model began in 2025


def test_2024_chart_has_no_empty_2023_bars(app_page) -> None:
    at = app_page(anno="2024")
    fig = at.get("plotly_chart")[0].proto.spec
    assert '"name":"2023"' not in fig.replace(" ", "")
    assert any("nessun dato per il 2023" in " ".join(t) for t in titoli_grafici(at))
    assert "confronto con il 2023" not in " ".join(c.value for c in at.caption)
