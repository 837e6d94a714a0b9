"""The extract formats: one definition per kind of file, with columns, types, required values and references."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from data_access.dominio import (
    CODICI_TIPO,
    COLONNA_MISURA,
    ESITI_PAL,
    LIVELLI_RISCHIO,
    MISURA_PROGETTI,
    MISURE_PAL,
    SIGLE,
    STATI_CASO,
    TIPI_TAVOLO,
)


@dataclass(frozen=True)
class Fonte:
    """A source system of the directorate, one row of the metadati table."""

    nome: str
    descrizione: str


FONTI: tuple[Fonte, ...] = (
    Fonte("VertenzeOnline", "Procedure CIGS e licenziamenti collettivi, unità produttive e lavoratori coinvolti"),
    Fonte("Prese in carico province", "Percorsi dei lavoratori nel modello a step"),
    Fonte("SIUL/BES", "PAL attivate per misura"),
    Fonte("Calendario tavoli", "Tavolo regionale e tavoli bilaterali"),
    Fonte("Cruscotto casi alta complessità", "Schede dei casi ad alta complessità"),
    Fonte("Cataloghi operatori", "Operatori accreditati dei cataloghi provinciali crisi"),
    # The PAL measures' own records; see docs/estratti.md for what each holds.
    Fonte("SIUL", "Sistema informativo unitario lavoro: doti Dote Unica Lavoro e GOL"),
    Fonte("BES", "Bandi e Servizi: voucher Formazione Continua, progetti Azioni di Rete, dotazioni delle misure"),
    Fonte("SIUF", "Sistema informativo unitario formazione: ore di formazione erogate"),
    Fonte("Monitoraggio Nuclei crisi", "Monitoraggio trimestrale delle PAL inviato dai Nuclei crisi"),
)
FONTE: dict[str, Fonte] = {f.nome: f for f in FONTI}


class ValoreNonValido(ValueError):
    """A cell that cannot be read as its column's type; the message is the Italian reason."""


@dataclass(frozen=True)
class Colonna:
    """One column of an extract file."""

    nome: str
    tipo: str  # codice, testo, intero, anno, data, sino, scelta, provincia, comune, euro
    obbligatoria: bool
    descrizione: str
    lunghezza: int | None = None  # maximum characters, as in the schema
    valori: tuple[str, ...] = ()  # allowed values for tipo "scelta"
    riferimento: str | None = None  # extract whose key this column points to
    minimo: int | None = None
    massimo: int | None = None
    predefinito: Any = None  # value of a blank optional cell
    non_futura: bool = False  # a date that cannot follow the extraction date
    campo: str | None = None  # the table column, when it is not named as the file column (amounts in cents)


@dataclass(frozen=True)
class Estratto:
    """One kind of extract file: its name, source, target table and columns."""

    nome: str
    fonti: tuple[str, ...]
    tabella: str
    descrizione: str
    colonne: tuple[Colonna, ...]
    chiave: tuple[str, ...]
    # Pairs of columns that must point to a row of another extract with the same key (e.g. procedure_unita).
    riferimenti_composti: tuple[tuple[tuple[str, ...], str], ...] = ()
    campo_chiave: str | None = None  # the table column that stores the key code
    campo_id: str | None = None  # the column other tables use to point to this one's integer id
    indice: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "indice", {c.nome: i for i, c in enumerate(self.colonne)})

    @property
    def fonte(self) -> str:
        """The main source of the file."""
        return self.fonti[0]

    def campo(self, colonna: Colonna) -> str:
        """The table column a file column is stored in: codes become ids, the key becomes the source code."""
        if colonna.riferimento:
            return PER_NOME[colonna.riferimento].campo_id or colonna.nome
        if self.chiave == (colonna.nome,) and self.campo_chiave:
            return self.campo_chiave
        return colonna.campo or colonna.nome


def _c(nome: str, tipo: str, obbligatoria: bool, descrizione: str, **kw: Any) -> Colonna:
    return Colonna(nome, tipo, obbligatoria, descrizione, **kw)


_ANNO = {"minimo": 2000, "massimo": 2100}
# Bounds that keep every sum far from the database's integer limits and every text within the schema.
MAX_LAVORATORI_UNITA = 100_000
MAX_TESTO_LIBERO = 2_000  # free text (notes) has no length in the schema, but a cell is never unbounded
MAX_CIFRE_INTERO = 12

AZIENDE = Estratto(
    "aziende",
    ("VertenzeOnline",),
    "azienda",
    "Le aziende con almeno una procedura o un caso ad alta complessità.",
    (
        _c("codice_azienda", "codice", True, "Identificativo dell'azienda in VertenzeOnline.", lunghezza=40),
        _c("ragione_sociale", "testo", True, "Ragione sociale.", lunghezza=200),
        _c("ateco_codice", "codice", True, "Codice ATECO 2007 dell'attività prevalente (es. 25 o 25.11).", lunghezza=8),
        _c("ateco_descrizione", "testo", True, "Descrizione del codice ATECO.", lunghezza=200),
    ),
    ("codice_azienda",),
    campo_chiave="codice_fonte",
    campo_id="azienda_id",
)

UNITA_PRODUTTIVE = Estratto(
    "unita_produttive",
    ("VertenzeOnline",),
    "unita_produttiva",
    "Le sedi operative (unità produttive) delle aziende.",
    (
        _c("codice_unita", "codice", True, "Identificativo dell'unità produttiva in VertenzeOnline.", lunghezza=40),
        _c("codice_azienda", "codice", True, "Azienda a cui appartiene l'unità.", riferimento="aziende", lunghezza=40),
        _c("codice_comune", "comune", True, "Codice ISTAT a 6 cifre del comune della sede (es. 016024 Bergamo)."),
        _c(
            "sigla_provincia",
            "provincia",
            False,
            "Sigla della provincia della sede; se indicata deve essere quella del comune (altrimenti è ricavata dal "
            "comune).",
        ),
        _c("indirizzo", "testo", False, "Indirizzo della sede.", lunghezza=200),
    ),
    ("codice_unita",),
    campo_chiave="codice_fonte",
    campo_id="unita_id",
)

PROCEDURE = Estratto(
    "procedure",
    ("VertenzeOnline",),
    "procedura",
    "Le procedure di CIGS ministeriale, CIGS regionale e licenziamento collettivo.",
    (
        _c("codice_procedura", "codice", True, "Identificativo della procedura in VertenzeOnline.", lunghezza=40),
        _c("codice_azienda", "codice", True, "Azienda titolare della procedura.", riferimento="aziende", lunghezza=40),
        _c("tipo", "scelta", True, "Tipo di procedura.", valori=CODICI_TIPO),
        _c(
            "linea_guida",
            "scelta",
            True,
            "Linea guida regionale (DGR 6177/2023): A per CIGS_MIN, B o C per CIGS_REG, D per LIC.",
            valori=("A", "B", "C", "D"),
        ),
        _c("anno", "anno", True, "Anno di riferimento nelle tabelle ufficiali.", **_ANNO),
        _c("data_inizio", "data", True, "Data di inizio della procedura."),
        _c("data_fine", "data", False, "Data di fine (prevista o effettiva); non precede data_inizio."),
        _c("stato", "testo", True, "Stato della procedura in VertenzeOnline (es. in corso, conclusa).", lunghezza=20),
        _c(
            "alta_complessita",
            "sino",
            False,
            "Procedura di un'azienda seguita come caso ad alta complessità (vuoto = no).",
            predefinito=False,
        ),
    ),
    ("codice_procedura",),
    campo_chiave="codice_fonte",
    campo_id="procedura_id",
)

PROCEDURE_UNITA = Estratto(
    "procedure_unita",
    ("VertenzeOnline",),
    "procedura_unita",
    "Una riga per unità produttiva coinvolta in una procedura, con i lavoratori coinvolti: le tabelle ufficiali "
    "contano queste righe.",
    (
        _c("codice_procedura", "codice", True, "Procedura.", riferimento="procedure", lunghezza=40),
        _c("codice_unita", "codice", True, "Unità produttiva coinvolta.", riferimento="unita_produttive", lunghezza=40),
        _c("lavoratori", "intero", True, "Lavoratori coinvolti nell'unità.", minimo=0, massimo=MAX_LAVORATORI_UNITA),
    ),
    ("codice_procedura", "codice_unita"),
)

LAVORATORI = Estratto(
    "lavoratori",
    ("Prese in carico province", "SIUL/BES"),
    "lavoratore",
    "Un lavoratore coinvolto in una procedura in un'unità produttiva, con il percorso nel modello a step "
    "(prese in carico delle province) e la misura PAL attivata (SIUL/BES). Solo identificativi pseudonimi: mai "
    "nomi né codici fiscali.",
    (
        _c(
            "id_lavoratore",
            "codice",
            True,
            "Identificativo pseudonimo del lavoratore (non il codice fiscale).",
            lunghezza=24,
        ),
        _c("codice_procedura", "codice", True, "Procedura.", riferimento="procedure", lunghezza=40),
        _c(
            "codice_unita",
            "codice",
            True,
            "Unità produttiva; la coppia procedura-unità deve esistere in procedure_unita.",
            riferimento="unita_produttive",
            lunghezza=40,
        ),
        _c("data_step1", "data", False, "STEP 1, presa in carico da parte della provincia.", non_futura=True),
        _c("data_step2", "data", False, "STEP 2, scelta degli strumenti.", non_futura=True),
        _c("data_step3", "data", False, "STEP 3, incontri di presentazione delle PAL.", non_futura=True),
        _c("data_step4", "data", False, "STEP 4, PAL attivata.", non_futura=True),
        _c("data_esonero", "data", False, "Data dell'esonero dalle PAL (NO PAL).", non_futura=True),
        _c("motivo_esonero", "testo", False, "Motivo dell'esonero; solo con data_esonero.", lunghezza=80),
        _c("misura_pal", "scelta", False, "Misura PAL attivata (SIUL/BES); solo con data_step4.", valori=MISURE_PAL),
        _c(
            "codice_operatore",
            "codice",
            False,
            "Operatore accreditato scelto dal lavoratore.",
            riferimento="operatori",
            lunghezza=40,
        ),
    ),
    ("id_lavoratore",),
    riferimenti_composti=((("codice_procedura", "codice_unita"), "procedure_unita"),),
    campo_chiave="id",
)

OPERATORI = Estratto(
    "operatori",
    ("Cataloghi operatori",),
    "operatore",
    "Gli operatori accreditati dei cataloghi provinciali crisi.",
    (
        _c("codice_operatore", "codice", True, "Identificativo dell'operatore nel catalogo.", lunghezza=40),
        _c("denominazione", "testo", True, "Denominazione dell'operatore.", lunghezza=200),
        _c("sigla_provincia", "provincia", True, "Provincia del catalogo."),
        _c("accreditamento", "testo", True, "Ambito di accreditamento (es. lavoro, formazione).", lunghezza=30),
        _c("in_catalogo_crisi", "sino", False, "Presente nel catalogo crisi in vigore (vuoto = sì).", predefinito=True),
    ),
    ("codice_operatore",),
    campo_chiave="codice_fonte",
    campo_id="operatore_id",
)

TAVOLI = Estratto(
    "tavoli",
    ("Calendario tavoli",),
    "tavolo",
    "Le sedute del Tavolo regionale di coordinamento e dei Tavoli bilaterali con i territori.",
    (
        _c("codice_tavolo", "codice", True, "Identificativo della seduta.", lunghezza=40),
        _c("tipo", "scelta", True, "Tipo di tavolo.", valori=TIPI_TAVOLO),
        _c("data", "data", True, "Data della seduta (l'anno è ricavato da qui)."),
        _c(
            "sigla_provincia",
            "provincia",
            False,
            "Provincia incontrata: obbligatoria per un tavolo bilaterale, vuota per quello regionale.",
        ),
        _c("note", "testo", False, "Note libere."),
    ),
    ("codice_tavolo",),
    campo_chiave="codice_fonte",
    campo_id="tavolo_id",
)

CASI = Estratto(
    "casi_alta_complessita",
    ("Cruscotto casi alta complessità",),
    "caso_alta_complessita",
    "Le schede dei casi ad alta complessità seguiti dalla direzione.",
    (
        _c("codice_caso", "codice", True, "Codice della scheda (es. AC-2025-01).", lunghezza=20),
        _c("codice_azienda", "codice", True, "Azienda del caso.", riferimento="aziende", lunghezza=40),
        _c("stato", "scelta", True, "Stato del caso.", valori=STATI_CASO),
        _c("rischio", "scelta", True, "Livello di rischio occupazionale.", valori=LIVELLI_RISCHIO),
        _c(
            "livelli_istituzionali",
            "testo",
            True,
            "Livelli istituzionali coinvolti, separati da virgola.",
            lunghezza=300,
        ),
        _c("data_apertura", "data", True, "Data di apertura del caso.", non_futura=True),
        _c("prossima_scadenza", "data", False, "Prossima scadenza."),
        _c("tipo_scadenza", "testo", False, "Che cosa scade (es. Scadenza CIGS, Prossimo tavolo).", lunghezza=60),
        _c("data_ultimo_aggiornamento", "data", True, "Ultimo aggiornamento della scheda.", non_futura=True),
        _c("note", "testo", False, "Note libere."),
        _c(
            "referente",
            "testo",
            False,
            "Chi segue il caso per la direzione: nome e struttura (es. Anna Rossi, Presidio crisi).",
            lunghezza=120,
        ),
        _c(
            "contatto_referente",
            "testo",
            False,
            "Recapito istituzionale del referente (e-mail o telefono d'ufficio).",
            lunghezza=120,
        ),
    ),
    ("codice_caso",),
    campo_chiave="codice",
    campo_id="caso_id",
)

TAVOLI_CASI = Estratto(
    "tavoli_casi",
    ("Calendario tavoli",),
    "tavolo_caso",
    "I casi ad alta complessità discussi in ciascuna seduta.",
    (
        _c("codice_tavolo", "codice", True, "Seduta.", riferimento="tavoli", lunghezza=40),
        _c("codice_caso", "codice", True, "Caso discusso.", riferimento="casi_alta_complessita", lunghezza=20),
    ),
    ("codice_tavolo", "codice_caso"),
)

# --- Quarterly PAL monitoring sent by the Nuclei crisi ---------------------------------------------------------------
MONITORAGGIO_PAL = Estratto(
    "monitoraggio_pal",
    ("Monitoraggio Nuclei crisi",),
    "monitoraggio_pal",
    "Il monitoraggio trimestrale delle PAL attivate per i lavoratori in CIGS che ogni Nucleo crisi invia alla "
    "Regione: una riga per procedura di CIGS, un file per Nucleo e trimestre oppure uno per tutti. Un nuovo invio "
    "dello stesso trimestre di un Nucleo lo sostituisce (le versioni precedenti restano nello storico). Il file "
    "modello si ottiene con `cruscotto-load --modello monitoraggio_pal FILE.xlsx`.",
    (
        _c("sigla_provincia", "provincia", True, "Provincia del Nucleo crisi che invia il monitoraggio."),
        _c("anno", "anno", True, "Anno del trimestre.", **_ANNO),
        _c("trimestre", "intero", True, "Trimestre (1 = gennaio-marzo, ..., 4 = ottobre-dicembre).", minimo=1,
           massimo=4),
        _c(
            "codice_procedura",
            "codice",
            True,
            "Codice della procedura di CIGS in VertenzeOnline; un codice che VertenzeOnline non conosce è accettato "
            "e segnalato nella riconciliazione.",
            lunghezza=40,
        ),
        _c("presi_in_carico", "intero", True, "Lavoratori presi in carico (STEP 1) nel trimestre.", minimo=0),
        *(
            _c(colonna, "intero", False, f"Lavoratori con PAL attivata nel trimestre: {misura} (vuoto = 0).",
               minimo=0, predefinito=0)
            for misura, colonna in COLONNA_MISURA.items()
        ),
        _c("esonerati", "intero", False, "Lavoratori esonerati dalle PAL (NO PAL) nel trimestre (vuoto = 0).",
           minimo=0, predefinito=0),
        _c(
            "data_invio",
            "data",
            True,
            "Data in cui il Nucleo ha inviato il monitoraggio: la stessa per tutte le righe del trimestre, non "
            "prima della fine del trimestre.",
            non_futura=True,
        ),
        _c("note", "testo", False, "Note del Nucleo.", lunghezza=500),
    ),
    ("sigla_provincia", "anno", "trimestre", "codice_procedura"),
)  # fmt: skip

MANIFEST = Estratto(
    "manifest",
    (),
    "metadati",
    "Facoltativo: la data di estrazione di ciascuna fonte caricata. In alternativa si usa l'opzione "
    "--data-estrazione, valida per tutte le fonti non elencate.",
    (
        _c("fonte", "scelta", True, "Nome della fonte.", valori=tuple(f.nome for f in FONTI)),
        _c("data_estrazione", "data", True, "Data a cui sono aggiornati i dati della fonte («Dati al»)."),
        _c("descrizione", "testo", False, "Descrizione (vuota = quella predefinita della fonte).", lunghezza=200),
        _c("dimostrativo", "sino", False, "Dati inventati a scopo dimostrativo (vuoto = no).", predefinito=False),
    ),
    ("fonte",),
)

# --- PAL measures (BES, SIUL, SIUF) -------------------------------------------------------------------
_REGOLE_MISURE = (
    "Le regole delle misure (massimali, dotazione, requisiti dei progetti) non fanno rifiutare il file: le righe "
    "che le violano sono elencate nei controlli della pagina Misure PAL."
)

DOTAZIONI_MISURE = Estratto(
    "dotazioni_misure",
    ("BES",),
    "dotazione_misura",
    "La dotazione finanziaria di ciascuna misura, dall'atto che la stanzia. Facoltativo: per le misure senza riga "
    "vale la dotazione pubblicata (Azioni di Rete, 5.000.000 €).",
    (
        _c("misura", "scelta", True, "Misura PAL.", valori=MISURE_PAL),
        _c("dotazione", "euro", True, "Dotazione complessiva della misura in euro.", campo="dotazione_cent"),
        _c("atto", "testo", False, "Atto che stanzia la dotazione (es. DGR, decreto).", lunghezza=200),
    ),
    ("misura",),
)

PROGETTI_RETE = Estratto(
    "progetti_rete",
    ("BES",),
    "progetto_rete",
    "I progetti Azioni di Rete ammessi al finanziamento (domande presentate su Bandi e Servizi).",
    (
        _c("codice_progetto", "codice", True, "Identificativo del progetto in Bandi e Servizi.", lunghezza=40),
        _c("titolo", "testo", True, "Titolo del progetto.", lunghezza=200),
        _c(
            "codice_operatore",
            "codice",
            False,
            "Operatore accreditato capofila della rete.",
            riferimento="operatori",
            lunghezza=40,
        ),
        _c("sigla_provincia", "provincia", True, "Provincia in cui si svolge il progetto."),
        _c("data_approvazione", "data", True, "Data di ammissione al finanziamento.", non_futura=True),
        _c("importo_approvato", "euro", False, "Contributo approvato in euro.", campo="approvato_cent"),
    ),
    ("codice_progetto",),
    campo_chiave="codice_fonte",
    campo_id="progetto_id",
)

INTERVENTI_PAL = Estratto(
    "interventi_pal",
    ("SIUL", "BES", "SIUF"),
    "intervento_pal",
    "Una dote, un voucher o la partecipazione di un lavoratore a un progetto, con la misura, gli importi, i servizi "
    "e l'esito dove la fonte lo riporta. Dote Unica Lavoro e GOL da SIUL, Formazione Continua e Azioni di Rete da "
    "Bandi e Servizi, le ore di formazione da SIUF. " + _REGOLE_MISURE,
    (
        _c("codice_intervento", "codice", True, "Identificativo della dote, del voucher o della partecipazione.",
           lunghezza=40),
        _c("misura", "scelta", True, "Misura PAL.", valori=MISURE_PAL),
        _c(
            "id_lavoratore",
            "codice",
            True,
            "Identificativo pseudonimo del lavoratore (non il codice fiscale); è lo stesso di «lavoratori» quando il "
            "lavoratore è nel modello a step.",
            lunghezza=24,
        ),
        _c("codice_azienda", "codice", True, "Azienda del lavoratore (per i voucher, l'impresa richiedente).",
           riferimento="aziende", lunghezza=40),
        _c("sigla_provincia", "provincia", True, "Provincia della sede di lavoro del lavoratore."),
        _c("codice_operatore", "codice", False, "Operatore accreditato che eroga i servizi.", riferimento="operatori",
           lunghezza=40),
        _c("codice_progetto", "codice", False, f"Progetto: obbligatorio per {MISURA_PROGETTI}, vuoto per le altre.",
           riferimento="progetti_rete", lunghezza=40),
        _c("data_assegnazione", "data", True, "Assegnazione della dote o del voucher, o ingresso nel progetto (l'anno "
           "dei dati è ricavato da qui).", non_futura=True),
        _c("data_avvio", "data", False, "Avvio dei servizi; non precede data_assegnazione.", non_futura=True),
        _c("data_fine", "data", False, "Fine dei servizi (prevista o effettiva); non precede l'avvio."),
        _c("importo_assegnato", "euro", True, "Valore assegnato (dote, voucher, servizi a processo) in euro.",
           campo="assegnato_cent"),
        _c("importo_speso", "euro", False, "Valore speso o rendicontato finora in euro.", campo="speso_cent"),
        _c("importo_risultato", "euro", False, f"Servizi a risultato riconosciuti in euro (solo {MISURA_PROGETTI}).",
           campo="risultato_cent"),
        _c("servizi", "testo", False, "Servizi erogati, separati da virgola (es. orientamento, formazione).",
           lunghezza=300),
        _c("ore_formazione", "intero", False, "Ore di formazione erogate (SIUF).", minimo=0),
        _c("esito_180", "scelta", False, "Condizione a 180 giorni dalla fine dei servizi, dove la fonte la riporta; "
           "solo con data_fine.", valori=ESITI_PAL),
    ),
    ("codice_intervento",),
    campo_chiave="codice_fonte",
)  # fmt: skip
ESTRATTI_MISURE: tuple[Estratto, ...] = (DOTAZIONI_MISURE, PROGETTI_RETE, INTERVENTI_PAL)

# In dependency order: a file may only point to extracts listed before it.
ESTRATTI: tuple[Estratto, ...] = (
    AZIENDE,
    UNITA_PRODUTTIVE,
    PROCEDURE,
    PROCEDURE_UNITA,
    OPERATORI,
    LAVORATORI,
    CASI,
    TAVOLI,
    TAVOLI_CASI,
    *ESTRATTI_MISURE,
    MONITORAGGIO_PAL,
)
PER_NOME: dict[str, Estratto] = {e.nome: e for e in (*ESTRATTI, MANIFEST)}

# --- reading cells ------------------------------------------------------------------------------------
_INTERO = re.compile(r"-?\d+")
_INTERO_MIGLIAIA = re.compile(r"-?\d{1,3}(\.\d{3})+")
_DATA_IT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATA_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ORA = re.compile(r"[ T]00:00(:00(\.0+)?)?")
_ATECO = re.compile(r"\d{2}(\.\d{1,2}){0,2}")
_CENTESIMI = re.compile(r"(\d{1,2})")
_SI = frozenset({"sì", "si", "s", "vero", "true", "1", "x"})
_NO = frozenset({"no", "n", "falso", "false", "0"})


def leggi_intero(testo: str, migliaia: bool) -> int:
    """An integer; in Italian CSV files (`migliaia`) '.' separates thousands and ',' is the decimal mark."""
    cifre = testo
    decimale = "," if migliaia else "."
    if decimale in cifre:
        # Excel may write 12 as "12,0": accept a zero fraction only.
        cifre, _, frazione = cifre.partition(decimale)
        if not frazione or frazione.strip("0"):
            raise ValoreNonValido(f"«{testo}» non è un numero intero")
    if migliaia and _INTERO_MIGLIAIA.fullmatch(cifre):
        cifre = cifre.replace(".", "")
    if _INTERO.fullmatch(cifre) and len(cifre.lstrip("-")) > MAX_CIFRE_INTERO:
        raise ValoreNonValido(f"«{testo[:20]}…» è fuori intervallo: un numero di {len(cifre)} cifre")
    if _INTERO.fullmatch(cifre):
        return int(cifre)
    raise ValoreNonValido(f"«{testo}» non è un numero intero")


def leggi_euro(testo: str, migliaia: bool) -> int:
    """An amount in euro as whole cents: '1.234,56' in Italian CSV files, '1234.56' elsewhere; '€' allowed."""
    pulito = testo.replace("€", "").replace("\u00a0", "").strip()
    decimale = "," if migliaia else "."
    intera, sep, frazione = pulito.partition(decimale)
    if sep and not _CENTESIMI.fullmatch(frazione):
        raise ValoreNonValido(f"«{testo}» non è un importo in euro (al massimo due decimali, es. 1.234,56)")
    if intera.startswith("-"):
        raise ValoreNonValido(f"«{testo}» è negativo: atteso un importo ≥ 0")
    try:
        euro = leggi_intero(intera, migliaia) if intera else 0
    except ValoreNonValido:
        raise ValoreNonValido(f"«{testo}» non è un importo in euro (es. 1.234,56)") from None
    return euro * 100 + (int(frazione.ljust(2, "0")) if sep else 0)


def leggi_data(testo: str) -> date:
    """A date as GG/MM/AAAA (Italian Excel) or AAAA-MM-GG, optionally with a midnight time."""
    base = _ORA.sub("", testo, count=1) if len(testo) > 10 else testo
    m = _DATA_IT.fullmatch(base)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        m = _DATA_ISO.fullmatch(base)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValoreNonValido(f"«{testo}» non è una data esistente") from None
    raise ValoreNonValido(f"«{testo}» non è una data valida (atteso GG/MM/AAAA o AAAA-MM-GG)")


def leggi_sino(testo: str) -> bool:
    """A yes/no cell: sì/no, vero/falso, 1/0, x."""
    valore = testo.lower()
    if valore in _SI:
        return True
    if valore in _NO:
        return False
    raise ValoreNonValido(f"«{testo}» non è un valore sì/no")


def convertitore(colonna: Colonna, migliaia: bool, comuni: Mapping[str, Any]) -> Callable[[str], Any]:
    """A function turning a non-blank cell of `colonna` into its value, or raising ValoreNonValido."""
    tipo = colonna.tipo
    if tipo in ("intero", "anno"):

        def intero(testo: str) -> int:
            n = leggi_intero(testo, migliaia)
            if colonna.minimo is not None and n < colonna.minimo:
                if colonna.minimo == 0:
                    raise ValoreNonValido(f"«{testo}» è negativo: atteso un numero intero ≥ 0")
                raise ValoreNonValido(f"«{testo}» è fuori intervallo: atteso almeno {colonna.minimo}")
            if colonna.massimo is not None and n > colonna.massimo:
                raise ValoreNonValido(f"«{testo}» è fuori intervallo: atteso al massimo {colonna.massimo}")
            return n

        return intero
    if tipo == "euro":
        return lambda testo: leggi_euro(testo, migliaia)
    if tipo == "data":
        cache: dict[str, date] = {}

        def data(testo: str) -> date:
            d = cache.get(testo)
            if d is None:
                d = cache[testo] = leggi_data(testo)
            return d

        return data
    if tipo == "sino":
        return leggi_sino
    if tipo == "scelta":
        ammessi = {v.lower(): v for v in colonna.valori}

        def scelta(testo: str) -> str:
            try:
                return ammessi[testo.lower()]
            except KeyError:
                raise ValoreNonValido(f"«{testo}» non è ammesso: valori ammessi {', '.join(colonna.valori)}") from None

        return scelta
    if tipo == "provincia":
        sigle = frozenset(SIGLE)

        def provincia(testo: str) -> str:
            sigla = testo.upper()
            if sigla not in sigle:
                raise ValoreNonValido(f"sigla di provincia «{testo}» sconosciuta: ammesse {', '.join(SIGLE)}")
            return sigla

        return provincia
    if tipo == "comune":

        def comune(testo: str) -> str:
            # Excel drops the leading zero of codes such as 012001: restore it.
            codice = testo.zfill(6) if testo.isdigit() and len(testo) < 6 else testo
            if codice not in comuni:
                raise ValoreNonValido(f"codice comune ISTAT «{testo}» sconosciuto: non è un comune della Lombardia")
            return codice

        return comune
    lunghezza = colonna.lunghezza or MAX_TESTO_LIBERO
    ateco = colonna.nome == "ateco_codice"
    # A code that points elsewhere repeats on many rows (every worker of a procedure): keep one copy of it.
    condivisi: dict[str, str] | None = {} if colonna.riferimento else None

    def testo_(testo: str) -> str:
        if lunghezza is not None and len(testo) > lunghezza:
            raise ValoreNonValido(f"testo troppo lungo ({len(testo)} caratteri, al massimo {lunghezza})")
        if ateco and not _ATECO.fullmatch(testo):
            raise ValoreNonValido(f"«{testo}» non è un codice ATECO (es. 25 o 25.11)")
        return testo if condivisi is None else condivisi.setdefault(testo, testo)

    return testo_


# --- writing files ------------------------------------------------------------------------------------
def formatta(colonna: Colonna, valore: Any) -> str:
    """A value as Italian Excel writes it: dates GG/MM/AAAA, sì/no, blanks for missing values."""
    if valore is None:
        return ""
    if colonna.tipo == "data":
        d: date = valore.date() if isinstance(valore, datetime) else valore
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if colonna.tipo == "sino":
        return "sì" if valore else "no"
    if colonna.tipo == "euro":
        return f"{valore // 100},{valore % 100:02d}"
    return str(valore)


def scrivi_csv(percorso: Path, estratto: Estratto, righe: Iterable[Mapping[str, Any]]) -> int:
    """Write an extract as a CSV for Italian Excel (UTF-8 with BOM, ';'); return the rows written."""
    n = 0
    date_cache: dict[date, str] = {}
    with percorso.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        out.writerow([c.nome for c in estratto.colonne])
        for riga in righe:
            celle = []
            for c in estratto.colonne:
                v = riga.get(c.nome)
                if c.tipo == "data" and v is not None:
                    s = date_cache.get(v)
                    if s is None:
                        s = date_cache[v] = formatta(c, v)
                    celle.append(s)
                else:
                    celle.append(formatta(c, v))
            out.writerow(celle)
            n += 1
    return n


# --- documentation ------------------------------------------------------------------------------------
_TIPI_DOC = {
    "codice": "codice",
    "testo": "testo",
    "intero": "intero",
    "anno": "anno",
    "data": "data",
    "sino": "sì/no",
    "scelta": "elenco",
    "provincia": "sigla provincia",
    "comune": "codice ISTAT comune",
    "euro": "importo in euro",
}


def _descrizione_colonna(e: Estratto, c: Colonna) -> str:
    parti = [c.descrizione]
    if c.valori:
        parti.append("Valori: " + ", ".join(f"`{v}`" for v in c.valori) + ".")
    if c.riferimento:
        parti.append(f"Rimanda a `{c.riferimento}.{PER_NOME[c.riferimento].chiave[0]}`.")
    if c.lunghezza:
        parti.append(f"Al massimo {c.lunghezza} caratteri.")
    elif c.tipo == "testo":
        parti.append(f"Al massimo {MAX_TESTO_LIBERO:_} caratteri.".replace("_", "."))
    if c.minimo is not None and c.massimo is not None:
        massimo = f"{c.massimo:_}".replace("_", ".") if c.massimo >= 10_000 else str(c.massimo)
        parti.append(f"Tra {c.minimo} e {massimo}.")
    if c.non_futura:
        parti.append("Non successiva alla data di estrazione.")
    if c.nome in e.chiave:
        altre = [k for k in e.chiave if k != c.nome]
        insieme = ", ".join(f"`{k}`" for k in altre)
        parti.append(f"Chiave insieme a {insieme}." if altre else "Chiave: mai ripetuta.")
    return " ".join(parti).replace("|", "\\|")


def dizionario_markdown() -> str:
    """The data dictionary of the extract files, as Markdown (kept in docs/estratti.md)."""
    blocchi: list[str] = []
    for e in (*ESTRATTI, MANIFEST):
        fonti = ", ".join(e.fonti) if e.fonti else "—"
        testa = [
            f"### `{e.nome}`",
            "",
            e.descrizione,
            "",
            f"Fonte: {fonti}. Tabella: `{e.tabella}`. Chiave: {', '.join(f'`{k}`' for k in e.chiave)}.",
            "",
            "| Colonna | Tipo | Obbligatoria | Descrizione | Nel database |",
            "| --- | --- | --- | --- | --- |",
        ]
        righe = [
            f"| `{c.nome}` | {_TIPI_DOC[c.tipo]} | {'sì' if c.obbligatoria else 'no'} | {_descrizione_colonna(e, c)} "
            f"| `{e.tabella}.{e.campo(c)}` |"
            for c in e.colonne
        ]
        blocchi.append("\n".join(testa + righe))
    return "\n\n".join(blocchi) + "\n"


if __name__ == "__main__":
    print(dizionario_markdown(), end="")
