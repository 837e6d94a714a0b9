"""Downloads of exactly what a view shows: CSV for Italian Excel (default), plain CSV, XLSX."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import polars as pl

FORMATI: dict[str, str] = {
    "csv_it": "CSV per Excel italiano (;)",
    "csv": "CSV standard (,)",
    "xlsx": "Excel (.xlsx)",
}
MIME = {
    "csv_it": "text/csv",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


@dataclass(frozen=True)
class File:
    """A file ready for st.download_button."""

    nome: str
    dati: bytes
    mime: str


def neutralizza(value: str | None) -> str | None:
    """Prefix a quote to text that Excel would run as a formula (OWASP CSV injection guidance)."""
    if value and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _testo_sicuro(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        pl.col(c).map_elements(neutralizza, return_dtype=pl.String) for c, t in df.schema.items() if t == pl.String
    )


def csv_excel_italiano(df: pl.DataFrame) -> bytes:
    """UTF-8 with BOM, ';' separator, decimal comma, dates dd/mm/yyyy: opens right in Italian Excel."""
    text = _testo_sicuro(df).write_csv(
        separator=";", decimal_comma=True, date_format="%d/%m/%Y", datetime_format="%d/%m/%Y %H:%M"
    )
    return (BOM + text).encode("utf-8")


def csv_standard(df: pl.DataFrame) -> bytes:
    """UTF-8, ',' separator, decimal point, ISO dates."""
    return _testo_sicuro(df).write_csv(separator=",", date_format="%Y-%m-%d").encode("utf-8")


def xlsx(df: pl.DataFrame, contesto: Mapping[str, str]) -> bytes:
    """A workbook with the data and a sheet stating filters, source and extraction date."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Dati"
    ws.append(list(df.columns))
    for row in _testo_sicuro(df).iter_rows():
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = cell.font.copy(bold=True)
    for i, (name, dtype) in enumerate(df.schema.items(), start=1):
        fmt = "dd/mm/yyyy" if dtype == pl.Date else ("#,##0" if dtype.is_integer() else "#,##0.0")
        if dtype.is_numeric() or dtype == pl.Date:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = fmt
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, min(50, len(name) + 4))
    info = wb.create_sheet("Filtri e fonte")
    for key, value in contesto.items():
        info.append([key, neutralizza(value)])
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 90
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def nome_file(vista: str, parti_filtro: list[str], data_estrazione: date, estensione: str) -> str:
    """cruscotto_confronto_2025_BG-MI_dati-al-2026-01-15.csv"""
    parti = [
        "cruscotto",
        _slug(vista),
        *(_slug(p) for p in parti_filtro if p),
        f"dati-al-{data_estrazione:%Y-%m-%d}",
    ]
    return "_".join(p for p in parti if p) + "." + estensione


def prepara(
    df: pl.DataFrame,
    formato: str,
    vista: str,
    parti_filtro: list[str],
    data_estrazione: date,
    contesto: Mapping[str, str],
) -> File:
    """The file for a format key of FORMATI."""
    if formato == "xlsx":
        dati = xlsx(df, contesto)
        ext = "xlsx"
    elif formato == "csv":
        dati = csv_standard(df)
        ext = "csv"
    else:
        dati = csv_excel_italiano(df)
        ext = "csv"
    return File(nome_file(vista, parti_filtro, data_estrazione, ext), dati, MIME[formato])
