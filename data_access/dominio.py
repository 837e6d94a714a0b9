"""The domain's fixed vocabulary: provinces, procedure types, steps, PAL measures (one source for all)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass


@dataclass(frozen=True)
class Provincia:
    """A Lombardy province (or the Città metropolitana di Milano)."""

    sigla: str
    nome: str
    codice_istat: str


# Order of the Region's published tables (alphabetical by name).
PROVINCE: tuple[Provincia, ...] = (
    Provincia("BG", "Bergamo", "016"),
    Provincia("BS", "Brescia", "017"),
    Provincia("CO", "Como", "013"),
    Provincia("CR", "Cremona", "019"),
    Provincia("LC", "Lecco", "097"),
    Provincia("LO", "Lodi", "098"),
    Provincia("MN", "Mantova", "020"),
    Provincia("MI", "Milano", "015"),
    Provincia("MB", "Monza e della Brianza", "108"),
    Provincia("PV", "Pavia", "018"),
    Provincia("SO", "Sondrio", "014"),
    Provincia("VA", "Varese", "012"),
)
SIGLE: tuple[str, ...] = tuple(p.sigla for p in PROVINCE)
NOME_PROVINCIA: dict[str, str] = {p.sigla: p.nome for p in PROVINCE}


@dataclass(frozen=True)
class TipoProcedura:
    """A kind of crisis procedure, as in the columns of the official tables."""

    codice: str
    etichetta: str
    etichetta_breve: str
    linee_guida: str


TIPI_PROCEDURA: tuple[TipoProcedura, ...] = (
    TipoProcedura("CIGS_MIN", "CIGS ministeriali", "CIGS min.", "A"),
    TipoProcedura("CIGS_REG", "CIGS regionali", "CIGS reg.", "B, C"),
    TipoProcedura("LIC", "Licenziamenti collettivi", "Licenziamenti", "D"),
)
CODICI_TIPO: tuple[str, ...] = tuple(t.codice for t in TIPI_PROCEDURA)
TIPO: dict[str, TipoProcedura] = {t.codice: t for t in TIPI_PROCEDURA}
# The step model applies to CIGS ministeriali with compulsory PAL (decreto 5151/2025).
TIPO_MODELLO_STEP = "CIGS_MIN"


@dataclass(frozen=True)
class Step:
    """A stage of the regional step model."""

    codice: str
    etichetta: str
    descrizione: str


STEPS: tuple[Step, ...] = (
    Step("STEP1", "STEP 1", "Presa in carico da parte della provincia"),
    Step("STEP2", "STEP 2", "Scelta degli strumenti più adatti ad azienda e lavoratori"),
    Step("STEP3", "STEP 3", "Incontri, anche di gruppo, di presentazione delle PAL"),
    Step("STEP4", "STEP 4", "PAL attivata"),
)
NO_PAL = Step("NOPAL", "NO PAL", "Lavoratore esonerato dalle PAL")
# STEP 4, PAL attivata: a worker counts there when he reached it (his STEP 4 date is set). It is the last stage, and
# the loader refuses an exempted worker with a STEP 4 date, so these are also the workers whose stage is STEP 4.
STEP_PAL = STEPS[-1]
STATI_PERCORSO: tuple[Step, ...] = (*STEPS, NO_PAL)
ETICHETTA_STEP: dict[str, str] = {s.codice: s.etichetta for s in STATI_PERCORSO}
# Short names of the stages, for chart labels where the full description does not fit.
FASE_STEP: dict[str, str] = {
    "STEP1": "Presa in carico",
    "STEP2": "Strumenti",
    "STEP3": "Incontri",
    "STEP4": "PAL attivata",
    "NOPAL": "Esonerati",
}
# Intervals timed between step dates: each step from the one before, and the whole path to PAL activation.
INTERVALLI: tuple[tuple[str, str], ...] = (
    *((a.codice, b.codice) for a, b in itertools.pairwise(STEPS)),
    (STEPS[0].codice, STEP_PAL.codice),
)


def codice_intervallo(da: str, a: str) -> str:
    """'STEP1-STEP4'."""
    return f"{da}-{a}"


MISURE_PAL: tuple[str, ...] = ("Dote Unica Lavoro", "Formazione Continua", "GOL", "Azioni di Rete")
MOTIVI_ESONERO: tuple[str, ...] = (
    "Prossimità alla pensione",
    "Rientro in servizio",
    "Malattia o congedo",
    "Già inserito in un percorso formativo",
)

TIPI_TAVOLO: tuple[str, ...] = ("regionale", "bilaterale")
STATI_CASO: tuple[str, ...] = ("aperto", "in monitoraggio", "chiuso")
LIVELLI_RISCHIO: tuple[str, ...] = ("alto", "medio", "basso")
# Timeliness target for STEP 1 → STEP 4 from the GOL programme: active policies within 4 months.
GIORNI_OBIETTIVO_GOL = 120
