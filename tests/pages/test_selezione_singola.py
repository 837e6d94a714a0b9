"""One province chosen, or a year whose previous one has no data: every page reads right in the singular."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import titoli_grafici

PAGINE = ("panoramica.py", "confronto.py", "mappe.py", "step_pal.py", "casi.py", "misure.py")
# Plural or comparison wording that a single selection must never produce.
STONATE = re.compile(r"\b1 province\b|\bprovince su 1\b|\bsu 1 province\b|\b0 provincia\b")


def _testi(at) -> list[str]:
    """Every text the page shows: titles, Markdown, captions, notices, figures, HTML blocks, chart titles."""
    testi = [t.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning")
             for t in at.get(kind)]  # fmt: skip
    testi += [f"{m.label}: {m.value}" for m in at.metric]
    testi += [h.proto.body for h in at.get("html")]
    for grafico in at.get("plotly_chart"):
        titolo = json.loads(grafico.proto.spec).get("layout", {}).get("title", {})
        testi.append(titolo.get("text", "") if isinstance(titolo, dict) else str(titolo))
    return testi


@pytest.mark.parametrize("pagina", PAGINE)
def test_one_province_reads_in_the_singular(app_page, pagina: str) -> None:
    at = app_page(pagina, prov="LC")
    assert not at.exception
    stonate = [t for t in _testi(at) if STONATE.search(t)]
    assert stonate == []


def test_step_pal_draws_one_province_once(app_page) -> None:
    at = app_page("step_pal.py", prov="LC")
    mappe = [json.loads(g.proto.spec) for g in at.get("plotly_chart")]
    griglia = next(m for m in mappe if any(t.get("type") == "heatmap" for t in m["data"]))
    assert len(griglia["data"][0]["y"]) == 1  # not Lecco and a "Selezione" that is the same row
    assert ("PAL attivata per il 76,9% dei lavoratori di Lecco", "% della coorte arrivata a ogni step · tra parentesi "
            "i lavoratori") in titoli_grafici(at)  # fmt: skip


@pytest.mark.parametrize(
    ("pagina", "etichetta"), [("panoramica.py", "PAL attivate (STEP 4)"), ("misure.py", "STEP 4 coperti")]
)
def test_a_share_of_nobody_does_not_apply_rather_than_missing(app_page, pagina: str, etichetta: str) -> None:
    at = app_page(pagina, anno="2024")  # the step model began in 2025: no cohort in 2024
    assert not at.exception
    assert {m.label: m.value for m in at.metric}[etichetta] == "non applicabile"


def test_no_title_promises_a_year_without_data(app_page) -> None:
    at = app_page("confronto.py", anno="2024")
    assert not at.exception
    assert at.title[0].value == "Confronto anni: solo il 2024"
    assert not any("2023–2024" in t for t in _testi(at) if not t.startswith("<style"))
