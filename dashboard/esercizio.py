"""Running the dashboard in production: a log line for slow page runs, and the health probe for a watchdog.

`cruscotto-salute` asks `/_stcore/health` with a timeout and exits 1 when the server does not answer in time: a
server whose event loop is stuck keeps its port open but never answers, and a supervisor (systemd, a container
runtime, HAProxy) must restart it. See docs/esercizio.md. This module never imports Streamlit.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence

log = logging.getLogger(__name__)

ENV_SOGLIA_LENTA = "CRUSCOTTO_SOGLIA_LENTA_S"
SOGLIA_LENTA_PREDEFINITA_S = 10.0
URL_PREDEFINITO = "http://127.0.0.1:8501"
TIMEOUT_SALUTE_PREDEFINITO_S = 5.0


def soglia_lenta() -> float:
    """Seconds after which a page run is logged as slow: CRUSCOTTO_SOGLIA_LENTA_S, default 10 (bad value: default)."""
    raw = os.environ.get(ENV_SOGLIA_LENTA)
    if raw is None or not raw.strip():
        return SOGLIA_LENTA_PREDEFINITA_S
    try:
        valore = float(raw.replace(",", "."))
    except ValueError:
        valore = float("nan")
    if not valore > 0 or valore == float("inf"):
        log.warning("%s=%r is not a positive number of seconds: using %g", ENV_SOGLIA_LENTA, raw,
                    SOGLIA_LENTA_PREDEFINITA_S)  # fmt: skip
        return SOGLIA_LENTA_PREDEFINITA_S
    return valore


@contextlib.contextmanager
def cronometro(pagina: str, contesto: str = "") -> Iterator[None]:
    """Time a page run; log a warning if it took longer than the threshold (also when it stops or reruns)."""
    soglia = soglia_lenta()
    inizio = time.perf_counter()
    try:
        yield
    finally:
        durata = time.perf_counter() - inizio
        if durata > soglia:
            log.warning("slow page run: %s took %.1f s (threshold %g s; %s)", pagina, durata, soglia, contesto)


def sonda(url: str = URL_PREDEFINITO, timeout_s: float = TIMEOUT_SALUTE_PREDEFINITO_S) -> tuple[bool, str]:
    """Ask `<url>/_stcore/health`: (True, detail) if it answered 'ok' within the timeout, else (False, reason)."""
    indirizzo = f"{url.rstrip('/')}/_stcore/health"
    inizio = time.perf_counter()
    try:
        with urllib.request.urlopen(indirizzo, timeout=timeout_s) as resp:
            corpo = resp.read(100).strip()
    except urllib.error.HTTPError as exc:
        return False, f"{indirizzo} risponde {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        motivo = getattr(exc, "reason", exc)
        if isinstance(motivo, TimeoutError) or isinstance(exc, TimeoutError):
            return False, f"{indirizzo} non risponde entro {timeout_s:g} s"
        return False, f"{indirizzo} non raggiungibile: {motivo}"
    durata = time.perf_counter() - inizio
    if corpo != b"ok":
        return False, f"{indirizzo} risponde {corpo[:40]!r} invece di 'ok'"
    secondi = f"{durata:.3f}".replace(".", ",")
    return True, f"{indirizzo} ok in {secondi} s"


def main(argv: Sequence[str] | None = None) -> int:
    """`cruscotto-salute`: exit 0 if the dashboard answers its health check in time, 1 otherwise."""
    parser = argparse.ArgumentParser(
        prog="cruscotto-salute",
        description="Controlla che il cruscotto risponda (per systemd, container, bilanciatori): esce con 1 se no.",
    )
    parser.add_argument(
        "--url", default=URL_PREDEFINITO, help=f"indirizzo del cruscotto (predefinito {URL_PREDEFINITO})"
    )
    parser.add_argument("--timeout", type=float, default=TIMEOUT_SALUTE_PREDEFINITO_S, help="secondi di attesa")
    args = parser.parse_args(argv)
    if not args.timeout > 0:
        parser.error("--timeout deve essere un numero positivo di secondi")
    ok, dettaglio = sonda(args.url, args.timeout)
    print(("Il cruscotto risponde: " if ok else "Il cruscotto NON risponde: ") + dettaglio,
          file=sys.stdout if ok else sys.stderr)  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
