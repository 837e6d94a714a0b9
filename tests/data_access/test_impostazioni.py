"""Settings are checked at start: each bad value gets one clear Italian message, never a traceback or a leak."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import deck_cli
from data_access import engine as engine_mod
from data_access.engine import ErroreDatabase, crea_engine, descrivi, resolve_url, timeout_s
from ingest import load
from tests.conftest import APP


@pytest.mark.parametrize("valore", ["inf", "-inf", "nan", "0", "-1", "quindici", "1e9", "15s"])
def test_bad_timeout_is_refused_with_its_value(valore: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(engine_mod.ENV_TIMEOUT, valore)
    with pytest.raises(ErroreDatabase) as err:
        timeout_s()
    assert err.value.messaggio == (
        f"Impostazione CRUSCOTTO_TIMEOUT_S non valida («{valore}»): indicare i secondi, tra 0.1 e 600."
    )


@pytest.mark.parametrize(("valore", "atteso"), [("30", 30.0), (" 2,5 ", 2.5), ("", 15.0)])
def test_good_timeout(valore: str, atteso: float, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(engine_mod.ENV_TIMEOUT, valore)
    assert timeout_s() == atteso


def test_unescaped_at_in_password_is_refused_and_never_logged() -> None:
    url = "postgresql+psycopg://cruscotto_lettura:pa@ss@w0rd@db.regione.it/crisi"
    with pytest.raises(ErroreDatabase) as err:
        crea_engine(url)
    assert "%40" in err.value.messaggio
    assert "ss@w0rd" not in err.value.dettaglio and "pa" not in err.value.dettaglio.split("//")[1].split("@")[0][-4:]
    assert descrivi(url) == "postgresql+psycopg://cruscotto_lettura:***@db.regione.it/crisi"
    assert (
        descrivi("postgresql+psycopg://u:p%40ss@h/d?password=segreto") == "postgresql+psycopg://u:***@h/d?password=***"
    )


def test_malformed_secrets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(engine_mod.ENV_URL, raising=False)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[database\nurl = "sqlite:///x.db"\n')
    with pytest.raises(ErroreDatabase) as err:
        resolve_url()
    assert err.value.messaggio.startswith("Il file delle impostazioni riservate «secrets.toml» non è leggibile")
    assert "line 1" in err.value.dettaglio


def test_one_precedence_for_the_app_and_the_deck(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # secrets.toml points to a missing file, the environment to the demo: the environment wins everywhere.
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(f'[database]\nurl = "sqlite:///{tmp_path}/assente.db"\n')
    monkeypatch.setenv(engine_mod.ENV_URL, demo_url)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert deck_cli.main(["--tavolo", "MI", "--out", str(tmp_path / "deck")]) == 0
    # Without the environment, both take secrets.toml, and both say the file is missing.
    monkeypatch.delenv(engine_mod.ENV_URL)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert "Il database non è stato trovato" in at.error[0].value
    assert deck_cli.main(["--tavolo", "MI", "--out", str(tmp_path / "deck")]) == 1
    assert "Il database non è stato trovato" in capsys.readouterr().err


def test_bad_timeout_in_the_app_is_an_italian_message(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(engine_mod.ENV_URL, demo_url)
    monkeypatch.setenv(engine_mod.ENV_TIMEOUT, "inf")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    assert "CRUSCOTTO_TIMEOUT_S non valida («inf»)" in at.error[0].value


def test_loader_log_into_a_missing_folder(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    with pytest.raises(SystemExit) as uscita:
        load.main(["--db", f"sqlite:///{tmp_path}/x.db", "--log", str(tmp_path / "manca" / "load.log"), str(tmp_path)])
    assert uscita.value.code == 2
    assert not (tmp_path / "x.db").exists()


def test_loader_log_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        load.main(["--db", f"sqlite:///{tmp_path}/x.db", "--log", str(tmp_path / "manca" / "load.log"), str(tmp_path)])
    err = capsys.readouterr().err
    assert "la cartella del registro" in err and "non esiste" in err
    assert "Traceback" not in err
