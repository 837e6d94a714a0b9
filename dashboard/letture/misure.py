"""Misure PAL: the reads of the view (queries and privacy), shared by the page's loaders, reports and tests.

Worker counts finer than a province's total per measure (months, operators, outcomes, projects) go through
dashboard.privacy: a hidden count is null and `<colonna>_soppresso` says how it reads; the amounts and records of a
hidden cell are hidden with it. The rule checks are lists of records for the directorate's controls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy.engine import Engine

from dashboard import privacy
from data_access.dominio import ESITI_PAL, MISURA, MISURA_PROGETTI, MISURE, MISURE_PAL, TOTALE
from data_access.queries import misure as q
from data_access.queries.step import mediana_da_istogramma

IMPORTI = list(q.IMPORTI)
NON_NOTO = "non ancora noto"


@dataclass(frozen=True)
class QuadroMisure:
    """Everything the page shows about the measures for a year and a perimeter (privacy applied)."""

    anno: int
    totali: pl.DataFrame  # anno, misura: every year, for the budget and the comparison
    dotazioni: pl.DataFrame  # misura, dotazione_cent, atto, pubblicata
    per_provincia: pl.DataFrame  # anno, misura, sigla (this year and the one before)
    per_mese: pl.DataFrame  # misura, mese
    operatori: pl.DataFrame
    esiti: pl.DataFrame
    progetti: pl.DataFrame
    progetti_aziende: pl.DataFrame
    collegamento: pl.DataFrame  # sigla (with 'TOT'), misura: STEP 4 workers with a record, median days


@dataclass(frozen=True)
class Controllo:
    """One rule, and the records (or companies, projects) that break it."""

    codice: str
    titolo: str
    regola: str
    righe: pl.DataFrame


def dotazioni(engine: Engine) -> pl.DataFrame:
    """Each measure's budget: the loaded one, else the published one of dominio.MISURE (None when neither)."""
    caricate = {r["misura"]: r for r in q.dotazioni(engine).iter_rows(named=True)}
    righe = []
    for m in MISURE:
        riga = caricate.get(m.nome)
        if riga is not None:
            righe.append((m.nome, riga["dotazione_cent"], riga["atto"], False))
        else:
            righe.append((m.nome, m.dotazione_cent, m.atto or None, m.dotazione_cent is not None))
    schema = {"misura": pl.String, "dotazione_cent": pl.Int64, "atto": pl.String, "pubblicata": pl.Boolean}
    return pl.DataFrame(righe, schema=schema, orient="row")


def _griglia(df: pl.DataFrame, **dimensioni: Sequence[object]) -> pl.DataFrame:
    """Every combination of the dimensions' values, zeros where the query has no row.

    Secondary suppression needs the zeros: a table that lacks them hides far more than the rule requires.
    """
    griglia: pl.DataFrame | None = None
    for nome, valori in dimensioni.items():
        colonna = pl.DataFrame({nome: list(valori)}, schema={nome: df.schema[nome]})
        griglia = colonna if griglia is None else griglia.join(colonna, how="cross")
    assert griglia is not None
    valori = [c for c in df.columns if c not in dimensioni]
    return griglia.join(df, on=list(dimensioni), how="left").with_columns(
        pl.col(c).fill_null(0) for c in valori if df.schema[c].is_integer()
    )


def _per_provincia(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """Workers by measure and province for the year and the one before, each year a measure x province table."""
    grezzo = q.per_provincia(engine, (anno - 1, anno), province)
    anni = []
    for a in (anno - 1, anno):
        df = grezzo.filter(pl.col("anno") == a).drop("anno")
        if df.is_empty():
            continue
        df = _griglia(df, misura=MISURE_PAL, sigla=province).with_columns(anno=pl.lit(a, pl.Int64))
        nascosti = privacy.maschera(df, "lavoratori", "misura", "sigla")
        anni.append(privacy.nascondi(df, "lavoratori", nascosti, ["interventi", *IMPORTI]))
    return pl.concat(anni, how="diagonal") if anni else grezzo


def _per_mese(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    df = _griglia(q.per_mese(engine, anno, province), misura=MISURE_PAL, mese=range(1, 13))
    return privacy.nascondi(df, "lavoratori", privacy.maschera(df, "lavoratori", "misura", "mese"), ["interventi"])


def _operatori(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    df = q.operatori(engine, anno, province)
    nascosti = privacy.maschera(df, "lavoratori", None, "misura")
    return privacy.nascondi(df, "lavoratori", nascosti, ["interventi", *IMPORTI])


def _esiti(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    df = q.esiti(engine, anno, province).with_columns(pl.col("esito").fill_null(NON_NOTO))
    df = _griglia(df, misura=MISURE_PAL, esito=[*ESITI_PAL, NON_NOTO])
    return privacy.nascondi(df, "lavoratori", privacy.maschera(df, "lavoratori", "misura", "esito"))


def _progetti(engine: Engine, province: Sequence[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    progetti = q.progetti(engine, province)
    progetti = privacy.nascondi(progetti, "lavoratori", privacy.maschera(progetti, "lavoratori", None, None))
    aziende = q.progetti_aziende(engine, province)
    aziende = privacy.nascondi(aziende, "lavoratori", privacy.maschera(aziende, "lavoratori", "codice", None))
    return progetti, aziende


def collegamento(engine: Engine, anno: int, province: Sequence[str]) -> pl.DataFrame:
    """STEP 4 workers by province and measure, and the selection's total (sigla 'TOT').

    With a record of their own measure, of another measure only, or none; median days from STEP 4 to the record
    of their measure (hidden when fewer workers than the threshold have one).
    """
    conteggi = ["step4", "con_intervento", "altra_misura"]
    per_prov = _griglia(q.collegamento_step4(engine, anno, province), sigla=province, misura=MISURE_PAL)
    totale = per_prov.group_by("misura").agg(pl.col(conteggi).sum()).with_columns(sigla=pl.lit(TOTALE))
    df = pl.concat([totale.select(per_prov.columns), per_prov]).with_columns(
        senza=pl.col("step4") - pl.col("con_intervento") - pl.col("altra_misura")
    )
    ist = q.ritardi_step4(engine, anno, province)
    mediane = pl.concat(
        [
            mediana_da_istogramma(ist, ["sigla", "misura"]),
            mediana_da_istogramma(
                ist.group_by("misura", "giorni").agg(pl.col("lavoratori").sum()), ["misura"]
            ).with_columns(sigla=pl.lit(TOTALE)),
        ],
        how="diagonal",
    ).rename({"lavoratori": "con_giorni", "mediana": "giorni_mediana"})
    df = df.join(mediane, on=["sigla", "misura"], how="left")
    # Provinces x measures, below the selection's total: each count column is a table with its row and column totals.
    totale, province_ = df.filter(pl.col("sigla") == TOTALE), df.filter(pl.col("sigla") != TOTALE)
    for c in [*conteggi, "senza"]:
        derivate = ["giorni_mediana"] if c == "con_intervento" else []
        province_ = privacy.nascondi(province_, c, privacy.maschera(province_, c, "misura", "sigla"), derivate)
    df = pl.concat([totale, province_], how="diagonal")
    poche = pl.col("con_giorni").fill_null(0) < privacy.soglia()
    return df.with_columns(
        pl.when(poche).then(None).otherwise(pl.col("giorni_mediana")).alias("giorni_mediana"),
        pl.when(poche & pl.col(privacy.marcatore("giorni_mediana")).is_null())
        .then(pl.lit(privacy.etichetta()))
        .otherwise(pl.col(privacy.marcatore("giorni_mediana")))
        .alias(privacy.marcatore("giorni_mediana")),
    ).sort(pl.col("sigla") != TOTALE, "sigla", "misura")


def quadro(engine: Engine, anno: int, province: Sequence[str]) -> QuadroMisure:
    """The view's data for a year and a perimeter."""
    progetti, aziende = _progetti(engine, province)
    return QuadroMisure(
        anno=anno,
        totali=q.totali(engine, province),
        dotazioni=dotazioni(engine),
        per_provincia=_per_provincia(engine, anno, province),
        per_mese=_per_mese(engine, anno, province),
        operatori=_operatori(engine, anno, province),
        esiti=_esiti(engine, anno, province),
        progetti=progetti,
        progetti_aziende=aziende,
        collegamento=collegamento(engine, anno, province),
    )


# --- rule checks ----------------------------------------------------------------------------------------------------
def _euro(cent: int | None) -> str:
    return "—" if cent is None else f"{cent // 100:,}".replace(",", ".") + " €"


def controlli(engine: Engine, province: Sequence[str]) -> list[Controllo]:
    """Every rule of dominio.MISURE with the rows that break it (every year, in the perimeter)."""
    rete = MISURA[MISURA_PROGETTI]
    fc = next(m for m in MISURE if m.massimale_impresa_cent is not None)
    progetti = q.progetti(engine, province)
    # The workers of a project are a list, not cells of a shown total: small counts read '<3'.
    progetti = privacy.nascondi(progetti, "lavoratori", privacy.primaria(progetti, "lavoratori"))
    minimo, massimo = rete.minimo_lavoratori_progetto, rete.massimo_aziende_progetto
    sottodimensionati = progetti.filter(pl.col("lavoratori").fill_null(0) < minimo)
    massimali = ", ".join(
        f"{m.nome} {_euro(m.massimale_persona_cent)}" for m in MISURE if m.massimale_persona_cent is not None
    )
    return [
        Controllo(
            "massimale_persona",
            "Interventi sopra il massimale per persona",
            f"Valore massimo per lavoratore: {massimali}; servizi a risultato di {MISURA_PROGETTI} fino a "
            f"{_euro(rete.massimale_risultato_cent)} ({_euro(rete.massimale_autoimpiego_cent)} per "
            "l'autoimprenditorialità).",
            q.oltre_massimale(engine, province),
        ),
        Controllo(
            "massimale_impresa",
            "Imprese sopra il massimale per impresa",
            f"{fc.nome}: al massimo {_euro(fc.massimale_impresa_cent)} di voucher per impresa in un anno.",
            q.aziende_oltre_massimale(engine, province),
        ),
        Controllo(
            "progetti_piccoli",
            f"Progetti {MISURA_PROGETTI} con meno di {minimo} lavoratori",
            f"Ogni progetto è rivolto ad almeno {minimo} persone.",
            sottodimensionati,
        ),
        Controllo(
            "progetti_aziende",
            f"Progetti {MISURA_PROGETTI} con più di {massimo} aziende",
            f"I lavoratori di un progetto vengono da al massimo {massimo} aziende.",
            progetti.filter(pl.col("aziende") > massimo),
        ),
        Controllo(
            "progetti_settori",
            f"Progetti {MISURA_PROGETTI} con aziende di settori diversi",
            "Le aziende di un progetto sono dello stesso settore o filiera: qui divisioni ATECO diverse, da "
            "verificare (la filiera non è nei dati).",
            progetti.filter(pl.col("settori") > 1),
        ),
        Controllo(
            "doti_sovrapposte",
            "Lavoratori con due interventi della stessa misura nello stesso periodo",
            "Una persona ha una sola dote, un solo voucher o un solo progetto di una misura alla volta.",
            q.doti_sovrapposte(engine, province),
        ),
        Controllo(
            "speso_oltre_assegnato",
            "Speso oltre l'assegnato",
            "Il valore speso o rendicontato non supera quello assegnato.",
            q.speso_oltre_assegnato(engine, province),
        ),
    ]
