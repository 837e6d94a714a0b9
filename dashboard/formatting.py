"""Italian number and date formats, used by every page, chart, table and export."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl

from dashboard import privacy

MESI = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
)  # fmt: skip
ND = "n.d."  # a figure that is missing
NON_APPLICABILE = "non applicabile"  # a figure that has no meaning here (e.g. a share of nobody)
# Figures as polars writes them in a text column ("1234", "41.1"): already written the Italian way, they do not match.
_INTERO = re.compile(r"-?(0|[1-9]\d*)")
_DECIMALE = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")


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


def arrotonda(value: float, decimals: int = 0) -> float:
    """The number as published: half up at `decimals` (10.35 -> 10.4), kept a number for files and sorting."""
    return float(_arrotonda(value, decimals))


def valore_peso(parte: int, totale: int) -> float:
    """A province's weight on the regional total as published, in percent with one decimal (42.3); 0 on a zero total."""
    return arrotonda(parte * 100 / totale if totale else 0, 1)


def peso(parte: int, totale: int) -> str:
    """A province's weight on the regional total, one decimal, as published ('10,3'); '0,0' on a zero total."""
    return numero(valore_peso(parte, totale), 1)


def valore_variazione(nuovo: float | None, vecchio: float | None, decimals: int = 1) -> float | None:
    """Change in percent as published (23.5, one decimal); None on a zero or missing base, never inf."""
    if nuovo is None or not vecchio:
        return None
    return arrotonda((nuovo - vecchio) * 100 / vecchio, decimals)


def variazione(nuovo: float | None, vecchio: float | None, decimals: int = 1) -> str:
    """Change in percent with sign ('+23,5%'); 'n.d.' on a zero or missing base, never 'inf'."""
    change = valore_variazione(nuovo, vecchio, decimals)
    if change is None:
        return ND
    return ("+" if change > 0 else "") + numero(change, decimals) + "%"


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


# --- the same formats as polars expressions (no Python callback per cell: safe on the serving path) ---------------
def _migliaia(intero: pl.Expr) -> pl.Expr:
    """Digits of a non-negative integer grouped by '.': 1234567 -> '1.234.567'."""
    inverso = intero.cast(pl.String).str.reverse().str.replace_all(r"(\d{3})", "$1.")
    return inverso.str.strip_chars_end(".").str.reverse()


def numero_espr(valore: pl.Expr, decimals: int = 0) -> pl.Expr:
    """numero() as an expression: 11800 -> '11.800', 10.34 (1 decimal) -> '10,3', null -> 'n.d.'."""
    arrotondato = valore.cast(pl.Float64).round(decimals, mode="half_away_from_zero")
    assoluto = arrotondato.abs()
    intero = assoluto.floor().cast(pl.Int64)
    testo = _migliaia(intero)
    if decimals:
        frazione = ((assoluto - intero) * 10**decimals).round(0).cast(pl.Int64).cast(pl.String).str.zfill(decimals)
        testo = testo + pl.lit(",") + frazione
    segno = pl.when(arrotondato < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return (segno + testo).fill_null(ND)


def euro_espr(centesimi: pl.Expr) -> pl.Expr:
    """An amount in cents as whole euro: 123456 -> '1.235 €'; null -> 'n.d.'."""
    return pl.when(centesimi.is_null()).then(pl.lit(ND)).otherwise(numero_espr(centesimi / 100) + pl.lit(" €"))


def data_espr(giorno: pl.Expr) -> pl.Expr:
    """data() as an expression: 15/01/2026; null -> 'n.d.'."""
    return giorno.dt.strftime("%d/%m/%Y").fill_null(ND)


def in_python(serie: pl.Series, formato: Callable[[Any], str | None], nome: str | None = None) -> pl.Series:
    """A text column made value by value in plain Python, after leaving polars (nulls reach `formato` as None).

    Polars runs a Python callback (`map_elements` and friends) on its own thread pool, which then needs the GIL:
    with many sessions at once that deadlocks the server. Here polars only hands over a list and takes one back.
    """
    return pl.Series(nome or serie.name, [formato(v) for v in serie.to_list()], dtype=pl.String)


def testo(valore: object, decimali: int | None = None, vuoto: str = ND) -> str:
    """One cell as read, the Italian way: '11.800', '10,3', '15/01/2026', 'sì'; `vuoto` where there is no value.

    A number shows one decimal unless it is whole, or the `decimali` asked for.
    """
    if valore is None or (isinstance(valore, float) and math.isnan(valore)):
        return vuoto
    if isinstance(valore, bool):
        return "sì" if valore else "no"
    if isinstance(valore, int):
        return numero(valore)
    if isinstance(valore, float):
        return numero(valore, decimali if decimali is not None else (0 if valore.is_integer() else 1))
    if isinstance(valore, datetime):
        return data(valore.date())
    if isinstance(valore, date):
        return data(valore)
    return str(valore)


def tabella(
    df: pl.DataFrame, *, vuoto: str = ND, un_decimale: Collection[str] = (), percentuali: Collection[str] = ()
) -> pl.DataFrame:
    """Every cell of a table as Italian text: the one cell formatter of pages, slides and previews.

    A year is a label ('2025', not '2.025'). Columns in `un_decimale` show one decimal ('51,0'), those in
    `percentuali` also a '%'. A text column of figures with hidden cells keeps the labels ('<3', 'riservato') and
    writes the figures. Cells are written in plain Python, after leaving polars.
    """
    return pl.DataFrame(
        [_colonna(df[c], vuoto, c in un_decimale or c in percentuali, c in percentuali) for c in df.columns]
    )


def _colonna(serie: pl.Series, vuoto: str, un_decimale: bool, percento: bool) -> pl.Series:
    valori = serie.to_list()
    if serie.dtype.is_integer() and serie.name.lower() == "anno":
        valori = [None if v is None else str(v) for v in valori]
    elif serie.dtype == pl.String and _figure_con_etichette(valori, _DECIMALE if percento else _INTERO):
        valori = [v if v is None or privacy.e_soppressa(v) else _figura(v) for v in valori]
    decimali = 1 if un_decimale else None
    testi = [
        v if isinstance(v, str) else testo(v, decimali, vuoto) + ("%" if percento and v is not None else "")
        for v in valori
    ]
    return pl.Series(serie.name, testi, dtype=pl.String)


def _figure_con_etichette(valori: list[object], figura: re.Pattern[str]) -> bool:
    """True for the raw text of a column of figures where some cells are hidden: figures and privacy labels only."""
    presenti = [v for v in valori if isinstance(v, str)]
    return any(privacy.e_soppressa(v) for v in presenti) and all(
        privacy.e_soppressa(v) or figura.fullmatch(v) is not None for v in presenti
    )


def _figura(testo_numero: str) -> int | float:
    return float(testo_numero) if "." in testo_numero else int(testo_numero)


# --- more formats as native polars expressions (no Python call per cell) ------------------------------------------
def espr_differenza(espr: pl.Expr) -> pl.Expr:
    """A signed difference as Italian text: '+2.243', '-125', '0'."""
    intero = espr.cast(pl.Int64)
    return (pl.when(intero > 0).then(pl.lit("+")).otherwise(pl.lit("")) + numero_espr(intero)).fill_null(ND)


def espr_percentuale(espr: pl.Expr, segno: bool = False) -> pl.Expr:
    """A percentage (0-100 scale) with one decimal, rounded half up: 51.04 -> '51,0%'; with `segno` '+3,2%'."""
    decimi = (espr.abs() * 10 + 0.5).floor().cast(pl.Int64)
    meno = (espr < 0) & (decimi > 0)
    piu = (espr > 0) & (decimi > 0) if segno else pl.lit(False)
    testo = (
        pl.when(meno).then(pl.lit("-")).when(piu).then(pl.lit("+")).otherwise(pl.lit(""))
        + _migliaia(decimi // 10)
        + ","
        + (decimi % 10).cast(pl.String)
        + "%"
    )
    return testo.fill_null(ND)


def testo_tabella(df: pl.DataFrame) -> pl.DataFrame:
    """A table written the Italian way with native expressions only: numbers, dates, yes/no, blanks as 'n.d.'."""

    def colonna(nome: str, tipo: pl.DataType) -> pl.Expr:
        c = pl.col(nome)
        if tipo.is_integer():
            return numero_espr(c).alias(nome)
        if tipo.is_float():
            decimi = (c.abs() * 10 + 0.5).floor().cast(pl.Int64)
            segno = pl.when((c < 0) & (decimi > 0)).then(pl.lit("-")).otherwise(pl.lit(""))
            return (segno + _migliaia(decimi // 10) + "," + (decimi % 10).cast(pl.String)).fill_null(ND).alias(nome)
        if tipo == pl.Date:
            return data_espr(c).alias(nome)
        if isinstance(tipo, pl.Datetime):
            return c.dt.strftime("%d/%m/%Y %H:%M").fill_null(ND).alias(nome)
        if tipo == pl.Boolean:
            return pl.when(c).then(pl.lit("sì")).when(~c).then(pl.lit("no")).otherwise(pl.lit(ND)).alias(nome)
        return c.cast(pl.String).fill_null(ND).alias(nome)

    return df.select(colonna(n, t) for n, t in df.schema.items())
