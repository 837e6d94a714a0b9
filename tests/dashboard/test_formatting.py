"""Italian number and date formats."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from dashboard import formatting


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (11800, 0, "11.800"),
        (4377, 0, "4.377"),
        (999, 0, "999"),
        (1234567, 0, "1.234.567"),
        (-2243, 0, "-2.243"),
        (10.34, 1, "10,3"),
        (0.05, 1, "0,1"),  # half up, as the published tables round
        (2.25, 1, "2,3"),
        (51.0, 1, "51,0"),
        (None, 0, "n.d."),
    ],
)
def test_numero(value: float | None, decimals: int, expected: str) -> None:
    assert formatting.numero(value, decimals) == expected


@pytest.mark.parametrize(
    ("parte", "totale", "expected"),
    [(9, 87, "10,3"), (2, 4377, "0,0"), (107, 219, "48,9"), (0, 0, "0,0"), (673, 2234, "30,1")],
)
def test_peso(parte: int, totale: int, expected: str) -> None:
    assert formatting.peso(parte, totale) == expected


def test_percentuale() -> None:
    assert formatting.percentuale(2232 / 4377) == "51,0%"
    assert formatting.percentuale(None) == "n.d."


@pytest.mark.parametrize(
    ("nuovo", "vecchio", "expected"),
    [(11800, 9557, "+23,5%"), (73, 447, "-83,7%"), (5, 0, "n.d."), (0, 0, "n.d."), (10, 10, "0,0%")],
)
def test_variazione(nuovo: int, vecchio: int, expected: str) -> None:
    assert formatting.variazione(nuovo, vecchio) == expected


def test_differenza_and_dates() -> None:
    assert formatting.differenza(11800, 9557) == "+2.243"
    assert formatting.differenza(73, 447) == "-374"
    assert formatting.data(date(2026, 1, 15)) == "15/01/2026"
    assert formatting.data_estesa(date(2026, 1, 15)) == "15 gennaio 2026"


def test_tabella_formats_every_cell() -> None:
    df = pl.DataFrame(
        {"a": [11800], "b": [51.04], "c": [date(2026, 1, 5)], "d": [None]}, schema_overrides={"d": pl.Int64}
    )
    assert formatting.tabella(df).row(0) == ("11.800", "51,0", "05/01/2026", "n.d.")
