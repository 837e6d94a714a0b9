"""Builds the demo database: invented companies and workers that add up exactly to the published tables."""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import random
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from data_access import ROOT
from data_access.dominio import MISURE_PAL, MOTIVI_ESONERO, NO_PAL, PROVINCE, SIGLE, STEP_PAL, STEPS, TIPO_MODELLO_STEP
from ingest import demo_monitoraggio, ufficiali
from ingest.demo_misure import conteggi_fonti, genera_misure
from ingest.estratti import ESTRATTI, FONTI, MANIFEST, MONITORAGGIO_PAL, PER_NOME, Estratto, scrivi_csv
from ingest.load import carica, geografia, tipo_da_nome
from ingest.writer import engine_scrittura

log = logging.getLogger(__name__)

DATA_ESTRAZIONE = date(2026, 1, 15)
# The demo database records a fixed load time, so that the same seed gives the same file.
CARICATO_IL = datetime(2026, 1, 16, 8, 0)
SEED = 2025
RETTIFICHE = "rettifiche"  # later versions of monitoring quarters, loaded after the first ones

CAPOLUOGO = {
    "BG": "016024",
    "BS": "017029",
    "CO": "013075",
    "CR": "019036",
    "LC": "097042",
    "LO": "098031",
    "MN": "020030",
    "MI": "015146",
    "MB": "108033",
    "PV": "018110",
    "SO": "014061",
    "VA": "012133",
}
TOPONIMI = {
    "BG": ("Brembana", "Seriana", "Orobica", "Bergamasca"),
    "BS": ("Camuna", "Bresciana", "Franciacorta", "Benaco"),
    "CO": ("Lariana", "Comasca", "Canturina", "Olgiatese"),
    "CR": ("Cremasca", "Padana", "Cremonese"),
    "LC": ("Lecchese", "Valsassina", "Meratese", "Adda"),
    "LO": ("Lodigiana", "Adda Sud"),
    "MN": ("Virgiliana", "Mantovana", "Alto Mincio"),
    "MI": ("Ambrosiana", "Milanese", "Navigli", "Martesana", "Olona", "Sempione"),
    "MB": ("Brianzola", "Lambro", "Vimercatese", "Seveso"),
    "PV": ("Lomellina", "Pavese", "Oltrepò", "Ticino"),
    "SO": ("Valtellinese", "Valchiavenna"),
    "VA": ("Varesina", "Verbano", "Insubrica", "Gallaratese"),
}
# ATECO 2007 divisions most involved in crises, with relative weights.
SETTORI = (
    ("25", "Fabbricazione di prodotti in metallo", "Metalmeccanica", 14),
    ("28", "Fabbricazione di macchinari e apparecchiature", "Meccanica", 12),
    ("13", "Industrie tessili", "Tessitura", 9),
    ("14", "Confezione di articoli di abbigliamento", "Confezioni", 5),
    ("22", "Fabbricazione di articoli in gomma e materie plastiche", "Plastiche", 7),
    ("29", "Fabbricazione di autoveicoli e componenti", "Componenti Auto", 8),
    ("27", "Fabbricazione di apparecchiature elettriche", "Elettromeccanica", 6),
    ("20", "Fabbricazione di prodotti chimici", "Chimica", 4),
    ("17", "Fabbricazione di carta e prodotti di carta", "Cartiera", 3),
    ("10", "Industrie alimentari", "Alimentare", 5),
    ("31", "Fabbricazione di mobili", "Arredamenti", 5),
    ("47", "Commercio al dettaglio", "Distribuzione", 8),
    ("49", "Trasporto terrestre", "Trasporti", 4),
    ("62", "Produzione di software e consulenza informatica", "Sistemi Informatici", 3),
    ("82", "Servizi di supporto alle imprese", "Servizi", 4),
    ("18", "Stampa e riproduzione di supporti registrati", "Arti Grafiche", 3),
)
FORME = ("S.p.A.", "S.r.l.", "S.r.l.", "S.r.l.", "S.p.A.", "& C. S.n.c.")
FAMIGLIE = (
    "Colombo", "Brambilla", "Ferrari", "Riva", "Galli", "Bianchi", "Rota", "Locatelli",
    "Pozzi", "Sala", "Cattaneo", "Mapelli", "Fumagalli", "Bonfanti", "Redaelli", "Casati",
    "Zanetti", "Arrigoni", "Gritti", "Pedrini", "Moretti", "Valsecchi", "Corti", "Ghezzi",
)  # fmt: skip
# Surnames common in each province, so that invented company and operator names sound local.
COGNOMI = {
    "BG": (
        "Locatelli",
        "Rota",
        "Gritti",
        "Arrigoni",
        "Pesenti",
        "Carminati",
        "Belotti",
        "Milesi",
        "Cortesi",
        "Invernizzi",
    ),
    "BS": ("Bonetti", "Zanetti", "Bertoli", "Ghidini", "Lonati", "Pedrini", "Tonoli", "Sbardellati", "Guerini", "Raza"),
    "CO": (
        "Molteni",
        "Butti",
        "Frigerio",
        "Noseda",
        "Ballabio",
        "Corti",
        "Pozzi",
        "Cappelletti",
        "Bernasconi",
        "Clerici",
    ),
    "CR": (
        "Zanibelli",
        "Superti",
        "Manfredini",
        "Bodini",
        "Bertoletti",
        "Soldi",
        "Ghisolfi",
        "Ruggeri",
        "Corbari",
        "Lena",
    ),
    "LC": (
        "Valsecchi",
        "Redaelli",
        "Mapelli",
        "Bonfanti",
        "Airoldi",
        "Spreafico",
        "Fumagalli",
        "Crippa",
        "Rusconi",
        "Anghileri",
    ),
    "LO": ("Cremonesi", "Codazzi", "Bottini", "Oppizzi", "Boselli", "Sali", "Bassi", "Maraschi", "Ferrari", "Dossena"),
    "MN": (
        "Benatti",
        "Gobbi",
        "Bulgarelli",
        "Boldrini",
        "Lasagna",
        "Zanini",
        "Mantovani",
        "Bellini",
        "Sogliani",
        "Zapparoli",
    ),
    "MI": ("Colombo", "Brambilla", "Sala", "Galli", "Cattaneo", "Riva", "Casati", "Villa", "Bianchi", "Monti"),
    "MB": (
        "Galbiati",
        "Sironi",
        "Meroni",
        "Cazzaniga",
        "Perego",
        "Mariani",
        "Brambilla",
        "Viganò",
        "Mauri",
        "Confalonieri",
    ),
    "PV": (
        "Maggi",
        "Negri",
        "Gandini",
        "Bergonzi",
        "Dagradi",
        "Sacchi",
        "Bellani",
        "Guarnaschelli",
        "Cattaneo",
        "Ferrari",
    ),
    "SO": (
        "Rainoldi",
        "Tognolini",
        "Gianoli",
        "Bordoni",
        "Pedranzini",
        "Della Vedova",
        "Bertolini",
        "Moretti",
        "Fay",
        "Pini",
    ),
    "VA": ("Macchi", "Bossi", "Zanzi", "Castiglioni", "Brusa", "Caravati", "Ossola", "Ferrario", "Bianchi", "Colombo"),
}
_MANIFATTURA = {"25", "27", "28", "29"}  # sectors where "Officine …" is a plausible company name
# Catalogue size of accredited operators per province; Lecco's is the published one.
OPERATORI_PER_PROVINCIA = {
    "BG": 30, "BS": 32, "CO": 16, "CR": 10, "LC": ufficiali.OPERATORI_CATALOGO_LECCO, "LO": 7,
    "MN": 11, "MI": 60, "MB": 24, "PV": 14, "SO": 6, "VA": 20,
}  # fmt: skip
# How readily each province's Nucleo moves workers to STEP 4 (demo assumption, not published).
PROPENSIONE_PAL = {
    "BG": 1.0, "BS": 1.05, "CO": 0.85, "CR": 1.1, "LC": 1.25, "LO": 1.0,
    "MN": 1.1, "MI": 0.9, "MB": 1.0, "PV": 0.8, "SO": 1.2, "VA": 0.75,
}  # fmt: skip
BILATERALI = {
    2024: {"BG": 2, "BS": 2, "CO": 1, "CR": 1, "LC": 1, "LO": 1, "MN": 1, "MI": 2, "MB": 2, "PV": 1, "SO": 1,
           "VA": 1},
    2025: {"BG": 2, "BS": 2, "CO": 2, "CR": 1, "LC": 2, "LO": 1, "MN": 1, "MI": 3, "MB": 2, "PV": 2, "SO": 1,
           "VA": 2},
}  # fmt: skip
REGIONALI = {2024: (3, 6, 10, 12), 2025: (2, 5, 9, 12)}
# Who follows the cases for the directorate, by the province of the case's first unit. Invented people; the
# addresses use the reserved .example domain (RFC 2606), so no message can ever reach anyone.
REFERENTI = {
    "Paola Brivio": ("BG", "BS", "SO"),
    "Marco Ghislandi": ("CO", "LC", "VA"),
    "Elena Tagliabue": ("MI", "MB", "LO"),
    "Davide Sartori": ("CR", "MN", "PV"),
}
REFERENTE_PROVINCIA = {sigla: nome for nome, province in REFERENTI.items() for sigla in province}


def _contatto(nome: str) -> str:
    """The invented office address of a demo referente: nome.cognome@presidio-crisi.example."""
    return nome.lower().replace(" ", ".") + "@presidio-crisi.example"


LIVELLI = (
    "Regione Lombardia", "Provincia", "Nucleo crisi", "Ministero del Lavoro", "MIMIT", "Prefettura", "Comune",
)  # fmt: skip


@dataclass
class _Procedura:
    id: int
    azienda_id: int
    tipo: str
    anno: int
    inizio: date
    fine: date
    unita: list[tuple[int, str, int]] = field(default_factory=list)  # (unit id, province, workers)


@dataclass
class Generatore:
    """Draws the demo microdata from a seed; `scala` repeats the published year N times over."""

    seed: int = SEED
    scala: int = 1
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.rows = {name: [] for name in (
            "provincia", "comune", "azienda", "unita_produttiva", "procedura", "procedura_unita", "operatore",
            "lavoratore", "caso_alta_complessita", "tavolo", "tavolo_caso", "metadati",
        )}  # fmt: skip
        self.comuni: dict[str, list[str]] = {s: [] for s in SIGLE}
        self.nomi_aziende: set[str] = set()
        self.unita_per_azienda: dict[tuple[int, str], list[int]] = {}
        self.operatori: dict[str, list[int]] = {s: [] for s in SIGLE}
        self.procedure: list[_Procedura] = []
        self.settore_azienda: dict[int, str] = {}

    # --- reference tables -------------------------------------------------------------------------
    def territorio(self) -> None:
        # The loader takes provinces and municipalities from the bundled ISTAT files; the rows are kept for
        # callers that insert the drawn tables directly (test fixtures).
        for p in PROVINCE:
            self.rows["provincia"].append(
                {"sigla": p.sigla, "nome": p.nome, "codice_istat": p.codice_istat, "occupati": None}
            )
        for codice, (nome, sigla, lat, lon) in geografia().items():
            self.rows["comune"].append(
                {"codice_istat": codice, "nome": nome, "sigla_provincia": sigla, "lat": lat, "lon": lon}
            )
            self.comuni[sigla].append(codice)

    def operatori_accreditati(self) -> None:
        forme = ("Fondazione {}", "Centro Formazione {}", "{} Lavoro S.r.l.", "Cooperativa Sociale {}",
                 "Agenzia per il Lavoro {}", "Istituto {} per la Formazione", "{} Servizi al Lavoro")  # fmt: skip
        accreditamenti = ("lavoro", "formazione", "lavoro e formazione")
        for sigla in SIGLE:
            luoghi = [*TOPONIMI[sigla], *FAMIGLIE]
            used: set[str] = set()
            while len(self.operatori[sigla]) < OPERATORI_PER_PROVINCIA[sigla]:
                nome = self.rng.choice(forme).format(self.rng.choice(luoghi))
                if nome in used:
                    continue
                used.add(nome)
                op_id = len(self.rows["operatore"]) + 1
                self.rows["operatore"].append(
                    {
                        "id": op_id,
                        "codice_fonte": f"OP-{sigla}-{len(self.operatori[sigla]) + 1:03d}",
                        "denominazione": nome,
                        "sigla_provincia": sigla,
                        "accreditamento": self.rng.choice(accreditamenti),
                        "in_catalogo_crisi": True,
                    }
                )
                self.operatori[sigla].append(op_id)

    # --- companies and procedures -----------------------------------------------------------------
    def _nuova_azienda(self, sigla: str) -> int:
        tentativi = 0
        while True:
            codice, descr, parola, _ = self.rng.choices(SETTORI, weights=[s[3] for s in SETTORI])[0]
            stile = self.rng.random()
            if stile < 0.4:
                nome = f"{parola} {self.rng.choice(TOPONIMI[sigla])} {self.rng.choice(FORME)}"
            elif stile < 0.75:
                nome = f"{self.rng.choice(FAMIGLIE)} {parola} {self.rng.choice(FORME)}"
            else:
                nome = f"Officine {self.rng.choice(FAMIGLIE)} {self.rng.choice(FORME)}"
            if tentativi >= 20:
                # About 3.300 names exist: at a large --scale they run out, so homonyms get a number.
                nome = f"{nome} ({len(self.nomi_aziende) + 1})"
            if nome not in self.nomi_aziende:
                break
            tentativi += 1
        self.nomi_aziende.add(nome)
        az_id = len(self.rows["azienda"]) + 1
        self.rows["azienda"].append(
            {
                "id": az_id,
                "codice_fonte": f"AZ{az_id:06d}",
                "ragione_sociale": nome,
                "ateco_codice": codice,
                "ateco_descrizione": descr,
            }
        )
        self.settore_azienda[az_id] = codice
        return az_id

    def _unita(self, azienda_id: int, sigla: str, escluse: set[int]) -> int:
        esistenti = [u for u in self.unita_per_azienda.get((azienda_id, sigla), []) if u not in escluse]
        if esistenti and self.rng.random() < 0.6:
            return self.rng.choice(esistenti)
        comune = CAPOLUOGO[sigla] if self.rng.random() < 0.25 else self.rng.choice(self.comuni[sigla])
        u_id = len(self.rows["unita_produttiva"]) + 1
        self.rows["unita_produttiva"].append(
            {
                "id": u_id,
                "codice_fonte": f"UP{u_id:07d}",
                "azienda_id": azienda_id,
                "codice_comune": comune,
                "sigla_provincia": sigla,
                "indirizzo": f"Via {self.rng.choice(('Roma', 'Milano', 'dell’Industria', 'Garibaldi', 'Europa', 'Dante', 'dei Mille', 'Mazzini'))} {self.rng.randint(1, 180)}",  # noqa: E501
            }
        )
        self.unita_per_azienda.setdefault((azienda_id, sigla), []).append(u_id)
        return u_id

    def _ripartisci(self, lavoratori: int, unita: int) -> list[int]:
        """Split workers over units: every unit at least one worker, sizes skewed like real firms."""
        if unita == 0:
            return []
        pesi = [self.rng.paretovariate(1.3) for _ in range(unita)]
        resto = lavoratori - unita
        quote = [int(resto * p / sum(pesi)) for p in pesi]
        while sum(quote) < resto:
            quote[self.rng.randrange(unita)] += 1
        return [1 + q for q in quote]

    def procedure_anno(self, anno: int, tipo: str, aziende_precedenti: list[int]) -> None:
        gruppi: list[tuple[str, list[int]]] = []
        for sigla in SIGLE:
            unita, lavoratori = ufficiali.obiettivi()[(anno, tipo, sigla)]
            sizes = self._ripartisci(lavoratori, unita)
            self.rng.shuffle(sizes)
            while sizes:
                k = min(len(sizes), self.rng.choices((1, 2, 3), weights=(72, 20, 8))[0])
                gruppi.append((sigla, sizes[:k]))
                sizes = sizes[k:]
        # A few procedures span two provinces (one company, units in both).
        self.rng.shuffle(gruppi)
        uniti: list[list[tuple[str, int]]] = []
        attesa: tuple[str, list[int]] | None = None
        for sigla, sizes in gruppi:
            parti = [(sigla, s) for s in sizes]
            if attesa is None and self.rng.random() < 0.08:
                attesa = (sigla, sizes)
                continue
            if attesa is not None and attesa[0] != sigla:
                parti = [(attesa[0], s) for s in attesa[1]] + parti
                attesa = None
            uniti.append(parti)
        if attesa is not None:
            uniti.append([(attesa[0], s) for s in attesa[1]])

        for parti in uniti:
            sede = parti[0][0]
            if aziende_precedenti and self.rng.random() < 0.12:
                az_id = self.rng.choice(aziende_precedenti)
            else:
                az_id = self._nuova_azienda(sede)
            inizio = date(anno, 1, 1) + timedelta(days=self.rng.randrange(0, 350))
            if tipo == "LIC":
                fine = inizio + timedelta(days=75)
            else:
                fine = inizio + timedelta(days=30 * self.rng.choice((6, 12, 12, 12, 24)))
            p_id = len(self.rows["procedura"]) + 1
            proc = _Procedura(p_id, az_id, tipo, anno, inizio, fine)
            self.rows["procedura"].append(
                {
                    "id": p_id,
                    "codice_fonte": f"VO-{anno}-{p_id:06d}",
                    "azienda_id": az_id,
                    "tipo": tipo,
                    "linea_guida": {"CIGS_MIN": "A", "LIC": "D"}.get(tipo) or self.rng.choice("BBC"),
                    "anno": anno,
                    "data_inizio": inizio,
                    "data_fine": fine,
                    "stato": "in corso" if fine > DATA_ESTRAZIONE else "conclusa",
                    "alta_complessita": False,
                }
            )
            usate: set[int] = set()
            for sigla, n in parti:
                u_id = self._unita(az_id, sigla, usate)
                usate.add(u_id)
                proc.unita.append((u_id, sigla, n))
                self.rows["procedura_unita"].append(
                    {
                        "procedura_id": p_id,
                        "unita_id": u_id,
                        "anno": anno,
                        "tipo": tipo,
                        "sigla_provincia": sigla,
                        "lavoratori": n,
                    }
                )
            self.procedure.append(proc)

    # --- local names and operators' market shares (own random stream: the other tables do not change) ----------
    def nomi_del_territorio(self, aziende: list[dict[str, Any]]) -> None:
        """Give each company a name of the province of its latest procedure's first unit, unless it has one."""
        rng = random.Random(f"{self.seed}-nomi")
        sede: dict[int, str] = {}
        unita = {r["id"]: r["sigla_provincia"] for r in self.rows["unita_produttiva"]}
        for proc in self.procedure:  # in drawing order: the latest procedure of a company wins
            sede[proc.azienda_id] = unita[proc.unita[0][0]]
        parola = {codice: parola for codice, _, parola, _ in SETTORI}
        for az in aziende:
            sigla, vecchio = sede[az["id"]], az["ragione_sociale"]
            if _nome_del_territorio(vecchio, sigla):
                continue
            forma = next(f for f in sorted(set(FORME), key=len, reverse=True) if vecchio.endswith(f))
            self.nomi_aziende.discard(vecchio)
            for tentativo in range(40):
                stile = rng.random()
                if stile < 0.45:
                    nome = f"{parola[az['ateco_codice']]} {rng.choice(TOPONIMI[sigla])} {forma}"
                elif stile < 0.8 or az["ateco_codice"] not in _MANIFATTURA:
                    nome = f"{rng.choice(COGNOMI[sigla])} {parola[az['ateco_codice']]} {forma}"
                else:
                    nome = f"Officine {rng.choice(COGNOMI[sigla])} {forma}"
                nome += f" ({len(self.nomi_aziende) + 1})" if tentativo == 39 else ""
                if nome not in self.nomi_aziende:
                    break
            self.nomi_aziende.add(nome)
            az["ragione_sociale"] = nome

    def operatori_del_territorio(self) -> None:
        """Local operator names, and workers choosing among a province's operators as in a real market.

        A few large operators take most workers and many small ones the rest (weights 1/rank); the draw of
        `_date_percorso` only says which workers have an operator, and in which province.
        """
        rng = random.Random(f"{self.seed}-operatori")
        forme = ("Fondazione {}", "Centro Formazione {}", "{} Lavoro S.r.l.", "Cooperativa Sociale {}",
                 "Agenzia per il Lavoro {}", "Istituto {} per la Formazione", "{} Servizi al Lavoro")  # fmt: skip
        usati: set[str] = set()
        for sigla in SIGLE:
            luoghi = [*TOPONIMI[sigla], *COGNOMI[sigla]]
            for op_id in self.operatori[sigla]:
                nome = rng.choice(forme).format(rng.choice(luoghi))
                while nome in usati:
                    nome = rng.choice(forme).format(rng.choice(luoghi))
                usati.add(nome)
                self.rows["operatore"][op_id - 1]["denominazione"] = nome
        pesi = {s: [1 / (k + 1) for k in range(len(self.operatori[s]))] for s in SIGLE}
        for row in self.rows["lavoratore"]:
            if row["operatore_id"] is not None:
                sigla = row["sigla_provincia"]
                row["operatore_id"] = rng.choices(self.operatori[sigla], weights=pesi[sigla])[0]

    # --- workers and the step model ---------------------------------------------------------------
    def _pseudonimo(self, n: int) -> str:
        return "PS" + hashlib.sha256(f"{self.seed}:{n}".encode()).hexdigest()[:16].upper()

    def lavoratori(self, procedure: list[_Procedura]) -> None:
        coorte: list[dict[str, Any]] = []
        for proc in procedure:
            for u_id, sigla, n in proc.unita:
                for _ in range(n):
                    row = {
                        "id": self._pseudonimo(len(self.rows["lavoratore"])),
                        "procedura_id": proc.id,
                        "unita_id": u_id,
                        "anno": proc.anno,
                        "tipo": proc.tipo,
                        "sigla_provincia": sigla,
                        "data_step1": None,
                        "data_step2": None,
                        "data_step3": None,
                        "data_step4": None,
                        "data_esonero": None,
                        "motivo_esonero": None,
                        "misura_pal": None,
                        "operatore_id": None,
                        "stato_step": None,
                    }
                    self.rows["lavoratore"].append(row)
                    if proc.anno == 2025 and proc.tipo == TIPO_MODELLO_STEP:
                        row["_inizio"] = proc.inizio
                        coorte.append(row)
        self._percorsi(coorte)

    def _percorsi(self, coorte: list[dict[str, Any]]) -> None:
        """Give the 2025 cohort its step paths, with exactly the published share at STEP 4."""
        rng = self.rng
        for row in coorte:
            inizio: date = row.pop("_inizio")
            step1 = min(inizio + timedelta(days=rng.randint(5, 40)), DATA_ESTRAZIONE - timedelta(days=1))
            row["data_step1"] = step1
            trascorsi = (DATA_ESTRAZIONE - step1).days
            p4 = min(1.0, trascorsi / 160) * 0.8 * PROPENSIONE_PAL[row["sigla_provincia"]]
            u = rng.random()
            if u < 0.075:
                row["stato_step"] = NO_PAL.codice
            elif u < 0.075 + p4:
                row["stato_step"] = STEP_PAL.codice
            else:
                row["stato_step"] = rng.choices([s.codice for s in STEPS[:3]], weights=(3, 4, 4))[0]
        self._allinea_step4(coorte, ufficiali.STEP4_2025)
        for row in coorte:
            self._date_percorso(row)

    def _allinea_step4(self, coorte: list[dict[str, Any]], obiettivo: int) -> None:
        a_step4 = [r for r in coorte if r["stato_step"] == STEP_PAL.codice]
        if len(a_step4) > obiettivo:
            for r in self.rng.sample(a_step4, len(a_step4) - obiettivo):
                r["stato_step"] = STEPS[2].codice
        elif len(a_step4) < obiettivo:
            candidati = [
                r
                for r in coorte
                if r["stato_step"] in (STEPS[1].codice, STEPS[2].codice)
                and (DATA_ESTRAZIONE - r["data_step1"]).days >= 40
            ]
            for r in self.rng.sample(candidati, obiettivo - len(a_step4)):
                r["stato_step"] = STEP_PAL.codice

    def _date_percorso(self, row: dict[str, Any]) -> None:
        rng = self.rng
        stato = row["stato_step"]
        step1: date = row["data_step1"]
        margine = (DATA_ESTRAZIONE - step1).days
        durate = [rng.randint(7, 35), rng.randint(7, 45), rng.randint(5, 70)]
        livello = {**{s.codice: i for i, s in enumerate(STEPS)}, NO_PAL.codice: rng.choice((0, 0, 1))}[stato]
        usate = durate[:livello]
        if sum(usate) > margine:
            usate = [max(0, d * margine // max(1, sum(usate))) for d in usate]
            while sum(usate) > margine and max(usate) > 0:
                usate[usate.index(max(usate))] -= 1
        giorno = step1
        for i, d in enumerate(usate, start=2):
            giorno = giorno + timedelta(days=d)
            row[f"data_step{i}"] = giorno
        sigla = row["sigla_provincia"]
        if stato == NO_PAL.codice:
            row["data_esonero"] = min(giorno + timedelta(days=rng.randint(1, 30)), DATA_ESTRAZIONE)
            row["motivo_esonero"] = rng.choices(MOTIVI_ESONERO, weights=(4, 3, 2, 1))[0]
        if stato in (STEPS[2].codice, STEP_PAL.codice):
            row["operatore_id"] = rng.choice(self.operatori[sigla])
        if stato == STEP_PAL.codice:
            row["misura_pal"] = rng.choices(MISURE_PAL, weights=(55, 20, 15, 10))[0]

    # --- cases, tavoli, metadata ------------------------------------------------------------------
    def casi(self, procedure: list[_Procedura], copia: int) -> list[tuple[int, set[str], str, date]]:
        """About 20 high-complexity cases among the larger 2025 procedures, with varied deadlines."""
        rng = self.rng
        grandi = sorted(
            (p for p in procedure if p.anno == 2025),
            key=lambda p: (-sum(n for _, _, n in p.unita), p.id),
        )
        scelte: list[_Procedura] = []
        aziende: set[int] = set()
        for tipo, quanti in (("CIGS_MIN", 9), ("CIGS_REG", 5), ("LIC", 6)):
            for p in (p for p in grandi if p.tipo == tipo):
                if len([s for s in scelte if s.tipo == tipo]) == quanti:
                    break
                if p.azienda_id not in aziende:
                    scelte.append(p)
                    aziende.add(p.azienda_id)
        scadenze = (-14, -3, 4, 9, 16, 22, 27, 33, 41, 48, 55, 58, 66, 80, 95, 120, 150, None, 12, 37)
        aggiornato = (5, 12, 20, 75, 8, 30, 64, 15, 2, 90, 40, 7, 61, 25, 10, 18, 130, 45, 3, 70)
        stati = ["aperto"] * 14 + ["in monitoraggio"] * 4 + ["chiuso"] * 2
        rng.shuffle(stati)
        esito: list[tuple[int, set[str], str, date]] = []
        by_id = {r["id"]: r for r in self.rows["procedura"]}
        for i, proc in enumerate(scelte):
            lavoratori = sum(n for _, _, n in proc.unita)
            rischio = "alto" if lavoratori >= 150 else "medio" if lavoratori >= 60 else "basso"
            offset = scadenze[i % len(scadenze)]
            scadenza = None if offset is None else DATA_ESTRAZIONE + timedelta(days=offset)
            if scadenza is None:
                tipo_scadenza = None
            elif proc.tipo == "LIC":
                tipo_scadenza = "Termine procedura di licenziamento"
            elif i % 3 == 0:
                tipo_scadenza = "Prossimo tavolo"
            else:
                tipo_scadenza = "Scadenza CIGS"
                by_id[proc.id]["data_fine"] = scadenza
                by_id[proc.id]["stato"] = "in corso" if scadenza > DATA_ESTRAZIONE else "conclusa"
            for p in procedure:
                if p.azienda_id == proc.azienda_id and p.anno == 2025:
                    by_id[p.id]["alta_complessita"] = True
            livelli = ["Regione Lombardia", "Provincia", "Nucleo crisi"]
            livelli += rng.sample(LIVELLI[3:], k=rng.randint(0, 3) if rischio != "basso" else 0)
            az = self.rows["azienda"][proc.azienda_id - 1]
            province = {s for _, s, _ in proc.unita}
            c_id = len(self.rows["caso_alta_complessita"]) + 1
            self.rows["caso_alta_complessita"].append(
                {
                    "id": c_id,
                    "codice": f"AC-{copia:02d}-{i + 1:03d}" if self.scala > 1 else f"AC-2025-{i + 1:02d}",
                    "azienda_id": proc.azienda_id,
                    "stato": stati[i % len(stati)],
                    "rischio": rischio,
                    "livelli_istituzionali": ", ".join(livelli),
                    "data_apertura": proc.inizio,
                    "prossima_scadenza": scadenza,
                    "tipo_scadenza": tipo_scadenza,
                    "data_ultimo_aggiornamento": DATA_ESTRAZIONE - timedelta(days=aggiornato[i % len(aggiornato)]),
                    "note": _nota(rng, az["ragione_sociale"], proc.tipo, lavoratori, sorted(province)),
                    # Chosen by province, not drawn: the random stream (and every other figure) stays the same.
                    "referente": f"{REFERENTE_PROVINCIA[proc.unita[0][1]]}, Presidio crisi",
                    "contatto_referente": _contatto(REFERENTE_PROVINCIA[proc.unita[0][1]]),
                }
            )
            esito.append((c_id, province, rischio, proc.inizio))
        return esito

    def tavoli(self, casi: list[tuple[int, set[str], str, date]]) -> None:
        for anno in (2024, 2025):
            sessioni: list[tuple[str, str | None, date]] = []
            for mese in REGIONALI[anno]:
                sessioni.append(("regionale", None, date(anno, mese, self.rng.randint(8, 26))))
            for sigla in SIGLE:
                for k in range(BILATERALI[anno][sigla]):
                    mese = (
                        1 + (k * 12 // BILATERALI[anno][sigla]) + self.rng.randrange(0, 12 // BILATERALI[anno][sigla])
                    )
                    sessioni.append(("bilaterale", sigla, date(anno, min(mese, 12), self.rng.randint(3, 27))))
            for tipo, sigla, giorno in sorted(sessioni, key=lambda s: s[2]):
                t_id = len(self.rows["tavolo"]) + 1
                self.rows["tavolo"].append(
                    {
                        "id": t_id,
                        "codice_fonte": f"TV-{anno}-{t_id:05d}",
                        "tipo": tipo,
                        "data": giorno,
                        "anno": anno,
                        "sigla_provincia": sigla,
                        "note": None,
                    }
                )
                if anno != 2025:
                    continue
                # A tavolo discusses only the cases already opened on its day.
                discussi = [
                    c
                    for c, prov, rischio, apertura in casi
                    if (sigla in prov if sigla else rischio == "alto") and apertura <= giorno
                ]
                for c_id in discussi[:4]:
                    self.rows["tavolo_caso"].append({"tavolo_id": t_id, "caso_id": c_id})

    def metadati(self) -> None:
        conteggi = {
            "VertenzeOnline": len(self.rows["procedura"]),
            "Prese in carico province": sum(1 for r in self.rows["lavoratore"] if r["stato_step"]),
            "SIUL/BES": sum(1 for r in self.rows["lavoratore"] if r["misura_pal"]),
            "Calendario tavoli": len(self.rows["tavolo"]),
            "Cruscotto casi alta complessità": len(self.rows["caso_alta_complessita"]),
            "Cataloghi operatori": len(self.rows["operatore"]),
            **conteggi_fonti(self.rows),
            "Monitoraggio Nuclei crisi": len(self.rows["monitoraggio_pal"]),
        }
        for fonte in FONTI:
            self.rows["metadati"].append(
                {
                    "fonte": fonte.nome,
                    "descrizione": f"{fonte.descrizione} (dati dimostrativi)",
                    "data_estrazione": DATA_ESTRAZIONE,
                    "caricato_il": CARICATO_IL,
                    "demo": True,
                    "righe": conteggi[fonte.nome],
                }
            )

    def genera(self) -> dict[str, list[dict[str, Any]]]:
        """Draw every table."""
        self.territorio()
        self.operatori_accreditati()
        casi: list[tuple[int, set[str], str, date]] = []
        for copia in range(self.scala):
            inizio = len(self.procedure)
            precedenti: list[int] = []
            for anno in (2024, 2025):
                for tipo in ufficiali.ORDINE_TIPI:
                    self.procedure_anno(anno, tipo, precedenti)
                precedenti = sorted({p.azienda_id for p in self.procedure[inizio:]})
            nuove = self.procedure[inizio:]
            self.nomi_del_territorio([self.rows["azienda"][i - 1] for i in sorted({p.azienda_id for p in nuove})])
            self.lavoratori(nuove)
            casi += self.casi(nuove, copia)
        self.tavoli(casi)
        self.operatori_del_territorio()
        genera_misure(self.rows, self.seed, DATA_ESTRAZIONE)
        # Drawn last, with its own generator: the other tables do not change with it.
        semi = self.seed + 21
        self.rows["monitoraggio_pal"] = demo_monitoraggio.genera(self.rows, DATA_ESTRAZIONE, CARICATO_IL, semi)
        self.metadati()
        return self.rows


def _nome_del_territorio(nome: str, sigla: str) -> bool:
    """True when a company name carries a place or a surname of the province."""
    parole = nome.replace("&", " ").split()
    return any(t in nome for t in TOPONIMI[sigla]) or any(c in parole for c in COGNOMI[sigla] if " " not in c)


def _nota(rng: random.Random, azienda: str, tipo: str, lavoratori: int, province: list[str]) -> str:
    luoghi = " e ".join(province)
    frasi = {
        "CIGS_MIN": f"CIGS per riorganizzazione autorizzata dal Ministero; {lavoratori} lavoratori sospesi ({luoghi}).",
        "CIGS_REG": f"CIGS con accordo in sede regionale; {lavoratori} lavoratori coinvolti ({luoghi}).",
        "LIC": f"Procedura di licenziamento collettivo aperta; {lavoratori} esuberi dichiarati ({luoghi}).",
    }
    seguito = rng.choice(
        (
            "Il Nucleo crisi ha calendarizzato incontri di gruppo con i lavoratori.",
            "Le organizzazioni sindacali chiedono un piano di reindustrializzazione.",
            "In corso la verifica di un possibile acquirente per il ramo d’azienda.",
            "L’azienda ha presentato un piano di rientro parziale entro l’anno.",
            "Attivato il raccordo con la DG Sviluppo economico per le misure alle imprese.",
        )
    )
    return f"{azienda}: {frasi[tipo]} {seguito}"


def _record(e: Estratto, rows: dict[str, list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    """The generator's rows of one table as extract records: integer ids become the source codes."""
    codici: dict[str, dict[int, str]] = {}
    for c in e.colonne:
        if c.riferimento:
            rif = PER_NOME[c.riferimento]
            campo = rif.campo_chiave or rif.chiave[0]
            codici[c.nome] = {r["id"]: r[campo] for r in rows[rif.tabella]}
    campi = [(c.nome, e.campo(c), codici.get(c.nome)) for c in e.colonne]
    for r in rows[e.tabella]:
        yield {nome: r[campo] if mappa is None or r[campo] is None else mappa[r[campo]] for nome, campo, mappa in campi}


def scrivi_estratti(rows: dict[str, list[dict[str, Any]]], cartella: Path) -> dict[str, int]:
    """Write the demo data as the Region's extract files (one CSV per kind, plus the manifest).

    A monitoring quarter sent twice has its later versions in the subfolder RETTIFICHE, loaded after the rest.
    """
    cartella.mkdir(parents=True, exist_ok=True)
    primi = {**rows, MONITORAGGIO_PAL.tabella: [r for r in rows[MONITORAGGIO_PAL.tabella] if r["versione"] == 1]}
    scritte = {e.nome: scrivi_csv(cartella / f"{e.nome}.csv", e, _record(e, primi)) for e in ESTRATTI}
    manifest = ({**r, "dimostrativo": r["demo"]} for r in rows["metadati"])
    scritte[MANIFEST.nome] = scrivi_csv(cartella / f"{MANIFEST.nome}.csv", MANIFEST, manifest)
    rettifiche = {MONITORAGGIO_PAL.tabella: [r for r in rows[MONITORAGGIO_PAL.tabella] if r["versione"] > 1]}
    if rettifiche[MONITORAGGIO_PAL.tabella]:
        (cartella / RETTIFICHE).mkdir(exist_ok=True)
        scrivi_csv(cartella / RETTIFICHE / f"{MONITORAGGIO_PAL.nome}.csv", MONITORAGGIO_PAL,
                   _record(MONITORAGGIO_PAL, rettifiche))  # fmt: skip
        fonte = [{**r, "dimostrativo": r["demo"]} for r in rows["metadati"] if r["fonte"] == MONITORAGGIO_PAL.fonte]
        scrivi_csv(cartella / RETTIFICHE / f"{MANIFEST.nome}.csv", MANIFEST, fonte)
    return scritte


def _carica(cartella: Path, out: Path) -> dict[str, int]:
    """Load extract files into a fresh SQLite file at `out` (atomically) and return its row counts."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.unlink(missing_ok=True)
    engine = engine_scrittura(f"sqlite:///{tmp}")
    try:
        esito = carica(engine, [cartella], caricato_il=CARICATO_IL)
        if (cartella / RETTIFICHE).is_dir():
            esito = carica(engine, [cartella / RETTIFICHE], caricato_il=CARICATO_IL)
    finally:
        engine.dispose()
    os.replace(tmp, out)
    return esito.totali


def costruisci(out: Path, seed: int = SEED, scala: int = 1) -> dict[str, int]:
    """Write a fresh demo database at `out`, through the extract files and the loader; return the row counts."""
    rows = Generatore(seed=seed, scala=scala).genera()
    with tempfile.TemporaryDirectory(prefix="estratti-demo-") as cartella:
        scrivi_estratti(rows, Path(cartella))
        del rows  # at a large --scale the drawn rows and the loaded ones would not fit together
        return _carica(Path(cartella), out)


def _estratti_presenti(cartella: Path) -> list[Path]:
    if not cartella.is_dir():
        return []
    return [f for f in cartella.iterdir() if f.suffix.lower() in (".csv", ".xlsx") and tipo_da_nome(f)]


def main(argv: list[str] | None = None) -> int:
    """Console entry point: cruscotto-demo."""
    parser = argparse.ArgumentParser(prog="cruscotto-demo", description="Costruisce il database dimostrativo.")
    parser.add_argument("--out", type=Path, help="file SQLite da scrivere (predefinito var/demo.db)")
    parser.add_argument("--extracts", type=Path, metavar="CARTELLA", help="scrive i dati come file di estratto")
    parser.add_argument("--seed", type=int, default=SEED, help="seme del generatore (stesso seme, stessi dati)")
    parser.add_argument("--scale", type=int, default=1, help="moltiplica i volumi per N (benchmark)")
    parser.add_argument("--force", action="store_true", help="sovrascrive un database o degli estratti esistenti")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.scale < 1:
        parser.error("--scale deve essere un intero positivo")
    out: Path | None = args.out or (None if args.extracts else ROOT / "var" / "demo.db")
    if out is not None and out.exists() and not args.force:
        print(f"{out} esiste già: usare --force per ricostruirlo.", file=sys.stderr)
        return 1
    if args.extracts is None:
        counts = costruisci(out, seed=args.seed, scala=args.scale)  # type: ignore[arg-type]
        print(f"Database dimostrativo scritto in {out}: {_n(counts['lavoratore'])} lavoratori")
        return 0
    presenti = _estratti_presenti(args.extracts)
    if presenti and not args.force:
        print(f"{args.extracts} contiene già degli estratti: usare --force per sostituirli.", file=sys.stderr)
        return 1
    for f in presenti:
        f.unlink()
    scritte = scrivi_estratti(Generatore(seed=args.seed, scala=args.scale).genera(), args.extracts)
    print(f"Estratti dimostrativi scritti in {args.extracts}: {_n(scritte['lavoratori'])} lavoratori")
    if out is not None:
        counts = _carica(args.extracts, out)
        print(f"Database dimostrativo scritto in {out}: {_n(counts['lavoratore'])} lavoratori")
    return 0


def _n(valore: int) -> str:
    return f"{valore:,}".replace(",", ".")


if __name__ == "__main__":
    raise SystemExit(main())
