"""The domain's fixed vocabulary: provinces, procedure types, steps, PAL measures (one source for all)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta


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
# Decreto regionale 5151 of 10/04/2025 set the step model's standard flow: marked on the monthly charts.
DECRETO_MODELLO_STEP = date(2025, 4, 10)
ETICHETTA_DECRETO = "Decreto 5151 (10/04/2025)"


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


# --- PAL measures and their rules (seed 001 for Dote Unica Lavoro and Formazione Continua, seed 004 for Azioni di
# Rete). Amounts in euro cents, so that caps and sums are exact integers in SQL and in Python.
@dataclass(frozen=True)
class MisuraPal:
    """An active labour policy measure: who it is for, the system its records come from, its caps and budget."""

    nome: str
    codice: str  # short code for URLs and file names
    programma: str
    destinatari: str
    sistema: str  # the regional application its records come from (see docs/estratti.md)
    # Cap of one record (dote, voucher, services of one person in a project); None when the sources give none.
    massimale_persona_cent: int | None = None
    # Cap of a company's records in one year (Formazione Continua).
    massimale_impresa_cent: int | None = None
    # Caps of the result-based services of one person (Azioni di Rete): job placement, and self-employment.
    massimale_risultato_cent: int | None = None
    massimale_autoimpiego_cent: int | None = None
    # Budget published in the sources; a `dotazioni_misure` extract can set or replace it.
    dotazione_cent: int | None = None
    atto: str = ""
    # Projects (Azioni di Rete): at least this many workers, at most this many companies, one sector.
    minimo_lavoratori_progetto: int | None = None
    massimo_aziende_progetto: int | None = None
    per_progetti: bool = False


def euro(valore: int) -> int:
    """Euro to cents."""
    return valore * 100


MISURE: tuple[MisuraPal, ...] = (
    MisuraPal(
        "Dote Unica Lavoro",
        "dul",
        "Quinta fase, PR FSE+ 2021-27",
        "Lavoratori in CIGS o con assegno di integrazione salariale o di solidarietà (FIS, fondi bilaterali)",
        "SIUL",
    ),
    MisuraPal(
        "Formazione Continua",
        "fc",
        "PR FSE+ 2021-27",
        "Lavoratori dipendenti in servizio, anche in integrazione salariale (voucher aziendali, catalogo regionale)",
        "BES",
        massimale_persona_cent=euro(2_000),
        massimale_impresa_cent=euro(50_000),
    ),
    MisuraPal(
        "GOL", "gol", "Garanzia di occupabilità dei lavoratori (PNRR)", "Percettori di sostegno al reddito", "SIUL"
    ),
    MisuraPal(
        "Azioni di Rete",
        "rete",
        "L.R. 30/2015 art. 17 ter; DGR X/6686 del 2017 e XI/677 del 2018",
        "Gruppi di lavoratori di aziende in crisi, in uscita o già disoccupati",
        "BES",
        massimale_persona_cent=euro(2_000),
        massimale_risultato_cent=euro(1_835),
        massimale_autoimpiego_cent=euro(3_860),
        dotazione_cent=euro(5_000_000),
        atto="DGR X/6686 del 9/06/2017 e XI/677 del 24/10/2018",
        minimo_lavoratori_progetto=10,
        massimo_aziende_progetto=3,
        per_progetti=True,
    ),
)
MISURA: dict[str, MisuraPal] = {m.nome: m for m in MISURE}
MISURE_PAL: tuple[str, ...] = tuple(m.nome for m in MISURE)
MISURA_PROGETTI = next(m.nome for m in MISURE if m.per_progetti)
# Outcome of a record at 180 days from its end, where the source gives it.
ESITO_OCCUPATO, ESITO_AUTOIMPIEGO, ESITO_NON_OCCUPATO = "occupato", "autoimpiego", "non occupato"
ESITI_PAL: tuple[str, ...] = (ESITO_OCCUPATO, ESITO_AUTOIMPIEGO, ESITO_NON_OCCUPATO)

MOTIVI_ESONERO: tuple[str, ...] = (
    "Prossimità alla pensione",
    "Rientro in servizio",
    "Malattia o congedo",
    "Già inserito in un percorso formativo",
)

TAVOLO_REGIONALE, TAVOLO_BILATERALE = "regionale", "bilaterale"
TIPI_TAVOLO: tuple[str, ...] = (TAVOLO_REGIONALE, TAVOLO_BILATERALE)
TOTALE = "TOT"  # the code of a table's total row over the provinces selected (beside the provinces' codes)
STATI_CASO: tuple[str, ...] = ("aperto", "in monitoraggio", "chiuso")
LIVELLI_RISCHIO: tuple[str, ...] = ("alto", "medio", "basso")
# Timeliness target for STEP 1 → STEP 4 from the GOL programme: active policies within 4 months.
GIORNI_OBIETTIVO_GOL = 120

# --- Quarterly PAL monitoring by the Nuclei crisi (seed 001: "monitoraggio trimestrale delle PAL") ---------------
TRIMESTRI: tuple[int, ...] = (1, 2, 3, 4)
MISURA_ALTRA = "Altre misure"
# The measures a Nucleo reports, each with the column of the monitoring extract that carries it.
MISURE_MONITORAGGIO: tuple[str, ...] = (*MISURE_PAL, MISURA_ALTRA)
COLONNA_MISURA: dict[str, str] = {
    "Dote Unica Lavoro": "pal_dote_unica_lavoro",
    "Formazione Continua": "pal_formazione_continua",
    "GOL": "pal_gol",
    "Azioni di Rete": "pal_azioni_di_rete",
    MISURA_ALTRA: "pal_altre_misure",
}
# The procedures the Nuclei monitor: CIGS ministeriali, whose workers must activate a PAL (the step model's).
TIPI_MONITORAGGIO: tuple[str, ...] = (TIPO_MODELLO_STEP,)
# Days after the end of a quarter within which a Nucleo sends it (default of CRUSCOTTO_SCADENZA_MONITORAGGIO_GG).
SCADENZA_MONITORAGGIO_GG = 30


def etichetta_trimestre(anno: int, trimestre: int) -> str:
    """'T1 2025'."""
    return f"T{trimestre} {anno}"


def inizio_trimestre(anno: int, trimestre: int) -> date:
    """First day of a quarter."""
    return date(anno, 3 * trimestre - 2, 1)


def fine_trimestre(anno: int, trimestre: int) -> date:
    """Last day of a quarter."""
    return (date(anno + 1, 1, 1) if trimestre == 4 else date(anno, 3 * trimestre + 1, 1)) - timedelta(days=1)
