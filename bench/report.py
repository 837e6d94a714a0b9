"""Benchmark of the bimonthly reports: the 13 reports of one bimester (cruscotto-report --provincia tutte)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Issue targets: all 13 reports of a bimester in under 60 s at scale 1, under 5 minutes at scale 100.
OBIETTIVO_S = {1: 60.0, 100: 300.0}


def misura(url: str) -> float:
    """Seconds to write the 13 reports and the manifest of the data's last complete bimester, as a cron job does."""
    with tempfile.TemporaryDirectory(prefix="bench-report-") as out:
        inizio = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "dashboard.report_cli", "--db", url, "--provincia", "tutte", "--out", out],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        secondi = time.perf_counter() - inizio
        assert len(list(Path(out).glob("*/*.pdf"))) == 13
    return secondi


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{ROOT / 'var' / 'demo.db'}"
    print(f"13 report di un bimestre: {misura(url):.1f} s")
