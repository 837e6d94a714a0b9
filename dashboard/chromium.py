"""The system Chromium that draws charts (kaleido) and prints the reports to PDF: where it is, how it is started."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

BROWSER_NOTI = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# A headless browser that reaches no network, updates nothing and leaves no profile behind (with a fresh
# --user-data-dir): the only pages it opens are files written by the app.
OPZIONI = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
)


def trova() -> tuple[str | None, list[str | None]]:
    """The Chromium executable (BROWSER_PATH, kaleido's own variable, else the system one) and where it looked."""
    scelto = os.environ.get("BROWSER_PATH")
    candidati = [scelto] if scelto else [*BROWSER_NOTI, shutil.which("chromium"), shutil.which("google-chrome")]
    for percorso in candidati:
        if percorso and Path(percorso).is_file() and os.access(percorso, os.X_OK):
            return percorso, candidati
    return None, candidati
