"""Dependency directions: the command lines run in a Python where Streamlit cannot be imported."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

BLOCCO = '''
import sys


import os
import sys


class _Senza:
    """Refuses the packages named in CRUSCOTTO_PROVA_VIETATI (streamlit by default), as a Python without them would."""

    vietati = tuple(os.environ.get("CRUSCOTTO_PROVA_VIETATI", "streamlit").split(","))

    def find_spec(self, name, path=None, target=None):
        if any(name == v or name.startswith(v + ".") for v in self.vietati):
            raise ImportError(f"{name} is not available here")
        return None


sys.meta_path.insert(0, _Senza())
'''
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
# Every module of these folders is importable without Streamlit (a layer below the pages and the loaders).
SENZA_STREAMLIT = ("data_access", "ingest", "dashboard/letture", "dashboard/viste", "dashboard/charts")


@pytest.fixture(scope="module")
def senza_streamlit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose Python fails on `import streamlit` (a sitecustomize on PYTHONPATH)."""
    cartella = tmp_path_factory.mktemp("senza_streamlit")
    (cartella / "sitecustomize.py").write_text(BLOCCO, encoding="utf-8")
    return {**os.environ, "PYTHONPATH": str(cartella)}


def _moduli(*cartelle: str) -> list[str]:
    """The dotted names of every module under the folders of the repository."""
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for c in cartelle
        for p in (ROOT / c).rglob("*.py")
    )


def _importa(moduli: list[str], env: dict[str, str]) -> list[str]:
    """The modules that fail to import in `env`, each with the last line of its error."""
    prova = "import importlib, sys\nfor m in sys.argv[1:]:\n    try:\n        importlib.import_module(m)\n"
    prova += "    except Exception as exc:\n        print(m, '->', exc)\n"
    fatto = _esegui([sys.executable, "-c", prova, *moduli], env)
    assert fatto.returncode == 0, fatto.stderr
    return fatto.stdout.splitlines()


def test_every_console_script_imports_without_streamlit(senza_streamlit: dict[str, str]) -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    moduli = sorted({punto.split(":")[0] for punto in scripts.values()})
    assert "dashboard.esercizio" in moduli and len(moduli) == len(scripts)
    cli = [f"dashboard.{p.stem}" for p in (ROOT / "dashboard").glob("*_cli.py")]
    assert _importa(sorted({*moduli, *cli}), senza_streamlit) == []


def test_lower_layers_import_without_streamlit(senza_streamlit: dict[str, str]) -> None:
    moduli = _moduli(*SENZA_STREAMLIT)
    assert "dashboard.viste.report" in moduli and "ingest.load" in moduli
    assert _importa(moduli, senza_streamlit) == []


def test_data_and_ingest_never_import_the_dashboard(senza_streamlit: dict[str, str]) -> None:
    senza_dashboard = {**senza_streamlit, "CRUSCOTTO_PROVA_VIETATI": "streamlit,dashboard,pages"}
    assert _importa(["dashboard.testo"], senza_dashboard) == ["dashboard.testo -> dashboard is not available here"]
    assert _importa(_moduli("data_access", "ingest"), senza_dashboard) == []


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
