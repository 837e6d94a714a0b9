"""Shaping of the high-complexity cases: deadline arithmetic, traffic light, urgency, filters, charts, brief."""

from __future__ import annotations

import base64
import colorsys
import io
import json
import re
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest
from PIL import Image

from dashboard import brief, report_pdf, tema
from dashboard.charts import casi as grafici
from dashboard.letture import casi as letture
from dashboard.viste import casi
from data_access.dominio import SIGLE
from data_access.queries import casi as q
from data_access.queries.meta import InfoDati, info_dati
from tests import pdf_accessibile

AL = date(2026, 1, 15)
GEO = Path(__file__).resolve().parents[2] / "assets" / "geo" / "province.geojson"


@pytest.fixture(scope="module")
def elenco(engine) -> pl.DataFrame:
    """The composed list on the demo database, at its extraction date."""
    return letture.elenco(engine, AL)


def _riga(df: pl.DataFrame, codice: str) -> dict:
    return df.filter(pl.col("codice") == codice).row(0, named=True)


# --- deadline arithmetic --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scadenza", "giorni", "scaduto"),
    [
        (date(2026, 1, 12), -3, True),
        (date(2026, 1, 14), -1, True),
        (date(2026, 1, 15), 0, False),
        (date(2026, 2, 14), 30, False),
        (date(2026, 3, 16), 60, False),
        (date(2027, 1, 15), 365, False),
        (None, None, False),
    ],
)
def test_days_to_deadline_at_the_data_date(scadenza: date | None, giorni: int | None, scaduto: bool) -> None:
    riga = _mini_casi({"A": 10}, [], scadenza).row(0, named=True)  # the list as the page composes it
    assert riga["giorni_alla_scadenza"] == giorni
    assert riga["scaduto"] is scaduto


def test_deadline_in_words() -> None:
    assert casi.descrivi_scadenza(-3) == "scaduta da 3 giorni"
    assert casi.descrivi_scadenza(-1) == "scaduta da 1 giorno"
    assert casi.descrivi_scadenza(0) == "oggi"
    assert casi.descrivi_scadenza(1) == "tra 1 giorno"
    assert casi.descrivi_scadenza(1200) == "tra 1.200 giorni"
    assert casi.descrivi_scadenza(None) == "nessuna scadenza"


def test_list_counts_days_from_the_extraction_date_not_today(elenco: pl.DataFrame) -> None:
    caso = _riga(elenco, "AC-2025-02")
    assert caso["giorni_alla_scadenza"] == -3
    assert caso["scaduto"] is True
    assert caso["giorni_senza_aggiornamento"] == 12  # updated on 03/01/2026
    assert _riga(elenco, "AC-2025-18")["giorni_alla_scadenza"] is None
    assert _riga(elenco, "AC-2025-18")["scaduto"] is False


# --- traffic light --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stato", "rischio", "giorni", "fermo", "atteso"),
    [
        ("aperto", "basso", -5, 0, "rosso"),  # overdue
        ("aperto", "basso", 30, 0, "rosso"),  # within 30 days
        ("aperto", "basso", 31, 0, "ambra"),
        ("aperto", "basso", 60, 0, "ambra"),
        ("aperto", "basso", 61, 0, "verde"),
        ("aperto", "basso", None, 0, "verde"),
        ("aperto", "alto", 90, 61, "rosso"),  # high risk and no update for over 60 days
        ("aperto", "alto", 90, 60, "verde"),  # 60 days is not "over 60"
        ("aperto", "medio", 90, 61, "ambra"),  # stale but not high risk
        ("in monitoraggio", "medio", None, 200, "ambra"),
        ("chiuso", "alto", -14, 300, "chiuso"),
    ],
)
def test_traffic_light_rule(stato: str, rischio: str, giorni: int | None, fermo: int, atteso: str) -> None:
    assert casi.semaforo(stato, rischio, giorni, fermo) == atteso


def test_traffic_light_on_the_demo_cases(elenco: pl.DataFrame) -> None:
    assert _riga(elenco, "AC-2025-17")["semaforo"] == "rosso"  # 150 days away but high risk, 130 days silent
    assert _riga(elenco, "AC-2025-14")["semaforo"] == "verde"
    assert _riga(elenco, "AC-2025-08")["semaforo"] == "ambra"
    assert _riga(elenco, "AC-2025-13")["semaforo"] == "ambra"  # medium risk, 66 days away, 61 days silent
    assert _riga(elenco, "AC-2025-01")["semaforo"] == "chiuso"
    assert elenco.group_by("semaforo").len().sort("semaforo").rows() == [
        ("ambra", 5),
        ("chiuso", 2),
        ("rosso", 9),
        ("verde", 4),
    ]


# --- urgency ---------------------------------------------------------------------------------------------


def test_urgency_order_on_the_demo_cases(elenco: pl.DataFrame) -> None:
    codici = elenco["codice"].to_list()
    # Overdue first, then by days to deadline (12 days before 16), the case without deadline after all dated
    # open cases, the closed ones last.
    assert codici[:5] == ["AC-2025-02", "AC-2025-03", "AC-2025-04", "AC-2025-19", "AC-2025-05"]
    assert codici[-3:] == ["AC-2025-18", "AC-2025-01", "AC-2025-06"]
    aperti = elenco.filter(pl.col("aperto"))["giorni_alla_scadenza"].drop_nulls().to_list()
    assert aperti == sorted(aperti)


def test_urgency_breaks_ties_by_risk() -> None:
    df = pl.DataFrame(
        {
            "codice": ["A", "B", "C", "D", "E", "F"],
            "rischio": ["basso", "alto", "medio", "alto", "basso", "alto"],
            "giorni_alla_scadenza": [10, 10, 10, None, -1, 5],
            "aperto": [True, True, True, True, True, False],
        }
    )
    assert casi.ordina_per_urgenza(df)["codice"].to_list() == ["E", "B", "C", "A", "D", "F"]


# --- filters and search ----------------------------------------------------------------------------------


def test_province_filter_matches_any_unit(elenco: pl.DataFrame, engine) -> None:
    assert casi.filtra(elenco, province=["PV"])["codice"].to_list() == ["AC-2025-19", "AC-2025-20", "AC-2025-12"]
    assert set(casi.filtra(elenco, province=["BS", "SO"])["codice"]) == {"AC-2025-02", "AC-2025-12", "AC-2025-13"}
    # AC-2025-12 has units in BS and PV: it matches either province.
    assert sorted(_riga(elenco, "AC-2025-12")["province"]) == ["BS", "PV"]
    assert casi.filtra(elenco, province=None).height == 20


def test_type_sector_status_and_risk_filters(elenco: pl.DataFrame) -> None:
    assert casi.filtra(elenco, tipi=["LIC"]).height == 6
    assert casi.filtra(elenco, settori=["31"])["codice"].to_list() == ["AC-2025-04", "AC-2025-11", "AC-2025-18"]
    assert casi.filtra(elenco, stati=["in monitoraggio"], rischi=["alto"])["codice"].to_list() == [
        "AC-2025-10",
        "AC-2025-17",
    ]
    assert casi.filtra(elenco, stati=list(casi.STATI_APERTI)).height == 18
    assert casi.filtra(elenco, settori=["31"], rischi=["basso"]).is_empty()


def test_search_is_a_case_insensitive_substring(elenco: pl.DataFrame) -> None:
    assert casi.filtra(elenco, testo="benaco")["codice"].to_list() == ["AC-2025-02"]
    assert set(casi.filtra(elenco, testo="  TESSITURA ")["ragione_sociale"]) == {
        "Casati Tessitura & C. S.n.c.",
        "Tessitura Vimercatese S.p.A.",
    }
    # Punctuation is literal, not a pattern: "S.p.A." does not match "S.r.l." names.
    spa = casi.filtra(elenco, testo="s.p.a.")
    assert spa.height == 8 and spa["ragione_sociale"].str.ends_with("S.p.A.").all()
    assert casi.filtra(elenco, testo="inesistente").is_empty()
    assert casi.filtra(elenco, testo="   ").height == 20


def test_sector_options(elenco: pl.DataFrame) -> None:
    settori = casi.settori(elenco)
    assert settori["14"] == "14 Confezione di articoli di abbigliamento"
    assert list(settori) == sorted(settori)


# --- headline figures and list -----------------------------------------------------------------------------


def test_headline_figures_count_open_cases(elenco: pl.DataFrame) -> None:
    ind = casi.indicatori(elenco)
    aperti = elenco.filter(pl.col("stato") != "chiuso")
    assert ind.aperti == 18 == aperti.height
    assert ind.lavoratori == 4069 == aperti["lavoratori"].sum()
    assert (ind.entro_30, ind.entro_60, ind.scaduti, ind.senza_aggiornamento) == (5, 11, 1, 6)
    # The closed AC-2025-01 is 14 days overdue but does not count.
    assert _riga(elenco, "AC-2025-01")["giorni_alla_scadenza"] == -14
    voci = casi.voci_indicatori(ind)
    assert [v[1] for v in voci] == ["18", "4.069", "5", "11", "1", "6"]
    # Every card is told apart by its first word, even where a narrow screen cuts the rest.
    assert len({v[0].split()[0] for v in voci}) == len(voci)


def test_list_table_columns_and_values(elenco: pl.DataFrame) -> None:
    tab = casi.tabella_elenco(elenco)
    # Provinces and PAL share right after the company: in sight on a 1280 px screen without scrolling sideways.
    assert tab.columns[:6] == ["Semaforo", "Caso", "Azienda", "Province", "PAL attivate (%)", "Scadenza"]
    riga = tab.row(0, named=True)
    assert riga["Caso"] == "AC-2025-02"
    assert riga["Semaforo"] == "Rosso"
    assert riga["PAL attivate (%)"] == 41.1  # 182 of 443
    assert riga["Ultimo tavolo"] == date(2025, 12, 15)
    assert riga["Procedure"] == "CIGS min."
    lic = tab.filter(pl.col("Caso") == "AC-2025-17").row(0, named=True)
    assert lic["PAL attivate (%)"] is None and lic["Ultimo tavolo"] == date(2025, 9, 23)
    assert tab.filter(pl.col("Caso") == "AC-2025-06")["Ultimo tavolo"].item() is None  # never at a tavolo
    assert tab.filter(pl.col("Caso") == "AC-2025-19")["Province"].item() == "MI, PV"


def _colore_pallino(uri: str) -> tuple[int, int, int]:
    img = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")
    return img.getpixel((20, 20))


def test_shown_list_is_italian_and_coloured(elenco: pl.DataFrame) -> None:
    vista = grafici.elenco_visibile(casi.tabella_elenco(elenco))
    valori = {v for riga in vista.drop(grafici.COLONNA_LUCE).iter_rows() for v in riga}
    assert {"12/01/2026", "41,1%"} <= valori
    # No cell reads as missing: a share of nobody does not apply, a case may have no deadline or no tavolo yet.
    assert "n.d." not in valori
    lic = vista.filter(pl.col("Caso") == "AC-2025-17").row(0, named=True)
    assert lic["PAL attivate (%)"] == "non applicabile"
    assert vista.filter(pl.col("Caso") == "AC-2025-06")["Ultimo tavolo"].item() == "nessuno"
    rosso = vista.filter(pl.col("Semaforo") == "Rosso")[grafici.COLONNA_LUCE][0]
    assert _colore_pallino(rosso) == (0xEE, 0x4B, 0x4B)  # tema.COLORE_SEMAFORO["rosso"]


def test_the_red_light_is_drawn_red() -> None:
    tinta, _, saturazione = colorsys.rgb_to_hls(*(c / 255 for c in _colore_pallino(grafici.PALLINO["Rosso"])))
    assert (tinta < 8 / 360 or tinta > 352 / 360) and saturazione > 0.6  # red, not the orange read as amber
    assert tema.contrasto(tema.GRIGIO_TESTO, tema.COLORE_SEMAFORO["rosso"]) >= 4.5
    assert len(set(grafici.PALLINO.values())) == 4


# --- detail and brief ----------------------------------------------------------------------------------------


def test_funnel_suppresses_small_stages() -> None:
    step = pl.DataFrame({"stato_step": ["STEP1", "STEP2", "STEP3", "STEP4", "NOPAL"], "lavoratori": [10, 2, 7, 40, 5]})
    fasi = casi.funnel_caso(step)
    testi = dict(fasi.select("stato_step", casi.testo_lavoratori()).iter_rows())
    # STEP 2 is below 3; NO PAL, the next smallest, goes too so that the cohort total does not give it back.
    assert testi == {"STEP1": "10", "STEP2": "<3", "STEP3": "7", "STEP4": "40", "NOPAL": "riservato"}
    assert fasi[casi.NASCOSTI].is_not_null().to_list() == [False, True, False, False, True]
    assert casi.funnel_caso(step.filter(pl.col("stato_step") != "STEP2")).select(casi.testo_lavoratori())[
        "lavoratori"
    ].to_list() == [
        "10",
        "0",
        "7",
        "40",
        "5",
    ]


def test_cumulative_progress_reaches_the_stage_totals(engine) -> None:
    prog = casi.progressione_cumulata(q.progressione_step(engine, "AC-2025-02"), AL)
    finali = dict(prog.group_by("step").agg(pl.col("lavoratori").last()).iter_rows())
    # Reaching STEP 2 includes those now further on, and 17 exempted after STEP 2: 72 + 103 + 182 + 17.
    assert finali == {"STEP1": 443, "STEP2": 374, "STEP3": 285, "STEP4": 182}
    for step in finali:
        serie = prog.filter(pl.col("step") == step)
        assert serie["lavoratori"].is_sorted() and serie["data"].max() == AL and serie["lavoratori"][0] == 0


def test_detail_withholds_the_curves_when_the_funnel_hides_a_stage(engine) -> None:
    """The curves' end points would give a hidden stage back: the read of a case's detail drops them then."""
    grezza = q.progressione_step(engine, "AC-2025-02")
    visibili = casi.funnel_caso(pl.DataFrame({"stato_step": ["STEP1", "STEP4"], "lavoratori": [261, 182]}))
    nascosta = casi.funnel_caso(pl.DataFrame({"stato_step": ["STEP1", "STEP4"], "lavoratori": [441, 2]}))
    assert casi.progressione_visibile(grezza, visibili, AL).equals(casi.progressione_cumulata(grezza, AL))
    assert casi.progressione_visibile(grezza, nascosta, AL).is_empty()
    det = letture.dettaglio(engine, "AC-2025-02", AL)
    assert det.fasi[casi.NASCOSTI].is_null().all()
    assert det.progressione.equals(casi.progressione_cumulata(grezza, AL))
    assert det.procedure.height == 1 and det.tavoli.height == 2  # the tavoli held after its opening (25/09/2025)


def test_timeline_and_funnel_figures(engine, elenco: pl.DataFrame) -> None:
    caso = _riga(elenco, "AC-2025-02")
    fig = grafici.cronologia(
        q.procedure_caso(engine, "AC-2025-02"),
        q.tavoli_caso(engine, "AC-2025-02", AL),
        casi.progressione_cumulata(q.progressione_step(engine, "AC-2025-02"), AL),
        caso,
        AL,
        "Fonte: prova.",
    )
    assert fig.layout.title.text == "Cronologia del caso: 1 procedura, 2 tavoli, PAL attivata per 182 lavoratori"
    assert [t.type for t in fig.data].count("bar") == 1
    assert len(fig.data[1].x) == 2  # the tavoli
    testi = [a.text for a in fig.layout.annotations]
    assert "Scadenza 12/01/2026" in testi and "Dati al 15/01/2026" in testi
    # What expires is in the subtitle: a long kind as a label would run off a narrow chart.
    assert fig.layout.title.subtitle.text == "Scadenza CIGS: scaduta da 3 giorni (al 15/01/2026)"
    funnel = grafici.funnel(casi.funnel_caso(q.step_per_caso(engine, "AC-2025-02")), "Fonte: prova.")
    assert funnel.layout.title.text == "PAL attivata per 182 dei 443 lavoratori (41,1%)"


def test_map_has_no_basemap_and_shows_the_units(engine) -> None:
    deck = grafici.mappa_unita(q.unita_caso(engine, "AC-2025-09"), ["MI"])
    spec = json.loads(deck.to_json())
    assert spec["mapStyle"] == "__MAP_STYLE__"  # pydeck's sentinel: Streamlit then loads no basemap
    assert "http" not in json.dumps(spec)
    tipi = [layer["@@type"] for layer in spec["layers"]]
    assert tipi == ["GeoJsonLayer", "TextLayer", "ScatterplotLayer"]
    punti = spec["layers"][2]
    assert punti["radiusUnits"] == "pixels" and len(punti["data"]) == 3
    assert len(spec["layers"][0]["data"]["features"]) == 12


def _scheda(engine, caso: dict, info: InfoDati) -> str:
    """The brief of a case with its detail read from the database, as the Casi page builds it."""
    codice = caso["codice"]
    procedure, tavoli = q.procedure_caso(engine, codice), q.tavoli_caso(engine, codice, AL)
    return brief.scheda(caso, procedure, tavoli, casi.funnel_caso(q.step_per_caso(engine, codice)), info)


def test_brief_holds_the_case_figures(engine, elenco: pl.DataFrame) -> None:
    info = info_dati(engine)
    caso = _riga(elenco, "AC-2025-02")
    html = _scheda(engine, caso, info)
    assert "Confezioni Benaco S.p.A." in html
    assert '<div class="valore">443</div>' in html  # workers involved
    assert "Prossima scadenza: 12/01/2026" in html and "scaduta da 3 giorni al 15/01/2026" in html
    assert "Scadenza CIGS" in html
    assert "Ministero del Lavoro" in html  # an institutional level
    assert "41,1%" in html and "STEP 4: 182" in html
    assert "Dati al <strong>15/01/2026</strong>" in html and "Dati dimostrativi" in html
    assert "size: A4" in html and 'lang="it"' in html
    assert 'font-family: "Source Sans 3", "Source Sans Pro", "DejaVu Sans", "Arial", sans-serif;' in html
    assert caso["note"][:40] in html
    assert brief.nome_file("AC-2025-02", info) == "scheda-caso_AC-2025-02_dati-al-2026-01-15.html"


def test_brief_says_the_decision_asked_for_the_next_steps_and_who_follows_the_case(
    engine, elenco: pl.DataFrame
) -> None:
    html = _scheda(engine, _riga(elenco, "AC-2025-02"), info_dati(engine))
    assert "<h2>Prossimi passi e decisione richiesta</h2>" in html
    # The deadline is 3 days past: the decision is about it.
    assert (
        "<strong>Decisione richiesta:</strong> Scadenza CIGS del 12/01/2026 (scaduta da 3 giorni): decidere subito "
        "come proseguire; stabilire con l&#x27;azienda e le parti sociali se chiedere la proroga della CIGS"
    ) in html
    # 443 in the step model, 182 at STEP 4, 40 exempted: 221 still without a PAL, stage by stage.
    assert "221 lavoratori su 443 ancora senza PAL attivata (46 allo STEP 1, 72 allo STEP 2, 103 allo STEP 3)" in html
    assert "Referente del caso: <strong>Paola Brivio, Presidio crisi</strong>" in html
    assert '<a href="mailto:paola.brivio@presidio-crisi.example">' in html


def test_brief_without_owner_says_so_and_escapes_it(engine, elenco: pl.DataFrame) -> None:
    info = info_dati(engine)
    senza = _scheda(engine, {**_riga(elenco, "AC-2025-02"), "referente": None, "contatto_referente": None}, info)
    assert "Referente del caso: non indicato nella scheda." in senza
    ostile = {**_riga(elenco, "AC-2025-02"), "referente": "<b>X</b>", "contatto_referente": '"x@y" onclick=1'}
    html = _scheda(engine, ostile, info)
    assert "<b>X</b>" not in html and "&lt;b&gt;X&lt;/b&gt;" in html and "mailto" not in html


def _passi(caso: dict, step: list[tuple[str, int]] | None = None) -> casi.ProssimiPassi:
    schema = {"stato_step": pl.String, "lavoratori": pl.Int64}
    fasi = casi.funnel_caso(pl.DataFrame(step or [], schema=schema, orient="row"))
    return casi.prossimi_passi(caso, fasi, AL)


@pytest.mark.parametrize(
    ("modifiche", "decisione", "passo"),
    [
        ({"stato": "chiuso"}, "Nessuna: il caso è chiuso.", "la scheda resta per consultazione"),
        (
            {"prossima_scadenza": date(2026, 1, 10), "giorni_alla_scadenza": -5},
            "Scadenza CIGS del 10/01/2026 (scaduta da 5 giorni): decidere subito",
            None,
        ),
        (
            {"prossima_scadenza": date(2026, 2, 5), "giorni_alla_scadenza": 21, "tipo_scadenza": "Prossimo tavolo"},
            "Prossimo tavolo del 05/02/2026 (tra 21 giorni): preparare la posizione della Regione",
            None,
        ),
        (
            {"prossima_scadenza": date(2026, 3, 1), "giorni_alla_scadenza": 45},
            "Nessuna decisione urgente",
            "Preparare per tempo: Scadenza CIGS del 01/03/2026 (tra 45 giorni)",
        ),
        ({"prossima_scadenza": None, "giorni_alla_scadenza": None}, "Nessuna decisione urgente", "Nessuna scadenza"),
        (
            {"rischio": "alto", "giorni_senza_aggiornamento": 80, "province": ["BG", "VA"]},
            "Caso a rischio alto con la scheda ferma da 80 giorni: chiedere un aggiornamento ai Nuclei crisi di "
            "Bergamo, Varese",
            None,
        ),
        (
            {"tavoli": 0, "rischio": "alto"},
            "Nessuna decisione urgente",
            "non è ancora stato discusso a un tavolo: proporlo al tavolo bilaterale con Milano o al Tavolo regionale",
        ),
        (
            {"tavoli": 2, "ultimo_tavolo": date(2025, 9, 1)},
            "Nessuna decisione urgente",
            "Ultimo tavolo il 01/09/2025, 136 giorni prima della data dei dati",
        ),
    ],
)
def test_next_steps_follow_the_case_data(modifiche: dict, decisione: str, passo: str | None) -> None:
    caso = {**_riga(_mini_casi({"A": 30}, []), "A"), "tavoli": 1, "ultimo_tavolo": date(2025, 12, 1), **modifiche}
    p = _passi(caso)
    assert p.decisione.startswith(decisione)
    if passo:
        assert any(passo in v for v in p.passi), p.passi


def test_next_steps_count_workers_without_pal_unless_a_stage_is_hidden() -> None:
    caso = {**_riga(_mini_casi({"A": 60}, [], scadenza=None), "A"), "tavoli": 1, "ultimo_tavolo": date(2025, 12, 1)}
    caso["quota_pal"] = 10 / 60
    chiari = " | ".join(_passi(caso, [("STEP1", 20), ("STEP2", 15), ("STEP3", 10), ("STEP4", 10), ("NOPAL", 5)]).passi)
    assert "45 lavoratori su 60 ancora senza PAL attivata (20 allo STEP 1, 15 allo STEP 2, 10 allo STEP 3)" in chiari
    # Opened on 1 March 2025: 320 days, past the 4 months of the GOL target, with a share under half.
    assert "A 320 giorni dall'apertura le PAL attivate sono il 16,7%" in chiari
    riservati = _passi(caso, [("STEP1", 40), ("STEP2", 1), ("STEP4", 19)]).passi
    passo = next(p for p in riservati if "restano riservate" in p)
    assert not any(c.isdigit() for c in passo) and not any("ancora senza PAL attivata (" in p for p in riservati)
    assert any("Nessun lavoratore del caso nel modello a step" in p for p in _passi(caso).passi)


def test_brief_escapes_text_and_handles_a_case_without_step(engine, elenco: pl.DataFrame) -> None:
    info = InfoDati(data_estrazione=AL, demo=False, fonti=("prova",))
    caso = {**_riga(elenco, "AC-2025-17"), "note": "<script>alert(1)</script> & altro"}
    html = _scheda(engine, caso, info)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; altro" in html
    assert "Distribuzione Bergamasca S.r.l." in html
    assert "14/06/2026" in html and "tra 150 giorni" in html
    assert "Nessun tavolo registrato." not in html  # its tavolo of 23/09/2025
    senza_tavoli = _scheda(engine, _riga(elenco, "AC-2025-06"), info)
    assert "Nessun tavolo registrato." in senza_tavoli
    assert "Tavoli · nessuno finora" in senza_tavoli and "ultimo il n.d." not in senza_tavoli
    assert '<div class="valore">non applicabile</div>' in html  # AC-2025-17 has no worker in the step model
    assert "nessun lavoratore nel modello a step" in html
    assert "Dati dimostrativi" not in html


def _mini_casi(
    lavoratori: dict[str, int], step: list[tuple[str, str, int]], scadenza: date | None = date(2026, 3, 1)
) -> pl.DataFrame:
    """A list of synthetic open cases, one procedure in MI each, composed as the page does."""
    codici = list(lavoratori)
    base = pl.DataFrame(
        {
            "codice": codici,
            "ragione_sociale": [f"Azienda {c}" for c in codici],
            "ateco_codice": ["25"] * len(codici),
            "ateco_descrizione": ["Metallo"] * len(codici),
            "stato": ["aperto"] * len(codici),
            "rischio": ["medio"] * len(codici),
            "livelli_istituzionali": ["Regione Lombardia, Provincia"] * len(codici),
            "data_apertura": [date(2025, 3, 1)] * len(codici),
            "prossima_scadenza": [scadenza] * len(codici),
            "tipo_scadenza": ["Scadenza CIGS"] * len(codici),
            "data_ultimo_aggiornamento": [date(2026, 1, 5)] * len(codici),
            "note": [None] * len(codici),
            "referente": [None] * len(codici),
            "contatto_referente": [None] * len(codici),
        },
        schema=q.SCHEMA_CASI,
    )
    coinv = pl.DataFrame(
        [(c, "CIGS_MIN", "MI", 1, n, 1) for c, n in lavoratori.items()], schema=q.SCHEMA_COINVOLGIMENTO, orient="row"
    )
    tavoli = pl.DataFrame(schema=q.SCHEMA_TAVOLI_PER_CASO)
    return casi.componi(base, coinv, pl.DataFrame(step, schema=q.SCHEMA_STEP, orient="row"), tavoli, AL)


def test_small_case_counts_are_hidden_in_list_figures_and_brief() -> None:
    step = [("B", s, n) for s, n in (("STEP1", 5), ("STEP2", 5), ("STEP3", 5), ("STEP4", 2), ("NOPAL", 3))]
    df = _mini_casi({"A": 2, "B": 20, "C": 300}, step)
    testi = dict(df.select("codice", casi.testo_lavoratori()).iter_rows())
    # A is below 3; B, the next smallest, is hidden too because the headline figure shows the total.
    assert testi == {"A": "<3", "B": "riservato", "C": "300"}
    assert casi.voci_indicatori(casi.indicatori(df))[1][1] == "riservato"
    assert casi.indicatori(casi.filtra(df, testo="azienda c")).lavoratori == 300
    tab = casi.tabella_elenco(df)
    assert dict(zip(tab["Caso"], tab["Lavoratori"], strict=True)) == {"A": "<3", "B": "riservato", "C": "300"}
    # B's STEP 4 count (2) is hidden in its funnel, so its PAL share is withheld as well.
    b = _riga(df, "B")
    assert b[casi.PAL_NASCOSTA] == "riservato" and b["quota_pal"] is None
    assert tab.filter(pl.col("Caso") == "B")["PAL attivate (%)"].item() == "riservato"
    mostrati = dict(grafici.elenco_visibile(tab).select("Caso", "Lavoratori").iter_rows())
    assert mostrati == {"A": "<3", "B": "riservato", "C": "300"}
    info = InfoDati(data_estrazione=AL, demo=True, fonti=("prova",))
    vuoto = pl.DataFrame(schema=q.SCHEMA_PROCEDURE)
    scheda = brief.scheda(
        b,
        vuoto,
        pl.DataFrame(schema=q.SCHEMA_TAVOLI),
        casi.funnel_caso(
            pl.DataFrame(
                [(s, n) for _, s, n in step], schema={"stato_step": pl.String, "lavoratori": pl.Int64}, orient="row"
            )
        ),
        info,
    )
    assert '<div class="valore">riservato</div>' in scheda
    assert "STEP 4: &lt;3" in scheda and ">20<" not in scheda


def test_weekly_progress_never_rises_by_a_small_count() -> None:
    prog = pl.DataFrame(
        [
            ("STEP1", date(2025, 10, 1), 4),
            ("STEP1", date(2025, 10, 9), 1),  # alone in its week: waits for the next rise
            ("STEP1", date(2025, 10, 15), 2),
            ("STEP1", date(2025, 11, 20), 1),  # a last remainder joins the previous rise
        ],
        schema=q.SCHEMA_PROGRESSIONE,
        orient="row",
    )
    serie = casi.progressione_cumulata(prog, AL).filter(pl.col("step") == "STEP1")
    assert serie.rows() == [
        ("STEP1", date(2025, 9, 30), 0),
        ("STEP1", date(2025, 10, 5), 4),
        ("STEP1", date(2025, 10, 19), 8),
        ("STEP1", AL, 8),
    ]
    salti = [b - a for a, b in zip(serie["lavoratori"], serie["lavoratori"][1:], strict=False) if b != a]
    assert all(s >= 3 for s in salti)


def test_a_nucleo_sees_only_its_part_of_a_case_spanning_provinces(engine, elenco: pl.DataFrame) -> None:
    # AC-2025-18 has a unit in Como (6 workers) and one in Milano (199): Milano's Nucleo sees its 199.
    intero = elenco.filter(pl.col("codice") == "AC-2025-18").row(0, named=True)
    assert (intero["lavoratori"], intero["procedure"], intero["province"]) == (205, 2, ["CO", "MI"])
    parte = letture.elenco(engine, AL, ("MI",)).filter(pl.col("codice") == "AC-2025-18").row(0, named=True)
    assert (parte["lavoratori"], parte["procedure"], parte["province"]) == (199, 1, ["MI"])
    det = letture.dettaglio(engine, "AC-2025-18", AL, ("MI",))
    assert det.procedure["lavoratori"].to_list() == [199] and det.unita["sigla"].to_list() == ["MI"]
    tutto = letture.dettaglio(engine, "AC-2025-18", AL)
    assert tutto.procedure["lavoratori"].to_list() == [205]  # one procedure with a unit in each province


def test_step_figures_of_a_part_of_a_case_count_its_workers_there(engine) -> None:
    tutte = q.step_per_caso(engine)
    # Row by row over all provinces but one, plus the missing one, gives the whole (read from the derived table).
    parti = pl.concat([q.step_per_caso(engine, province=SIGLE[:-1]), q.step_per_caso(engine, province=SIGLE[-1:])])
    somma = parti.group_by("codice", "stato_step").agg(pl.col("lavoratori").sum()).sort("codice", "stato_step")
    assert somma.equals(tutte.sort("codice", "stato_step"))
    progressione = q.progressione_step(engine, "AC-2025-01", ("MI",))
    assert progressione["lavoratori"].sum() <= q.progressione_step(engine, "AC-2025-01")["lavoratori"].sum()


class _Struttura(HTMLParser):
    """The tags of an HTML page with their attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tag: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tag.append((tag, dict(attrs)))


def test_brief_is_an_accessible_document_and_prints_to_a_tagged_pdf(engine, elenco: pl.DataFrame, tmp_path) -> None:
    info = info_dati(engine)
    caso = _riga(elenco, "AC-2025-02")
    html = _scheda(engine, caso, info)
    struttura = _Struttura()
    struttura.feed(html)
    tag = [t for t, _ in struttura.tag]
    assert struttura.tag[0] == ("html", {"lang": "it"}) and tag.count("title") == 1
    assert tag.count("h1") == 1 and tag.count("h2") >= 5 and tag.index("h1") < tag.index("h2")
    assert tag.count("main") == 1 and tag.count("caption") == tag.count("table") == 1
    intestazioni = [a for t, a in struttura.tag if t == "th"]
    assert len(intestazioni) == 5 and all(a.get("scope") == "col" for a in intestazioni)
    (barra,) = [a for _, a in struttura.tag if a.get("class") == "barra"]
    assert barra["role"] == "img" and re.search(r"STEP 1: [\d.]+; .*STEP 4: [\d.]+", barra["aria-label"])
    assert all(t != "img" or a.get("alt") for t, a in struttura.tag)

    documento = tmp_path / "scheda.pdf"
    documento.write_bytes(report_pdf.stampa(html, info.data_estrazione))
    pdf = pdf_accessibile.leggi(documento)
    assert pdf.info["Tagged"] == "yes"
    assert pdf.info["Title"] == f"Caso AC-2025-02: {caso['ragione_sociale']} — scheda al 15/01/2026"
    assert b"/Lang (it)" in pdf.dati and b"/DisplayDocTitle true" in pdf.dati and pdf.info["Pages"] == "1"
    assert pdf.conta("H1") == 1 and pdf.conta("H2") >= 5
    assert pdf.conta("Table") == pdf.conta("Caption") == 1 and pdf.albero.count("/Scope /Column") == 5
    assert pdf.conta("Figure") >= 1 and re.search(rb"/Alt [(<]", pdf.dati)
    assert pdf.conta("LI") >= 6  # the key figures, a list


def test_the_fullest_brief_prints_on_one_a4_page(engine, elenco: pl.DataFrame, tmp_path: Path) -> None:
    # AC-2025-08 has the most next steps, a long note and a hidden stage: the longest brief of the demo.
    html = _scheda(engine, _riga(elenco, "AC-2025-08"), info_dati(engine))
    pdf = tmp_path / "scheda.pdf"
    pdf.write_bytes(report_pdf.stampa(html, AL))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    testo = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "Decisione richiesta:" in testo and "davide.sartori@presidio-crisi.example" in testo
