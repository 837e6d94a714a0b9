"""The Confronto anni page in AppTest: both official tables cell by cell, the comparison, the measure, the period."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from dashboard import formatting
from data_access.schema import metadati
from ingest.writer import engine_scrittura
from tests.conftest import ROOT, esegui_app

PAGINA = ROOT / "pages" / "confronto.py"
TSV = ROOT / "tests" / "data" / "tabelle_ufficiali.tsv"


def _pubblicate() -> list[dict[str, str]]:
    with TSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))


PUBBLICATE = _pubblicate()
COLONNE = list(PUBBLICATE[0])[1:]  # after anno: provincia, then the 13 published value columns
CELLE = [
    pytest.param(int(r["anno"]), i, r["provincia"], col, r[col], id=f"{r['anno']}-{r['provincia']}-{col}")
    for r in PUBBLICATE
    for i, col in enumerate(COLONNE)
]


class _Tabella(HTMLParser):
    """Caption and body cells of the page's HTML tables."""

    def __init__(self) -> None:
        super().__init__()
        self.didascalia = ""
        self.righe: list[list[str]] = []
        self._dove: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "caption":
            self._dove = "caption"
        elif tag == "tbody":
            self._dove = "tbody"
        elif self._dove in ("tbody", "cella") and tag == "tr":
            self.righe.append([])
        elif self._dove == "tbody" and tag in ("td", "th"):
            self._dove = "cella"
            self.righe[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" or tag == "tbody":
            self._dove = None
        elif tag in ("td", "th") and self._dove == "cella":
            self._dove = "tbody"

    def handle_data(self, data: str) -> None:
        if self._dove == "caption":
            self.didascalia += data
        elif self._dove == "cella":
            self.righe[-1][-1] += data


def tabelle(at: AppTest) -> dict[str, list[list[str]]]:
    """The page's tables by caption."""
    out = {}
    for elemento in at.html:
        if "tabella-confronto" in elemento.value:
            parser = _Tabella()
            parser.feed(elemento.value)
            out[parser.didascalia] = parser.righe
    return out


def esegui(db_url: str, monkeypatch: pytest.MonkeyPatch, **query: str) -> AppTest:
    """The whole app on the Confronto anni page, with URL parameters."""
    monkeypatch.setenv("CRUSCOTTO_DB_URL", db_url)
    return esegui_app(PAGINA.name, 120, **query)


@pytest.fixture(scope="module")
def pagina(demo_url: str) -> Iterator[AppTest]:
    """The page with the default view (2025 against 2024, every province and type), run once."""
    with pytest.MonkeyPatch.context() as mp:
        at = esegui(demo_url, mp)
        yield at


@pytest.fixture(scope="module")
def ufficiali(pagina: AppTest) -> dict[int, list[list[str]]]:
    """The two official tables as the page shows them, by year."""
    per_didascalia = tabelle(pagina)
    return {
        anno: next(righe for d, righe in per_didascalia.items() if d.startswith(f"Tabella ufficiale {anno}"))
        for anno in (2024, 2025)
    }


def test_page_runs_without_errors(pagina: AppTest) -> None:
    assert not pagina.exception
    assert not pagina.error
    assert not pagina.warning  # the demo's 2025 is complete: no notice
    assert pagina.title[0].value == "Confronto 2024–2025"
    assert [t.label for t in pagina.tabs] == ["Confronto 2024–2025", "Tabella ufficiale 2025", "Tabella ufficiale 2024"]


def test_official_tables_have_the_published_rows(ufficiali: dict[int, list[list[str]]]) -> None:
    for anno, righe in ufficiali.items():
        pubblicate = [r["provincia"] for r in PUBBLICATE if int(r["anno"]) == anno]
        assert [r[0] for r in righe] == pubblicate
        assert all(len(r) == len(COLONNE) for r in righe)


@pytest.mark.parametrize(("anno", "indice", "provincia", "colonna", "pubblicata"), CELLE)
def test_official_cell_equals_the_published_one(
    ufficiali: dict[int, list[list[str]]], anno: int, indice: int, provincia: str, colonna: str, pubblicata: str
) -> None:
    riga = next(r for r in ufficiali[anno] if r[0] == provincia)
    # Published blanks mean zero: the page writes 0 and explains it in a footnote.
    assert riga[indice] == (pubblicata or "0")


def test_published_blanks_footnote(pagina: AppTest) -> None:
    note = " ".join(c.value for c in pagina.caption)
    assert "Cella vuota nella tabella pubblicata" in note
    assert "(Cremona, CIGS regionali: lavoratori)" in note
    assert "(Lodi, CIGS ministeriali: unità produttive e lavoratori)" in note


def test_comparison_table_side_by_side(pagina: AppTest) -> None:
    confronto = next(r for d, r in tabelle(pagina).items() if d.startswith("Lavoratori coinvolti per provincia"))
    righe = {r[0]: r for r in confronto}
    assert list(righe)[:-1] == [
        "Bergamo", "Brescia", "Como", "Cremona", "Lecco", "Lodi", "Mantova", "Milano", "Monza e della Brianza",
        "Pavia", "Sondrio", "Varese",
    ]  # fmt: skip
    # Groups: CIGS ministeriali, CIGS regionali, licenziamenti, totale; each 2024, 2025, difference, % change.
    assert righe["Lombardia (TOT)"][1:5] == ["2.234", "4.377", "+2.143", "+95,9%"]
    assert righe["Lombardia (TOT)"][13:17] == ["9.557", "11.800", "+2.243", "+23,5%"]
    assert righe["Como"][13:17] == ["549", "1.840", "+1.291", "+235,2%"]
    assert righe["Lodi"][1:5] == ["0", "0", "0", "n.d."]
    assert righe["Cremona"][5:9] == ["0", "54", "+54", "n.d."]
    assert not any("inf" in c.lower() or "nan" in c.lower() for r in confronto for c in r)


def test_headline_figures(pagina: AppTest) -> None:
    metriche = {m.label: (m.value, m.delta) for m in pagina.metric}
    assert metriche["CIGS ministeriali 2025"] == ("4.377", "+2.143 (+95,9%)")
    assert metriche["Licenziamenti collettivi 2025"] == ("4.803", "-178 (-3,6%)")
    assert metriche["Totale 2025"] == ("11.800", "+2.243 (+23,5%)")


def test_charts_are_drawn(pagina: AppTest) -> None:
    grafici = pagina.get("plotly_chart")
    assert len(grafici) == 3


def test_measure_from_the_url(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = esegui(demo_url, monkeypatch, misura="unita", prov="BG,MI", tipo="CIGS_MIN")
    assert not at.exception
    assert at.segmented_control(key="confronto_misura").value == "unita"
    metriche = {m.label: (m.value, m.delta) for m in at.metric}
    assert metriche == {"CIGS ministeriali 2025": ("36", "-14 (-28,0%)")}  # BG 9+27 MI against 9+41
    confronto = next(r for d, r in tabelle(at).items() if d.startswith("Unità produttive coinvolte per provincia"))
    assert [r[0] for r in confronto] == ["Bergamo", "Milano", "Totale selezione", "Lombardia (TOT)"]
    ufficiale = next(r for d, r in tabelle(at).items() if d.startswith("Tabella ufficiale 2025"))
    assert ufficiale[0] == ["BG", "9", "9,5", "474", "10,8", "474"]
    assert ufficiale[-1] == ["TOT", "95", "100,00", "4.377", "100,00", "4.377"]


def test_changing_the_measure_writes_the_url(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = esegui(demo_url, monkeypatch)
    assert "misura" not in at.query_params  # the default stays out of the link
    at.segmented_control(key="confronto_misura").set_value("unita").run()
    assert not at.exception
    assert at.query_params["misura"] == "unita"
    assert {m.label: m.value for m in at.metric}["Totale 2025"] == "394"  # 95 + 44 + 255 units


def test_unknown_measure_in_the_url_falls_back_with_a_notice(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = esegui(demo_url, monkeypatch, misura="euro")
    assert not at.exception
    assert any("«euro»" in w.value for w in at.warning)
    assert {m.label: m.value for m in at.metric}["Totale 2025"] == "11.800"


def test_first_year_shows_its_table_only(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = esegui(demo_url, monkeypatch, anno="2024")
    assert not at.exception
    assert any("non contiene dati del 2023" in i.value for i in at.info)
    assert [t.label for t in at.tabs] == ["Tabella ufficiale 2024"]
    assert {m.label: (m.value, m.delta) for m in at.metric}["Totale 2024"] == (
        "9.557",
        "",
    )  # no earlier year: no change shown


# --- an incomplete year ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def db_parziale(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo database whose extraction date falls on 30 June 2025."""
    path = tmp_path_factory.mktemp("parziale") / "parziale.db"
    shutil.copy(demo_db, path)
    scrittura = engine_scrittura(f"sqlite:///{path}")
    with scrittura.begin() as conn:
        conn.execute(update(metadati).values(data_estrazione=date(2025, 6, 30)))
    scrittura.dispose()
    return path


def _lavoratori_fino_al_30_giugno(path: Path, anno: int) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT sum(pu.lavoratori) FROM procedura_unita pu JOIN procedura p ON p.id = pu.procedura_id "
            "WHERE pu.anno = ? AND p.data_inizio <= ?",
            (anno, f"{anno}-06-30"),
        ).fetchone()[0]


def test_incomplete_year_notice_and_same_period(db_parziale: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = esegui(f"sqlite:///{db_parziale}", monkeypatch)
    assert not at.exception
    avviso = " ".join(w.value for w in at.warning)
    assert "Il 2025 non è completo" in avviso and "30/06/2025" in avviso
    assert "tra il 1° gennaio e il 30 giugno" in avviso
    assert at.segmented_control(key="confronto_periodo").value == "stesso"
    prima, dopo = (_lavoratori_fino_al_30_giugno(db_parziale, a) for a in (2024, 2025))
    assert 0 < dopo < 11800

    totale = {m.label: (m.value, m.delta) for m in at.metric}["Totale 2025"]
    assert totale == (
        formatting.numero(dopo),
        f"{formatting.differenza(dopo, prima)} ({formatting.variazione(dopo, prima)})",
    )
    assert [t.label for t in at.tabs][1:] == [
        "Tabella 2025, 1° gennaio – 30 giugno",
        "Tabella 2024, 1° gennaio – 30 giugno",
    ]

    at.segmented_control(key="confronto_periodo").set_value("intero").run()
    assert not at.exception
    assert at.query_params["periodo"] == "intero"
    assert {m.label: m.value for m in at.metric}["Totale 2025"] == "11.800"
    assert any("sottostima il 2025" in w.value for w in at.warning)
