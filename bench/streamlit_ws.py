"""Browser-like Streamlit sessions over the websocket protocol, and a load CLI that walks the dashboard's pages.

A `SessioneStreamlit` is what one browser tab does: it opens `/_stcore/stream`, asks for a page run with
`BackMsg.rerun_script` (query string, page name or page script hash, as Streamlit's frontend does) and reads
`ForwardMsg`s until the run's `script_finished`. Each run returns an `EsitoRun`: time, outcome, exceptions and the
app's own error boxes. The class is synchronous (one thread per session), so a load generator can drive it from
threads or greenlets:

    with SessioneStreamlit("http://127.0.0.1:8501") as s:
        esito = s.apri("step-pal", "anno=2025&prov=BG,MI")
        print(esito.stato, esito.secondi, esito.titoli)

The CLI runs N sessions for a while, each one walking every page with a set of shared filters, with a think time
between clicks, while a probe checks `/_stcore/health`; it prints p50/p95 page time, runs per second, errors and
frozen runs (exit code 1 if any run froze or showed an error):

    python bench/streamlit_ws.py --url http://127.0.0.1:8501 --sessioni 10 --pausa 1 --durata 300
    python bench/streamlit_ws.py --db var/demo.db --porta 8501 --sessioni 50 --pausa 5 --durata 300
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"

# The dashboard's pages as url paths of dashboard/app.py PAGINE ('' is the default page, Panoramica, served at '/'),
# and filter sets a Nucleo or the Region would use.
PAGINE = ("", "confronto", "mappe", "step-pal", "casi", "tavolo", "esporta")
FILTRI = (
    "",
    "anno=2025",
    "anno=2024",
    "anno=2025&prov=MI",
    "anno=2025&prov=BG,BS",
    "anno=2024&prov=VA,CO,LC",
    "anno=2025&tipo=CIGS_MIN",
    "anno=2025&prov=MN&tipo=CIGS_MIN,LIC",
)

# Outcomes of a run.
OK = "ok"
ECCEZIONE = "eccezione"  # an exception element (traceback box) or a compile error
ERRORE = "errore"  # one of the app's own error boxes (st.error)
BLOCCATO = "bloccato"  # no script_finished within the timeout: a frozen run
NON_TROVATA = "non_trovata"  # the server does not know the page
DISCONNESSO = "disconnesso"  # the websocket closed during the run
ESITI_FALLITI = (ECCEZIONE, ERRORE, BLOCCATO, NON_TROVATA, DISCONNESSO)


@dataclass
class EsitoRun:
    """What one page run produced, as a browser would have shown it."""

    pagina: str
    query: str
    stato: str
    secondi: float
    eccezioni: list[str] = field(default_factory=list)
    errori: list[str] = field(default_factory=list)
    avvisi: list[str] = field(default_factory=list)
    titoli: list[str] = field(default_factory=list)
    elementi: int = 0
    run: int = 0  # script runs the request took (a st.rerun() inside the page adds one)

    @property
    def riuscito(self) -> bool:
        """True when the run finished without exceptions or error boxes."""
        return self.stato == OK

    def descrizione(self) -> str:
        """One line for logs and assertion messages."""
        dettaglio = "; ".join(self.eccezioni + self.errori)[:300]
        return f"{self.pagina}?{self.query} {self.stato} in {self.secondi:.2f} s {dettaglio}".rstrip()


class ErroreSessione(RuntimeError):
    """The websocket could not be opened or was closed by the server."""


class SessioneStreamlit:
    """One browser tab on a Streamlit app: connect, open pages with a query string, close."""

    def __init__(
        self,
        url: str,
        timeout_s: float = 60.0,
        interrompi: threading.Event | None = None,
        locale: str = "it-IT",
        fuso: str = "Europe/Rome",
    ) -> None:
        parti = urlsplit(url.rstrip("/"))
        schema_ws = "wss" if parti.scheme == "https" else "ws"
        self.url = url.rstrip("/")
        self.url_ws = f"{schema_ws}://{parti.netloc}{parti.path}/_stcore/stream"
        self.origine = f"{parti.scheme}://{parti.netloc}"
        self.timeout_s = timeout_s
        self.interrompi = interrompi  # set by someone else (e.g. a health probe that saw a stall): stop waiting
        self.locale, self.fuso = locale, fuso
        self.hash_pagine: dict[str, str] = {}  # url path -> page script hash, from the navigation message
        self.pagina_corrente: str | None = None
        self._ws: ClientConnection | None = None
        self._pila: contextlib.ExitStack | None = None

    def __enter__(self) -> SessioneStreamlit:
        self.connetti()
        return self

    def __exit__(self, *_: object) -> None:
        self.chiudi()

    @property
    def connessa(self) -> bool:
        """True while the websocket is open."""
        return self._ws is not None

    def connetti(self, timeout_s: float = 10.0) -> None:
        """Open the websocket as the frontend does (subprotocol 'streamlit', same-origin)."""
        pila = contextlib.ExitStack()  # connect() is used as a context manager, kept open until chiudi()
        try:
            self._ws = pila.enter_context(
                connect(
                    self.url_ws,
                    subprotocols=["streamlit"],  # type: ignore[list-item]
                    origin=self.origine,  # type: ignore[arg-type]
                    open_timeout=timeout_s,
                    close_timeout=2,
                    max_size=None,
                    ping_interval=None,
                )
            )
        except (OSError, TimeoutError, ConnectionClosed) as exc:
            raise ErroreSessione(f"websocket {self.url_ws} non raggiungibile: {exc}") from exc
        self._pila = pila

    def chiudi(self) -> None:
        """Close the websocket (the server ends the session)."""
        if self._pila is not None:
            with contextlib.suppress(Exception):
                self._pila.close()
        self._ws, self._pila = None, None

    def apri(self, pagina: str, query: str | Mapping[str, str] = "") -> EsitoRun:
        """Run a page (its url path, '' for the default) with a query string; wait for the run to end."""
        if self._ws is None:
            self.connetti()
        testo_query = query if isinstance(query, str) else urlencode(query)
        testo_query = testo_query.lstrip("?")
        msg = BackMsg()
        stato = msg.rerun_script
        stato.query_string = testo_query
        stato.page_name = pagina
        # Like the frontend: the page's script hash once the navigation message made it known, else its url path.
        stato.page_script_hash = self.hash_pagine.get(pagina, "")
        stato.context_info.locale = self.locale
        stato.context_info.timezone = self.fuso
        stato.context_info.url = f"{self.url}/{pagina}" + (f"?{testo_query}" if testo_query else "")
        esito = EsitoRun(pagina=pagina, query=testo_query, stato=OK, secondi=0.0)
        inizio = time.perf_counter()
        try:
            self._ws.send(msg.SerializeToString())  # type: ignore[union-attr]
            self._leggi_run(esito, inizio + self.timeout_s)
        except TimeoutError:
            esito.stato = BLOCCATO
        except ConnectionClosed as exc:
            esito.stato = DISCONNESSO
            esito.errori.append(f"websocket chiuso: {exc}")
            self.chiudi()
        esito.secondi = time.perf_counter() - inizio
        if esito.stato == OK and esito.eccezioni:
            esito.stato = ECCEZIONE
        elif esito.stato == OK and esito.errori:
            esito.stato = ERRORE
        self.pagina_corrente = pagina
        return esito

    def _leggi_run(self, esito: EsitoRun, scadenza: float) -> None:
        """Read messages until the run that our request started has finished."""
        iniziato = False  # messages before our run's new_session belong to an older run
        while True:
            resto = scadenza - time.perf_counter()
            if resto <= 0 or (self.interrompi is not None and self.interrompi.is_set()):
                raise TimeoutError
            try:
                dati = self._ws.recv(timeout=min(resto, 1.0))  # type: ignore[union-attr]
            except TimeoutError:
                continue
            if isinstance(dati, str):
                continue
            fwd = ForwardMsg()
            fwd.ParseFromString(dati)
            tipo = fwd.WhichOneof("type")
            if tipo == "new_session":
                iniziato = True
                esito.run += 1
                esito.eccezioni.clear()
                esito.errori.clear()
                esito.avvisi.clear()
                esito.titoli.clear()
                esito.elementi = 0
            elif tipo == "navigation":
                self.hash_pagine.update({p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages})
            elif tipo == "page_not_found":
                esito.stato = NON_TROVATA
                esito.errori.append(f"pagina non trovata: {fwd.page_not_found.page_name}")
            elif tipo == "delta" and iniziato:
                self._leggi_delta(fwd, esito)
            elif tipo == "session_event" and fwd.session_event.HasField("script_compilation_exception"):
                exc = fwd.session_event.script_compilation_exception
                esito.eccezioni.append(f"{exc.type}: {exc.message}")
            elif tipo == "script_finished" and iniziato:
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    iniziato = False  # st.rerun(): the next run's new_session follows
                    continue
                if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR and not esito.eccezioni:
                    esito.eccezioni.append("errore di compilazione dello script")
                return

    @staticmethod
    def _leggi_delta(fwd: ForwardMsg, esito: EsitoRun) -> None:
        if not fwd.delta.HasField("new_element"):
            return
        el = fwd.delta.new_element
        esito.elementi += 1
        tipo = el.WhichOneof("type")
        if tipo == "exception":
            testo = f"{el.exception.type}: {el.exception.message}"
            (esito.avvisi if el.exception.is_warning else esito.eccezioni).append(testo)
        elif tipo == "alert" and el.alert.format == Alert.ERROR:
            esito.errori.append(el.alert.body)
        elif tipo == "alert" and el.alert.format == Alert.WARNING:
            esito.avvisi.append(el.alert.body)
        elif tipo == "heading" and el.heading.tag == "h1":
            esito.titoli.append(el.heading.body)


def salute(url: str, timeout_s: float = 1.0) -> float | None:
    """Seconds `/_stcore/health` took to answer 'ok', or None if it did not within the timeout."""
    inizio = time.perf_counter()
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/_stcore/health", timeout=timeout_s) as resp:
            if resp.status == 200 and resp.read().strip() == b"ok":
                return time.perf_counter() - inizio
    except (urllib.error.URLError, OSError, TimeoutError):
        pass
    return None


class SondaSalute(threading.Thread):
    """Probes `/_stcore/health` every `intervallo_s` with a timeout; tells a stall (a freeze) from a slow answer.

    A probe that does not answer within `timeout_s` is a miss. On a loaded machine a single miss can be CPU
    contention; a server whose event loop is stuck never answers again, so `stallo_s` seconds of misses in a row
    are a stall, and `ferma` (if given) is set so that the sessions stop waiting.
    """

    def __init__(
        self,
        url: str,
        timeout_s: float = 1.0,
        intervallo_s: float = 0.5,
        stallo_s: float = 5.0,
        ferma: threading.Event | None = None,
    ) -> None:
        super().__init__(daemon=True, name="sonda-salute")
        self.url, self.timeout_s, self.intervallo_s, self.stallo_s = url, timeout_s, intervallo_s, stallo_s
        self.ferma = ferma
        self.latenze: list[float] = []
        self.mancate: list[float] = []  # monotonic times of the probes that did not answer in time
        self.stallo_da: float | None = None  # start of the first stall
        self.stallo_max_s = 0.0
        self._fine = threading.Event()

    def run(self) -> None:
        """Probe until `fine()`."""
        prima_mancata: float | None = None
        while not self._fine.is_set():
            t = time.monotonic()
            latenza = salute(self.url, self.timeout_s)
            if latenza is None:
                self.mancate.append(t)
                prima_mancata = t if prima_mancata is None else prima_mancata
                durata = time.monotonic() - prima_mancata
                self.stallo_max_s = max(self.stallo_max_s, durata)
                if durata >= self.stallo_s and self.stallo_da is None:
                    self.stallo_da = prima_mancata
                    if self.ferma is not None:
                        self.ferma.set()
            else:
                self.latenze.append(latenza)
                prima_mancata = None
            self._fine.wait(max(0.0, self.intervallo_s - (time.monotonic() - t)))

    def fine(self) -> None:
        """Stop probing and wait for the thread."""
        self._fine.set()
        self.join(timeout=self.timeout_s + 2)

    def riepilogo(self) -> dict[str, float | int | None]:
        """Probes, misses, worst latency, longest run of misses."""
        return {
            "sonde": len(self.latenze) + len(self.mancate),
            "mancate": len(self.mancate),
            "latenza_max_s": round(max(self.latenze), 3) if self.latenze else None,
            "latenza_p95_s": round(_percentile(self.latenze, 95), 3) if self.latenze else None,
            "stallo_max_s": round(self.stallo_max_s, 1),
        }


def _percentile(valori: Sequence[float], p: float) -> float:
    ordinati = sorted(valori)
    if not ordinati:
        return float("nan")
    k = (len(ordinati) - 1) * p / 100
    basso, alto = int(k), min(int(k) + 1, len(ordinati) - 1)
    return ordinati[basso] + (ordinati[alto] - ordinati[basso]) * (k - basso)


@dataclass
class Risultato:
    """The outcome of a load: every run, the health probe, the wall time."""

    esiti: list[EsitoRun]
    salute: dict[str, float | int | None]
    secondi: float
    stallo: bool
    carico_medio: tuple[float, float] = (0.0, 0.0)  # 1-minute load average at start and end

    @property
    def falliti(self) -> list[EsitoRun]:
        """Runs that froze, errored or showed an exception."""
        return [e for e in self.esiti if e.stato in ESITI_FALLITI]

    @property
    def bloccati(self) -> list[EsitoRun]:
        """Runs that never finished."""
        return [e for e in self.esiti if e.stato == BLOCCATO]

    def riepilogo(self) -> dict[str, object]:
        """Figures of the load: p50/p95 page time, runs per second, failures, health."""
        finiti = [e.secondi for e in self.esiti if e.stato not in (BLOCCATO, DISCONNESSO)]
        per_pagina = {}
        for pagina in sorted({e.pagina for e in self.esiti}):
            tempi = [e.secondi for e in self.esiti if e.pagina == pagina and e.stato not in (BLOCCATO, DISCONNESSO)]
            per_pagina[pagina] = {
                "run": len(tempi),
                "p50_s": round(_percentile(tempi, 50), 3) if tempi else None,
                "p95_s": round(_percentile(tempi, 95), 3) if tempi else None,
            }
        conteggi: dict[str, int] = {}
        for e in self.esiti:
            conteggi[e.stato] = conteggi.get(e.stato, 0) + 1
        return {
            "run": len(self.esiti),
            "run_al_secondo": round(len(finiti) / self.secondi, 2) if self.secondi else 0.0,
            "p50_s": round(_percentile(finiti, 50), 3) if finiti else None,
            "p95_s": round(_percentile(finiti, 95), 3) if finiti else None,
            "esiti": conteggi,
            "bloccati": len(self.bloccati),
            "stallo": self.stallo,
            "salute": self.salute,
            "carico_medio": self.carico_medio,
            "pagine": per_pagina,
        }


def carico(
    url: str,
    sessioni: int,
    durata_s: float,
    pausa_s: float = 1.0,
    pagine: Sequence[str] = PAGINE,
    filtri: Sequence[str] = FILTRI,
    timeout_s: float = 60.0,
    stallo_s: float = 30.0,
    salute_timeout_s: float = 1.0,
    seme: int = 14,
    ogni_esito: Callable[[EsitoRun], None] | None = None,
) -> Risultato:
    """Run `sessioni` browser-like users for `durata_s` seconds, each walking every page with a filter set.

    Each user opens a new tab (session) with one of `filtri` as its link, visits every page in its own order
    with a think time of `pausa_s` ±50% between clicks, then starts again in a new tab with the next filter set.
    The health probe runs throughout; a stall (the server stopped answering) ends the load early.
    """
    esiti: list[EsitoRun] = []
    blocco = threading.Lock()
    ferma = threading.Event()
    sonda = SondaSalute(url, timeout_s=salute_timeout_s, stallo_s=stallo_s, ferma=ferma)
    scadenza = time.monotonic() + durata_s

    def utente(n: int) -> None:
        caso = random.Random(seme * 1000 + n)
        giro = 0
        time.sleep(caso.uniform(0, min(pausa_s, 2.0)))  # users do not all click in the same millisecond
        while time.monotonic() < scadenza and not ferma.is_set():
            query = filtri[(n + giro) % len(filtri)]
            ordine = list(pagine)
            caso.shuffle(ordine)
            sessione = SessioneStreamlit(url, timeout_s=timeout_s, interrompi=ferma)
            try:
                sessione.connetti()
            except ErroreSessione as exc:
                esito = EsitoRun(pagina=ordine[0], query=query, stato=DISCONNESSO, secondi=0.0, errori=[str(exc)])
                with blocco:
                    esiti.append(esito)
                ferma.wait(1.0)
                continue
            try:
                for pagina in ordine:
                    if time.monotonic() >= scadenza or ferma.is_set():
                        break
                    esito = sessione.apri(pagina, query)
                    with blocco:
                        esiti.append(esito)
                    if ogni_esito is not None:
                        ogni_esito(esito)
                    if esito.stato in (BLOCCATO, DISCONNESSO):
                        break  # that tab is gone: the user opens a new one
                    ferma.wait(caso.uniform(0.5 * pausa_s, 1.5 * pausa_s))
            finally:
                sessione.chiudi()
            giro += 1

    carico_inizio = os.getloadavg()[0]
    sonda.start()
    inizio = time.monotonic()
    utenti = [threading.Thread(target=utente, args=(n,), daemon=True, name=f"utente-{n}") for n in range(sessioni)]
    for t in utenti:
        t.start()
    for t in utenti:
        # A user finishes its current run (at most timeout_s) after the deadline, unless the server stalled.
        t.join(timeout=max(0.0, scadenza - time.monotonic()) + timeout_s + 5)
    secondi = time.monotonic() - inizio
    sonda.fine()
    with blocco:
        copia = list(esiti)
    return Risultato(
        copia, sonda.riepilogo(), secondi, sonda.stallo_da is not None, (carico_inizio, os.getloadavg()[0])
    )


def porta_libera() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server_streamlit(
    db_url: str,
    log_path: Path,
    porta: int | None = None,
    avvio_s: float = 60.0,
    env: Mapping[str, str] | None = None,
    opzioni: Sequence[str] = (),
) -> Iterator[str]:
    """Run `streamlit run dashboard/app.py` on loopback until the block ends; yield its base URL."""
    porta = porta or porta_libera()
    ambiente = {
        **os.environ,
        "CRUSCOTTO_DB_URL": db_url,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={porta}",
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        "--browser.gatherUsageStats=false",
        *opzioni,
    ]
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=ambiente, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{porta}"
    try:
        scadenza = time.monotonic() + avvio_s
        while salute(url, 2.0) is None:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit è uscito con codice {proc.returncode}: vedi {log_path}")
            if time.monotonic() > scadenza:
                raise RuntimeError(f"streamlit non risponde su {url} dopo {avvio_s:.0f} s: vedi {log_path}")
            time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def riscalda(url: str, pagine: Sequence[str] = PAGINE, filtri: Sequence[str] = ("",)) -> list[EsitoRun]:
    """Open every page once per filter set in one session, so that caches are warm before a measure."""
    esiti = []
    for query in filtri:
        with SessioneStreamlit(url, timeout_s=180) as s:
            esiti.extend(s.apri(p, query) for p in pagine)
    return esiti


def _stampa(r: Risultato, sessioni: int, pausa_s: float) -> None:
    sommario = r.riepilogo()
    s = sommario["salute"]
    print(f"\n{sessioni} sessioni, pausa {pausa_s:g} s, {r.secondi:.0f} s; carico medio {r.carico_medio[0]:.1f} → "
          f"{r.carico_medio[1]:.1f}")  # fmt: skip
    print(f"run: {sommario['run']}  run/s: {sommario['run_al_secondo']}  p50: {sommario['p50_s']} s  "
          f"p95: {sommario['p95_s']} s  esiti: {sommario['esiti']}")  # fmt: skip
    print(f"salute: {s['sonde']} sonde, {s['mancate']} senza risposta entro 1 s, latenza max {s['latenza_max_s']} s, "
          f"stallo più lungo {s['stallo_max_s']} s{' — SERVER FERMO' if r.stallo else ''}")  # fmt: skip
    print(f"{'pagina':<12} {'run':>5} {'p50 s':>8} {'p95 s':>8}")
    for pagina, v in sommario["pagine"].items():  # type: ignore[union-attr]
        print(f"{'/' + pagina:<12} {v['run']:>5} {v['p50_s'] or '-':>8} {v['p95_s'] or '-':>8}")
    for e in r.falliti[:10]:
        print(f"  FALLITO {e.descrizione()}")


def main(argv: Sequence[str] | None = None) -> int:
    """The load CLI: N sessions for a duration, printing the figures; exit 1 on frozen or failed runs."""
    parser = argparse.ArgumentParser(description="Carico di sessioni Streamlit simulate sul cruscotto.")
    dove = parser.add_mutually_exclusive_group(required=True)
    dove.add_argument("--url", help="indirizzo di un cruscotto già avviato, es. http://127.0.0.1:8501")
    dove.add_argument("--db", help="database (file SQLite o URL SQLAlchemy): avvia qui `streamlit run`")
    parser.add_argument("--porta", type=int, help="porta del server avviato con --db (predefinita: una libera)")
    parser.add_argument("--sessioni", type=int, nargs="+", default=[10], help="utenti contemporanei (anche più valori)")
    parser.add_argument("--pausa", type=float, nargs="+", default=[1.0], help="secondi tra un clic e l'altro")
    parser.add_argument("--durata", type=float, default=60.0, help="secondi di ogni carico")
    parser.add_argument("--pagine", nargs="+", default=list(PAGINE), help="url delle pagine da visitare")
    parser.add_argument("--filtri", nargs="+", default=list(FILTRI), help="query string dei filtri condivisi")
    parser.add_argument("--timeout", type=float, default=60.0, help="secondi oltre i quali un run è bloccato")
    parser.add_argument("--stallo", type=float, default=30.0,
                        help="secondi senza risposta di /_stcore/health (entro 1 s) che fermano il carico")  # fmt: skip
    parser.add_argument("--json", type=Path, help="scrivi qui i risultati (un oggetto per carico)")
    parser.add_argument("--log-server", type=Path, default=Path("var/streamlit_ws_server.log"))
    args = parser.parse_args(argv)

    with contextlib.ExitStack() as stack:
        if args.db:
            db_url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).resolve()}"
            args.log_server.parent.mkdir(parents=True, exist_ok=True)
            url = stack.enter_context(server_streamlit(db_url, args.log_server, args.porta))
        else:
            url = args.url.rstrip("/")
        print(f"riscaldamento di {url}…", flush=True)
        for e in riscalda(url, args.pagine):
            if not e.riuscito:
                print(f"  riscaldamento: {e.descrizione()}")
        risultati, fallito = [], False
        for n in args.sessioni:
            for pausa in args.pausa:
                r = carico(url, n, args.durata, pausa, args.pagine, args.filtri, args.timeout, args.stallo)
                _stampa(r, n, pausa)
                risultati.append({"sessioni": n, "pausa_s": pausa, **r.riepilogo(),
                                  "falliti": [asdict(e) for e in r.falliti[:50]]})  # fmt: skip
                fallito = fallito or bool(r.falliti) or r.stallo
                if r.stallo:
                    break
            if fallito and risultati[-1]["stallo"]:
                break
        if args.json:
            args.json.write_text(json.dumps(risultati, indent=2, ensure_ascii=False), encoding="utf-8")
    return 1 if fallito else 0


if __name__ == "__main__":
    sys.exit(main())
