"""Misure PAL: the view's tables and texts, shaped in polars with native expressions only (no Python callbacks)."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from dashboard import formatting, privacy
from dashboard.letture.misure import Controllo, QuadroMisure
from data_access.dominio import MISURE_PAL, NOME_PROVINCIA, TOTALE, MisuraPal

MESI_BREVI = {i + 1: nome[:3] for i, nome in enumerate(formatting.MESI)}
ORDINE_MISURE = pl.Enum(MISURE_PAL)


def _ordina(df: pl.DataFrame, *altre: str) -> pl.DataFrame:
    """Rows in the order of dominio.MISURE (then by the other columns)."""
    return df.sort(pl.col("misura").cast(ORDINE_MISURE), *altre)


def _percento(parte: pl.Expr, totale: pl.Expr) -> pl.Expr:
    return pl.when(totale > 0).then(parte * 100 / totale).otherwise(None)


def _tutte_le_misure() -> pl.DataFrame:
    return pl.DataFrame({"misura": list(MISURE_PAL)}, schema={"misura": pl.String})


# --- budget arithmetic ------------------------------------------------------------------------------------------------
def bilancio(q: QuadroMisure, regionale: bool) -> pl.DataFrame:
    """Per measure: budget, committed (assigned plus result-based services) and spent over every year, what is
    left, the shares; and what was committed in the year. Budgets are regional: only for the whole region."""
    tot = q.totali
    somme = tot.group_by("misura").agg(
        (pl.col("assegnato_cent") + pl.col("risultato_cent")).sum().alias("impegnato_cent"),
        (pl.col("speso_cent") + pl.col("risultato_cent")).sum().alias("speso_cent"),
        pl.col("interventi").sum().alias("interventi_totali"),
    )
    nell_anno = tot.filter(pl.col("anno") == q.anno).select(
        "misura",
        "interventi",
        "lavoratori",
        "aziende",
        (pl.col("assegnato_cent") + pl.col("risultato_cent")).alias("impegnato_anno_cent"),
        (pl.col("speso_cent") + pl.col("risultato_cent")).alias("speso_anno_cent"),
    )
    dotazione = pl.col("dotazione_cent") if regionale else pl.lit(None, pl.Int64)
    df = (
        _tutte_le_misure()
        .join(q.dotazioni.select("misura", "dotazione_cent", "atto", "pubblicata"), on="misura", how="left")
        .join(somme, on="misura", how="left")
        .join(nell_anno, on="misura", how="left")
        .with_columns(pl.col(pl.Int64).exclude("dotazione_cent").fill_null(0))
        .with_columns(dotazione_cent=dotazione)
        .with_columns(
            residuo_cent=pl.col("dotazione_cent") - pl.col("impegnato_cent"),
            quota_impegnata=_percento(pl.col("impegnato_cent"), pl.col("dotazione_cent")),
            quota_spesa=_percento(pl.col("speso_cent"), pl.col("dotazione_cent")),
            # The perimeter's total, for the title: a province's total is never hidden.
            impegnato_perimetro_cent=pl.col("impegnato_cent").sum(),
        )
    )
    if not regionale:
        # A measure with a couple of records in a province would show those people's amounts.
        tutti = privacy.primaria(df, "interventi_totali")
        df = privacy.nascondi(df, "interventi_totali", tutti, ["impegnato_cent", "speso_cent"])
        nell_anno = privacy.primaria(df, "lavoratori")
        derivate = ["interventi", "aziende", "impegnato_anno_cent", "speso_anno_cent"]
        df = privacy.nascondi(df, "lavoratori", nell_anno, derivate)
    return _ordina(df)


def titolo_bilancio(b: pl.DataFrame) -> str:
    """The budget chart's message."""
    con = b.filter(pl.col("quota_impegnata").is_not_null())
    impegnato = formatting.numero(int(b["impegnato_perimetro_cent"].max() or 0) / 100)
    if con.is_empty():
        return f"Impegnati {impegnato} € in tutte le annualità (dotazioni solo per l'intera Lombardia)"
    top = con.sort("quota_impegnata", descending=True).row(0, named=True)
    return (
        f"{top['misura']} ha impegnato il {formatting.numero(top['quota_impegnata'], 1)}% della dotazione, "
        "la quota più alta"
    )


# --- years compared ---------------------------------------------------------------------------------------------------
def confronto(q: QuadroMisure) -> tuple[pl.DataFrame, tuple[int, ...]]:
    """Workers, records and amounts committed per measure in the year and the one before (when it has data)."""
    anni = tuple(a for a in (q.anno - 1, q.anno) if a in set(q.totali["anno"]))
    df = _tutte_le_misure()
    for a in anni:
        anno = q.totali.filter(pl.col("anno") == a).select(
            "misura",
            pl.col("lavoratori").alias(f"lavoratori_{a}"),
            pl.col("interventi").alias(f"interventi_{a}"),
            (pl.col("assegnato_cent") + pl.col("risultato_cent")).alias(f"impegnato_{a}_cent"),
        )
        df = df.join(anno, on="misura", how="left")
    df = df.with_columns(pl.col(pl.Int64).fill_null(0))
    # In a province's perimeter a measure's workers are a breakdown of the province: small counts are hidden.
    for a in anni:
        nascosti = privacy.maschera(df, f"lavoratori_{a}", None, None)
        df = privacy.nascondi(df, f"lavoratori_{a}", nascosti, [f"interventi_{a}", f"impegnato_{a}_cent"])
    if len(anni) == 2:
        prima, dopo = (f"lavoratori_{a}" for a in anni)
        df = df.with_columns(
            variazione=_percento(pl.col(dopo) - pl.col(prima), pl.col(prima)),
            variazione_soppresso=pl.coalesce(privacy.marcatore(prima), privacy.marcatore(dopo)),
        )
    return _ordina(df), anni


def lavoratori_per_anno(q: QuadroMisure) -> dict[int, int]:
    """Workers reached in each year (per measure, added up): the perimeter's totals, never hidden."""
    return {int(a): int(n) for a, n in q.totali.group_by("anno").agg(pl.col("lavoratori").sum()).iter_rows()}


def lungo_confronto(df: pl.DataFrame, anni: tuple[int, ...]) -> pl.DataFrame:
    """The comparison as (misura, anno, lavoratori) rows, for the chart."""
    return pl.concat(
        [df.select("misura", pl.lit(a).alias("anno"), pl.col(f"lavoratori_{a}").alias("lavoratori")) for a in anni]
    )


# --- provinces and months ---------------------------------------------------------------------------------------------
def province(q: QuadroMisure) -> pl.DataFrame:
    """Workers of the year by province and measure (hidden cells null, with their label)."""
    df = q.per_provincia
    if df.is_empty():
        return df.with_columns(provincia=pl.lit(None, pl.String))
    df = df.filter(pl.col("anno") == q.anno).with_columns(
        provincia=pl.col("sigla").replace_strict(NOME_PROVINCIA, default=None)
    )
    return _ordina(df, "sigla")


def griglia_province(df: pl.DataFrame) -> pl.DataFrame:
    """Provinces by measure as text (hidden cells read '<3', 'riservato'), one column per measure."""
    etichetta = privacy.marcatore("lavoratori")
    testo = df.select(
        "provincia",
        "misura",
        pl.coalesce(pl.col(etichetta), formatting.numero_espr(pl.col("lavoratori"))).alias("valore"),
    )
    if testo.is_empty():
        return pl.DataFrame({"Provincia": []}, schema={"Provincia": pl.String})
    larga = testo.pivot("misura", index="provincia", values="valore", sort_columns=False)
    presenti = [m for m in MISURE_PAL if m in larga.columns]
    return larga.select(pl.col("provincia").alias("Provincia"), *(pl.col(m).fill_null("0") for m in presenti))


def mesi(q: QuadroMisure) -> pl.DataFrame:
    """Records assigned in each month of the year by measure, every month and measure present (zeros filled)."""
    tutti = _tutte_le_misure().join(pl.DataFrame({"mese": list(range(1, 13))}), how="cross")
    df = (
        tutti.join(q.per_mese, on=["misura", "mese"], how="left")
        .with_columns(
            # A month without records is a zero; a hidden one stays null with its label.
            pl.when(pl.col(privacy.marcatore(c)).is_null()).then(pl.col(c).fill_null(0)).otherwise(pl.col(c)).alias(c)
            for c in ("interventi", "lavoratori")
        )
        .with_columns(nome_mese=pl.col("mese").replace_strict(MESI_BREVI))
    )
    return _ordina(df, "mese")


# --- from STEP 4 to the measure ---------------------------------------------------------------------------------------
def collegamento(q: QuadroMisure) -> pl.DataFrame:
    """STEP 4 workers and those with a record of their measure: per measure for the selection, then provinces."""
    df = q.collegamento.with_columns(
        provincia=pl.when(pl.col("sigla") == TOTALE)
        .then(pl.lit("Selezione"))
        .otherwise(pl.col("sigla").replace_strict(NOME_PROVINCIA, default=None)),
        quota=_percento(pl.col("con_intervento"), pl.col("step4")),
    )
    return df


def titolo_collegamento(c: pl.DataFrame) -> str:
    """The linkage chart's message."""
    tot = c.filter(pl.col("sigla") == TOTALE)
    step4, con = int(tot["step4"].sum()), int(tot["con_intervento"].sum())
    if not step4:
        return "Nessun lavoratore con PAL attivata nella selezione"
    quota = formatting.numero(con * 100 / step4, 1)
    if con == step4:
        return f"PAL attivata per {formatting.numero(step4)} lavoratori: tutti hanno la dote, il voucher o il progetto"
    return f"Il {quota}% dei {formatting.numero(step4)} lavoratori con PAL attivata ha già l'intervento della misura"


# --- Azioni di Rete projects ------------------------------------------------------------------------------------------
def progetti(q: QuadroMisure, minimo: int, massimo: int) -> pl.DataFrame:
    """Projects with their companies and sectors, and which rules each breaks."""
    aziende = q.progetti_aziende.group_by("codice").agg(
        pl.col("azienda").sort().str.join("; ").alias("elenco_aziende"),
        pl.col("settore_descrizione").unique().sort().str.join("; ").alias("elenco_settori"),
    )
    df = q.progetti.join(aziende, on="codice", how="left").with_columns(
        provincia=pl.col("sigla").replace_strict(NOME_PROVINCIA, default=None)
    )
    rilievi = pl.concat_list(
        pl.when(pl.col("lavoratori").fill_null(0) < minimo).then(pl.lit(f"meno di {minimo} lavoratori")),
        pl.when(pl.col("aziende") > massimo).then(pl.lit(f"più di {massimo} aziende")),
        pl.when(pl.col("settori") > 1).then(pl.lit("settori diversi")),
    ).list.drop_nulls()
    return df.with_columns(
        rilievi=pl.when(rilievi.list.len() > 0).then(rilievi.list.join("; ")).otherwise(pl.lit("conforme"))
    ).sort("codice")


# --- tables for the screen and for downloads -------------------------------------------------------------------------
def _e_importo(colonna: str) -> bool:
    return colonna.endswith("_cent")


def _e_quota(colonna: str) -> bool:
    return colonna.startswith(("quota", "variazione", "giorni"))


def per_schermo(df: pl.DataFrame, colonne: Mapping[str, str]) -> pl.DataFrame:
    """The columns named, as Italian text (numbers, euro, dates); a hidden cell reads as its label ('<3')."""
    espressioni = []
    for c in colonne:
        tipo = df.schema[c]
        if _e_importo(c):
            valore = formatting.euro_espr(pl.col(c))
        elif c == "anno":
            valore = pl.col(c).cast(pl.String)  # a year, not a quantity: 2025, never 2.025
        elif tipo.is_float() or _e_quota(c):
            valore = formatting.numero_espr(pl.col(c), 1)
        elif tipo.is_integer():
            valore = formatting.numero_espr(pl.col(c))
        elif tipo == pl.Date:
            valore = formatting.data_espr(pl.col(c))
        elif tipo == pl.Boolean:
            valore = pl.when(pl.col(c)).then(pl.lit("sì")).otherwise(pl.lit("no"))
        else:
            valore = pl.col(c).cast(pl.String).fill_null("—")
        if privacy.marcatore(c) in df.columns:
            valore = pl.coalesce(pl.col(privacy.marcatore(c)), valore)
        espressioni.append(valore.alias(colonne[c]))
    return df.select(espressioni)


def per_download(df: pl.DataFrame, colonne: Mapping[str, str]) -> pl.DataFrame:
    """The columns named for export: euro as numbers with cents, hidden counts as their label, hidden amounts blank."""
    espressioni = []
    for c in colonne:
        valore = pl.col(c)
        if _e_importo(c):
            valore = (valore / 100).round(2)
        elif df.schema[c].is_float():
            valore = valore.round(1)
        elif df.schema[c].is_integer() and df.get_column(privacy.marcatore(c), default=pl.Series()).is_not_null().any():
            valore = pl.coalesce(pl.col(privacy.marcatore(c)), valore.cast(pl.String))
        espressioni.append(valore.alias(colonne[c]))
    return df.select(espressioni)


def controllo_colonne(c: Controllo) -> dict[str, str]:
    """The columns of a rule check's list that exist in its rows."""
    return {k: v for k, v in COLONNE_CONTROLLI.items() if k in c.righe.columns}


def riepilogo_controlli(controlli: list[Controllo]) -> pl.DataFrame:
    """One row per rule with the number of rows breaking it."""
    return pl.DataFrame(
        {
            "controllo": [c.titolo for c in controlli],
            "regola": [c.regola for c in controlli],
            "righe": [c.righe.height for c in controlli],
        },
        schema={"controllo": pl.String, "regola": pl.String, "righe": pl.Int64},
    )


def _milioni(centesimi: int) -> str:
    """'4,9 mln' for a headline figure in euro (the unit is in its label); below a million the whole euro."""
    euro = centesimi / 100
    if euro >= 1_000_000:
        return formatting.numero(euro / 1_000_000, 1) + " mln"
    return formatting.numero(euro)


def indicatori(q: QuadroMisure, c: pl.DataFrame, controlli: list[Controllo]) -> list[tuple[str, str, str]]:
    """The headline figures of the perimeter: (label, value, help)."""
    anno = q.anno
    b = q.totali.filter(pl.col("anno") == anno).select(
        "interventi",
        (pl.col("assegnato_cent") + pl.col("risultato_cent")).alias("impegnato_anno_cent"),
        (pl.col("speso_cent") + pl.col("risultato_cent")).alias("speso_anno_cent"),
    )
    tot = c.filter(pl.col("sigla") == TOTALE)
    step4, con = int(tot["step4"].sum()), int(tot["con_intervento"].sum())
    da_verificare = sum(x.righe.height for x in controlli)
    return [
        ("Interventi", formatting.numero(int(b["interventi"].sum())),
         f"Doti, voucher e partecipazioni a progetti assegnati nel {anno}."),
        ("Impegnato, €", _milioni(int(b["impegnato_anno_cent"].sum())),
         f"Valore assegnato più servizi a risultato riconosciuti, interventi assegnati nel {anno}."),
        ("Speso, €", _milioni(int(b["speso_anno_cent"].sum())),
         f"Speso o rendicontato più servizi a risultato, interventi assegnati nel {anno}."),
        ("STEP 4 coperti", formatting.percentuale(con / step4) if step4 else formatting.NON_APPLICABILE,
         "Lavoratori del modello a step con PAL attivata che hanno un intervento della loro misura."),
        ("Da verificare", formatting.numero(da_verificare),
         "Righe che violano una regola delle misure (elenco in fondo alla pagina)."),
    ]  # fmt: skip


NOTA_IMPORTI = (
    "Impegnato: valore assegnato (dote, voucher, servizi a processo) più servizi a risultato riconosciuti; speso: "
    "speso o rendicontato più servizi a risultato. Dotazioni e residui su tutte le annualità."
)
NOTA_PERIMETRO = "Le dotazioni sono regionali: il confronto con l'impegnato si vede selezionando tutte le province."
NOTA_CONTROLLI = (
    "Elenco per i controlli amministrativi, su tutte le annualità: i lavoratori sono indicati con il codice "
    "pseudonimo, da ricercare negli applicativi di origine."
)

TABELLA_BILANCIO = {
    "misura": "Misura",
    "dotazione_cent": "Dotazione",
    "impegnato_cent": "Impegnato (tutte le annualità)",
    "speso_cent": "Speso (tutte le annualità)",
    "residuo_cent": "Residuo",
    "quota_impegnata": "Impegnato (% dotazione)",
    "quota_spesa": "Speso (% dotazione)",
    "impegnato_anno_cent": "Impegnato nell'anno",
    "atto": "Atto della dotazione",
}
TABELLA_COLLEGAMENTO = {
    "provincia": "Provincia",
    "misura": "Misura della PAL attivata",
    "step4": "Lavoratori allo STEP 4",
    "con_intervento": "con intervento della misura",
    "quota": "Con intervento (%)",
    "altra_misura": "solo con un'altra misura",
    "senza": "senza intervento",
    "giorni_mediana": "Giorni dallo STEP 4 all'assegnazione (mediana)",
}
TABELLA_MESI = {"misura": "Misura", "nome_mese": "Mese", "interventi": "Interventi", "lavoratori": "Lavoratori"}
TABELLA_PROVINCE = {
    "provincia": "Provincia",
    "misura": "Misura",
    "lavoratori": "Lavoratori",
    "interventi": "Interventi",
    "assegnato_cent": "Assegnato",
    "speso_cent": "Speso",
}
TABELLA_PROGETTI = {
    "codice": "Progetto",
    "rilievi": "Regole",
    "titolo": "Titolo",
    "provincia": "Provincia",
    "operatore": "Capofila",
    "data_approvazione": "Approvato il",
    "lavoratori": "Lavoratori",
    "aziende": "Aziende",
    "elenco_aziende": "Elenco aziende",
    "elenco_settori": "Settori",
    "assegnato_cent": "Servizi a processo",
    "risultato_cent": "Servizi a risultato",
    "speso_cent": "Speso",
}
TABELLA_OPERATORI = {
    "misura": "Misura",
    "operatore": "Operatore",
    "sigla": "Provincia",
    "lavoratori": "Lavoratori",
    "assegnato_cent": "Assegnato",
    "speso_cent": "Speso",
}
TABELLA_ESITI = {"misura": "Misura", "esito": "Esito a 180 giorni", "lavoratori": "Lavoratori"}
TABELLA_RIEPILOGO_CONTROLLI = {"controllo": "Controllo", "righe": "Righe da verificare", "regola": "Regola"}
TABELLA_RIEPILOGO_CONTROLLI_SCHERMO = {"controllo": "Controllo", "righe": "Righe da verificare"}
COLONNE_CONTROLLI = {
    "codice": "Codice",
    "codice_azienda": "Codice azienda",
    "titolo": "Titolo",
    "misura": "Misura",
    "anno": "Anno",
    "id_lavoratore": "Lavoratore (pseudonimo)",
    "azienda": "Azienda",
    "sigla": "Provincia",
    "data_assegnazione": "Assegnato il",
    "interventi": "Interventi",
    "lavoratori": "Lavoratori",
    "aziende": "Aziende",
    "settori": "Settori ATECO",
    "inizio": "Inizio",
    "fine": "Fine",
    "codice_altro": "Altro intervento",
    "inizio_altro": "Inizio dell'altro",
    "fine_altro": "Fine dell'altro",
    "assegnato_cent": "Assegnato",
    "massimale_cent": "Massimale",
    "risultato_cent": "Servizi a risultato",
    "massimale_risultato_cent": "Massimale a risultato",
    "speso_cent": "Speso",
    "esito": "Esito a 180 giorni",
}


def colonne_confronto(anni: tuple[int, ...]) -> dict[str, str]:
    """Columns of the years' comparison."""
    colonne = {f"lavoratori_{a}": f"Lavoratori {a}" for a in anni}
    if len(anni) == 2:
        colonne["variazione"] = f"Variazione lavoratori {anni[0]}-{anni[1]} (%)"
    colonne |= {f"interventi_{a}": f"Interventi {a}" for a in anni}
    return colonne | {f"impegnato_{a}_cent": f"Impegnato {a}" for a in anni}


def esiti(q: QuadroMisure) -> pl.DataFrame:
    """Workers by measure and outcome at 180 days, in the measures' order."""
    return _ordina(q.esiti, "esito")


def nota_progetti(rete: MisuraPal) -> str:
    """What a project must be, for the caption above the list."""
    return (
        f"Ogni progetto: almeno {rete.minimo_lavoratori_progetto} lavoratori da al massimo "
        f"{rete.massimo_aziende_progetto} aziende dello stesso settore o filiera; servizi a processo fino a "
        f"{formatting.numero(rete.massimale_persona_cent / 100)} € a persona, a risultato fino a "
        f"{formatting.numero(rete.massimale_risultato_cent / 100)} € "
        f"({formatting.numero(rete.massimale_autoimpiego_cent / 100)} € per l'autoimprenditorialità)."
    )


def icona(c: Controllo) -> str:
    """The expander's icon: a warning when rows break the rule."""
    return ":material/warning:" if c.righe.height else ":material/check_circle:"


def nota_riservatezza() -> str:
    """The line under tables that may hide cells."""
    return (
        f"Sotto il livello provinciale e per mese, operatore, esito e progetto i conteggi di meno di "
        f"{privacy.soglia()} lavoratori sono mostrati come «{privacy.etichetta()}», con i loro importi; altre celle "
        "sono nascoste («riservato») perché il dato piccolo non si ricavi dai totali."
    )


NOTA_COLLEGAMENTO = (
    "Collegamento per codice pseudonimo del lavoratore: il primo intervento della misura registrata allo STEP 4, "
    "in qualsiasi anno. I giorni vanno dalla data dello STEP 4 all'assegnazione."
)


def titolo_controllo(c: Controllo) -> str:
    """'Speso oltre l'assegnato: 2 righe'."""
    n = c.righe.height
    return f"{c.titolo}: {formatting.numero(n)} {'riga' if n == 1 else 'righe'}"
