"""The extract formats: consistent with the database contract, documented, and read the Italian way."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import String

from data_access.schema import metadata
from ingest.estratti import (
    ESTRATTI,
    MANIFEST,
    PER_NOME,
    Estratto,
    ValoreNonValido,
    convertitore,
    dizionario_markdown,
    leggi_data,
)
from ingest.estratti import leggi_intero as intero
from ingest.load import geografia, tipo_da_nome

ROOT = Path(__file__).resolve().parents[2]
# Columns the loader fills itself: ids, copies from procedure and unit, values derived from other columns.
DERIVATE = {
    "unita_produttiva": {"id"},
    "azienda": {"id"},
    "procedura": {"id"},
    "procedura_unita": {"anno", "tipo", "sigla_provincia"},
    "operatore": {"id"},
    "lavoratore": {"anno", "tipo", "sigla_provincia", "stato_step"},
    "caso_alta_complessita": {"id"},
    "tavolo": {"id", "anno"},
    "tavolo_caso": set(),
    "dotazione_misura": set(),
    "progetto_rete": {"id"},
    "intervento_pal": {"id", "anno"},
    "monitoraggio_pal": {"versione", "caricato_il"},
}

# Optional in the file because the loader derives them when blank (the unit's province from its comune).
RICAVATE_DAL_RESTO_DELLA_RIGA = {("unita_produttive", "sigla_provincia")}


def test_dizionario_in_docs_coincide_con_le_definizioni() -> None:
    testo = (ROOT / "docs" / "estratti.md").read_text(encoding="utf-8")
    inizio, fine = "<!-- dizionario:inizio -->\n", "<!-- dizionario:fine -->"
    assert testo[testo.index(inizio) + len(inizio) : testo.index(fine)] == dizionario_markdown()


@pytest.mark.parametrize("estratto", ESTRATTI, ids=lambda e: e.nome)
def test_ogni_colonna_ha_la_sua_colonna_nel_database(estratto: Estratto) -> None:
    tabella = metadata.tables[estratto.tabella]
    campi = {estratto.campo(c) for c in estratto.colonne}
    assert campi <= set(tabella.columns.keys())
    # Every column of the contract comes from the file or is filled by the loader.
    assert set(tabella.columns.keys()) - campi == DERIVATE[estratto.tabella]
    for c in estratto.colonne:
        tipo = tabella.columns[estratto.campo(c)].type
        if c.tipo in ("codice", "testo") and not c.riferimento and isinstance(tipo, String):
            # Checked before writing, so that PostgreSQL never refuses a value halfway through the load.
            assert c.lunghezza == tipo.length, c.nome
        if not c.obbligatoria and (estratto.nome, c.nome) not in RICAVATE_DAL_RESTO_DELLA_RIGA:
            # A blank optional cell must be storable: NULL, or a default value.
            assert tabella.columns[estratto.campo(c)].nullable or c.predefinito is not None, c.nome


def test_riferimenti_puntano_a_estratti_precedenti() -> None:
    ordine = [e.nome for e in ESTRATTI]
    for e in ESTRATTI:
        for c in e.colonne:
            if c.riferimento:
                assert ordine.index(c.riferimento) < ordine.index(e.nome), (e.nome, c.nome)


@pytest.mark.parametrize(
    ("nome", "atteso"),
    [
        ("procedure.csv", "procedure"),
        ("procedure_unita.csv", "procedure_unita"),
        ("Procedure_Unita-2025.xlsx", "procedure_unita"),
        ("lavoratori_BG.csv", "lavoratori"),
        ("tavoli_casi.csv", "tavoli_casi"),
        ("tavoli 2025.csv", "tavoli"),
        ("manifest.csv", "manifest"),
        ("lavoratore.csv", None),
        ("proceduremi.csv", None),
    ],
)
def test_tipo_dal_nome_del_file(nome: str, atteso: str | None) -> None:
    trovato = tipo_da_nome(Path(nome))
    assert (trovato.nome if trovato else None) == atteso


@pytest.mark.parametrize(
    ("testo", "migliaia", "valore"),
    [("1615", True, 1615), ("1.615", True, 1615), ("11.800", True, 11800), ("12,0", True, 12), ("12.0", False, 12),
     ("0", True, 0), ("-3", True, -3)],
)  # fmt: skip
def test_interi_all_italiana(testo: str, migliaia: bool, valore: int) -> None:
    assert intero(testo, migliaia) == valore


@pytest.mark.parametrize(("testo", "migliaia"), [("12,5", True), ("1.615", False), ("1,615", False), ("1.61", True),
                                                  ("dodici", True), ("", True)])  # fmt: skip
def test_interi_rifiutati(testo: str, migliaia: bool) -> None:
    with pytest.raises(ValoreNonValido, match="non è un numero intero"):
        intero(testo, migliaia)


@pytest.mark.parametrize(
    ("testo", "valore"),
    [("15/01/2026", date(2026, 1, 15)), ("5/1/2026", date(2026, 1, 5)), ("2026-01-15", date(2026, 1, 15)),
     ("2026-01-15 00:00:00", date(2026, 1, 15))],
)  # fmt: skip
def test_date(testo: str, valore: date) -> None:
    assert leggi_data(testo) == valore


def test_codice_comune_senza_zero_iniziale() -> None:
    colonna = PER_NOME["unita_produttive"].colonne[PER_NOME["unita_produttive"].indice["codice_comune"]]
    leggi = convertitore(colonna, False, geografia())
    assert leggi("12001") == "012001"  # Agra (VA), as Excel shows 012001 once the cell became a number
    with pytest.raises(ValoreNonValido, match="sconosciuto"):
        leggi("58091")  # Roma: not in Lombardy


def test_manifest_elenca_le_fonti() -> None:
    colonna = MANIFEST.colonne[MANIFEST.indice["fonte"]]
    fonti = {f for e in ESTRATTI for f in e.fonti}
    assert set(colonna.valori) == fonti
