"""Dependency directions: the command lines run in a Python where Streamlit cannot be imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BLOCCO = '''
import sys


class _SenzaStreamlit:
    """Refuses streamlit, as a Python without it would."""

    def find_spec(self, name, path=None, target=None):
        if name == "streamlit" or name.startswith("streamlit."):
            raise ImportError(f"{name} is not available here")
        return None


sys.meta_path.insert(0, _SenzaStreamlit())
'''
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def senza_streamlit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose Python fails on `import streamlit` (a sitecustomize on PYTHONPATH)."""
    cartella = tmp_path_factory.mktemp("senza_streamlit")
    (cartella / "sitecustomize.py").write_text(BLOCCO, encoding="utf-8")
    return {**os.environ, "PYTHONPATH": str(cartella)}


def _esegui(comando: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(comando, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_the_blocker_blocks(senza_streamlit: dict[str, str]) -> None:
    fatto = _esegui([sys.executable, "-c", "import streamlit"], senza_streamlit)
    assert fatto.returncode != 0 and "streamlit is not available here" in fatto.stderr


def test_load_and_demo_run_without_streamlit(senza_streamlit: dict[str, str], tmp_path: Path) -> None:
    estratti, db = tmp_path / "estratti", tmp_path / "caricato.db"
    demo = _esegui([str(BIN / "cruscotto-demo"), "--extracts", str(estratti)], senza_streamlit)
    assert demo.returncode == 0, demo.stderr
    carica = _esegui([str(BIN / "cruscotto-load"), "--db", f"sqlite:///{db}", str(estratti)], senza_streamlit)
    assert carica.returncode == 0, carica.stderr
    assert db.stat().st_size > 0


def test_deck_runs_without_streamlit(senza_streamlit: dict[str, str], demo_url: str, tmp_path: Path) -> None:
    comando = [str(BIN / "cruscotto-deck"), "--tavolo", "LC", "--out", str(tmp_path), "--db", demo_url]
    fatto = _esegui([*comando, "--giorno", "2026-01-20"], senza_streamlit)
    assert fatto.returncode == 0, fatto.stderr
    assert [p.name for p in tmp_path.glob("*.pptx")] == ["tavolo-LC-2025-dati-2026-01-15.pptx"]
    assert "8 slide" in fatto.stdout


def test_report_runs_without_streamlit(senza_streamlit: dict[str, str], demo_url: str, tmp_path: Path) -> None:
    # The whole report path is imported; a bad period stops it before the (slow) documents, with its message.
    fatto = _esegui(
        [str(BIN / "cruscotto-report"), "--db", demo_url, "--periodo", "2026-01", "--out", str(tmp_path)],
        senza_streamlit,
    )
    assert fatto.returncode == 2 and "--provvisorio" in fatto.stderr, fatto.stderr
    importa = "import dashboard.report_cli, dashboard.report_file, dashboard.report_pdf, dashboard.report_invio"
    assert _esegui([sys.executable, "-c", importa], senza_streamlit).returncode == 0
