"""Downloads of exactly what a view shows: CSV for Italian Excel (default), plain CSV, XLSX."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from dashboard import formatting, privacy
from dashboard.testo import INVISIBILI, senza_invisibili

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
ESTENSIONE = {"csv_it": "csv", "csv": "csv", "xlsx": "xlsx"}
# OWASP "CSV injection": a cell starting with one of these may run as a formula in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE = r"^[=+\-@\t\r]"
BOM = "\ufeff"
# A table's sheet is named after its view (Excel: at most 31 characters, none of []:*?/\\); the context sheet
# follows it. A sheet with no view to name it gets FOGLIO_SENZA_VISTA.
FOGLIO_SENZA_VISTA = "Tabella"
FOGLIO_CONTESTO = "Filtri e fonte"
INTESTAZIONE_CONTESTO = ("Voce", "Valore")
MAX_NOME_FOGLIO = 31
AUTORE = "Regione Lombardia, DG Istruzione, Formazione, Lavoro"
SI, NO = "sì", "no"


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


def _colonna_csv(df: pl.DataFrame, nome: str, *, virgola: bool, fmt_data: str, fmt_ora: str) -> pl.Expr:
    """One column as the exact text of its CSV fields: text quoted and neutralised, numbers and dates bare."""
    dtype = df.schema[nome]
    col = pl.col(nome)
    if dtype.is_float() or isinstance(dtype, pl.Decimal):
        if dtype.is_float():
            col = pl.when(col.is_finite()).then(col)  # NaN and inf are no figure: an empty cell
        text = col.cast(pl.String)
        return text.str.replace(".", ",", literal=True) if virgola else text
    if dtype.is_numeric():
        return col.cast(pl.String)
    if dtype == pl.Date:
        return col.dt.strftime(fmt_data)
    if isinstance(dtype, pl.Datetime):
        return col.dt.strftime(fmt_ora)
    if dtype == pl.Boolean:
        col = pl.when(col).then(pl.lit(SI)).when(~col).then(pl.lit(NO))
    elif privacy.conteggi_soppressi(df[nome]):
        return col  # whole numbers and '<3': bare, so that Excel reads the numbers as numbers
    else:
        col = (
            col.cast(pl.String)
            if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum)
            # Any other kind (lists, times...) as Python writes it, computed outside polars: no callback inside it.
            else pl.lit(formatting.in_python(df[nome], lambda v: None if v is None else str(v)))
        )
        col = pl.when(col.str.contains(_FORMULA_RE)).then(pl.lit("'") + col).otherwise(col)
        col = col.str.replace_all(f"[{INVISIBILI}]", "")  # bidi overrides and zero-width marks: text is text
    # Every text field is quoted: a ',' or ';' inside it cannot split it, whatever separator Excel assumes.
    return pl.lit('"') + col.str.replace_all('"', '""', literal=True) + pl.lit('"')


def _csv(df: pl.DataFrame, *, separatore: str, virgola: bool, fmt_data: str, fmt_ora: str) -> str:
    header = separatore.join('"' + c.replace('"', '""') + '"' for c in df.columns)
    if df.width == 0:
        return header + "\r\n"
    body = df.select(
        _colonna_csv(df, c, virgola=virgola, fmt_data=fmt_data, fmt_ora=fmt_ora).alias(c) for c in df.columns
    ).write_csv(separator=separatore, quote_style="never", include_header=False, line_terminator="\r\n")
    return header + "\r\n" + body


def csv_excel_italiano(df: pl.DataFrame) -> bytes:
    """UTF-8 with BOM, ';' separator, decimal comma, dates dd/mm/yyyy: opens right in Italian Excel."""
    text = _csv(df, separatore=";", virgola=True, fmt_data="%d/%m/%Y", fmt_ora="%d/%m/%Y %H:%M")
    return (BOM + text).encode("utf-8")


def csv_standard(df: pl.DataFrame) -> bytes:
    """UTF-8, ',' separator, decimal point, ISO dates."""
    return _csv(df, separatore=",", virgola=False, fmt_data="%Y-%m-%d", fmt_ora="%Y-%m-%dT%H:%M:%S").encode("utf-8")


def _decimali(serie: pl.Series) -> int:
    """Decimals needed to show a float column as computed (at most 3): 0 for whole numbers."""
    for n in range(4):
        valori = serie.drop_nulls().drop_nans()
        if valori.is_empty() or bool(((valori * 10**n).round(6) % 1 == 0).all()):
            return n
    return 3


# Columns that hold a year or a code: whole numbers written as they are (2025, not 2.025).
_SENZA_MIGLIAIA = re.compile(r"^(anno|codice|cod\.?|istat|ateco|cap|id)\b", re.IGNORECASE)


def _formato_numero(dtype: pl.DataType, serie: pl.Series) -> str:
    if dtype.is_integer() and _SENZA_MIGLIAIA.match(serie.name or ""):
        return "0"
    if dtype.is_integer():
        return "#,##0"
    n = _decimali(serie) if dtype.is_float() else 2
    return "#,##0" + ("." + "0" * n if n else "")


def _scrivi_testo(cell, value: str) -> None:
    """A text cell that can never be a formula: string type forced, formula-looking text quote-prefixed."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", senza_invisibili(value))
    cell.data_type = "s"  # openpyxl would store '=…' as a formula and '#N/A' as an error
    if value.startswith(_FORMULA_START):
        cell.quotePrefix = True  # Excel's own "this is text" mark: it survives editing the cell


def _valore_excel(value: object) -> object:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value


def nome_foglio(testo: str) -> str:
    """A sheet name that Excel accepts and that says what the sheet holds: 'Misure PAL - Province per misura' ->
    'Province per misura' (the part after the last ' - ' when the whole is too long), cut at a word."""
    nome = re.sub(r"[\[\]:*?/\\]", " ", senza_invisibili(testo)).strip(" '")
    nome = re.sub(r"\s+", " ", nome)
    if len(nome) > MAX_NOME_FOGLIO and " - " in nome:
        nome = nome.rsplit(" - ", 1)[1]
    if len(nome) > MAX_NOME_FOGLIO:
        nome = nome[: MAX_NOME_FOGLIO + 1].rsplit(" ", 1)[0] if " " in nome[:MAX_NOME_FOGLIO] else nome
        nome = nome[:MAX_NOME_FOGLIO].rstrip(" -–·,")
    return nome or FOGLIO_SENZA_VISTA


def xlsx(df: pl.DataFrame, contesto: Mapping[str, object]) -> bytes:
    """A workbook with the data (real numbers and dates) and a sheet stating filters, source and extraction date.

    The data sheet is named after the view («Vista» in the context) and its rows are an Excel table, so that its
    header is a defined header that screen readers announce with every cell.
    """
    return xlsx_fogli({str(contesto.get("Vista") or FOGLIO_SENZA_VISTA): df}, contesto)


def xlsx_fogli(fogli: Mapping[str, pl.DataFrame], contesto: Mapping[str, object], giorno: date | None = None) -> bytes:
    """A workbook with one sheet per table and the context sheet last.

    With `giorno` the file is reproducible: its document dates and its zip entries' dates are that day, so the
    same tables give the same bytes.
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for titolo, df in fogli.items():
        _foglio_dati(wb.create_sheet(nome_foglio(titolo)), df)
    _foglio_contesto(wb.create_sheet(FOGLIO_CONTESTO), contesto)
    titolo = contesto.get("Vista") or contesto.get("Report") or next(iter(fogli), FOGLIO_SENZA_VISTA)
    wb.properties.title = senza_invisibili(str(titolo))
    wb.properties.creator = wb.properties.lastModifiedBy = AUTORE
    wb.properties.language = "it-IT"
    if giorno is not None:
        wb.properties.created = wb.properties.modified = datetime(giorno.year, giorno.month, giorno.day)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue() if giorno is None else _zip_datato(buf.getvalue(), giorno)


def _zip_datato(dati: bytes, giorno: date) -> bytes:
    """The same zip with every entry dated `giorno` and the modified date of docProps/core.xml set to it."""
    import zipfile

    quando = f"{giorno.isoformat()}T00:00:00Z".encode()
    uscita = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(dati)) as sorgente, zipfile.ZipFile(uscita, "w", zipfile.ZIP_DEFLATED) as zf:
        for voce in sorgente.infolist():
            contenuto = sorgente.read(voce.filename)
            if voce.filename == "docProps/core.xml":  # openpyxl writes the time of saving as "modified"
                contenuto = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + quando, contenuto)
            zf.writestr(zipfile.ZipInfo(voce.filename, (giorno.year, giorno.month, giorno.day, 0, 0, 0)), contenuto,
                        compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    return uscita.getvalue()


def _foglio_dati(ws, df: pl.DataFrame) -> None:
    """A sheet of data: bold header, real numbers and dates in Italian formats, hidden counts as text."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for j, name in enumerate(df.columns, start=1):
        _scrivi_testo(ws.cell(1, j), name)
        ws.cell(1, j).font = Font(bold=True)
    for j, (name, dtype) in enumerate(df.schema.items(), start=1):
        serie = df[name]
        conteggi = privacy.conteggi_soppressi(serie)
        fmt = None
        if dtype.is_numeric() or conteggi:
            fmt = _formato_numero(pl.Int64 if conteggi else dtype, serie)
        elif dtype == pl.Date:
            fmt = "dd/mm/yyyy"
        elif isinstance(dtype, pl.Datetime):
            fmt = "dd/mm/yyyy hh:mm"
        larghezza = len(name)
        for i, value in enumerate(serie.to_list(), start=2):
            cell = ws.cell(i, j)
            if value is None:
                continue
            if conteggi and not privacy.e_soppressa(value):
                value = int(value)
            if isinstance(value, bool):
                value = SI if value else NO
            if isinstance(value, str):
                _scrivi_testo(cell, value)
                if conteggi:
                    cell.alignment = Alignment(horizontal="right")
            else:
                cell.value = _valore_excel(value)
                if fmt:
                    cell.number_format = fmt
            larghezza = max(larghezza, len(str(value)) if not isinstance(value, date) else 10)
        ws.column_dimensions[get_column_letter(j)].width = max(10, min(60, larghezza + 2))
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"  # the header on every printed page
    if df.width and df.height:
        _tabella_excel(ws)


def _tabella_excel(ws) -> None:
    """The sheet's cells as an Excel table: a defined header row (announced by screen readers), filters, a name."""
    from openpyxl.worksheet.table import Table, TableStyleInfo

    base = re.sub(r"\W+", "_", _slug(ws.title, minuscolo=False)).strip("_")
    nome = f"Tabella_{base or 'dati'}_{len(ws.parent.worksheets)}"
    tabella = Table(displayName=nome, ref=ws.dimensions)
    tabella.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    ws.add_table(tabella)


def _foglio_contesto(info, contesto: Mapping[str, object]) -> None:
    """The sheet stating filters, source, data date and the privacy rule."""
    from openpyxl.styles import Alignment, Font

    for j, titolo in enumerate(INTESTAZIONE_CONTESTO, start=1):
        _scrivi_testo(info.cell(1, j), titolo)
        info.cell(1, j).font = Font(bold=True)
    for i, (key, value) in enumerate(contesto.items(), start=2):
        _scrivi_testo(info.cell(i, 1), str(key))
        info.cell(i, 1).font = Font(bold=True)
        cell = info.cell(i, 2)
        if isinstance(value, date):
            cell.value = value
            cell.number_format = "dd/mm/yyyy"
            cell.alignment = Alignment(horizontal="left")
        else:
            _scrivi_testo(cell, str(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 100
    info.freeze_panes = "A2"
    if contesto:
        _tabella_excel(info)


def _slug(text: str, minuscolo: bool = True) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")
    return slug.lower() if minuscolo else slug


def nome_file(vista: str, parti_filtro: list[str], data_estrazione: date, estensione: str) -> str:
    """cruscotto_confronto-anni_2025_BG-MI_dati-al-2026-01-15.csv (view, filters, data date)."""
    parti = [
        "cruscotto",
        _slug(vista),
        *(_slug(p, minuscolo=False) for p in parti_filtro if p),
        f"dati-al-{data_estrazione:%Y-%m-%d}",
    ]
    return "_".join(p for p in parti if p) + "." + estensione


def contenuto(df: pl.DataFrame, formato: str, contesto: Mapping[str, object]) -> bytes:
    """The bytes of the file in a format key of FORMATI (unknown keys get the Italian Excel CSV)."""
    if formato == "xlsx":
        return xlsx(df, contesto)
    if formato == "csv":
        return csv_standard(df)
    return csv_excel_italiano(df)


# The two CSVs of a table are told apart by their names: the standard one says so.
SUFFISSO = {"csv": "csv-standard"}


def nome_file_formato(vista: str, parti_filtro: list[str], data_estrazione: date, formato: str) -> str:
    """The file name for a format key of FORMATI: the standard CSV ends in _csv-standard.csv."""
    formato = formato if formato in FORMATI else "csv_it"
    nome = nome_file(vista, parti_filtro, data_estrazione, ESTENSIONE[formato])
    if formato in SUFFISSO:
        base, estensione = nome.rsplit(".", 1)
        return f"{base}_{SUFFISSO[formato]}.{estensione}"
    return nome


def prepara(
    df: pl.DataFrame,
    formato: str,
    vista: str,
    parti_filtro: list[str],
    data_estrazione: date,
    contesto: Mapping[str, object],
) -> File:
    """The file for a format key of FORMATI."""
    formato = formato if formato in FORMATI else "csv_it"
    return File(
        nome_file_formato(vista, parti_filtro, data_estrazione, formato),
        contenuto(df, formato, contesto),
        MIME[formato],
    )
