"""The high-complexity cases page in AppTest: headline figures, list, filters, a case opened from the link."""

from __future__ import annotations

from dashboard.testo import md as _md  # headers and notices are Markdown sources: values come escaped

PAGINA = "casi.py"


def _metriche(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _elenco(at):
    return at.dataframe[0].value


def test_page_lists_the_open_cases_by_urgency(app_page) -> None:
    at = app_page(PAGINA)
    assert not at.exception
    assert not at.error
    metriche = _metriche(at)
    assert metriche["Casi aperti"] == "18"
    assert metriche["Lavoratori"] == "4.069"
    assert metriche["Urgenti ≤ 30 gg"] == "5"
    assert metriche["In scadenza ≤ 60 gg"] == "11"
    assert metriche["Scaduti"] == "1"
    assert metriche["Fermi > 60 gg"] == "6"
    elenco = _elenco(at)
    assert len(elenco) == 18
    assert list(elenco["Caso"][:4]) == ["AC-2025-02", "AC-2025-03", "AC-2025-04", "AC-2025-19"]
    assert elenco["Semaforo"].iloc[0] == "Rosso"
    assert any("15/01/2026" in c.value and "non a oggi" in c.value for c in at.caption)
    assert any("**Rosso**" in c.value for c in at.caption)  # the traffic-light rule is on the page
    assert "caso" not in at.query_params
    assert not at.header  # no case detail without a selection


def test_search_status_and_sidebar_province_filter(app_page) -> None:
    at = app_page(PAGINA, prov="PV")
    assert _metriche(at)["Casi aperti"] == "3"
    assert set(_elenco(at)["Caso"]) == {"AC-2025-19", "AC-2025-20", "AC-2025-12"}
    at.text_input[0].input("oltrepò").run()
    assert list(_elenco(at)["Caso"]) == ["AC-2025-20"]
    assert _metriche(at)["Lavoratori"] == "151"
    at.text_input[0].input("").run()
    stato = next(m for m in at.multiselect if m.label == "Stato")
    stato.set_value(["chiuso"]).run()
    assert _elenco(at).empty
    assert any("Nessun caso" in i.value for i in at.info)
    assert not at.exception


def test_link_opens_a_case_with_its_detail_and_brief(app_page) -> None:
    at = app_page(PAGINA, caso="AC-2025-02")
    assert not at.exception
    assert not at.error
    assert at.header[0].value == _md("AC-2025-02 · Confezioni Benaco S.p.A.")
    metriche = _metriche(at)
    assert metriche["Lavoratori coinvolti"] == "443"
    assert metriche["PAL attivate (STEP 4)"] == "41,1%"
    assert metriche["Prossima scadenza"] == "12/01/2026"
    assert at.query_params["caso"] == "AC-2025-02"
    etichette = [b.proto.label for b in at.get("download_button")]
    assert any("scheda del caso" in e for e in etichette)
    assert any("Scarica l'elenco" in e for e in etichette)
    assert len(at.get("deck_gl_json_chart")) == 1
    assert len(at.get("plotly_chart")) == 2  # timeline and step funnel


def test_case_outside_the_filters_still_opens(app_page) -> None:
    at = app_page(PAGINA, caso="AC-2025-02", prov="SO")
    assert not at.exception
    assert at.header[0].value.startswith(_md("AC-2025-02"))
    assert any("non rientra nei filtri" in i.value for i in at.info)


def test_case_without_step_cohort(app_page) -> None:
    at = app_page(PAGINA, caso="AC-2025-17")
    assert not at.exception
    assert _metriche(at)["PAL attivate (STEP 4)"] == "non applicabile"  # no worker in the step model
    assert any("modello a step" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 1  # the timeline only


def test_unknown_case_in_the_link_shows_a_notice(app_page) -> None:
    at = app_page(PAGINA, caso="AC-9999-99")
    assert not at.exception
    assert any(_md("AC-9999-99") in w.value and "non esiste" in w.value for w in at.warning)
    assert not at.header
    assert "caso" not in at.query_params


def _seleziona(at, righe: list[int]):
    """Select rows of the list as a click would (AppTest has no row click: set the widget's state)."""
    at.session_state[at.dataframe[0].key] = {"selection": {"rows": righe, "columns": [], "cells": []}}
    return at.run()


def test_selecting_a_row_opens_the_case_and_keeps_it_in_the_url(app_page) -> None:
    at = _seleziona(app_page(PAGINA), [3])
    assert not at.exception
    assert at.header[0].value == _md("AC-2025-19 · Casati Tessitura & C. S.n.c.")
    assert at.query_params["caso"] == "AC-2025-19"
    # Filtering the selected case out of the list keeps its detail, with a notice.
    at.text_input[0].input("benaco").run()
    assert at.header[0].value.startswith(_md("AC-2025-19"))
    assert any("non rientra nei filtri" in i.value for i in at.info)
    # Selecting nothing in the list closes the detail and clears the link.
    at.text_input[0].input("").run()
    at = _seleziona(at, [])
    assert not at.header
    assert "caso" not in at.query_params


def test_the_way_back_closes_the_detail_and_clears_the_link(app_page) -> None:
    at = _seleziona(app_page(PAGINA), [0])
    assert at.header[0].value.startswith(_md("AC-2025-02"))
    torna = next(b for b in at.button if b.label == "Torna all'elenco")
    at = torna.click().run()
    assert not at.exception
    assert not at.header
    assert "caso" not in at.query_params
    assert len(_elenco(at)) == 18
