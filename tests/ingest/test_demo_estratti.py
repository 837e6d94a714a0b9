"""The demo database goes through the extract files and the loader, and still equals the official tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from data_access.dominio import SIGLE
from ingest import ufficiali
from ingest.demo import Generatore, costruisci
from ingest.demo import main as demo_main
from ingest.load import main as load_main
from tests.ingest.conftest import TABELLE_CHIAVE, impronta

SENZA_METADATI = tuple(t for t in TABELLE_CHIAVE if t != "metadati")


def _sql(db: Path | str, query: str) -> list[tuple]:
    with sqlite3.connect(str(db).removeprefix("sqlite:///")) as conn:
        return conn.execute(query).fetchall()


def celle_ufficiali(righe: list[tuple]) -> dict[tuple[int, str, str], tuple[int, int]]:
    """(year, type, province) -> (units, workers) from grouped procedura_unita rows; absent cells are zero."""
    trovate = {(anno, tipo, sigla): (unita, lavoratori) for anno, tipo, sigla, unita, lavoratori in righe}
    return {chiave: trovate.get(chiave, (0, 0)) for chiave in ufficiali.obiettivi()}


QUERY_CELLE = "SELECT anno, tipo, sigla_provincia, count(*), sum(lavoratori) FROM procedura_unita GROUP BY 1, 2, 3"


def test_database_demo_uguale_alle_tabelle_ufficiali(demo_db: Path) -> None:
    assert celle_ufficiali(_sql(demo_db, QUERY_CELLE)) == ufficiali.obiettivi()
    assert _sql(demo_db, "SELECT anno, sum(lavoratori) FROM procedura_unita GROUP BY anno ORDER BY anno") == [
        (2024, 9557),
        (2025, 11800),
    ]
    # One published cell per province, as a reader would check it: Bergamo 2025 CIGS ministeriali 9 units, 474.
    assert celle_ufficiali(_sql(demo_db, QUERY_CELLE))[(2025, "CIGS_MIN", "BG")] == (9, 474)
    assert {s for (s,) in _sql(demo_db, "SELECT DISTINCT sigla_provincia FROM procedura_unita")} == set(SIGLE)
    coorte = _sql(
        demo_db,
        "SELECT count(*), sum(stato_step = 'STEP4') FROM lavoratore WHERE anno = 2025 AND tipo = 'CIGS_MIN' "
        "AND stato_step IS NOT NULL",
    )
    assert coorte == [(ufficiali.COORTE_STEP_2025, ufficiali.STEP4_2025)]


def test_estratti_da_riga_di_comando_caricati_uguali_al_database_demo(demo_db: Path, tmp_path: Path) -> None:
    """`cruscotto-demo --extracts` then `cruscotto-load`: the same database as `cruscotto-demo --out`."""
    cartella = tmp_path / "estratti"
    assert demo_main(["--extracts", str(cartella)]) == 0
    assert sorted(p.name for p in cartella.iterdir()) == [
        "aziende.csv", "casi_alta_complessita.csv", "dotazioni_misure.csv", "interventi_pal.csv", "lavoratori.csv",
        "manifest.csv", "monitoraggio_pal.csv", "operatori.csv", "procedure.csv", "procedure_unita.csv",
        "progetti_rete.csv", "rettifiche", "tavoli.csv", "tavoli_casi.csv", "unita_produttive.csv",
    ]  # fmt: skip
    # A monitoring quarter resent: its second version is a later load of the same kind of file.
    assert sorted(p.name for p in (cartella / "rettifiche").iterdir()) == ["manifest.csv", "monitoraggio_pal.csv"]
    intestazione = (cartella / "procedure.csv").read_bytes()[:40]
    assert intestazione.startswith(b"\xef\xbb\xbfcodice_procedura;codice_azienda;")  # CSV for Italian Excel
    url = f"sqlite:///{tmp_path / 'caricato.db'}"
    assert load_main(["--db", url, str(cartella)]) == 0
    assert load_main(["--db", url, str(cartella / "rettifiche")]) == 0
    assert impronta(url, SENZA_METADATI) == impronta(f"sqlite:///{demo_db}", SENZA_METADATI)
    senza_ora = "SELECT fonte, descrizione, data_estrazione, demo, righe FROM metadati ORDER BY fonte"
    assert _sql(url, senza_ora) == _sql(demo_db, senza_ora)
    assert _sql(url, "SELECT DISTINCT demo, data_estrazione FROM metadati") == [(1, "2026-01-15")]


def test_extracts_non_sovrascrive_senza_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cartella = tmp_path / "estratti"
    assert demo_main(["--extracts", str(cartella), "--seed", "7"]) == 0
    assert demo_main(["--extracts", str(cartella)]) == 1
    assert "--force" in capsys.readouterr().err
    assert demo_main(["--extracts", str(cartella), "--force"]) == 0


def test_extracts_e_out_insieme(tmp_path: Path) -> None:
    out = tmp_path / "demo.db"
    assert demo_main(["--extracts", str(tmp_path / "estratti"), "--out", str(out), "--seed", "7"]) == 0
    assert _sql(out, "SELECT anno, sum(lavoratori) FROM procedura_unita GROUP BY anno") == [(2024, 9557), (2025, 11800)]


def test_costruzione_scala_1_conta_le_righe(tmp_path: Path) -> None:
    # How long it takes is a target of the benchmark (make bench), not of a test.
    conteggi = costruisci(tmp_path / "tempo.db")
    assert conteggi["lavoratore"] == 21357


def test_nomi_delle_aziende_non_si_esauriscono() -> None:
    """At a large --scale the name space runs out: homonyms are numbered instead of looping for ever."""
    g = Generatore()
    g.territorio()
    nomi = {g.rows["azienda"][g._nuova_azienda("LO") - 1]["ragione_sociale"] for _ in range(4000)}
    assert len(nomi) == 4000
