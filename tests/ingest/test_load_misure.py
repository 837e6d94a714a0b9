"""Malformed measure extracts (interventi_pal, progetti_rete, dotazioni_misure): refused with file, row, column and
reason, the database untouched; a good one loads, and its caps breaches are data, not errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ingest.load import carica
from tests.ingest.conftest import DATA_ESTRAZIONE
from tests.ingest.test_load_errori import AZIENDA, rifiuta, scrivi, trova

TESTA = (
    "codice_intervento;misura;id_lavoratore;codice_azienda;sigla_provincia;codice_operatore;codice_progetto;"
    "data_assegnazione;data_avvio;data_fine;importo_assegnato;importo_speso;importo_risultato;servizi;"
    "ore_formazione;esito_180"
)
PROGETTO = "AR-2025-0001"  # a project of the demo database


def riga(**celle: str) -> str:
    """One interventi_pal line: a clean Dote Unica Lavoro dote, with the cells given replaced."""
    base = {
        "codice_intervento": "T-1", "misura": "Dote Unica Lavoro", "id_lavoratore": "PSTEST0001",
        "codice_azienda": AZIENDA, "sigla_provincia": "BG", "codice_operatore": "", "codice_progetto": "",
        "data_assegnazione": "10/03/2025", "data_avvio": "15/03/2025", "data_fine": "30/06/2025",
        "importo_assegnato": "1.500,00", "importo_speso": "", "importo_risultato": "", "servizi": "",
        "ore_formazione": "", "esito_180": "",
    }  # fmt: skip
    return ";".join((base | celle).values())


CASI: dict[str, tuple[str, str, str]] = {
    "importo negativo": (riga(importo_assegnato="-5"), "importo_assegnato", "è negativo: atteso un importo ≥ 0"),
    "tre decimali": (riga(importo_speso="12,345"), "importo_speso", "non è un importo in euro (al massimo due"),
    "importo non numerico": (riga(importo_assegnato="mille"), "importo_assegnato", "non è un importo in euro"),
    "misura sconosciuta": (riga(misura="Dote Futura"), "misura", "«Dote Futura» non è ammesso: valori ammessi"),
    "rete senza progetto": (riga(misura="Azioni di Rete"), "codice_progetto", "richiede il progetto"),
    "progetto per una dote": (riga(codice_progetto=PROGETTO), "codice_progetto", "il progetto si indica solo per"),
    "risultato fuori da Azioni di Rete": (
        riga(importo_risultato="100"),
        "importo_risultato",
        "i servizi a risultato esistono solo per Azioni di Rete",
    ),
    "avvio prima dell'assegnazione": (
        riga(data_avvio="01/03/2025"),
        "data_avvio",
        "la data 01/03/2025 precede data_assegnazione (10/03/2025)",
    ),
    "fine prima dell'avvio": (riga(data_fine="14/03/2025"), "data_fine", "precede data_avvio (15/03/2025)"),
    "assegnazione futura": (
        riga(data_assegnazione="20/01/2026", data_avvio="", data_fine=""),
        "data_assegnazione",
        "è successiva alla data di estrazione (15/01/2026)",
    ),
    "esito senza fine": (riga(data_fine="", esito_180="occupato"), "esito_180", "senza data_fine"),
    "esito sconosciuto": (riga(esito_180="pensionato"), "esito_180", "«pensionato» non è ammesso"),
    "codice fiscale": (riga(id_lavoratore="RSSMRA80A01F205X"), "id_lavoratore", "sembra un codice fiscale"),
    "azienda inesistente": (riga(codice_azienda="AZ-NESSUNA"), "codice_azienda", "l'azienda «AZ-NESSUNA» non esiste"),
    "progetto inesistente": (
        riga(misura="Azioni di Rete", codice_progetto="AR-NESSUNO"),
        "codice_progetto",
        "il progetto «AR-NESSUNO» non esiste: manca nei file «progetti_rete» e nel database",
    ),
    "ore negative": (riga(ore_formazione="-4"), "ore_formazione", "è negativo"),
    "lavoratore mancante": (riga(id_lavoratore=""), "id_lavoratore", "valore obbligatorio mancante"),
}


@pytest.mark.parametrize("caso", CASI, ids=list(CASI))
def test_malformed_record_refused_with_file_row_column_reason(db: str, tmp_path: Path, caso: str) -> None:
    linea, colonna, motivo = CASI[caso]
    f = scrivi(tmp_path, "interventi_pal_BG.csv", [TESTA, riga(codice_intervento="T-OK"), linea])
    trova(rifiuta(db, f), "interventi_pal_BG.csv", 3, colonna, motivo)


def test_duplicate_record_and_malformed_project_and_budget(db: str, tmp_path: Path) -> None:
    interventi = scrivi(tmp_path, "interventi_pal.csv", [TESTA, riga(), riga()])
    progetti = scrivi(
        tmp_path,
        "progetti_rete.csv",
        ["codice_progetto;titolo;codice_operatore;sigla_provincia;data_approvazione;importo_approvato",
         "AR-T1;Rete di prova;;XX;01/02/2025;10.000,00"],
    )  # fmt: skip
    dotazioni = scrivi(tmp_path, "dotazioni_misure.csv", ["misura;dotazione;atto", "GOL;;Decreto"])
    problemi = rifiuta(db, interventi, progetti, dotazioni)
    trova(problemi, "interventi_pal.csv", 3, "codice_intervento", "«T-1» duplicato: compare già alla riga 2")
    trova(problemi, "progetti_rete.csv", 2, "sigla_provincia", "sigla di provincia «XX» sconosciuta")
    trova(problemi, "dotazioni_misure.csv", 2, "dotazione", "valore obbligatorio mancante")


def test_good_records_load_and_caps_breaches_are_kept(db: str, tmp_path: Path) -> None:
    """A voucher above 2.000 € is a finding for the page's checks, not a reason to refuse the file."""
    f = scrivi(
        tmp_path,
        "interventi_pal.csv",
        [TESTA, riga(codice_intervento="T-FC", misura="Formazione Continua", importo_assegnato="2.400,50",
                     importo_speso="2.400,50", ore_formazione="40", data_fine="30/06/2025", esito_180="occupato")],
    )  # fmt: skip
    carica(db, [f], data_estrazione=DATA_ESTRAZIONE)
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        riga_db = conn.execute(
            "SELECT misura, anno, assegnato_cent, speso_cent, ore_formazione, esito_180 FROM intervento_pal "
            "WHERE codice_fonte = 'T-FC'"
        ).fetchone()
        siuf = conn.execute("SELECT righe FROM metadati WHERE fonte = 'SIUF'").fetchone()[0]
        attese = conn.execute("SELECT count(*) FROM intervento_pal WHERE ore_formazione IS NOT NULL").fetchone()[0]
    assert riga_db == ("Formazione Continua", 2025, 240_050, 240_050, 40, "occupato")
    assert siuf == attese
