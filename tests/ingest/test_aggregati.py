"""Derived tables: each equals the GROUP BY of the worker rows, after a load, a re-import and on PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import column, select, table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from data_access.dominio import GIORNI_OBIETTIVO_GOL
from data_access.schema import TABELLE_DERIVATE, lavoratore, metadata
from ingest.load import carica, main
from ingest.writer import engine_scrittura, giorni

CHIAVE = ["anno", "tipo", "sigla_provincia"]
INTERVALLI = (("data_step1", "data_step2"), ("data_step2", "data_step3"), ("data_step3", "data_step4"))


def _giorni(fine: str, inizio: str) -> pl.Expr:
    return (pl.col(fine) - pl.col(inizio)).dt.total_days()


def attesi(lavoratori: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The derived tables recomputed here from the worker rows, independently of the writer's SQL."""
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


def controlla(engine: Engine) -> dict[str, pl.DataFrame]:
    """Assert every derived table equals its recomputation from the worker rows; return the tables."""
    lavoratori = _tabella(engine, lavoratore.name)
    trovate = {nome: _tabella(engine, nome) for nome in TABELLE_DERIVATE}
    for nome, atteso in attesi(lavoratori).items():
        assert trovate[nome].height > 0, nome
        _uguali(atteso, trovate[nome])
    return trovate


def test_ogni_tabella_derivata_ha_il_suo_controllo() -> None:
    assert set(TABELLE_DERIVATE) == set(attesi(_tabella_vuota()))


def _tabella_vuota() -> pl.DataFrame:
    schema = {
        "anno": pl.Int64,
        "tipo": pl.String,
        "sigla_provincia": pl.String,
        "stato_step": pl.String,
        "misura_pal": pl.String,
        "operatore_id": pl.Int64,
        "procedura_id": pl.Int64,
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
