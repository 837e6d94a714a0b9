"""The demo database: deterministic, plausible, pseudonymous, marked as demo."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from ingest.demo import COGNOMI, TOPONIMI, costruisci, main


def _fetch(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _impronta(db: Path) -> str:
    digest = hashlib.sha256()
    for table in ("azienda", "procedura", "procedura_unita", "lavoratore", "caso_alta_complessita", "tavolo"):
        for row in _fetch(db, f"SELECT * FROM {table} ORDER BY 1, 2"):  # table names are constants here
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_same_seed_same_data(demo_db: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.db"
    costruisci(again)
    assert _impronta(again) == _impronta(demo_db)


def test_other_seed_other_companies_same_totals(demo_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    costruisci(other, seed=7)
    assert _impronta(other) != _impronta(demo_db)
    totals = "SELECT anno, sum(lavoratori) FROM procedura_unita GROUP BY anno ORDER BY anno"
    assert _fetch(other, totals) == [(2024, 9557), (2025, 11800)]
    step4 = "SELECT count(*) FROM lavoratore WHERE anno = 2025 AND tipo = 'CIGS_MIN' AND stato_step = 'STEP4'"
    assert _fetch(other, step4) == [(2232,)]


def test_published_counts(demo_db: Path) -> None:
    assert _fetch(demo_db, "SELECT count(*) FROM operatore WHERE sigla_provincia = 'LC'") == [(18,)]
    assert _fetch(demo_db, "SELECT tipo, count(*) FROM tavolo WHERE anno = 2025 GROUP BY tipo ORDER BY tipo") == [
        ("bilaterale", 21),
        ("regionale", 4),
    ]
    (casi,) = _fetch(demo_db, "SELECT count(*) FROM caso_alta_complessita")[0]
    assert 15 <= casi <= 25
    province_casi = _fetch(
        demo_db,
        "SELECT count(DISTINCT pu.sigla_provincia) FROM caso_alta_complessita c "
        "JOIN procedura p ON p.azienda_id = c.azienda_id AND p.alta_complessita "
        "JOIN procedura_unita pu ON pu.procedura_id = p.id",
    )[0][0]
    assert province_casi >= 6  # cases spread across provinces


def test_real_geography(demo_db: Path) -> None:
    assert _fetch(demo_db, "SELECT count(*) FROM comune") == [(1503,)]
    orphans = _fetch(
        demo_db,
        "SELECT count(*) FROM unita_produttiva u JOIN comune c ON c.codice_istat = u.codice_comune "
        "WHERE c.sigla_provincia <> u.sigla_provincia",
    )
    assert orphans == [(0,)]


def test_step_dates_in_order_and_before_extraction(demo_db: Path) -> None:
    bad = _fetch(
        demo_db,
        "SELECT count(*) FROM lavoratore WHERE stato_step IS NOT NULL AND ("
        " data_step1 IS NULL OR data_step2 < data_step1 OR data_step3 < data_step2 OR data_step4 < data_step3"
        " OR coalesce(data_step4, data_step3, data_step2, data_step1) > '2026-01-15'"
        " OR (stato_step = 'STEP4') <> (data_step4 IS NOT NULL)"
        " OR (stato_step = 'NOPAL') <> (data_esonero IS NOT NULL))",
    )
    assert bad == [(0,)]


def test_workers_are_pseudonymous(demo_db: Path) -> None:
    columns = {row[1] for row in _fetch(demo_db, "PRAGMA table_info(lavoratore)")}
    assert not columns & {"nome", "cognome", "codice_fiscale", "email", "telefono"}
    ids = _fetch(demo_db, "SELECT id FROM lavoratore LIMIT 50")
    assert all(i.startswith("PS") and len(i) == 18 for (i,) in ids)


def test_metadata_marks_demo(demo_db: Path) -> None:
    rows = _fetch(demo_db, "SELECT DISTINCT demo, data_estrazione FROM metadati")
    assert rows == [(1, "2026-01-15")]


def test_cli_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.db"
    assert main(["--out", str(out)]) == 0
    assert main(["--out", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["--out", str(out), "--force"]) == 0


def test_scale_multiplies_volumes(tmp_path: Path) -> None:
    out = tmp_path / "x2.db"
    costruisci(out, scala=2)
    assert _fetch(out, "SELECT anno, sum(lavoratori) FROM procedura_unita GROUP BY anno ORDER BY anno") == [
        (2024, 2 * 9557),
        (2025, 2 * 11800),
    ]


def test_no_tavolo_discusses_a_case_before_it_was_opened(demo_db: Path) -> None:
    prima = _fetch(
        demo_db,
        "SELECT c.codice, c.data_apertura, t.data FROM tavolo_caso tc JOIN tavolo t ON t.id = tc.tavolo_id "
        "JOIN caso_alta_complessita c ON c.id = tc.caso_id WHERE t.data < c.data_apertura",
    )
    assert prima == []
    assert _fetch(demo_db, "SELECT COUNT(*) FROM tavolo_caso")[0][0] > 0


def _del_territorio(nome: str, sigla: str) -> bool:
    return any(t in nome for t in TOPONIMI[sigla]) or any(c in nome.split() for c in COGNOMI[sigla])


def test_company_names_fit_the_province_of_their_latest_procedure(demo_db: Path) -> None:
    righe = _fetch(
        demo_db,
        "SELECT a.ragione_sociale, group_concat(DISTINCT pu.sigla_provincia) FROM azienda a "
        "JOIN procedura p ON p.id = (SELECT max(id) FROM procedura WHERE azienda_id = a.id) "
        "JOIN procedura_unita pu ON pu.procedura_id = p.id GROUP BY a.id",
    )
    assert len(righe) == 487
    fuori = [(nome, sigle) for nome, sigle in righe if not any(_del_territorio(nome, s) for s in sigle.split(","))]
    assert fuori == []
    assert len({nome for nome, _ in righe}) == len(righe)  # no two companies share a name


def test_operators_are_local_and_a_few_large_ones_serve_most_workers(demo_db: Path) -> None:
    operatori = _fetch(demo_db, "SELECT denominazione, sigla_provincia FROM operatore")
    assert [(n, s) for n, s in operatori if not _del_territorio(n, s)] == []
    assert len({n for n, _ in operatori}) == len(operatori)
    altrove = "SELECT count(*) FROM lavoratore l JOIN operatore o ON o.id = l.operatore_id "
    assert _fetch(demo_db, altrove + "WHERE o.sigla_provincia <> l.sigla_provincia") == [(0,)]
    carichi = _fetch(
        demo_db,
        "SELECT o.sigla_provincia, count(l.id) AS n FROM operatore o LEFT JOIN lavoratore l ON l.operatore_id = o.id "
        "GROUP BY o.id ORDER BY o.sigla_provincia, n DESC",
    )
    for sigla in ("CO", "MB", "MI", "VA", "BS"):  # the provinces with hundreds of workers at an operator
        n = [c for s, c in carichi if s == sigla]
        primi = n[: max(1, len(n) // 5)]
        assert sum(primi) > 0.4 * sum(n), sigla  # the largest fifth of the catalogue serves over 40%
        assert n[0] >= 5 * max(1, n[-1]), sigla


def test_every_case_has_an_invented_owner_that_no_mail_reaches(demo_db: Path) -> None:
    righe = _fetch(demo_db, "SELECT referente, contatto_referente FROM caso_alta_complessita")
    assert righe and all(r and r.endswith(", Presidio crisi") for r, _ in righe)
    assert all(c.endswith("@presidio-crisi.example") for _, c in righe)  # RFC 2606: a reserved domain
    assert len({r for r, _ in righe}) >= 3
