"""Shaping of the step model: funnel arithmetic, provinces, timing, and the privacy rule on every table."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy.engine import Engine

from dashboard import privacy
from dashboard.charts import step_pal as grafici
from dashboard.viste import step_pal as sp
from data_access.dominio import SIGLE
from data_access.queries import step as q

SCHEMA = q.SCHEMA_PERCORSI


def _percorsi(righe: list[tuple[str, str, int, int, int, int, int]]) -> pl.DataFrame:
    """(province, stage, workers, reached STEP 1..4) rows, as the query returns them."""
    return pl.DataFrame(righe, schema=SCHEMA, orient="row")


def _stadi(sigla: str, step1: int, step2: int, step3: int, step4: int, nopal: int) -> list[tuple]:
    """A province's workers by current stage (exempted workers stop before STEP 2)."""
    return [
        (sigla, "STEP1", step1, step1, 0, 0, 0),
        (sigla, "STEP2", step2, step2, step2, 0, 0),
        (sigla, "STEP3", step3, step3, step3, step3, 0),
        (sigla, "STEP4", step4, step4, step4, step4, step4),
        (sigla, "NOPAL", nopal, nopal, 0, 0, 0),
    ]


@pytest.fixture(autouse=True)
def soglia_predefinita(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(privacy.ENV_SOGLIA, raising=False)


@pytest.fixture(scope="module")
def percorsi_demo(demo_url: str) -> pl.DataFrame:
    from data_access.engine import crea_engine

    eng: Engine = crea_engine(demo_url)
    try:
        return q.percorsi(eng, 2025, SIGLE)
    finally:
        eng.dispose()


# --- the 2025 cohort ----------------------------------------------------------------------------------------------
def test_funnel_2025_shows_the_published_figures(percorsi_demo: pl.DataFrame) -> None:
    f = sp.funnel(percorsi_demo)
    assert sp.coorte(percorsi_demo) == 4377
    righe = {r["codice"]: r for r in f.iter_rows(named=True)}
    assert righe["STEP4"]["lavoratori"] == 2232
    assert round(righe["STEP4"]["quota"], 1) == 51.0
    schermo = sp.per_schermo(f, sp.TABELLA_FUNNEL)
    step4 = schermo.filter(pl.col("Step") == "STEP 4").row(0, named=True)
    assert step4["Lavoratori arrivati allo step"] == "2.232"
    assert step4["Arrivati, % della coorte"] == "51,0"
    assert schermo.filter(pl.col("Step") == "STEP 1")["Lavoratori arrivati allo step"][0] == "4.377"
    assert f[privacy.marcatore("lavoratori")].is_null().all()  # nothing is hidden region-wide


def test_funnel_conversions_are_step_over_previous_step(percorsi_demo: pl.DataFrame) -> None:
    f = sp.funnel(percorsi_demo)
    raggiunti = f["lavoratori"].to_list()[:4]
    conversioni = f["conversione"].to_list()
    assert conversioni[0] == pytest.approx(100.0)  # everybody in the cohort was taken in charge
    for k in range(1, 4):
        assert conversioni[k] == pytest.approx(raggiunti[k] * 100 / raggiunti[k - 1])
    assert conversioni[4] is None  # NO PAL is apart: no conversion
    # The product of the conversions is the share at STEP 4.
    prodotto = 1.0
    for c in conversioni[:4]:
        prodotto *= c / 100
    assert prodotto * 100 == pytest.approx(f["quota"][3])


def test_headline_figures_2025(percorsi_demo: pl.DataFrame) -> None:
    f = sp.funnel(percorsi_demo)
    tempi = pl.DataFrame(
        {"sigla": ["TOT"], "giorni_step1_step4": [81.0], "quota_entro": [67.7]},
    )
    valori = {etichetta: valore for etichetta, valore, _ in sp.indicatori(f, tempi, sp.coorte(percorsi_demo))}
    assert valori["Lavoratori"] == "4.377"
    assert valori["PAL attivata"] == "2.232"
    assert valori["Quota PAL"] == "51,0%"
    assert valori["Giorni alla PAL"] == "81"
    assert valori["Entro 120 giorni"] == "67,7%"


def test_status_adds_up_to_the_cohort(percorsi_demo: pl.DataFrame) -> None:
    s = sp.stato_attuale(percorsi_demo)
    assert s["codice"].to_list() == ["STEP1", "STEP2", "STEP3", "STEP4", "NOPAL"]
    assert s["lavoratori"].sum() == 4377
    assert s["quota"].sum() == pytest.approx(100.0)
    assert s.filter(pl.col("codice") == "STEP4")["lavoratori"][0] == 2232


def test_provinces_below_the_regional_rate_are_flagged(percorsi_demo: pl.DataFrame) -> None:
    p = sp.province(percorsi_demo, "Lombardia")
    assert p["sigla"][0] == q.TOTALE and p["provincia"][0] == "Lombardia"
    media = p["quota_step4"][0]
    assert round(media, 1) == 51.0
    for r in p.slice(1).iter_rows(named=True):
        if r["quota_step4"] is not None:
            assert r["sotto_media"] == (r["quota_step4"] < media)
            assert r["quota_step4"] == pytest.approx(r["step4"] * 100 / r["coorte"])
    assert p.filter(pl.col("sigla") == "MI")["sotto_media"][0]  # 463 of 949 = 48,8%
    assert not p.filter(pl.col("sigla") == "CO")["sotto_media"][0]  # 509 of 842 = 60,5%
    # Cremona has 2 workers in the model: every step is hidden, and so is its share.
    cr = p.filter(pl.col("sigla") == "CR").row(0, named=True)
    assert cr["step4"] is None and cr["quota_step4"] is None
    assert cr[privacy.marcatore("step4")] == "<3"
    assert not cr["sotto_media"]
    # Each later step's column adds up to the total: one more province is hidden so that Cremona cannot be worked
    # out. STEP 1 is the published cohort of each province: nothing to protect there.
    assert p.slice(1)[privacy.marcatore("step1")].is_null().all()
    for c in sp.COLONNE_STEP[1:]:
        nascoste = p.slice(1).filter(pl.col(privacy.marcatore(c)).is_not_null())
        assert nascoste.height >= 2


# --- privacy on hand-made tables ----------------------------------------------------------------------------------
def test_status_small_cell_and_its_secondary_are_hidden() -> None:
    p = _percorsi(_stadi("BG", 40, 2, 30, 50, 9))
    s = sp.stato_attuale(p)
    per_codice = {r["codice"]: r for r in s.iter_rows(named=True)}
    assert per_codice["STEP2"]["lavoratori"] is None
    assert per_codice["STEP2"][privacy.marcatore("lavoratori")] == "<3"
    assert per_codice["STEP2"]["quota"] is None
    # Primary alone could be recovered as 131 - (40 + 30 + 50 + 9): the smallest other cell goes too.
    assert per_codice["NOPAL"]["lavoratori"] is None
    assert per_codice["NOPAL"][privacy.marcatore("lavoratori")] is not None
    visibili = [r["lavoratori"] for r in per_codice.values() if r["lavoratori"] is not None]
    assert visibili == [40, 30, 50]
    # The funnel hides the same exempted workers, though its own cells would not require it.
    f = sp.funnel(p)
    assert f.filter(pl.col("codice") == "NOPAL")["lavoratori"][0] is None


def test_province_grid_secondary_suppression() -> None:
    p = _percorsi(
        _stadi("BG", 10, 10, 10, 20, 5)
        + _stadi("BS", 12, 8, 9, 30, 4)
        + _stadi("CR", 0, 0, 0, 1, 0)
        + _stadi("MI", 20, 15, 15, 40, 6)
    )
    prov = sp.province(p, "Lombardia")
    cr = prov.filter(pl.col("sigla") == "CR").row(0, named=True)
    assert cr["step4"] is None and cr[privacy.marcatore("step4")] == "<3"
    # The STEP 4 column adds up to the total (91): a second province is hidden in it.
    col4 = prov.slice(1)
    assert col4.filter(pl.col(privacy.marcatore("step4")).is_not_null()).height >= 2
    assert prov["step4"][0] == 91  # the total stays visible
    visibili = col4["step4"].drop_nulls().sum()
    nascosti = 91 - visibili
    assert nascosti >= privacy.soglia()  # the hidden cells together are not a small count
    # A hidden count hides its share, and hidden shares never count as "below average".
    assert col4.filter(pl.col("step4").is_null())["quota_step4"].is_null().all()
    assert not col4.filter(pl.col("step4").is_null())["sotto_media"].any()


def test_single_small_province_hides_its_total_too() -> None:
    p = _percorsi(_stadi("CR", 0, 0, 0, 1, 1))
    prov = sp.province(p, "Selezione")
    assert prov["step4"].is_null().all()
    assert prov[privacy.marcatore("step4")].to_list() == ["<3", "<3"]
    f = sp.funnel(p)
    assert f["lavoratori"].is_null().all()
    assert f[privacy.marcatore("conversione")].drop_nulls().len() == 4


def test_measures_follow_a_hidden_step4() -> None:
    per_misura = pl.DataFrame(
        {
            "sigla": ["BG", "BG", "CR", "MI", "MI"],
            "misura": ["GOL", "Dote Unica Lavoro", "GOL", "GOL", "Azioni di Rete"],
            "lavoratori": [12, 8, 1, 30, 10],
        }
    )
    prov = pl.DataFrame({"sigla": ["TOT", "BG", "CR", "MI"], privacy.marcatore("step4"): [None, None, "<3", None]})
    griglia = sp.misure_per_provincia(per_misura, prov)
    assert griglia.filter(pl.col("sigla") == "CR")["lavoratori"].is_null().all()
    # GOL row adds up to 43: with Cremona hidden, another GOL cell goes too.
    gol = griglia.filter(pl.col("misura") == "GOL")
    assert gol["lavoratori"].null_count() >= 2
    assert griglia["misura"].unique(maintain_order=True).to_list()[:4] == [
        "Dote Unica Lavoro",
        "Formazione Continua",
        "GOL",
        "Azioni di Rete",
    ]
    totali = sp.misure(per_misura, step4_nascosto=False)
    assert totali["misura"].to_list() == ["Dote Unica Lavoro", "Formazione Continua", "GOL", "Azioni di Rete"]
    assert totali["lavoratori"].to_list() == [8, 0, 43, 10]
    assert sp.misure(per_misura, step4_nascosto=True)["lavoratori"].is_null().all()


def test_operators_are_suppressed_within_their_province() -> None:
    op = pl.DataFrame(
        {
            "operatore_id": [1, 2, 3, 4],
            "operatore": ["A", "B", "C", "D"],
            "sigla": ["BG", "BG", "BG", "MI"],
            "lavoratori": [20, 2, 9, 15],
            "pal": [10, 1, 5, 7],
        }
    )
    o = sp.operatori(op)
    assert o["operatore"].to_list()[:2] == ["A", "D"]  # most workers first, hidden ones last
    b = o.filter(pl.col("operatore") == "B").row(0, named=True)
    assert b["lavoratori"] is None and b[privacy.marcatore("lavoratori")] == "<3"
    assert b["quota_pal"] is None
    # Bergamo's operators: B is hidden, so is the next smallest (C).
    assert o.filter(pl.col("operatore") == "C")["lavoratori"][0] is None
    assert o.filter(pl.col("operatore") == "D")["lavoratori"][0] == 15


def test_monthly_cohorts_fill_empty_months_and_hide_small_ones() -> None:
    grezzi = pl.DataFrame(
        {
            "sigla": ["BG", "BG", "MI"],
            "anno_presa": [2025, 2025, 2025],
            "mese_presa": [1, 3, 3],
            "lavoratori": [2, 30, 20],
            "pal": [1, 20, 12],
            "esonerati": [0, 1, 2],
            "in_finestra": [2, 29, 18],
            "entro_obiettivo": [1, 15, 10],
        }
    )
    m = sp.mensili(grezzi)
    assert m["mese"].to_list() == ["gen 2025", "feb 2025", "mar 2025"]
    assert m["lavoratori"].to_list()[1] == 0  # an empty month is shown as zero, not left out
    gen = m.row(0, named=True)
    assert gen["lavoratori"] is None and gen[privacy.marcatore("lavoratori")] == "<3"
    assert gen["quota_pal"] is None
    # March alone would give January away from the cohort total: it is hidden as well.
    assert m.row(2, named=True)["lavoratori"] is None


def test_timing_shares_and_small_medians() -> None:
    mediane = pl.DataFrame(
        {
            "sigla": ["BG", "BG", "MI", "TOT"],
            "intervallo": ["STEP1-STEP4", "STEP1-STEP2", "STEP1-STEP4", "STEP1-STEP4"],
            "lavoratori": [4, 5, 1, 5],
            "mediana": [96.0, 10.0, 30.0, 72.0],
        }
    )
    mensili = pl.DataFrame(
        {
            "sigla": ["BG", "MI"],
            "anno_presa": [2025, 2025],
            "mese_presa": [1, 1],
            "lavoratori": [6, 3],
            "pal": [4, 1],
            "esonerati": [1, 0],
            "in_finestra": [4, 3],
            "entro_obiettivo": [2, 1],
        }
    )
    t = sp.tempi(mediane, mensili, "Lombardia")
    righe = {r["sigla"]: r for r in t.iter_rows(named=True)}
    assert righe["TOT"]["giorni_step1_step4"] == 72.0
    assert righe["TOT"]["quota_entro"] == pytest.approx(3 * 100 / 7)
    assert righe["BG"]["giorni_step1_step4"] == 96.0
    assert righe["BG"]["in_finestra"] == 4 and righe["MI"]["in_finestra"] == 3
    # One worker's days are one person's data: the median over 1 worker is hidden.
    assert righe["MI"]["giorni_step1_step4"] is None
    assert righe["MI"][privacy.marcatore("giorni_step1_step4")] == "<3"
    # Within 120 days: 2 in BG and 1 in MI are small counts, hidden with their shares; the total (3) stays.
    assert righe["MI"]["entro_obiettivo"] is None and righe["BG"]["entro_obiettivo"] is None
    assert righe["BG"][privacy.marcatore("quota_entro")] == "<3"
    assert righe["TOT"]["entro_obiettivo"] == 3
    schermo = sp.per_schermo(t, sp.TABELLA_TEMPI)
    assert schermo["PAL entro 120 giorni (%)"][0] == "42,9"


# --- tables for the screen and the downloads ----------------------------------------------------------------------
def test_screen_and_download_tables() -> None:
    p = _percorsi(_stadi("BG", 40, 2, 30, 1500, 9))
    s = sp.stato_attuale(p)
    schermo = sp.per_schermo(s, sp.TABELLA_STATO)
    assert schermo.columns == ["Step", "Fase", "Lavoratori", "% della coorte"]
    assert schermo["Lavoratori"].to_list()[:4] == ["40", "<3", "30", "1.500"]
    assert schermo["% della coorte"][1] == "<3"
    scarico = sp.per_download(s, sp.TABELLA_STATO)
    assert scarico["Lavoratori"].dtype == pl.String
    assert scarico["Lavoratori"].to_list()[:4] == ["40", "<3", "30", "1500"]
    assert scarico["% della coorte"][1] is None  # a hidden share is left blank
    assert scarico["% della coorte"][3] == 94.9  # 1.500 of 1.581, one decimal
    # Nothing hidden: counts stay numbers in the download.
    intero = sp.per_download(sp.stato_attuale(_percorsi(_stadi("BG", 40, 20, 30, 1500, 9))), sp.TABELLA_STATO)
    assert intero["Lavoratori"].dtype == pl.Int64


def test_threshold_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(privacy.ENV_SOGLIA, "5")
    s = sp.stato_attuale(_percorsi(_stadi("BG", 40, 4, 30, 50, 9)))
    assert s.filter(pl.col("codice") == "STEP2")[privacy.marcatore("lavoratori")][0] == "<5"


# --- charts never carry a hidden value ----------------------------------------------------------------------------
def test_charts_draw_hidden_cells_empty_with_their_label() -> None:
    p = _percorsi(_stadi("BG", 40, 2, 30, 50, 9) + _stadi("CR", 0, 0, 0, 1, 1))
    stato = sp.stato_attuale(p)
    fig = grafici.stato_attuale(stato, sp.coorte(p), "Fonte: prova.", 2025)
    disegnati = {t.name: t.x[0] for t in fig.data}
    # Hidden stages are drawn together as one hatched block: no single hidden stage gets a length.
    riservati = [n for n in disegnati if n.startswith("Riservati")]
    assert len(riservati) == 1
    assert sum(disegnati.values()) == sp.coorte(p)
    assert all(not n.startswith(("STEP 2", "NO PAL")) for n in disegnati)
    prov = sp.province(p, "Lombardia")
    heat = grafici.province(prov, "Fonte: prova.")
    testi = [t for tr in heat.data if tr.type == "scatter" for t in tr.text]
    assert "<3" in testi
    # The heatmap's values for hidden cells are empty; STEP 1 is 100% of any cohort, a share that tells nothing.
    z = heat.data[0].z
    riga_cr = next(i for i, nome in enumerate(heat.data[0].y) if "Cremona" in nome)
    assert z[riga_cr][0] == 100.0 and all(v is None for v in z[riga_cr][1:])


def test_chart_titles_state_the_finding(percorsi_demo: pl.DataFrame) -> None:
    f = sp.funnel(percorsi_demo)
    fig = grafici.funnel(f, sp.coorte(percorsi_demo), "Fonte: prova.")
    assert fig.layout.title.text == "PAL attivata per 2.232 lavoratori su 4.377: il 51,0%"
    prov = sp.province(percorsi_demo, "Lombardia")
    sotto = int(prov["sotto_media"].sum())
    assert grafici.province(prov, "Fonte: prova.").layout.title.text.startswith(f"PAL attivata: {sotto} province su")


def test_start_year_constant_matches_the_decree() -> None:
    assert date(2025, 4, 10).year == sp.ANNO_AVVIO


def test_measures_by_province_hide_no_cell_the_rule_does_not_require(engine) -> None:
    """The 2025 download: the rule alone hides 13 of 44 cells; the provinces hidden elsewhere must not cascade."""
    misure = q.misure(engine, 2025, SIGLE)
    province = sp.province(q.percorsi(engine, 2025, SIGLE), "Lombardia")
    tabella = sp.misure_per_provincia(misure, province)
    celle = (
        tabella.select("misura", "sigla")
        .join(misure, on=["misura", "sigla"], how="left")
        .with_columns(pl.col("lavoratori").fill_null(0))
    )
    regola = privacy.maschera(celle, "lavoratori", "misura", "sigla")
    nascoste = tabella[privacy.marcatore("lavoratori")].is_not_null()
    assert celle.height == 44 and int(regola.sum()) == 13
    assert not (nascoste & ~regola).any(), "a cell hidden that the rule does not require"
    bergamo = tabella.filter((pl.col("sigla") == "BG") & (pl.col("misura") == "Dote Unica Lavoro"))
    assert bergamo["lavoratori"].to_list() == [116]
    # Where the province table hides STEP 4, its measures (which add up to it) are hidden here too.
    for sigla in province.filter(pl.col(privacy.marcatore("step4")).is_not_null())["sigla"]:
        assert tabella.filter(pl.col("sigla") == sigla)["lavoratori"].is_null().all()


def test_step1_is_the_published_cohort_and_never_withheld(percorsi_demo: pl.DataFrame) -> None:
    p = sp.province(percorsi_demo, "Lombardia")
    righe = {r["sigla"]: r for r in p.iter_rows(named=True)}
    # Cremona's 2 and Sondrio's 18 are the published CIGS ministeriali workers: STEP 1 shows them, at 100%.
    assert (righe["CR"]["step1"], righe["SO"]["step1"]) == (2, 18)
    assert all(r["step1"] == r["coorte"] and r[privacy.marcatore("step1")] is None for r in righe.values())
    assert all(r["quota_step1"] == 100.0 and r[privacy.marcatore("quota_step1")] is None for r in righe.values())
    assert righe["CR"]["step4"] is None  # the later steps keep their protection
    tabella = sp.per_schermo(p, sp.TABELLA_PROVINCE)
    assert "riservato" not in set(tabella["STEP 1 (lavoratori)"]) | set(tabella["STEP 1 (% coorte)"])


@pytest.mark.parametrize(("sigla", "titolo"), [
    ("LC", "PAL attivata per il 76,9% dei lavoratori di Lecco"),
    ("SO", "PAL attivata per il 61,1% dei lavoratori di Sondrio"),
    ("CR", "Lavoratori arrivati a ogni step: Cremona"),
])  # fmt: skip
def test_one_province_draws_one_row_with_a_title_about_it(engine: Engine, sigla: str, titolo: str) -> None:
    fig = grafici.province(sp.province(q.percorsi(engine, 2025, (sigla,)), "Selezione"), "fonte")
    assert len(fig.data[0].y) == 1  # not the province and a "Selezione" that is the same row
    testo = fig.layout.title.text
    assert testo.startswith(titolo), testo
    assert " su 1 " not in testo and "province" not in testo and "sotto il dato complessivo" not in testo
