"""The quarterly PAL monitoring shaped for the page: who has sent, what they declare, how it compares.

Pure polars with native expressions. Counts by province and quarter are province-level figures (shown as they are);
counts by procedure are below it and go through dashboard.privacy ('<3', 'riservato'), secondary suppression
included within each province, quarter and item, whose totals the province table shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from dashboard import formatting, privacy
from data_access.dominio import (
    COLONNA_MISURA,
    MISURE_MONITORAGGIO,
    NOME_PROVINCIA,
    SIGLE,
    TIPI_MONITORAGGIO,
    TIPO,
    TOTALE,
    TRIMESTRI,
    fine_trimestre,
    inizio_trimestre,
)
from data_access.queries.monitoraggio import COLONNE_PAL, VOCI
from data_access.tabelle_pubblicate import ORDINE_TIPI, TABELLE

ORDINE = {s: i for i, s in enumerate(SIGLE)} | {TOTALE: len(SIGLE)}
CHIAVE_TRIMESTRE = ["sigla", "anno", "trimestre"]
CHIAVE_PROCEDURA = [*CHIAVE_TRIMESTRE, "codice_procedura"]

# --- the submission grid --------------------------------------------------------------------------------------------
IN_TEMPO, IN_RITARDO, MANCANTE, IN_ATTESA, IN_CORSO, NESSUNA = (
    "in_tempo", "in_ritardo", "mancante", "in_attesa", "in_corso", "nessuna",
)  # fmt: skip
STATI: dict[str, str] = {
    IN_TEMPO: "Inviato in tempo",
    IN_RITARDO: "Inviato in ritardo",
    MANCANTE: "Mancante",
    IN_ATTESA: "In attesa (entro la scadenza)",
    IN_CORSO: "Trimestre non concluso",
    NESSUNA: "Nessuna CIGS in corso",
}
STATI_BREVI: dict[str, str] = {
    IN_TEMPO: "In tempo",
    IN_RITARDO: "In ritardo",
    MANCANTE: "Mancante",
    IN_ATTESA: "In attesa",
    IN_CORSO: "Non concluso",
    NESSUNA: "Nessuna CIGS",
}


def calendario(anno: int, scadenza_gg: int) -> pl.DataFrame:
    """The quarters of a year: first and last day, and the deadline for sending them."""
    return pl.DataFrame(
        {
            "trimestre": list(TRIMESTRI),
            "inizio": [inizio_trimestre(anno, t) for t in TRIMESTRI],
            "fine": [fine_trimestre(anno, t) for t in TRIMESTRI],
            "scadenza": [fine_trimestre(anno, t) + timedelta(days=scadenza_gg) for t in TRIMESTRI],
        },
        schema={"trimestre": pl.Int64, "inizio": pl.Date, "fine": pl.Date, "scadenza": pl.Date},
    )


def _ordina(df: pl.DataFrame, *altre: str) -> pl.DataFrame:
    """Provinces in the order of the published tables (the total last), then the other keys."""
    return df.sort(pl.col("sigla").replace_strict(ORDINE, default=len(ORDINE)), *altre)


def _provincia(colonna: str = "sigla", totale: str = "Lombardia") -> pl.Expr:
    return pl.col(colonna).replace_strict(NOME_PROVINCIA, default=totale).alias("provincia")


def procedure_in_corso(procedure: pl.DataFrame, anno: int) -> pl.DataFrame:
    """(province, quarter, procedure) for each monitored procedure running in a quarter of the year."""
    return (
        procedure.join(calendario(anno, 0), how="cross")
        .filter(
            (pl.col("data_inizio") <= pl.col("fine"))
            & (pl.col("data_fine").is_null() | (pl.col("data_fine") >= pl.col("inizio")))
        )
        .select("sigla", pl.lit(anno, pl.Int64).alias("anno"), "trimestre", "codice_procedura")
        .unique()
    )


def griglia(
    invii: pl.DataFrame,
    procedure: pl.DataFrame,
    anno: int,
    province: Sequence[str],
    al: date,
    scadenza_gg: int,
) -> pl.DataFrame:
    """One row per province and quarter: its status at the data date, first and last sending, versions, days late.

    Timeliness is that of the first version (a correction sent later does not make a quarter late); the figures
    are the latest version's. A quarter nobody had to send (no CIGS ministeriale running in the province) is
    'nessuna', one whose deadline has not passed yet 'in attesa'.
    """
    base = pl.DataFrame({"sigla": list(province)}, schema={"sigla": pl.String}).join(
        calendario(anno, scadenza_gg), how="cross"
    )
    inviati = (
        invii.filter(pl.col("anno") == anno)
        .sort("versione")
        .group_by("sigla", "trimestre")
        .agg(
            primo_invio=pl.col("data_invio").first(),
            ultimo_invio=pl.col("data_invio").last(),
            versioni=pl.col("versione").max(),
            procedure=pl.col("procedure").last(),
        )
    )
    attive = procedure_in_corso(procedure, anno).group_by("sigla", "trimestre").agg(procedure_attive=pl.len())
    df = (
        base.join(inviati, on=["sigla", "trimestre"], how="left")
        .join(attive, on=["sigla", "trimestre"], how="left")
        .with_columns(pl.col("procedure_attive").fill_null(0).cast(pl.Int64), pl.col("versioni").fill_null(0))
    )
    al_ = pl.lit(al, pl.Date)
    stato = (
        pl.when(pl.col("primo_invio").is_not_null() & (pl.col("primo_invio") <= pl.col("scadenza")))
        .then(pl.lit(IN_TEMPO))
        .when(pl.col("primo_invio").is_not_null())
        .then(pl.lit(IN_RITARDO))
        .when(al_ <= pl.col("fine"))
        .then(pl.lit(IN_CORSO))
        .when(pl.col("procedure_attive") == 0)
        .then(pl.lit(NESSUNA))
        .when(al_ <= pl.col("scadenza"))
        .then(pl.lit(IN_ATTESA))
        .otherwise(pl.lit(MANCANTE))
    )
    df = df.with_columns(stato=stato).with_columns(
        giorni_ritardo=pl.when(pl.col("stato") == IN_RITARDO)
        .then((pl.col("primo_invio") - pl.col("scadenza")).dt.total_days())
        .when(pl.col("stato") == MANCANTE)
        .then((al_ - pl.col("scadenza")).dt.total_days())
        .otherwise(None),
        anno=pl.lit(anno, pl.Int64),
    )
    return _ordina(df, "trimestre").with_columns(
        _provincia(),
        testo=_testo_cella(),
        breve=pl.col("stato").replace_strict(STATI_BREVI, default=""),
        dettaglio=_dettaglio_cella(),
    )


def _dettaglio_cella() -> pl.Expr:
    """The second line of a grid cell: sending date, days late or overdue, the deadline to come, versions."""
    giorno = pl.col("primo_invio").dt.strftime("%d/%m")
    versioni = (
        pl.when(pl.col("versioni") > 1)
        .then(pl.lit(" · ") + pl.col("versioni").cast(pl.String) + pl.lit(" vers."))
        .otherwise(pl.lit(""))
    )
    return (
        pl.when(pl.col("stato") == IN_TEMPO)
        .then(giorno + versioni)
        .when(pl.col("stato") == IN_RITARDO)
        .then(pl.lit("+") + pl.col("giorni_ritardo").cast(pl.String) + pl.lit(" gg · ") + giorno + versioni)
        .when(pl.col("stato") == MANCANTE)
        .then(pl.lit("da ") + pl.col("giorni_ritardo").cast(pl.String) + pl.lit(" giorni"))
        .when(pl.col("stato") == IN_ATTESA)
        .then(pl.lit("scade ") + pl.col("scadenza").dt.strftime("%d/%m"))
        .otherwise(pl.lit(""))
    )


def _testo_cella() -> pl.Expr:
    """What a cell of the grid says: the status in words, then the date or the days that matter."""
    breve = pl.col("stato").replace_strict(STATI_BREVI, default="")
    dettaglio = _dettaglio_cella()
    return pl.when(dettaglio == "").then(breve).otherwise(breve + pl.lit(" · ") + dettaglio)


def griglia_tabella(g: pl.DataFrame) -> pl.DataFrame:
    """The grid as on screen: one row per province, one column per quarter, each cell in words."""
    anno = int(g["anno"][0]) if g.height else 0
    larga = g.with_columns(colonna=pl.lit("T") + pl.col("trimestre").cast(pl.String) + pl.lit(f" {anno}")).pivot(
        "colonna", index=["sigla", "provincia"], values="testo", sort_columns=False
    )
    return _ordina(larga).drop("sigla").rename({"provincia": "Provincia"})


def griglia_download(g: pl.DataFrame) -> pl.DataFrame:
    """The grid for export, one row per province and quarter."""
    return g.select(
        pl.col("provincia").alias("Provincia"),
        pl.col("sigla").alias("Sigla"),
        pl.col("anno").alias("Anno"),
        pl.col("trimestre").alias("Trimestre"),
        pl.col("stato").replace_strict(STATI, default="").alias("Stato"),
        pl.col("scadenza").alias("Scadenza"),
        pl.col("primo_invio").alias("Primo invio"),
        pl.col("ultimo_invio").alias("Ultimo invio"),
        pl.col("versioni").alias("Versioni"),
        pl.col("giorni_ritardo").alias("Giorni di ritardo"),
        pl.col("procedure").alias("Procedure dichiarate"),
        pl.col("procedure_attive").alias("CIGS ministeriali in corso (VertenzeOnline)"),
    )


@dataclass(frozen=True)
class Riepilogo:
    """How many quarters are in each state, and the latest quarter that had to be sent."""

    conteggi: dict[str, int]

    @property
    def inviati(self) -> int:
        """Quarters sent, on time or late."""
        return self.conteggi[IN_TEMPO] + self.conteggi[IN_RITARDO]

    @property
    def dovuti(self) -> int:
        """Quarters sent or overdue: those the Nuclei had to send, or sent before their deadline."""
        return self.inviati + self.conteggi[MANCANTE]


def riepilogo(g: pl.DataFrame) -> Riepilogo:
    """Counts of the grid by state."""
    conteggi = dict(g.group_by("stato").agg(pl.len()).iter_rows())
    return Riepilogo({k: int(conteggi.get(k, 0)) for k in STATI})


def storico(invii: pl.DataFrame, anno: int) -> pl.DataFrame:
    """Every version of every submission of the year, latest first within a quarter (for the history table)."""
    df = invii.filter(pl.col("anno") == anno).with_columns(
        corrente=pl.col("versione") == pl.col("versione").max().over("sigla", "trimestre")
    )
    return _ordina(df, "trimestre", pl.col("versione")).with_columns(_provincia())


TABELLA_STORICO = {
    "provincia": "Provincia",
    "trimestre": "Trimestre",
    "versione": "Versione",
    "corrente": "In uso",
    "data_invio": "Data di invio",
    "caricato_il": "Caricato il",
    "procedure": "Procedure",
    "presi_in_carico": "Presi in carico",
    "pal": "PAL attivate",
    "esonerati": "Esonerati",
}


# --- declared figures -----------------------------------------------------------------------------------------------
def _somma_pal() -> pl.Expr:
    return pl.sum_horizontal(*(pl.col(c) for c in COLONNE_PAL))


def cifre(dichiarazioni: pl.DataFrame, anno: int) -> pl.DataFrame:
    """Per province and quarter (and the provinces' total 'TOT'): workers taken in charge, PAL, exempted.

    With the year's running total of PAL and the same quarter a year earlier (null when it was not sent).
    """
    per_trimestre = dichiarazioni.group_by(CHIAVE_TRIMESTRE).agg(
        procedure=pl.len(),
        presi_in_carico=pl.col("presi_in_carico").sum(),
        pal=_somma_pal().sum(),
        esonerati=pl.col("esonerati").sum(),
    )
    totale = per_trimestre.group_by("anno", "trimestre").agg(
        pl.lit(TOTALE).alias("sigla"), pl.col("procedure", "presi_in_carico", "pal", "esonerati").sum()
    )
    tutte = pl.concat([per_trimestre, totale.select(per_trimestre.columns)])
    prima = tutte.filter(pl.col("anno") == anno - 1).select(
        "sigla", "trimestre", pl.col("pal").alias("pal_anno_precedente")
    )
    df = (
        tutte.filter(pl.col("anno") == anno)
        .join(prima, on=["sigla", "trimestre"], how="left")
        .sort("trimestre")
        .with_columns(
            pal_cumulate=pl.col("pal").cum_sum().over("sigla", order_by="trimestre"),
            presi_cumulati=pl.col("presi_in_carico").cum_sum().over("sigla", order_by="trimestre"),
            variazione=pl.when(pl.col("pal_anno_precedente") > 0)
            .then((pl.col("pal") - pl.col("pal_anno_precedente")) * 100 / pl.col("pal_anno_precedente"))
            .otherwise(None),
        )
    )
    return _ordina(df, "trimestre").with_columns(_provincia(totale="Totale province che hanno inviato"))


TABELLA_CIFRE = {
    "provincia": "Provincia",
    "trimestre": "Trimestre",
    "procedure": "Procedure",
    "presi_in_carico": "Presi in carico",
    "pal": "PAL attivate",
    "esonerati": "Esonerati",
    "presi_cumulati": "Presi in carico dall'inizio dell'anno",
    "pal_cumulate": "PAL dall'inizio dell'anno",
    "pal_anno_precedente": "PAL stesso trimestre anno precedente",
    "variazione": "Variazione PAL sull'anno precedente (%)",
}


def cifre_tabella(c: pl.DataFrame) -> pl.DataFrame:
    """The declared figures as Italian text."""
    numeri = [k for k in TABELLA_CIFRE if k not in ("provincia", "trimestre", "variazione")]
    return c.select(
        pl.col("provincia"),
        (pl.lit("T") + pl.col("trimestre").cast(pl.String)).alias("trimestre"),
        *(formatting.numero_espr(pl.col(k)).alias(k) for k in numeri),
        formatting.espr_percentuale(pl.col("variazione"), segno=True).alias("variazione"),
    ).rename(TABELLA_CIFRE)


def per_misura(dichiarazioni: pl.DataFrame, anno: int) -> pl.DataFrame:
    """PAL declared by province, quarter and measure (every measure, zeros included), and the provinces' total."""
    lungo = (
        dichiarazioni.filter(pl.col("anno") == anno)
        .group_by(CHIAVE_TRIMESTRE)
        .agg(pl.col(c).sum() for c in COLONNE_PAL)
        .unpivot(on=list(COLONNE_PAL), index=CHIAVE_TRIMESTRE, variable_name="colonna", value_name="lavoratori")
        .with_columns(misura=pl.col("colonna").replace_strict({v: k for k, v in COLONNA_MISURA.items()}))
    )
    totale = lungo.group_by("anno", "trimestre", "colonna", "misura").agg(
        pl.lit(TOTALE).alias("sigla"), pl.col("lavoratori").sum()
    )
    df = pl.concat([lungo, totale.select(lungo.columns)])
    ordine_misura = {m: i for i, m in enumerate(MISURE_MONITORAGGIO)}
    return _ordina(df, "trimestre", pl.col("misura").replace_strict(ordine_misura)).with_columns(
        _provincia(totale="Totale province che hanno inviato")
    )


def misure_tabella(pm: pl.DataFrame) -> pl.DataFrame:
    """Measures by province: one row per province and quarter, one column per measure (numbers)."""
    larga = pm.pivot("misura", index=["sigla", "provincia", "trimestre"], values="lavoratori", sort_columns=False)
    larga = larga.with_columns(pl.sum_horizontal(*MISURE_MONITORAGGIO).alias("Totale PAL"))
    return _ordina(larga, "trimestre").drop("sigla").rename({"provincia": "Provincia", "trimestre": "Trimestre"})


# --- reconciliation with the step-model microdata -------------------------------------------------------------------
PAL_TOTALE = "pal"
ETICHETTA_VOCE: dict[str, str] = {
    "presi_in_carico": "Presi in carico (STEP 1)",
    **{c: f"PAL {m}" for m, c in COLONNA_MISURA.items()},
    PAL_TOTALE: "PAL attivate, totale (STEP 4)",
    "esonerati": "Esonerati (NO PAL)",
}
ORDINE_VOCE = {v: i for i, v in enumerate([*VOCI[:-1], PAL_TOTALE, VOCI[-1]])}
CONCORDE, ENTRO, DA_VERIFICARE = "Concorde", "Entro la tolleranza", "Da verificare"


def _inviati(dichiarazioni: pl.DataFrame, anno: int) -> pl.DataFrame:
    return dichiarazioni.filter(pl.col("anno") == anno).select(CHIAVE_TRIMESTRE).unique()


def _esito(tolleranza: int) -> list[pl.Expr]:
    differenza = pl.col("dichiarati") - pl.col("microdati")
    return [
        differenza.alias("differenza"),
        pl.when(differenza > 0)
        .then(pl.lit("Nucleo > microdati"))
        .when(differenza < 0)
        .then(pl.lit("Nucleo < microdati"))
        .otherwise(pl.lit("Uguali"))
        .alias("segno"),
        (differenza.abs() > tolleranza).alias("da_verificare"),
        pl.when(differenza == 0)
        .then(pl.lit(CONCORDE))
        .when(differenza.abs() <= tolleranza)
        .then(pl.lit(ENTRO))
        .otherwise(pl.lit(DA_VERIFICARE))
        .alias("esito"),
    ]


def riconciliazione(dichiarazioni: pl.DataFrame, microdati: pl.DataFrame, anno: int, tolleranza: int) -> pl.DataFrame:
    """Per province, quarter, procedure and item: what the Nucleo declares and what the microdata give.

    Only quarters that were sent; a procedure the microdata show and the Nucleo left out counts as declared 0
    (`dichiarata` false), one the Nucleo declared and the microdata do not know counts 0 on their side.
    """
    inviati = _inviati(dichiarazioni, anno)
    dichiarati = (
        dichiarazioni.filter(pl.col("anno") == anno)
        .unpivot(on=list(VOCI), index=CHIAVE_PROCEDURA, variable_name="voce", value_name="dichiarati")
        .with_columns(dichiarata=pl.lit(True))
    )
    micro = microdati.filter(pl.col("anno") == anno).join(inviati, on=CHIAVE_TRIMESTRE, how="semi")
    # Every item of every procedure on either side, so that a zero on one side is a row too.
    procedure = pl.concat([dichiarati.select(CHIAVE_PROCEDURA), micro.select(CHIAVE_PROCEDURA)]).unique()
    voci = pl.DataFrame({"voce": list(VOCI)})
    df = (
        procedure.join(voci, how="cross")
        .join(dichiarati, on=[*CHIAVE_PROCEDURA, "voce"], how="left")
        .join(micro.rename({"lavoratori": "microdati"}), on=[*CHIAVE_PROCEDURA, "voce"], how="left")
        .with_columns(
            pl.col("dichiarati").fill_null(0),
            pl.col("microdati").fill_null(0),
            pl.col("dichiarata").fill_null(False).any().over(CHIAVE_PROCEDURA),
        )
    )
    pal = (
        df.filter(pl.col("voce").is_in(COLONNE_PAL))
        .group_by(CHIAVE_PROCEDURA)
        .agg(pl.col("dichiarati", "microdati").sum(), pl.col("dichiarata").first())
        .with_columns(voce=pl.lit(PAL_TOTALE))
    )
    df = pl.concat([df, pal.select(df.columns)]).with_columns(_esito(tolleranza))
    return _ordina(df, "trimestre", "codice_procedura", pl.col("voce").replace_strict(ORDINE_VOCE)).with_columns(
        _provincia(), etichetta_voce=pl.col("voce").replace_strict(ETICHETTA_VOCE)
    )


def riconciliazione_province(ric: pl.DataFrame, tolleranza: int) -> pl.DataFrame:
    """The reconciliation per province and quarter (procedures added up), flagged above the tolerance."""
    df = (
        ric.group_by([*CHIAVE_TRIMESTRE, "voce"])
        .agg(pl.col("dichiarati", "microdati").sum())
        .with_columns(_esito(tolleranza))
    )
    return _ordina(df, "trimestre", pl.col("voce").replace_strict(ORDINE_VOCE)).with_columns(
        _provincia(), etichetta_voce=pl.col("voce").replace_strict(ETICHETTA_VOCE)
    )


def differenze_per_provincia(rp: pl.DataFrame) -> pl.DataFrame:
    """Per province: quarters sent, items to check, and PAL declared against the microdata over those quarters."""
    pal = rp.filter(pl.col("voce") == PAL_TOTALE)
    df = rp.group_by("sigla").agg(
        trimestri=pl.col("trimestre").n_unique(),
        da_verificare=pl.col("da_verificare").sum(),
    )
    somme = pal.group_by("sigla").agg(pl.col("dichiarati", "microdati").sum())
    df = df.join(somme, on="sigla").with_columns(differenza=pl.col("dichiarati") - pl.col("microdati"))
    return _ordina(df).with_columns(_provincia())


def _soppresso(df: pl.DataFrame, colonna: str, linee: Sequence[str]) -> tuple[pl.Series, pl.Series]:
    """(hidden?, text as shown) for a count below province level; lines are the groups whose totals are shown."""
    nascosti = privacy.maschera(df, colonna, list(linee), None)
    coperta = privacy.nascondi(df.select(colonna), colonna, nascosti)
    testo = privacy.leggibile(coperta, colonna, formatting.numero_espr(pl.col(colonna)).alias(colonna))
    return nascosti, coperta.select(testo).to_series()


def riconciliazione_procedure(ric: pl.DataFrame) -> pl.DataFrame:
    """The per-procedure reconciliation with privacy applied: counts as text, a difference hidden with its counts.

    Suppression is decided on the whole table (every procedure of each province, quarter and item), before the
    page keeps only the rows that differ.
    """
    linee = [*CHIAVE_TRIMESTRE, "voce"]
    nasc_d, testo_d = _soppresso(ric, "dichiarati", linee)
    nasc_m, testo_m = _soppresso(ric, "microdati", linee)
    coperta = nasc_d | nasc_m
    differenza = ric.select(formatting.espr_differenza(pl.col("differenza")).alias("d"))["d"]
    return ric.with_columns(
        testo_dichiarati=testo_d,
        testo_microdati=testo_m,
        testo_differenza=pl.select(
            pl.when(coperta).then(pl.lit(privacy.ETICHETTA_SECONDARIA)).otherwise(differenza)
        ).to_series(),
        nascosta=coperta,
    )


TABELLA_RICONCILIAZIONE = {
    "provincia": "Provincia",
    "trimestre": "Trimestre",
    "etichetta_voce": "Voce",
    "dichiarati": "Dichiarati dal Nucleo",
    "microdati": "Dai microdati (modello a step)",
    "differenza": "Differenza (Nucleo − microdati)",
    "segno": "Segno",
    "esito": "Esito",
}
TABELLA_RICONCILIAZIONE_PROCEDURE = {
    "provincia": "Provincia",
    "trimestre": "Trimestre",
    "codice_procedura": "Procedura (VertenzeOnline)",
    "etichetta_voce": "Voce",
    "testo_dichiarati": "Dichiarati dal Nucleo",
    "testo_microdati": "Dai microdati (modello a step)",
    "testo_differenza": "Differenza (Nucleo − microdati)",
    "esito": "Esito",
}


def riconciliazione_tabella(rp: pl.DataFrame, solo_differenze: bool) -> pl.DataFrame:
    """The province reconciliation as Italian text (optionally only the rows that differ)."""
    df = rp.filter(pl.col("differenza") != 0) if solo_differenze else rp
    return df.select(
        "provincia",
        (pl.lit("T") + pl.col("trimestre").cast(pl.String)).alias("trimestre"),
        "etichetta_voce",
        formatting.numero_espr(pl.col("dichiarati")).alias("dichiarati"),
        formatting.numero_espr(pl.col("microdati")).alias("microdati"),
        formatting.espr_differenza(pl.col("differenza")).alias("differenza"),
        "segno",
        "esito",
    ).rename(TABELLA_RICONCILIAZIONE)


def riconciliazione_download(rp: pl.DataFrame) -> pl.DataFrame:
    """The province reconciliation for export: numbers stay numbers."""
    intestazioni = {"provincia": "Provincia", "anno": "Anno", **TABELLA_RICONCILIAZIONE}
    return rp.select(list(intestazioni)).rename(intestazioni)


def procedure_tabella(rpp: pl.DataFrame, solo_differenze: bool = True) -> pl.DataFrame:
    """The per-procedure reconciliation as on screen (privacy applied), rows that differ only by default."""
    df = rpp.filter(pl.col("differenza") != 0) if solo_differenze else rpp
    return (
        df.with_columns(trimestre=pl.lit("T") + pl.col("trimestre").cast(pl.String))
        .select(list(TABELLA_RICONCILIAZIONE_PROCEDURE))
        .rename(TABELLA_RICONCILIAZIONE_PROCEDURE)
    )


def procedure_download(rpp: pl.DataFrame) -> pl.DataFrame:
    """Every row of the per-procedure reconciliation for export, hidden cells as on screen ('<3')."""
    intestazioni = {"provincia": "Provincia", "anno": "Anno", **TABELLA_RICONCILIAZIONE_PROCEDURE}
    nascosta = pl.col("nascosta")
    return (
        rpp.with_columns(
            testo_dichiarati=pl.when(nascosta)
            .then(pl.col("testo_dichiarati"))
            .otherwise(pl.col("dichiarati").cast(pl.String)),
            testo_microdati=pl.when(nascosta)
            .then(pl.col("testo_microdati"))
            .otherwise(pl.col("microdati").cast(pl.String)),
            testo_differenza=pl.when(nascosta)
            .then(pl.lit(None, pl.String))
            .otherwise(pl.col("differenza").cast(pl.String)),
        )
        .select(list(intestazioni))
        .rename(intestazioni)
    )


# --- procedures on one side only ------------------------------------------------------------------------------------
def sconosciute(dichiarazioni: pl.DataFrame, procedure: pl.DataFrame, tipi: pl.DataFrame, anno: int) -> pl.DataFrame:
    """Procedures a Nucleo declared that VertenzeOnline does not have as a CIGS ministeriale of its province running
    in that quarter, with the reason."""
    in_corso = procedure_in_corso(procedure, anno).with_columns(in_corso=pl.lit(True))
    della_provincia = (
        procedure.select(pl.col("codice_procedura"), pl.col("sigla")).unique().with_columns(in_provincia=pl.lit(True))
    )
    dichiarate = dichiarazioni.filter(pl.col("anno") == anno)
    monitorate = ", ".join(TIPO[t].etichetta for t in TIPI_MONITORAGGIO)
    etichette_tipo = {t: TIPO[t].etichetta for t in TIPO}
    df = (
        dichiarate.join(in_corso, on=CHIAVE_PROCEDURA, how="left")
        .filter(pl.col("in_corso").is_null())
        .join(della_provincia, on=["codice_procedura", "sigla"], how="left")
        .join(tipi, on="codice_procedura", how="left")
        .with_columns(
            motivo=pl.when(pl.col("tipo").is_null())
            .then(pl.lit("Sconosciuta a VertenzeOnline"))
            .when(~pl.col("tipo").is_in(TIPI_MONITORAGGIO))
            .then(
                pl.lit("In VertenzeOnline è tra le ")
                + pl.col("tipo").replace_strict(etichette_tipo, default="")
                + pl.lit(f", non tra le {monitorate}")
            )
            .when(pl.col("in_provincia").is_null())
            .then(pl.lit("In VertenzeOnline non coinvolge unità produttive della provincia"))
            .otherwise(pl.lit("In VertenzeOnline non è in corso nel trimestre")),
            pal=_somma_pal(),
        )
    )
    return _ordina(df, "trimestre", "codice_procedura").with_columns(_provincia())


def non_dichiarate(ric: pl.DataFrame) -> pl.DataFrame:
    """Procedures whose workers the microdata show in a quarter the Nucleo sent, which the Nucleo left out."""
    df = ric.filter(~pl.col("dichiarata") & pl.col("voce").is_in(["presi_in_carico", PAL_TOTALE, "esonerati"])).pivot(
        "voce", index=[*CHIAVE_PROCEDURA, "provincia"], values="microdati"
    )
    for voce in ("presi_in_carico", PAL_TOTALE, "esonerati"):
        if voce not in df.columns:
            df = df.with_columns(pl.lit(0, pl.Int64).alias(voce))
    return _ordina(df, "trimestre", "codice_procedura")


def _primaria_testo(df: pl.DataFrame, colonne: Sequence[str]) -> pl.DataFrame:
    """Counts of a list without totals: small ones read '<3' (text), the others are Italian numbers."""
    return df.with_columns(
        pl.select(
            pl.when(privacy.primaria(df, c))
            .then(pl.lit(privacy.etichetta()))
            .otherwise(df.select(formatting.numero_espr(pl.col(c)).alias(c))[c])
        )
        .to_series()
        .alias(c)
        for c in colonne
    )


def sconosciute_tabella(s: pl.DataFrame) -> pl.DataFrame:
    """Declared but unknown procedures, as on screen."""
    df = _primaria_testo(s, ["presi_in_carico", "pal"])
    return df.select(
        pl.col("provincia").alias("Provincia"),
        (pl.lit("T") + pl.col("trimestre").cast(pl.String)).alias("Trimestre"),
        pl.col("codice_procedura").alias("Procedura dichiarata"),
        pl.col("motivo").alias("Motivo"),
        pl.col("presi_in_carico").alias("Presi in carico dichiarati"),
        pl.col("pal").alias("PAL dichiarate"),
    )


def non_dichiarate_tabella(n: pl.DataFrame) -> pl.DataFrame:
    """Procedures known to VertenzeOnline but not declared, as on screen."""
    df = _primaria_testo(n, ["presi_in_carico", PAL_TOTALE, "esonerati"])
    return df.select(
        pl.col("provincia").alias("Provincia"),
        (pl.lit("T") + pl.col("trimestre").cast(pl.String)).alias("Trimestre"),
        pl.col("codice_procedura").alias("Procedura (VertenzeOnline)"),
        pl.col("presi_in_carico").alias("Presi in carico (microdati)"),
        pl.col(PAL_TOTALE).alias("PAL attivate (microdati)"),
        pl.col("esonerati").alias("Esonerati (microdati)"),
    )


# --- the published annual tables against the database ---------------------------------------------------------------
MISURE_PUBBLICATE = {"unita": "Unità produttive coinvolte", "lavoratori": "Lavoratori coinvolti"}


def pubblicate(celle: pl.DataFrame, province: Sequence[str]) -> pl.DataFrame:
    """Every cell of the published 2024/2025 tables beside the database's, for the provinces in the perimeter."""
    righe = [
        (anno, tipo, sigla, misura, valori[i][j])
        for anno, tabella in TABELLE.items()
        for sigla, valori in tabella.items()
        if sigla in province
        for i, tipo in enumerate(ORDINE_TIPI)
        for j, misura in enumerate(MISURE_PUBBLICATE)
    ]
    pubblicato = pl.DataFrame(
        righe,
        schema={"anno": pl.Int64, "tipo": pl.String, "sigla": pl.String, "misura": pl.String, "pubblicato": pl.Int64},
        orient="row",
    )
    db = celle.unpivot(
        on=list(MISURE_PUBBLICATE), index=["anno", "tipo", "sigla"], variable_name="misura", value_name="database"
    )
    df = (
        pubblicato.join(db, on=["anno", "tipo", "sigla", "misura"], how="left")
        .with_columns(pl.col("database").fill_null(0))
        .with_columns(differenza=pl.col("database") - pl.col("pubblicato"))
    )
    return _ordina(df, "anno", "tipo", "misura").with_columns(
        _provincia(),
        etichetta_tipo=pl.col("tipo").replace_strict({t: TIPO[t].etichetta for t in TIPO}),
        etichetta_misura=pl.col("misura").replace_strict(MISURE_PUBBLICATE),
    )


def pubblicate_tabella(p: pl.DataFrame) -> pl.DataFrame:
    """The cells that differ, as on screen (empty when the database agrees)."""
    return p.filter(pl.col("differenza") != 0).select(
        pl.col("anno").cast(pl.String).alias("Anno"),
        pl.col("provincia").alias("Provincia"),
        pl.col("etichetta_tipo").alias("Tipo di procedura"),
        pl.col("etichetta_misura").alias("Misura"),
        formatting.numero_espr(pl.col("pubblicato")).alias("Tabella pubblicata"),
        formatting.numero_espr(pl.col("database")).alias("Database"),
        formatting.espr_differenza(pl.col("differenza")).alias("Differenza (database − pubblicata)"),
    )


def pubblicate_download(p: pl.DataFrame) -> pl.DataFrame:
    """Every compared cell for export."""
    return p.select(
        pl.col("anno").alias("Anno"),
        pl.col("provincia").alias("Provincia"),
        pl.col("etichetta_tipo").alias("Tipo di procedura"),
        pl.col("etichetta_misura").alias("Misura"),
        pl.col("pubblicato").alias("Tabella pubblicata"),
        pl.col("database").alias("Database"),
        pl.col("differenza").alias("Differenza (database − pubblicata)"),
    )


def esito_pubblicate(p: pl.DataFrame) -> str:
    """'0 differenze su 144 celle' or '3 differenze su 144 celle'."""
    n = int((p["differenza"] != 0).sum())
    return f"{formatting.numero(n)} {'differenza' if n == 1 else 'differenze'} su {formatting.numero(p.height)} celle"


def indicatori(
    r: Riepilogo, c: pl.DataFrame, rp: pl.DataFrame, p: pl.DataFrame, scadenza_gg: int, tolleranza: int, anno: int
) -> list[tuple[str, str, str]]:
    """The headline figures: (label, value, help)."""
    pal = int(c.filter(pl.col("sigla") == TOTALE)["pal"].sum())
    diverse = int((p["differenza"] != 0).sum())
    return [
        ("Trimestri inviati", f"{r.inviati} di {r.dovuti}",
         "Trimestri inviati, su quelli scaduti (con CIGS ministeriali in corso) o già inviati prima della scadenza."),
        ("In ritardo", formatting.numero(r.conteggi[IN_RITARDO]),
         f"Trimestri il cui primo invio è arrivato oltre {scadenza_gg} giorni dalla fine del trimestre."),
        ("Mancanti", formatting.numero(r.conteggi[MANCANTE]), "Trimestri scaduti e non inviati."),
        ("PAL dichiarate", formatting.numero(pal),
         f"Lavoratori con PAL attivata dichiarati nei trimestri inviati del {anno} (ultima versione)."),
        ("Voci da verificare", formatting.numero(int(rp["da_verificare"].sum())),
         f"Voci di province e trimestri che differiscono dai microdati di oltre {tolleranza} lavoratori."),
        ("Tabelle pubblicate", f"{formatting.numero(diverse)} {'differenza' if diverse == 1 else 'differenze'}",
         f"Celle delle tabelle pubblicate 2024 e 2025 diverse dal database, su {formatting.numero(p.height)}."),
    ]  # fmt: skip


# --- texts ----------------------------------------------------------------------------------------------------------
def nota_scadenza(scadenza_gg: int, tolleranza: int) -> str:
    """How the page reads the grid and the reconciliation."""
    return (
        f"Un trimestre va inviato entro {scadenza_gg} giorni dalla sua fine; il ritardo è quello del primo invio "
        f"(una rettifica successiva non lo cambia) e le cifre sono quelle dell'ultima versione. Nella riconciliazione "
        f"una differenza oltre {tolleranza} lavorator{'e' if tolleranza == 1 else 'i'} è da verificare. I microdati "
        "sono i lavoratori del modello a step con la data dello STEP 1, dello STEP 4 (per misura) o dell'esonero nel "
        "trimestre."
    )
