"""Derived tables: each equals the GROUP BY of the worker rows, after a load, a re-import and on PostgreSQL."""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import column, select, table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from data_access.dominio import ESITO_AUTOIMPIEGO, GIORNI_OBIETTIVO_GOL, MISURE, SIGLE
from data_access.queries import misure as q
from data_access.schema import TABELLE_DERIVATE, azienda, intervento_pal, lavoratore, metadata, progetto_rete
from ingest.demo import RETTIFICHE
from ingest.load import carica, main
from ingest.writer import aggiorna_aggregati, engine_scrittura, giorni
from tests.misure_dirette import differenze

CHIAVE = ["anno", "tipo", "sigla_provincia"]
INTERVALLI = (("data_step1", "data_step2"), ("data_step2", "data_step3"), ("data_step3", "data_step4"))


def _giorni(fine: str, inizio: str) -> pl.Expr:
    return (pl.col(fine) - pl.col(inizio)).dt.total_days()


def attesi(
    lavoratori: pl.DataFrame, interventi: pl.DataFrame, aziende: pl.DataFrame, progetti: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """The derived tables recomputed here from the worker and record rows, independently of the writer's SQL."""
    coorte = lavoratori.filter(pl.col("stato_step").is_not_null())
    passi = [(a, b) for a, b in INTERVALLI] + [("data_step1", "data_step4")]
    durate = pl.concat(
        [
            coorte.filter(pl.col(a).is_not_null() & pl.col(b).is_not_null())
            .with_columns(intervallo=pl.lit(f"STEP{a[-1]}-STEP{b[-1]}"), giorni=_giorni(b, a).cast(pl.Int64))
            .group_by([*CHIAVE, "intervallo", "giorni"])
            .agg(lavoratori=pl.len())
            for a, b in passi
        ]
    )
    pal = pl.col("data_step4").is_not_null()
    return {
        "agg_step_percorsi": coorte.group_by([*CHIAVE, "stato_step"]).agg(
            lavoratori=pl.len(), **{f"step{n}": pl.col(f"data_step{n}").count() for n in range(1, 5)}
        ),
        "agg_step_durate": durate,
        "agg_step_presa": coorte.filter(pl.col("data_step1").is_not_null())
        .with_columns(
            esonerato=pl.col("stato_step") == "NOPAL",
            pal=pal,
            pal_entro_obiettivo=pal & (_giorni("data_step4", "data_step1") <= GIORNI_OBIETTIVO_GOL).fill_null(False),
        )
        .group_by([*CHIAVE, "data_step1", "esonerato", "pal", "pal_entro_obiettivo"])
        .agg(lavoratori=pl.len()),
        "agg_step_misure": coorte.filter(pl.col("misura_pal").is_not_null())
        .group_by([*CHIAVE, "misura_pal"])
        .agg(lavoratori=pl.len()),
        "agg_step_operatori": coorte.filter(pl.col("operatore_id").is_not_null())
        .group_by([*CHIAVE, "operatore_id"])
        .agg(lavoratori=pl.len(), pal=pal.sum()),
        "agg_step_procedura": coorte.group_by([*CHIAVE, "procedura_id", "stato_step"]).agg(lavoratori=pl.len()),
        **attesi_misure(lavoratori, interventi),
        **attesi_controlli(interventi, aziende, progetti),
    }


CHIAVE_MISURA = ["anno", "misura", "sigla_provincia"]


def attesi_misure(lavoratori: pl.DataFrame, interventi: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The Misure PAL derived tables recomputed from the record rows (and the STEP 4 workers)."""
    iv = interventi.with_columns(mese=pl.col("data_assegnazione").dt.month().cast(pl.Int64))
    conteggi = {
        "interventi": pl.len(),
        "lavoratori": pl.col("id_lavoratore").n_unique(),
        **{c: pl.col(c).sum() for c in ("assegnato_cent", "speso_cent", "risultato_cent")},
    }

    def pluriprovincia(chi: str) -> pl.DataFrame:
        piu = iv.group_by("anno", "misura", chi).agg(pl.col("sigla_provincia").n_unique().alias("n"))
        return iv.join(piu.filter(pl.col("n") > 1).drop("n"), on=["anno", "misura", chi])

    step4 = lavoratori.filter(pl.col("tipo") == "CIGS_MIN", pl.col("stato_step") == "STEP4")
    prima = iv.group_by("id_lavoratore", "misura").agg(prima=pl.col("data_assegnazione").min())
    qualsiasi = iv.group_by("id_lavoratore").agg(prima_qualsiasi=pl.col("data_assegnazione").min())
    percorsi = (
        step4.join(prima, left_on=["id", "misura_pal"], right_on=["id_lavoratore", "misura"], how="left")
        .join(qualsiasi, left_on="id", right_on="id_lavoratore", how="left")
        .with_columns(stessa=pl.col("prima").is_not_null(), altra=pl.col("prima_qualsiasi").is_not_null())
    )
    chiave_step4 = ["anno", "sigla_provincia", "misura_pal"]
    periodi = iv.select(
        "id",
        "id_lavoratore",
        "misura",
        inizio=pl.coalesce("data_avvio", "data_assegnazione"),
        fine=pl.col("data_fine").fill_null(date(9999, 12, 31)),
    )
    coppie = periodi.join(periodi, on=["id_lavoratore", "misura"], suffix="_altro").filter(
        pl.col("id") < pl.col("id_altro"),
        pl.col("inizio") <= pl.col("fine_altro"),
        pl.col("inizio_altro") <= pl.col("fine"),
    )
    return {
        "agg_misure_provincia": iv.group_by(CHIAVE_MISURA).agg(**conteggi, aziende=pl.col("azienda_id").n_unique()),
        "agg_misure_mesi": iv.group_by([*CHIAVE_MISURA, "mese"]).agg(**conteggi),
        "agg_misure_operatori": iv.filter(pl.col("operatore_id").is_not_null())
        .group_by([*CHIAVE_MISURA, "operatore_id"])
        .agg(**conteggi),
        "agg_misure_esiti": iv.group_by([*CHIAVE_MISURA, "esito_180"]).agg(
            lavoratori=pl.col("id_lavoratore").n_unique()
        ),
        "agg_misure_lavoratori_pluriprovincia": pluriprovincia("id_lavoratore")
        .select(*CHIAVE_MISURA, "id_lavoratore", "mese", "operatore_id", "esito_180")
        .unique(),
        "agg_misure_aziende_pluriprovincia": pluriprovincia("azienda_id").select(*CHIAVE_MISURA, "azienda_id").unique(),
        "agg_misure_step4": percorsi.group_by(chiave_step4).agg(
            step4=pl.len(),
            con_intervento=pl.col("stessa").sum(),
            altra_misura=(~pl.col("stessa") & pl.col("altra")).sum(),
        ),
        "agg_misure_ritardi": percorsi.filter(pl.col("stessa"))
        .with_columns(giorni=_giorni("prima", "data_step4").cast(pl.Int64))
        .group_by([*chiave_step4, "giorni"])
        .agg(lavoratori=pl.len()),
        "agg_misure_sovrapposte": coppie.select("id", "id_altro"),
    }


def attesi_controlli(
    interventi: pl.DataFrame, aziende: pl.DataFrame, progetti: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """The rule checks' derived tables recomputed from the records, the companies and the projects."""
    tetti = pl.DataFrame(
        {
            "misura": [m.nome for m in MISURE],
            "persona": [m.massimale_persona_cent for m in MISURE],
            "risultato": [m.massimale_risultato_cent for m in MISURE],
            "autoimpiego": [m.massimale_autoimpiego_cent for m in MISURE],
            "impresa": [m.massimale_impresa_cent for m in MISURE],
        },
        schema={"misura": pl.String, **dict.fromkeys(["persona", "risultato", "autoimpiego", "impresa"], pl.Int64)},
    )
    iv = interventi.join(tetti, on="misura", how="left")
    tetto_risultato = (
        pl.when(pl.col("risultato").is_null())
        .then(None)
        .when(pl.col("esito_180") == ESITO_AUTOIMPIEGO)
        .then(pl.col("autoimpiego"))
        .otherwise(pl.col("risultato"))
    )
    oltre = iv.filter(
        (pl.col("assegnato_cent") > pl.col("persona")).fill_null(False)
        | (pl.col("risultato_cent") > tetto_risultato).fill_null(False)
    )
    impresa = ["anno", "misura", "azienda_id"]
    per_provincia = (
        iv.filter(pl.col("impresa").is_not_null())
        .group_by([*impresa, "sigla_provincia"])
        .agg(interventi=pl.len(), assegnato_cent=pl.col("assegnato_cent").sum(), impresa=pl.col("impresa").first())
    )
    sopra = (
        per_provincia.group_by(impresa)
        .agg(totale=pl.col("assegnato_cent").sum(), impresa=pl.col("impresa").first())
        .filter(pl.col("totale") > pl.col("impresa"))
    )
    nei_progetti = interventi.filter(pl.col("progetto_id").is_not_null()).join(
        aziende.select(azienda_id="id", settore=pl.col("ateco_codice").str.slice(0, 2)), on="azienda_id", how="left"
    )
    importi = ["assegnato_cent", "speso_cent", "risultato_cent"]
    per_progetto = nei_progetti.group_by("progetto_id").agg(
        lavoratori=pl.col("id_lavoratore").n_unique(),
        aziende=pl.col("azienda_id").n_unique(),
        settori=pl.col("settore").drop_nulls().n_unique(),
        **{c: pl.col(c).sum() for c in importi},
    )
    return {
        "agg_misure_oltre_massimale": oltre.select("id", "sigla_provincia", "anno", "misura", "codice_fonte"),
        "agg_misure_aziende_oltre": per_provincia.join(sopra.select(impresa), on=impresa).drop("impresa"),
        "agg_misure_progetti": progetti.select(progetto_id="id")
        .join(per_progetto, on="progetto_id", how="left")
        .with_columns(pl.exclude("progetto_id").fill_null(0)),
        "agg_misure_progetti_aziende": nei_progetti.group_by("progetto_id", "azienda_id").agg(
            lavoratori=pl.col("id_lavoratore").n_unique()
        ),
    }


def _tabella(engine: Engine, nome: str) -> pl.DataFrame:
    tabella = metadata.tables[nome]
    with engine.connect() as conn:
        righe = [tuple(r) for r in conn.execute(select(tabella))]
    return pl.DataFrame(righe, schema=[c.name for c in tabella.columns], orient="row", infer_schema_length=None)


def _uguali(atteso: pl.DataFrame, trovato: pl.DataFrame) -> None:
    colonne = list(trovato.columns)
    atteso = atteso.select(colonne).cast({c: trovato.schema[c] for c in colonne}).sort(colonne)
    assert trovato.sort(colonne).equals(atteso), trovato.sort(colonne).join(atteso, on=colonne, how="anti")


# In the demo no worker has records of one measure in two provinces in a year (companies do).
POSSONO_ESSERE_VUOTE = {"agg_misure_lavoratori_pluriprovincia"}


def controlla(engine: Engine) -> dict[str, pl.DataFrame]:
    """Assert every derived table equals its recomputation from the worker and record rows; return the tables."""
    lavoratori = _tabella(engine, lavoratore.name)
    interventi = _tabella(engine, intervento_pal.name)
    aziende, progetti = _tabella(engine, azienda.name), _tabella(engine, progetto_rete.name)
    trovate = {nome: _tabella(engine, nome) for nome in TABELLE_DERIVATE}
    for nome, atteso in attesi(lavoratori, interventi, aziende, progetti).items():
        assert trovate[nome].height > 0 or nome in POSSONO_ESSERE_VUOTE, nome
        _uguali(atteso, trovate[nome])
    return trovate


def test_ogni_tabella_derivata_ha_il_suo_controllo() -> None:
    tipi = {int: pl.Int64, date: pl.Date, str: pl.String}
    vuota = pl.DataFrame(schema={c.name: tipi[c.type.python_type] for c in intervento_pal.columns})
    aziende = pl.DataFrame(schema={"id": pl.Int64, "ateco_codice": pl.String})
    assert set(TABELLE_DERIVATE) == set(attesi(_tabella_vuota(), vuota, aziende, pl.DataFrame(schema={"id": pl.Int64})))


def _tabella_vuota() -> pl.DataFrame:
    schema = {
        "anno": pl.Int64,
        "tipo": pl.String,
        "sigla_provincia": pl.String,
        "stato_step": pl.String,
        "misura_pal": pl.String,
        "operatore_id": pl.Int64,
        "procedura_id": pl.Int64,
        "id": pl.String,
        **{f"data_step{n}": pl.Date for n in range(1, 5)},
    }
    return pl.DataFrame(schema=schema)


def test_aggregati_uguali_al_dettaglio_sul_demo(db: str) -> None:
    engine = engine_scrittura(db)
    trovate = controlla(engine)
    engine.dispose()
    # The published 2025 cohort, read from the derived table alone.
    percorsi = trovate["agg_step_percorsi"].filter(pl.col("anno") == 2025, pl.col("tipo") == "CIGS_MIN")
    assert percorsi["lavoratori"].sum() == 4377
    assert percorsi.filter(pl.col("stato_step") == "STEP4")["lavoratori"].sum() == 2232


def test_aggregati_seguono_un_reimport(db: str, tmp_path: Path) -> None:
    """A batch that moves a procedure to another year and type, and adds a worker: the derived tables follow."""
    engine = engine_scrittura(db)
    prima = controlla(engine)["agg_step_percorsi"]
    lotto = tmp_path / "lotto"
    lotto.mkdir()
    (lotto / "procedure.csv").write_text(
        "codice_procedura;codice_azienda;tipo;linea_guida;anno;data_inizio;data_fine;stato\n"
        "VO-2025-000253;AZ000253;CIGS_REG;C;2023;29/01/2023;;in corso\n",
        encoding="utf-8",
    )
    (lotto / "lavoratori_MI.csv").write_text(
        "id_lavoratore;codice_procedura;codice_unita;data_step1;data_esonero;motivo_esonero\n"
        "PSNUOVO0001;VO-2024-000001;UP0000001;02/03/2025;10/03/2025;Rientro in servizio\n",
        encoding="utf-8",
    )
    carica(engine, [lotto], data_estrazione=date(2026, 1, 31))
    dopo = controlla(engine)["agg_step_percorsi"]
    engine.dispose()
    assert dopo.filter(pl.col("anno") == 2023)["lavoratori"].sum() > 0
    assert dopo["lavoratori"].sum() == prima["lavoratori"].sum() + 1


@pytest.mark.postgres
def test_aggregati_uguali_al_dettaglio_su_postgres(postgres_vuoto: str, estratti_demo: Path) -> None:
    assert main(["--db", postgres_vuoto, str(estratti_demo)]) == 0
    engine = engine_scrittura(postgres_vuoto)
    controlla(engine)
    engine.dispose()


def test_day_arithmetic_is_written_for_each_engine() -> None:
    t = table("lavoratore", column("data_step1"), column("data_step4"))
    espr = giorni("sqlite", t.c.data_step4, t.c.data_step1)
    assert "julianday" in str(espr.compile(dialect=sqlite.dialect())).lower()
    pg = str(giorni("postgresql", t.c.data_step4, t.c.data_step1).compile(dialect=postgresql.dialect()))
    assert "julianday" not in pg.lower()
    assert "lavoratore.data_step4 - lavoratore.data_step1" in pg


def test_un_lavoratore_in_due_province_conta_una_volta(db: str) -> None:
    """Records of one worker in two provinces: the perimeter's distinct counts read from the derived tables count
    the worker once, as the GROUP BY of the records does."""
    engine = engine_scrittura(db)
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE intervento_pal SET sigla_provincia = CASE WHEN sigla_provincia = 'BG' THEN 'MI' ELSE 'BG' END "
                "WHERE id IN (SELECT min(id) FROM intervento_pal GROUP BY anno, misura, id_lavoratore "
                "HAVING count(*) > 1)"
            )
        )
        # And one worker with a record of every 50: in every province, month, operator and outcome.
        conn.execute(text("UPDATE intervento_pal SET id_lavoratore = 'PSCONDIVISO' WHERE id % 50 = 0"))
        aggiorna_aggregati(conn)
    trovate = controlla(engine)
    assert trovate["agg_misure_lavoratori_pluriprovincia"]["id_lavoratore"].n_unique() >= 2
    interventi = _tabella(engine, intervento_pal.name).with_columns(
        mese=pl.col("data_assegnazione").dt.month().cast(pl.Int64)
    )
    lavoratori, aziende = pl.col("id_lavoratore").n_unique(), pl.col("azienda_id").n_unique()
    for perimetro in (("BG", "MI"), SIGLE):
        nel = interventi.filter(pl.col("sigla_provincia").is_in(perimetro))
        anno = nel.filter(pl.col("anno") == 2025)
        casi = [
            (q.totali(engine, perimetro), nel.group_by("anno", "misura").agg(lavoratori=lavoratori, aziende=aziende)),
            (q.per_mese(engine, 2025, perimetro), anno.group_by("misura", "mese").agg(lavoratori=lavoratori)),
            (
                q.esiti(engine, 2025, perimetro),
                anno.group_by("misura", esito="esito_180").agg(lavoratori=lavoratori),
            ),
            (
                q.operatori(engine, 2025, perimetro).select("misura", "lavoratori", "interventi"),
                anno.filter(pl.col("operatore_id").is_not_null())
                .group_by("misura", "operatore_id")
                .agg(lavoratori=lavoratori, interventi=pl.len())
                .drop("operatore_id"),
            ),
        ]
        for trovato, atteso in casi:
            colonne = [c for c in atteso.columns if c in trovato.columns]
            _uguali(atteso.select(colonne), trovato.select(colonne))
    engine.dispose()


def test_un_azienda_sopra_il_massimale_in_piu_province(db: str) -> None:
    """A company above the cap whose records are split between provinces: each province alone may be below the cap,
    together they are above it; the check read from the derived table says so as the records' SQL does."""
    engine = engine_scrittura(db)
    with engine.begin() as conn:
        sopra = conn.execute(text("SELECT anno, misura, azienda_id FROM agg_misure_aziende_oltre LIMIT 1")).one()
        chiave = {"anno": sopra.anno, "misura": sopra.misura, "azienda": sopra.azienda_id}
        dove = "WHERE anno = :anno AND misura = :misura AND azienda_id = :azienda"
        gia = {r[0] for r in conn.execute(text(f"SELECT DISTINCT sigla_provincia FROM intervento_pal {dove}"), chiave)}
        altra = next(s for s in SIGLE if s not in gia)
        conn.execute(
            text(f"UPDATE intervento_pal SET sigla_provincia = :altra {dove} AND id % 2 = 0"), chiave | {"altra": altra}
        )
        aggiorna_aggregati(conn)
    controlla(engine)
    righe = _tabella(engine, "agg_misure_aziende_oltre").filter(
        pl.col("anno") == sopra.anno, pl.col("misura") == sopra.misura, pl.col("azienda_id") == sopra.azienda_id
    )
    province = tuple(sorted(righe["sigla_provincia"]))
    assert altra in province and len(province) == len(gia | {altra})
    for perimetro in [(p,) for p in province] + [province, SIGLE]:
        assert differenze(engine, perimetro) == {}, perimetro
    trovata = q.aziende_oltre_massimale(engine, province).filter(
        pl.col("anno") == sopra.anno, pl.col("misura") == sopra.misura
    )
    assert len(province) in trovata["province"].to_list()
    engine.dispose()


def test_un_lotto_che_non_tocca_le_sorgenti_non_ricalcola(
    db: str, estratti_demo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The monitoring corrections the demo loads second touch no table the derived tables are computed from: the
    load keeps them as they are (at scale 100 recomputing them took minutes); a missing one is still created."""
    engine = engine_scrittura(db)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE agg_misure_progetti_aziende"))
    carica(engine, [estratti_demo / RETTIFICHE], caricato_il=datetime(2026, 1, 20, 9, 0))
    controlla(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM agg_step_percorsi"))  # a mark: only a rebuild refills it
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="ingest"):
        carica(engine, [estratti_demo / RETTIFICHE], caricato_il=datetime(2026, 1, 21, 9, 0))
    assert not [r for r in caplog.records if r.getMessage().startswith("refreshed agg_")]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM agg_step_percorsi")).scalar() == 0
    # A batch with worker rows recomputes them all.
    lotto = tmp_path / "lotto"
    lotto.mkdir()
    (lotto / "lavoratori_MI.csv").write_text(
        "id_lavoratore;codice_procedura;codice_unita;data_step1;data_esonero;motivo_esonero\n"
        "PSNUOVO0001;VO-2024-000001;UP0000001;02/03/2025;10/03/2025;Rientro in servizio\n",
        encoding="utf-8",
    )
    carica(engine, [lotto], data_estrazione=date(2026, 1, 31))
    assert controlla(engine)["agg_step_percorsi"].height > 0
    engine.dispose()


def test_un_database_caricato_prima_riceve_gli_indici_nuovi(db: str, estratti_demo: Path) -> None:
    """The indexes the rebuild reads are added to a database whose tables already exist."""
    engine = engine_scrittura(db)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_lavoratore_coorte"))
    carica(engine, [estratti_demo / RETTIFICHE], caricato_il=datetime(2026, 1, 20, 9, 0))
    with engine.connect() as conn:
        indici = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))}
    engine.dispose()
    assert "ix_lavoratore_coorte" in indici


def test_un_database_caricato_prima_riceve_le_colonne_facoltative_nuove(db: str, estratti_demo: Path) -> None:
    """A database loaded before the case owner existed gets its optional columns on the next load, then the values."""
    engine = engine_scrittura(db)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE caso_alta_complessita DROP COLUMN contatto_referente"))
        conn.execute(text("ALTER TABLE caso_alta_complessita DROP COLUMN referente"))
    carica(engine, [estratti_demo], caricato_il=datetime(2026, 1, 20, 9, 0))
    with engine.connect() as conn:
        colonne = {r[1] for r in conn.execute(text("PRAGMA table_info(caso_alta_complessita)"))}
        referenti = conn.execute(text("SELECT count(referente) FROM caso_alta_complessita")).scalar()
    engine.dispose()
    assert {"referente", "contatto_referente"} <= colonne
    assert referenti == 20
