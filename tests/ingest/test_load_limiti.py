"""Bounded values: invisible characters, huge integers, NUL bytes and over-long fields are refused in Italian."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine
from sqlalchemy.exc import DBAPIError

from ingest.estratti import PER_NOME
from ingest.load import FileEstratto, main, problema_database
from tests.ingest.test_load_errori import AZIENDA, PROCEDURA, UNITA, rifiuta, scrivi, trova

TESTA_AZIENDE = "codice_azienda;ragione_sociale;ateco_codice;ateco_descrizione"
TESTA_PU = "codice_procedura;codice_unita;lavoratori"

CASI = {
    "rtl-nel-nome": (
        "aziende.csv", [TESTA_AZIENDE, "AZ-T1;Prova \u202eS.r.l.;25;Metalli"], "ragione_sociale",
        "U+202E RIGHT-TO-LEFT OVERRIDE) al carattere 7",
    ),
    "zero-width-nel-codice": (
        "aziende.csv", [TESTA_AZIENDE, "AZ\u200b-T1;Prova S.r.l.;25;Metalli"], "codice_azienda",
        "U+200B ZERO WIDTH SPACE",
    ),
    "bel-nella-descrizione": (
        "aziende.csv", [TESTA_AZIENDE, "AZ-T1;Prova S.r.l.;25;Metalli\x07"], "ateco_descrizione", "U+0007",
    ),
    "nul-nel-nome": ("aziende.csv", [TESTA_AZIENDE, "AZ-T1;Prova\x00 S.r.l.;25;Metalli"], "ragione_sociale", "U+0000"),
    "isolate-nel-codice-unita": (
        "procedure_unita.csv", [TESTA_PU, f"{PROCEDURA};UP\u2066{UNITA};3"], "codice_unita",
        "U+2066 LEFT-TO-RIGHT ISOLATE",
    ),
    "intero-64-bit": (
        "procedure_unita.csv", [TESTA_PU, f"{PROCEDURA};{UNITA};9223372036854775807"], "lavoratori",
        "un numero di 19 cifre",
    ),
    "intero-20-cifre": (
        "procedure_unita.csv", [TESTA_PU, f"{PROCEDURA};{UNITA};99999999999999999999"], "lavoratori",
        "un numero di 20 cifre",
    ),
    "oltre-il-massimo": (
        "procedure_unita.csv", [TESTA_PU, f"{PROCEDURA};{UNITA};100001"], "lavoratori",
        "fuori intervallo: atteso al massimo 100000",
    ),
    "nome-troppo-lungo": (
        "aziende.csv", [TESTA_AZIENDE, f"AZ-T1;{'x' * 201};25;Metalli"], "ragione_sociale",
        "testo troppo lungo (201 caratteri, al massimo 200)",
    ),
}  # fmt: skip


@pytest.mark.parametrize(("nome", "righe", "colonna", "motivo"), CASI.values(), ids=CASI.keys())
def test_bad_cell_is_refused_with_file_row_column(
    nome: str, righe: list[str], colonna: str, motivo: str, db: str, tmp_path: Path
) -> None:
    problemi = rifiuta(db, scrivi(tmp_path / "lotto", nome, righe))
    trova(problemi, nome, 2, colonna, motivo)


def test_a_csv_field_over_the_parser_limit(db: str, tmp_path: Path) -> None:
    righe = [TESTA_AZIENDE, "AZ-T1;Prova;25;Metalli", f'AZ-T2;"{"x" * 200_000}";25;Metalli']
    problemi = rifiuta(db, scrivi(tmp_path / "lotto", "aziende.csv", righe))
    trova(problemi, "aziende.csv", 3, None, "un campo supera il limite di 131.072 caratteri")


def _file_con(valore: object, colonna: str) -> FileEstratto:
    estratto = PER_NOME["aziende"]
    valori = [AZIENDA, "P", "25", "M"]
    valori[estratto.indice[colonna]] = valore
    return FileEstratto(Path("aziende.csv"), estratto, righe=[(7, valori)])


@pytest.mark.postgres
def test_database_errors_during_a_load_are_italian_with_their_place(postgres_vuoto: str) -> None:
    # Real PostgreSQL errors, as a load would meet them if a check were missing: integer overflow, NUL, length.
    tabella = Table("prova_limiti", MetaData(), Column("n", Integer), Column("s", String(8)))
    eng = create_engine(postgres_vuoto)
    tabella.create(eng)
    casi = [
        ({"n": 2**40, "s": "a"}, _file_con(2**40, "ateco_codice"), "numero fuori dall'intervallo", "ateco_codice"),
        ({"n": 1, "s": "a\x00b"}, _file_con("a\x00b", "ragione_sociale"), "carattere NUL", "ragione_sociale"),
        ({"n": 1, "s": "x" * 9}, _file_con("x" * 300, "ateco_descrizione"), "(8 caratteri)", "ateco_descrizione"),
    ]
    for riga, file, motivo, colonna in casi:
        with pytest.raises((DBAPIError, ValueError)) as err, eng.begin() as conn:
            conn.execute(tabella.insert(), [riga])
        p = problema_database(err.value, [file])
        assert (p.file, p.riga, p.colonna) == ("aziende.csv", 7, colonna), p
        assert motivo in p.motivo
        assert "INSERT" not in str(p) and "prova_limiti" not in str(p)
    eng.dispose()


def test_cli_database_error_is_italian_without_sql(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cartella = tmp_path / "lotto"
    scrivi(cartella, "aziende.csv", [TESTA_AZIENDE, "AZ-T1;Prova;25;Metalli"])
    caplog.set_level(logging.INFO)
    # A database in a folder that does not exist: the driver cannot open it.
    assert main(["--db", f"sqlite:///{tmp_path}/manca/x.db", "--data-estrazione", "15/01/2026", str(cartella)]) == 2
    errori = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("nessuna modifica è stata salvata" in e for e in errori), errori
    assert not any("[SQL:" in e or "SELECT" in e for e in errori), errori
