"""The Esporta dati page in AppTest: dataset from the link, preview in Italian formats, suppression, downloads."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import exports
from dashboard.viste.esporta import DATASET, PARAM_DATASET


def _anteprima(at) -> pd.DataFrame:
    assert len(at.dataframe) == 1
    return at.dataframe[0].value


def _testi(elementi) -> str:
    return "\n".join(str(e.value) for e in elementi)


def test_default_dataset_is_the_official_table(app_page) -> None:
    at = app_page("esporta.py")
    assert not at.exception
    assert at.title[0].value == "Esporta dati"
    assert at.segmented_control[0].value == "procedure"
    assert at.query_params[PARAM_DATASET] == "procedure"
    df = _anteprima(at)
    assert len(df) == 36  # 3 types x 12 provinces, 2025
    milano_lic = df[(df["Sigla"] == "MI") & (df["Tipo di procedura"] == "Licenziamenti collettivi")].iloc[0]
    assert milano_lic["Lavoratori coinvolti"] == "2.034"  # Italian thousands separator
    assert milano_lic["Peso % lavoratori"] == "42,3"  # as published
    assert milano_lic["Anno"] == "2025"
    assert "Nessun" not in _testi(at.info)


def test_three_download_buttons_one_per_format(app_page) -> None:
    at = app_page("esporta.py")
    bottoni = at.get("download_button")
    assert [b.label for b in bottoni] == list(exports.FORMATI.values())
    assert all(b.proto.deferred_file_id for b in bottoni)  # built and registered at the click
    assert bottoni[0].proto.type == "primary"  # the Italian Excel CSV is the default
    assert "cruscotto_procedure-per-provincia_2025_dati-al-2026-01-15" in _testi(at.caption)


def test_step_dataset_is_suppressed_below_province_level(app_page) -> None:
    at = app_page("esporta.py", dataset="step")
    assert not at.exception
    df = _anteprima(at).set_index("Sigla")
    assert list(df.columns[-6:]) == ["STEP 1", "STEP 2", "STEP 3", "STEP 4", "NO PAL", "Totale"]
    # Cremona has 2 workers in the cohort: every stage reads '<3', its total (published) stays.
    assert df.loc["CR", ["STEP 1", "STEP 2", "STEP 3", "STEP 4", "NO PAL"]].tolist() == ["<3"] * 5
    assert df.loc["CR", "Totale"] == "2"
    assert (df.loc[["LC", "MN", "PV", "SO"]] == "riservato").to_numpy().any()
    assert df.loc["TOT", "Provincia"] == "Lombardia"
    assert df.loc["TOT", "STEP 4"] == "2.232" and df.loc["TOT", "Totale"] == "4.377"
    assert df.loc["MI", "STEP 4"] == "463"
    assert "inferiori a 3 sono indicati «<3»" in _testi(at.caption)


def test_step_dataset_for_some_provinces_has_no_total_row(app_page) -> None:
    at = app_page("esporta.py", dataset="step", prov="CR,MI")
    df = _anteprima(at)
    assert list(df["Sigla"]) == ["CR", "MI"]  # a subset's total could be subtracted: none is shown


@pytest.mark.parametrize(("dataset", "righe"), [("casi", 20), ("tavoli", 25)])
def test_lists_of_cases_and_tavoli(app_page, dataset: str, righe: int) -> None:
    at = app_page("esporta.py", dataset=dataset)
    assert not at.exception
    df = _anteprima(at)
    assert len(df) == righe
    if dataset == "tavoli":
        assert (df["Tavolo"] == "Regionale").sum() == 4 and (df["Tavolo"] == "Bilaterale").sum() == 21
        assert set(df.loc[df["Tavolo"] == "Regionale", "Provincia"]) == {"Lombardia"}
        assert df["Data"].str.fullmatch(r"\d{2}/\d{2}/2025").all()
    else:
        assert df["Codice"].is_unique
        assert df["Aperto il"].str.fullmatch(r"\d{2}/\d{2}/\d{4}").all()
        assert "Note" not in df.columns  # free text could name small counts: not exported


def test_unknown_dataset_in_the_link_falls_back_with_a_notice(app_page) -> None:
    at = app_page("esporta.py", dataset="FOO")
    assert not at.exception
    assert "Valore «FOO» non valido per «dataset» nel link: mostro «Procedure per provincia»." in _testi(at.warning)
    assert at.segmented_control[0].value == "procedure"
    assert at.query_params[PARAM_DATASET] == "procedure"


def test_choosing_a_dataset_goes_into_the_link(app_page) -> None:
    at = app_page("esporta.py")
    at.segmented_control[0].set_value("tavoli").run()
    assert not at.exception
    assert at.query_params[PARAM_DATASET] == "tavoli"
    assert len(_anteprima(at)) == 25
    assert DATASET["tavoli"].descrizione in _testi(at.markdown)


@pytest.mark.parametrize(
    ("query", "messaggio"),
    [
        ({"dataset": "step", "tipo": "LIC"}, "Nessun dato per «Step PAL per provincia»"),
        ({"dataset": "step", "anno": "2024"}, "Nessun dato per «Step PAL per provincia»"),
        ({"dataset": "casi", "prov": "SO"}, "Nessun dato per «Casi ad alta complessità»"),
    ],
)
def test_empty_selection_says_so_and_offers_no_empty_file(app_page, query: dict[str, str], messaggio: str) -> None:
    at = app_page("esporta.py", **query)
    assert not at.exception
    assert messaggio in _testi(at.info)
    assert not at.get("download_button")
    assert not at.dataframe


def test_cases_are_those_of_the_casi_page_whatever_the_year(app_page) -> None:
    """The year does not apply to the watch list, as on the Casi page; provinces and types select whole cases."""
    per_anno = {anno: _anteprima(app_page("esporta.py", dataset="casi", anno=anno)) for anno in ("2024", "2025")}
    assert per_anno["2024"].equals(per_anno["2025"])
    assert len(per_anno["2024"]) == 20
    at = app_page("esporta.py", dataset="casi", anno="2024")
    assert "l'anno non si applica" in _testi(at.markdown)
    assert "l'anno non vale per i casi" in _testi(at.caption)
    # A case with units in Brescia and Pavia is listed for Pavia with all its units and workers.
    pavia = _anteprima(app_page("esporta.py", dataset="casi", prov="PV")).set_index("Codice")
    assert list(pavia.index) == ["AC-2025-12", "AC-2025-19", "AC-2025-20"]
    assert pavia.loc["AC-2025-12", ["Province", "Unità produttive", "Lavoratori coinvolti"]].tolist() == [
        "BS, PV",
        "2",
        "211",
    ]


def test_link_to_the_view_is_shown(app_page) -> None:
    at = app_page("esporta.py", dataset="casi", prov="MI,BG")
    assert at.code[0].value.endswith("?anno=2025&prov=BG,MI&dataset=casi")
