"""Demo records of the PAL measures: one for every STEP 4 worker, 2024 doti for a comparison, a few breaches.

Everything here is invented (docs/dizionario-dati.md says what and how). It draws from its own random stream, so
the rest of the demo database is the same with or without it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from data_access.dominio import (
    ESITO_AUTOIMPIEGO,
    ESITO_NON_OCCUPATO,
    ESITO_OCCUPATO,
    MISURA,
    MISURA_PROGETTI,
    MISURE,
    euro,
)

# Budgets of the measures without a published one: invented for the demo (Azioni di Rete keeps its 5.000.000 €).
DOTAZIONI_DEMO: dict[str, tuple[int, str]] = {
    "Dote Unica Lavoro": (euro(9_000_000), "Dotazione dimostrativa (non pubblicata)"),
    "Formazione Continua": (euro(2_500_000), "Dotazione dimostrativa (non pubblicata)"),
    "GOL": (euro(2_000_000), "Dotazione dimostrativa (non pubblicata)"),
}
# Share of the 2024 CIGS workers (not in the step model, which started in 2025) given a dote, by measure.
QUOTA_2024 = 0.22
MISURE_2024 = (("Dote Unica Lavoro", 60), ("Formazione Continua", 27), ("GOL", 13))
# Value ranges of a record in euro, by measure (within the caps of dominio.MISURE).
IMPORTI: dict[str, tuple[int, int]] = {
    "Dote Unica Lavoro": (1_500, 4_500),
    "Formazione Continua": (600, 2_000),
    "GOL": (500, 3_000),
    MISURA_PROGETTI: (900, 2_000),
}
SERVIZI: dict[str, tuple[str, ...]] = {
    "Dote Unica Lavoro": ("colloquio specialistico", "bilancio delle competenze", "formazione", "tutoring"),
    "Formazione Continua": ("corso a catalogo",),
    "GOL": ("orientamento di base", "accompagnamento al lavoro", "aggiornamento delle competenze"),
    MISURA_PROGETTI: ("orientamento", "consolidamento delle competenze", "accompagnamento al lavoro"),
}
PROGETTO_MIN, PROGETTO_MAX = 10, 28


def _oggi_o_prima(giorno: date, limite: date) -> date:
    return min(giorno, limite)


class _Misure:
    """Draws the measures' tables into the generator's rows."""

    def __init__(self, rows: dict[str, list[dict[str, Any]]], seed: int, data_estrazione: date) -> None:
        self.rows = rows
        self.rng = random.Random(f"{seed}-misure-pal")
        self.oggi = data_estrazione
        self.azienda_procedura = {p["id"]: p["azienda_id"] for p in rows["procedura"]}
        self.settore = {a["id"]: a["ateco_codice"][:2] for a in rows["azienda"]}
        self.operatori: dict[str, list[int]] = defaultdict(list)
        for op in rows["operatore"]:
            self.operatori[op["sigla_provincia"]].append(op["id"])
        for nome in ("dotazione_misura", "progetto_rete", "intervento_pal"):
            rows[nome] = []

    # --- one record -------------------------------------------------------------------------------------------------
    def _importo(self, misura: str) -> int:
        basso, alto = IMPORTI[misura]
        return euro(self.rng.randrange(basso, alto + 1, 50))

    def intervento(
        self, lavoratore: dict[str, Any], misura: str, assegnazione: date, azienda: int | None = None
    ) -> dict[str, Any]:
        """One record for a worker (its company from the worker's procedure unless given)."""
        rng = self.rng
        assegnazione = _oggi_o_prima(assegnazione, self.oggi)
        avvio = assegnazione + timedelta(days=rng.randint(0, 20))
        avvio_ok = avvio if avvio <= self.oggi else None
        fine = (avvio_ok + timedelta(days=rng.randint(60, 200))) if avvio_ok else None
        assegnato = self._importo(misura)
        # Spent grows with the time the services have run, never above what was assigned (except planted breaches).
        if avvio_ok is None:
            speso = 0
        else:
            durata = max(1, (fine - avvio_ok).days)  # type: ignore[operator]
            fatto = min(1.0, (self.oggi - avvio_ok).days / durata)
            speso = int(assegnato * fatto * rng.uniform(0.7, 1.0)) // 100 * 100
        concluso = fine is not None and fine + timedelta(days=180) <= self.oggi
        esito = None
        if concluso:
            esito = rng.choices((ESITO_OCCUPATO, ESITO_AUTOIMPIEGO, ESITO_NON_OCCUPATO), weights=(52, 6, 42))[0]
        risultato = None
        m = MISURA[misura]
        if m.per_progetti and esito in (ESITO_OCCUPATO, ESITO_AUTOIMPIEGO):
            tetto = m.massimale_autoimpiego_cent if esito == ESITO_AUTOIMPIEGO else m.massimale_risultato_cent
            risultato = rng.randrange(tetto // 2, tetto + 1, 100)  # type: ignore[operator]
        servizi = SERVIZI[misura]
        scelti = rng.sample(servizi, k=rng.randint(1, len(servizi)))
        formazione = misura == "Formazione Continua" or "formazione" in scelti or "aggiornamento" in " ".join(scelti)
        sigla = lavoratore["sigla_provincia"]
        operatore = lavoratore.get("operatore_id") or rng.choice(self.operatori[sigla])
        riga = {
            "id": len(self.rows["intervento_pal"]) + 1,
            "codice_fonte": f"PAL-{len(self.rows['intervento_pal']) + 1:08d}",
            "misura": misura,
            "id_lavoratore": lavoratore["id"],
            "azienda_id": azienda or self.azienda_procedura[lavoratore["procedura_id"]],
            "sigla_provincia": sigla,
            "operatore_id": operatore,
            "progetto_id": None,
            "data_assegnazione": assegnazione,
            "data_avvio": avvio_ok,
            "data_fine": fine,
            "anno": assegnazione.year,
            "assegnato_cent": assegnato,
            "speso_cent": speso if avvio_ok else None,
            "risultato_cent": risultato,
            "servizi": ", ".join(scelti) if avvio_ok else None,
            "ore_formazione": rng.randint(16, 120) if formazione and avvio_ok else None,
            "esito_180": esito,
        }
        self.rows["intervento_pal"].append(riga)
        return riga

    # --- the step model's STEP 4 workers, and 2024 doti --------------------------------------------------------------
    def step4(self) -> None:
        """A record of the worker's measure, assigned on or after STEP 4 (within the year of the cohort)."""
        for lav in self.rows["lavoratore"]:
            if lav["stato_step"] == "STEP4" and lav["misura_pal"]:
                ritardo = self.rng.choices((0, 3, 7, 14, 30, 55), weights=(20, 25, 25, 15, 10, 5))[0]
                fine_anno = max(lav["data_step4"], date(lav["anno"], 12, 31))
                giorno = min(lav["data_step4"] + timedelta(days=ritardo), fine_anno)
                self.intervento(lav, lav["misura_pal"], giorno)

    def anno_2024(self) -> None:
        """Doti and vouchers for a share of the 2024 CIGS workers (no step model then); projects come apart."""
        rng = self.rng
        nomi, pesi = zip(*MISURE_2024, strict=True)
        for lav in self.rows["lavoratore"]:
            if lav["anno"] != 2024 or lav["tipo"] not in ("CIGS_MIN", "CIGS_REG") or rng.random() >= QUOTA_2024:
                continue
            misura = rng.choices(nomi, weights=pesi)[0]
            self.intervento(lav, misura, date(2024, 2, 1) + timedelta(days=rng.randrange(0, 300)))

    # --- Azioni di Rete projects ------------------------------------------------------------------------------------
    def _liberi(self, anno: int, tipi: tuple[str, ...]) -> dict[str, dict[int, list[dict[str, Any]]]]:
        """Workers of the year without a record and outside the step model, by sector and company."""
        con_record = {r["id_lavoratore"] for r in self.rows["intervento_pal"]}
        esito: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for lav in self.rows["lavoratore"]:
            if lav["anno"] == anno and lav["tipo"] in tipi and not lav["stato_step"] and lav["id"] not in con_record:
                az = self.azienda_procedura[lav["procedura_id"]]
                esito[self.settore[az]][az].append(lav)
        return esito

    def progetti(self) -> None:
        """Projects of one sector, at most 3 companies and at least 10 workers.

        2025: the STEP 4 workers whose measure is Azioni di Rete, two companies at a time by sector, topped up to
        10 with dismissed or CIGS regionale workers of one more company of the sector. 2024: groups of workers of
        one or two companies of a sector.
        """
        rng = self.rng
        per_settore: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for r in self.rows["intervento_pal"]:
            if r["misura"] == MISURA_PROGETTI and r["anno"] >= 2025:
                per_settore[self.settore[r["azienda_id"]]][r["azienda_id"]].append(r)
        liberi = self._liberi(2025, ("LIC", "CIGS_REG"))
        for settore, per_azienda in sorted(per_settore.items()):
            aziende = sorted(per_azienda, key=lambda a: (-len(per_azienda[a]), a))
            for i in range(0, len(aziende), 2):
                righe = [r for a in aziende[i : i + 2] for r in per_azienda[a]]
                mancano = PROGETTO_MIN - len(righe)
                if mancano > 0:
                    scorta = [a for a in sorted(liberi[settore]) if len(liberi[settore][a]) >= mancano]
                    if scorta:
                        az = max(scorta, key=lambda a: (len(liberi[settore][a]), -a))
                        inizio = min(r["data_assegnazione"] for r in righe)
                        for lav in liberi[settore].pop(az)[: mancano + rng.randint(0, 5)]:
                            righe.append(self.intervento(lav, MISURA_PROGETTI, inizio, az))
                self._progetto(2025, righe)
        liberi_2024 = self._liberi(2024, ("CIGS_MIN", "CIGS_REG", "LIC"))
        for settore in sorted(liberi_2024):
            per_azienda = liberi_2024[settore]
            aziende = sorted(per_azienda, key=lambda a: (-len(per_azienda[a]), a))[: rng.choice((1, 2))]
            lavoratori = [lav for a in aziende for lav in per_azienda[a]]
            if len(lavoratori) < PROGETTO_MAX:
                continue
            inizio = date(2024, 3, 1) + timedelta(days=rng.randrange(0, 200))
            scelti = rng.sample(lavoratori, rng.randint(PROGETTO_MIN, PROGETTO_MAX))
            self._progetto(2024, [self.intervento(lav, MISURA_PROGETTI, inizio) for lav in scelti])

    def _progetto(self, anno: int, righe: list[dict[str, Any]]) -> dict[str, Any]:
        rng = self.rng
        province = defaultdict(int)
        for r in righe:
            province[r["sigla_provincia"]] += 1
        sigla = max(sorted(province), key=lambda s: province[s])
        prima = min(r["data_assegnazione"] for r in righe)
        p_id = len(self.rows["progetto_rete"]) + 1
        progetto = {
            "id": p_id,
            "codice_fonte": f"AR-{anno}-{p_id:04d}",
            "titolo": f"Rete per il reimpiego {rng.choice(('territoriale', 'di filiera', 'di distretto'))} n. {p_id}",
            "operatore_id": rng.choice(self.operatori[sigla]),
            "sigla_provincia": sigla,
            "data_approvazione": prima - timedelta(days=rng.randint(5, 30)),
            "approvato_cent": sum(r["assegnato_cent"] for r in righe),
        }
        self.rows["progetto_rete"].append(progetto)
        for r in righe:
            r["progetto_id"] = p_id
        return progetto

    # --- the planted breaches ----------------------------------------------------------------------------------------
    def violazioni(self) -> None:
        """A handful of records that break a rule, so that each check of the page has something to find."""
        rng = self.rng
        interventi = self.rows["intervento_pal"]
        # A company above 50.000 € of Formazione Continua in 2024: 27 vouchers of 1.900 € for its workers.
        oltre = self._azienda_oltre_massimale(2024, 27, euro(1_900))
        per_misura_anno: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        for r in interventi:
            per_misura_anno[(r["misura"], r["anno"])].append(r)
        # Formazione Continua vouchers above 2.000 € (one per year).
        for anno, valore in ((2025, 2_400), (2024, 2_250)):
            voucher = next(r for r in per_misura_anno[("Formazione Continua", anno)] if r["azienda_id"] != oltre)
            voucher["assegnato_cent"] = euro(valore)
        # Spent above assigned (two doti).
        for r in rng.sample([r for r in per_misura_anno[("Dote Unica Lavoro", 2025)] if r["speso_cent"]], 2):
            r["speso_cent"] = r["assegnato_cent"] + euro(rng.choice((150, 420)))
        # Two Dote Unica Lavoro doti at the same time for one worker: a second one, assigned during the first.
        prima = next(
            r
            for r in per_misura_anno[("Dote Unica Lavoro", 2025)]
            if r["data_avvio"] and r["data_fine"] > min(r["data_avvio"] + timedelta(days=10), self.oggi)
        )
        lav = {"id": prima["id_lavoratore"], "sigla_provincia": prima["sigla_provincia"]}
        self.intervento(lav, "Dote Unica Lavoro", prima["data_avvio"] + timedelta(days=10), prima["azienda_id"])
        self._progetti_irregolari()

    def _progetti_irregolari(self) -> None:
        """Azioni di Rete 2025: a project of 6 workers, one that mixes sectors, one with four companies.

        The workers added are 2025 collective-dismissal workers (outside the step model): the measure is also for
        workers who have already left a company in crisis.
        """
        licenziati = {az: lav for per_az in self._liberi(2025, ("LIC",)).values() for az, lav in per_az.items()}
        membri: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in self.rows["intervento_pal"]:
            if r["progetto_id"]:
                membri[r["progetto_id"]].append(r)
        progetti = [p for p in self.rows["progetto_rete"] if p["codice_fonte"].startswith("AR-2025")]

        def aziende(p: dict[str, Any]) -> set[int]:
            return {r["azienda_id"] for r in membri[p["id"]]}

        def settori(p: dict[str, Any]) -> set[str]:
            return {self.settore[a] for a in aziende(p)}

        def aggiungi(p: dict[str, Any], azienda: int, quanti: int) -> None:
            for lav in licenziati.pop(azienda)[:quanti]:
                r = self.intervento(lav, MISURA_PROGETTI, p["data_approvazione"] + timedelta(days=20), azienda)
                r["progetto_id"] = p["id"]
                membri[p["id"]].append(r)

        grande = min((a for a in licenziati if len(licenziati[a]) >= 6), key=lambda a: (-len(licenziati[a]), a))
        inizio = min(p["data_approvazione"] for p in progetti) + timedelta(days=20)
        sei = licenziati.pop(grande)[:6]
        self._progetto(2025, [self.intervento(lav, MISURA_PROGETTI, inizio, grande) for lav in sei])
        misto = min(progetti, key=lambda p: (len(aziende(p)), p["id"]))
        altra = next(a for a in sorted(licenziati) if self.settore[a] not in settori(misto))
        aggiungi(misto, altra, 2)
        affollato = max((p for p in progetti if p is not misto and len(settori(p)) == 1), key=lambda p: len(aziende(p)))
        settore = next(iter(settori(affollato)))
        candidati = sorted(licenziati, key=lambda a: (self.settore[a] != settore, a))
        while len(aziende(affollato)) <= 3:
            aggiungi(affollato, candidati.pop(0), 2)

    def _azienda_oltre_massimale(self, anno: int, quanti: int, valore: int) -> int:
        """Give one company's workers Formazione Continua vouchers adding up above the company cap; its id."""
        per_azienda: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for lav in self.rows["lavoratore"]:
            if lav["anno"] == anno and lav["tipo"] in ("CIGS_MIN", "CIGS_REG"):
                per_azienda[self.azienda_procedura[lav["procedura_id"]]].append(lav)
        azienda = max(sorted(per_azienda), key=lambda a: len(per_azienda[a]))
        con_dote = {r["id_lavoratore"] for r in self.rows["intervento_pal"]}
        liberi = [lav for lav in per_azienda[azienda] if lav["id"] not in con_dote]
        gia = [
            r for r in self.rows["intervento_pal"]
            if r["azienda_id"] == azienda and r["anno"] == anno and r["misura"] == "Formazione Continua"
        ]  # fmt: skip
        nuovi = [
            self.intervento(lav, "Formazione Continua", date(anno, 3, 1) + timedelta(days=self.rng.randrange(90)))
            for lav in liberi[: max(0, quanti - len(gia))]
        ]
        for r in (*gia, *nuovi):
            r["assegnato_cent"] = valore
            if r["speso_cent"]:
                r["speso_cent"] = min(r["speso_cent"], valore)
        return azienda

    def dotazioni(self) -> None:
        for nome, (importo, atto) in DOTAZIONI_DEMO.items():
            self.rows["dotazione_misura"].append({"misura": nome, "dotazione_cent": importo, "atto": atto})


def genera_misure(rows: dict[str, list[dict[str, Any]]], seed: int, data_estrazione: date) -> None:
    """Add the measures' tables (dotazione_misura, progetto_rete, intervento_pal) to a generator's rows."""
    m = _Misure(rows, seed, data_estrazione)
    m.dotazioni()
    m.step4()
    m.anno_2024()
    m.progetti()
    m.violazioni()


def conteggi_fonti(rows: dict[str, Iterable[dict[str, Any]]]) -> dict[str, int]:
    """What each measures' source contributes, as the loader counts it in metadati.righe."""
    interventi = list(rows.get("intervento_pal", ()))
    sistema = {m.nome: m.sistema for m in MISURE}
    return {
        "SIUL": sum(1 for r in interventi if sistema[r["misura"]] == "SIUL"),
        "BES": sum(1 for r in interventi if sistema[r["misura"]] == "BES")
        + len(list(rows.get("progetto_rete", ())))
        + len(list(rows.get("dotazione_misura", ()))),
        "SIUF": sum(1 for r in interventi if r["ore_formazione"] is not None),
    }
