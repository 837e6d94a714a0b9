"""An unknown page in a link gets a notice on the home page, and the server listens on loopback only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Page

from tests.conftest import APP, ROOT
from tests.e2e.conftest import porta_libera, wait_for_app


def test_unknown_page_shows_a_notice(app_url: str, browser_page: Page) -> None:
    browser_page.goto(f"{app_url}/pagina-inesistente?anno=2025")
    wait_for_app(browser_page)
    avviso = browser_page.locator('[data-testid="stAlert"]').filter(has_text="non esiste")
    avviso.first.wait_for(timeout=30_000)
    assert "La pagina «pagina-inesistente» non esiste: mostro la panoramica." in avviso.first.inner_text()


def _indirizzi_esterni() -> list[str]:
    """This machine's non-loopback IPv4 addresses."""
    try:
        nomi = socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        nomi = []
    uscita = subprocess.run(["hostname", "-I"], capture_output=True, text=True, check=False).stdout.split()
    return sorted({a for a in [*nomi, *uscita] if "." in a and not a.startswith("127.")})


def test_server_binds_to_loopback_by_default(demo_url: str) -> None:
    # The project's .streamlit/config.toml decides: no --server.address on the command line.
    porta = porta_libera()
    env = {**os.environ, "CRUSCOTTO_DB_URL": demo_url, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    env.pop("STREAMLIT_SERVER_ADDRESS", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), f"--server.port={porta}", "--server.fileWatcherType=none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        fine = time.monotonic() + 120
        while time.monotonic() < fine:
            try:
                socket.create_connection(("127.0.0.1", porta), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("the server did not start")
        for indirizzo in _indirizzi_esterni():
            try:
                socket.create_connection((indirizzo, porta), timeout=2).close()
            except OSError:
                continue
            raise AssertionError(f"the server answers on {indirizzo}:{porta}")
        ascolto = {
            tabella: [r.split()[1] for r in Path(f"/proc/net/{tabella}").read_text().splitlines()[1:]
                      if r.split()[1].endswith(f":{porta:04X}") and r.split()[3] == "0A"]  # LISTEN
            for tabella in ("tcp", "tcp6")
        }  # fmt: skip
        assert ascolto["tcp"] == [f"0100007F:{porta:04X}"] and not ascolto["tcp6"], ascolto
    finally:
        proc.terminate()
        proc.wait(timeout=20)
