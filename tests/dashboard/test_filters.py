"""Links: every filter lives in the URL, a link reproduces the selection, bad values fall back with a notice."""

from __future__ import annotations

import itertools

import pytest

from dashboard import filters
from dashboard.filters import Filtri, a_query, da_query, valore_ammesso
from data_access.dominio import CODICI_TIPO, SIGLE

ANNI = (2024, 2025)


def _sottoinsiemi(valori: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [c for n in range(1, len(valori) + 1) for c in itertools.combinations(valori, n)]


def test_default_link_is_the_latest_year_and_everything() -> None:
    lettura = da_query({}, ANNI)
    assert lettura.filtri == Filtri(2025)
    assert lettura.avvisi == []
    assert a_query(lettura.filtri) == {"anno": "2025"}  # defaults left out: short links


@pytest.mark.parametrize("anno", ANNI)
def test_every_selection_survives_the_round_trip(anno: int) -> None:
    """da_query(a_query(f)) == f for every subset of provinces and of procedure types."""
    for province in _sottoinsiemi(SIGLE):
        for tipi in _sottoinsiemi(CODICI_TIPO):
            f = Filtri(anno, province, tipi)
            lettura = da_query(a_query(f), ANNI)
            assert lettura.filtri == f
            assert lettura.avvisi == []


@pytest.mark.parametrize(
    "query",
    [
        {"anno": "2025"},
        {"anno": "2024", "prov": "BG,MI"},
        {"anno": "2025", "tipo": "CIGS_MIN"},
        {"anno": "2024", "prov": "CR,LO,SO", "tipo": "CIGS_REG,LIC"},
        {"anno": "2025", "prov": "VA"},
    ],
)
def test_canonical_links_come_back_unchanged(query: dict[str, str]) -> None:
    """a_query(da_query(x)) == x for links the app writes."""
    assert a_query(da_query(query, ANNI).filtri) == query


def test_links_are_tolerant_of_case_order_spaces_and_repeats() -> None:
    lettura = da_query({"prov": " mi , bg,BG", "tipo": ["lic", "cigs_min"]}, ANNI)
    assert lettura.filtri == Filtri(2025, ("BG", "MI"), ("CIGS_MIN", "LIC"))  # the official tables' order
    assert lettura.avvisi == []
    assert a_query(lettura.filtri) == {"anno": "2025", "prov": "BG,MI", "tipo": "CIGS_MIN,LIC"}


def test_all_provinces_listed_is_the_same_as_none() -> None:
    assert a_query(da_query({"prov": ",".join(SIGLE)}, ANNI).filtri) == {"anno": "2025"}


@pytest.mark.parametrize(
    ("query", "filtri", "avviso"),
    [
        (
            {"prov": "XX"},
            Filtri(2025),
            "Valore non riconosciuto nel link per «Province»: XX (ignorato: mostro tutte le province).",
        ),
        ({"prov": "BG,XX"}, Filtri(2025, ("BG",)), "Valore non riconosciuto nel link per «Province»: XX (ignorato)."),
        ({"anno": "abc"}, Filtri(2025), "Anno «abc» non disponibile nel link: mostro il 2025."),
        ({"anno": "1999"}, Filtri(2025), "Anno «1999» non disponibile nel link: mostro il 2025."),
        ({"anno": "²"}, Filtri(2025), "Anno «²» non disponibile nel link: mostro il 2025."),
        (
            {"anno": "-2025"},
            Filtri(2025),
            r"Anno «\-2025» non disponibile nel link: mostro il 2025.",
        ),  # Markdown-escaped
        (
            {"tipo": "FOO", "anno": "2024"},
            Filtri(2024),
            "Valore non riconosciuto nel link per «Tipo di procedura»: FOO (ignorato: mostro tutti i tipi).",
        ),
    ],
)
def test_bad_values_fall_back_with_a_notice(query: dict[str, str], filtri: Filtri, avviso: str) -> None:
    lettura = da_query(query, ANNI)
    assert lettura.filtri == filtri
    assert lettura.avvisi == [avviso]


def test_several_bad_values_give_one_notice_each() -> None:
    lettura = da_query({"anno": "1999", "prov": "XX", "tipo": "FOO"}, ANNI)
    assert lettura.filtri == Filtri(2025)
    assert len(lettura.avvisi) == 3


def test_a_year_with_no_previous_year_is_still_valid() -> None:
    assert da_query({"anno": "2024"}, ANNI).filtri.anno_precedente == 2023


@pytest.mark.parametrize(
    ("raw", "atteso"),
    [
        (None, ("procedure", True)),
        ("", ("procedure", True)),
        ("step", ("step", True)),
        (" Casi ", ("casi", True)),
        ("FOO", ("procedure", False)),
        ("step;drop", ("procedure", False)),
    ],
)
def test_view_choice_from_a_link(raw: str | None, atteso: tuple[str, bool]) -> None:
    assert valore_ammesso(raw, ("procedure", "step", "casi", "tavoli"), "procedure") == atteso


def test_description_of_a_selection() -> None:
    assert Filtri(2025).descrizione() == "Anno 2025 · tutte le province · tutte le procedure"
    assert Filtri(2024, ("LC",), ("LIC",)).descrizione() == "Anno 2024 · Lecco · Licenziamenti collettivi"


def _testi(elementi) -> list[str]:
    return [e.value for e in elementi]


def test_link_with_a_bad_year_shows_a_notice_and_the_latest_year(app_page) -> None:
    at = app_page("esporta.py", anno="1999")
    assert not at.exception
    assert "Anno «1999» non disponibile nel link: mostro il 2025." in _testi(at.warning)
    assert at.sidebar.selectbox(key=filters.KEY_ANNO).value == 2025
    assert at.query_params["anno"] == "2025"  # the link is corrected to what is shown
    assert set(at.dataframe[0].value["Anno"]) == {"2025"}


def test_link_reproduces_a_filtered_view(app_page) -> None:
    at = app_page("esporta.py", anno="2024", prov="LC,BG", tipo="LIC", dataset="procedure")
    assert not at.exception
    assert not at.warning
    assert at.sidebar.multiselect(key=filters.KEY_PROV).value == ["BG", "LC"]
    assert at.sidebar.multiselect(key=filters.KEY_TIPO).value == ["LIC"]
    anteprima = at.dataframe[0].value
    assert list(anteprima["Sigla"]) == ["BG", "LC"]
    assert list(anteprima["Lavoratori coinvolti"]) == ["616", "39"]  # published 2024 LIC cells
    assert dict(at.query_params) == {
        "anno": "2024",
        "prov": "BG,LC",
        "tipo": "LIC",
        "dataset": "procedure",
    }


@pytest.mark.parametrize(
    ("url", "base", "attesa"),
    [
        ("http://127.0.0.1:8501/", "", None),
        ("http://127.0.0.1:8501/casi?caso=AC-2025-02", "", None),
        ("http://127.0.0.1:8501/casi/", "", None),
        ("http://127.0.0.1:8501/pagina-inesistente?anno=2025", "", "pagina-inesistente"),
        ("http://h/cruscotto/", "cruscotto", None),
        ("http://h/cruscotto/tavolo", "/cruscotto/", None),
        ("http://h/cruscotto/%5Bx%5D(http:%2F%2Fe)", "cruscotto", "[x](http://e)"),
        (None, "", None),
    ],
)
def test_unknown_page_in_the_link(url: str | None, base: str, attesa: str | None) -> None:
    from dashboard.filters import pagina_sconosciuta

    assert pagina_sconosciuta(url, ["panoramica", "casi", "tavolo"], base) == attesa


def test_link_cannot_widen_a_perimeter() -> None:
    lettura = filters.da_query({"prov": "MI,LC,XX"}, [2024, 2025], offerte=("LC",))
    assert lettura.filtri.province == ("LC",)
    assert any("fuori dal suo perimetro" in a and "MI" in a for a in lettura.avvisi)
    assert any("XX" in a for a in lettura.avvisi)
    solo_altre = filters.da_query({"prov": "MI"}, [2025], offerte=("LC", "MN"))
    assert solo_altre.filtri.province == ("LC", "MN")  # nothing left: the whole perimeter, with the notice
    assert solo_altre.avvisi == [
        "Il link chiede province fuori dal suo perimetro di accesso (MI): mostro solo Lecco, Mantova."
    ]
