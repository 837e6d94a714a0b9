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

    # Text columns (tables already formatted in polars) need no Python callback: only their blanks read 'n.d.'.
    return df.with_columns(
        pl.col(c).fill_null(ND)
        if df.schema[c] == pl.String
        else pl.col(c).map_elements(cella, return_dtype=pl.String, skip_nulls=False)
        for c in df.columns
    )
