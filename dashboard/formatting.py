"""Italian number and date formats, used by every page, chart, table and export."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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

    # Text is already written for display: only its blanks change, natively (no Python call per cell).
    testo = [c for c, t in df.schema.items() if t == pl.String]
    return df.with_columns(
        *(pl.col(c).fill_null(ND) for c in testo),
        *(
            pl.col(c).map_elements(cella, return_dtype=pl.String, skip_nulls=False)
            for c in df.columns
            if c not in testo
        ),
    )


# --- the same formats as native polars expressions (no Python call per cell) -----------------------------------------
def _migliaia(n: pl.Expr) -> pl.Expr:
    """A non-negative integer with '.' every three digits."""

    def tre(parte: pl.Expr) -> pl.Expr:
        return parte.cast(pl.String).str.zfill(3)

    miliardi, milioni, migliaia, unita = n // 10**9, (n // 10**6) % 1000, (n // 1000) % 1000, n % 1000
    return (
        pl.when(n >= 10**9)
        .then(miliardi.cast(pl.String) + "." + tre(milioni) + "." + tre(migliaia) + "." + tre(unita))
        .when(n >= 10**6)
        .then(milioni.cast(pl.String) + "." + tre(migliaia) + "." + tre(unita))
        .when(n >= 1000)
        .then(migliaia.cast(pl.String) + "." + tre(unita))
        .otherwise(n.cast(pl.String))
    )


def espr_numero(espr: pl.Expr) -> pl.Expr:
    """An integer column as Italian text: 11800 -> '11.800', -125 -> '-125', null -> 'n.d.'."""
    intero = espr.cast(pl.Int64)
    testo = pl.when(intero < 0).then(pl.lit("-")).otherwise(pl.lit("")) + _migliaia(intero.abs())
    return testo.fill_null(ND)


def espr_differenza(espr: pl.Expr) -> pl.Expr:
    """A signed difference as Italian text: '+2.243', '-125', '0'."""
    intero = espr.cast(pl.Int64)
    return (pl.when(intero > 0).then(pl.lit("+")).otherwise(pl.lit("")) + espr_numero(intero)).fill_null(ND)


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


def espr_data(espr: pl.Expr) -> pl.Expr:
    """A date as '15/01/2026' ('n.d.' when missing)."""
    return espr.dt.strftime("%d/%m/%Y").fill_null(ND)


def testo_tabella(df: pl.DataFrame) -> pl.DataFrame:
    """A table written the Italian way with native expressions only: numbers, dates, yes/no, blanks as 'n.d.'."""

    def colonna(nome: str, tipo: pl.DataType) -> pl.Expr:
        c = pl.col(nome)
        if tipo.is_integer():
            return espr_numero(c).alias(nome)
        if tipo.is_float():
            decimi = (c.abs() * 10 + 0.5).floor().cast(pl.Int64)
            segno = pl.when((c < 0) & (decimi > 0)).then(pl.lit("-")).otherwise(pl.lit(""))
            return (segno + _migliaia(decimi // 10) + "," + (decimi % 10).cast(pl.String)).fill_null(ND).alias(nome)
        if tipo == pl.Date:
            return espr_data(c).alias(nome)
        if isinstance(tipo, pl.Datetime):
            return c.dt.strftime("%d/%m/%Y %H:%M").fill_null(ND).alias(nome)
        if tipo == pl.Boolean:
            return pl.when(c).then(pl.lit("sì")).when(~c).then(pl.lit("no")).otherwise(pl.lit(ND)).alias(nome)
        return c.cast(pl.String).fill_null(ND).alias(nome)

    return df.select(colonna(n, t) for n, t in df.schema.items())
