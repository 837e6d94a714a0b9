"""The app shell without and with login: open demo badge, production refusal, access-file errors, login screen."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_access import registro
from tests.conftest import APP

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "una-chiave-di-prova-di-almeno-32-caratteri",
    "client_id": "cruscotto",
    "client_secret": "segreto",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def _testi(elementi) -> str:
    return "\n".join(e.value for e in elementi)


def _html(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def _app(demo_url: str, monkeypatch: pytest.MonkeyPatch, auth: bool, **env: str) -> AppTest:
    monkeypatch.setenv("CRUSCOTTO_DB_URL", demo_url)
    for chiave, valore in env.items():
        monkeypatch.setenv(chiave, valore)
    at = AppTest.from_file(str(APP), default_timeout=60)
    if auth:
        at.secrets["auth"] = AUTH
    at.run()
    return at


def test_without_login_the_app_is_open_with_a_badge(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRUSCOTTO_PRODUZIONE", raising=False)
    at = _app(demo_url, monkeypatch, auth=False)
    assert not at.exception and not at.error
    assert "Accesso non configurato" in _html(at)
    assert any(t.value.startswith("Panoramica") for t in at.title)


def test_production_refuses_to_open_without_login(
    demo_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    at = _app(demo_url, monkeypatch, auth=False, CRUSCOTTO_PRODUZIONE="1")
    assert not at.exception
    assert "Accesso non configurato" in _testi(at.error)
    assert not at.title and not at.metric  # no data at all
    assert any("production mode without [auth]" in r.getMessage() for r in caplog.records)


def test_malformed_access_file_stops_the_app(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    accessi = tmp_path / "accessi.toml"
    accessi.write_text('[[utente]]\nemail = "a@b.it"\nruolo = "nucleo"\nprovince = ["LX"]\n', encoding="utf-8")
    at = _app(demo_url, monkeypatch, auth=True, CRUSCOTTO_ACCESSI=str(accessi))
    assert not at.exception
    errore = _testi(at.error)
    assert "il file degli accessi non è valido" in errore
    assert "\\-" in errore  # the file's own text is escaped for Markdown, like every value shown
    errore = errore.replace("\\", "")
    assert str(accessi) in errore and "utente n. 1 (a@b.it)" in errore and "«province»" in errore and "LX" in errore
    assert not at.button  # not even the login
    assert any("access file rejected" in r.getMessage() for r in caplog.records)


def test_missing_access_file_with_login_stops_the_app(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(demo_url, monkeypatch, auth=True, CRUSCOTTO_ACCESSI=str(tmp_path / "assente.toml"))
    assert "il file non esiste" in _testi(at.error)


def test_login_screen_in_italian_and_nothing_else(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    accessi = tmp_path / "accessi.toml"
    accessi.write_text('[[utente]]\nemail = "a@b.it"\nruolo = "direzione"\n', encoding="utf-8")
    at = _app(demo_url, monkeypatch, auth=True, CRUSCOTTO_ACCESSI=str(accessi))
    assert not at.exception and not at.error
    assert [b.label for b in at.button] == ["Accedi con le credenziali regionali"]
    assert [t.value for t in at.title] == ["Cruscotto Crisi Lombardia"]
    assert not at.metric and "Dati al" not in _html(at)


def test_unwritable_register_refuses_every_download(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    corrotto = tmp_path / "registro.db"
    corrotto.write_bytes(b"non un database" * 100)
    at = _app(demo_url, monkeypatch, auth=False, CRUSCOTTO_REGISTRO_URL=f"sqlite:///{corrotto}")
    assert not at.exception
    assert not at.get("download_button")
    assert "Download non disponibile" in _testi(at.warning)
    assert "registro dei download non può essere scritto" in _testi(at.warning)
    assert any("export register not writable" in r.getMessage() for r in caplog.records)


def test_register_page_lists_rows_with_italian_headers(
    demo_url: str, registro_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    eng = registro.crea_engine_registro(registro_url)
    registro.prepara(eng)
    registro.consegna(eng, b"contenuto", email="a@b.it", ruolo="nucleo", perimetro="LC", vista="Step PAL",
                      dataset="Step PAL - Province", filtri="Anno 2025 · Lecco", formato="xlsx", righe=2,
                      nome_file="f.xlsx")  # fmt: skip
    eng.dispose()
    at = _app(demo_url, monkeypatch, auth=False)
    at.switch_page(str(APP.parents[1] / "pages" / "registro.py"))
    at.run()
    assert not at.exception and not at.error
    tabella = at.dataframe[0].value
    riga = tabella[tabella["Utente"] == "a@b.it"].iloc[0]
    assert riga["Formato"] == "Excel (.xlsx)" and riga["Ruolo"] == "Nucleo crisi"
    assert riga["SHA-256"] == hashlib.sha256(b"contenuto").hexdigest()
    assert at.get("download_button")  # the register itself can be downloaded (and that is registered too)
