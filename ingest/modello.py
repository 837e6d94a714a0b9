"""The empty, documented Excel template of an extract (`cruscotto-load --modello NOME FILE.xlsx`).

The first sheet is the one the loader reads: the header row and drop-down lists or checks on every column, so that
a file filled in Excel or LibreOffice loads as it is. The other sheets explain the columns and hold the lists.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from data_access.dominio import (
    COLONNA_MISURA,
    NOME_PROVINCIA,
    SCADENZA_MONITORAGGIO_GG,
    SIGLE,
    TRIMESTRI,
)
from ingest.estratti import _TIPI_DOC, Colonna, Estratto, _descrizione_colonna

# Sheet names that say what each holds (the loader reads the first sheet, whatever its name).
FOGLIO_DATI, FOGLIO_ISTRUZIONI, FOGLIO_ELENCHI = "Da compilare", "Istruzioni", "Elenchi"
RIGHE_CONTROLLATE = 2000  # rows of the data sheet that carry the lists and checks
VERDE = "006633"
# Small integer ranges (a quarter) are offered as a list rather than checked as a number.
MAX_VALORI_ELENCO = 12

# What a template says beyond the columns, for the extracts that others fill in.
ISTRUZIONI: dict[str, tuple[str, ...]] = {
    "monitoraggio_pal": (
        "Ogni Nucleo crisi compila una riga per ciascuna procedura di CIGS seguita nel trimestre, con il codice "
        "della procedura in VertenzeOnline.",
        "Le PAL attivate si contano per misura, nelle colonne pal_…: Dote Unica Lavoro, Formazione Continua, GOL, "
        "Azioni di Rete e altre misure. Una cella vuota vale 0.",
        f"Il monitoraggio di un trimestre si invia entro {SCADENZA_MONITORAGGIO_GG} giorni dalla sua fine (scadenza "
        "predefinita, fissata dalla Regione). La data di invio è la stessa su tutte le righe.",
        "Per correggere un trimestre già inviato si manda di nuovo l'intero trimestre, con la nuova data di invio: "
        "sostituisce il precedente, che resta nello storico.",
        "Salvare il file con un nome che inizi con monitoraggio_pal, per esempio monitoraggio_pal_LC_2025_T3.xlsx.",
    ),
}


def _elenco(colonna: Colonna) -> tuple[str, ...]:
    """The values a drop-down offers for a column, or () when the column is checked otherwise."""
    if colonna.tipo == "provincia":
        return SIGLE
    if colonna.tipo == "scelta":
        return colonna.valori
    if colonna.tipo == "sino":
        return ("sì", "no")
    if (
        colonna.tipo == "intero"
        and colonna.minimo is not None
        and colonna.massimo is not None
        and colonna.massimo - colonna.minimo < MAX_VALORI_ELENCO
    ):
        return tuple(str(n) for n in range(colonna.minimo, colonna.massimo + 1))
    return ()


def _controllo(colonna: Colonna, elenchi: dict[str, str]) -> DataValidation | None:
    """The Excel check of a column: a list, a whole number, a date or a text length."""
    titolo = f"Valore non valido per {colonna.nome}"
    if colonna.nome in elenchi:
        dv = DataValidation(type="list", formula1=elenchi[colonna.nome], allow_blank=True)
        messaggio = "Scegliere un valore dall'elenco."
    elif colonna.tipo in ("intero", "anno"):
        minimo = colonna.minimo if colonna.minimo is not None else -(10**9)
        massimo = colonna.massimo if colonna.massimo is not None else 10**9
        dv = DataValidation(type="whole", operator="between", formula1=str(minimo), formula2=str(massimo))
        messaggio = (
            f"Atteso un numero intero tra {minimo} e {massimo}."
            if colonna.massimo
            else (f"Atteso un numero intero ≥ {minimo}.")
        )
    elif colonna.tipo == "data":
        dv = DataValidation(type="date", operator="greaterThan", formula1="36526")  # after 1/1/2000
        messaggio = "Attesa una data (GG/MM/AAAA)."
    elif colonna.lunghezza:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(colonna.lunghezza))
        messaggio = f"Al massimo {colonna.lunghezza} caratteri."
    else:
        return None
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle = titolo[:32]
    dv.error = messaggio
    dv.showInputMessage = True
    dv.promptTitle = colonna.nome[:32]
    dv.prompt = colonna.descrizione[:255]
    return dv


def _foglio_elenchi(ws: Worksheet, e: Estratto) -> dict[str, str]:
    """One column per list; returns column name -> the range a drop-down points to."""
    riferimenti: dict[str, str] = {}
    n = 0
    for colonna in e.colonne:
        valori = _elenco(colonna)
        if not valori:
            continue
        n += 1
        lettera = get_column_letter(n)
        ws.cell(1, n, colonna.nome).font = Font(bold=True)
        for r, valore in enumerate(valori, start=2):
            ws.cell(r, n, int(valore) if valore.isdigit() else valore)
        riferimenti[colonna.nome] = f"{FOGLIO_ELENCHI}!${lettera}$2:${lettera}${len(valori) + 1}"
        ws.column_dimensions[lettera].width = max(14, *(len(v) + 2 for v in valori))
    # What the lists' codes mean: provinces by name, the measures and their columns.
    n += 2
    if any(c.tipo == "provincia" for c in e.colonne):
        ws.cell(1, n, "Provincia").font = Font(bold=True)
        ws.cell(1, n + 1, "Sigla").font = Font(bold=True)
        for r, sigla in enumerate(SIGLE, start=2):
            ws.cell(r, n, NOME_PROVINCIA[sigla])
            ws.cell(r, n + 1, sigla)
        ws.column_dimensions[get_column_letter(n)].width = 24
        n += 3
    if e.nome == "monitoraggio_pal":
        ws.cell(1, n, "Misura PAL").font = Font(bold=True)
        ws.cell(1, n + 1, "Colonna").font = Font(bold=True)
        for r, (misura, colonna) in enumerate(COLONNA_MISURA.items(), start=2):
            ws.cell(r, n, misura)
            ws.cell(r, n + 1, colonna)
        ws.cell(1, n + 3, "Trimestre").font = Font(bold=True)
        ws.cell(1, n + 4, "Mesi").font = Font(bold=True)
        for r, (t, mesi) in enumerate(
            zip(TRIMESTRI, ("gennaio-marzo", "aprile-giugno", "luglio-settembre", "ottobre-dicembre"), strict=True),
            start=2,
        ):
            ws.cell(r, n + 3, t)
            ws.cell(r, n + 4, mesi)
        for k, larghezza in ((0, 22), (1, 26), (4, 20)):
            ws.column_dimensions[get_column_letter(n + k)].width = larghezza
    return riferimenti


def _foglio_dati(ws: Worksheet, e: Estratto, elenchi: dict[str, str]) -> None:
    intestazione = PatternFill("solid", fgColor=VERDE)
    for j, colonna in enumerate(e.colonne, start=1):
        cella = ws.cell(1, j, colonna.nome)
        cella.font = Font(bold=True, color="FFFFFF")
        cella.fill = intestazione
        cella.alignment = Alignment(vertical="center")
        obbligo = "obbligatoria" if colonna.obbligatoria else "facoltativa"
        cella.comment = Comment(f"{_TIPI_DOC[colonna.tipo]}, {obbligo}. {colonna.descrizione}", "Regione Lombardia")
        lettera = get_column_letter(j)
        ws.column_dimensions[lettera].width = max(12, len(colonna.nome) + 4)
        formato = {"data": "DD/MM/YYYY", "intero": "0", "anno": "0"}.get(colonna.tipo)
        if formato:
            for r in range(2, RIGHE_CONTROLLATE + 2):
                ws.cell(r, j).number_format = formato
        dv = _controllo(colonna, elenchi)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{lettera}2:{lettera}{RIGHE_CONTROLLATE + 1}")
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    # An Excel table over the rows to fill in: its header is a defined header, announced by screen readers.
    ultima = get_column_letter(len(e.colonne))
    tabella = Table(displayName=f"Modello_{e.nome}", ref=f"A1:{ultima}{RIGHE_CONTROLLATE + 1}")
    tabella.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    ws.add_table(tabella)


def _foglio_istruzioni(ws: Worksheet, e: Estratto) -> None:
    ws["A1"] = f"Modello dell'estratto «{e.nome}»"
    ws["A1"].font = Font(bold=True, size=14, color=VERDE)
    righe = [
        e.descrizione.replace("`", ""),
        f"Fonte: {', '.join(e.fonti) or '—'}. Chiave (mai ripetuta): {', '.join(e.chiave)}.",
        f"Compilare il foglio «{FOGLIO_DATI}» dalla riga 2, senza cambiare l'intestazione; le celle con un elenco "
        f"offrono i valori ammessi (foglio «{FOGLIO_ELENCHI}»).",
        *ISTRUZIONI.get(e.nome, ()),
        "Date come GG/MM/AAAA; numeri interi senza decimali. Caricamento: cruscotto-load --db URL FILE.xlsx "
        "(ogni problema è indicato con file, riga, colonna e motivo, e nulla viene scritto).",
    ]
    r = 3
    for testo in righe:
        ws.cell(r, 1, testo).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        ws.row_dimensions[r].height = 15 * (1 + len(testo) // 110)
        r += 1
    r += 1
    for j, titolo in enumerate(("Colonna", "Tipo", "Obbligatoria", "Descrizione"), start=1):
        cella = ws.cell(r, j, titolo)
        cella.font = Font(bold=True, color="FFFFFF")
        cella.fill = PatternFill("solid", fgColor=VERDE)
    for colonna in e.colonne:
        r += 1
        ws.cell(r, 1, colonna.nome).font = Font(bold=True)
        ws.cell(r, 2, _TIPI_DOC[colonna.tipo])
        ws.cell(r, 3, "sì" if colonna.obbligatoria else "no")
        testo = _descrizione_colonna(e, colonna).replace("`", "").replace("\\|", "|")
        ws.cell(r, 4, testo).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 15 * (1 + len(testo) // 80)
    for lettera, larghezza in zip("ABCD", (28, 16, 13, 90), strict=True):
        ws.column_dimensions[lettera].width = larghezza


def scrivi(e: Estratto, destinazione: Path) -> Path:
    """Write the template of an extract as an .xlsx file."""
    libro = Workbook()
    dati = libro.active
    dati.title = FOGLIO_DATI
    istruzioni = libro.create_sheet(FOGLIO_ISTRUZIONI)
    elenchi = _foglio_elenchi(libro.create_sheet(FOGLIO_ELENCHI), e)
    _foglio_dati(dati, e, elenchi)
    _foglio_istruzioni(istruzioni, e)
    libro.properties.title = f"Modello {e.nome}"
    libro.properties.creator = "Regione Lombardia, DG Istruzione, Formazione, Lavoro"
    libro.properties.language = "it-IT"
    libro.save(destinazione)
    return destinazione
