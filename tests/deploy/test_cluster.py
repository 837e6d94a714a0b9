"""The production topology on loopback: PostgreSQL, PgBouncer, two replicas and HAProxy with the deploy/ configs.

Browser-like tabs (`bench/scheda.py`) go through the balancer: pages, media and downloads work, a replica killed
under load moves only its own users to the other replica (after one Italian notice), and an unreachable database
gives the Italian message and then recovers without restarting anything.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from bench.cluster import Cluster, ClusterNonAvviato, Porte
from bench.scheda import COOKIE_REPLICA, ErroreFile, SchedaBrowser
from bench.streamlit_ws import OK, PAGINE, ErroreSessione, EsitoRun, riscalda
from dashboard.components import AVVISO_RIPRESA

pytestmark = pytest.mark.postgres

UTENTI = 5
DURATA_S = 20.0
PAUSA_S = 1.0
MIN_RUN = 3  # page runs each user makes at least, however slow the machine (the duration is a minimum, too)
FILTRI = ("anno=2025", "anno=2025&prov=MI", "anno=2024&prov=BG,BS", "anno=2025&tipo=CIGS_MIN", "anno=2025&prov=VA")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """The cluster on free loopback ports, for the module."""
    c = Cluster(Porte.libere(2))
    try:
        c.avvia()
        for i in range(2):  # first imports and caches outside the tests' load
            riscalda(c.url_replica(i), pagine=("", "step-pal"))
    except ClusterNonAvviato as exc:
        c.ferma()
        pytest.fail(f"the cluster did not start: {exc}", pytrace=False)
    yield c
    c.ferma()


@dataclass
class Utente:
    """One simulated user: a tab walking the pages with its filters; what it saw."""

    numero: int
    url: str
    esiti: list[EsitoRun] = field(default_factory=list)
    replica_iniziale: str | None = None
    riconnessioni: int = 0
    errori: list[str] = field(default_factory=list)
    scheda: SchedaBrowser | None = None

    def cammina(self, fine: threading.Event, scadenza: float) -> None:
        """Open pages in turn until the deadline (or `fine`); reconnect once per dropped websocket."""
        self.scheda = SchedaBrowser(self.url, timeout_s=90)
        query = FILTRI[self.numero % len(FILTRI)]
        try:
            self.scheda.connetti()
            self.replica_iniziale = self.scheda.replica
            giro = 0
            while (time.monotonic() < scadenza or len(self.esiti) < MIN_RUN) and not fine.is_set():
                pagina = PAGINE[(self.numero + giro) % len(PAGINE)]
                esito = self.scheda.apri(pagina, query)
                if not self.scheda.connessa:  # the replica died under this tab: reconnect, run the page again
                    self.riconnessioni += 1
                    self._riconnetti()
                    esito = self.scheda.apri(pagina, query)
                self.esiti.append(esito)
                self.scheda.scarica_media()
                giro += 1
                fine.wait(PAUSA_S)
        except (ErroreSessione, ErroreFile) as exc:
            self.errori.append(str(exc))
        finally:
            self.scheda.chiudi()

    def _riconnetti(self) -> None:
        assert self.scheda is not None
        errore = None
        for tentativo in range(20):
            try:
                self.scheda.connetti()
                return
            except ErroreSessione as exc:
                errore = exc
                time.sleep(0.5 + 0.25 * tentativo)
        raise ErroreSessione(f"riconnessione fallita: {errore}")


def _carico(url: str, durata_s: float, durante=None) -> list[Utente]:
    """Run the users for `durata_s`; `durante(utenti)` runs in this thread once every user has had a first page."""
    utenti = [Utente(n, url) for n in range(UTENTI)]
    fine = threading.Event()
    scadenza = time.monotonic() + durata_s
    fili = [threading.Thread(target=u.cammina, args=(fine, scadenza), daemon=True) for u in utenti]
    for f in fili:
        f.start()
    if durante is not None:
        attesa = time.monotonic() + 60
        while time.monotonic() < attesa and not all(u.esiti for u in utenti):
            time.sleep(0.2)
        durante(utenti)
    for f in fili:
        f.join(timeout=durata_s + 300)
    fine.set()
    assert not any(f.is_alive() for f in fili), "a simulated user never finished"
    return utenti


def _eventi_haproxy(cluster: Cluster) -> str:
    """HAProxy's log lines about replicas going down or up, for failure messages."""
    testo = (cluster.cartella / "haproxy.log").read_text(encoding="utf-8", errors="replace")
    return "\n".join(r for r in testo.splitlines() if "is DOWN" in r or "is UP" in r)


def _falliti(utenti: list[Utente]) -> list[str]:
    return [f"utente {u.numero}: {e.descrizione()}" for u in utenti for e in u.esiti if e.stato != OK] + [
        f"utente {u.numero}: {err}" for u in utenti for err in u.errori
    ]


def test_configurazioni_valide(cluster: Cluster) -> None:
    """HAProxy accepts deploy/haproxy.cfg; the replicas run the production config (no file watcher)."""
    assert cluster.haproxy is not None and cluster.haproxy.poll() is None
    log = (cluster.cartella / "replica1.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log


def test_utenti_attraverso_il_bilanciatore(cluster: Cluster) -> None:
    """Five users for ~20 s through HAProxy: every page run ends without errors, on both replicas, media served."""
    utenti = _carico(cluster.url, DURATA_S)
    assert _falliti(utenti) == []
    esiti = [e for u in utenti for e in u.esiti]
    assert {e.pagina for e in esiti} == set(PAGINE)
    assert all(e.titoli for e in esiti if e.pagina == "step-pal"), "Step PAL without its title"
    # New sessions are spread over both replicas, and each tab stays on its own (the cookie does not change).
    assert {u.replica_iniziale for u in utenti} == {"r1", "r2"}
    cambiati = [(u.numero, u.replica_iniziale, u.scheda and u.scheda.replica, u.riconnessioni) for u in utenti]
    cambiati = [c for c in cambiati if c[1] != c[2]]
    assert cambiati == [], f"tabs moved to another replica: {cambiati}\n{_eventi_haproxy(cluster)}"
    assert all(u.scheda is not None and u.scheda.media_scaricati for u in utenti), "the logo was not fetched"


def test_download_attraverso_il_bilanciatore(cluster: Cluster) -> None:
    """Esporta dati through HAProxy: the CSV for Italian Excel is served by the replica that built it."""
    scheda = SchedaBrowser(cluster.url, timeout_s=90)
    scheda.connetti()
    try:
        # Filters no simulated user has: the same file (same content, same URL) exists nowhere else.
        esito = scheda.apri("esporta", "anno=2024&prov=PV&dataset=procedure")
        assert esito.stato == OK, esito.descrizione()
        assert len(scheda.download) == 3, scheda.download
        file = scheda.scarica(scheda.download[0])
        testo = file.contenuto.decode("utf-8-sig")
        intestazione = testo.splitlines()[0]
        assert intestazione.startswith('"Anno";"Tipo di procedura"'), intestazione
        assert ";PV;" in testo.replace('"', "") and "Pavia" in testo
        # Without the affinity cookie the balancer may send the request to the other replica, which does not have it.
        altra = SchedaBrowser(cluster.url_replica(1 if scheda.replica == "r1" else 0))
        with pytest.raises(ErroreFile, match="404"):
            altra.get(file.percorso)  # the deferred file's own URL, asked of the replica that did not build it
    finally:
        scheda.chiudi()


def test_replica_uccisa_sotto_carico(cluster: Cluster) -> None:
    """A replica killed under load: its users reconnect to the other after one Italian notice; others see nothing."""
    uccisa: dict[str, str] = {}

    def uccidi(utenti: list[Utente]) -> None:
        vittima = utenti[0].replica_iniziale or "r1"
        uccisa["cookie"] = vittima
        cluster.uccidi_replica(0 if vittima == "r1" else 1)

    try:
        utenti = _carico(cluster.url, DURATA_S, durante=uccidi)
    finally:
        indice = 0 if uccisa.get("cookie") == "r1" else 1
        if indice not in cluster.pid_repliche():
            cluster.avvia_replica(indice)
    assert _falliti(utenti) == []
    colpiti = [u for u in utenti if u.replica_iniziale == uccisa["cookie"]]
    salvi = [u for u in utenti if u.replica_iniziale != uccisa["cookie"]]
    assert colpiti and salvi, f"users not on both replicas: {[u.replica_iniziale for u in utenti]}"
    for u in colpiti:
        assert u.riconnessioni == 1, f"utente {u.numero}: {u.riconnessioni} reconnections"
        assert u.scheda is not None and u.scheda.replica != uccisa["cookie"]
        assert u.scheda.avvisi_ripresa == 1, f"utente {u.numero}: {u.scheda.avvisi_ripresa} notices"
        assert any(e.stato == OK for e in u.esiti[-2:])
    for u in salvi:
        assert u.riconnessioni == 0 and u.scheda is not None and u.scheda.avvisi_ripresa == 0
    assert AVVISO_RIPRESA.startswith("Il collegamento con il server")


def _pagina_nuova(cluster: Cluster, query: str) -> EsitoRun:
    """The tavoli dataset of Esporta dati for provinces no other test asks for (not in the cache), in a new tab."""
    scheda = SchedaBrowser(cluster.url, timeout_s=90)
    try:
        scheda.connetti()
        return scheda.apri("esporta", f"{query}&dataset=tavoli")
    finally:
        scheda.chiudi()


def _attendi_ok(cluster: Cluster, query: str, entro_s: float = 60) -> EsitoRun:
    scadenza = time.monotonic() + entro_s
    while True:
        esito = _pagina_nuova(cluster, query)
        if esito.stato == OK or time.monotonic() > scadenza:
            return esito
        time.sleep(1)


@pytest.mark.parametrize("guasto", ["pgbouncer", "postgres"])
def test_database_non_raggiungibile_poi_ripresa(cluster: Cluster, guasto: str) -> None:
    """PgBouncer or PostgreSQL down: the page says so in Italian; once it is back, pages work without any restart."""
    pid_prima = cluster.pid_repliche()
    query = "anno=2024&prov=CR,LO" if guasto == "pgbouncer" else "anno=2024&prov=SO,MN"
    if guasto == "pgbouncer":
        cluster.ferma_pgbouncer()
    else:
        cluster.ferma_postgres()
    try:
        esito = _pagina_nuova(cluster, query)
        assert esito.stato == "errore", esito.descrizione()
        assert any("Dati non disponibili" in t and "database" in t for t in esito.errori), esito.errori
        assert not esito.eccezioni
    finally:
        if guasto == "pgbouncer":
            cluster.avvia_pgbouncer()
        else:
            cluster.avvia_postgres_fermo()
    esito = _attendi_ok(cluster, query)
    assert esito.stato == OK, esito.descrizione()
    assert esito.titoli == ["Esporta dati"], esito.titoli
    assert cluster.pid_repliche() == pid_prima, "a replica was restarted"
    assert COOKIE_REPLICA == "CRUSCOTTO_REPLICA"
