"""A browser tab through a load balancer: cookies, downloads, media, and reconnection to another replica.

`SchedaBrowser` extends the websocket session of `bench/streamlit_ws.py` with what a browser does around it and a
balancer depends on: it loads the page first (HAProxy's affinity cookie and Streamlit's XSRF cookie), sends the
cookies with the websocket and every HTTP request, fetches the media files a run references (logo, images) and
the files of deferred downloads, and on reconnecting sends its previous session id as the frontend does, so the
app can tell a tab that moved to a new session.
"""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import re
import select
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.exceptions import ConnectionClosedError

from bench.streamlit_ws import ErroreSessione, EsitoRun, SessioneStreamlit
from dashboard.components import AVVISO_RIPRESA

COOKIE_REPLICA = "CRUSCOTTO_REPLICA"  # deploy/haproxy.cfg
COOKIE_XSRF = "_streamlit_xsrf"
_MEDIA = re.compile(rb"/media/[0-9a-f]{16,}\.[a-z0-9]{2,5}")
_AVVISO = AVVISO_RIPRESA.encode("utf-8")


@dataclass
class File:
    """A file fetched over HTTP: its path, status, size, the replica cookie of the answer and the time taken."""

    percorso: str
    stato: int
    byte: int
    secondi: float
    contenuto: bytes = field(default=b"", repr=False)


class ErroreFile(RuntimeError):
    """A media or download URL did not answer 200."""


class _Connessione:
    """What SessioneStreamlit uses of a websocket connection (send, recv with a timeout, close), on websocket-client.

    websocket-client reads from a plain blocking socket in the caller's thread, so it runs unchanged under Locust's
    gevent; the `websockets` client reads in a background thread, which under gevent can abort the process
    (libev: "I/O watcher with invalid fd") when a replica dies mid-frame.
    """

    def __init__(self, ws: websocket.WebSocket) -> None:
        self._ws = ws

    def send(self, dati: bytes) -> None:
        """Send a binary frame."""
        try:
            self._ws.send(dati, opcode=websocket.ABNF.OPCODE_BINARY)
        except (websocket.WebSocketException, OSError) as exc:
            raise ConnectionClosedError(None, None) from exc

    def recv(self, timeout: float | None = None) -> bytes | str:
        """The next data frame; TimeoutError if none starts within `timeout` (a frame is then read whole)."""
        if timeout is not None:
            # websocket-client reads exactly the bytes of the frame it needs, so nothing waits in its buffer.
            pronti, _, _ = select.select([self._ws.sock], [], [], timeout)
            if not pronti:
                raise TimeoutError
        try:
            codice, dati = self._ws.recv_data()
        except websocket.WebSocketTimeoutException as exc:
            raise TimeoutError from exc
        except (websocket.WebSocketException, OSError, AttributeError) as exc:  # AttributeError: socket already gone
            raise ConnectionClosedError(None, None) from exc
        if codice == websocket.ABNF.OPCODE_CLOSE:
            raise ConnectionClosedError(None, None)
        return dati if codice == websocket.ABNF.OPCODE_BINARY else dati.decode("utf-8")

    def close(self) -> None:
        """Close the connection."""
        self._ws.close(timeout=1)


class _Osservatore:
    """Wraps the websocket's recv to note what the base class does not keep: session id, media, downloads."""

    def __init__(self, ws, scheda: SchedaBrowser) -> None:
        self._ws, self._scheda = ws, scheda

    def __getattr__(self, nome: str):
        return getattr(self._ws, nome)

    def recv(self, *args, **kwargs):
        dati = self._ws.recv(*args, **kwargs)
        if isinstance(dati, bytes):
            self._scheda._osserva(dati)
        return dati


class SchedaBrowser(SessioneStreamlit):
    """One browser tab: cookies kept across the page load, the websocket and the HTTP requests; media fetched."""

    def __init__(self, url: str, timeout_s: float = 60.0, **kwargs) -> None:
        super().__init__(url, timeout_s=timeout_s, **kwargs)
        self.cookie = http.cookiejar.CookieJar()
        self._http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookie))
        self.id_sessione: str | None = None
        self.id_precedente: str | None = None
        self.media: set[str] = set()  # media paths referenced by the last run
        self.media_scaricati: set[str] = set()  # a browser fetches each media URL once
        self.download: list[str] = []  # download buttons of the last run: a media path, or a deferred file id
        self.risposte: dict[str, ForwardMsg] = {}
        self.avvisi_ripresa = 0

    def valore_cookie(self, nome: str) -> str | None:
        """The value of a cookie of this tab."""
        return next((c.value for c in self.cookie if c.name == nome), None)

    @property
    def replica(self) -> str | None:
        """The replica HAProxy's cookie pins this tab to (None when talking to a replica directly)."""
        return self.valore_cookie(COOKIE_REPLICA)

    def connetti(self, timeout_s: float = 10.0) -> None:
        """Load the page (cookies), then open the websocket with the cookies and the previous session id."""
        try:
            self.get("/", timeout_s)
        except ErroreFile as exc:
            raise ErroreSessione(f"pagina {self.url} non raggiungibile: {exc}") from exc
        # The frontend's positional entries: subprotocol, XSRF token, previous session id (omitted the first time).
        protocolli = ["streamlit", self.valore_cookie(COOKIE_XSRF) or "-"]
        if self.id_sessione:
            protocolli.append(self.id_sessione)
        self.id_precedente = self.id_sessione
        richiesta = urllib.request.Request(self.url_ws.replace("ws", "http", 1))
        self.cookie.add_cookie_header(richiesta)
        try:
            ws = websocket.create_connection(
                self.url_ws,
                timeout=self.timeout_s,
                subprotocols=protocolli,
                origin=self.origine,
                header=[f"Cookie: {richiesta.get_header('Cookie', '')}"],
            )
        except (OSError, TimeoutError, websocket.WebSocketException) as exc:
            raise ErroreSessione(f"websocket {self.url_ws} non raggiungibile: {exc}") from exc
        self._ws = _Osservatore(_Connessione(ws), self)  # type: ignore[assignment]

    def chiudi(self) -> None:
        """Close the websocket."""
        if self._ws is not None:
            with contextlib.suppress(Exception):  # closing a broken socket
                self._ws.close()
        self._ws = None

    def apri(self, pagina: str, query: str = "") -> EsitoRun:
        """Run a page; afterwards `media` and `download` hold what it referenced."""
        self.media, self.download = set(), []
        return super().apri(pagina, query)

    def _osserva(self, dati: bytes) -> None:
        for m in _MEDIA.findall(dati):
            self.media.add(m.decode())
        if _AVVISO in dati:
            self.avvisi_ripresa += 1
        fwd = ForwardMsg()
        fwd.ParseFromString(dati)
        tipo = fwd.WhichOneof("type")
        if tipo == "new_session" and fwd.new_session.HasField("initialize"):
            self.id_sessione = fwd.new_session.initialize.session_id
        elif tipo == "delta" and fwd.delta.HasField("new_element"):
            el = fwd.delta.new_element
            if el.WhichOneof("type") == "download_button":
                bottone = el.download_button
                self.download.append(bottone.url or bottone.deferred_file_id)
                self.media.discard(bottone.url)  # a browser fetches a download only when clicked
        elif tipo == "backend_operation_response":
            self.risposte[fwd.backend_operation_response.request_id] = fwd

    def get(self, percorso: str, timeout_s: float | None = None) -> File:
        """GET a path of the app with this tab's cookies; raise ErroreFile unless it answers 200."""
        inizio = time.perf_counter()
        try:
            with self._http.open(f"{self.url}{percorso}", timeout=timeout_s or self.timeout_s) as resp:
                contenuto = resp.read()
                stato = resp.status
        except urllib.error.HTTPError as exc:
            raise ErroreFile(f"GET {percorso}: HTTP {exc.code}") from exc
        except (urllib.error.URLError, http.client.HTTPException, OSError, TimeoutError) as exc:
            raise ErroreFile(f"GET {percorso}: {type(exc).__name__} {exc}") from exc
        return File(percorso, stato, len(contenuto), time.perf_counter() - inizio, contenuto)

    def scarica_media(self) -> list[File]:
        """Fetch the media of the last run not fetched before (as the browser's cache would)."""
        nuovi = sorted(self.media - self.media_scaricati)
        file = [self.get(m) for m in nuovi]
        self.media_scaricati.update(nuovi)
        return file

    def scarica(self, id_file: str, timeout_s: float | None = None) -> File:
        """Click a download button: fetch its file, asking the server to build it first if it is deferred."""
        if id_file.startswith("/media/"):
            return self.get(id_file, timeout_s)
        if self._ws is None:
            raise ErroreSessione("scheda non collegata")
        richiesta_id = f"scarica-{time.monotonic_ns()}"
        msg = BackMsg()
        msg.backend_operation_request.request_id = richiesta_id
        msg.backend_operation_request.session_id = self.id_sessione or ""
        msg.backend_operation_request.deferred_file.file_id = id_file
        inizio = time.perf_counter()
        self._ws.send(msg.SerializeToString())
        scadenza = inizio + (timeout_s or self.timeout_s)
        while richiesta_id not in self.risposte:
            if time.perf_counter() > scadenza:
                raise ErroreFile(f"download {id_file}: nessuna risposta")
            try:
                self._ws.recv(timeout=1.0)
            except TimeoutError:
                continue
        risposta = self.risposte.pop(richiesta_id).backend_operation_response
        if risposta.error_msg or not risposta.deferred_file.url:
            raise ErroreFile(f"download {id_file}: {risposta.error_msg or 'nessun URL'}")
        file = self.get(risposta.deferred_file.url)
        file.secondi = time.perf_counter() - inizio
        return file
