"""Malformed extracts: every problem is reported with file, row, column and reason, and the database is untouched."""

from __future__ import annotations

import logging
from pathlib import Path

import openpyxl
import pytest

from ingest.load import CaricamentoRifiutato, Problema, carica, main
from tests.ingest.conftest import DATA_ESTRAZIONE, impronta

BOM = "\ufeff"
# Codes that exist in the demo database the batches are loaded into.
AZIENDA, UNITA, PROCEDURA = "AZ000001", "UP0000001", "VO-2024-000001"
TESTA_LAVORATORI = (
    "id_lavoratore;codice_procedura;codice_unita;data_step1;data_step2;data_step3;data_step4;data_esonero;"
    "motivo_esonero;misura_pal;codice_operatore"
)


def scrivi(cartella: Path, nome: str, righe: list[str], encoding: str = "utf-8", bom: bool = True) -> Path:
    """Write a CSV as Excel would (CRLF), optionally with a UTF-8 BOM."""
    cartella.mkdir(parents=True, exist_ok=True)
    percorso = cartella / nome
    testo = ("\r\n".join(righe) + "\r\n").encode(encoding)
    percorso.write_bytes((BOM.encode() if bom and encoding == "utf-8" else b"") + testo)
    return percorso


def rifiuta(db: str, *percorsi: Path) -> list[Problema]:
    """Load expecting a refusal; check the database did not change; return the problems."""
    prima = impronta(db)
    with pytest.raises(CaricamentoRifiutato) as exc:
        carica(db, percorsi, data_estrazione=DATA_ESTRAZIONE)
    assert impronta(db) == prima
    return exc.value.problemi


def trova(problemi: list[Problema], file: str, riga: int | None, colonna: str | None, motivo: str) -> Problema:
    """The problem at that place whose reason contains `motivo` (fails listing all problems otherwise)."""
    for p in problemi:
        if (p.file, p.riga, p.colonna) == (file, riga, colonna) and motivo in p.motivo:
            return p
    pytest.fail(f"no problem {file}:{riga}:{colonna} «{motivo}» among:\n" + "\n".join(map(str, problemi)))


# (file name, lines, expected file row, column, part of the reason)
CASI: dict[str, tuple[str, list[str], int | None, str | None, str]] = {
    "comune sconosciuto": (
        "unita_produttive.csv",
        ["codice_unita;codice_azienda;codice_comune;sigla_provincia;indirizzo", f"UP-T1;{AZIENDA};999999;;Via Po 1"],
        2,
        "codice_comune",
        "codice comune ISTAT «999999» sconosciuto: non è un comune della Lombardia",
    ),
    "provincia sconosciuta": (
        "operatori.csv",
        ["codice_operatore;denominazione;sigla_provincia;accreditamento", "OP-T1;Centro Prova;XX;lavoro"],
        2,
        "sigla_provincia",
        "sigla di provincia «XX» sconosciuta: ammesse BG, BS, CO",
    ),
    "provincia diversa da quella del comune": (
        "unita_produttive.csv",
        ["codice_unita;codice_azienda;codice_comune;sigla_provincia", f"UP-T1;{AZIENDA};016024;MI"],
        2,
        "sigla_provincia",
        "la provincia MI non è quella del comune 016024 Bergamo (BG)",
    ),
    "lavoratori negativi": (
        "procedure_unita.csv",
        ["codice_procedura;codice_unita;lavoratori", f"{PROCEDURA};{UNITA};-5"],
        2,
        "lavoratori",
        "«-5» è negativo: atteso un numero intero ≥ 0",
    ),
    "lavoratori non numerici": (
        "procedure_unita.csv",
        ["codice_procedura;codice_unita;lavoratori", f"{PROCEDURA};{UNITA};12,5", f"{PROCEDURA};UP0000002;dodici"],
        3,
        "lavoratori",
        "«dodici» non è un numero intero",
    ),
    "step in disordine": (
        "lavoratori.csv",
        [TESTA_LAVORATORI, f"PS-T1;{PROCEDURA};{UNITA};10/03/2025;01/03/2025;;;;;;"],
        2,
        "data_step2",
        "la data 01/03/2025 precede data_step1 (10/03/2025): gli step devono essere in ordine di data",
    ),
    "step saltato": (
        "lavoratori.csv",
        [TESTA_LAVORATORI, f"PS-T1;{PROCEDURA};{UNITA};10/03/2025;;20/03/2025;;;;;"],
        2,
        "data_step3",
        "data_step3 presente ma data_step2 mancante",
    ),
    "esonero con PAL attivata": (
        "lavoratori.csv",
        [TESTA_LAVORATORI, f"PS-T1;{PROCEDURA};{UNITA};10/03/2025;11/03/2025;12/03/2025;13/03/2025;14/03/2025;;;"],
        2,
        "data_esonero",
        "un lavoratore con PAL attivata (data_step4) non può essere esonerato",
    ),
    "misura senza PAL attivata": (
        "lavoratori.csv",
        [TESTA_LAVORATORI, f"PS-T1;{PROCEDURA};{UNITA};10/03/2025;;;;;;GOL;"],
        2,
        "misura_pal",
        "misura PAL indicata senza data_step4",
    ),
    "data dopo l'estrazione": (
        "lavoratori.csv",
        [TESTA_LAVORATORI, f"PS-T1;{PROCEDURA};{UNITA};20/01/2026;;;;;;;"],
        2,
        "data_step1",
        "la data 20/01/2026 è successiva alla data di estrazione (15/01/2026)",
    ),
    "codice fiscale come identificativo": (
        "lavoratori.csv",
        [TESTA_LAVORATORI, f"RSSMRA80A01F205X;{PROCEDURA};{UNITA};;;;;;;;"],
        2,
        "id_lavoratore",
        "sembra un codice fiscale",
    ),
    "data inesistente": (
        "procedure.csv",
        [
            "codice_procedura;codice_azienda;tipo;linea_guida;anno;data_inizio;stato",
            f"VO-T1;{AZIENDA};LIC;D;2025;31/02/2025;x",
        ],
        2,
        "data_inizio",
        "«31/02/2025» non è una data esistente",
    ),
    "data illeggibile": (
        "procedure.csv",
        [
            "codice_procedura;codice_azienda;tipo;linea_guida;anno;data_inizio;stato",
            f"VO-T1;{AZIENDA};LIC;D;2025;marzo;x",
        ],
        2,
        "data_inizio",
        "«marzo» non è una data valida (atteso GG/MM/AAAA o AAAA-MM-GG)",
    ),
    "linea guida incoerente": (
        "procedure.csv",
        [
            "codice_procedura;codice_azienda;tipo;linea_guida;anno;data_inizio;stato",
            f"VO-T1;{AZIENDA};LIC;A;2025;01/02/2025;x",
        ],
        2,
        "linea_guida",
        "la linea guida A non è compatibile con il tipo LIC (ammesse D)",
    ),
    "tipo sconosciuto": (
        "procedure.csv",
        [
            "codice_procedura;codice_azienda;tipo;linea_guida;anno;data_inizio;stato",
            f"VO-T1;{AZIENDA};CIG;A;2025;01/02/2025;x",
        ],
        2,
        "tipo",
        "«CIG» non è ammesso: valori ammessi CIGS_MIN, CIGS_REG, LIC",
    ),
    "colonna obbligatoria mancante": (
        "procedure.csv",
        ["codice_procedura;codice_azienda;tipo;linea_guida;data_inizio;stato", f"VO-T1;{AZIENDA};LIC;D;01/02/2025;x"],
        1,
        "anno",
        "colonna obbligatoria mancante nell'intestazione",
    ),
    "colonna sconosciuta": (
        "aziende.csv",
        ["codice_azienda;ragione_sociale;ateco;ateco_descrizione", "AZ-T1;Prova S.r.l.;25;Metalli"],
        1,
        "ateco",
        "colonna sconosciuta per «aziende»",
    ),
    "valore obbligatorio mancante": (
        "aziende.csv",
        ["codice_azienda;ragione_sociale;ateco_codice;ateco_descrizione", "AZ-T1;;25;Metalli"],
        2,
        "ragione_sociale",
        "valore obbligatorio mancante",
    ),
    "testo troppo lungo": (
        "aziende.csv",
        ["codice_azienda;ragione_sociale;ateco_codice;ateco_descrizione", f"AZ-T1;{'X' * 201};25;Metalli"],
        2,
        "ragione_sociale",
        "testo troppo lungo (201 caratteri, al massimo 200)",
    ),
    "codice duplicato": (
        "aziende.csv",
        [
            "codice_azienda;ragione_sociale;ateco_codice;ateco_descrizione",
            "AZ-T1;Prova S.r.l.;25;Metalli",
            "AZ-T1;Altra S.r.l.;28;Macchine",
        ],
        3,
        "codice_azienda",
        "«AZ-T1» duplicato: compare già alla riga 2",
    ),
    "numero di campi errato": (
        "aziende.csv",
        [
            "codice_azienda;ragione_sociale;ateco_codice;ateco_descrizione",
            "AZ-T1;Prova S.r.l.;25;Metalli",
            "AZ-T2;Rossi; Bianchi S.r.l.;25;Metalli",
        ],
        3,
        None,
        "numero di campi errato: la riga ne ha 5, l'intestazione 4",
    ),
    "tavolo bilaterale senza provincia": (
        "tavoli.csv",
        ["codice_tavolo;tipo;data;sigla_provincia;note", "TV-T1;bilaterale;10/02/2025;;"],
        2,
        "sigla_provincia",
        "un tavolo bilaterale richiede la provincia incontrata",
    ),
    "stato del caso non ammesso": (
        "casi_alta_complessita.csv",
        [
            "codice_caso;codice_azienda;stato;rischio;livelli_istituzionali;data_apertura;data_ultimo_aggiornamento",
            f"AC-T1;{AZIENDA};sospeso;alto;Regione Lombardia;01/03/2025;10/01/2026",
        ],
        2,
        "stato",
        "«sospeso» non è ammesso: valori ammessi aperto, in monitoraggio, chiuso",
    ),
    "sì/no illeggibile": (
        "operatori.csv",
        [
            "codice_operatore;denominazione;sigla_provincia;accreditamento;in_catalogo_crisi",
            "OP-T1;Centro;BG;lavoro;forse",
        ],
        2,
        "in_catalogo_crisi",
        "«forse» non è un valore sì/no",
    ),
    "manifest con fonte sconosciuta": (
        "manifest.csv",
        ["fonte;data_estrazione", "INPS;15/01/2026"],
        2,
        "fonte",
        "«INPS» non è ammesso",
    ),
}


@pytest.mark.parametrize("caso", list(CASI), ids=list(CASI))
def test_riga_malformata(caso: str, db: str, tmp_path: Path) -> None:
    nome, righe, riga, colonna, motivo = CASI[caso]
    percorso = scrivi(tmp_path / "lotto", nome, righe)
    trova(rifiuta(db, percorso), nome, riga, colonna, motivo)


@pytest.mark.parametrize(
    ("nome", "righe", "colonna", "motivo"),
    [
        (
            "procedure_unita.csv",
            ["codice_procedura;codice_unita;lavoratori", f"VO-NON-ESISTE;{UNITA};3"],
            "codice_procedura",
            "la procedura «VO-NON-ESISTE» non esiste: manca nei file «procedure» e nel database",
        ),
        (
            "lavoratori.csv",
            [TESTA_LAVORATORI, f"PS-T1;{PROCEDURA};UP0000003;;;;;;;;"],
            "codice_unita",
            f"l'unità «UP0000003» non è coinvolta nella procedura «{PROCEDURA}»",
        ),
        (
            "lavoratori.csv",
            [TESTA_LAVORATORI, f"PS-T1;{PROCEDURA};{UNITA};10/03/2025;;;;;;;OP-ZZ-999"],
            "codice_operatore",
            "l'operatore «OP-ZZ-999» non esiste",
        ),
        (
            "tavoli_casi.csv",
            ["codice_tavolo;codice_caso", "TV-2025-00021;AC-9999-99"],
            "codice_caso",
            "il caso «AC-9999-99» non esiste",
        ),
        (
            "unita_produttive.csv",
            ["codice_unita;codice_azienda;codice_comune", "UP-T1;AZ-NUOVA;016024"],
            "codice_azienda",
            "l'azienda «AZ-NUOVA» non esiste",
        ),
    ],
)
def test_riferimento_mancante(nome: str, righe: list[str], colonna: str, motivo: str, db: str, tmp_path: Path) -> None:
    percorso = scrivi(tmp_path / "lotto", nome, righe)
    trova(rifiuta(db, percorso), nome, 2, colonna, motivo)


def test_codifica_sbagliata(db: str, tmp_path: Path) -> None:
    righe = ["codice_tavolo;tipo;data;sigla_provincia;note", "TV-T1;bilaterale;10/02/2025;BG;", "TV-T2;regionale;"
             "11/02/2025;;Sessione è stata rinviata"]  # fmt: skip
    percorso = scrivi(tmp_path / "lotto", "tavoli.csv", righe, encoding="cp1252")
    p = trova(rifiuta(db, percorso), "tavoli.csv", 3, None, "codifica non valida (byte 0xE8): il file non è in UTF-8")
    assert "CSV UTF-8" in p.motivo


def test_file_utf16(db: str, tmp_path: Path) -> None:
    percorso = tmp_path / "aziende.csv"
    percorso.write_bytes("codice_azienda;ragione_sociale;ateco_codice;ateco_descrizione\r\n".encode("utf-16"))
    trova(rifiuta(db, percorso), "aziende.csv", 1, None, "il file è in UTF-16")


def test_excel_illeggibile(db: str, tmp_path: Path) -> None:
    percorso = tmp_path / "procedure.xlsx"
    percorso.write_bytes(b"non sono un file excel")
    trova(rifiuta(db, percorso), "procedure.xlsx", None, None, "non è una cartella di lavoro Excel .xlsx leggibile")


def test_nome_file_non_riconosciuto(db: str, tmp_path: Path) -> None:
    percorso = scrivi(tmp_path, "lavoratore.csv", [TESTA_LAVORATORI])
    trova(rifiuta(db, percorso), "lavoratore.csv", None, None, "file non riconosciuto: il nome deve iniziare con")


def test_duplicato_tra_due_file(db: str, tmp_path: Path) -> None:
    riga = f"PS-T1;{PROCEDURA};{UNITA};;;;;;;;"
    a = scrivi(tmp_path / "lotto", "lavoratori_BG.csv", [TESTA_LAVORATORI, riga])
    b = scrivi(tmp_path / "lotto", "lavoratori_MI.csv", [TESTA_LAVORATORI, f"PS-T2;{PROCEDURA};{UNITA};;;;;;;;", riga])
    trova(rifiuta(db, a, b), "lavoratori_MI.csv", 3, "id_lavoratore", "compare già in lavoratori_BG.csv alla riga 2")


def test_data_estrazione_mancante(db: str, tmp_path: Path) -> None:
    percorso = scrivi(tmp_path, "operatori.csv", ["codice_operatore;denominazione;sigla_provincia;accreditamento",
                                                  "OP-T1;Centro Prova;BG;lavoro"])  # fmt: skip
    prima = impronta(db)
    with pytest.raises(CaricamentoRifiutato) as exc:
        carica(db, [percorso])
    trova(
        exc.value.problemi, "operatori.csv", None, None, "manca la data di estrazione della fonte «Cataloghi operatori»"
    )
    assert impronta(db) == prima


def test_ogni_problema_di_ogni_file_in_un_solo_passaggio(db: str, tmp_path: Path) -> None:
    lotto = tmp_path / "lotto"
    scrivi(lotto, "procedure.csv", ["codice_procedura;codice_azienda;tipo;linea_guida;anno;data_inizio;stato",
                                    f"VO-T1;{AZIENDA};LIC;D;duemila;01/02/2025;x",
                                    f"VO-T2;{AZIENDA};LIC;D;2025;01/02/2025;x"])  # fmt: skip
    scrivi(lotto, "procedure_unita.csv", ["codice_procedura;codice_unita;lavoratori", f"VO-T1;{UNITA};4",
                                          f"VO-T2;{UNITA};-1", f"VO-T3;{UNITA};2", f"VO-T2;{UNITA};3"])  # fmt: skip
    problemi = rifiuta(db, lotto)
    trova(problemi, "procedure.csv", 2, "anno", "«duemila» non è un numero intero")
    trova(problemi, "procedure_unita.csv", 3, "lavoratori", "è negativo")
    trova(problemi, "procedure_unita.csv", 4, "codice_procedura", "la procedura «VO-T3» non esiste")
    # A key repeated after a refused row is still a duplicate.
    trova(problemi, "procedure_unita.csv", 5, "codice_procedura, codice_unita", "duplicato: compare già alla riga 3")
    # VO-T1 is in the batch (refused for its year): its units are not reported as orphans as well.
    assert len(problemi) == 4


def test_cli_rifiuta_con_codice_di_uscita_e_registro(db: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    percorso = scrivi(tmp_path / "lotto", "procedure_unita.csv", ["codice_procedura;codice_unita;lavoratori",
                                                                  f"{PROCEDURA};{UNITA};-5"])  # fmt: skip
    registro = tmp_path / "carico.log"
    prima = impronta(db)
    with caplog.at_level(logging.INFO):
        esito = main(["--db", db, "--data-estrazione", "15/01/2026", "--log", str(registro), str(percorso)])
    assert esito == 1
    atteso = "procedure_unita.csv, riga 2, colonna «lavoratori»: «-5» è negativo: atteso un numero intero ≥ 0"
    errori = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errori == [atteso, "Caricamento rifiutato: 1 problema in 1 file; il database non è stato modificato."]
    assert atteso in registro.read_text(encoding="utf-8")
    assert impronta(db) == prima


def test_excel_con_valori_fuori_intestazione(db: str, tmp_path: Path) -> None:
    libro = openpyxl.Workbook()
    foglio = libro.active
    foglio.append(["codice_azienda", "ragione_sociale", "ateco_codice", "ateco_descrizione"])
    foglio.append(["AZ-T1", "Prova S.r.l.", 25, "Metalli"])
    foglio.append(["AZ-T2", "Altra S.r.l.", 28, "Macchine", "nota a margine"])
    libro.save(tmp_path / "aziende.xlsx")
    trova(
        rifiuta(db, tmp_path / "aziende.xlsx"), "aziende.xlsx", 3, None, "valori oltre le 4 colonne dell'intestazione"
    )
