"""The step model's aggregates shaped for the page: funnel, conversions, provinces, timing, measures, operators.

Pure polars. Every count of workers finer than a province's cohort goes through dashboard.privacy: a hidden cell's
number becomes null and a text column `<colonna>_soppresso` holds how it reads ('<3'); shares and medians computed
from a hidden count are hidden with it. Charts and tables therefore never receive a hidden value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from dashboard import formatting, privacy
from data_access.dominio import (
    ETICHETTA_STEP,
    FASE_STEP,
    GIORNI_OBIETTIVO_GOL,
    INTERVALLI,
    MISURE_PAL,
    NO_PAL,
    NOME_PROVINCIA,
    STATI_PERCORSO,
    STEPS,
    codice_intervallo,
)
from data_access.queries.step import TOTALE

COLONNE_STEP = tuple(s.codice.lower() for s in STEPS)
# Columns holding percentages (0-100) or day counts: one decimal on screen, blank when hidden in downloads.
PREFISSI_QUOTA = ("quota", "conversione")


def colonna_giorni(da: str, a: str) -> str:
    """'giorni_step1_step4': median days of an interval."""
    return f"giorni_{da.lower()}_{a.lower()}"


def _maschera(
    df: pl.DataFrame,
    valore: str,
    righe: str | None = None,
    colonne: str | None = None,
    forzati: pl.Series | None = None,
) -> pl.Series:
    """privacy.maschera, with cells that must be hidden anyway (already hidden in another table)."""
    return privacy.maschera(df, valore, righe, colonne, forzati=forzati)


def _primaria(df: pl.DataFrame, valore: str, forzati: pl.Series | None = None) -> pl.Series:
    """Small counts only, for cells that are not parts of a shown total (each cell is its own line)."""
    return _maschera(df.with_row_index("_cella"), valore, "_cella", None, forzati)


def _maschere_colonne(df: pl.DataFrame, chiave: str, colonne: Sequence[str]) -> dict[str, pl.Series]:
    """Masks of a table with one count per column, each column adding up to a total shown elsewhere.

    The rows (one province's workers at successive steps) are nested counts, not parts of a total: only the
    columns are lines for secondary suppression.
    """
    lungo = df.select(chiave, *colonne).unpivot(on=list(colonne), index=chiave, variable_name="_col", value_name="_n")
    m = _maschera(lungo, "_n", None, "_col")
    h = df.height
    return {c: m[i * h : (i + 1) * h] for i, c in enumerate(colonne)}


def _percento(parte: pl.Expr, totale: pl.Expr) -> pl.Expr:
    """parte / totale in percent, null on a zero total."""
    return pl.when(totale > 0).then(parte * 100 / totale).otherwise(None)


# --- the cohort, its current status and the funnel ------------------------------------------------------------------
def coorte(percorsi: pl.DataFrame) -> int:
    """Workers in the step model (the selection's cohort)."""
    return int(percorsi["lavoratori"].sum())


def stato_attuale(percorsi: pl.DataFrame) -> pl.DataFrame:
    """Workers by current stage (STEP 1-4, NO PAL) and share of the cohort; the cells add up to the cohort."""
    per_stato = dict(percorsi.group_by("stato").agg(pl.col("lavoratori").sum()).iter_rows())
    df = pl.DataFrame(
        {
            "codice": [s.codice for s in STATI_PERCORSO],
            "stato": [s.etichetta for s in STATI_PERCORSO],
            "fase": [FASE_STEP[s.codice] for s in STATI_PERCORSO],
            "lavoratori": [int(per_stato.get(s.codice, 0)) for s in STATI_PERCORSO],
        }
    ).with_columns(quota=_percento(pl.col("lavoratori"), pl.col("lavoratori").sum()))
    return privacy.nascondi(df, "lavoratori", _maschera(df, "lavoratori"), ["quota"])


def funnel(percorsi: pl.DataFrame) -> pl.DataFrame:
    """Workers who reached each step (its date is set), share of the cohort and conversion from the step before.

    STEP 1 converts from the cohort. NO PAL (exempted) closes the table, apart: its conversion is empty.
    """
    totale = coorte(percorsi)
    raggiunti = [int(percorsi[c].sum()) for c in COLONNE_STEP]
    esonerati = int(percorsi.filter(pl.col("stato") == NO_PAL.codice)["lavoratori"].sum())
    precedenti = [totale, *raggiunti[:-1]]
    df = pl.DataFrame(
        {
            "codice": [*(s.codice for s in STEPS), NO_PAL.codice],
            "step": [*(s.etichetta for s in STEPS), NO_PAL.etichetta],
            "fase": [FASE_STEP[s.codice] for s in (*STEPS, NO_PAL)],
            "lavoratori": [*raggiunti, esonerati],
            "precedente": [*precedenti, None],
        },
        schema_overrides={"precedente": pl.Int64},
    ).with_columns(
        quota=_percento(pl.col("lavoratori"), pl.lit(totale)),
        conversione=_percento(pl.col("lavoratori"), pl.col("precedente")),
    )
    # STEP 4 and NO PAL are the same workers as in the status table: hide them here whenever they are hidden there.
    stato = stato_attuale(percorsi)
    nascosti_stato = set(stato.filter(pl.col(privacy.marcatore("lavoratori")).is_not_null())["codice"])
    forzati = df["codice"].is_in(list(nascosti_stato & {STEPS[-1].codice, NO_PAL.codice}))
    # Workers reached at successive steps are nested, not parts of a total: small counts only.
    df = privacy.nascondi(df, "lavoratori", _primaria(df, "lavoratori", forzati), ["quota"])
    # A conversion is hidden when this step or the one before is.
    prima = pl.col(privacy.marcatore("lavoratori")).shift(1)
    etichetta_conv = (
        pl.when(pl.col("codice") == NO_PAL.codice)
        .then(None)
        .otherwise(pl.coalesce(pl.col(privacy.marcatore("lavoratori")), prima))
    )
    return df.with_columns(
        pl.when(etichetta_conv.is_not_null()).then(None).otherwise(pl.col("conversione")).alias("conversione"),
        etichetta_conv.alias(privacy.marcatore("conversione")),
    ).drop("precedente")


# --- provinces ------------------------------------------------------------------------------------------------------
def province(percorsi: pl.DataFrame, etichetta_totale: str) -> pl.DataFrame:
    """Per province (and the selection's total first): cohort, workers at each step, shares, below-average flag."""
    somme = [pl.col("lavoratori").sum().alias("coorte"), *(pl.col(c).sum() for c in COLONNE_STEP)]
    per_prov = percorsi.group_by("sigla").agg(somme).sort("sigla")
    maschere = _maschere_colonne(per_prov, "sigla", COLONNE_STEP)
    totale = percorsi.select(somme).with_columns(sigla=pl.lit(TOTALE)).select(per_prov.columns)
    if per_prov.height == 1:  # the total is that province: it hides what the province hides
        maschere_tot = {c: maschere[c].clone() for c in COLONNE_STEP}
    else:
        maschere_tot = {c: _primaria(totale, c) for c in COLONNE_STEP}
    df = pl.concat([totale, per_prov]).with_columns(
        provincia=pl.col("sigla").replace_strict(NOME_PROVINCIA, default=etichetta_totale),
        **{f"quota_{c}": _percento(pl.col(c), pl.col("coorte")) for c in COLONNE_STEP},
    )
    for c in COLONNE_STEP:
        df = privacy.nascondi(df, c, pl.concat([maschere_tot[c], maschere[c]]), [f"quota_{c}"])
    # STEP 1 is the province's cohort, its CIGS ministeriali workers of the published table: never withheld, and
    # 100% of the cohort by definition.
    primo = COLONNE_STEP[0]
    df = df.with_columns(
        pl.col("coorte").alias(primo),
        pl.lit(None, pl.String).alias(privacy.marcatore(primo)),
        pl.when(pl.col("coorte") > 0).then(100.0).otherwise(None).alias(f"quota_{primo}"),
        pl.lit(None, pl.String).alias(privacy.marcatore(f"quota_{primo}")),
    )
    media = df["quota_step4"][0]
    ultimo = f"quota_{COLONNE_STEP[-1]}"
    return (
        df.with_columns(
            totale=pl.col("sigla") == TOTALE,
            sotto_media=(pl.col("sigla") != TOTALE) & (pl.col(ultimo) < pl.lit(media, pl.Float64)).fill_null(False),
        )
        .sort(["totale", ultimo, "provincia"], descending=[True, True, False], nulls_last=True)
        .select(
            "sigla",
            "provincia",
            "coorte",
            *COLONNE_STEP,
            *(f"quota_{c}" for c in COLONNE_STEP),
            "sotto_media",
            pl.col(f"^.*{privacy.SOPPRESSO}$"),
        )
    )


# --- timing ---------------------------------------------------------------------------------------------------------
def tempi(mediane: pl.DataFrame, mensili: pl.DataFrame, etichetta_totale: str) -> pl.DataFrame:
    """Per province (total first): median days of each interval, and the GOL timeliness counts and share.

    A median over fewer workers than the privacy threshold would show one person's days: it is hidden.
    """
    soglia = privacy.soglia()
    colonne = [colonna_giorni(da, a) for da, a in INTERVALLI]
    med = mediane.with_columns(
        col=pl.col("intervallo").replace_strict(
            {codice_intervallo(da, a): colonna_giorni(da, a) for da, a in INTERVALLI}
        ),
        etichetta=pl.when(pl.col("lavoratori") < soglia).then(pl.lit(privacy.etichetta())).otherwise(None),
    ).with_columns(mediana=pl.when(pl.col("etichetta").is_null()).then(pl.col("mediana")).otherwise(None))
    righe = pl.DataFrame({"sigla": med["sigla"].unique()}, schema={"sigla": pl.String})
    if not med.is_empty():
        valori = med.pivot("col", index="sigla", values="mediana")
        etichette = med.pivot("col", index="sigla", values="etichetta")
        righe = valori.join(etichette.rename(lambda c: c if c == "sigla" else privacy.marcatore(c)), on="sigla")
    for c in colonne:
        if c not in righe.columns:
            righe = righe.with_columns(
                pl.lit(None, pl.Float64).alias(c), pl.lit(None, pl.String).alias(privacy.marcatore(c))
            )
    conteggi = ["in_finestra", "entro_obiettivo"]
    per_prov = mensili.group_by("sigla").agg(pl.col(conteggi).sum()).sort("sigla")
    maschere = _maschere_colonne(per_prov, "sigla", conteggi)
    totale = per_prov.select(pl.lit(TOTALE).alias("sigla"), pl.col(conteggi).sum())
    if per_prov.height == 1:
        maschere_tot = {c: maschere[c].clone() for c in conteggi}
    else:
        maschere_tot = {c: _primaria(totale, c) for c in conteggi}
    df = pl.concat([totale, per_prov]).with_columns(
        quota_entro=_percento(pl.col("entro_obiettivo"), pl.col("in_finestra"))
    )
    for c in conteggi:
        df = privacy.nascondi(df, c, pl.concat([maschere_tot[c], maschere[c]]), ["quota_entro"])
    df = df.join(righe, on="sigla", how="left").with_columns(
        provincia=pl.col("sigla").replace_strict(NOME_PROVINCIA, default=etichetta_totale),
        totale=pl.col("sigla") == TOTALE,
    )
    return df.sort(["totale", "sigla"], descending=[True, False]).select(
        "sigla", "provincia", *colonne, *conteggi, "quota_entro", "totale", pl.col(f"^.*{privacy.SOPPRESSO}$")
    )


_MESE_BREVE = pl.col("mese_presa").replace_strict(
    {n: nome[:3] for n, nome in enumerate(formatting.MESI, start=1)}, return_dtype=pl.String
)


def mensili(coorti: pl.DataFrame) -> pl.DataFrame:
    """Monthly cohorts of presa in carico (every month from the first to the last): workers, PAL, GOL timeliness."""
    conteggi = ["lavoratori", "pal", "esonerati", "in_finestra", "entro_obiettivo"]
    per_mese = coorti.group_by("anno_presa", "mese_presa").agg(pl.col(conteggi).sum())
    if per_mese.is_empty():
        mesi = pl.DataFrame(schema={"anno_presa": pl.Int64, "mese_presa": pl.Int64})
    else:
        primo = min(per_mese.select("anno_presa", "mese_presa").iter_rows())
        ultimo = max(per_mese.select("anno_presa", "mese_presa").iter_rows())
        sequenza = [(a, m) for a in range(primo[0], ultimo[0] + 1) for m in range(1, 13) if primo <= (a, m) <= ultimo]
        mesi = pl.DataFrame(sequenza, schema={"anno_presa": pl.Int64, "mese_presa": pl.Int64}, orient="row")
    df = (
        mesi.join(per_mese, on=["anno_presa", "mese_presa"], how="left")
        .with_columns(pl.col(conteggi).fill_null(0))
        .with_columns(
            mese=pl.format("{} {}", _MESE_BREVE, pl.col("anno_presa")),
            quota_pal=_percento(pl.col("pal"), pl.col("lavoratori")),
            quota_entro=_percento(pl.col("entro_obiettivo"), pl.col("in_finestra")),
        )
    )
    derivate = {"lavoratori": ["quota_pal"], "pal": ["quota_pal"], "in_finestra": ["quota_entro"],
                "entro_obiettivo": ["quota_entro"]}  # fmt: skip
    for c in conteggi:  # each column adds up to a total shown elsewhere (cohort, STEP 4, ...): one line each
        df = privacy.nascondi(df, c, _maschera(df, c), derivate.get(c, []))
    return df


# --- PAL measures and operators -------------------------------------------------------------------------------------
def misure(per_misura: pl.DataFrame, step4_nascosto: bool) -> pl.DataFrame:
    """Workers with PAL activated by measure (all four, zeros included) and share of those at STEP 4."""
    tot = dict(per_misura.group_by("misura").agg(pl.col("lavoratori").sum()).iter_rows())
    ordine = [*MISURE_PAL, *sorted(m for m in tot if m not in MISURE_PAL)]
    df = pl.DataFrame({"misura": ordine, "lavoratori": [int(tot.get(m, 0)) for m in ordine]}).with_columns(
        quota=_percento(pl.col("lavoratori"), pl.col("lavoratori").sum())
    )
    # The measures add up to STEP 4: if that is hidden, so are they.
    forzati = pl.Series([step4_nascosto] * df.height)
    return privacy.nascondi(df, "lavoratori", _maschera(df, "lavoratori", forzati=forzati), ["quota"])


def misure_per_provincia(per_misura: pl.DataFrame, province_step: pl.DataFrame) -> pl.DataFrame:
    """Measure x province counts, suppressed; a province whose STEP 4 is hidden in `province_step` is hidden whole."""
    sigle = sorted(set(per_misura["sigla"]))
    ordine = [*MISURE_PAL, *sorted(m for m in set(per_misura["misura"]) if m not in MISURE_PAL)]
    griglia = (
        pl.DataFrame({"misura": ordine})
        .join(pl.DataFrame({"sigla": sigle}, schema={"sigla": pl.String}), how="cross")
        .join(per_misura, on=["misura", "sigla"], how="left")
        .with_columns(pl.col("lavoratori").fill_null(0))
    )
    step4_nascosto = set(province_step.filter(pl.col(privacy.marcatore("step4")).is_not_null())["sigla"])
    maschera = _maschera(griglia, "lavoratori", "misura", "sigla", forzati=griglia["sigla"].is_in(list(step4_nascosto)))
    griglia = privacy.nascondi(griglia, "lavoratori", maschera).with_columns(
        provincia=pl.col("sigla").replace_strict(NOME_PROVINCIA, default=None)
    )
    return griglia.select("misura", "sigla", "provincia", "lavoratori", privacy.marcatore("lavoratori"))


def operatori(per_operatore: pl.DataFrame, province_step: pl.DataFrame | None = None) -> pl.DataFrame:
    """Operators by workers followed (most first), with PAL activated; suppressed within each province.

    An operator's workers add up, province by province, to about the workers at STEP 3 and 4: where those are
    hidden in `province_step`, the province's operators are hidden too.
    """
    df = per_operatore.with_columns(
        provincia=pl.col("sigla").replace_strict(NOME_PROVINCIA, default=None),
        quota_pal=_percento(pl.col("pal"), pl.col("lavoratori")),
    )
    nascoste: dict[str, set[str]] = {"lavoratori": set(), "pal": set()}
    if province_step is not None:
        for c, passo in (("lavoratori", "step3"), ("pal", "step4")):
            nascoste[c] = set(province_step.filter(pl.col(privacy.marcatore(passo)).is_not_null())["sigla"])
    for c in ("lavoratori", "pal"):
        forzati = df["sigla"].is_in(list(nascoste[c]))
        df = privacy.nascondi(df, c, _maschera(df, c, None, "sigla", forzati), ["quota_pal"])
    return df.sort(["lavoratori", "operatore"], descending=[True, False], nulls_last=True)


# --- tables for the screen and for downloads ------------------------------------------------------------------------
def _e_quota(colonna: str) -> bool:
    return colonna.startswith(PREFISSI_QUOTA)


def per_schermo(df: pl.DataFrame, colonne: Mapping[str, str]) -> pl.DataFrame:
    """The columns named (renamed) as Italian text; a hidden cell reads as its label ('<3')."""
    testo = formatting.tabella(df.select(list(colonne)), un_decimale=[c for c in colonne if _e_quota(c)])
    for c in colonne:
        if privacy.marcatore(c) in df.columns:
            valori = [m if m is not None else t for m, t in zip(df[privacy.marcatore(c)], testo[c], strict=True)]
            testo = testo.with_columns(pl.Series(c, valori, dtype=pl.String))
    return testo.rename(dict(colonne))


def per_download(df: pl.DataFrame, colonne: Mapping[str, str]) -> pl.DataFrame:
    """The columns named (renamed) for export: hidden counts read '<3' (text), hidden shares are left blank."""
    out = df.select(list(colonne)).with_columns(pl.col(c).round(1) for c in colonne if _e_quota(c))
    for c in colonne:
        m = privacy.marcatore(c)
        if m in df.columns and df[m].is_not_null().any() and df.schema[c].is_integer():
            out = out.with_columns(
                pl.Series(c, [e if e is not None else str(v) for e, v in zip(df[m], df[c], strict=True)])
            )
    return out.rename(dict(colonne))


def nascosto(df: pl.DataFrame, colonna: str, condizione: pl.Expr) -> bool:
    """True when the cell of `colonna` in the row matching `condizione` is hidden."""
    m = privacy.marcatore(colonna)
    return m in df.columns and bool(df.filter(condizione)[m].is_not_null().any())


# --- what the page shows --------------------------------------------------------------------------------------------
ANNO_AVVIO = 2025  # decreto regionale 5151 of 10/04/2025 started the step model


def riepilogo(funnel_df: pl.DataFrame, stato_df: pl.DataFrame) -> pl.DataFrame:
    """One row per stage: reached (funnel) and standing there now (status), for the table and the download."""
    stato = stato_df.select(
        "codice",
        pl.col("lavoratori").alias("attuali"),
        pl.col("quota").alias("quota_attuali"),
        pl.col(privacy.marcatore("lavoratori")).alias(privacy.marcatore("attuali")),
        pl.col(privacy.marcatore("quota")).alias(privacy.marcatore("quota_attuali")),
    )
    return funnel_df.join(stato, on="codice", how="left", maintain_order="left")


def indicatori(funnel_df: pl.DataFrame, tempi_df: pl.DataFrame, totale: int) -> list[tuple[str, str, str]]:
    """The headline figures: (label, value, help)."""
    per_codice = {r["codice"]: r for r in funnel_df.iter_rows(named=True)}
    step4, nopal = per_codice[STEPS[-1].codice], per_codice[NO_PAL.codice]
    tot = tempi_df.row(0, named=True)
    giorni = colonna_giorni(STEPS[0].codice, STEPS[-1].codice)

    def valore(r: dict, colonna: str, testo: str) -> str:
        return r.get(privacy.marcatore(colonna)) or testo

    return [
        ("Lavoratori", formatting.numero(totale), "Lavoratori in CIGS ministeriale nel modello a step."),
        ("PAL attivata", valore(step4, "lavoratori", formatting.numero(step4["lavoratori"])),
         "Lavoratori con la data dello STEP 4 (attivazione della PAL)."),
        ("Quota PAL", valore(step4, "quota", formatting.percentuale(_frazione(step4["quota"]))),
         "STEP 4 sul totale dei lavoratori nel modello."),
        ("Esonerati", valore(nopal, "lavoratori", formatting.numero(nopal["lavoratori"])),
         "NO PAL: lavoratori esonerati dalle PAL, mostrati a parte."),
        ("Giorni alla PAL", valore(tot, giorni, _giorni(tot[giorni])),
         "Mediana dei giorni tra presa in carico (STEP 1) e PAL attivata (STEP 4)."),
        (f"Entro {GIORNI_OBIETTIVO_GOL} giorni", valore(tot, "quota_entro",
                                                          formatting.percentuale(_frazione(tot["quota_entro"]))),
         f"Tra i presi in carico da almeno {GIORNI_OBIETTIVO_GOL} giorni (esclusi gli esonerati), quota con PAL "
         f"attivata entro {GIORNI_OBIETTIVO_GOL} giorni dallo STEP 1 (obiettivo del programma GOL: 4 mesi)."),
    ]  # fmt: skip


def _frazione(percento: float | None) -> float | None:
    return None if percento is None else percento / 100


def _giorni(valore: float | None) -> str:
    if valore is None:
        return formatting.ND
    return formatting.numero(valore, 0 if float(valore).is_integer() else 1)


NOTA_FUNNEL = (
    "Un lavoratore è arrivato a uno step quando ne è registrata la data. La conversione è la quota di chi, arrivato "
    "allo step precedente, è arrivato anche a questo."
)


def senza_coorte(anno: int) -> str:
    """Why there is nothing to show for a year or a selection."""
    if anno < ANNO_AVVIO:
        return (
            f"Il modello a step è partito con il decreto regionale 5151 del 10/04/2025: nel {anno} non c'è una "
            "coorte di lavoratori da seguire."
        )
    return f"Nessun lavoratore in CIGS ministeriale nel modello a step per le province scelte nel {anno}."


NOTA_RISERVATEZZA = (
    "Sotto il livello provinciale i conteggi di meno di {soglia} lavoratori sono mostrati come «{etichetta}»; "
    "altre celle sono nascoste («riservato») perché il dato piccolo non si ricavi dai totali."
)


def nota_riservatezza() -> str:
    """The line under tables that may hide cells."""
    return NOTA_RISERVATEZZA.format(soglia=privacy.soglia(), etichetta=privacy.etichetta())


TABELLA_RIEPILOGO = {
    "step": "Step",
    "fase": "Fase",
    "lavoratori": "Lavoratori arrivati allo step",
    "quota": "Arrivati, % della coorte",
    "conversione": "Conversione dallo step precedente (%)",
    "attuali": "Lavoratori fermi a questo step oggi",
    "quota_attuali": "Fermi oggi, % della coorte",
}
TABELLA_FUNNEL = {
    k: v for k, v in TABELLA_RIEPILOGO.items() if k in ("step", "fase", "lavoratori", "quota", "conversione")
}
TABELLA_STATO = {"stato": "Step", "fase": "Fase", "lavoratori": "Lavoratori", "quota": "% della coorte"}
TABELLA_PROVINCE = {
    "provincia": "Provincia",
    "coorte": "Lavoratori nel modello",
    **{c: f"{ETICHETTA_STEP[c.upper()]} (lavoratori)" for c in COLONNE_STEP},
    **{f"quota_{c}": f"{ETICHETTA_STEP[c.upper()]} (% coorte)" for c in COLONNE_STEP},
}
TABELLA_TEMPI = {
    "provincia": "Provincia",
    **{colonna_giorni(da, a): f"Giorni {ETICHETTA_STEP[da]} → {ETICHETTA_STEP[a]} (mediana)" for da, a in INTERVALLI},
    "in_finestra": f"Presi in carico da almeno {GIORNI_OBIETTIVO_GOL} giorni (esclusi esonerati)",
    "entro_obiettivo": f"di cui con PAL entro {GIORNI_OBIETTIVO_GOL} giorni",
    "quota_entro": f"PAL entro {GIORNI_OBIETTIVO_GOL} giorni (%)",
}
TABELLA_MENSILI = {
    "mese": "Mese di presa in carico",
    "lavoratori": "Presi in carico",
    "pal": "Con PAL attivata oggi",
    "quota_pal": "Con PAL attivata (%)",
    "esonerati": "Esonerati",
    "in_finestra": f"Presi in carico da almeno {GIORNI_OBIETTIVO_GOL} giorni (esclusi esonerati)",
    "entro_obiettivo": f"di cui con PAL entro {GIORNI_OBIETTIVO_GOL} giorni",
    "quota_entro": f"PAL entro {GIORNI_OBIETTIVO_GOL} giorni (%)",
}
TABELLA_MISURE = {"misura": "Misura PAL", "lavoratori": "Lavoratori con PAL attivata", "quota": "% delle PAL attivate"}
TABELLA_MISURE_PROVINCIA = {"misura": "Misura PAL", "provincia": "Provincia", "lavoratori": "Lavoratori"}
TABELLA_OPERATORI = {
    "operatore": "Operatore",
    "provincia": "Provincia dell'operatore",
    "lavoratori": "Lavoratori seguiti",
    "pal": "di cui con PAL attivata",
    "quota_pal": "Con PAL attivata (%)",
}
