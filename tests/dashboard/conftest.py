"""Fixtures of the dashboard tests: the bimonthly reports generated once per session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard import report_cli

# The demo's data date is 15/01/2026: its last complete bimester is novembre–dicembre 2025.
PERIODO = "2025-11"


@dataclass(frozen=True)
class Generati:
    """The Lecco and regional reports of the demo's last complete bimester, written twice by the command line."""

    cartella: Path
    seconda: Path
    uscita: str


@pytest.fixture(scope="session")
def report_generati(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Generati:
    """Run `cruscotto-report --provincia LC,regione` twice into two folders (the second run must be identical)."""
    uscite = []
    for nome in ("prima", "seconda"):
        out = tmp_path_factory.mktemp(f"report-{nome}")
        codice = report_cli.main(
            ["--db", demo_url, "--periodo", PERIODO, "--provincia", "LC,regione", "--out", str(out)]
        )
        assert codice == 0
        uscite.append(out)
    return Generati(uscite[0] / PERIODO, uscite[1] / PERIODO, "")
