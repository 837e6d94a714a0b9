"""Validates the Region's extract files and loads them into the cruscotto database in one transaction."""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import logging
import os
import re
import sqlite3
import sys
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Table, exists, func, inspect, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from data_access import ROOT
from data_access.dominio import (
    MISURA,
    MISURA_PROGETTI,
    MISURE,
    NO_PAL,
    PROVINCE,
    STEPS,
    TAVOLO_BILATERALE,
    TAVOLO_REGIONALE,
    TIPO,
)
from data_access.engine import ErroreDatabase, descrivi, traduci_errore
from data_access.schema import (
    TABELLE_DERIVATE,
    azienda,
    caso_alta_complessita,
    comune,
    dotazione_misura,
    intervento_pal,
    lavoratore,
    metadata,
    metadati,
    monitoraggio_pal,
    operatore,
    procedura,
    procedura_unita,
    progetto_rete,
    provincia,
    tavolo,
    unita_produttiva,
)
from data_access.testo import INVISIBILI
from ingest import modello, monitoraggio
from ingest.estratti import (
    ESTRATTI,
    FONTE,
    MANIFEST,
    PER_NOME,
    Estratto,
    ValoreNonValido,
    convertitore,
    formatta,
)
from ingest.writer import aggiorna_aggregati, crea_schema, engine_scrittura, tabelle_sorgente, upsert

log = logging.getLogger(__name__)
_INVISIBILE = re.compile(f"[{INVISIBILI}]")

COMUNI_CSV = ROOT / "assets" / "geo" / "comuni.csv"
ESTENSIONI = (".csv", ".xlsx")

# How each extract's keys are found in the database before this load (table, code column).
_CHIAVE_DB: dict[str, tuple[Table, str]] = {
    "aziende": (azienda, "codice_fonte"),
    "unita_produttive": (unita_produttiva, "codice_fonte"),
    "procedure": (procedura, "codice_fonte"),
    "operatori": (operatore, "codice_fonte"),
    "casi_alta_complessita": (caso_alta_complessita, "codice"),
    "tavoli": (tavolo, "codice_fonte"),
    "progetti_rete": (progetto_rete, "codice_fonte"),
}
_ETICHETTA = {
    "aziende": "l'azienda",
    "unita_produttive": "l'unità produttiva",
    "procedure": "la procedura",
    "operatori": "l'operatore",
    "casi_alta_complessita": "il caso",
    "tavoli": "il tavolo",
    "progetti_rete": "il progetto",
}
# metadati.righe: what each source contributed, counted in the database after the load.
_RIGHE_FONTE: dict[str, Any] = {
    "VertenzeOnline": select(func.count()).select_from(procedura),
    "Prese in carico province": select(func.count()).where(lavoratore.c.stato_step.is_not(None)),
    "SIUL/BES": select(func.count()).where(lavoratore.c.misura_pal.is_not(None)),
    "Calendario tavoli": select(func.count()).select_from(tavolo),
    "Cruscotto casi alta complessità": select(func.count()).select_from(caso_alta_complessita),
    "Cataloghi operatori": select(func.count()).select_from(operatore),
    # PAL measures: each system's records (the measures it holds), and the records with training hours for SIUF.
    "SIUL": select(func.count()).where(intervento_pal.c.misura.in_([m.nome for m in MISURE if m.sistema == "SIUL"])),
    "BES": select(
        select(func.count())
        .where(intervento_pal.c.misura.in_([m.nome for m in MISURE if m.sistema == "BES"]))
        .scalar_subquery()
        + select(func.count()).select_from(progetto_rete).scalar_subquery()
        + select(func.count()).select_from(dotazione_misura).scalar_subquery()
    ),
    "SIUF": select(func.count()).where(intervento_pal.c.ore_formazione.is_not(None)),
    "Monitoraggio Nuclei crisi": select(func.count()).select_from(monitoraggio_pal),
}
# A fiscal code (also with omocodia letters): never allowed as a worker id.
_CODICE_FISCALE = re.compile(
    r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]", re.IGNORECASE
)


@dataclass(frozen=True)
class Problema:
    """One reason to refuse the load: where (file, row, column) and why, in Italian."""

    file: str
    riga: int | None
    colonna: str | None
    motivo: str

    def __str__(self) -> str:
        dove = [self.file]
        if self.riga is not None:
            dove.append(f"riga {self.riga}")
        if self.colonna:
            dove.append(f"colonna «{self.colonna}»")
        return f"{', '.join(dove)}: {self.motivo}"


class CaricamentoRifiutato(Exception):
    """The batch was refused: nothing was written."""

    def __init__(self, problemi: Sequence[Problema]) -> None:
        super().__init__(f"{len(problemi)} problemi")
        self.problemi = list(problemi)


class ScritturaRifiutata(CaricamentoRifiutato):
    """The database refused a write of a batch that passed every check: rolled back, nothing was written."""


@dataclass
class FileEstratto:
    """One extract file read and converted: rows as (line number, values in the extract's column order)."""

    percorso: Path
    estratto: Estratto
    righe: list[tuple[int, list[Any]]] = field(default_factory=list)
    # Keys of rows refused for other reasons: references to them are not reported again.
    scartate: list[tuple[int, Any]] = field(default_factory=list)

    @property
    def nome(self) -> str:
        """The file name, as problems cite it."""
        return self.percorso.name


@dataclass
class InfoFonte:
    """What the metadati table will say about a source."""

    data_estrazione: date | None
    descrizione: str
    demo: bool


@dataclass
class Lotto:
    """Every file of one load, read and checked on its own (before looking at the database)."""

    files: list[FileEstratto]
    fonti: dict[str, InfoFonte]
    problemi: list[Problema]

    def di_tipo(self, nome: str) -> list[FileEstratto]:
        """The files of one extract kind, in the order given."""
        return [f for f in self.files if f.estratto.nome == nome]


@dataclass
class Esito:
    """What a load did."""

    file: list[str]
    righe_lette: dict[str, int]
    nuove: dict[str, int]
    totali: dict[str, int]
    fonti: dict[str, date]
    scritto: bool


@cache
def geografia() -> dict[str, tuple[str, str, float, float]]:
    """The bundled ISTAT municipalities of Lombardy: code -> (name, province, lat, lon)."""
    with COMUNI_CSV.open(encoding="utf-8", newline="") as fh:
        return {
            r["codice_istat"]: (r["comune"], r["sigla_provincia"], float(r["lat"]), float(r["lon"]))
            for r in csv.DictReader(fh)
        }


# --- finding and reading files -------------------------------------------------------------------------
def tipo_da_nome(percorso: Path) -> Estratto | None:
    """The extract kind a file name declares: `procedure.csv`, `lavoratori_BG.xlsx`, `tavoli-2025.csv`."""
    stem = percorso.stem.lower()
    candidati = [n for n in PER_NOME if stem == n or (stem.startswith(n) and stem[len(n)] in "_- ")]
    return PER_NOME[max(candidati, key=len)] if candidati else None


def trova_file(percorsi: Iterable[Path | str]) -> tuple[list[tuple[Path, Estratto]], list[Problema]]:
    """Expand directories (their .csv/.xlsx files) and recognise each file's kind by its name."""
    trovati: list[tuple[Path, Estratto]] = []
    problemi: list[Problema] = []
    noti = ", ".join(PER_NOME)
    for voce in percorsi:
        p = Path(voce)
        if p.is_dir():
            figli = sorted(
                f
                for f in p.iterdir()
                if f.is_file() and f.suffix.lower() in ESTENSIONI and not f.name.startswith(("~$", "."))
            )
            if not figli:
                problemi.append(Problema(p.name, None, None, "la cartella non contiene file .csv o .xlsx"))
        elif p.is_file():
            figli = [p]
        else:
            problemi.append(Problema(str(p), None, None, "file o cartella inesistente"))
            continue
        for f in figli:
            estratto = tipo_da_nome(f)
            if f.suffix.lower() not in ESTENSIONI:
                problemi.append(Problema(f.name, None, None, "formato non supportato: usare .csv o .xlsx"))
            elif estratto is None:
                problemi.append(
                    Problema(f.name, None, None, f"file non riconosciuto: il nome deve iniziare con uno di {noti}")
                )
            elif f.resolve() in {t.resolve() for t, _ in trovati}:
                continue
            else:
                trovati.append((f, estratto))
    return trovati, problemi


class _FileIllegibile(Exception):
    def __init__(self, riga: int | None, motivo: str) -> None:
        super().__init__(motivo)
        self.riga = riga
        self.motivo = motivo


def _righe_csv(percorso: Path) -> tuple[bool, Iterator[tuple[int, list[str]]]]:
    """Decode a CSV (UTF-8, with or without BOM; ';' or ','); return (Italian numbers?, rows with line numbers)."""
    dati = percorso.read_bytes()
    if dati.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _FileIllegibile(1, "il file è in UTF-16 («Testo Unicode»): salvarlo da Excel come «CSV UTF-8»")
    try:
        testo = dati.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        riga = dati[: exc.start].count(b"\n") + 1
        raise _FileIllegibile(
            riga,
            f"codifica non valida (byte 0x{dati[exc.start]:02X}): il file non è in UTF-8; salvarlo da Excel come "
            "«CSV UTF-8 (delimitato da virgole)»",
        ) from None
    if not testo.strip():
        raise _FileIllegibile(None, "il file è vuoto")
    intestazione = testo.split("\n", 1)[0]
    if ";" in intestazione:
        separatore = ";"
    elif "," in intestazione:
        separatore = ","
    else:
        raise _FileIllegibile(1, "separatore non riconosciuto nell'intestazione: usare «;» oppure «,»")

    def righe() -> Iterator[tuple[int, list[str]]]:
        lettore = csv.reader(io.StringIO(testo, newline=""), delimiter=separatore)
        fine = 0
        try:
            for campi in lettore:
                inizio, fine = fine + 1, lettore.line_num
                yield inizio, campi
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                limite = _n(csv.field_size_limit())
                raise _FileIllegibile(fine + 1, f"un campo supera il limite di {limite} caratteri") from None
            raise _FileIllegibile(fine + 1, f"riga non leggibile come CSV ({exc})") from None

    return separatore == ";", righe()


def _cella(valore: Any) -> str:
    """An Excel cell as the text a CSV would hold."""
    if valore is None:
        return ""
    if isinstance(valore, bool):
        return "sì" if valore else "no"
    if isinstance(valore, float) and valore.is_integer():
        return str(int(valore))
    if isinstance(valore, datetime):
        return valore.isoformat(sep=" ") if valore.time() != datetime.min.time() else valore.date().isoformat()
    if isinstance(valore, date):
        return valore.isoformat()
    return str(valore)


def _righe_xlsx(percorso: Path) -> tuple[bool, Iterator[tuple[int, list[str]]]]:
    """The first sheet of a workbook; row numbers are Excel's."""
    import openpyxl  # only needed for Excel files
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        libro = openpyxl.load_workbook(percorso, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _FileIllegibile(None, f"il file non è una cartella di lavoro Excel .xlsx leggibile ({exc})") from None

    def righe() -> Iterator[tuple[int, list[str]]]:
        try:
            for n, valori in enumerate(libro.worksheets[0].iter_rows(values_only=True), start=1):
                yield n, [_cella(v) for v in valori]
        finally:
            libro.close()

    return False, righe()


def leggi_file(
    percorso: Path, estratto: Estratto, date_fonti: dict[str, date | None] | None = None
) -> tuple[FileEstratto, list[Problema]]:
    """Read one file, check its header and convert every cell; rows with problems are reported and dropped."""
    letto = FileEstratto(percorso, estratto)
    problemi: list[Problema] = []
    nome = percorso.name

    def problema(riga: int | None, colonna: str | None, motivo: str) -> None:
        problemi.append(Problema(nome, riga, colonna, motivo))

    try:
        excel = percorso.suffix.lower() == ".xlsx"
        migliaia, righe = _righe_xlsx(percorso) if excel else _righe_csv(percorso)
        n_testa, testa = next(righe, (1, []))
        while testa and not any(c.strip() for c in testa):
            n_testa, testa = next(righe, (n_testa, []))
        while testa and not testa[-1].strip():
            testa = testa[:-1]  # Excel's trailing empty columns
        if not testa:
            problema(None, None, "il file è vuoto: manca l'intestazione")
            return letto, problemi
        nomi = [re.sub(r"[\s\-]+", "_", c.strip().lower()) for c in testa]
        previste = ", ".join(c.nome for c in estratto.colonne)
        posizioni: list[int] = []
        for nome_col in nomi:
            if nome_col not in estratto.indice:
                problema(
                    n_testa, nome_col or "(vuota)", f"colonna sconosciuta per «{estratto.nome}»: previste {previste}"
                )
            elif nome_col in nomi[: len(posizioni)]:
                problema(n_testa, nome_col, "colonna ripetuta nell'intestazione")
            posizioni.append(estratto.indice.get(nome_col, -1))
        for c in estratto.colonne:
            if c.obbligatoria and c.nome not in nomi:
                problema(n_testa, c.nome, "colonna obbligatoria mancante nell'intestazione")
        if problemi:
            return letto, problemi  # rows cannot be read against a wrong header
        date_fonti = date_fonti or {}
        limite = date_fonti.get(estratto.fonte) if estratto.fonti else None
        colonne = estratto.colonne
        piano = [
            (i, pos, colonne[pos], convertitore(colonne[pos], migliaia, geografia())) for i, pos in enumerate(posizioni)
        ]
        base = [c.predefinito for c in colonne]
        n_campi = len(nomi)
        controllo = _CONTROLLI.get(estratto.nome)
        for riga, campi in righe:
            if not any(campi) or not any(c.strip() for c in campi):
                continue  # blank rows, as Excel leaves them at the end
            if len(campi) != n_campi:
                if excel and len(campi) < n_campi:
                    campi = campi + [""] * (n_campi - len(campi))  # a sheet has no field count: blanks
                elif len(campi) > n_campi and not any(c.strip() for c in campi[n_campi:]):
                    campi = campi[:n_campi]
                elif excel:
                    problema(riga, None, f"la riga ha valori oltre le {n_campi} colonne dell'intestazione")
                    continue
                else:
                    problema(
                        riga,
                        None,
                        f"numero di campi errato: la riga ne ha {len(campi)}, l'intestazione {n_campi} "
                        "(controllare separatore e virgolette)",
                    )
                    continue
            valori = base.copy()
            guasti: set[str] = set()
            for i, pos, col, conv in piano:
                testo = campi[i].strip()
                invisibile = _INVISIBILE.search(testo)
                if invisibile:
                    guasti.add(col.nome)
                    problema(riga, col.nome, _motivo_invisibile(invisibile.group(), invisibile.start()))
                    continue
                if not testo:
                    if col.obbligatoria:
                        guasti.add(col.nome)
                        problema(riga, col.nome, "valore obbligatorio mancante")
                    continue
                try:
                    valori[pos] = conv(testo)
                except ValoreNonValido as exc:
                    guasti.add(col.nome)
                    problema(riga, col.nome, str(exc))
                    continue
                if col.non_futura and limite is not None and valori[pos] > limite:
                    guasti.add(col.nome)
                    problema(
                        riga,
                        col.nome,
                        f"la data {formatta(col, valori[pos])} è successiva alla data di "
                        f"estrazione ({formatta(col, limite)})",
                    )
            if controllo is not None:
                for colonna, motivo in controllo(estratto, valori, guasti):
                    guasti.add(colonna)
                    problema(riga, colonna, motivo)
            if not guasti:
                letto.righe.append((riga, valori))
            elif not guasti.intersection(estratto.chiave):
                letto.scartate.append((riga, _chiave(estratto, valori)))
    except _FileIllegibile as exc:
        problema(exc.riga, None, exc.motivo)
    return letto, problemi


def _motivo_invisibile(carattere: str, posizione: int) -> str:
    """Why a cell with a control, bidi or zero-width character is refused (named, since it cannot be seen)."""
    nome = unicodedata.name(carattere, "carattere di controllo")
    return (
        f"contiene un carattere invisibile non ammesso (U+{ord(carattere):04X} {nome}) al carattere {posizione + 1}: "
        "caratteri di controllo, di direzione del testo e a larghezza zero non sono ammessi"
    )


# --- rules within one row ------------------------------------------------------------------------------
Controllo = Callable[[Estratto, list[Any], set[str]], list[tuple[str, str]]]


def _fmt(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _controllo_unita(e: Estratto, v: list[Any], guasti: set[str]) -> list[tuple[str, str]]:
    i = e.indice
    codice, sigla = v[i["codice_comune"]], v[i["sigla_provincia"]]
    if codice is None or "codice_comune" in guasti:
        return []
    nome, sigla_comune, _, _ = geografia()[codice]
    if sigla is None:
        v[i["sigla_provincia"]] = sigla_comune
    elif sigla != sigla_comune:
        return [("sigla_provincia", f"la provincia {sigla} non è quella del comune {codice} {nome} ({sigla_comune})")]
    return []


def _controllo_procedura(e: Estratto, v: list[Any], guasti: set[str]) -> list[tuple[str, str]]:
    i = e.indice
    esito: list[tuple[str, str]] = []
    tipo, linea = v[i["tipo"]], v[i["linea_guida"]]
    if tipo and linea and linea not in TIPO[tipo].linee_guida:
        esito.append(
            (
                "linea_guida",
                f"la linea guida {linea} non è compatibile con il tipo {tipo} (ammesse {TIPO[tipo].linee_guida})",
            )
        )
    inizio, fine = v[i["data_inizio"]], v[i["data_fine"]]
    if inizio and fine and fine < inizio:
        esito.append(("data_fine", f"la data di fine {_fmt(fine)} precede la data di inizio {_fmt(inizio)}"))
    return esito


def _controllo_lavoratore(e: Estratto, v: list[Any], guasti: set[str]) -> list[tuple[str, str]]:
    i = e.indice
    esito: list[tuple[str, str]] = []
    if v[i["id_lavoratore"]] and _CODICE_FISCALE.fullmatch(v[i["id_lavoratore"]]):
        esito.append(("id_lavoratore", "sembra un codice fiscale: usare l'identificativo pseudonimo del lavoratore"))
    step = [v[i[f"data_step{k}"]] for k in range(1, 5)]
    ultimo: tuple[str, date] | None = None
    for k, giorno in enumerate(step, start=1):
        nome = f"data_step{k}"
        if nome in guasti or giorno is None:
            continue
        precedente = f"data_step{k - 1}"
        if k > 1 and step[k - 2] is None and precedente not in guasti:
            esito.append((nome, f"{nome} presente ma {precedente} mancante: gli step si percorrono in ordine"))
        elif ultimo is not None and giorno < ultimo[1]:
            esito.append(
                (
                    nome,
                    f"la data {_fmt(giorno)} precede {ultimo[0]} ({_fmt(ultimo[1])}): "
                    "gli step devono essere in ordine di data",
                )
            )
        ultimo = (nome, giorno)
    esonero = v[i["data_esonero"]]
    if esonero is not None:
        if step[3] is not None:
            esito.append(("data_esonero", "un lavoratore con PAL attivata (data_step4) non può essere esonerato"))
        elif ultimo is not None and esonero < ultimo[1]:
            esito.append(
                ("data_esonero", f"la data di esonero {_fmt(esonero)} precede {ultimo[0]} ({_fmt(ultimo[1])})")
            )
    elif v[i["motivo_esonero"]] is not None and "data_esonero" not in guasti:
        esito.append(("motivo_esonero", "motivo di esonero indicato senza data_esonero"))
    if v[i["misura_pal"]] is not None and step[3] is None and "data_step4" not in guasti:
        esito.append(("misura_pal", "misura PAL indicata senza data_step4 (PAL attivata)"))
    return esito


def _controllo_tavolo(e: Estratto, v: list[Any], guasti: set[str]) -> list[tuple[str, str]]:
    i = e.indice
    tipo, sigla = v[i["tipo"]], v[i["sigla_provincia"]]
    if tipo == TAVOLO_BILATERALE and sigla is None and "sigla_provincia" not in guasti:
        return [("sigla_provincia", "un tavolo bilaterale richiede la provincia incontrata")]
    if tipo == TAVOLO_REGIONALE and sigla is not None:
        return [("sigla_provincia", "il tavolo regionale non ha provincia: lasciare vuoto")]
    return []


def _controllo_intervento(e: Estratto, v: list[Any], guasti: set[str]) -> list[tuple[str, str]]:
    """A measure record's own consistency; the measures' caps are checked on the page, not here."""
    i = e.indice
    esito: list[tuple[str, str]] = []
    if v[i["id_lavoratore"]] and _CODICE_FISCALE.fullmatch(v[i["id_lavoratore"]]):
        esito.append(("id_lavoratore", "sembra un codice fiscale: usare l'identificativo pseudonimo del lavoratore"))
    misura = v[i["misura"]]
    if misura is not None:
        progetto = v[i["codice_progetto"]]
        if MISURA[misura].per_progetti and progetto is None and "codice_progetto" not in guasti:
            esito.append(("codice_progetto", f"un intervento {misura} richiede il progetto"))
        elif not MISURA[misura].per_progetti and progetto is not None:
            esito.append(("codice_progetto", f"il progetto si indica solo per {MISURA_PROGETTI}, non per {misura}"))
        if not MISURA[misura].per_progetti and v[i["importo_risultato"]] is not None:
            esito.append(("importo_risultato", f"i servizi a risultato esistono solo per {MISURA_PROGETTI}"))
    date_ = [(c, v[i[c]]) for c in ("data_assegnazione", "data_avvio", "data_fine") if c not in guasti]
    presenti = [(c, d) for c, d in date_ if d is not None]
    for (prima, d1), (dopo, d2) in itertools.pairwise(presenti):
        if d2 < d1:
            esito.append((dopo, f"la data {_fmt(d2)} precede {prima} ({_fmt(d1)})"))
    if v[i["esito_180"]] is not None and v[i["data_fine"]] is None and "data_fine" not in guasti:
        esito.append(("esito_180", "esito a 180 giorni indicato senza data_fine"))
    return esito


_CONTROLLI: dict[str, Controllo] = {
    "unita_produttive": _controllo_unita,
    "procedure": _controllo_procedura,
    "lavoratori": _controllo_lavoratore,
    "tavoli": _controllo_tavolo,
    "interventi_pal": _controllo_intervento,
    "monitoraggio_pal": monitoraggio.controllo_riga,
}


# --- the batch -----------------------------------------------------------------------------------------
def _chiave(e: Estratto, valori: list[Any]) -> Any:
    if len(e.chiave) == 1:
        return valori[e.indice[e.chiave[0]]]
    return tuple(valori[e.indice[k]] for k in e.chiave)


def _mostra_chiave(chiave: Any) -> str:
    return " – ".join(map(str, chiave)) if isinstance(chiave, tuple) else str(chiave)


def _duplicati(files: list[FileEstratto], problemi: list[Problema]) -> None:
    """Report keys seen twice within a kind (across all its files), and keep only the first occurrence."""
    visti: dict[Any, tuple[str, int]] = {}
    for f in files:
        e = f.estratto
        # Refused rows take part too: a key repeated after a refused row is still a duplicate.
        eventi: Iterable[tuple[int, Any, list[Any] | None]] = ((r, _chiave(e, v), v) for r, v in f.righe)
        if f.scartate:
            eventi = sorted([*eventi, *((r, chiave, None) for r, chiave in f.scartate)], key=lambda t: t[0])
        tenute: list[tuple[int, list[Any]]] = []
        for riga, chiave, valori in eventi:
            prima = visti.get(chiave)
            if prima is None:
                visti[chiave] = (f.nome, riga)
                if valori is not None:
                    tenute.append((riga, valori))
                continue
            dove = f"alla riga {prima[1]}" if prima[0] == f.nome else f"in {prima[0]} alla riga {prima[1]}"
            problemi.append(
                Problema(f.nome, riga, ", ".join(e.chiave), f"«{_mostra_chiave(chiave)}» duplicato: compare già {dove}")
            )
        f.righe = tenute


def leggi(percorsi: Iterable[Path | str], data_estrazione: date | None = None) -> Lotto:
    """Read and check every file on its own and against the others of the batch (no database yet)."""
    trovati, problemi = trova_file(percorsi)
    fonti: dict[str, InfoFonte] = {}
    manifest = [p for p, e in trovati if e is MANIFEST]
    letti_manifest: list[FileEstratto] = []
    for p in manifest:
        letto, prob = leggi_file(p, MANIFEST)
        problemi += prob
        letti_manifest.append(letto)
    _duplicati(letti_manifest, problemi)
    i = MANIFEST.indice
    da_manifest = {
        v[i["fonte"]]: InfoFonte(v[i["data_estrazione"]], v[i["descrizione"]] or "", v[i["dimostrativo"]])
        for f in letti_manifest
        for _, v in f.righe
    }
    usate = {fonte for _, e in trovati if e is not MANIFEST for fonte in e.fonti}
    for fonte in (f.nome for f in FONTE.values()):
        if fonte not in usate:
            if fonte in da_manifest:
                log.warning("manifest: no file of source %r in this load, its row is ignored", fonte)
            continue
        info = da_manifest.get(fonte) or InfoFonte(data_estrazione, "", False)
        info.descrizione = info.descrizione or FONTE[fonte].descrizione
        fonti[fonte] = info
        if info.data_estrazione is None:
            primo = next(p for p, e in trovati if fonte in e.fonti)
            problemi.append(
                Problema(
                    primo.name,
                    None,
                    None,
                    f"manca la data di estrazione della fonte «{fonte}»: "
                    "indicarla nel file manifest o con --data-estrazione",
                )
            )
    date_fonti = {nome: info.data_estrazione for nome, info in fonti.items()}
    files: list[FileEstratto] = []
    n_file = sum(1 for _, e in trovati if e is not MANIFEST)
    for e in ESTRATTI:
        di_tipo = []
        for p, tipo in trovati:
            if tipo is e:
                inizio = time.monotonic()
                letto, prob = leggi_file(p, e, date_fonti)
                problemi += prob
                di_tipo.append(letto)
                log.info(
                    "Lettura %d/%d: %s, %s righe valide, %s problemi (%.1f s)",
                    len(files) + len(di_tipo), n_file, p.name, _n(len(letto.righe)), _n(len(prob)),
                    time.monotonic() - inizio,
                )  # fmt: skip
        _duplicati(di_tipo, problemi)
        files += di_tipo
    # Quarterly monitoring: the rows of one Nucleo's quarter are one submission, sent on one day.
    lotto = Lotto(files, fonti, problemi)
    problemi += [Problema(*s) for s in monitoraggio.controlla_invii(lotto.di_tipo("monitoraggio_pal"))]
    return lotto


class _ChiaviDatabase:
    """Keys already in the database, read once per kind and only when a reference is not in the batch."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.tabelle = set(inspect(conn).get_table_names())
        self._cache: dict[str, set[Any]] = {}

    def __getitem__(self, nome: str) -> set[Any]:
        if nome not in self._cache:
            self._cache[nome] = self._leggi(nome)
        return self._cache[nome]

    def _leggi(self, nome: str) -> set[Any]:
        if nome == "procedure_unita":
            if not {"procedura_unita", "procedura", "unita_produttiva"} <= self.tabelle:
                return set()
            stmt = (
                select(procedura.c.codice_fonte, unita_produttiva.c.codice_fonte)
                .select_from(procedura_unita)
                .join(procedura, procedura.c.id == procedura_unita.c.procedura_id)
                .join(unita_produttiva, unita_produttiva.c.id == procedura_unita.c.unita_id)
            )
            return {tuple(r) for r in self.conn.execute(stmt)}
        tabella, colonna = _CHIAVE_DB[nome]
        if tabella.name not in self.tabelle:
            return set()
        return set(self.conn.execute(select(tabella.c[colonna])).scalars())


def controlla_riferimenti(lotto: Lotto, db: _ChiaviDatabase) -> list[Problema]:
    """Every code that points to another extract must exist in the batch or in the database."""
    riferiti = {c.riferimento for e in ESTRATTI for c in e.colonne if c.riferimento}
    riferiti |= {rif for e in ESTRATTI for _, rif in e.riferimenti_composti}
    nel_lotto: dict[str, set[Any]] = {}
    for f in lotto.files:
        if f.estratto.nome not in riferiti:
            continue  # nobody points to workers: no need for a set of two million ids
        chiavi = nel_lotto.setdefault(f.estratto.nome, set())
        chiavi.update(_chiave(f.estratto, v) for _, v in f.righe)
        chiavi.update(chiave for _, chiave in f.scartate)
    problemi: list[Problema] = []

    def manca(nome: str, valore: Any) -> bool:
        if valore in nel_lotto.get(nome, ()):
            return False
        return valore not in db[nome]

    for f in lotto.files:
        e = f.estratto
        riferimenti = [(c.nome, e.indice[c.nome], c.riferimento) for c in e.colonne if c.riferimento]
        composti = [(cols, [e.indice[c] for c in cols], rif) for cols, rif in e.riferimenti_composti]
        for riga, valori in f.righe:
            orfana = False
            for colonna, pos, rif in riferimenti:
                valore = valori[pos]
                if valore is not None and manca(rif, valore):
                    orfana = True
                    problemi.append(
                        Problema(
                            f.nome,
                            riga,
                            colonna,
                            f"{_ETICHETTA[rif]} «{valore}» non esiste: manca nei file «{rif}» e nel database",
                        )
                    )
            if orfana:
                continue
            for cols, pos, rif in composti:
                coppia = tuple(valori[p] for p in pos)
                if manca(rif, coppia):
                    problemi.append(
                        Problema(
                            f.nome,
                            riga,
                            cols[-1],
                            f"l'unità «{coppia[1]}» non è coinvolta nella "
                            f"procedura «{coppia[0]}»: manca la riga in «{rif}» (nei file e nel "
                            "database)",
                        )
                    )
    return problemi


# --- writing -------------------------------------------------------------------------------------------
class _Mappe:
    """Source code -> database id (and copied attributes), read once the parent table has been written."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._cache: dict[str, dict[Any, Any]] = {}

    def _leggi(self, nome: str, *colonne: Any) -> dict[Any, Any]:
        if nome not in self._cache:
            righe = self.conn.execute(select(*colonne))
            self._cache[nome] = {r[0]: r[1] if len(r) == 2 else tuple(r[1:]) for r in righe}
        return self._cache[nome]

    def ids(self, estratto: str) -> dict[str, int]:
        """Code -> id of the table an extract fills."""
        tabella, colonna = _CHIAVE_DB[estratto]
        return self._leggi(estratto, tabella.c[colonna], tabella.c.id)

    def procedure(self) -> dict[str, tuple[int, str]]:
        """Procedure code -> (year, type), copied into procedura_unita and lavoratore."""
        return self._leggi("procedure:copie", procedura.c.codice_fonte, procedura.c.anno, procedura.c.tipo)

    def province_unita(self) -> dict[str, str]:
        """Unit code -> province, copied into procedura_unita and lavoratore."""
        u = unita_produttiva.c
        return self._leggi("unita:copie", u.codice_fonte, u.sigla_provincia)


def _stato_step(r: dict[str, Any]) -> str | None:
    """The furthest stage reached, derived from the dates (NO PAL when exempted)."""
    if r["data_esonero"] is not None:
        return NO_PAL.codice
    return next((s.codice for s in reversed(STEPS) if r[f"data_{s.codice.lower()}"] is not None), None)


def _righe_tabella(e: Estratto, files: list[FileEstratto], m: _Mappe) -> Iterator[dict[str, Any]]:
    """Rows for the table an extract fills: codes mapped to ids, copied and derived columns added."""
    piano = [(e.indice[c.nome], e.campo(c), m.ids(c.riferimento) if c.riferimento else None) for c in e.colonne]
    copie = e.nome in ("procedure_unita", "lavoratori")
    procedure, province = (m.procedure(), m.province_unita()) if copie else ({}, {})
    for f in files:
        for _, v in f.righe:
            riga = {campo: v[pos] if ids is None or v[pos] is None else ids[v[pos]] for pos, campo, ids in piano}
            if copie:
                riga["anno"], riga["tipo"] = procedure[v[e.indice["codice_procedura"]]]
                riga["sigla_provincia"] = province[v[e.indice["codice_unita"]]]
            if e.nome == "lavoratori":
                riga["stato_step"] = _stato_step(riga)
            elif e.nome == "tavoli":
                riga["anno"] = riga["data"].year
            elif e.nome == "interventi_pal":
                riga["anno"] = riga["data_assegnazione"].year
            yield riga


_CHIAVE_TABELLA: dict[str, tuple[str, ...]] = {
    "azienda": ("codice_fonte",),
    "unita_produttiva": ("codice_fonte",),
    "procedura": ("codice_fonte",),
    "procedura_unita": ("procedura_id", "unita_id"),
    "operatore": ("codice_fonte",),
    "lavoratore": ("id",),
    "caso_alta_complessita": ("codice",),
    "tavolo": ("codice_fonte",),
    "tavolo_caso": ("tavolo_id", "caso_id"),
    "dotazione_misura": ("misura",),
    "progetto_rete": ("codice_fonte",),
    "intervento_pal": ("codice_fonte",),
}


def _geografia(conn: Connection) -> None:
    """Provinces and municipalities come from the bundled ISTAT files, not from the extracts."""
    upsert(
        conn,
        provincia,
        [{"sigla": p.sigla, "nome": p.nome, "codice_istat": p.codice_istat} for p in PROVINCE],
        ("sigla",),
    )
    righe = [
        {"codice_istat": codice, "nome": nome, "sigla_provincia": sigla, "lat": lat, "lon": lon}
        for codice, (nome, sigla, lat, lon) in geografia().items()
    ]
    upsert(conn, comune, righe, ("codice_istat",))


def _allinea_copie(conn: Connection) -> None:
    """Year, type and province are copied from procedure and unit: refresh copies of rows not in this batch."""
    p, u = procedura, unita_produttiva
    for t in (procedura_unita, lavoratore):
        conn.execute(
            update(t)
            .values(
                anno=select(p.c.anno).where(p.c.id == t.c.procedura_id).scalar_subquery(),
                tipo=select(p.c.tipo).where(p.c.id == t.c.procedura_id).scalar_subquery(),
            )
            .where(exists().where(p.c.id == t.c.procedura_id, or_(p.c.anno != t.c.anno, p.c.tipo != t.c.tipo)))
        )
        conn.execute(
            update(t)
            .values(sigla_provincia=select(u.c.sigla_provincia).where(u.c.id == t.c.unita_id).scalar_subquery())
            .where(exists().where(u.c.id == t.c.unita_id, u.c.sigla_provincia != t.c.sigla_provincia))
        )


def _conta(conn: Connection) -> dict[str, int]:
    tabelle = [t for t in metadata.sorted_tables if t.name not in TABELLE_DERIVATE]
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tabelle}


def _modifiche(conn: Connection) -> int:
    """Rows inserted, updated or deleted so far (SQLite: by this connection; PostgreSQL: by this transaction)."""
    if conn.dialect.name == "sqlite":
        return conn.exec_driver_sql("SELECT total_changes()").scalar_one()
    sql = "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
    return int(conn.exec_driver_sql(sql).scalar_one())


def scrivi(conn: Connection, lotto: Lotto, caricato_il: datetime) -> dict[str, int]:
    """Write the batch (upserts in dependency order) and the sources' metadata; return new rows per table."""
    derivate_mancanti = set(TABELLE_DERIVATE) - set(inspect(conn).get_table_names())
    crea_schema(conn)
    prima = _conta(conn)
    modifiche = _modifiche(conn)
    _geografia(conn)
    mappe = _Mappe(conn)
    for e in ESTRATTI:
        files = lotto.di_tipo(e.nome)
        if e.nome == "monitoraggio_pal":
            monitoraggio.scrivi_invii(conn, files, caricato_il)  # versioned: each submission adds a version
        elif files:
            tabella = metadata.tables[e.tabella]
            inizio = time.monotonic()
            try:
                upsert(conn, tabella, _righe_tabella(e, files, mappe), _CHIAVE_TABELLA[e.tabella])
            except (SQLAlchemyError, OverflowError, ValueError) as exc:
                raise ScritturaRifiutata([problema_database(exc, files)]) from exc
            log.info("Scrittura: tabella %s da %s (%.1f s)", e.tabella, e.nome, time.monotonic() - inizio)
    scritte = {e.tabella for e in ESTRATTI if lotto.di_tipo(e.nome)}
    if lotto.di_tipo("procedure") or lotto.di_tipo("unita_produttive"):
        _allinea_copie(conn)
        scritte |= {procedura_unita.name, lavoratore.name}
    # The load time changes when a row did: the app's caches follow it (the data version), a re-import leaves it.
    cambiato = _modifiche(conn) != modifiche
    # Derived tables follow the rows just written, in the same transaction: readers never see them out of step.
    # A batch that writes none of their source tables (e.g. only monitoring) leaves them as they are.
    if derivate_mancanti or scritte & tabelle_sorgente():
        inizio = time.monotonic()
        aggiorna_aggregati(conn)
        log.info("Scrittura: tabelle derivate (%.1f s)", time.monotonic() - inizio)
    else:
        log.info("Scrittura: tabelle derivate invariate (il lotto non tocca le tabelle da cui si calcolano)")
    fonti = [
        {
            "fonte": nome,
            "descrizione": info.descrizione,
            "data_estrazione": info.data_estrazione,
            "caricato_il": caricato_il,
            "demo": info.demo,
            "righe": conn.execute(_RIGHE_FONTE[nome]).scalar_one(),
        }
        for nome, info in lotto.fonti.items()
    ]
    upsert(conn, metadati, fonti, ("fonte",), escludi_dal_confronto=() if cambiato else ("caricato_il",))
    dopo = _conta(conn)
    return {nome: dopo[nome] - prima[nome] for nome in dopo}


def carica(
    db: str | Engine,
    percorsi: Iterable[Path | str],
    *,
    data_estrazione: date | None = None,
    caricato_il: datetime | None = None,
    solo_verifica: bool = False,
) -> Esito:
    """Validate every file, then load them all in one transaction; raise CaricamentoRifiutato with every problem."""
    lotto = leggi(percorsi, data_estrazione)
    engine = engine_scrittura(db) if isinstance(db, str) else db
    nuovo_file = _file_sqlite_nuovo(engine)
    nuove: dict[str, int] = {}
    totali: dict[str, int] = {}
    try:
        with engine.connect() as conn, conn.begin() as trans:
            # References are checked even when files have problems, so that one run reports everything.
            problemi = lotto.problemi + controlla_riferimenti(lotto, _ChiaviDatabase(conn))
            problemi += [Problema(*s) for s in monitoraggio.controlla_versioni(conn, lotto.di_tipo("monitoraggio_pal"))]
            problemi.sort(key=lambda p: (p.file, p.riga or 0))
            if problemi:
                trans.rollback()
                raise CaricamentoRifiutato(problemi)
            if solo_verifica:
                trans.rollback()
            else:
                # To the microsecond: two loads within one second still tell the caches apart.
                nuove = scrivi(conn, lotto, caricato_il or datetime.now())
                totali = _conta(conn)
    finally:
        if not totali:
            # Refused, verified only or failed: a new SQLite file must not be left behind empty.
            _rimuovi_se_vuoto(engine, nuovo_file)
        if isinstance(db, str):
            engine.dispose()
    righe = {}
    for f in lotto.files:
        righe[f.estratto.nome] = righe.get(f.estratto.nome, 0) + len(f.righe)
    return Esito(
        file=[str(f.percorso) for f in lotto.files],
        righe_lette=righe,
        nuove=nuove,
        totali=totali,
        fonti={nome: info.data_estrazione for nome, info in lotto.fonti.items() if info.data_estrazione},
        scritto=not solo_verifica,
    )


_LIMITE_INTERO_DB = 2**31 - 1


def problema_database(exc: BaseException, files: Sequence[FileEstratto]) -> Problema:
    """A database error while writing an extract, as a Problema in Italian (file, row, column when found; no SQL)."""
    grezzo = str(getattr(exc, "orig", None) or exc)
    basso = grezzo.lower()
    log.error("database error while writing %s: %s", ", ".join(f.nome for f in files), grezzo.splitlines()[0][:300])
    lunghezza = re.search(r"character varying\((\d+)\)", basso)
    if lunghezza:
        limite = int(lunghezza[1])
        motivo = f"testo più lungo del massimo ammesso dal database ({limite} caratteri)"
        trovato = _prima_cella(files, lambda v: isinstance(v, str) and len(v) > limite)
    elif "out of range" in basso or "too large" in basso or "overflow" in basso:
        motivo = f"numero fuori dall'intervallo che il database può contenere (al massimo {_n(_LIMITE_INTERO_DB)})"
        trovato = _prima_cella(files, lambda v: isinstance(v, int) and abs(v) > _LIMITE_INTERO_DB)
    elif "nul" in basso and ("0x00" in basso or "character" in basso):
        motivo = "testo con il carattere NUL (0x00), non ammesso"
        trovato = _prima_cella(files, lambda v: isinstance(v, str) and "\x00" in v)
    elif "locked" in basso or "could not obtain lock" in basso:
        motivo = "il database è occupato da un altro caricamento: riprovare quando è terminato"
        trovato = None
    else:
        colonna = re.search(r'column "?(\w+)"?|constraint failed: \w+\.(\w+)', grezzo)
        motivo = "il database ha rifiutato i dati (dettaglio nel registro)"
        nome = (colonna[1] or colonna[2]) if colonna else None
        return Problema(files[0].nome, None, nome, motivo)
    if trovato is None:
        return Problema(files[0].nome, None, None, motivo)
    return Problema(*trovato, motivo)


def _prima_cella(files: Sequence[FileEstratto], guasta: Callable[[Any], bool]) -> tuple[str, int, str] | None:
    """The first cell (file, row, column) of the batch for which `guasta` holds."""
    for f in files:
        for riga, valori in f.righe:
            for colonna, valore in zip(f.estratto.colonne, valori, strict=True):
                if guasta(valore):
                    return f.nome, riga, colonna.nome
    return None


def _file_sqlite_nuovo(engine: Engine) -> Path | None:
    """The SQLite file the load would create, if it does not exist yet."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    return None if path.exists() else path


def _rimuovi_se_vuoto(engine: Engine, path: Path | None) -> None:
    # A refused load into a new SQLite file must not leave an empty database (nor its WAL files) behind.
    if path is None or not path.exists():
        return
    engine.dispose()
    if path.stat().st_size:
        conn = sqlite3.connect(f"file:{path.resolve().as_posix()}?mode=ro", uri=True)
        try:
            vuoto = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
        except sqlite3.DatabaseError:
            vuoto = False
        finally:
            conn.close()
        if not vuoto:
            return
    for compagno in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        compagno.unlink(missing_ok=True)


# --- console -------------------------------------------------------------------------------------------
def _data_cli(testo: str) -> date:
    from ingest.estratti import leggi_data

    try:
        return leggi_data(testo)
    except ValoreNonValido as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _file_registro(testo: str) -> Path:
    """--log: a file in an existing, writable folder (checked before anything is read or written)."""
    percorso = Path(testo)
    cartella = percorso.parent
    if not cartella.is_dir():
        raise argparse.ArgumentTypeError(
            f"la cartella del registro «{cartella}» non esiste: crearla o sceglierne un'altra"
        )
    if percorso.is_dir():
        raise argparse.ArgumentTypeError(f"«{percorso}» è una cartella: indicare il nome di un file di registro")
    if not os.access(cartella, os.W_OK) or (percorso.exists() and not os.access(percorso, os.W_OK)):
        raise argparse.ArgumentTypeError(f"il registro «{percorso}» non si può scrivere (permessi)")
    return percorso


def _n(valore: int) -> str:
    return f"{valore:,}".replace(",", ".")


def main(argv: list[str] | None = None) -> int:
    """Console entry point: cruscotto-load."""
    parser = argparse.ArgumentParser(
        prog="cruscotto-load",
        description="Verifica gli estratti (CSV o XLSX) e li carica nel database del cruscotto in un'unica "
        "transazione: se un solo file ha un problema non viene scritto nulla.",
    )
    parser.add_argument("--db", help="URL SQLAlchemy del database (sqlite:///... o postgresql+psycopg://...)")
    parser.add_argument(
        "percorsi", nargs="+", type=Path, metavar="FILE_O_CARTELLA", help="estratti o cartelle di estratti"
    )
    parser.add_argument(
        "--modello",
        choices=list(PER_NOME),
        metavar="ESTRATTO",
        help="scrive in FILE.xlsx il modello vuoto e documentato di un estratto (es. monitoraggio_pal) invece di "
        "caricare",
    )
    parser.add_argument(
        "--data-estrazione",
        type=_data_cli,
        metavar="GG/MM/AAAA",
        help="data di estrazione per le fonti non indicate nel manifest",
    )
    parser.add_argument("--verifica", action="store_true", help="controlla tutto senza scrivere nel database")
    parser.add_argument(
        "--log", type=_file_registro, metavar="FILE", help="scrive anche un registro dettagliato in FILE"
    )
    args = parser.parse_args(argv)
    if args.modello:
        return _scrivi_modello(parser, args.modello, args.percorsi)
    if not args.db:
        parser.error("indicare il database con --db URL")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    radice = logging.getLogger()
    radice.setLevel(logging.INFO)
    registro = None
    if args.log:
        registro = logging.FileHandler(args.log, encoding="utf-8")
        registro.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        radice.addHandler(registro)
    try:
        return _esegui(args)
    finally:
        if registro is not None:
            radice.removeHandler(registro)
            registro.close()


def _scrivi_modello(parser: argparse.ArgumentParser, nome: str, percorsi: list[Path]) -> int:
    """`--modello NOME FILE.xlsx`: the empty template of an extract, to hand to whoever fills it."""
    if len(percorsi) != 1 or percorsi[0].suffix.lower() != ".xlsx":
        parser.error("con --modello indicare un solo file .xlsx da scrivere")
    destinazione = percorsi[0]
    if destinazione.exists():
        print(f"{destinazione} esiste già: scegliere un altro nome.", file=sys.stderr)
        return 1
    try:
        modello.scrivi(PER_NOME[nome], destinazione)
    except OSError as exc:
        print(f"Impossibile scrivere {destinazione}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    print(f"Modello dell'estratto «{nome}» scritto in {destinazione}.")
    return 0


def _esegui(args: argparse.Namespace) -> int:
    inizio = time.monotonic()
    try:
        esito = carica(args.db, args.percorsi, data_estrazione=args.data_estrazione, solo_verifica=args.verifica)
    except ScritturaRifiutata as exc:
        for p in exc.problemi:
            log.error("%s", p)
        log.error("Errore del database %s durante la scrittura: nessuna modifica è stata salvata.", descrivi(args.db))
        return 2
    except CaricamentoRifiutato as exc:
        for p in exc.problemi:
            log.error("%s", p)
        n, file_coinvolti = len(exc.problemi), len({p.file for p in exc.problemi})
        log.error(
            "Caricamento rifiutato: %s %s in %d file; il database non è stato modificato.",
            _n(n),
            "problema" if n == 1 else "problemi",
            file_coinvolti,
        )
        return 1
    except (SQLAlchemyError, ErroreDatabase) as exc:
        errore = traduci_errore(exc, args.db)
        log.error("Errore del database %s: %s; nessuna modifica è stata salvata.", descrivi(args.db), errore.messaggio)
        log.debug("detail: %s", errore.dettaglio)
        return 2
    righe = ", ".join(f"{nome} {_n(n)}" for nome, n in esito.righe_lette.items())
    if not esito.scritto:
        log.info("Verifica superata (%d file: %s); nulla è stato scritto.", len(esito.file), righe)
        return 0
    nuove = ", ".join(f"{t} {_n(n)}" for t, n in esito.nuove.items() if n) or "nessuna"
    log.info(
        "Caricamento completato in %s: %d file (%s). Righe nuove: %s. Tempo: %.0f s.",
        descrivi(args.db), len(esito.file), righe, nuove, time.monotonic() - inizio,
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
