"""After a load, the running app shows the new figures at once: caches follow the data version, never mix."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ingest.load import carica
from tests.conftest import APP


def _stato(at: AppTest) -> tuple[str, str]:
    banner = next(h.proto.body for h in at.get("html") if "Dati al" in h.proto.body)
    return {m.label: m.value for m in at.metric}["Lavoratori coinvolti"], banner


def test_a_load_reaches_the_open_session_at_once(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cruscotto.db"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("CRUSCOTTO_DB_URL", f"sqlite:///{db}")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    lavoratori, banner = _stato(at)
    assert lavoratori == "11.800" and "15 gennaio 2026" in banner
    lotto = tmp_path / "lotto"
    lotto.mkdir()
    (lotto / "procedure_unita.csv").write_text(
        "codice_procedura;codice_unita;lavoratori\nVO-2025-000253;UP0000354;1014\n", encoding="utf-8"
    )
    carica(f"sqlite:///{db}", [lotto], data_estrazione=date(2026, 1, 31))
    at.run()  # the same session, caches already filled
    assert not at.exception
    lavoratori, banner = _stato(at)
    assert lavoratori == "12.800"  # 11.800 - 14 + 1.014


def test_a_re_import_that_changes_nothing_keeps_the_caches(demo_db: Path, tmp_path: Path) -> None:
    from data_access.engine import crea_engine
    from data_access.queries.meta import versione_dati

    db = tmp_path / "cruscotto.db"
    shutil.copy(demo_db, db)
    eng = crea_engine(f"sqlite:///{db}")
    lotto = tmp_path / "lotto"
    lotto.mkdir()
    (lotto / "procedure_unita.csv").write_text(
        "codice_procedura;codice_unita;lavoratori\nVO-2025-000253;UP0000354;14\n", encoding="utf-8"
    )
    carica(f"sqlite:///{db}", [lotto], data_estrazione=date(2026, 1, 15))  # the source is no longer a demo
    prima = versione_dati(eng)
    carica(f"sqlite:///{db}", [lotto], data_estrazione=date(2026, 1, 15))
    assert versione_dati(eng) == prima
    (lotto / "procedure_unita.csv").write_text(
        "codice_procedura;codice_unita;lavoratori\nVO-2025-000253;UP0000354;15\n", encoding="utf-8"
    )
    carica(f"sqlite:///{db}", [lotto], data_estrazione=date(2026, 1, 15))
    assert versione_dati(eng) != prima  # same date, same row counts: the load time tells the change
    eng.dispose()
