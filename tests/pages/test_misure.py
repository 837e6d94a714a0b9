"""The Misure PAL page in AppTest: headline figures, chart messages, the rule checks, a province's perimeter."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import apri_pagina, titoli_grafici

PAGINA = "misure.py"


def _apri(demo_url: str, **query: str) -> AppTest:
    return apri_pagina(demo_url, PAGINA, timeout=120, **query)


def _titoli(at: AppTest) -> list[str]:
    return [t for t, _ in titoli_grafici(at)]  # the chart titles, drawn as page text above each chart


@pytest.fixture(scope="module")
def pagina_2025(demo_url: str) -> AppTest:
    """The page on the whole region in 2025 (run once for the module)."""
    return _apri(demo_url)


def test_page_shows_the_measures_of_2025(pagina_2025: AppTest) -> None:
    at = pagina_2025
    assert not at.exception, at.exception
    assert not at.error
    assert at.title[0].value == "Misure PAL 2025"
    metriche = {m.label: m.value for m in at.metric}
    assert metriche["STEP 4 coperti"] == "100,0%"  # every STEP 4 worker of the demo has a record of the measure
    assert metriche["Da verificare"] == "10"
    assert metriche["Interventi"] == "2.135"


def test_charts_state_their_message(pagina_2025: AppTest) -> None:
    titoli = _titoli(pagina_2025)
    assert titoli[0] == "Dote Unica Lavoro ha impegnato il 62,3% della dotazione, la quota più alta"
    assert titoli[1] == "2.134 lavoratori raggiunti dalle misure nel 2025: +61,5% sul 2024"
    assert titoli[3] == "Più assegnazioni a giugno 2025: 407 interventi"
    assert titoli[4] == "PAL attivata per 2.232 lavoratori: tutti hanno la dote, il voucher o il progetto"
    assert len(titoli) == 5


def test_every_rule_check_lists_its_rows(pagina_2025: AppTest) -> None:
    etichette = [e.label for e in pagina_2025.expander]
    for atteso in (
        "Interventi sopra il massimale per persona: 2 righe",
        "Imprese sopra il massimale per impresa: 2 righe",
        "Progetti Azioni di Rete con meno di 10 lavoratori: 1 riga",
        "Progetti Azioni di Rete con più di 3 aziende: 1 riga",
        "Progetti Azioni di Rete con aziende di settori diversi: 1 riga",
        "Lavoratori con due interventi della stessa misura nello stesso periodo: 1 riga",
        "Speso oltre l'assegnato: 2 righe",
    ):
        assert atteso in etichette
    # Every table has its download: 5 charts, 4 tables, the checks' summary and the 7 checks.
    assert len(pagina_2025.get("download_button")) == 17


def test_a_province_sees_its_own_figures_without_the_regional_budget(demo_url: str) -> None:
    at = _apri(demo_url, prov="LC")
    assert not at.exception, at.exception
    assert at.title[0].value == "Misure PAL 2025"
    assert any("dotazioni sono regionali" in c.value for c in at.caption)
    assert {m.label: m.value for m in at.metric}["Interventi"] == "86"
    titoli = _titoli(at)
    assert titoli[0].startswith("Impegnati ") and titoli[0].endswith("(dotazioni solo per l'intera Lombardia)")
    assert titoli[2] == "Lecco prima per lavoratori con un intervento nel 2025"
    etichette = [e.label for e in at.expander]
    # Of the demo's breaches, Lecco has the 2024 voucher of 2.250 €; the two doti overspent are in Como and Bergamo.
    assert "Interventi sopra il massimale per persona: 1 riga" in etichette
    assert "Speso oltre l'assegnato: 0 righe" in etichette


def test_a_small_province_hides_its_few_records_but_not_its_total(demo_url: str) -> None:
    """Lodi 2024: three records, one province's total (shown), but each measure and month of them hidden."""
    at = _apri(demo_url, anno="2024", prov="LO")
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Interventi"] == "3"
    titoli = _titoli(at)
    assert titoli[1] == "3 lavoratori raggiunti dalle misure nel 2024"
    assert titoli[3] == "Interventi assegnati nel 2024: pochi, nascosti per riservatezza"
    assert titoli[0] == "Impegnati 5.150 € in tutte le annualità (dotazioni solo per l'intera Lombardia)"
    grafico_anni = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert all(v is None or v == 0 for trace in grafico_anni["data"] for v in trace["y"])


def test_2024_has_no_previous_year_to_compare(demo_url: str) -> None:
    at = _apri(demo_url, anno="2024")
    assert not at.exception, at.exception
    titoli = _titoli(at)
    assert titoli[1].startswith("1.") and "sul 2023" not in titoli[1]
    assert titoli[4] == "Nessun lavoratore con PAL attivata nella selezione"


def test_the_checks_summary_leaves_the_rules_wording_to_each_check(pagina_2025: AppTest) -> None:
    """A grid cell cuts long text: the summary shows check and rows; the rule reads in full under each check."""
    riepilogo = next(d.value for d in pagina_2025.dataframe if "Controllo" in d.value.columns)
    assert list(riepilogo.columns) == ["Controllo", "Righe da verificare"]
    didascalie = [c.value for c in pagina_2025.caption]
    assert any(d.startswith("Valore massimo per lavoratore: Formazione Continua 2.000 €") for d in didascalie)
