"""Italian number and date formats, used by every page, chart, table and export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl

MESI = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
)  # fmt: skip
ND = "n.d."


def _arrotonda(value: float, decimals: int) -> Decimal:
    """Round half up, as the Region's spreadsheets do (Python's round() rounds half to even)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _italiano(text: str) -> str:
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def numero(value: float | int | None, decimals: int = 0) -> str:
    """11800 -> '11.800'; 10.34 (1 decimal) -> '10,3'; None -> 'n.d.'."""
    if value is None:
        return ND
    return _italiano(f"{_arrotonda(value, decimals):,.{decimals}f}")


def percentuale(share: float | None, decimals: int = 1) -> str:
    """A share (0.5099) as '51,0%'."""
    if share is None:
        return ND
    return numero(share * 100, decimals) + "%"


def peso(parte: int, totale: int) -> str:
    """A province's weight on the regional total, one decimal, as published ('10,3'); '0,0' on a zero total."""
    return numero(parte * 100 / totale if totale else 0, 1)


def variazione(nuovo: float | None, vecchio: float | None, decimals: int = 1) -> str:
    """Change in percent with sign ('+23,5%'); 'n.d.' on a zero or missing base, never 'inf'."""
    if nuovo is None or not vecchio:
        return ND
    change = (nuovo - vecchio) * 100 / vecchio
    text = numero(change, decimals)
    return ("+" if _arrotonda(change, decimals) > 0 else "") + text + "%"


def differenza(nuovo: int, vecchio: int) -> str:
    """Signed difference in Italian format ('+2.243', '-125', '0')."""
    diff = nuovo - vecchio
    return ("+" if diff > 0 else "") + numero(diff)


def data(giorno: date | None) -> str:
    """15/01/2026."""
    return giorno.strftime("%d/%m/%Y") if giorno else ND


def data_estesa(giorno: date) -> str:
    """15 gennaio 2026."""
    return f"{giorno.day} {MESI[giorno.month - 1]} {giorno.year}"


def in_python(serie: pl.Series, formato: Callable[[Any], str | None], nome: str | None = None) -> pl.Series:
    """A text column made value by value in plain Python, after leaving polars (nulls reach `formato` as None).

    Polars runs a Python callback (`map_elements` and friends) on its own thread pool, which then needs the GIL:
    with many sessions at once that deadlocks the server. Here polars only hands over a list and takes one back.
    """
    return pl.Series(nome or serie.name, [formato(v) for v in serie.to_list()], dtype=pl.String)


def tabella(df: pl.DataFrame) -> pl.DataFrame:
    """A copy of a table with every number and date written the Italian way, for display."""

    def cella(value: object) -> str:
        if value is None:
            return ND
        if isinstance(value, bool):
            return "sì" if value else "no"
        if isinstance(value, int):
            return numero(value)
        if isinstance(value, float):
            return numero(value, 0 if value.is_integer() else 1)
        if isinstance(value, date):
            return data(value)
        return str(value)

    return df.with_columns(in_python(df[c], cella) for c in df.columns)
