"""Shaping and charts of the year comparison: official tables, side-by-side changes, zero bases, the period rule."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest
from sqlalchemy.engine import Engine

from dashboard import formatting, tema
from dashboard.charts import confronto as grafici
from dashboard.letture import confronto as letture
from dashboard.viste import confronto as cf
from data_access.dominio import CODICI_TIPO, SIGLE
from data_access.queries import procedure

ANNI = (2024, 2025)
FONTE = "Fonte: prova."


@pytest.fixture(scope="module")
def celle(engine: Engine) -> pl.DataFrame:
    """The demo database's cells for both years, all types and provinces."""
    return procedure.per_provincia(engine, ANNI, CODICI_TIPO, SIGLE)


# --- the period rule --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("estrazione", "scelta", "taglio"),
    [
        (date(2025, 3, 15), "stesso", date(2024, 3, 15)),
        (date(2025, 3, 15), "intero", None),
        (date(2026, 1, 15), "stesso", None),  # the year is complete: whole years
        (date(2024, 7, 1), "stesso", None),  # the extraction is before the year: nothing to cut
    ],
)
def test_one_same_period_rule_for_page_and_deck(estrazione: date, scelta: str, taglio: date | None) -> None:
    parziale = cf.periodo_confrontato(cf.Periodo(2025, estrazione), scelta)
    assert (parziale.fino_al(2024) if parziale is not None else None) == taglio
    assert cf.periodo_confrontato(cf.Periodo(2025, estrazione)) == cf.periodo_confrontato(
        cf.Periodo(2025, estrazione), cf.PERIODO_PREDEFINITO
    )


def test_same_period_cells_are_the_official_cells_cut_at_the_date(engine: Engine, celle: pl.DataFrame) -> None:
    periodo = cf.Periodo(2025, date(2025, 6, 30))
    tagliate = letture.celle(engine, ANNI, CODICI_TIPO, periodo)
    fino_al = {2024: date(2024, 6, 30), 2025: date(2025, 6, 30)}
    assert tagliate.equals(procedure.per_provincia(engine, ANNI, CODICI_TIPO, SIGLE, fino_al=fino_al))
    assert 0 < tagliate.filter(pl.col("anno") == 2025)["lavoratori"].sum() < 11800
    assert letture.celle(engine, ANNI, CODICI_TIPO).equals(celle)


def test_year_complete_when_extracted_after_its_end() -> None:
    periodo = cf.Periodo(2025, date(2026, 1, 15))  # the demo database
    assert periodo.completo
    assert not periodo.confrontabile


def test_year_incomplete_when_extracted_inside_it() -> None:
    periodo = cf.Periodo(2025, date(2025, 3, 15))
    assert not periodo.completo
    assert periodo.confrontabile
    assert periodo.fino_al(2024) == date(2024, 3, 15)
    assert periodo.fino_al(2025) == date(2025, 3, 15)
    assert periodo.descrizione() == "1° gennaio – 15 marzo"


def test_extraction_on_the_last_day_completes_the_year() -> None:
    assert cf.Periodo(2025, date(2025, 12, 31)).completo
    assert not cf.Periodo(2025, date(2025, 12, 30)).completo


def test_leap_day_cut_off_in_a_common_year() -> None:
    periodo = cf.Periodo(2028, date(2028, 2, 29))
    assert periodo.fino_al(2027) == date(2027, 2, 28)
    assert periodo.fino_al(2028) == date(2028, 2, 29)


def test_year_not_reached_by_the_extraction_is_not_comparable() -> None:
    periodo = cf.Periodo(2026, date(2025, 12, 1))
    assert not periodo.completo
    assert not periodo.confrontabile
    assert "non è coperto" in cf.avviso_periodo(periodo, stesso_periodo=False)


def test_notice_states_the_period_compared() -> None:
    periodo = cf.Periodo(2025, date(2025, 6, 30))
    stesso = cf.avviso_periodo(periodo, stesso_periodo=True)
    assert "Il 2025 non è completo" in stesso
    assert "30/06/2025" in stesso
    assert "tra il 1° gennaio e il 30 giugno" in stesso
    intero = cf.avviso_periodo(periodo, stesso_periodo=False)
    assert "sottostima il 2025" in intero and "Stesso periodo" in intero


# --- the official table -----------------------------------------------------------------------------------------


def test_official_table_rows_and_columns(celle: pl.DataFrame) -> None:
    tab = cf.tabella_ufficiale(celle, 2025, CODICI_TIPO, SIGLE)
    assert tab["Provincia"].to_list() == [*SIGLE, "TOT"]
    assert tab.columns[1:5] == [
        "CIGS ministeriali · Unità produttive",
        "CIGS ministeriali · Peso % unità",
        "CIGS ministeriali · Lavoratori",
        "CIGS ministeriali · Peso % lavoratori",
    ]
    assert tab.columns[-1] == "Totale lavoratori coinvolti"
    assert tab.row(-1, named=True)["Totale lavoratori coinvolti"] == 11800


def test_official_text_matches_formatting_peso_everywhere(celle: pl.DataFrame) -> None:
    for anno in ANNI:
        tab = cf.tabella_ufficiale(celle, anno, CODICI_TIPO, SIGLE)
        testo = cf.ufficiale_testo(tab).to_dicts()
        totale = tab.row(-1, named=True)
        for numeri, scritto in zip(tab.to_dicts()[:-1], testo[:-1], strict=True):
            for tipo in CODICI_TIPO:
                for misura in ("unita", "lavoratori"):
                    atteso = formatting.peso(numeri[cf.colonna(tipo, misura)], totale[cf.colonna(tipo, misura)])
                    assert scritto[cf.colonna(tipo, f"peso_{misura}")] == atteso
                    # The download holds the same figure as the table, as a number.
                    peso = numeri[cf.colonna(tipo, f"peso_{misura}")]
                    assert formatting.numero(peso, 1) == atteso


def test_province_filter_keeps_the_regional_weight_and_adds_the_selection(celle: pl.DataFrame) -> None:
    tab = cf.tabella_ufficiale(celle, 2024, CODICI_TIPO, ("BG", "MI"))
    testo = {r["Provincia"]: r for r in cf.ufficiale_testo(tab).to_dicts()}
    assert list(testo) == ["BG", "MI", "Selezione", "TOT"]
    assert testo["BG"]["CIGS ministeriali · Peso % unità"] == "10,3"  # still on the regional 87 units
    assert testo["Selezione"]["CIGS ministeriali · Unità produttive"] == "50"
    assert testo["Selezione"]["CIGS ministeriali · Peso % unità"] == "57,5"  # 50 of 87
    assert testo["Selezione"]["Totale lavoratori coinvolti"] == "4.966"
    assert testo["TOT"]["Totale lavoratori coinvolti"] == "9.557"


def test_type_filter_shows_only_its_columns(celle: pl.DataFrame) -> None:
    tab = cf.tabella_ufficiale(celle, 2025, ("LIC",), SIGLE)
    assert [c for c in tab.columns if "·" in c] == [cf.colonna("LIC", m) for m in cf.SOTTOCOLONNE]
    assert tab.row(-1, named=True)["Totale lavoratori coinvolti"] == 4803


def test_published_blanks_are_marked_with_their_footnote(celle: pl.DataFrame) -> None:
    vuote_2024 = cf.celle_vuote(cf.tabella_ufficiale(celle, 2024, CODICI_TIPO, SIGLE), 2024)
    assert vuote_2024 == {("CR", "CIGS regionali · Lavoratori")}
    assert "(Cremona, CIGS regionali: lavoratori)" in cf.nota_celle_vuote(vuote_2024)
    vuote_2025 = cf.celle_vuote(cf.tabella_ufficiale(celle, 2025, CODICI_TIPO, SIGLE), 2025)
    assert "(Lodi, CIGS ministeriali: unità produttive e lavoratori)" in cf.nota_celle_vuote(vuote_2025)
    assert cf.nota_celle_vuote(set()) is None
    # Without the CIGS ministeriali columns nothing of Lodi 2025 is shown, so nothing is marked.
    assert cf.celle_vuote(cf.tabella_ufficiale(celle, 2025, ("LIC",), SIGLE), 2025) == set()


def test_html_table_has_grouped_headers_and_marks(celle: pl.DataFrame) -> None:
    tab = cf.tabella_ufficiale(celle, 2024, CODICI_TIPO, SIGLE)
    testo = cf.html_tabella(
        cf.ufficiale_testo(tab),
        didascalia="Tabella ufficiale 2024 <prova>",
        note_gruppo={"CIGS ministeriali": "linee guida A"},
        segnate=cf.celle_vuote(tab, 2024),
    )
    assert "<caption>Tabella ufficiale 2024 &lt;prova&gt;</caption>" in testo
    assert testo.count('scope="colgroup" colspan="4"') == 3
    assert '<th scope="col" rowspan="2" class="gruppo">Totale lavoratori coinvolti</th>' in testo
    assert "<small>linee guida A</small>" in testo
    assert '<td class="inizio vuota">0</td>' not in testo  # the marked cell is not the first of its group
    assert '<td class="vuota">0</td>' in testo
    assert '<tr class="tot"><th scope="row">TOT</th>' in testo


# --- the comparison ---------------------------------------------------------------------------------------------


def test_comparison_totals_and_zero_bases(celle: pl.DataFrame) -> None:
    tab = cf.tabella_confronto(celle, "lavoratori", ANNI, CODICI_TIPO, SIGLE)
    testo = {r["Provincia"]: r for r in cf.confronto_testo(tab).to_dicts()}
    tot = testo["Lombardia (TOT)"]
    assert (tot["Totale · 2024"], tot["Totale · 2025"], tot["Totale · Differenza"]) == ("9.557", "11.800", "+2.243")
    assert tot["Totale · Var. %"] == "+23,5%"
    assert tot["CIGS ministeriali · Var. %"] == "+95,9%"
    assert testo["Lodi"]["CIGS ministeriali · Var. %"] == "n.d."  # 0 -> 0
    assert testo["Cremona"]["CIGS regionali · Var. %"] == "n.d."  # 0 -> 54
    assert testo["Cremona"]["CIGS regionali · Differenza"] == "+54"
    assert testo["Varese"]["CIGS regionali · Var. %"] == "-100,0%"  # 73 -> 0 has a base
    numeri = {r["Provincia"]: r for r in tab.to_dicts()}
    assert numeri["Lodi"]["CIGS ministeriali · Var. %"] is None
    assert numeri["Lombardia (TOT)"]["Totale · Var. %"] == 23.5


def test_no_infinite_or_nan_anywhere(celle: pl.DataFrame) -> None:
    for misura in cf.MISURE:
        testo = cf.confronto_testo(cf.tabella_confronto(celle, misura, ANNI, CODICI_TIPO, SIGLE))
        celle_testo = [v for r in testo.rows() for v in r]
        assert not [v for v in celle_testo if re.search(r"inf|nan", v, re.IGNORECASE)]
        numeri = cf.tabella_confronto(celle, misura, ANNI, CODICI_TIPO, SIGLE)
        assert not any(numeri.select(pl.col(pl.Float64).is_infinite().any()).row(0))


def test_comparison_with_units_and_a_selection(celle: pl.DataFrame) -> None:
    tab = cf.tabella_confronto(celle, "unita", ANNI, ("CIGS_MIN",), ("BG", "CO"))
    assert tab["Provincia"].to_list() == ["Bergamo", "Como", "Totale selezione", "Lombardia (TOT)"]
    assert "Totale · 2024" not in tab.columns  # one type: no total group
    righe = {r["Provincia"]: r for r in tab.to_dicts()}
    selezione = righe["Totale selezione"]
    assert (selezione["CIGS ministeriali · 2024"], selezione["CIGS ministeriali · 2025"]) == (9 + 4, 9 + 14)
    assert righe["Lombardia (TOT)"]["CIGS ministeriali · Differenza"] == 95 - 87


def test_totals_per_type_for_the_headline_figures(celle: pl.DataFrame) -> None:
    totali = cf.totali_per_tipo(celle, "lavoratori", ANNI, CODICI_TIPO, SIGLE)
    assert totali == [
        ("CIGS ministeriali", 2234, 4377),
        ("CIGS regionali", 2342, 2620),
        ("Licenziamenti collettivi", 4981, 4803),
        ("Totale", 9557, 11800),
    ]
    assert cf.totali_per_tipo(celle, "unita", ANNI, ("LIC",), ("MI",)) == [("Licenziamenti collettivi", 107, 115)]


def test_per_province_frame(celle: pl.DataFrame) -> None:
    prov = {r["sigla"]: r for r in cf.per_provincia(celle, "lavoratori", ANNI, SIGLE).to_dicts()}
    assert (prov["CO"]["prima"], prov["CO"]["dopo"], prov["CO"]["differenza"]) == (549, 1840, 1291)
    assert prov["CO"]["variazione"] == 235.2
    assert sum(r["dopo"] for r in prov.values()) == 11800


# --- charts -----------------------------------------------------------------------------------------------------


def test_dumbbell_sorted_by_size_with_year_colours(celle: pl.DataFrame) -> None:
    prov = cf.per_provincia(celle, "lavoratori", ANNI, SIGLE)
    fig = grafici.province_anni(prov, "lavoratori", ANNI, FONTE)
    assert "in aumento in 7 province su 12" in fig.layout.title.text
    punti = {t.name: t for t in fig.data if t.name}
    assert punti["2024"].marker.color == tema.colore_anno(2024, 2025) == tema.COLORE_ANNO_PRECEDENTE
    assert punti["2025"].marker.color == tema.COLORE_ANNO_CORRENTE
    assert list(fig.layout.yaxis.categoryarray[:3]) == ["Milano", "Bergamo", "Como"]
    assert "1.840  +235,2%" in fig.data[-1].text
    assert any(a.text == FONTE for a in fig.layout.annotations)


def test_changes_chart_names_the_extremes(celle: pl.DataFrame) -> None:
    prov = cf.per_provincia(celle, "lavoratori", ANNI, SIGLE)
    fig = grafici.variazioni(prov, "lavoratori", ANNI, FONTE)
    assert fig.layout.title.text == "Aumento maggiore: Como (+1.291); calo maggiore: Cremona (-374)"
    barre = fig.data[0]
    assert list(barre.y[:2]) == ["Como", "Brescia"] and barre.y[-1] == "Cremona"
    assert barre.marker.color[0] == tema.DIVERGENTE[-1] and barre.marker.color[-1] == tema.DIVERGENTE[0]


def test_changes_chart_with_only_decreases(celle: pl.DataFrame) -> None:
    prov = cf.per_provincia(celle, "lavoratori", ANNI, ("MI", "PV"))
    fig = grafici.variazioni(prov, "lavoratori", ANNI, FONTE)
    assert fig.layout.title.text == "Calo maggiore: Pavia (-354)"


def test_composition_chart_uses_type_colours(celle: pl.DataFrame) -> None:
    comp = cf.composizione(celle, "lavoratori", SIGLE)
    fig = grafici.composizione(comp, "lavoratori", ANNI, FONTE)
    assert fig.layout.title.text == "CIGS ministeriali: dal 23% al 37% dei lavoratori coinvolti"
    assert [t.marker.color for t in fig.data] == [tema.COLORE_TIPO[t] for t in CODICI_TIPO]
    tabella = cf.tabella_composizione(comp, "lavoratori")
    assert tabella.filter(pl.col("Anno") == "2025")["Quota %"].to_list() == [37.1, 22.2, 40.7]


@pytest.mark.parametrize("province", [SIGLE, ("MI", "PV"), ("CO", "BG")])
def test_changes_chart_leaves_room_for_its_labels(celle: pl.DataFrame, province: tuple[str, ...]) -> None:
    """The labels written past the bar ends stay inside the plot on the smallest screen (1280 px wide)."""
    fig = grafici.variazioni(cf.per_provincia(celle, "lavoratori", ANNI, province), "lavoratori", ANNI, FONTE)
    basso, alto = fig.layout.xaxis.range
    barre = fig.data[0]
    pixel = grafici.AREA_MINIMA_PX  # the plot area's width at 1280×720

    def posizione(x: float) -> float:
        return (x - basso) / (alto - basso) * pixel

    for x, testo in zip(barre.x, barre.text, strict=True):
        larghezza = len(testo.strip()) * barre.textfont.size * 0.58 + 8
        if x >= 0:
            assert posizione(x) + larghezza <= pixel, testo
        else:
            assert posizione(x) - larghezza >= 0, testo
