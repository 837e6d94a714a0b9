"""The datasets of the Esporta dati page and their shaping into the exact tables previewed and downloaded (pure).

Each dataset is loaded by the same cached loader as the page that shows its figures (one source for each fact, see
`dashboard.loaders.esporta`): the official-table cells of Panoramica and Confronto, the step cohort of Step PAL, the
watch list of the Casi page.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from dashboard import formatting, privacy
from data_access.dominio import CODICI_TIPO, ETICHETTA_STEP, NOME_PROVINCIA, SIGLE, STATI_PERCORSO, TIPO, TOTALE

PARAM_DATASET = "dataset"
TOTALE_SIGLA, TOTALE_NOME = TOTALE, "Lombardia"
_ETICHETTA_TIPO = {t: TIPO[t].etichetta for t in CODICI_TIPO}


@dataclass(frozen=True)
class Dataset:
    """A dataset offered for download: URL key, label, what a row is and which filters apply."""

    chiave: str
    etichetta: str
    descrizione: str
    se_vuoto: str = "Cambiare anno, province o tipo di procedura nella barra laterale."
    con_anno: bool = True  # False: the sidebar's year does not apply to this dataset


DATASET: dict[str, Dataset] = {
    d.chiave: d
    for d in (
        Dataset(
            "procedure",
            "Procedure per provincia",
            "Le celle delle tabelle ufficiali: per anno, tipo di procedura e provincia, le unità produttive e i "
            "lavoratori coinvolti con il peso % della provincia sul totale regionale del tipo.",
        ),
        Dataset(
            "step",
            "Step PAL per provincia",
            "I lavoratori in CIGS ministeriale del modello a step (decreto 5151/2025) per provincia e step più "
            "avanzato raggiunto; il totale di ogni provincia è quello della tabella ufficiale.",
            "Il modello a step riguarda le CIGS ministeriali: includerle nel filtro «Tipo di procedura» e scegliere "
            "un anno in cui il modello era attivo (decreto 5151/2025).",
        ),
        Dataset(
            "casi",
            "Casi ad alta complessità",
            "I casi della pagina «Casi alta complessità», uno per riga e in ogni stato: azienda, settore, province, "
            "tipi di procedura, unità e lavoratori coinvolti nell'intero caso, stato, rischio, livelli istituzionali "
            "e scadenze. Come in quella pagina, un caso è incluso se almeno una sua unità o procedura è nelle "
            "province e nei tipi scelti; l'anno non si applica: i casi sono un elenco da seguire, non una "
            "statistica annuale.",
            "Nessun caso ha unità nelle province o procedure nei tipi scelti: cambiarli nella barra laterale.",
            con_anno=False,
        ),
        Dataset(
            "tavoli",
            "Tavoli e casi discussi",
            "I tavoli dell'anno (il regionale e i bilaterali delle province scelte) con i casi ad alta complessità "
            "discussi. Il filtro per tipo di procedura non si applica ai tavoli.",
        ),
    )
}
PREDEFINITO = "procedure"


def _ordina_province(df: pl.DataFrame, *altre: str) -> pl.DataFrame:
    """Rows in the official tables' province order (not alphabetical by code)."""
    rango = {s: i for i, s in enumerate(SIGLE)}
    return df.sort([*altre, pl.col("sigla").replace_strict(rango, default=len(SIGLE))])


def tabella_procedure(celle: pl.DataFrame, province: tuple[str, ...]) -> pl.DataFrame:
    """Official-table cells with the weight on the regional total (computed on all provinces, then filtered).

    The weight is the one of the official table on the Confronto page (`formatting.valore_peso`), cell for cell.
    """
    df = celle.with_columns(pl.col(m).sum().over("anno", "tipo").alias(f"_totale_{m}") for m in ("unita", "lavoratori"))
    df = df.with_columns(
        pl.Series(
            f"peso_{m}",
            [formatting.valore_peso(v, t) for v, t in zip(df[m], df[f"_totale_{m}"], strict=True)],
            pl.Float64,
        )
        for m in ("unita", "lavoratori")
    ).filter(pl.col("sigla").is_in(province))
    df = _ordina_province(df, "anno", "tipo")
    return df.select(
        pl.col("anno").alias("Anno"),
        pl.col("tipo").replace_strict(_ETICHETTA_TIPO).alias("Tipo di procedura"),
        pl.col("tipo").replace_strict({t: TIPO[t].linee_guida for t in CODICI_TIPO}).alias("Linee guida"),
        pl.col("sigla").alias("Sigla"),
        pl.col("sigla").replace_strict(NOME_PROVINCIA).alias("Provincia"),
        pl.col("unita").alias("Unità produttive"),
        pl.col("peso_unita").alias("Peso % unità"),
        pl.col("lavoratori").alias("Lavoratori coinvolti"),
        pl.col("peso_lavoratori").alias("Peso % lavoratori"),
        pl.col("procedure").alias("Procedure"),
    )


def _interi_dove_possibile(df: pl.DataFrame, colonne: list[str]) -> pl.DataFrame:
    """Count columns with no hidden cell go back to numbers, so that they export as numbers."""
    return df.with_columns(
        pl.col(c).cast(pl.Int64) for c in colonne if not any(privacy.e_soppressa(v) for v in df[c].to_list())
    )


def tabella_step(conteggi: pl.DataFrame, anno: int, province: tuple[str, ...], soglia: int) -> pl.DataFrame:
    """Province x stage counts, small cells suppressed on the whole table, then the provinces chosen."""
    colonne = [ETICHETTA_STEP[s.codice] for s in STATI_PERCORSO]
    schema = {"Anno": pl.Int64, "Sigla": pl.String, "Provincia": pl.String, **dict.fromkeys(colonne, pl.String)}
    if conteggi.is_empty():
        return pl.DataFrame(schema={**schema, "Totale": pl.Int64})
    griglia = (
        pl.DataFrame({"sigla": list(SIGLE)})
        .join(pl.DataFrame({"stato": [s.codice for s in STATI_PERCORSO]}), how="cross")
        .join(conteggi, on=["sigla", "stato"], how="left")
        .with_columns(pl.col("lavoratori").fill_null(0))
    )
    # Province totals (published) and stage totals (regional) are shown: both lines of the table are protected.
    nascosti = privacy.maschera(griglia, "lavoratori", "sigla", "stato", soglia)
    celle = privacy.nascondi(griglia, "lavoratori", nascosti, threshold=soglia)
    larga = (
        celle.with_columns(
            pl.col("stato").replace_strict(ETICHETTA_STEP), privacy.leggibile(celle, "lavoratori").cast(pl.String)
        )
        .pivot("stato", index="sigla", values="lavoratori")
        .join(griglia.group_by("sigla").agg(pl.col("lavoratori").sum().alias("Totale")), on="sigla")
        .filter(pl.col("sigla").is_in(province))
    )
    larga = _ordina_province(larga)
    if set(province) == set(SIGLE):
        regione = {"sigla": TOTALE_SIGLA, "Totale": int(griglia["lavoratori"].sum())}
        for s in STATI_PERCORSO:
            regione[s.etichetta] = str(griglia.filter(pl.col("stato") == s.codice)["lavoratori"].sum())
        larga = pl.concat([larga, pl.DataFrame([regione], schema=larga.schema)])
    larga = larga.select(
        pl.lit(anno, dtype=pl.Int64).alias("Anno"),
        pl.col("sigla").alias("Sigla"),
        pl.col("sigla").replace_strict({**NOME_PROVINCIA, TOTALE_SIGLA: TOTALE_NOME}).alias("Provincia"),
        *colonne,
        "Totale",
    )
    return _interi_dove_possibile(larga, colonne)


def tabella_casi(elenco: pl.DataFrame) -> pl.DataFrame:
    """One row per case of the Casi page's list (`casi.componi`), by code, with its counts hidden as on that page."""
    df = elenco.sort("codice")
    return df.select(
        pl.col("codice").alias("Codice"),
        pl.col("ragione_sociale").alias("Azienda"),
        pl.col("settore").alias("Settore ATECO"),
        pl.col("province").list.join(", ").alias("Province"),
        pl.col("tipi")
        .list.eval(pl.element().replace_strict(_ETICHETTA_TIPO))
        .list.join(", ")
        .alias("Tipi di procedura"),
        pl.col("unita").alias("Unità produttive"),
        privacy.leggibile(df, "lavoratori").alias("Lavoratori coinvolti"),
        pl.col("stato").alias("Stato"),
        pl.col("rischio").alias("Rischio"),
        pl.col("livelli").list.join(", ").alias("Livelli istituzionali"),
        pl.col("data_apertura").alias("Aperto il"),
        pl.col("prossima_scadenza").alias("Prossima scadenza"),
        pl.col("tipo_scadenza").alias("Tipo di scadenza"),
        pl.col("data_ultimo_aggiornamento").alias("Ultimo aggiornamento"),
    )


def tabella_tavoli(sedute: pl.DataFrame, discussi: pl.DataFrame) -> pl.DataFrame:
    """One row per tavolo with the codes and companies of the cases it discussed."""
    elenco = discussi.group_by("id").agg(
        pl.col("codice").sort().str.join(", ").alias("codici"),
        pl.col("ragione_sociale").sort_by("codice").str.join("; ").alias("aziende"),
    )
    df = sedute.join(elenco, on="id", how="left").sort("data", "id")
    return df.select(
        pl.col("data").alias("Data"),
        pl.col("tipo").str.to_titlecase().alias("Tavolo"),
        pl.col("sigla").alias("Sigla"),
        pl.col("sigla").replace_strict(NOME_PROVINCIA, default=TOTALE_NOME).alias("Provincia"),
        pl.col("casi").alias("Casi discussi"),
        pl.col("codici").alias("Codici dei casi"),
        pl.col("aziende").alias("Aziende dei casi"),
    )


def anteprima(df: pl.DataFrame) -> pl.DataFrame:
    """The table as the page shows it: Italian numbers and dates, '%' columns with one decimal, blanks for no value."""
    return formatting.tabella(df, vuoto="", un_decimale=[c for c in df.columns if "%" in c])
