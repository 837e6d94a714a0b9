"""Downloads read back: encoding and BOM, separators, decimals, dates, suppression labels, formula injection, XLSX."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from sqlalchemy.engine import Engine

from dashboard import components, exports
from dashboard.filters import Filtri
from dashboard.letture import casi as letture_casi
from dashboard.viste.esporta import tabella_casi, tabella_procedure
from data_access.dominio import SIGLE
from data_access.engine import crea_engine
from data_access.queries import meta, procedure

OSTILI = ['=HYPERLINK("http://x","y")', "@SUM(1)", "-2+3", "+39 02 1234", "\tTAB", "\rCR"]
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _campione() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Azienda": ["Rossi S.p.A.", *OSTILI, 'Bianchi; =1+1, "la" S.r.l.'],
            "Peso %": [51.0, 10.3, None, -2.5, 0.25, 19.0, 3.0, 100.0],
            "Lavoratori": [11800, 2, None, -5, 0, 7, 1, 4377],
            "Dal": [date(2026, 1, 15), date(2025, 3, 1), None, *[date(2025, 12, 31)] * 5],
            "Aperto": [True, False, None, True, True, True, False, True],
            "Step 1": ["474", "<3", "riservato", None, "0", "12", "<3", "1200"],
        }
    )


def _righe_csv(dati: bytes, separatore: str, bom: bool) -> list[list[str]]:
    testo = dati.decode("utf-8")
    assert testo.startswith(exports.BOM) == bom
    return list(csv.reader(io.StringIO(testo.removeprefix(exports.BOM), newline=""), delimiter=separatore))


def test_csv_for_italian_excel_reads_back() -> None:
    dati = exports.csv_excel_italiano(_campione())
    assert dati.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads 'à' and '«' right
    righe = _righe_csv(dati, ";", bom=True)
    assert righe[0] == ["Azienda", "Peso %", "Lavoratori", "Dal", "Aperto", "Step 1"]
    assert righe[1] == ["Rossi S.p.A.", "51,0", "11800", "15/01/2026", "sì", "474"]
    assert righe[2][1:] == ["10,3", "2", "01/03/2025", "no", "<3"]
    assert righe[3][1:] == ["", "", "", "", "riservato"]  # missing values are empty cells
    assert righe[4][1:3] == ["-2,5", "-5"]  # negative numbers stay numbers, never quote-prefixed
    assert righe[5][1] == "0,25"
    assert all(len(r) == 6 for r in righe)


def test_csv_for_italian_excel_quotes_only_text() -> None:
    testo = exports.csv_excel_italiano(_campione()).decode("utf-8").removeprefix(exports.BOM)
    prima = testo.split("\r\n")[1]
    # Numbers, dates and counts are bare, so Excel reads them as numbers and dates; text is quoted.
    assert prima == '"Rossi S.p.A.";51,0;11800;15/01/2026;"sì";474'
    assert testo.endswith("\r\n")
    assert '"51,0"' not in testo and '"11800"' not in testo and '"15/01/2026"' not in testo


def test_plain_csv_reads_back_with_types() -> None:
    dati = exports.csv_standard(_campione())
    righe = _righe_csv(dati, ",", bom=False)
    assert righe[1] == ["Rossi S.p.A.", "51.0", "11800", "2026-01-15", "sì", "474"]
    df = pl.read_csv(io.BytesIO(dati), try_parse_dates=True, schema_overrides={"Step 1": pl.String})
    assert df.schema["Peso %"] == pl.Float64
    assert df.schema["Lavoratori"] == pl.Int64
    assert df.schema["Dal"] == pl.Date
    assert df["Lavoratori"].to_list() == _campione()["Lavoratori"].to_list()
    assert df["Dal"][0] == date(2026, 1, 15)


@pytest.mark.parametrize("formato", ["csv_it", "csv"])
def test_csv_injection_is_neutralised(formato: str) -> None:
    df = _campione()
    dati = exports.contenuto(df, formato, {})
    separatore = ";" if formato == "csv_it" else ","
    righe = _righe_csv(dati, separatore, bom=formato == "csv_it")
    aziende = [r[0] for r in righe[1:]]
    for ostile, scritto in zip(OSTILI, aziende[1:], strict=False):
        assert scritto == "'" + ostile  # shown as text, with the leading quote OWASP recommends
    assert aziende[-1] == 'Bianchi; =1+1, "la" S.r.l.'
    # Whatever separator the spreadsheet assumes, no cell can start a formula: text fields are quoted whole.
    for altro in (";", ",", "\t"):
        for riga in _righe_csv(dati, altro, bom=formato == "csv_it"):
            for cella in riga:
                assert not cella.lstrip(" ").startswith(("=", "@")), (altro, cella)


def test_neutralizza() -> None:
    assert exports.neutralizza("=1+1") == "'=1+1"
    assert exports.neutralizza("Rossi") == "Rossi"
    assert exports.neutralizza("") == ""
    assert exports.neutralizza(None) is None
    assert all(exports.neutralizza(s).startswith("'") for s in OSTILI)


def test_non_finite_floats_are_empty() -> None:
    df = pl.DataFrame({"x": [float("nan"), float("inf"), 1.5], "n": [1, 2, 3]})
    assert _righe_csv(exports.csv_excel_italiano(df), ";", bom=True)[1:] == [["", "1"], ["", "2"], ["1,5", "3"]]


def test_empty_table_keeps_its_header() -> None:
    df = pl.DataFrame(schema={"Provincia": pl.String, "Lavoratori": pl.Int64})
    assert _righe_csv(exports.csv_excel_italiano(df), ";", bom=True) == [["Provincia", "Lavoratori"]]
    wb = openpyxl.load_workbook(io.BytesIO(exports.xlsx(df, {})))
    assert [c.value for c in wb.worksheets[0][1]] == ["Provincia", "Lavoratori"]


def _foglio(dati: bytes, nome: str | int) -> list[list[openpyxl.cell.Cell]]:
    """The cells of a sheet, by name or by position (0: the table's own sheet, named after its view)."""
    wb = openpyxl.load_workbook(io.BytesIO(dati))
    return [list(r) for r in (wb.worksheets[nome] if isinstance(nome, int) else wb[nome]).iter_rows()]


def test_xlsx_numbers_dates_and_text() -> None:
    contesto = {"Vista": "Prova", "Data di estrazione": date(2026, 1, 15)}
    dati = exports.xlsx(_campione(), contesto)
    righe = _foglio(dati, 0)
    assert [c.value for c in righe[0]] == _campione().columns
    _, peso, lavoratori, dal, aperto, step1 = righe[1]
    assert (peso.value, peso.data_type, peso.number_format) == (51, "n", "#,##0.00")
    assert (lavoratori.value, lavoratori.data_type, lavoratori.number_format) == (11800, "n", "#,##0")
    assert dal.value == datetime(2026, 1, 15) and dal.is_date and dal.number_format == "dd/mm/yyyy"
    assert aperto.value == "sì"
    assert (step1.value, step1.data_type) == (474, "n")  # a count beside '<3' cells stays a number
    assert righe[2][5].value == "<3" and righe[2][5].data_type == "s"
    assert righe[3][5].value == "riservato"
    assert righe[3][1].value is None and righe[3][2].value is None
    assert righe[4][2].value == -5


def test_xlsx_decimals_follow_the_data() -> None:
    df = pl.DataFrame({"interi": [1.0, 2.0], "uno": [10.3, 0.0], "due": [0.25, 1.0]})
    _, prima, _ = _foglio(exports.xlsx(df, {}), 0)
    assert [c.number_format for c in prima] == ["#,##0", "#,##0.0", "#,##0.00"]


def test_xlsx_injection_is_text_never_formula() -> None:
    dati = exports.xlsx(_campione(), {"Filtri": "=cmd|' /C calc'!A0"})
    righe = _foglio(dati, 0)
    for ostile, riga in zip(OSTILI, righe[2:], strict=False):
        cella = riga[0]
        # The name is kept exactly, as text, with Excel's own quote prefix so that editing it keeps it text.
        assert (cella.value, cella.data_type) == (ostile, "s")
        assert cella.quotePrefix
    with zipfile.ZipFile(io.BytesIO(dati)) as z:
        for nome in z.namelist():
            if nome.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(nome).decode("utf-8"), nome
    info = _foglio(dati, exports.FOGLIO_CONTESTO)
    assert (info[1][1].value, info[1][1].data_type) == ("=cmd|' /C calc'!A0", "s")


def test_xlsx_drops_characters_xml_cannot_hold_and_time_zones() -> None:
    df = pl.DataFrame(
        {"nota": ["a\x00b\x07c"], "quando": [datetime(2026, 1, 15, 8, 30, tzinfo=UTC)]},
        schema={"nota": pl.String, "quando": pl.Datetime("us", "UTC")},
    )
    riga = _foglio(exports.xlsx(df, {}), 0)[1]
    assert riga[0].value == "abc"
    assert riga[1].value == datetime(2026, 1, 15, 8, 30)
    assert riga[1].number_format == "dd/mm/yyyy hh:mm"


@pytest.mark.parametrize(
    ("vista", "parti", "ext", "atteso"),
    [
        ("Confronto anni", ["2025", "BG-MI"], "csv", "cruscotto_confronto-anni_2025_BG-MI_dati-al-2026-01-15.csv"),
        ("Modalità tavolo", ["2024"], "xlsx", "cruscotto_modalita-tavolo_2024_dati-al-2026-01-15.xlsx"),
        ("Step PAL per provincia", ["2025", "", "CIGS_MIN"], "csv",
         "cruscotto_step-pal-per-provincia_2025_CIGS-MIN_dati-al-2026-01-15.csv"),
    ],
)  # fmt: skip
def test_file_name_carries_view_filters_and_data_date(vista: str, parti: list[str], ext: str, atteso: str) -> None:
    assert exports.nome_file(vista, parti, date(2026, 1, 15), ext) == atteso


def test_unknown_format_falls_back_to_italian_csv() -> None:
    file = exports.prepara(_campione(), "pdf", "Prova", ["2025"], date(2026, 1, 15), {})
    assert file.nome.endswith(".csv") and file.dati.startswith(exports.BOM.encode("utf-8"))
    assert exports.prepara(_campione(), "xlsx", "Prova", [], date(2026, 1, 15), {}).mime == exports.MIME["xlsx"]


@pytest.fixture(scope="module")
def procedure_2025(engine: Engine) -> pl.DataFrame:
    """The official-table dataset of 2025, as the Esporta page builds it."""
    return tabella_procedure(procedure.per_provincia(engine, (2025,), ("CIGS_MIN", "CIGS_REG", "LIC"), SIGLE), SIGLE)


def test_real_table_in_every_format_adds_up_to_the_published_total(engine: Engine, procedure_2025) -> None:
    info = meta.info_dati(engine)
    f = Filtri(2025)
    csv_it = components.file_dati(procedure_2025, "csv_it", vista="Procedure per provincia", filtri=f, info=info)
    assert csv_it.nome == "cruscotto_procedure-per-provincia_2025_dati-al-2026-01-15.csv"
    righe = _righe_csv(csv_it.dati, ";", bom=True)
    col = righe[0].index("Lavoratori coinvolti")
    assert sum(int(r[col]) for r in righe[1:]) == 11800
    peso = righe[0].index("Peso % lavoratori")
    bg_cigs_min = next(r for r in righe[1:] if r[3] == "BG" and r[1] == "CIGS ministeriali")
    assert bg_cigs_min[peso] == "10,8"  # as published: Bergamo's 474 of 4.377

    plain = components.file_dati(procedure_2025, "csv", vista="Procedure per provincia", filtri=f, info=info)
    assert pl.read_csv(io.BytesIO(plain.dati))["Lavoratori coinvolti"].sum() == 11800

    xlsx = components.file_dati(procedure_2025, "xlsx", vista="Procedure per provincia", filtri=f, info=info)
    assert xlsx.nome.endswith(".xlsx")
    dati = _foglio(xlsx.dati, 0)
    col = [c.value for c in dati[0]].index("Lavoratori coinvolti")
    assert sum(r[col].value for r in dati[1:]) == 11800
    info_foglio = {r[0].value: r[1].value for r in _foglio(xlsx.dati, exports.FOGLIO_CONTESTO)}
    assert info_foglio["Vista"] == "Procedure per provincia"
    assert info_foglio["Filtri"] == "Anno 2025 · tutte le province · tutte le procedure"
    assert info_foglio["Fonte"].startswith("Fonte: Regione Lombardia")
    assert info_foglio["Data di estrazione"] == datetime(2026, 1, 15)
    assert info_foglio["Dati dimostrativi"] == "sì"
    assert "Riservatezza" not in info_foglio  # the province-level official table is public


def test_file_name_and_context_with_filters(engine: Engine, procedure_2025) -> None:
    info = meta.info_dati(engine)
    f = Filtri(2025, ("BG", "MI"), ("CIGS_MIN",))
    df = procedure_2025.filter(pl.col("Sigla").is_in(["BG", "MI"]), pl.col("Tipo di procedura") == "CIGS ministeriali")
    file = components.file_dati(
        df.with_columns(pl.Series("Nota", ["<3", "12"])), "xlsx", vista="Prova", filtri=f, info=info
    )
    assert file.nome == "cruscotto_prova_2025_BG-MI_CIGS-MIN_dati-al-2026-01-15.xlsx"
    info_foglio = {r[0].value: r[1].value for r in _foglio(file.dati, exports.FOGLIO_CONTESTO)}
    assert info_foglio["Filtri"] == "Anno 2025 · Bergamo, Milano · CIGS ministeriali"
    assert "«<3»" in info_foglio["Riservatezza"]


def _pubblicate() -> dict[tuple[int, str], dict[str, str]]:
    tsv = Path(__file__).resolve().parents[1] / "data" / "tabelle_ufficiali.tsv"
    with tsv.open(encoding="utf-8") as fh:
        righe = csv.DictReader((r for r in fh if not r.startswith("#")), delimiter="\t")
        return {(int(r["anno"]), r["provincia"]): r for r in righe}


@pytest.mark.parametrize("anno", [2024, 2025])
def test_weights_in_the_italian_csv_are_the_published_ones(engine: Engine, anno: int) -> None:
    """Every 'Peso %' cell of the download reads exactly as in the Region's table (one decimal, comma)."""
    df = tabella_procedure(procedure.per_provincia(engine, (anno,), ("CIGS_MIN", "CIGS_REG", "LIC"), SIGLE), SIGLE)
    righe = _righe_csv(exports.csv_excel_italiano(df), ";", bom=True)
    col = {nome: i for i, nome in enumerate(righe[0])}
    prefisso = {"CIGS ministeriali": "cigs_min", "CIGS regionali": "cigs_reg", "Licenziamenti collettivi": "lic"}
    pubblicate = _pubblicate()
    assert len(righe) - 1 == 36
    for r in righe[1:]:
        pub = pubblicate[(anno, r[col["Sigla"]])]
        p = prefisso[r[col["Tipo di procedura"]]]
        assert r[col["Peso % unità"]] == pub[f"{p}_peso_unita"], r
        assert r[col["Peso % lavoratori"]] == pub[f"{p}_peso_lavoratori"], r
        assert int(r[col["Lavoratori coinvolti"]]) == int(pub[f"{p}_lavoratori"].replace(".", "") or 0), r


def test_hostile_company_names_from_the_database_cannot_run(demo_db: Path, tmp_path: Path) -> None:
    """A case list read from a real SQLite file whose company names are formulas: inert in every format."""
    copia = tmp_path / "ostile.db"
    shutil.copy(demo_db, copia)
    nomi = ['=HYPERLINK("http://x","y")', "@SUM(1)", "-2+3"]
    with sqlite3.connect(copia) as conn:  # the test prepares its data; the app only ever reads it
        codici = [r[0] for r in conn.execute("SELECT codice FROM caso_alta_complessita ORDER BY codice LIMIT 3")]
        for codice, nome in zip(codici, nomi, strict=True):
            conn.execute(
                "UPDATE azienda SET ragione_sociale = ? WHERE id = "
                "(SELECT azienda_id FROM caso_alta_complessita WHERE codice = ?)",
                (nome, codice),
            )
    eng = crea_engine(f"sqlite:///{copia}")
    al = meta.info_dati(eng).data_estrazione
    elenco = letture_casi.elenco(eng, al)
    df = tabella_casi(elenco)
    assert df["Azienda"].head(3).to_list() == nomi

    righe = _righe_csv(exports.csv_excel_italiano(df), ";", bom=True)
    assert [r[1] for r in righe[1:4]] == ["'" + n for n in nomi]
    assert all(not r[6].startswith("'") and int(r[6]) > 0 for r in righe[1:])  # workers stay numbers

    foglio = _foglio(exports.xlsx(df, {}), 0)
    for riga, nome in zip(foglio[1:4], nomi, strict=True):
        assert (riga[1].value, riga[1].data_type, riga[1].quotePrefix) == (nome, "s", True)
        assert riga[6].data_type == "n"


def test_the_two_csv_have_different_names() -> None:
    giorno = date(2026, 1, 15)
    italiano = exports.nome_file_formato("Confronto anni", ["2025"], giorno, "csv_it")
    standard = exports.nome_file_formato("Confronto anni", ["2025"], giorno, "csv")
    assert italiano == "cruscotto_confronto-anni_2025_dati-al-2026-01-15.csv"
    assert standard == "cruscotto_confronto-anni_2025_dati-al-2026-01-15_csv-standard.csv"


def test_xlsx_years_and_codes_have_no_thousands_separator() -> None:
    from openpyxl import load_workbook

    df = pl.DataFrame({"Anno": [2024, 2025], "Codice ISTAT": [16024, 17029], "Lavoratori": [9557, 11800]})
    ws = load_workbook(io.BytesIO(exports.xlsx(df, {}))).worksheets[0]
    assert [ws.cell(2, j).number_format for j in (1, 2, 3)] == ["0", "0", "#,##0"]


@pytest.mark.parametrize(
    ("vista", "atteso"),
    [
        ("Procedure per provincia", "Procedure per provincia"),
        ("Step PAL - Misure per provincia", "Step PAL - Misure per provincia"),  # 31 characters: kept whole
        ("Misure PAL - Province per misura", "Province per misura"),  # 32: the part that names the table
        ("Confronto 2024/2025: [tutte] le province?", "Confronto 2024 2025 tutte le"),
        ("Unità produttive delle procedure di CIGS in corso", "Unità produttive delle"),
        ("", exports.FOGLIO_SENZA_VISTA),
    ],
)
def test_sheet_names_say_what_the_sheet_holds(vista: str, atteso: str) -> None:
    assert exports.nome_foglio(vista) == atteso
    assert len(atteso) <= 31


def test_xlsx_sheets_are_named_tables_with_a_defined_header(engine: Engine, procedure_2025) -> None:
    info = meta.info_dati(engine)
    file = components.file_dati(procedure_2025, "xlsx", vista="Procedure per provincia", filtri=Filtri(2025), info=info)
    wb = openpyxl.load_workbook(io.BytesIO(file.dati))
    assert wb.sheetnames == ["Procedure per provincia", exports.FOGLIO_CONTESTO]
    assert not any(n.lower().startswith(("sheet", "foglio")) or n.lower() == "dati" for n in wb.sheetnames)
    dati, contesto = wb.worksheets
    (tabella,) = dati.tables.values()
    assert tabella.ref == f"A1:{openpyxl.utils.get_column_letter(procedure_2025.width)}{procedure_2025.height + 1}"
    assert tabella.headerRowCount == 1 and tabella.displayName == "Tabella_Procedure_per_provincia_1"
    assert [c.name for c in tabella.tableColumns] == procedure_2025.columns == [c.value for c in dati[1]]
    assert dati.print_title_rows == "$1:$1" and dati.freeze_panes == "A2"
    (tabella_contesto,) = contesto.tables.values()
    assert [c.name for c in tabella_contesto.tableColumns] == list(exports.INTESTAZIONE_CONTESTO)
    assert tabella_contesto.ref == f"A1:B{contesto.max_row}" and contesto["A2"].value == "Vista"
    assert wb.properties.title == "Procedure per provincia" and wb.properties.language == "it-IT"
    assert wb.properties.creator == exports.AUTORE
    # Italian conventions are unchanged by the table: codes without thousands separator, counts with it.
    assert dati.cell(2, procedure_2025.columns.index("Lavoratori coinvolti") + 1).number_format == "#,##0"


def test_libreoffice_reads_the_table_sheet(tmp_path: Path) -> None:
    import subprocess

    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Calc is missing: `make test` installs it (.ci/install-system-deps)"
    df = pl.DataFrame({"Anno": [2025], "Provincia": ["Lecco"], "Lavoratori": [11800], "Peso %": [51.0]})
    sorgente = tmp_path / "tabella.xlsx"
    sorgente.write_bytes(exports.xlsx(df, {"Vista": "Confronto anni"}))
    utente = tmp_path / "profilo" / "user"
    utente.mkdir(parents=True)
    (utente / "registrymodifications.xcu").write_text(LOCALE_ITALIANO, encoding="utf-8")
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profilo", "--convert-to",
         "csv:Text - txt - csv (StarCalc):59,34,76,1,,1040,false,true,true", "--outdir", str(tmp_path), str(sorgente)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    righe = (tmp_path / "tabella.csv").read_text(encoding="utf-8").splitlines()
    # Formatted as shown in an Italian Calc: the year without separator, the count with the Italian one.
    assert righe == ["Anno;Provincia;Lavoratori;Peso %", "2025;Lecco;11.800;51"]


# A LibreOffice profile whose locale is Italian, as on the offices' computers.
LOCALE_ITALIANO = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>it-IT</value></prop></item>
</oor:items>
"""
