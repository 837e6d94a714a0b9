"""The tavolo deck on the demo database: slides, their figures, one extraction for all of them."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pydeck as pdk
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from dashboard import deck, geo
from dashboard.charts import mappe
from dashboard.letture import tavolo as riunione
from data_access.dominio import SIGLE
from data_access.engine import crea_engine

GIORNO = date(2026, 1, 20)
CHIAVI = ("titolo", "cifre", "confronto", "mappa", "step", "casi", "monitoraggio", "fonti")


@pytest.fixture(scope="module")
def regionale(engine: Engine) -> deck.Deck:
    return deck.costruisci(riunione.carica_snapshot(engine, riunione.Tavolo("regionale"), 2025), GIORNO)


@pytest.fixture(scope="module")
def lecco(engine: Engine) -> deck.Deck:
    return deck.costruisci(riunione.carica_snapshot(engine, riunione.Tavolo("LC"), 2025), GIORNO)


def _slide(d: deck.Deck, chiave: str) -> deck.Slide:
    return next(s for s in d.slides if s.chiave == chiave)


def _cifre(s: deck.Slide) -> dict[str, deck.Cifra]:
    return {c.etichetta: c for c in s.cifre}


def _numero(testo: str) -> int:
    return int(testo.replace(".", ""))


@pytest.mark.parametrize(("raw", "atteso"), [("regionale", "regionale"), ("Regionale", "regionale"),
                                             ("LC", "LC"), (" lc ", "LC"), ("MI", "MI")])  # fmt: skip
def test_tavolo_from_link_values(raw: str, atteso: str) -> None:
    assert riunione.leggi_tavolo(raw) == riunione.Tavolo(atteso)


@pytest.mark.parametrize("raw", ["XX", "", None, "Lecco", "bilaterale"])
def test_unknown_tavolo_is_none(raw: str | None) -> None:
    assert riunione.leggi_tavolo(raw) is None


def test_tavolo_names() -> None:
    assert riunione.Tavolo("regionale").nome == "Tavolo regionale"
    assert riunione.Tavolo("LC").nome == "Tavolo bilaterale — Lecco"
    assert riunione.Tavolo("MB").territorio == "Monza e della Brianza"
    assert riunione.Tavolo("regionale").province == SIGLE
    assert riunione.Tavolo("LC").province == ("LC",)
    assert len(riunione.CODICI_TAVOLO) == 13


def test_one_idea_per_slide_in_a_fixed_order(regionale: deck.Deck, lecco: deck.Deck) -> None:
    for d in (regionale, lecco):
        assert tuple(s.chiave for s in d.slides) == CHIAVI
        assert d.numero(2) == "3 / 8"
        for s in d.slides:
            assert s.titolo and len(s.figure) <= 1


def test_title_slide_states_tavolo_day_and_data_date(regionale: deck.Deck, lecco: deck.Deck) -> None:
    titolo = regionale.slides[0]
    assert titolo.titolo == "Tavolo regionale"
    assert "Riunione del 20 gennaio 2026" in titolo.punti
    assert "Dati al 15/01/2026 (dati dimostrativi)" in titolo.punti
    assert lecco.slides[0].titolo == "Tavolo bilaterale — Lecco"
    assert any("Nucleo Territoriale Crisi e Politiche Attive di Lecco" in p for p in lecco.slides[0].punti)


def test_every_slide_repeats_filters_and_data_date(regionale: deck.Deck, lecco: deck.Deck) -> None:
    assert regionale.filtri == "Anno 2025 · tutte le province · tutte le procedure"
    assert lecco.filtri == "Anno 2025 · Lecco · tutte le procedure"
    assert regionale.dati_al == "Dati al 15/01/2026 · dati dimostrativi"
    assert lecco.nome_file == "tavolo-LC-2025-dati-2026-01-15"


def test_regional_headline_figures(regionale: deck.Deck) -> None:
    s = _slide(regionale, "cifre")
    assert s.titolo == "Lombardia, 2025: 11.800 lavoratori coinvolti, +23,5% sul 2024"
    c = _cifre(s)
    assert c["Lavoratori coinvolti"].valore == "11.800"
    assert c["Lavoratori coinvolti"].dettaglio == "+2.243 (+23,5%) sul 2024"
    assert c["PAL attivata (modello a step)"].valore == "51,0%"
    assert c["PAL attivata (modello a step)"].dettaglio == "2.232 su 4.377 lavoratori in STEP 4"
    assert c["Tavoli svolti"].valore == "25"
    assert c["Tavoli svolti"].dettaglio == "4 regionali, 21 bilaterali"
    assert (c["CIGS ministeriali"].valore, c["CIGS regionali"].valore) == ("4.377", "2.620")
    assert c["Licenziamenti collettivi"].valore == "4.803"
    assert c["CIGS ministeriali"].dettaglio == "in 95 unità produttive"


def test_lecco_headline_figures_add_up_and_carry_the_published_weights(lecco: deck.Deck) -> None:
    c = _cifre(_slide(lecco, "cifre"))
    per_tipo = [c[t] for t in ("CIGS ministeriali", "CIGS regionali", "Licenziamenti collettivi")]
    assert [x.valore for x in per_tipo] == ["104", "183", "88"]
    assert sum(_numero(x.valore) for x in per_tipo) == _numero(c["Lavoratori coinvolti"].valore) == 375
    # The weights of the official 2025 table: 2,4 / 7,0 / 1,8.
    assert [x.dettaglio for x in per_tipo] == [f"peso sul totale regionale: {p}%" for p in ("2,4", "7,0", "1,8")]
    assert c["Lavoratori coinvolti"].dettaglio == "+164 (+77,7%) sul 2024"
    assert c["Unità produttive coinvolte"].valore == "11"
    assert c["PAL attivata (modello a step)"].valore == "76,9%"
    assert c["Tavoli svolti"].valore == "2"


def test_comparison_slide_reuses_the_comparison_charts(regionale: deck.Deck, lecco: deck.Deck) -> None:
    s = _slide(regionale, "confronto")
    fig = s.figure[0]
    assert isinstance(fig, go.Figure)
    assert s.titolo == fig.layout.title.text  # the chart's own finding becomes the slide's title
    assert "in aumento in 7 province su 12" in s.titolo
    assert {t.name for t in fig.data if t.name} == {"2024", "2025"}
    assert s.tabella is not None and s.tabella.height == 12
    milano = s.tabella.filter(pl.col("Provincia") == "Milano").row(0, named=True)
    assert (milano["2024"], milano["2025"], milano["Var. %"]) == ("3.351", "3.226", "-3,7")

    s = _slide(lecco, "confronto")
    assert s.titolo == "Lecco, 2024 → 2025. CIGS ministeriali: +66 lavoratori (+173,7%), la variazione maggiore"
    righe = {r[0]: r[1:] for r in s.tabella.iter_rows()}
    assert righe["CIGS ministeriali"] == ("38", "104", "+66", "+173,7%")
    assert righe["Totale"] == ("211", "375", "+164", "+77,7%")


def test_map_slide_outlines_the_province(lecco: deck.Deck, regionale: deck.Deck) -> None:
    s = _slide(lecco, "mappa")
    assert s.titolo == "Lecco nel 2025: 375 lavoratori coinvolti, 8ª provincia su 12 (3,2% del totale regionale)"
    mappa = s.figure[0]
    assert isinstance(mappa, pdk.Deck)
    confini = next(layer for layer in mappa.layers if layer.id == mappe.LAYER_CONFINI)
    spessori = {f["properties"]["sigla"]: f["properties"]["spessore"] for f in confini.data["features"]}
    assert spessori["LC"] == mappe.CONTORNO_EVIDENZIATO
    assert {v for k, v in spessori.items() if k != "LC"} == {mappe.CONTORNO_NORMALE}
    assert s.legenda and s.legenda_titolo == "Lavoratori coinvolti, 2025"
    assert "Milano con 3.226" in _slide(regionale, "mappa").titolo


def test_step_slide(regionale: deck.Deck, lecco: deck.Deck) -> None:
    s = _slide(regionale, "step")
    assert s.titolo == "Lombardia — PAL attivata per 2.232 lavoratori su 4.377: il 51,0%"
    step4 = s.tabella.filter(pl.col("Step") == "STEP 4").row(0)
    assert step4[2] == "2.232"
    assert "80 lavoratori su 104" in _slide(lecco, "step").titolo


def test_cases_slide(regionale: deck.Deck, lecco: deck.Deck) -> None:
    s = _slide(regionale, "casi")
    assert s.titolo.startswith("Lombardia: 18 casi aperti ad alta complessità")
    assert s.tabella.height == deck.MAX_CASI
    assert s.tabella["Semaforo"][0] == "Rosso"
    assert "i primi 8 di 18" in s.sottotitolo
    colonna, colori = s.colori_tabella
    assert colonna == "Semaforo" and set(s.tabella["Semaforo"]) <= set(colori)
    # A case never discussed at a tavolo has none: not a missing figure ("n.d."), as on the Casi page.
    assert "nessuno" in s.tabella["Ultimo tavolo"].to_list() and "n.d." not in s.tabella["Ultimo tavolo"].to_list()
    vuota = _slide(lecco, "casi")
    assert vuota.titolo == "Lecco: nessun caso ad alta complessità aperto"
    assert vuota.tabella is None


def test_sources_slide(regionale: deck.Deck) -> None:
    s = _slide(regionale, "fonti")
    testo = " ".join(s.punti)
    assert "Dati al 15/01/2026" in testo and "dati dimostrativi" in testo
    assert "VertenzeOnline" in testo and "ISTAT (CC-BY 4.0)" in testo
    assert "Anno 2025 · tutte le province · tutte le procedure" in testo


def test_headline_pal_share_follows_the_step_pages_suppression(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the step funnel hides STEP 4, the headline figure does not reveal it either."""
    snap = riunione.carica_snapshot(engine, riunione.Tavolo("SO"), 2025)
    assert _cifre(_slide(deck.costruisci(snap, GIORNO), "cifre"))["PAL attivata (modello a step)"].valore == "61,1%"
    # Sondrio has 11 workers at STEP 4: with a threshold of 12 the step page hides them, and so does the deck.
    monkeypatch.setenv("CRUSCOTTO_SOGLIA_PRIVACY", "12")
    pal = _cifre(_slide(deck.costruisci(snap, GIORNO), "cifre"))["PAL attivata (modello a step)"]
    assert pal.valore == "riservato"
    assert "11" not in pal.dettaglio and "18" not in pal.dettaglio


def test_first_year_has_no_comparison_and_no_step_cohort(engine: Engine) -> None:
    d = deck.costruisci(riunione.carica_snapshot(engine, riunione.Tavolo("LC"), 2024), GIORNO)
    assert _slide(d, "confronto").titolo == "Confronto 2023–2024 non disponibile"
    assert _slide(d, "step").figure == ()
    assert _cifre(_slide(d, "cifre"))["Lavoratori coinvolti"].valore == "211"


def _copia(demo_db: Path, tmp_path: Path) -> Path:
    copia = tmp_path / "copia.db"
    shutil.copy(demo_db, copia)
    return copia


def _cambia_data(path: Path, giorno: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE metadati SET data_estrazione = ?", (giorno,))


def test_incomplete_year_is_compared_on_the_same_period(demo_db: Path, tmp_path: Path) -> None:
    copia = _copia(demo_db, tmp_path)
    _cambia_data(copia, "2025-06-30")
    snap = riunione.carica_snapshot(crea_engine(f"sqlite:///{copia}"), riunione.Tavolo("regionale"), 2025)
    d = deck.costruisci(snap, GIORNO)
    cifre = _slide(d, "cifre")
    assert cifre.sottotitolo.endswith("(stesso periodo, 1° gennaio – 30 giugno)")
    # Both years counted up to 30 June: the 2024 figure is smaller than the whole year's 9.557.
    prima = int(snap.celle_confronto.filter(pl.col("anno") == 2024)["lavoratori"].sum())
    assert 0 < prima < 9557
    assert _slide(d, "confronto").sottotitolo.endswith("(stesso periodo, 1° gennaio – 30 giugno)")
    assert any("stesso periodo" in p for p in _slide(d, "fonti").punti)


def test_snapshot_is_read_again_when_an_extraction_lands_while_loading(demo_db: Path, tmp_path: Path) -> None:
    """A new extraction arriving mid-load must not mix two extractions: the whole snapshot is read again."""
    copia = _copia(demo_db, tmp_path)
    eng = crea_engine(f"sqlite:///{copia}")
    letture = []

    @event.listens_for(eng, "before_cursor_execute")
    def _nuovi_dati_a_meta_lettura(conn, cursor, statement, parameters, context, executemany) -> None:
        letture.append(statement)
        if len(letture) == 3:  # after the first queries of the first attempt, a loader writes a new extraction
            _cambia_data(copia, "2026-02-01")

    snap = riunione.carica_snapshot(eng, riunione.Tavolo("LC"), 2025)
    assert snap.info.data_estrazione == date(2026, 2, 1)
    assert sum("FROM metadati" in q for q in letture) == 4  # two attempts, each checked before and after
    assert deck.costruisci(snap, GIORNO).dati_al.startswith("Dati al 01/02/2026")


def test_monitoring_slide_says_who_has_sent_and_the_main_differences(regionale: deck.Deck, lecco: deck.Deck) -> None:
    s = _slide(regionale, "monitoraggio")
    assert s.titolo == "Lombardia, monitoraggio 2025: 37 trimestri inviati su 38, 3 in ritardo, 1 mancante"
    cifre = {c.etichetta: (c.valore, c.dettaglio) for c in s.cifre}
    assert cifre["In ritardo"] == ("3", "Varese T1, T2, T3")
    assert cifre["Mancanti"] == ("1", "Pavia T3")
    assert cifre["Differenze da verificare"] == ("7", "oltre 2 lavoratori dai microdati")
    assert s.tabella is not None and s.tabella.height == deck.MAX_DIFFERENZE
    prima = s.tabella.row(0, named=True)
    assert (prima["Provincia"], prima["Trimestre"], prima["Differenza (Nucleo − microdati)"]) == ("Como", "T3", "-37")
    assert "0 differenze su 144 celle" in s.note
    s = _slide(lecco, "monitoraggio")
    assert s.titolo == "Lecco, monitoraggio 2025: 3 trimestri inviati su 3"
    assert s.tabella is None and {c.etichetta: c.valore for c in s.cifre}["Differenze da verificare"] == "0"


def test_map_slide_fits_the_region_in_the_smallest_slide_frame(regionale: deck.Deck) -> None:
    mappa = next(s for s in regionale.slides if s.chiave == "mappa").figure[0]
    atteso = geo.vista(*geo.CORNICE_SLIDE)  # 1280x720 with a two-line title: Sondrio and Pavia were cut
    vista = mappa.initial_view_state
    assert (vista.latitude, vista.longitude, vista.zoom) == (atteso.lat, atteso.lon, atteso.zoom)
