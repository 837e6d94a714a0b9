"""The database contract, declared with SQLAlchemy Core (see docs/dizionario-dati.md)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

from data_access.dominio import STEPS

metadata = MetaData()

provincia = Table(
    "provincia",
    metadata,
    Column("sigla", String(2), primary_key=True),
    Column("nome", String(60), nullable=False),
    Column("codice_istat", String(3), nullable=False, unique=True),
    # Employed residents, denominator for "workers per 10.000 employees"; NULL when not supplied.
    Column("occupati", Integer),
)

comune = Table(
    "comune",
    metadata,
    Column("codice_istat", String(6), primary_key=True),
    Column("nome", String(80), nullable=False),
    Column("sigla_provincia", String(2), ForeignKey("provincia.sigla"), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
)

azienda = Table(
    "azienda",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("codice_fonte", String(40), nullable=False, unique=True),
    Column("ragione_sociale", String(200), nullable=False),
    Column("ateco_codice", String(8), nullable=False),
    Column("ateco_descrizione", String(200), nullable=False),
)

unita_produttiva = Table(
    "unita_produttiva",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("codice_fonte", String(40), nullable=False, unique=True),
    Column("azienda_id", Integer, ForeignKey("azienda.id"), nullable=False),
    Column("codice_comune", String(6), ForeignKey("comune.codice_istat"), nullable=False),
    Column("sigla_provincia", String(2), ForeignKey("provincia.sigla"), nullable=False),
    Column("indirizzo", String(200)),
)

procedura = Table(
    "procedura",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("codice_fonte", String(40), nullable=False, unique=True),
    Column("azienda_id", Integer, ForeignKey("azienda.id"), nullable=False),
    Column("tipo", String(10), nullable=False),
    Column("linea_guida", String(1), nullable=False),
    Column("anno", Integer, nullable=False),
    Column("data_inizio", Date, nullable=False),
    Column("data_fine", Date),
    Column("stato", String(20), nullable=False),
    Column("alta_complessita", Boolean, nullable=False, default=False),
    CheckConstraint("tipo IN ('CIGS_MIN', 'CIGS_REG', 'LIC')", name="ck_procedura_tipo"),
    CheckConstraint("linea_guida IN ('A', 'B', 'C', 'D')", name="ck_procedura_linea_guida"),
    Index("ix_procedura_anno_tipo", "anno", "tipo"),
    Index("ix_procedura_azienda", "azienda_id"),
)

# One row per production unit involved in a procedure: the official tables count these rows.
procedura_unita = Table(
    "procedura_unita",
    metadata,
    Column("procedura_id", Integer, ForeignKey("procedura.id"), primary_key=True),
    Column("unita_id", Integer, ForeignKey("unita_produttiva.id"), primary_key=True),
    # Copied from the procedure and the unit so that the official tables need no join.
    Column("anno", Integer, nullable=False),
    Column("tipo", String(10), nullable=False),
    Column("sigla_provincia", String(2), ForeignKey("provincia.sigla"), nullable=False),
    Column("lavoratori", Integer, nullable=False),
    CheckConstraint("lavoratori >= 0", name="ck_procedura_unita_lavoratori"),
    Index("ix_procedura_unita_filtri", "anno", "tipo", "sigla_provincia"),
)

operatore = Table(
    "operatore",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("codice_fonte", String(40), nullable=False, unique=True),
    Column("denominazione", String(200), nullable=False),
    Column("sigla_provincia", String(2), ForeignKey("provincia.sigla"), nullable=False),
    Column("accreditamento", String(30), nullable=False),
    Column("in_catalogo_crisi", Boolean, nullable=False, default=True),
)

# One row per worker involved in a procedure at a unit; pseudonymous, never names or fiscal codes.
# The step columns are filled for the step model's cohort (CIGS ministeriali).
lavoratore = Table(
    "lavoratore",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("procedura_id", Integer, ForeignKey("procedura.id"), nullable=False),
    Column("unita_id", Integer, ForeignKey("unita_produttiva.id"), nullable=False),
    Column("anno", Integer, nullable=False),
    Column("tipo", String(10), nullable=False),
    Column("sigla_provincia", String(2), ForeignKey("provincia.sigla"), nullable=False),
    Column("data_step1", Date),
    Column("data_step2", Date),
    Column("data_step3", Date),
    Column("data_step4", Date),
    Column("data_esonero", Date),
    Column("motivo_esonero", String(80)),
    Column("misura_pal", String(40)),
    Column("operatore_id", Integer, ForeignKey("operatore.id")),
    # Furthest stage reached: STEP1..STEP4, NOPAL, or NULL outside the step model.
    Column("stato_step", String(6)),
    Index("ix_lavoratore_filtri", "anno", "tipo", "sigla_provincia", "stato_step"),
    Index("ix_lavoratore_procedura", "procedura_id"),
    # The step cohort with every column its derived tables group by: the loader rebuilds them from this index alone
    # (a quarter of the rows, no lookup of each row in the table).
    Index(
        "ix_lavoratore_coorte",
        "anno",
        "tipo",
        "sigla_provincia",
        "stato_step",
        "data_step1",
        "data_step2",
        "data_step3",
        "data_step4",
        "misura_pal",
        "operatore_id",
        "procedura_id",
        "id",
        sqlite_where=text("stato_step IS NOT NULL"),
        postgresql_where=text("stato_step IS NOT NULL"),
    ),
)
# The date each step was reached, by step code.
DATE_STEP: dict[str, Column[date]] = {s.codice: lavoratore.c[f"data_{s.codice.lower()}"] for s in STEPS}

caso_alta_complessita = Table(
    "caso_alta_complessita",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("codice", String(20), nullable=False, unique=True),
    Column("azienda_id", Integer, ForeignKey("azienda.id"), nullable=False),
    Column("stato", String(20), nullable=False),
    Column("rischio", String(10), nullable=False),
    Column("livelli_istituzionali", String(300), nullable=False),
    Column("data_apertura", Date, nullable=False),
    Column("prossima_scadenza", Date),
    Column("tipo_scadenza", String(60)),
    Column("data_ultimo_aggiornamento", Date, nullable=False),
    Column("note", Text),
    # Who follows the case for the directorate, and how to reach them (printed on the case's brief).
    Column("referente", String(120)),
    Column("contatto_referente", String(120)),
    CheckConstraint("stato IN ('aperto', 'in monitoraggio', 'chiuso')", name="ck_caso_stato"),
    CheckConstraint("rischio IN ('alto', 'medio', 'basso')", name="ck_caso_rischio"),
)

tavolo = Table(
    "tavolo",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("codice_fonte", String(40), nullable=False, unique=True),
    Column("tipo", String(12), nullable=False),
    Column("data", Date, nullable=False),
    Column("anno", Integer, nullable=False),
    # NULL for the regional table, the province met for a bilateral one.
    Column("sigla_provincia", String(2), ForeignKey("provincia.sigla")),
    Column("note", Text),
    CheckConstraint("tipo IN ('regionale', 'bilaterale')", name="ck_tavolo_tipo"),
    Index("ix_tavolo_anno", "anno"),
)

tavolo_caso = Table(
    "tavolo_caso",
    metadata,
    Column("tavolo_id", Integer, ForeignKey("tavolo.id"), primary_key=True),
    Column("caso_id", Integer, ForeignKey("caso_alta_complessita.id"), primary_key=True),
)

# One row per loaded extract: where the data come from and when they were extracted.
metadati = Table(
    "metadati",
    metadata,
    Column("fonte", String(60), primary_key=True),
    Column("descrizione", String(200), nullable=False),
    Column("data_estrazione", Date, nullable=False),
    Column("caricato_il", DateTime, nullable=False),
    Column("demo", Boolean, nullable=False, default=False),
    Column("righe", Integer, nullable=False, default=0),
)

# --- PAL measures: doti, vouchers and network projects (BES, SIUL, SIUF; see docs/estratti.md) -------------------
# Amounts are whole euro cents: caps and sums stay exact on every engine.

# Budget of a measure; when a measure has no row, the published one in dominio.MISURE applies (Azioni di Rete).
dotazione_misura = Table(
    "dotazione_misura",
    metadata,
    Column("misura", String(40), primary_key=True),
    Column("dotazione_cent", Integer, nullable=False),
    Column("atto", String(200)),
    CheckConstraint("dotazione_cent >= 0", name="ck_dotazione_misura_importo"),
)

# An Azioni di Rete project: a network of partners led by an accredited operator, for a group of workers.
progetto_rete = Table(
    "progetto_rete",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("codice_fonte", String(40), nullable=False, unique=True),
    Column("titolo", String(200), nullable=False),
    Column("operatore_id", Integer, ForeignKey("operatore.id")),
    Column("sigla_provincia", String(2), ForeignKey("provincia.sigla"), nullable=False),
    Column("data_approvazione", Date, nullable=False),
    Column("approvato_cent", Integer),
)

# One dote, voucher or project place of one worker in one measure. The worker is the pseudonymous code of the
# step model when the person is there (a plain join on lavoratore.id), otherwise a code of the source system.
intervento_pal = Table(
    "intervento_pal",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("codice_fonte", String(40), nullable=False, unique=True),
    Column("misura", String(40), nullable=False),
    Column("id_lavoratore", String(24), nullable=False),
    Column("azienda_id", Integer, ForeignKey("azienda.id"), nullable=False),
    Column("sigla_provincia", String(2), ForeignKey("provincia.sigla"), nullable=False),
    Column("operatore_id", Integer, ForeignKey("operatore.id")),
    Column("progetto_id", Integer, ForeignKey("progetto_rete.id")),
    Column("data_assegnazione", Date, nullable=False),
    Column("data_avvio", Date),
    Column("data_fine", Date),
    # Year of assignment: the year the measure's figures are counted in.
    Column("anno", Integer, nullable=False),
    Column("assegnato_cent", Integer, nullable=False),
    Column("speso_cent", Integer),
    Column("risultato_cent", Integer),
    Column("servizi", String(300)),
    Column("ore_formazione", Integer),
    Column("esito_180", String(20)),
    CheckConstraint("assegnato_cent >= 0", name="ck_intervento_pal_assegnato"),
    Index("ix_intervento_pal_filtri", "anno", "misura", "sigla_provincia"),
    # With the date: a STEP 4 worker's first record (of their measure, of any) is read from the index alone.
    Index("ix_intervento_pal_lavoratore_data", "id_lavoratore", "misura", "data_assegnazione"),
    Index("ix_intervento_pal_azienda", "azienda_id"),
    Index("ix_intervento_pal_progetto", "progetto_id"),
    # The few records spent above the assigned amount, for their rule check without reading every record.
    Index(
        "ix_intervento_pal_speso_oltre",
        "sigla_provincia",
        sqlite_where=text("speso_cent > assegnato_cent"),
        postgresql_where=text("speso_cent > assegnato_cent"),
    ),
)

# --- Quarterly PAL monitoring (extract monitoraggio_pal) ------------------------------------------------------------
# What each Nucleo crisi declares for a quarter, one row per CIGS procedure. Every submission of a Nucleo's quarter is
# a new `versione` (1, 2, ...) and the earlier ones stay: the current declaration is the highest version. The
# procedure code is the one the Nucleo wrote, not a reference: codes unknown to VertenzeOnline are shown, not refused.
monitoraggio_pal = Table(
    "monitoraggio_pal",
    metadata,
    Column("sigla_provincia", String(2), ForeignKey("provincia.sigla"), primary_key=True),
    Column("anno", Integer, primary_key=True),
    Column("trimestre", Integer, primary_key=True),
    Column("versione", Integer, primary_key=True),
    Column("codice_procedura", String(40), primary_key=True),
    Column("presi_in_carico", Integer, nullable=False),
    Column("pal_dote_unica_lavoro", Integer, nullable=False),
    Column("pal_formazione_continua", Integer, nullable=False),
    Column("pal_gol", Integer, nullable=False),
    Column("pal_azioni_di_rete", Integer, nullable=False),
    Column("pal_altre_misure", Integer, nullable=False),
    Column("esonerati", Integer, nullable=False),
    Column("data_invio", Date, nullable=False),
    Column("note", String(500)),
    Column("caricato_il", DateTime, nullable=False),
    CheckConstraint("trimestre BETWEEN 1 AND 4", name="ck_monitoraggio_trimestre"),
    CheckConstraint("versione >= 1", name="ck_monitoraggio_versione"),
    Index("ix_monitoraggio_anno", "anno", "sigla_provincia"),
)

# --- Derived tables --------------------------------------------------------------------------------------------------
# GROUP BYs of `lavoratore` over the step model's cohort (stato_step set), rebuilt by the writer whenever it writes
# (ingest/writer.aggiorna_aggregati, inside the load transaction): the Step PAL page reads these few thousand rows
# instead of hundreds of thousands of workers. Never edited by hand; every count is a number of workers.


def _chiave_coorte() -> list[Column]:
    return [
        Column("anno", Integer, primary_key=True),
        Column("tipo", String(10), primary_key=True),
        Column("sigla_provincia", String(2), primary_key=True),
    ]


# Workers by current stage, with how many have each step's date set.
agg_step_percorsi = Table(
    "agg_step_percorsi",
    metadata,
    *_chiave_coorte(),
    Column("stato_step", String(6), primary_key=True),
    Column("lavoratori", Integer, nullable=False),
    Column("step1", Integer, nullable=False),
    Column("step2", Integer, nullable=False),
    Column("step3", Integer, nullable=False),
    Column("step4", Integer, nullable=False),
)

# Workers by whole days taken over each interval between step dates ('STEP1-STEP2', ..., 'STEP1-STEP4').
agg_step_durate = Table(
    "agg_step_durate",
    metadata,
    *_chiave_coorte(),
    Column("intervallo", String(13), primary_key=True),
    Column("giorni", Integer, primary_key=True),
    Column("lavoratori", Integer, nullable=False),
)

# Workers by day of presa in carico (STEP 1), exempted or not, PAL activated or not, and PAL activated within the
# GOL target (GIORNI_OBIETTIVO_GOL days from STEP 1): the window at any data date follows from data_step1.
agg_step_presa = Table(
    "agg_step_presa",
    metadata,
    *_chiave_coorte(),
    Column("data_step1", Date, primary_key=True),
    Column("esonerato", Boolean, primary_key=True),
    Column("pal", Boolean, primary_key=True),
    Column("pal_entro_obiettivo", Boolean, primary_key=True),
    Column("lavoratori", Integer, nullable=False),
)

# Workers with PAL activated by measure.
agg_step_misure = Table(
    "agg_step_misure",
    metadata,
    *_chiave_coorte(),
    Column("misura_pal", String(40), primary_key=True),
    Column("lavoratori", Integer, nullable=False),
)

# Workers taken in charge by each operator (the worker's province), and how many of them have PAL activated.
agg_step_operatori = Table(
    "agg_step_operatori",
    metadata,
    *_chiave_coorte(),
    Column("operatore_id", Integer, ForeignKey("operatore.id"), primary_key=True),
    Column("lavoratori", Integer, nullable=False),
    Column("pal", Integer, nullable=False),
)

# Workers by procedure and current stage: the cases' step cohort without reading their workers.
agg_step_procedura = Table(
    "agg_step_procedura",
    metadata,
    *_chiave_coorte(),
    Column("procedura_id", Integer, ForeignKey("procedura.id"), primary_key=True),
    Column("stato_step", String(6), primary_key=True),
    Column("lavoratori", Integer, nullable=False),
)

# GROUP BYs of `intervento_pal` (and of the STEP 4 workers of `lavoratore`) for the Misure PAL page, rebuilt with the
# step tables. Distinct workers and companies are counted within each province; a worker or company with records in
# more than one province of a year and measure is also listed in agg_misure_*_pluriprovincia, so that a perimeter of
# several provinces counts it once.


def _chiave_misura(primaria: bool = True) -> list[Column]:
    return [
        Column("anno", Integer, primary_key=primaria, nullable=False),
        Column("misura", String(40), primary_key=primaria, nullable=False),
        Column("sigla_provincia", String(2), primary_key=primaria, nullable=False),
    ]


def _conteggi_misura() -> list[Column]:
    return [
        Column("interventi", Integer, nullable=False),
        Column("lavoratori", Integer, nullable=False),
        Column("assegnato_cent", BigInteger, nullable=False),
        Column("speso_cent", BigInteger, nullable=False),
        Column("risultato_cent", BigInteger, nullable=False),
    ]


# Records, distinct workers and companies, amounts by year of assignment, measure and province.
agg_misure_provincia = Table(
    "agg_misure_provincia",
    metadata,
    *_chiave_misura(),
    *_conteggi_misura(),
    Column("aziende", Integer, nullable=False),
)

# The same by month of assignment.
agg_misure_mesi = Table(
    "agg_misure_mesi",
    metadata,
    *_chiave_misura(),
    Column("mese", Integer, primary_key=True),
    *_conteggi_misura(),
)

# The same by accredited operator (records without an operator are left out).
agg_misure_operatori = Table(
    "agg_misure_operatori",
    metadata,
    *_chiave_misura(),
    Column("operatore_id", Integer, ForeignKey("operatore.id"), primary_key=True),
    *_conteggi_misura(),
)

# Distinct workers by outcome at 180 days (null: not known yet).
agg_misure_esiti = Table(
    "agg_misure_esiti",
    metadata,
    *_chiave_misura(primaria=False),
    Column("esito_180", String(20)),
    Column("lavoratori", Integer, nullable=False),
    Index("ix_agg_misure_esiti", "anno", "misura", "sigla_provincia"),
)

# Workers with records in more than one province in a year and measure: their distinct cells (month, operator, outcome).
agg_misure_lavoratori_pluriprovincia = Table(
    "agg_misure_lavoratori_pluriprovincia",
    metadata,
    Column("anno", Integer, nullable=False),
    Column("misura", String(40), nullable=False),
    Column("sigla_provincia", String(2), nullable=False),
    Column("id_lavoratore", String(24), nullable=False),
    Column("mese", Integer, nullable=False),
    Column("operatore_id", Integer),
    Column("esito_180", String(20)),
    Index("ix_agg_misure_lavoratori_pluri", "anno", "misura"),
)

# Companies with records in more than one province in a year and measure.
agg_misure_aziende_pluriprovincia = Table(
    "agg_misure_aziende_pluriprovincia",
    metadata,
    *_chiave_misura(),
    Column("azienda_id", Integer, ForeignKey("azienda.id"), primary_key=True),
)

# STEP 4 workers of the step model by cohort year, province and measure: with a record of their measure, of another.
agg_misure_step4 = Table(
    "agg_misure_step4",
    metadata,
    Column("anno", Integer, nullable=False),
    Column("sigla_provincia", String(2), nullable=False),
    Column("misura_pal", String(40)),
    Column("step4", Integer, nullable=False),
    Column("con_intervento", Integer, nullable=False),
    Column("altra_misura", Integer, nullable=False),
    Index("ix_agg_misure_step4", "anno", "sigla_provincia"),
)

# STEP 4 workers by whole days from STEP 4 to the first record of their measure.
agg_misure_ritardi = Table(
    "agg_misure_ritardi",
    metadata,
    Column("anno", Integer, nullable=False),
    Column("sigla_provincia", String(2), nullable=False),
    Column("misura_pal", String(40)),
    Column("giorni", Integer, nullable=False),
    Column("lavoratori", Integer, nullable=False),
    Index("ix_agg_misure_ritardi", "anno", "sigla_provincia"),
)

# Pairs of records of one worker in one measure whose periods overlap (start: avvio, else assignment; no end: open).
agg_misure_sovrapposte = Table(
    "agg_misure_sovrapposte",
    metadata,
    Column("id", Integer, ForeignKey("intervento_pal.id"), primary_key=True),
    Column("id_altro", Integer, ForeignKey("intervento_pal.id"), primary_key=True),
)

# Records above their measure's cap per person: the value assigned, or the result-based services (with the cap of
# self-employment for that outcome). Read by the rule check instead of every record.
agg_misure_oltre_massimale = Table(
    "agg_misure_oltre_massimale",
    metadata,
    Column("id", Integer, ForeignKey("intervento_pal.id"), primary_key=True),
    # The record's perimeter and order, so that the check reads these rows first and the records by key.
    Column("sigla_provincia", String(2), nullable=False),
    Column("anno", Integer, nullable=False),
    Column("misura", String(40), nullable=False),
    Column("codice_fonte", String(40), nullable=False),
)

# Companies whose records of a capped measure in one year add up above the cap per company, by province (records and
# amount assigned there). Amounts are never negative, so a company above the cap within a perimeter is above it over
# every province: the rule check sums these rows within the perimeter and keeps the ones still above the cap.
agg_misure_aziende_oltre = Table(
    "agg_misure_aziende_oltre",
    metadata,
    Column("anno", Integer, primary_key=True),
    Column("misura", String(40), primary_key=True),
    Column("azienda_id", Integer, ForeignKey("azienda.id"), primary_key=True),
    Column("sigla_provincia", String(2), primary_key=True),
    Column("interventi", Integer, nullable=False),
    Column("assegnato_cent", BigInteger, nullable=False),
)

# Every Azioni di Rete project with its distinct workers, companies and sectors (ATECO divisions) and its amounts.
agg_misure_progetti = Table(
    "agg_misure_progetti",
    metadata,
    Column("progetto_id", Integer, ForeignKey("progetto_rete.id"), primary_key=True),
    Column("lavoratori", Integer, nullable=False),
    Column("aziende", Integer, nullable=False),
    Column("settori", Integer, nullable=False),
    Column("assegnato_cent", BigInteger, nullable=False),
    Column("speso_cent", BigInteger, nullable=False),
    Column("risultato_cent", BigInteger, nullable=False),
)

# The companies of each project with their distinct workers.
agg_misure_progetti_aziende = Table(
    "agg_misure_progetti_aziende",
    metadata,
    Column("progetto_id", Integer, ForeignKey("progetto_rete.id"), primary_key=True),
    Column("azienda_id", Integer, ForeignKey("azienda.id"), primary_key=True),
    Column("lavoratori", Integer, nullable=False),
)

TABELLE_DERIVATE: tuple[str, ...] = tuple(t for t in metadata.tables if t.startswith("agg_"))

TABELLE_RICHIESTE: tuple[str, ...] = tuple(metadata.tables)
