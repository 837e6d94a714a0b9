"""The maps page in AppTest: the map's figures, metric choice in the link, filter highlight and reset."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from dashboard.charts import mappe
from dashboard.viste import mappe as vista_mappe


def _deck(at: AppTest) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def _tooltip(deck: dict, sigla: str) -> str:
    area = next(a for a in deck["layers"][0]["data"] if a["sigla"] == sigla)
    return f"{area['tt_titolo']} · {area['tt_valore']} · {area['tt_dettaglio']}"


def _html(at: AppTest) -> str:
    return " ".join(e.proto.body for e in at.get("html"))


def test_default_map_shows_2025_workers(app_page) -> None:
    at = app_page("mappe.py")
    assert not at.exception
    assert at.title[0].value == "Mappe delle province 2025"
    deck = _deck(at)
    assert _tooltip(deck, "MI") == "Milano (MI) · Lavoratori coinvolti: 3.226 · posizione 1 su 12"
    assert _tooltip(deck, "LC") == "Lecco (LC) · Lavoratori coinvolti: 375 · posizione 8 su 12"
    assert "http" not in at.get("deck_gl_json_chart")[0].proto.json  # no tiles: draws on the intranet
    assert "1.700 e oltre" in _html(at)  # the legend
    assert at.radio(key="mappe_metrica").value == "lavoratori"
    assert "metrica" not in at.query_params  # the default stays out of the link


def test_year_from_the_link(app_page) -> None:
    at = app_page("mappe.py", anno="2024")
    assert not at.exception
    assert _tooltip(_deck(at), "MI") == "Milano (MI) · Lavoratori coinvolti: 3.351 · posizione 1 su 12"


def test_metric_from_the_link_pal(app_page) -> None:
    at = app_page("mappe.py", metrica="pal")
    assert not at.exception
    deck = _deck(at)
    assert _tooltip(deck, "MI") == "Milano (MI) · PAL attivate nella coorte a step: 48,8% · posizione 4 su 9 con dato"
    assert "riservato" in _tooltip(deck, "CR")
    assert "Riservato:" in _html(at)


def test_choosing_a_metric_writes_it_in_the_link(app_page) -> None:
    at = app_page("mappe.py")
    at.radio(key="mappe_metrica").set_value("variazione").run()
    assert not at.exception
    assert at.query_params["metrica"] == "variazione"
    assert _tooltip(_deck(at), "CO").startswith("Como (CO) · Variazione dei lavoratori sull'anno prima: +235,2%")


def test_unknown_metric_in_the_link_falls_back_with_a_notice(app_page) -> None:
    at = app_page("mappe.py", metrica="pil")
    assert not at.exception
    assert any("«pil»" in w.value for w in at.warning)
    assert at.radio(key="mappe_metrica").value == "lavoratori"


def test_per_employed_is_hidden_and_explained_without_the_denominator(app_page) -> None:
    at = app_page("mappe.py", metrica="occupati")
    assert not at.exception
    assert "occupati" not in at.radio(key="mappe_metrica").options
    assert "Per 10.000 occupati" not in at.radio(key="mappe_metrica").options
    assert any("Rilevazione sulle forze di lavoro" in i.value for i in at.info)
    assert not any("tabella" in i.value or "colonna" in i.value for i in at.info)
    assert at.radio(key="mappe_metrica").value == "lavoratori"  # the map of workers instead


def test_the_maps_table_can_be_downloaded(app_page) -> None:
    at = app_page("mappe.py")
    assert not at.exception
    assert at.selectbox(key="mappe_tabella_formato").value is not None


def test_pal_in_2024_explains_why_there_is_no_map(app_page) -> None:
    at = app_page("mappe.py", metrica="pal", anno="2024")
    assert not at.exception
    assert any("modello a step nel 2024" in i.value for i in at.info)


def test_filtered_provinces_are_highlighted_and_can_be_reset(app_page) -> None:
    at = app_page("mappe.py", prov="MI")
    assert not at.exception
    confini = _deck(at)["layers"][1]["data"]["features"]
    spessori = {f["properties"]["sigla"]: f["properties"]["spessore"] for f in confini}
    assert spessori["MI"] == mappe.CONTORNO_EVIDENZIATO and spessori["BG"] == mappe.CONTORNO_NORMALE
    assert len(_deck(at)["layers"][0]["data"]) == 14  # all 12 provinces still drawn (CO and MI in two parts)
    at.button(key="mappe_tutte").click().run()
    assert not at.exception
    assert "prov" not in at.query_params
    assert at.multiselect(key="filtro_prov").value == []
    assert not [b for b in at.button if b.key == "mappe_tutte"]  # nothing left to reset


def test_municipality_layer_switches_on(app_page) -> None:
    at = app_page("mappe.py")
    at.toggle(key="mappe_comuni").set_value(True).run()
    assert not at.exception
    ids = [layer["id"] for layer in _deck(at)["layers"]]
    assert ids == [vista_mappe.LAYER_PROVINCE, mappe.LAYER_CONFINI, vista_mappe.LAYER_COMUNI, mappe.LAYER_ETICHETTE]


def test_basemap_is_off_by_default_and_says_it_needs_internet(app_page) -> None:
    at = app_page("mappe.py")
    sfondo = at.toggle(key="mappe_sfondo")
    assert sfondo.value is False
    assert "internet" in sfondo.label
    sfondo.set_value(True).run()
    assert not at.exception
    assert "basemaps.cartocdn.com" in at.get("deck_gl_json_chart")[0].proto.json
