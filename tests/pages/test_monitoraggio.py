"""The Monitoraggio trimestrale page in AppTest: the demo's invented submissions, a bad setting, a year without data."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import apri_pagina, titoli_grafici

PAGINA = "monitoraggio.py"


def _apri(demo_url: str, **env: str) -> AppTest:
    impostazioni = (
        "CRUSCOTTO_SCADENZA_MONITORAGGIO_GG",
        "CRUSCOTTO_TOLLERANZA_MONITORAGGIO",
        "CRUSCOTTO_SOGLIA_PRIVACY",
    )
    return apri_pagina(demo_url, PAGINA, env=env, senza=impostazioni)


@pytest.fixture(scope="module")
def pagina(demo_url: str) -> AppTest:
    """The page on the demo database, 2025, all provinces (run once for the module)."""
    return _apri(demo_url)


def test_headline_figures(pagina: AppTest) -> None:
    assert not pagina.exception, pagina.exception
    assert not pagina.error
    assert pagina.title[0].value == "Monitoraggio trimestrale 2025"
    metriche = {m.label: m.value for m in pagina.metric}
    assert metriche == {
        "Trimestri inviati": "37 di 38",
        "In ritardo": "3",
        "Mancanti": "1",
        "PAL dichiarate": "1.676",
        "Voci da verificare": "7",
        "Tabelle pubblicate": "0 differenze",
    }
    assert [t.label for t in pagina.tabs] == [
        "Chi ha inviato", "Cifre dichiarate", "Riconciliazione con i microdati", "Tabelle pubblicate",
    ]  # fmt: skip


def test_grid_chart_and_its_table(pagina: AppTest) -> None:
    assert pagina.get("plotly_chart")
    titoli = [t for t, _ in titoli_grafici(pagina)]  # drawn as page text above each chart
    assert titoli[0] == "2025: 37 trimestri inviati su 38 (3 in ritardo), 1 mancante, 6 in attesa"
    assert titoli[1] == "1.676 PAL dichiarate nel 2025, 56,1% Dote Unica Lavoro"
    assert titoli[2] == "PAL dichiarate: 2 province oltre la tolleranza rispetto ai microdati"
    griglia = pagina.dataframe[0].value
    assert list(griglia.columns) == ["Provincia", "T1 2025", "T2 2025", "T3 2025", "T4 2025"]
    pavia = griglia[griglia["Provincia"] == "Pavia"].iloc[0]
    assert pavia["T3 2025"] == "Mancante · da 77 giorni"
    varese = griglia[griglia["Provincia"] == "Varese"].iloc[0]
    assert varese["T1 2025"].startswith("In ritardo · +")


def test_reconciliation_tables(pagina: AppTest) -> None:
    tabelle = [df.value for df in pagina.dataframe]
    # The chart's table (PAL in total, every province), then the table of the rows that differ.
    grafico, province = [t for t in tabelle if "Segno" in t.columns]
    assert set(grafico["Voce"]) == {"PAL attivate, totale (STEP 4)"}
    milano = province[(province["Provincia"] == "Milano") & (province["Voce"] == "PAL GOL")].iloc[0]
    assert (milano["Trimestre"], milano["Differenza (Nucleo − microdati)"], milano["Esito"]) == (
        "T3",
        "+6",
        "Da verificare",
    )
    sconosciute = next(t for t in tabelle if "Procedura dichiarata" in t.columns)
    assert list(sconosciute["Procedura dichiarata"]) == ["VO-2025-990001"]
    assert list(sconosciute["Motivo"]) == ["Sconosciuta a VertenzeOnline"]
    assert any(s.value.startswith("Database e tabelle pubblicate: 0 differenze") for s in pagina.subheader)
    assert any("0 differenze" in s.value for s in pagina.success)
    bottoni = pagina.get("download_button")
    assert len(bottoni) == 9  # every table has its download


def test_bad_setting_warns_and_falls_back(demo_url: str) -> None:
    at = _apri(demo_url, CRUSCOTTO_SCADENZA_MONITORAGGIO_GG="trenta")
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "Impostazione CRUSCOTTO_SCADENZA_MONITORAGGIO_GG non valida («trenta»: atteso un numero intero tra 0 e 366): "
        "uso 30."
    ]
    assert {m.label: m.value for m in at.metric}["In ritardo"] == "3"


def test_longer_deadline_changes_the_grid(demo_url: str) -> None:
    at = _apri(demo_url, CRUSCOTTO_SCADENZA_MONITORAGGIO_GG="60")
    assert {m.label: m.value for m in at.metric}["In ritardo"] == "0"
    assert not at.warning


def test_year_without_submissions(app_page) -> None:
    at = app_page(PAGINA, anno="2024")
    assert not at.exception
    assert at.title[0].value == "Monitoraggio trimestrale 2024"
    assert "nessun trimestre caricato" in at.info[0].value
    assert any("0 differenze" in s.value for s in at.success)
