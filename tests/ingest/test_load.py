"""Loading good extracts: idempotent re-import, updates by source code, Excel and comma CSV, one transaction."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from ingest.estratti import PER_NOME
from ingest.load import carica, main
from tests.ingest.conftest import TABELLE_CHIAVE, impronta

ROOT = Path(__file__).resolve().parents[2]
SENZA_METADATI = tuple(t for t in TABELLE_CHIAVE if t != "metadati")


def _sql(url: str, query: str, *parametri: object) -> list[tuple]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return conn.execute(query, parametri).fetchall()


def _metadati(url: str) -> list[tuple]:
    """The metadata without the load time, which differs between two loads of the same data."""
    return _sql(url, "SELECT fonte, descrizione, data_estrazione, demo, righe FROM metadati ORDER BY fonte")


def _leggi_csv(percorso: Path) -> list[dict[str, str]]:
    with percorso.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def test_reimport_identico_non_cambia_nulla(db: str, estratti_demo: Path) -> None:
    prima = impronta(db)
    esito = carica(db, [estratti_demo])
    assert impronta(db) == prima  # metadati included: not even the load time changes
    assert set(esito.nuove.values()) == {0}
    assert esito.righe_lette["lavoratori"] == 21357


def test_aggiorna_per_codice_e_riallinea_le_copie(db: str, tmp_path: Path) -> None:
    (proc_id,) = _sql(db, "SELECT id FROM procedura WHERE codice_fonte = 'VO-2024-000001'")[0]
    assert _sql(db, "SELECT anno, tipo FROM procedura_unita WHERE procedura_id = ? GROUP BY 1, 2", proc_id) == [
        (2024, "CIGS_MIN")
    ]
    conteggi = {t: n for t, (n, _) in impronta(db).items()}
    caricato_prima = _sql(db, "SELECT caricato_il FROM metadati WHERE fonte = 'VertenzeOnline'")[0]
    lotto = tmp_path / "lotto"
    lotto.mkdir()
    (lotto / "procedure.csv").write_text(
        "codice_procedura;codice_azienda;tipo;linea_guida;anno;data_inizio;data_fine;stato\n"
        "VO-2024-000001;AZ000001;CIGS_REG;C;2023;29/01/2023;;in corso\n",
        encoding="utf-8",
    )
    (lotto / "procedure_unita.csv").write_text(
        "codice_procedura;codice_unita;lavoratori\nVO-2024-000001;UP0000001;1.234\n", encoding="utf-8"
    )
    carica(db, [lotto], data_estrazione=date(2026, 1, 31))
    assert {t: n for t, (n, _) in impronta(db).items()} == conteggi  # updated in place, nothing added
    assert _sql(db, "SELECT tipo, linea_guida, anno, data_fine FROM procedura WHERE id = ?", proc_id) == [
        ("CIGS_REG", "C", 2023, None)
    ]
    # The copies in procedura_unita and lavoratore follow the procedure, also for rows not in this batch.
    assert _sql(db, "SELECT anno, tipo FROM procedura_unita WHERE procedura_id = ? GROUP BY 1, 2", proc_id) == [
        (2023, "CIGS_REG")
    ]
    assert _sql(db, "SELECT DISTINCT anno, tipo FROM lavoratore WHERE procedura_id = ?", proc_id) == [
        (2023, "CIGS_REG")
    ]
    assert _sql(db, "SELECT lavoratori FROM procedura_unita pu JOIN unita_produttiva u ON u.id = pu.unita_id "
                "WHERE procedura_id = ? AND u.codice_fonte = 'UP0000001'", proc_id) == [(1234,)]  # fmt: skip
    assert _sql(db, "SELECT data_estrazione, demo FROM metadati WHERE fonte = 'VertenzeOnline'") == [("2026-01-31", 0)]
    assert _sql(db, "SELECT caricato_il FROM metadati WHERE fonte = 'VertenzeOnline'")[0] >= caricato_prima
    assert _sql(db, "SELECT data_estrazione FROM metadati WHERE fonte = 'Calendario tavoli'") == [("2026-01-15",)]


def test_carico_parziale_usa_il_database(db: str, tmp_path: Path) -> None:
    """A province sends only its new worker: procedure and unit are found in the database."""
    percorso = tmp_path / "lavoratori_MI.csv"
    percorso.write_text(
        "id_lavoratore;codice_procedura;codice_unita;data_step1;data_esonero;motivo_esonero\n"
        "PSNUOVO0001;VO-2024-000001;UP0000001;02/03/2025;10/03/2025;Rientro in servizio\n",
        encoding="utf-8",
    )
    prima = _sql(db, "SELECT count(*) FROM lavoratore")[0][0]
    carica(db, [percorso], data_estrazione=date(2026, 1, 15))
    assert _sql(db, "SELECT count(*) FROM lavoratore")[0][0] == prima + 1
    riga = _sql(db, "SELECT anno, tipo, sigla_provincia, stato_step, data_step1 FROM lavoratore WHERE id = ?",
                "PSNUOVO0001")  # fmt: skip
    assert riga == [(2024, "CIGS_MIN", "MI", "NOPAL", "2025-03-02")]


def test_excel_e_csv_con_virgola_danno_lo_stesso_database(
    estratti_demo: Path, db_caricato: Path, tmp_path: Path
) -> None:
    lotto = tmp_path / "misto"
    shutil.copytree(estratti_demo, lotto)
    # Excel files with native cells: numbers (the comune code loses its leading zero), dates, booleans.
    for nome in ("unita_produttive", "procedure", "procedure_unita", "casi_alta_complessita"):
        estratto = PER_NOME[nome]
        righe = _leggi_csv(lotto / f"{nome}.csv")
        (lotto / f"{nome}.csv").unlink()
        libro = openpyxl.Workbook()
        foglio = libro.active
        foglio.append([c.nome for c in estratto.colonne])
        for r in righe:
            celle: list[object] = []
            for c in estratto.colonne:
                v = r[c.nome]
                if v and c.tipo == "data":
                    celle.append(datetime.strptime(v, "%d/%m/%Y"))
                elif v and (c.tipo in ("intero", "anno") or c.tipo == "comune"):
                    celle.append(int(v))
                elif v and c.tipo == "sino":
                    celle.append(v == "sì")
                else:
                    celle.append(v or None)
            foglio.append(celle)
        libro.save(lotto / f"{nome}_2025.xlsx")
    # Comma-separated CSV without BOM, ISO dates, columns in another order.
    for nome in ("lavoratori", "tavoli"):
        righe = _leggi_csv(lotto / f"{nome}.csv")
        colonne = list(reversed(righe[0].keys()))
        with (lotto / f"{nome}.csv").open("w", encoding="utf-8", newline="") as fh:
            out = csv.DictWriter(fh, colonne, delimiter=",")
            out.writeheader()
            for r in righe:
                out.writerow({k: _iso(v) for k, v in r.items()})
    nuovo = f"sqlite:///{tmp_path / 'misto.db'}"
    carica(nuovo, [lotto])
    base = f"sqlite:///{db_caricato}"
    assert impronta(nuovo, SENZA_METADATI) == impronta(base, SENZA_METADATI)
    assert _metadati(nuovo) == _metadati(base)


def _iso(valore: str) -> str:
    try:
        return datetime.strptime(valore, "%d/%m/%Y").date().isoformat()
    except ValueError:
        return valore


def test_rifiuto_su_file_nuovo_non_lascia_database(tmp_path: Path) -> None:
    percorso = tmp_path / "aziende.csv"
    percorso.write_text("codice_azienda;ragione_sociale\nAZ1;Prova\n", encoding="utf-8")
    nuovo = tmp_path / "nuovo.db"
    assert main(["--db", f"sqlite:///{nuovo}", "--data-estrazione", "15/01/2026", str(percorso)]) == 1
    assert not nuovo.exists()


def test_verifica_non_scrive(db: str, estratti_demo: Path, tmp_path: Path) -> None:
    prima = impronta(db)
    assert main(["--db", db, "--verifica", str(estratti_demo)]) == 0
    assert impronta(db) == prima
    nuovo = tmp_path / "nuovo.db"
    assert main(["--db", f"sqlite:///{nuovo}", "--verifica", str(estratti_demo)]) == 0
    assert not nuovo.exists()


def test_errore_del_database_annulla_tutto_anche_le_tabelle(
    estratti_demo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A write that fails halfway (here a tavolo table of an older schema) rolls back every file and table."""
    path = tmp_path / "vecchio.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE tavolo (id INTEGER PRIMARY KEY, codice_fonte VARCHAR(40) UNIQUE)")
    assert main(["--db", f"sqlite:///{path}", str(estratti_demo)]) == 2
    assert "nessuna modifica è stata salvata" in caplog.text
    with sqlite3.connect(path) as conn:
        tabelle = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        assert tabelle == [("tavolo",)]  # the tables created by the load were rolled back too
        assert conn.execute("SELECT count(*) FROM tavolo").fetchone() == (0,)


def test_console_script(estratti_demo: Path, tmp_path: Path) -> None:
    """The installed `cruscotto-load` command loads a directory and says what it did."""
    comando = Path(sys.executable).with_name("cruscotto-load")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    esito = subprocess.run([str(comando), "--db", url, str(estratti_demo)], capture_output=True, text=True, cwd=ROOT)
    assert esito.returncode == 0, esito.stderr
    assert "Caricamento completato" in esito.stderr
    assert "lavoratore 21.357" in esito.stderr
    assert _sql(url, "SELECT anno, sum(lavoratori) FROM procedura_unita GROUP BY anno") == [(2024, 9557), (2025, 11800)]
