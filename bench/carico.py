"""`make load`: Locust users that behave like browser tabs, against one replica and against the balanced cluster.

Each user is a tab (`bench/scheda.py`): it opens the dashboard with a set of shared filters in the link, walks
the pages in its own order with a think time, fetches the media a page shows, now and then downloads a file
from Esporta dati, then opens a new tab with other filters. If its websocket drops (a replica died) it reconnects
through the same address, as the frontend does, and counts the Italian notice the app shows once.

It starts the cluster of `bench/cluster.py` (or uses one already running with --url), and prints for each
scenario: p50/p95/p99 page time, runs per second, errors by kind, and each replica's CPU and peak RSS (VmHWM).
Faults (--guasti): one replica killed, PostgreSQL restarted, PgBouncer stopped, while the users run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import gevent
import locust  # patches the standard library for gevent on import: before anything opens a socket
from locust import User, events
from locust.env import Environment
from locust.exception import StopUser

from data_access import ROOT

if str(ROOT) not in sys.path:  # bench/ and tests/ are not installed packages: the tree goes on the path
    sys.path.insert(0, str(ROOT))

from bench.cluster import PORTA_BASE, Cluster, Porte
from bench.scheda import ErroreFile, SchedaBrowser
from bench.streamlit_ws import BLOCCATO, DISCONNESSO, OK, PAGINE, ErroreSessione, EsitoRun, riscalda
from data_access.dominio import CODICI_TIPO, SIGLE

OUT = ROOT / "bench" / "out"
PAGINA_DOWNLOAD = "esporta"
DATASET = ("procedure", "step", "casi", "tavoli")
MSG_DB = "database"  # the app's Italian error box for an unreachable database mentions it


def combinazioni(seme: int = 23) -> list[str]:
    """Every distinct filter link a user can have (year x provinces x types), in a fixed random order."""
    province: list[tuple[str, ...]] = [()]
    for n in (1, 2, 3):
        province += list(itertools.combinations(SIGLE, n))
    tipi: list[tuple[str, ...]] = [()]
    for n in (1, 2):
        tipi += list(itertools.combinations(CODICI_TIPO, n))
    link = []
    for anno, prov, tipo in itertools.product((2025, 2024), province, tipi):
        parti = [f"anno={anno}"]
        if prov:
            parti.append("prov=" + ",".join(prov))
        if tipo:
            parti.append("tipo=" + ",".join(tipo))
        link.append("&".join(parti))
    random.Random(seme).shuffle(link)
    return link


@dataclass
class Registro:
    """What the users saw: every page run, downloads, reconnections and notices, filter links used."""

    esiti: list[tuple[float, EsitoRun]] = field(default_factory=list)  # (monotonic time, outcome)
    download: list[tuple[float, str]] = field(default_factory=list)  # (seconds, '' or the error)
    media: list[tuple[float, str]] = field(default_factory=list)
    riconnessioni: int = 0
    avvisi_ripresa: int = 0
    utenti_riconnessi: set[int] = field(default_factory=set)
    utenti_con_errori: set[int] = field(default_factory=set)
    filtri: set[str] = field(default_factory=set)


class UtenteCruscotto(User):
    """A browser tab on the dashboard; configured by the scenario through class attributes."""

    abstract = True
    pausa_s: float = 5.0
    registro: Registro
    link: Sequence[str] = ()
    nuovo_link: Callable[[random.Random], str] = staticmethod(lambda caso: "")
    ogni_download: int = 3  # one visit of Esporta dati in N downloads a file
    filtri_a_ogni_clic: bool = False  # True: every click changes the filters (the memory scenario)
    _contatore = itertools.count()

    def wait_time(self) -> float:
        """Think time between clicks: pausa ±50%."""
        return self.caso.uniform(0.5 * self.pausa_s, 1.5 * self.pausa_s)

    def on_start(self) -> None:
        """Open the first tab."""
        self.numero = next(self._contatore)
        self.caso = random.Random(self.numero)
        self.scheda: SchedaBrowser | None = None
        self.ordine: list[str] = []
        self.visite_esporta = 0

    def on_stop(self) -> None:
        """Close the tab."""
        if self.scheda is not None:
            self.scheda.chiudi()

    def _nuova_scheda(self) -> None:
        if self.scheda is not None:
            self.scheda.chiudi()
        self.query = self.nuovo_link(self.caso)
        self.registro.filtri.add(self.query)
        self.ordine = list(PAGINE)
        self.caso.shuffle(self.ordine)
        self.scheda = SchedaBrowser(self.host, timeout_s=60)
        self.scheda.connetti()

    def _evento(self, tipo: str, nome: str, secondi: float, errore: str | None) -> None:
        self.environment.events.request.fire(
            request_type=tipo,
            name=nome,
            response_time=secondi * 1000,
            response_length=0,
            exception=RuntimeError(errore) if errore else None,
            context={},
        )

    @locust.task
    def clic(self) -> None:
        """Open the next page of the walk (a new tab when the walk is over)."""
        try:
            if self.scheda is None or not self.ordine:
                self._nuova_scheda()
            assert self.scheda is not None
            pagina = self.ordine.pop()
            if self.filtri_a_ogni_clic:
                self.query = self.nuovo_link(self.caso)
                self.registro.filtri.add(self.query)
            query = self.query
            if pagina == PAGINA_DOWNLOAD:
                query += f"&dataset={self.caso.choice(DATASET)}"
            esito = self.scheda.apri(pagina, query)
            self._registra(esito)
            if esito.stato in (DISCONNESSO, BLOCCATO):
                self._riconnetti(pagina, query)
                return
            self._media()
            if pagina == PAGINA_DOWNLOAD and esito.stato == OK:
                self.visite_esporta += 1
                if self.visite_esporta % self.ogni_download == 1 and self.scheda.download:
                    self._scarica()
        except ErroreSessione as exc:
            self._evento("scheda", "connessione", 0.0, f"connessione: {exc}")
            self.registro.utenti_con_errori.add(self.numero)
            self.scheda = None
            gevent.sleep(1.0)
        except StopUser:
            raise

    def _registra(self, esito: EsitoRun) -> None:
        self.registro.esiti.append((time.monotonic(), esito))
        errore = None
        if esito.stato != OK:
            dettaglio = "; ".join(esito.eccezioni + esito.errori)
            tipo = "database non raggiungibile" if MSG_DB in dettaglio.lower() else esito.stato
            errore = f"{tipo}: {dettaglio[:160]}"
            self.registro.utenti_con_errori.add(self.numero)
        self._evento("pagina", "/" + esito.pagina, esito.secondi, errore)

    def _riconnetti(self, pagina: str, query: str) -> None:
        """The websocket dropped: reconnect through the same address and run the page again."""
        assert self.scheda is not None
        self.registro.riconnessioni += 1
        self.registro.utenti_riconnessi.add(self.numero)
        prima = self.scheda.avvisi_ripresa
        for tentativo in range(10):
            try:
                self.scheda.connetti()
                break
            except ErroreSessione:
                gevent.sleep(0.5 * (tentativo + 1))
        else:
            self._evento("scheda", "riconnessione", 0.0, "riconnessione fallita")
            self.scheda = None
            return
        esito = self.scheda.apri(pagina, query)
        self._registra(esito)
        self.registro.avvisi_ripresa += self.scheda.avvisi_ripresa - prima

    def _media(self) -> None:
        assert self.scheda is not None
        try:
            for f in self.scheda.scarica_media():
                self.registro.media.append((f.secondi, ""))
        except ErroreFile as exc:
            self.registro.media.append((0.0, str(exc)))
            self._evento("file", "media", 0.0, str(exc))

    def _scarica(self) -> None:
        assert self.scheda is not None
        voce = self.caso.choice(self.scheda.download)
        try:
            f = self.scheda.scarica(voce)
            errore = "" if f.byte > 0 else "file vuoto"
            self.registro.download.append((f.secondi, errore))
            self._evento("file", "download", f.secondi, errore or None)
        except ErroreFile as exc:
            self.registro.download.append((0.0, str(exc)))
            self._evento("file", "download", 0.0, str(exc))


# --- measuring the replicas ---------------------------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used, from /proc."""
    try:
        campi = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(campi[11]) + int(campi[12])) / _TICK


def cpu_albero_s(pid: int) -> float | None:
    """CPU seconds of a server and its workers (PostgreSQL's backends): own, reaped children's, live children's."""
    try:
        campi = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    totale = sum(int(c) for c in campi[11:15]) / _TICK
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            figlio = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(figlio[1]) == pid:
            totale += (int(figlio[11]) + int(figlio[12])) / _TICK
    return totale


def memoria_mb(pid: int) -> dict[str, float]:
    """VmHWM (peak RSS of this process alone) and VmRSS, in MB."""
    valori: dict[str, float] = {}
    try:
        for riga in Path(f"/proc/{pid}/status").read_text().splitlines():
            chiave, _, resto = riga.partition(":")
            if chiave in ("VmHWM", "VmRSS"):
                valori[chiave] = int(resto.split()[0]) / 1024
    except OSError:
        pass
    return valori


@dataclass
class Misura:
    """CPU and memory of the replicas over a scenario."""

    pid: dict[str, int]
    servizi: dict[str, int] = field(default_factory=dict)  # PostgreSQL, PgBouncer, HAProxy: CPU only
    cpu_inizio: dict[str, float] = field(default_factory=dict)
    t0: float = 0.0
    t1: float = 0.0

    def inizia(self) -> None:
        """Note the CPU used so far."""
        self.t0 = time.monotonic()
        self.cpu_inizio = {n: cpu_s(p) or 0.0 for n, p in self.pid.items()}
        self.cpu_inizio.update({n: cpu_albero_s(p) or 0.0 for n, p in self.servizi.items()})

    def finisci(self) -> dict[str, dict[str, float | None]]:
        """CPU used during the scenario (cores on average) and peak memory, per replica."""
        self.t1 = time.monotonic()
        durata = max(self.t1 - self.t0, 1e-9)
        uscita: dict[str, dict[str, float | None]] = {}
        for nome, pid in self.pid.items():
            fine = cpu_s(pid)
            mem = memoria_mb(pid)
            uscita[nome] = {
                "cpu_s": None if fine is None else round(fine - self.cpu_inizio[nome], 1),
                "core": None if fine is None else round((fine - self.cpu_inizio[nome]) / durata, 2),
                "picco_rss_mb": round(mem["VmHWM"]) if "VmHWM" in mem else None,
                "rss_mb": round(mem["VmRSS"]) if "VmRSS" in mem else None,
            }
        for nome, pid in self.servizi.items():
            fine = cpu_albero_s(pid)
            uso = None if fine is None else fine - self.cpu_inizio[nome]
            uscita[nome] = {
                "cpu_s": None if uso is None else round(uso, 1),
                "core": None if uso is None else round(uso / durata, 2),
            }
        return uscita


def _percentile(valori: Sequence[float], p: float) -> float | None:
    ordinati = sorted(valori)
    if not ordinati:
        return None
    k = (len(ordinati) - 1) * p / 100
    basso, alto = int(k), min(int(k) + 1, len(ordinati) - 1)
    return round(ordinati[basso] + (ordinati[alto] - ordinati[basso]) * (k - basso), 3)


def scenario(
    nome: str,
    url: str,
    utenti: int,
    pausa_s: float,
    durata_s: float,
    pid: dict[str, int],
    nuovo_link: Callable[[random.Random], str],
    guasti: Sequence[tuple[float, str, Callable[[], None]]] = (),
    ritmo: float = 5.0,
    servizi: dict[str, int] | None = None,
    filtri_a_ogni_clic: bool = False,
    fine_anticipata: Callable[[Registro], bool] | None = None,
) -> dict[str, object]:
    """Run one load with Locust and return its figures; `guasti` are (second, label, action) run meanwhile."""
    registro = Registro()
    classe = type(
        "Utente",
        (UtenteCruscotto,),
        {
            "abstract": False,
            "host": url,
            "pausa_s": pausa_s,
            "registro": registro,
            "nuovo_link": staticmethod(nuovo_link),
            "filtri_a_ogni_clic": filtri_a_ogni_clic,
        },
    )
    env = Environment(user_classes=[classe], events=events)
    runner = env.create_local_runner()
    misura = Misura(pid, servizi or {})
    eventi: list[tuple[float, str]] = []
    carico_inizio = os.getloadavg()
    misura.inizia()
    inizio = time.monotonic()
    runner.start(utenti, spawn_rate=ritmo)

    def _guasto(secondo: float, etichetta: str, azione: Callable[[], None]) -> None:
        gevent.sleep(secondo)
        eventi.append((time.monotonic() - inizio, f"{etichetta}…"))
        azione()
        eventi.append((time.monotonic() - inizio, f"{etichetta}: fatto"))

    guasti_g = [gevent.spawn(_guasto, s, e, a) for s, e, a in guasti]
    while time.monotonic() - inizio < durata_s:
        gevent.sleep(1.0)
        if fine_anticipata is not None and fine_anticipata(registro):
            break
    runner.quit()
    gevent.joinall(guasti_g, timeout=120)
    secondi = time.monotonic() - inizio
    risorse = misura.finisci()
    esiti = [e for _, e in registro.esiti]
    tempi = [e.secondi for e in esiti if e.stato not in (BLOCCATO, DISCONNESSO)]
    errori = Counter()
    for e in esiti:
        if e.stato != OK:
            dettaglio = "; ".join(e.eccezioni + e.errori).lower()
            errori["database non raggiungibile" if MSG_DB in dettaglio else e.stato] += 1
    for _, errore in registro.download + registro.media:
        if errore:
            errori["file: " + errore.split(":")[0]] += 1
    return {
        "scenario": nome,
        "url": url,
        "utenti": utenti,
        "pausa_s": pausa_s,
        "secondi": round(secondi, 1),
        "run": len(esiti),
        "run_al_secondo": round(len(tempi) / secondi, 2),
        "p50_s": _percentile(tempi, 50),
        "p95_s": _percentile(tempi, 95),
        "p99_s": _percentile(tempi, 99),
        "errori": dict(errori),
        "download": len(registro.download),
        "download_falliti": sum(1 for _, e in registro.download if e),
        "media": len(registro.media),
        "riconnessioni": registro.riconnessioni,
        "avvisi_ripresa": registro.avvisi_ripresa,
        "utenti_riconnessi": len(registro.utenti_riconnessi),
        "utenti_con_errori": len(registro.utenti_con_errori),
        "filtri_distinti": len(registro.filtri),
        "repliche": risorse,
        "carico_medio_inizio": [round(x, 2) for x in carico_inizio],
        "carico_medio_fine": [round(x, 2) for x in os.getloadavg()],
        "guasti": eventi,
    }


def stampa(r: dict[str, object]) -> None:
    """One scenario's figures, in Italian."""
    print(f"\n== {r['scenario']}: {r['utenti']} utenti, pausa {r['pausa_s']} s, {r['secondi']} s su {r['url']}")
    print(
        f"   pagine: {r['run']} run, {r['run_al_secondo']} run/s; tempo p50 {r['p50_s']} s, p95 {r['p95_s']} s, "
        f"p99 {r['p99_s']} s"
    )
    print(
        f"   download {r['download']} (falliti {r['download_falliti']}), file multimediali {r['media']}, "
        f"filtri distinti {r['filtri_distinti']}"
    )
    print(f"   errori per tipo: {r['errori'] or 'nessuno'}")
    if r["riconnessioni"] or r["guasti"]:
        print(
            f"   riconnessioni {r['riconnessioni']} ({r['utenti_riconnessi']} utenti), avvisi di ripresa "
            f"{r['avvisi_ripresa']}, utenti con almeno un errore {r['utenti_con_errori']}"
        )
        for secondo, evento in r["guasti"]:  # type: ignore[union-attr]
            print(f"   {secondo:6.1f} s  {evento}")
    for nome, v in r["repliche"].items():  # type: ignore[union-attr]
        memoria = f", picco RSS {v['picco_rss_mb']} MB" if "picco_rss_mb" in v else ""
        print(f"   {nome}: CPU {v['cpu_s']} s ({v['core']} core){memoria}")
    print(f"   carico medio (1, 5, 15 min): inizio {r['carico_medio_inizio']}, fine {r['carico_medio_fine']}")


def main(argv: Sequence[str] | None = None) -> int:
    """Start the cluster, warm it, run the scenarios, print and save the figures."""
    parser = argparse.ArgumentParser(description="Carico di utenti simulati (Locust) su una replica e sul cluster.")
    parser.add_argument("--utenti", type=int, default=50)
    parser.add_argument("--pausa", type=float, default=5.0, help="secondi di riflessione tra un clic e l'altro")
    parser.add_argument("--durata", type=float, default=90.0, help="secondi di ogni scenario")
    parser.add_argument("--saturazione", type=int, default=12, help="utenti senza pausa per la capacità massima")
    parser.add_argument("--combinazioni", type=int, default=1000, help="filtri distinti per la prova di memoria")
    parser.add_argument("--guasti", action="store_true", help="anche lo scenario con i guasti")
    parser.add_argument("--solo-guasti", action="store_true", help="solo lo scenario con i guasti")
    parser.add_argument("--porta-base", type=int, default=PORTA_BASE)
    parser.add_argument("--json", type=Path, default=OUT / "carico.json")
    args = parser.parse_args(argv)

    cluster = Cluster(Porte.da_base(args.porta_base, 2))
    print("Avvio del cluster (PostgreSQL, PgBouncer, 2 repliche, HAProxy)…", flush=True)
    cluster.avvia()
    risultati: list[dict[str, object]] = []
    try:
        pid = {f"replica {i + 1}": p for i, p in sorted(cluster.pid_repliche().items())}
        for i in range(2):
            riscalda(cluster.url_replica(i))
        link = combinazioni()
        giro = itertools.cycle(link[:200])

        def link_comune(caso: random.Random) -> str:
            return next(giro)

        uno = {"replica 1": pid["replica 1"]}
        servizi = cluster.pid_servizi()

        def esegui(nome: str, url: str, utenti: int, pausa: float, durata: float, p: dict[str, int], **kw) -> None:
            r = scenario(nome, url, utenti, pausa, durata, p, kw.pop("nuovo_link", link_comune), servizi=servizi, **kw)
            stampa(r)
            risultati.append(r)

        if not args.solo_guasti:
            esegui("una replica", cluster.url_replica(0), args.utenti, args.pausa, args.durata, uno)
            esegui("due repliche (HAProxy)", cluster.url, args.utenti, args.pausa, args.durata, pid)
            esegui("saturazione, una replica", cluster.url_replica(0), args.saturazione, 0.2, args.durata / 2, uno)
            esegui("saturazione, due repliche", cluster.url, args.saturazione * 2, 0.2, args.durata / 2, pid)
            if args.combinazioni:
                distinti = itertools.cycle(link[: args.combinazioni])
                esegui(
                    f"memoria: {args.combinazioni} filtri distinti",
                    cluster.url,
                    args.utenti,
                    0.5,
                    600.0,
                    pid,
                    nuovo_link=lambda caso: next(distinti),
                    filtri_a_ogni_clic=True,
                    fine_anticipata=lambda reg: len(reg.filtri) >= args.combinazioni,
                )
        if args.guasti or args.solo_guasti:
            durata = max(args.durata, 90.0)
            guasti = [
                (durata * 0.15, "replica 2 uccisa (SIGKILL)", lambda: cluster.uccidi_replica(1)),
                (durata * 0.35, "replica 2 riavviata", lambda: cluster.avvia_replica(1)),
                (durata * 0.55, "PostgreSQL riavviato", cluster.riavvia_postgres),
                (
                    durata * 0.7,
                    "PgBouncer fermato per 5 s",
                    lambda: (cluster.ferma_pgbouncer(), gevent.sleep(5), cluster.avvia_pgbouncer()),
                ),
            ]
            r = scenario(
                "guasti sotto carico",
                cluster.url,
                args.utenti,
                args.pausa,
                durata,
                pid,
                link_comune,
                guasti,
                servizi={"HAProxy": servizi["HAProxy"]},
            )
            for indice, pid_ora in cluster.pid_repliche().items():
                nome = f"replica {indice + 1}"
                if pid_ora != pid[nome]:  # restarted during the faults: the new process's memory, no CPU figure
                    mem = memoria_mb(pid_ora)
                    r["repliche"][nome] = {  # type: ignore[index]
                        "cpu_s": None,
                        "core": None,
                        "picco_rss_mb": round(mem.get("VmHWM", 0)),
                        "rss_mb": round(mem.get("VmRSS", 0)),
                    }
            stampa(r)
            risultati.append(r)
        if len(risultati) >= 4 and not args.solo_guasti:
            uno_s, due_s = risultati[2]["run_al_secondo"], risultati[3]["run_al_secondo"]
            rapporto = due_s / uno_s if uno_s else float("nan")  # type: ignore[operator]
            print(f"\nCapacità: due repliche {due_s} run/s, una replica {uno_s} run/s, rapporto {rapporto:.2f}")
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(risultati, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"\nRisultati in {args.json}")
    finally:
        cluster.ferma()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
