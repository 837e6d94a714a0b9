"""Modalità tavolo in AppTest: the link opens a tavolo and a slide, the buttons page, the snapshot stays frozen."""

from __future__ import annotations

import dataclasses
from datetime import date

from streamlit.testing.v1 import AppTest

from dashboard import testo
from dashboard.loaders.tavolo import KEY_SNAPSHOT

PAGINA = "tavolo.py"


def _avvisi_link(at: AppTest) -> list[str]:
    """The page's warnings but the cover's one on old data (the demo extraction is older than 60 days)."""
    return [w.value for w in at.warning if not w.value.replace("\\", "").startswith("Attenzione: i dati risalgono")]


def _titolo(at) -> str:
    return at.title[0].value


def _html(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def _metriche(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_link_opens_lecco_on_the_headline_figures(app_page) -> None:
    at = app_page(PAGINA, tavolo="LC", slide="2")
    assert not at.exception and not _avvisi_link(at)
    assert _titolo(at) == "Lecco, 2025: 375 lavoratori coinvolti, +77,7% sul 2024"
    m = _metriche(at)
    assert m["Lavoratori coinvolti"] == ("375", "+164 (+77,7%) sul 2024")
    assert [m[t][0] for t in ("CIGS ministeriali", "CIGS regionali", "Licenziamenti collettivi")] == [
        "104",
        "183",
        "88",
    ]
    assert "2 / 8" in _html(at)
    assert "Tavolo bilaterale — Lecco · Anno 2025 · Lecco · tutte le procedure" in _html(at)
    assert "Dati al 15/01/2026" in _html(at)
    assert at.query_params["tavolo"] == "LC" and at.query_params["slide"] == "2"


def test_regional_tavolo_by_default_with_its_figures(app_page) -> None:
    at = app_page(PAGINA)
    assert not at.exception
    assert _titolo(at) == "Tavolo regionale"
    at.button(key="tavolo_succ").click().run()
    m = _metriche(at)
    assert m["Lavoratori coinvolti"][0] == "11.800"
    assert m["PAL attivata (modello a step)"] == ("51,0%", "2.232 su 4.377 lavoratori in STEP 4")
    assert at.query_params["tavolo"] == "regionale" and at.query_params["slide"] == "2"


def test_buttons_page_through_all_slides(app_page) -> None:
    at = app_page(PAGINA, tavolo="regionale")
    assert at.button(key="tavolo_prec").disabled
    titoli = [_titolo(at)]
    for n in range(2, 9):
        at.button(key="tavolo_succ").click().run()
        assert not at.exception
        assert at.query_params["slide"] == str(n)
        assert f"{n} / 8" in _html(at)
        titoli.append(_titolo(at))
    assert at.button(key="tavolo_succ").disabled
    assert titoli[-1] == "Fonti e note"
    assert len(set(titoli)) == 8
    at.button(key="tavolo_prec").click().run()
    assert _titolo(at) == titoli[6] and at.query_params["slide"] == "7"


def test_each_kind_of_slide_renders(app_page) -> None:
    at = app_page(PAGINA, tavolo="regionale", slide="3")
    assert at.get("plotly_chart") and at.get("popover")  # the chart, and its figures as a table over the slide
    at = app_page(PAGINA, tavolo="regionale", slide="4")
    assert at.get("deck_gl_json_chart")
    assert "Lavoratori coinvolti, 2025" in _html(at)  # the legend beside the map
    at = app_page(PAGINA, tavolo="regionale", slide="6")
    assert at.table[0].value["Azienda"].iloc[0] == testo.md("Confezioni Benaco S.p.A.")  # Markdown cells


def test_unknown_tavolo_and_slide_in_the_link(app_page) -> None:
    at = app_page(PAGINA, tavolo="XX", slide="99")
    assert not at.exception
    avvisi = " ".join(w.value for w in at.warning)
    assert "Tavolo «XX» non riconosciuto nel link: mostro il tavolo regionale." in avvisi
    assert "La slide «99» non esiste (sono 8): mostro la prima." in avvisi
    assert _titolo(at) == "Tavolo regionale"
    assert at.query_params["tavolo"] == "regionale" and at.query_params["slide"] == "1"


def test_lowercase_sigla_and_single_province_filter(app_page) -> None:
    at = app_page(PAGINA, tavolo="mi")
    assert _titolo(at) == "Tavolo bilaterale — Milano" and not _avvisi_link(at)
    at = app_page(PAGINA, prov="CO")
    assert _titolo(at) == "Tavolo bilaterale — Como"


def test_choosing_another_tavolo_starts_from_the_first_slide(app_page) -> None:
    at = app_page(PAGINA, tavolo="regionale", slide="3")
    at.selectbox(key="tavolo_scelto").set_value("BG").run()
    assert _titolo(at) == "Tavolo bilaterale — Bergamo"
    assert at.query_params["tavolo"] == "BG" and at.query_params["slide"] == "1"


def test_projector_frame_exit_and_download(app_page) -> None:
    at = app_page(PAGINA, tavolo="LC")
    assert '[data-testid="stSidebar"]' in _html(at)  # the page hides the sidebar and the toolbar
    (esci,) = at.get("page_link")
    assert esci.proto.label == "Esci" and esci.proto.page_script_hash
    assert esci.proto.query_string == "anno=2025"  # back to the dashboard with the shared filters
    (scarica,) = at.get("download_button")
    assert scarica.proto.label == "Scarica PowerPoint"
    assert "ArrowRight" in _html(at)


def test_snapshot_stays_frozen_until_the_user_updates(app_page) -> None:
    at = app_page(PAGINA, tavolo="LC", slide="2")
    chiave, snap = at.session_state[KEY_SNAPSHOT]
    assert snap.info.data_estrazione == date(2026, 1, 15)
    assert not [b for b in at.button if b.label == "Nuovi dati: aggiorna"]
    # The pinned snapshot is older than the data now in the database (an extraction landed during the meeting).
    vecchia = dataclasses.replace(snap.info, data_estrazione=date(2026, 1, 1))
    at.session_state[KEY_SNAPSHOT] = (chiave, dataclasses.replace(snap, info=vecchia))
    at.button(key="tavolo_succ").click().run()
    assert "Dati al 01/01/2026" in _html(at)  # paging keeps the same snapshot
    (aggiorna,) = [b for b in at.button if b.label == "Nuovi dati: aggiorna"]
    aggiorna.click().run()
    assert "Dati al 15/01/2026" in _html(at)
    assert not [b for b in at.button if b.label == "Nuovi dati: aggiorna"]
    assert at.query_params["slide"] == "3"


def test_cover_warns_when_the_data_are_older_than_the_setting(app_page, monkeypatch) -> None:
    monkeypatch.setenv("CRUSCOTTO_DATI_VECCHI_GIORNI", "60")
    at = app_page(PAGINA, tavolo="regionale", slide="1")
    avvisi = [w.value.replace("\\", "") for w in at.warning]
    assert any(a.startswith("Attenzione: i dati risalgono a") and "estrazione del 15/01/2026" in a for a in avvisi)
    at.date_input(key="tavolo_giorno").set_value(date(2026, 2, 1)).run()  # 17 days after the extraction
    assert "Riunione del 1 febbraio 2026" in " ".join(m.value for m in at.markdown)
    assert not [w for w in at.warning if w.value.replace("\\", "").startswith("Attenzione: i dati risalgono")]
