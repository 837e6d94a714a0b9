"""The Step PAL page in AppTest: the published 2025 figures, the empty cases, and small counts kept hidden."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import apri_pagina, titoli_grafici

PAGINA = "step_pal.py"


def _metriche(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _grafici(at: AppTest) -> list[dict]:
    return [json.loads(g.proto.spec) for g in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def pagina_2025(demo_url: str) -> AppTest:
    """The page on the whole region in 2025 (run once for the module)."""
    return apri_pagina(demo_url, PAGINA)


def test_page_shows_the_published_2025_figures(pagina_2025: AppTest) -> None:
    at = pagina_2025
    assert not at.exception, at.exception
    assert not at.error
    assert at.title[0].value == "Step PAL 2025"
    metriche = _metriche(at)
    assert metriche["Lavoratori"] == "4.377"
    assert metriche["PAL attivata"] == "2.232"
    assert metriche["Quota PAL"] == "51,0%"
    assert metriche["Esonerati"] == "346"


def test_charts_state_the_funnel_and_the_status(pagina_2025: AppTest) -> None:
    grafici = _grafici(pagina_2025)
    assert len(grafici) == 7
    titoli = [t for t, _ in titoli_grafici(pagina_2025)]
    assert titoli[0] == "PAL attivata per 2.232 lavoratori su 4.377: il 51,0%"
    assert titoli[1].startswith("Oggi 51,0% con PAL attivata")
    funnel = grafici[0]["data"][0]
    assert funnel["type"] == "funnel"
    assert funnel["x"] == [4377, 3710, 3030, 2232]
    assert funnel["text"][3] == "<b>2.232</b> · 51,0%"
    assert grafici[0]["data"][1]["x"] == [346]  # NO PAL, drawn apart
    stato = {t["name"]: t["x"][0] for t in grafici[1]["data"]}
    assert sum(stato.values()) == 4377
    assert stato["STEP 4 · PAL attivata"] == 2232


def test_tables_and_tabs(pagina_2025: AppTest) -> None:
    tabelle = [df.value for df in pagina_2025.dataframe]
    funnel = tabelle[0]
    assert list(funnel["Lavoratori arrivati allo step"]) == ["4.377", "3.710", "3.030", "2.232", "346"]
    assert list(funnel["Arrivati, % della coorte"])[3] == "51,0"
    assert list(funnel["Conversione dallo step precedente (%)"])[1] == "84,8"
    etichette = [t.label for t in pagina_2025.tabs]
    assert etichette == [
        "Province a confronto",
        "Tempi e obiettivo 120 giorni",
        "Prese in carico per mese",
        "Misure e operatori",
    ]
    province = next(t for t in tabelle if "Provincia" in t.columns and "STEP 4 (% coorte)" in t.columns)
    assert province.iloc[0]["Provincia"] == "Lombardia"
    assert province.iloc[0]["STEP 4 (lavoratori)"] == "2.232"
    cremona = province[province["Provincia"] == "Cremona"].iloc[0]
    assert cremona["STEP 4 (lavoratori)"] == "<3"
    assert cremona["Lavoratori nel modello"] == "2"  # the province's total is published


def test_2024_has_no_cohort(app_page) -> None:
    at = app_page(PAGINA, anno="2024")
    assert not at.exception and not at.error
    testo = " ".join(i.value for i in at.info)
    assert "decreto regionale 5151 del 10/04/2025" in testo
    assert "2024" in testo
    assert not at.get("plotly_chart")
    assert not at.metric


def test_other_procedure_types_are_not_in_the_model(app_page) -> None:
    at = app_page(PAGINA, tipo="LIC,CIGS_REG")
    assert not at.exception and not at.error
    assert "riguarda solo le CIGS ministeriali" in " ".join(i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_cigs_ministeriali_among_others_shows_the_model(app_page) -> None:
    at = app_page(PAGINA, tipo="CIGS_MIN,LIC")
    assert not at.exception
    assert _metriche(at)["Lavoratori"] == "4.377"


def test_province_without_cohort(app_page) -> None:
    at = app_page(PAGINA, prov="LO")
    assert not at.exception and not at.error
    assert "Nessun lavoratore" in " ".join(i.value for i in at.info)


def test_small_province_shows_no_small_count(app_page) -> None:
    at = app_page(PAGINA, prov="CR")
    assert not at.exception and not at.error
    metriche = _metriche(at)
    assert metriche["Lavoratori"] == "2"  # Cremona's published CIGS ministeriali total
    assert metriche["PAL attivata"] == "<3"
    assert metriche["Quota PAL"] == "<3"
    grafici = _grafici(at)
    funnel = grafici[0]["data"][0]
    assert funnel["x"] == [0, 0, 0, 0]  # no bar has the length of a hidden count
    assert set(funnel["text"]) == {"<3"}
    stato = grafici[1]["data"]
    assert [t["name"].startswith("Riservati") for t in stato] == [True]  # one hatched block: the whole cohort
    assert "PAL attivata per" not in titoli_grafici(at)[0][0]


def test_selected_provinces_compare_with_their_total(app_page) -> None:
    at = app_page(PAGINA, prov="CO,MI")
    assert not at.exception and not at.error
    assert _metriche(at)["Lavoratori"] == "1.791"  # 842 + 949
    assert _metriche(at)["PAL attivata"] == "972"  # 509 + 463
    province = next(df.value for df in at.dataframe if "STEP 4 (% coorte)" in df.value.columns)
    assert list(province["Provincia"]) == ["Selezione", "Como", "Milano"]
