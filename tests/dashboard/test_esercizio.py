"""Production watchdog: the slow-run log line and the `cruscotto-salute` health probe."""

from __future__ import annotations

import http.server
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import esercizio


@pytest.mark.parametrize(
    ("raw", "attesa"),
    [(None, 10.0), ("", 10.0), ("2.5", 2.5), ("2,5", 2.5), ("30", 30.0), ("zero", 10.0), ("0", 10.0), ("-1", 10.0),
     ("nan", 10.0), ("inf", 10.0)],
)  # fmt: skip
def test_soglia_lenta(raw: str | None, attesa: float, monkeypatch: pytest.MonkeyPatch) -> None:
    if raw is None:
        monkeypatch.delenv(esercizio.ENV_SOGLIA_LENTA, raising=False)
    else:
        monkeypatch.setenv(esercizio.ENV_SOGLIA_LENTA, raw)
    assert esercizio.soglia_lenta() == attesa


def test_soglia_non_valida_lascia_una_riga_di_log(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    monkeypatch.setenv(esercizio.ENV_SOGLIA_LENTA, "dieci")
    with caplog.at_level(logging.WARNING, logger="dashboard.esercizio"):
        esercizio.soglia_lenta()
    assert "CRUSCOTTO_SOGLIA_LENTA_S='dieci' is not a positive number of seconds: using 10" in caplog.text


def test_un_run_lento_lascia_una_riga_di_log(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    monkeypatch.setenv(esercizio.ENV_SOGLIA_LENTA, "0.01")
    with caplog.at_level(logging.WARNING, logger="dashboard.esercizio"), esercizio.cronometro("Step PAL", "Anno 2025"):
        time.sleep(0.05)
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage().startswith("slow page run: Step PAL took ")
    assert "(threshold 0.01 s; Anno 2025)" in caplog.records[0].getMessage()


def test_un_run_svelto_o_interrotto(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """No line under the threshold; a run that stops with an exception past it is still logged."""
    monkeypatch.setenv(esercizio.ENV_SOGLIA_LENTA, "60")
    with caplog.at_level(logging.WARNING, logger="dashboard.esercizio"), esercizio.cronometro("Panoramica"):
        pass
    assert caplog.records == []
    monkeypatch.setenv(esercizio.ENV_SOGLIA_LENTA, "0.01")
    with caplog.at_level(logging.WARNING), pytest.raises(KeyError), esercizio.cronometro("Casi"):
        time.sleep(0.05)
        raise KeyError("x")
    assert "slow page run: Casi" in caplog.text


def test_l_app_registra_i_run_lenti(
    app_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """dashboard/app.py times every page run: with a tiny threshold the page's run is logged with its filters."""
    monkeypatch.setenv(esercizio.ENV_SOGLIA_LENTA, "0.000001")
    with caplog.at_level(logging.WARNING, logger="dashboard.esercizio"):
        at = app_page(anno="2025")
    assert not at.exception
    assert "slow page run: Panoramica took" in caplog.text
    assert "Anno 2025 · tutte le province · tutte le procedure" in caplog.text


class _Salute(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        corpo = b"ok" if self.path == "/_stcore/health" else b"no"
        self.send_response(200 if corpo == b"ok" else 404)
        self.end_headers()
        self.wfile.write(corpo)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server_sano() -> Iterator[str]:
    """An HTTP server on loopback answering the health check."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Salute)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def server_muto() -> Iterator[str]:
    """A port that accepts connections and never answers, as a server whose event loop is stuck."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


def test_salute_ok(server_sano: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert esercizio.main(["--url", server_sano, "--timeout", "5"]) == 0
    assert capsys.readouterr().out.startswith(f"Il cruscotto risponde: {server_sano}/_stcore/health ok in ")


def test_salute_server_fermo(server_muto: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A server that keeps its port but never answers fails the probe within the timeout."""
    inizio = time.monotonic()
    assert esercizio.main(["--url", server_muto, "--timeout", "1"]) == 1
    assert time.monotonic() - inizio < 30  # bounded by the timeout, not hanging
    assert (
        capsys.readouterr().err.strip()
        == f"Il cruscotto NON risponde: {server_muto}/_stcore/health non risponde entro 1 s"
    )


def test_salute_nessun_server(server_muto: str, capsys: pytest.CaptureFixture[str]) -> None:
    porta = socket.socket()
    porta.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{porta.getsockname()[1]}"
    porta.close()  # nothing listens there now
    assert esercizio.main(["--url", url, "--timeout", "2"]) == 1
    assert "non raggiungibile" in capsys.readouterr().err


def test_salute_risposta_sbagliata(server_sano: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert esercizio.main(["--url", server_sano + "/altro", "--timeout", "2"]) == 1
    assert "risponde 404" in capsys.readouterr().err
