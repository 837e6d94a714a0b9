"""Many users at once on one `streamlit run` server: every run finishes, the server keeps answering, no errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.streamlit_ws import PAGINE, Risultato, carico, riscalda, server_streamlit
from dashboard import esercizio

SESSIONI = 20
DURATA_S = 30.0
PAUSA_S = 0.5
# A run that has not finished after this long is frozen (a page takes about a second here, several on a busy machine).
RUN_TIMEOUT_S = 90.0
# /_stcore/health must answer within 1 s. A single late answer can be the shared machine's CPU; a server whose event
# loop is stuck never answers again, so this many seconds without any answer within 1 s is a stall, and fails.
SALUTE_TIMEOUT_S = 1.0
STALLO_S = 15.0


@pytest.fixture(scope="module")
def server(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The dashboard served on the demo database, every page opened once (imports and caches warm)."""
    log_path = tmp_path_factory.mktemp("concorrenza") / "server.log"
    # The demo's extraction is older than the tavolo cover's limit: its warning is expected, any other notice is not.
    with server_streamlit(demo_url, log_path, env={"CRUSCOTTO_DATI_VECCHI_GIORNI": "36500"}) as url:
        for esito in riscalda(url):
            assert esito.riuscito, f"warm-up: {esito.descrizione()}\n{_coda(log_path)}"
        yield url, log_path


def _coda(path: Path, righe: int = 40) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-righe:])


@pytest.fixture(scope="module")
def risultato(server: tuple[str, Path]) -> Risultato:
    """Twenty users walking every page with the shared filters for thirty seconds."""
    url, _ = server
    return carico(
        url, SESSIONI, DURATA_S, PAUSA_S, timeout_s=RUN_TIMEOUT_S, stallo_s=STALLO_S, salute_timeout_s=SALUTE_TIMEOUT_S
    )


def test_il_server_risponde_sempre(risultato: Risultato, server: tuple[str, Path]) -> None:
    """/_stcore/health answers within 1 s throughout the load and after it (no stall, never a freeze)."""
    url, log_path = server
    s = risultato.salute
    assert not risultato.stallo, f"server stopped answering /_stcore/health: {s}\n{_coda(log_path)}"
    assert s["sonde"] >= DURATA_S, s  # the probe ran throughout (one probe every half second)
    assert esercizio.main(["--url", url, "--timeout", "5"]) == 0, "the watchdog's probe fails after the load"
    assert "Traceback" not in log_path.read_text(encoding="utf-8"), _coda(log_path)


def test_ogni_run_finisce(risultato: Risultato, server: tuple[str, Path]) -> None:
    """Every page run ends with script_finished; every page was run by many users."""
    _, log_path = server
    bloccati = [e.descrizione() for e in risultato.bloccati]
    assert bloccati == [], f"{len(bloccati)} frozen runs: {bloccati[:5]}\n{_coda(log_path)}"
    pagine = {e.pagina for e in risultato.esiti if e.riuscito}
    assert pagine == set(PAGINE)
    assert len(risultato.esiti) >= SESSIONI * 3, risultato.riepilogo()


def test_nessun_errore(risultato: Risultato) -> None:
    """No exception, no error box, no link value refused, and each run draws its page's title."""
    falliti = [e.descrizione() for e in risultato.falliti]
    assert falliti == [], f"{len(falliti)} failed runs: {falliti[:5]}"
    assert [e.avvisi for e in risultato.esiti if e.avvisi] == []
    assert [e.descrizione() for e in risultato.esiti if not e.titoli] == []
