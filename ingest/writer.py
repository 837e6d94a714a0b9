"""Writes a cruscotto database: schema plus rows. Only the ingest tools use it; the dashboard never does."""

from __future__ import annotations

import itertools
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    Table,
    and_,
    case,
    cast,
    create_engine,
    delete,
    distinct,
    event,
    extract,
    false,
    func,
    inspect,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.util import find_tables

from data_access.dominio import (
    GIORNI_OBIETTIVO_GOL,
    INTERVALLI,
    MISURE,
    NO_PAL,
    STEP_PAL,
    TIPO_MODELLO_STEP,
    codice_intervallo,
)
from data_access.queries.misure import settore, tetto
from data_access.schema import (
    DATE_STEP,
    agg_misure_aziende_oltre,
    agg_misure_aziende_pluriprovincia,
    agg_misure_esiti,
    agg_misure_lavoratori_pluriprovincia,
    agg_misure_mesi,
    agg_misure_oltre_massimale,
    agg_misure_operatori,
    agg_misure_progetti,
    agg_misure_progetti_aziende,
    agg_misure_provincia,
    agg_misure_ritardi,
    agg_misure_sovrapposte,
    agg_misure_step4,
    agg_step_durate,
    agg_step_misure,
    agg_step_operatori,
    agg_step_percorsi,
    agg_step_presa,
    agg_step_procedura,
    azienda,
    intervento_pal,
    lavoratore,
    metadata,
    progetto_rete,
)
from data_access.sql import giorni

log = logging.getLogger(__name__)

CHUNK = 20_000
DIALETTI = ("sqlite", "postgresql")


def engine_scrittura(url: str) -> Engine:
    """A writable engine, for the ingest tools only; on SQLite every statement, DDL too, is transactional."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _senza_autobegin(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            # pysqlite opens transactions only before DML, so CREATE TABLE would escape a rollback.
            dbapi_conn.isolation_level = None
            # WAL: while a load runs, and after it is killed, readers keep the last committed data (no hot
            # journal for a read-only reader to roll back, no "database is locked"). The mode stays in the file.
            dbapi_conn.execute("PRAGMA journal_mode = WAL")

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # Take the write lock up front: what was validated is what gets written.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def crea_schema(conn: Connection) -> None:
    """Create every table, column and index of the contract that does not exist yet.

    create_all adds neither a column nor an index to a table that already exists: a database loaded by an earlier
    release gets the optional columns added since (e.g. the case owner) and the new indexes on its next load.
    """
    metadata.create_all(conn)
    esistenti = inspect(conn)
    for tabella in metadata.sorted_tables:
        presenti = {c["name"] for c in esistenti.get_columns(tabella.name)}
        for colonna in tabella.columns:
            if colonna.name not in presenti and colonna.nullable:
                tipo = colonna.type.compile(dialect=conn.dialect)
                nome = conn.dialect.identifier_preparer.quote(colonna.name)
                conn.exec_driver_sql(f"ALTER TABLE {tabella.name} ADD COLUMN {nome} {tipo}")
                log.info("aggiunta la colonna %s.%s", tabella.name, colonna.name)
        for indice in tabella.indexes:
            indice.create(conn, checkfirst=True)


def inserisci(conn: Connection, tabelle: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Insert rows table by table, in dependency order, in chunks."""
    for table in metadata.sorted_tables:
        rows = tabelle.get(table.name, ())
        for chunk in _chunks(rows, CHUNK):
            conn.execute(table.insert(), chunk)
        if rows:
            log.info("inserted %d rows into %s", len(rows), table.name)
    aggiorna_aggregati(conn)


def upsert(
    conn: Connection,
    table: Table,
    rows: Iterable[Mapping[str, Any]],
    chiave: Sequence[str],
    escludi_dal_confronto: Sequence[str] = (),
) -> int:
    """Insert rows, or update the row with the same key when a value differs; identical rows stay untouched."""
    if conn.dialect.name not in DIALETTI:
        raise ValueError(f"unsupported database dialect for upsert: {conn.dialect.name}")
    blocchi = _chunks(rows, CHUNK)
    primo = next(blocchi, None)
    if not primo:
        return 0
    insert = sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert
    stmt = insert(table)
    colonne = [c for c in primo[0] if c not in chiave]
    confronto = [c for c in colonne if c not in escludi_dal_confronto]
    if confronto:
        # The WHERE keeps identical rows untouched, so a re-import writes nothing.
        stmt = stmt.on_conflict_do_update(
            index_elements=list(chiave),
            set_={c: stmt.excluded[c] for c in colonne},
            where=or_(*(table.c[c].is_distinct_from(stmt.excluded[c]) for c in confronto)),
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(chiave))
    n = 0
    for chunk in itertools.chain([primo], blocchi):
        conn.execute(stmt, chunk)
        n += len(chunk)
    log.info("upserted %d rows into %s", n, table.name)
    return n


def _aggregati(dialetto: str) -> dict[Table, Select]:
    """Each derived table with the GROUP BY of the step cohort's worker rows that fills it."""
    lv = lavoratore.c
    chiave = (lv.anno, lv.tipo, lv.sigla_provincia)
    coorte = lv.stato_step.is_not(None)

    def raggruppa(*colonne: Any, dove: Sequence[Any] = (), per: Sequence[Any] = ()) -> Select:
        return select(*chiave, *colonne).where(coorte, *dove).group_by(*chiave, *per)

    def vero(condizione: ColumnElement[bool]) -> ColumnElement[bool]:
        return case((condizione, true()), else_=false())

    def durata(da: str, a: str) -> Select:
        giorni_presi = giorni(dialetto, DATE_STEP[a], DATE_STEP[da]).label("giorni")
        return raggruppa(
            literal(codice_intervallo(da, a)).label("intervallo"),
            giorni_presi,
            func.count().label("lavoratori"),
            dove=(DATE_STEP[da].is_not(None), DATE_STEP[a].is_not(None)),
            per=(giorni_presi,),
        )

    durate = [durata(da, a) for da, a in INTERVALLI]
    # Grouped by their labels: PostgreSQL would not match two copies of an expression with a bound parameter.
    esonerato = vero(lv.stato_step == NO_PAL.codice).label("esonerato")
    pal = vero(lv.data_step4.is_not(None)).label("pal")
    giorni_pal = giorni(dialetto, lv.data_step4, lv.data_step1)
    entro = vero(and_(lv.data_step4.is_not(None), giorni_pal <= GIORNI_OBIETTIVO_GOL)).label("pal_entro_obiettivo")
    return {
        agg_step_percorsi: raggruppa(
            lv.stato_step,
            func.count().label("lavoratori"),
            *(func.count(col).label(codice.lower()) for codice, col in DATE_STEP.items()),
            per=(lv.stato_step,),
        ),
        agg_step_durate: durate[0].union_all(*durate[1:]),
        agg_step_presa: raggruppa(
            lv.data_step1,
            esonerato,
            pal,
            entro,
            func.count().label("lavoratori"),
            dove=(lv.data_step1.is_not(None),),
            per=(lv.data_step1, esonerato, pal, entro),
        ),
        agg_step_misure: raggruppa(
            lv.misura_pal,
            func.count().label("lavoratori"),
            dove=(lv.misura_pal.is_not(None),),
            per=(lv.misura_pal,),
        ),
        agg_step_operatori: raggruppa(
            lv.operatore_id,
            func.count().label("lavoratori"),
            func.count(lv.data_step4).label("pal"),
            dove=(lv.operatore_id.is_not(None),),
            per=(lv.operatore_id,),
        ),
        agg_step_procedura: raggruppa(
            lv.procedura_id, lv.stato_step, func.count().label("lavoratori"), per=(lv.procedura_id, lv.stato_step)
        ),
    }


def _aggregati_misure(dialetto: str) -> dict[Table, Select]:
    """The Misure PAL derived tables with the GROUP BY of the records (and of the STEP 4 workers) that fills each."""
    iv = intervento_pal.c
    chiave = (iv.anno, iv.misura, iv.sigla_provincia)
    mese = cast(extract("month", iv.data_assegnazione), Integer).label("mese")

    def conteggi() -> list[ColumnElement[int]]:
        return [
            func.count().label("interventi"),
            func.count(distinct(iv.id_lavoratore)).label("lavoratori"),
            *(func.coalesce(func.sum(iv[c]), 0).label(c) for c in ("assegnato_cent", "speso_cent", "risultato_cent")),
        ]

    def pluriprovincia(chi: str, *colonne: ColumnElement[Any]) -> Select:
        """The distinct (anno, misura, provincia, chi, colonne) of the `chi` with records in two or more provinces.

        One pass with window functions: a worker or company is in more than one province of a year and measure when
        the first and last province of its records differ (a join back to a GROUP BY of the records took minutes).
        """
        celle = select(*chiave, iv[chi], *colonne).distinct().subquery("celle")
        c = celle.c
        finestra = {"partition_by": (c.anno, c.misura, c[chi])}
        con_estremi = select(
            celle,
            func.min(c.sigla_provincia).over(**finestra).label("prima_provincia"),
            func.max(c.sigla_provincia).over(**finestra).label("ultima_provincia"),
        ).subquery("con_estremi")
        e = con_estremi.c
        uscita = [e[x.name] for x in celle.c]
        return select(*uscita).where(e.prima_provincia != e.ultima_provincia)

    lv = lavoratore.c
    step4 = and_(lv.tipo == TIPO_MODELLO_STEP, lv.stato_step == STEP_PAL.codice)

    def prima(stessa_misura: bool) -> Any:
        """The worker's first assignment (of their own measure): one index lookup per STEP 4 worker."""
        dove = [iv.id_lavoratore == lv.id] + ([iv.misura == lv.misura_pal] if stessa_misura else [])
        return select(func.min(iv.data_assegnazione)).where(*dove).correlate(lavoratore).scalar_subquery()

    percorsi = (
        select(
            lv.anno,
            lv.sigla_provincia,
            lv.misura_pal,
            lv.data_step4,
            prima(True).label("prima"),
            prima(False).label("prima_qualsiasi"),
        )
        .where(step4)
        .subquery("percorsi")
    )
    pc = percorsi.c
    a, b = intervento_pal.alias("a"), intervento_pal.alias("b")
    mai = literal(date(9999, 12, 31))

    def inizio(t: Any) -> ColumnElement[date]:
        return func.coalesce(t.c.data_avvio, t.c.data_assegnazione)

    def fine(t: Any) -> ColumnElement[date]:
        return func.coalesce(t.c.data_fine, mai)

    attesa = giorni(dialetto, pc.prima, pc.data_step4).label("giorni")
    stessa, qualsiasi = pc.prima.is_not(None), pc.prima_qualsiasi.is_not(None)
    return {
        agg_misure_provincia: select(
            *chiave, *conteggi(), func.count(distinct(iv.azienda_id)).label("aziende")
        ).group_by(*chiave),
        agg_misure_mesi: select(*chiave, mese, *conteggi()).group_by(*chiave, mese),
        agg_misure_operatori: select(*chiave, iv.operatore_id, *conteggi())
        .where(iv.operatore_id.is_not(None))
        .group_by(*chiave, iv.operatore_id),
        agg_misure_esiti: select(
            *chiave, iv.esito_180, func.count(distinct(iv.id_lavoratore)).label("lavoratori")
        ).group_by(*chiave, iv.esito_180),
        agg_misure_lavoratori_pluriprovincia: pluriprovincia("id_lavoratore", mese, iv.operatore_id, iv.esito_180),
        agg_misure_aziende_pluriprovincia: pluriprovincia("azienda_id"),
        agg_misure_step4: select(
            pc.anno,
            pc.sigla_provincia,
            pc.misura_pal,
            func.count().label("step4"),
            func.sum(case((stessa, 1), else_=0)).label("con_intervento"),
            func.sum(case((and_(~stessa, qualsiasi), 1), else_=0)).label("altra_misura"),
        ).group_by(pc.anno, pc.sigla_provincia, pc.misura_pal),
        agg_misure_ritardi: select(pc.anno, pc.sigla_provincia, pc.misura_pal, attesa, func.count().label("lavoratori"))
        .where(stessa)
        .group_by(pc.anno, pc.sigla_provincia, pc.misura_pal, attesa),
        agg_misure_sovrapposte: select(a.c.id, b.c.id.label("id_altro"))
        .select_from(a.join(b, and_(a.c.id_lavoratore == b.c.id_lavoratore, a.c.misura == b.c.misura)))
        .where(a.c.id < b.c.id, inizio(a) <= fine(b), inizio(b) <= fine(a)),
        **_violazioni_misure(),
    }


def _violazioni_misure() -> dict[Table, Select]:
    """The rule checks' derived tables: the records and companies above a cap, the Azioni di Rete projects."""
    iv, p = intervento_pal.c, progetto_rete.c
    per_impresa = [m for m in MISURE if m.massimale_impresa_cent is not None]
    # Per company and province, with the company's total over every province alongside (one pass: a join back to the
    # companies above the cap read a whole year and measure of records for each of them).
    per_provincia = (
        select(
            iv.anno,
            iv.misura,
            iv.azienda_id,
            iv.sigla_provincia,
            func.count().label("interventi"),
            func.sum(iv.assegnato_cent).label("assegnato_cent"),
            func.sum(func.sum(iv.assegnato_cent))
            .over(partition_by=(iv.anno, iv.misura, iv.azienda_id))
            .label("totale_impresa"),
        )
        .where(iv.misura.in_([m.nome for m in per_impresa]))
        .group_by(iv.anno, iv.misura, iv.azienda_id, iv.sigla_provincia)
        .subquery("per_provincia")
    )
    pp = per_provincia.c
    tetto_impresa = case(*((pp.misura == m.nome, literal(m.massimale_impresa_cent)) for m in per_impresa))
    somme = [func.coalesce(func.sum(iv[c]), 0).label(c) for c in ("assegnato_cent", "speso_cent", "risultato_cent")]
    return {
        agg_misure_oltre_massimale: select(iv.id, iv.sigla_provincia, iv.anno, iv.misura, iv.codice_fonte).where(
            or_(iv.assegnato_cent > tetto("assegnato_cent"), iv.risultato_cent > tetto("risultato_cent"))
        ),
        agg_misure_aziende_oltre: select(
            pp.anno, pp.misura, pp.azienda_id, pp.sigla_provincia, pp.interventi, pp.assegnato_cent
        ).where(pp.totale_impresa > tetto_impresa),
        agg_misure_progetti: select(
            p.id,
            func.count(distinct(iv.id_lavoratore)).label("lavoratori"),
            func.count(distinct(iv.azienda_id)).label("aziende"),
            func.count(distinct(settore())).label("settori"),
            *somme,
        )
        .select_from(
            progetto_rete.outerjoin(intervento_pal, iv.progetto_id == p.id).outerjoin(
                azienda, azienda.c.id == iv.azienda_id
            )
        )
        .group_by(p.id),
        agg_misure_progetti_aziende: select(
            iv.progetto_id, iv.azienda_id, func.count(distinct(iv.id_lavoratore)).label("lavoratori")
        )
        .where(iv.progetto_id.is_not(None))
        .group_by(iv.progetto_id, iv.azienda_id),
    }


def tabelle_sorgente() -> set[str]:
    """The tables the derived tables are computed from: a batch that writes none of them leaves them as they are."""
    stmts = (_aggregati("sqlite") | _aggregati_misure("sqlite")).values()
    lette = {t for s in stmts for t in find_tables(s, include_aliases=True)}
    return {getattr(t, "element", t).name for t in lette if isinstance(getattr(t, "element", t), Table)}


def aggiorna_aggregati(conn: Connection) -> None:
    """Rebuild every derived table from the worker and record rows, in the caller's transaction."""
    dialetto = conn.dialect.name
    for tabella, stmt in (_aggregati(dialetto) | _aggregati_misure(dialetto)).items():
        conn.execute(delete(tabella))
        conn.execute(tabella.insert().from_select([c.name for c in tabella.columns], stmt))
        log.info("refreshed %s", tabella.name)


def _chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk
