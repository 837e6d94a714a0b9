"""The bimonthly report to the provinces: periods, territories and the report's figures and lists (pure polars).

A period is a bimester of the calendar (gennaio–febbraio, marzo–aprile, …, novembre–dicembre) named by any of its
months: «2025-11» and «2025-12» are both novembre–dicembre 2025. The report describes the CIGS procedures in force
on the last day of the bimester (the "reference day"); a bimester not yet over at the data date is provisional and
describes the data date instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from dashboard import contesto, formatting, privacy
from dashboard.contesto import ORIGINE
from data_access.dominio import ETICHETTA_STEP, NO_PAL, NOME_PROVINCIA, SIGLE, STEPS, TIPO
from data_access.queries.meta import InfoDati
from data_access.queries.step import NON_IN_CARICO

# The procedure types the report covers: the CIGS in force (ministeriali and regionali), not dismissals.
TIPI_REPORT: tuple[str, ...] = ("CIGS_MIN", "CIGS_REG")
GIORNI_IN_SCADENZA = 60
REGIONE = "regione"
TUTTE = "tutte"
NOMI_BIMESTRE = (
    "gennaio–febbraio", "marzo–aprile", "maggio–giugno",
    "luglio–agosto", "settembre–ottobre", "novembre–dicembre",
)  # fmt: skip
_PERIODO_RE = re.compile(r"(\d{4})-(\d{1,2})")
# The stages of a worker on the reference day, in the order the report lists them.
STATI_REPORT: tuple[str, ...] = (NON_IN_CARICO, *(s.codice for s in STEPS), NO_PAL.codice)
ETICHETTA_STATO: dict[str, str] = {NON_IN_CARICO: "Non ancora in carico", **ETICHETTA_STEP}


class PeriodoNonValido(ValueError):
    """A period that cannot be reported: the message is Italian, for the page and the terminal."""


@dataclass(frozen=True, order=True)
class Periodo:
    """A bimester: year and its first month (1, 3, 5, 7, 9, 11)."""

    anno: int
    primo_mese: int

    @classmethod
    def di(cls, giorno: date) -> Periodo:
        """The bimester containing a day."""
        return cls(giorno.year, giorno.month - (giorno.month - 1) % 2)

    @classmethod
    def leggi(cls, testo: str | None) -> Periodo:
        """«2025-11» or «2025-12» → novembre–dicembre 2025; anything else raises PeriodoNonValido."""
        trovato = _PERIODO_RE.fullmatch((testo or "").strip())
        if not trovato or not 1 <= int(trovato.group(2)) <= 12 or not 2000 <= int(trovato.group(1)) <= 2100:
            raise PeriodoNonValido(
                f"Periodo «{testo}» non valido: indicare anno e mese come AAAA-MM (per esempio 2025-11 per il "
                "bimestre novembre–dicembre 2025)."
            )
        return cls.di(date(int(trovato.group(1)), int(trovato.group(2)), 1))

    @property
    def inizio(self) -> date:
        """First day of the bimester."""
        return date(self.anno, self.primo_mese, 1)

    @property
    def fine(self) -> date:
        """Last day of the bimester."""
        dopo = date(self.anno + 1, 1, 1) if self.primo_mese == 11 else date(self.anno, self.primo_mese + 2, 1)
        return dopo - timedelta(days=1)

    @property
    def precedente(self) -> Periodo:
        """The bimester before."""
        return Periodo.di(self.inizio - timedelta(days=1))

    @property
    def codice(self) -> str:
        """«2025-11»: year and first month, as in file names and links."""
        return f"{self.anno}-{self.primo_mese:02d}"

    @property
    def nome(self) -> str:
        """«novembre–dicembre 2025»."""
        return f"{NOMI_BIMESTRE[(self.primo_mese - 1) // 2]} {self.anno}"

    def completo(self, data_dati: date) -> bool:
        """True when the bimester is over at the data date."""
        return self.fine <= data_dati

    def riferimento(self, data_dati: date) -> date:
        """The day the report describes: the last day of the bimester, or the data date if it is not over."""
        return min(self.fine, data_dati)


def codice_periodo(testo: str) -> str:
    """A link's period written as its bimester's code («2025-12» → «2025-11»); other text is returned as it is."""
    try:
        return Periodo.leggi(testo).codice
    except PeriodoNonValido:
        return testo


def ultimo_completo(data_dati: date) -> Periodo:
    """The last bimester over at the data date (the default of the scheduled run)."""
    p = Periodo.di(data_dati)
    return p if p.completo(data_dati) else p.precedente


def periodi_disponibili(primo_giorno: date, data_dati: date) -> list[Periodo]:
    """The bimesters from the one of the first procedure to the one of the data date, newest first."""
    periodi, p = [], Periodo.di(data_dati)
    while p >= Periodo.di(primo_giorno):
        periodi.append(p)
        p = p.precedente
    return periodi


def verifica_periodo(periodo: Periodo, data_dati: date, *, provvisorio_ammesso: bool) -> None:
    """Refuse a bimester that starts after the data date, or one not over unless a provisional report is wanted."""
    if periodo.inizio > data_dati:
        raise PeriodoNonValido(
            f"Il bimestre {periodo.nome} inizia dopo la data dei dati ({formatting.data(data_dati)}): "
            "non ci sono dati da riportare."
        )
    if not periodo.completo(data_dati) and not provvisorio_ammesso:
        raise PeriodoNonValido(
            f"Il bimestre {periodo.nome} non è ancora concluso alla data dei dati ({formatting.data(data_dati)}): "
            f"l'ultimo bimestre completo è {ultimo_completo(data_dati).nome}. Per un report provvisorio usare "
            "--provvisorio."
        )


@dataclass(frozen=True)
class Territorio:
    """What a report covers: one province, or the Region (all 12)."""

    codice: str  # a province's sigla, or REGIONE

    @property
    def regionale(self) -> bool:
        """True for the regional edition."""
        return self.codice == REGIONE

    @property
    def province(self) -> tuple[str, ...]:
        """The provinces covered."""
        return SIGLE if self.regionale else (self.codice,)

    @property
    def nome(self) -> str:
        """«Lombardia» or the province's name."""
        return "Lombardia" if self.regionale else NOME_PROVINCIA[self.codice]

    @property
    def titolo(self) -> str:
        """«Regione Lombardia (12 province)» or «Provincia di Lecco» (Milano is a Città metropolitana)."""
        if self.regionale:
            return f"Regione Lombardia ({len(SIGLE)} province)"
        return "Città metropolitana di Milano" if self.codice == "MI" else f"Provincia di {self.nome}"


def leggi_territorio(testo: str | None, perimetro: tuple[str, ...] = SIGLE) -> Territorio | None:
    """A territory from a link or a command line («LC», «lc», «regione»), within a perimeter; None otherwise."""
    valore = (testo or "").strip()
    if valore.lower() == REGIONE and set(perimetro) == set(SIGLE):
        return Territorio(REGIONE)
    if valore.upper() in perimetro:
        return Territorio(valore.upper())
    return None


def territori(perimetro: tuple[str, ...]) -> list[Territorio]:
    """The reports a perimeter may produce: every province in it, and the Region when it covers all 12."""
    scelti = [Territorio(s) for s in SIGLE if s in perimetro]
    return [*scelti, Territorio(REGIONE)] if set(perimetro) == set(SIGLE) else scelti


# --- figures ---------------------------------------------------------------------------------------------------


def in_vigore(unita: pl.DataFrame, giorno: date) -> pl.DataFrame:
    """The unit rows of procedures authorised on a day (start and end of the authorisation included)."""
    return unita.filter(
        (pl.col("data_inizio") <= giorno) & (pl.col("data_fine").is_null() | (pl.col("data_fine") >= giorno))
    )


def per_procedura(unita: pl.DataFrame, riferimento: date) -> pl.DataFrame:
    """One row per procedure and province: its units, comuni and workers there, and days to the end on a day.

    A procedure with units in two provinces gives two rows, each with what is in its province: the territorial
    placement the report is about, and the cell every edition hides in the same way.
    """
    return (
        unita.sort("comune", "codice_unita")
        .group_by("procedura_id", "sigla")
        .agg(
            pl.col("codice_procedura").first(),
            pl.col("tipo").first(),
            pl.col("data_inizio").first(),
            pl.col("data_fine").first(),
            pl.col("alta_complessita").first(),
            pl.col("ragione_sociale").first(),
            (pl.col("ateco_codice").first() + " " + pl.col("ateco_descrizione").first()).alias("settore"),
            pl.col("comune").unique(maintain_order=True).alias("comuni"),
            pl.len().cast(pl.Int64).alias("unita"),
            pl.col("lavoratori").sum(),
        )
        .with_columns((pl.col("data_fine") - pl.lit(riferimento)).dt.total_days().alias("giorni_alla_scadenza"))
        .sort("tipo", "data_fine", "codice_procedura", "sigla", nulls_last=True)
    )


def con_riservatezza(procedure: pl.DataFrame) -> pl.DataFrame:
    """Add `lavoratori_testo`: the workers as shown, hidden by the rule within each province and type.

    The totals by province and type are published (first page, official tables), so each is a line whose hidden
    cells must not be recoverable. Masked over the whole perimeter once, every edition shows the same cells.
    """
    if procedure.is_empty():
        return procedure.with_columns(pl.lit(None, pl.String).alias("lavoratori_testo"))
    nascosti = privacy.maschera(procedure, "lavoratori", ["sigla", "tipo"], None)
    return procedure.with_columns(_come_letti(procedure, "lavoratori", nascosti).alias("lavoratori_testo"))


def _come_letti(df: pl.DataFrame, colonna: str, nascosti: pl.Series) -> pl.Series:
    """The counts as the report prints them: the number, or its label where hidden (the privacy convention)."""
    coperta = privacy.nascondi(df.select(colonna), colonna, nascosti)
    return coperta.select(privacy.leggibile(coperta, colonna).cast(pl.String)).to_series()


@dataclass(frozen=True)
class Cifra:
    """A key figure of the first page: now and on the previous reference day."""

    chiave: str
    etichetta: str
    valore: int
    precedente: int | None = None
    spiegazione: str = ""

    @property
    def testo(self) -> str:
        """The value in Italian format."""
        return formatting.numero(self.valore)

    @property
    def variazione(self) -> str:
        """«+3 sul bimestre precedente» («invariato», or '' when not compared)."""
        if self.precedente is None:
            return ""
        if self.valore == self.precedente:
            return "invariato sul bimestre precedente"
        return f"{formatting.differenza(self.valore, self.precedente)} sul bimestre precedente"


@dataclass(frozen=True)
class Step:
    """The step model on the reference day for the territory's CIGS ministeriali, with the GOL 120-day rule."""

    tabella: pl.DataFrame  # sigla, stato, lavoratori, testo (hidden cells as '<3' / 'riservato'), quota
    lavoratori: int
    pal: int
    pal_precedente: int
    lavoratori_precedente: int
    in_finestra: int
    entro_obiettivo: int
    pal_riservata: bool

    @property
    def quota_pal(self) -> float | None:
        """Share of the workers with PAL activated (STEP 4)."""
        return self.pal / self.lavoratori if self.lavoratori else None

    @property
    def quota_gol(self) -> float | None:
        """Share of the workers whose 120 days are over that had PAL activated within them."""
        return self.entro_obiettivo / self.in_finestra if self.in_finestra else None


@dataclass(frozen=True, eq=False)
class Report:
    """Everything one report shows, for one territory and one bimester, from one extraction."""

    territorio: Territorio
    periodo: Periodo
    info: InfoDati
    riferimento: date
    riferimento_precedente: date
    provvisorio: bool
    cifre: tuple[Cifra, ...]
    procedure: pl.DataFrame  # in force on the reference day, one row per procedure
    unita: pl.DataFrame  # their units in the territory
    nuove: pl.DataFrame
    concluse: pl.DataFrame
    in_scadenza: pl.DataFrame
    comuni: pl.DataFrame  # units and procedures by comune (the map)
    per_provincia: pl.DataFrame  # procedures, units, workers by province and type (public totals)
    step: Step
    casi: pl.DataFrame
    soglia: int = field(default_factory=privacy.soglia)

    @property
    def dati_al(self) -> str:
        """«Dati al 15/01/2026», with the demo mark."""
        return contesto.dati_al(self.info)

    @property
    def fonte(self) -> str:
        """The source line under every chart and table."""
        return contesto.fonte(self.info, f"{ORIGINE} (VertenzeOnline)")

    @property
    def titolo(self) -> str:
        """«Report bimestrale CIGS — Provincia di Lecco — novembre–dicembre 2025»."""
        return f"Report bimestrale CIGS — {self.territorio.titolo} — {self.periodo.nome}"

    @property
    def nome_file(self) -> str:
        """«report-bimestrale_2025-11_LC_dati-al-2026-01-15» (no extension)."""
        provv = "_provvisorio" if self.provvisorio else ""
        codice = "regione" if self.territorio.regionale else self.territorio.codice
        return (
            f"report-bimestrale_{self.periodo.codice}_{codice}{provv}_dati-al-{self.info.data_estrazione.isoformat()}"
        )

    def cifra(self, chiave: str) -> Cifra:
        """A key figure by its key."""
        return next(c for c in self.cifre if c.chiave == chiave)


def _step(stati: pl.DataFrame, stati_prima: pl.DataFrame, perimetro: tuple[str, ...], territorio: Territorio) -> Step:
    """The stages of the territory's workers on the reference day, hidden by the rule, with PAL and GOL figures.

    The mask is taken once over the perimeter, so every edition shows the same cells: each province's total is
    public (a line); when the perimeter is the Region its stages are also summed over provinces (columns).
    """
    griglia = pl.DataFrame({"sigla": list(perimetro)}).join(pl.DataFrame({"stato": list(STATI_REPORT)}), how="cross")
    tabella = (
        griglia.join(
            stati.group_by("sigla", "stato").agg(pl.col("lavoratori").sum()), on=["sigla", "stato"], how="left"
        )
        .with_columns(pl.col("lavoratori").fill_null(0))
        .with_columns(pl.col("stato").replace_strict({s: i for i, s in enumerate(STATI_REPORT)}).alias("_ordine"))
        .sort("sigla", "_ordine")
        .drop("_ordine")
    )
    colonne = "stato" if set(perimetro) == set(SIGLE) else None
    nascosti = privacy.maschera(tabella, "lavoratori", "sigla", colonne)
    tabella = tabella.with_columns(
        _come_letti(tabella, "lavoratori", nascosti).alias("testo"), nascosti.alias("nascosto")
    ).filter(pl.col("sigla").is_in(territorio.province))
    qui = stati.filter(pl.col("sigla").is_in(territorio.province))
    prima = stati_prima.filter(pl.col("sigla").is_in(territorio.province))
    step4 = pl.col("stato") == STEPS[-1].codice
    return Step(
        tabella=tabella.drop("nascosto"),
        lavoratori=int(qui["lavoratori"].sum()),
        pal=int(qui.filter(step4)["lavoratori"].sum()),
        pal_precedente=int(prima.filter(step4)["lavoratori"].sum()),
        lavoratori_precedente=int(prima["lavoratori"].sum()),
        in_finestra=int(qui["in_finestra"].sum()),
        entro_obiettivo=int(qui["entro_obiettivo"].sum()),
        pal_riservata=bool(tabella.filter(step4)["nascosto"].any()),
    )


def _per_provincia(unita: pl.DataFrame, territorio: Territorio) -> pl.DataFrame:
    """Procedures, units and workers in force by province and type: every province of the territory listed."""
    griglia = pl.DataFrame({"sigla": list(territorio.province)}).join(
        pl.DataFrame({"tipo": list(TIPI_REPORT)}), how="cross"
    )
    conteggi = unita.group_by("sigla", "tipo").agg(
        pl.col("procedura_id").n_unique().alias("procedure"),
        pl.len().alias("unita"),
        pl.col("lavoratori").sum(),
    )
    return (
        griglia.join(conteggi, on=["sigla", "tipo"], how="left")
        .with_columns(pl.col("procedure", "unita", "lavoratori").fill_null(0).cast(pl.Int64))
        .sort("sigla", "tipo")
    )


def _comuni(unita: pl.DataFrame) -> pl.DataFrame:
    """Units and procedures in force by comune and type, for the map (counts of sites, not of people)."""
    return (
        unita.group_by("codice_comune", "comune", "sigla", "lat", "lon", "tipo")
        .agg(pl.len().alias("unita"), pl.col("procedura_id").n_unique().alias("procedure"))
        .sort("sigla", "comune", "tipo")
    )


def edizione(
    territorio: Territorio,
    periodo: Periodo,
    info: InfoDati,
    unita: pl.DataFrame,
    stati: pl.DataFrame,
    stati_precedenti: pl.DataFrame,
    casi: pl.DataFrame,
    perimetro: tuple[str, ...],
) -> Report:
    """One territory's report from the reads of letture.report for a perimeter of provinces that contains it."""
    al = periodo.riferimento(info.data_estrazione)
    al_prima = periodo.precedente.fine
    tutte = unita.filter(pl.col("tipo").is_in(TIPI_REPORT))
    nel_territorio = pl.col("sigla").is_in(territorio.province)
    # Lists masked over the whole perimeter first, then cut to the territory (the same cells in every edition).
    ora = con_riservatezza(per_procedura(in_vigore(tutte, al), al)).filter(nel_territorio)
    prima = con_riservatezza(per_procedura(in_vigore(tutte, al_prima), al_prima)).filter(nel_territorio)
    ora_u, prima_u = in_vigore(tutte, al).filter(nel_territorio), in_vigore(tutte, al_prima).filter(nel_territorio)
    # What changed between the two reference days: started in the bimester; ended (in force on the previous reference
    # day, or started since, and no longer on this one), shown as on the list of the bimester before; due to end
    # within GIORNI_IN_SCADENZA days. So: in force now = in force before + started - ended.
    nuove = ora.filter(pl.col("data_inizio") >= periodo.inizio)
    finite = pl.col("data_fine").is_between(al_prima, al - timedelta(days=1))
    concluse = pl.concat(
        [
            prima.filter(finite),
            con_riservatezza(
                per_procedura(tutte.filter(finite & (pl.col("data_inizio") >= periodo.inizio)), al)
            ).filter(nel_territorio),
        ]
    ).sort("data_fine", "codice_procedura", "sigla")
    in_scadenza = ora.filter(pl.col("giorni_alla_scadenza") <= GIORNI_IN_SCADENZA).sort(
        "data_fine", "codice_procedura", "sigla"
    )
    step = _step(stati, stati_precedenti, perimetro, territorio)
    casi_qui = casi.filter(
        pl.col("aperto") & pl.col("province").list.eval(pl.element().is_in(list(territorio.province))).list.any()
    )

    def quante(df: pl.DataFrame, tipo: str | None = None) -> int:
        scelte = df if tipo is None else df.filter(pl.col("tipo") == tipo)
        return scelte["procedura_id"].n_unique()

    cifre = [
        Cifra("procedure", "CIGS in corso", quante(ora), quante(prima), "Procedure autorizzate nel giorno"),
        *(
            Cifra(
                f"procedure_{t}", TIPO[t].etichetta + " in corso", quante(ora, t), quante(prima, t),
                f"Linee guida {TIPO[t].linee_guida}",
            )
            for t in TIPI_REPORT
        ),
        Cifra("unita", "Unità produttive coinvolte", ora_u.height, prima_u.height, "Sedi nel territorio"),
        Cifra(
            "lavoratori", "Lavoratori coinvolti", int(ora_u["lavoratori"].sum()), int(prima_u["lavoratori"].sum()),
            "Nelle unità produttive del territorio",
        ),
        Cifra("nuove", "Nuove nel bimestre", quante(nuove), None, f"Avviate dal {formatting.data(periodo.inizio)}"),
        Cifra("concluse", "Concluse nel bimestre", quante(concluse), None, f"In corso al {formatting.data(al_prima)}"
              f" o avviate dopo, non più al {formatting.data(al)}"),
        Cifra(
            "in_scadenza", f"In scadenza entro {GIORNI_IN_SCADENZA} giorni", quante(in_scadenza), None,
            f"Fine dell'autorizzazione entro il {formatting.data(al + timedelta(days=GIORNI_IN_SCADENZA))}",
        ),
        Cifra("casi", "Casi ad alta complessità aperti", casi_qui.height, None, "Alla data dei dati"),
    ]  # fmt: skip
    return Report(
        territorio=territorio,
        periodo=periodo,
        info=info,
        riferimento=al,
        riferimento_precedente=al_prima,
        provvisorio=not periodo.completo(info.data_estrazione),
        cifre=tuple(cifre),
        procedure=ora,
        unita=ora_u.sort("codice_procedura", "sigla", "comune", "codice_unita"),
        nuove=nuove,
        concluse=concluse,
        in_scadenza=in_scadenza,
        comuni=_comuni(ora_u),
        per_provincia=_per_provincia(ora_u, territorio),
        step=step,
        casi=casi_qui,
    )


# --- tables of the PDF and of the XLSX annex (typed columns; counts of people as shown) -------------------------

_TIPO_BREVE = {t: TIPO[t].etichetta_breve for t in TIPI_REPORT}


def conteggi_come_numeri(df: pl.DataFrame, colonne: list[str]) -> pl.DataFrame:
    """Count columns held as text for their hidden cells ('12', '<3') become whole numbers when none is hidden."""
    intere = [c for c in colonne if df.height and df[c].dtype == pl.String and df[c].str.contains(r"^\d+$").all()]
    return df.with_columns(pl.col(c).cast(pl.Int64) for c in intere)


def tabella_procedure(df: pl.DataFrame, regionale: bool) -> pl.DataFrame:
    """The procedures as listed: type, code, company, sector, provinces, comuni, units, workers, dates, days."""
    colonne = [
        pl.col("tipo").replace_strict(_TIPO_BREVE).alias("Tipo"),
        pl.col("codice_procedura").alias("Procedura"),
        pl.col("ragione_sociale").alias("Azienda"),
        pl.col("settore").alias("Settore ATECO"),
        *([pl.col("sigla").replace_strict(NOME_PROVINCIA).alias("Provincia")] if regionale else []),
        pl.col("comuni").list.join(", ").alias("Comuni delle unità"),
        pl.col("unita").alias("Unità produttive"),
        pl.col("lavoratori_testo").alias("Lavoratori"),
        pl.col("data_inizio").alias("Inizio autorizzazione"),
        pl.col("data_fine").alias("Fine autorizzazione"),
        pl.col("giorni_alla_scadenza").alias("Giorni alla scadenza"),
        pl.col("alta_complessita").alias("Alta complessità"),
    ]
    return conteggi_come_numeri(df.select(colonne), ["Lavoratori"])


def tabella_unita(df: pl.DataFrame) -> pl.DataFrame:
    """The production units of the procedures in force, with their comune and province."""
    return df.select(
        pl.col("codice_procedura").alias("Procedura"),
        pl.col("tipo").replace_strict(_TIPO_BREVE).alias("Tipo"),
        pl.col("ragione_sociale").alias("Azienda"),
        pl.col("codice_unita").alias("Unità produttiva"),
        pl.col("indirizzo").alias("Indirizzo"),
        pl.col("comune").alias("Comune"),
        pl.col("codice_comune").alias("Codice ISTAT comune"),
        pl.col("sigla").replace_strict(NOME_PROVINCIA).alias("Provincia"),
    )


def tabella_step(step: Step) -> pl.DataFrame:
    """Workers by stage on the reference day (one row per province for the Region), hidden cells as shown."""
    larga = step.tabella.with_columns(pl.col("stato").replace_strict(ETICHETTA_STATO)).pivot(
        on="stato", index="sigla", values="testo", aggregate_function="first"
    )
    totali = step.tabella.group_by("sigla").agg(pl.col("lavoratori").sum().cast(pl.String).alias("Totale"))
    larga = larga.join(totali, on="sigla", how="left").sort("sigla")
    larga = larga.with_columns(pl.col("sigla").replace_strict(NOME_PROVINCIA).alias("Provincia")).drop("sigla")
    ordine = ["Provincia", *(ETICHETTA_STATO[s] for s in STATI_REPORT), "Totale"]
    larga = larga.select(ordine)
    if larga.height > 1:  # the Region: each stage summed over provinces (a line of the mask, safe to show)
        somme = step.tabella.group_by("stato").agg(pl.col("lavoratori").sum())
        per_stato = dict(somme.iter_rows())
        totale = {"Provincia": "Lombardia", **{ETICHETTA_STATO[s]: str(per_stato.get(s, 0)) for s in STATI_REPORT}}
        totale["Totale"] = str(sum(per_stato.values()))
        larga = pl.concat([larga, pl.DataFrame([totale], schema=larga.schema)])
    return conteggi_come_numeri(larga, ordine[1:])


def tabella_per_provincia(df: pl.DataFrame) -> pl.DataFrame:
    """Procedures, units and workers in force by province and type (the province totals are public)."""
    larga = df.pivot(on="tipo", index="sigla", values=["procedure", "unita", "lavoratori"], aggregate_function="sum")
    colonne = [pl.col("sigla").replace_strict(NOME_PROVINCIA).alias("Provincia")]
    for t in TIPI_REPORT:
        breve = _TIPO_BREVE[t]
        colonne += [
            pl.col(f"procedure_{t}").alias(f"{breve} procedure"),
            pl.col(f"unita_{t}").alias(f"{breve} unità"),
            pl.col(f"lavoratori_{t}").alias(f"{breve} lavoratori"),
        ]
    return larga.sort("sigla").select(colonne)


def tabella_casi(df: pl.DataFrame) -> pl.DataFrame:
    """The open high-complexity cases of the territory, most urgent first."""
    return df.select(
        pl.col("codice").alias("Caso"),
        pl.col("ragione_sociale").alias("Azienda"),
        pl.col("province").list.join(", ").alias("Province"),
        pl.col("stato").alias("Stato"),
        pl.col("rischio").alias("Rischio"),
        pl.col("semaforo").alias("Semaforo"),
        pl.col("prossima_scadenza").alias("Prossima scadenza"),
        pl.col("tipo_scadenza").alias("Tipo di scadenza"),
        pl.col("giorni_alla_scadenza").alias("Giorni alla scadenza"),
        pl.coalesce(pl.col(privacy.marcatore("lavoratori")), pl.col("lavoratori").cast(pl.String)).alias(
            "Lavoratori (tutte le sedi)"
        ),
    ).pipe(conteggi_come_numeri, ["Lavoratori (tutte le sedi)"])


def tabella_sintesi_province(r: Report) -> pl.DataFrame:
    """Procedures by province: in force, new and ended in the bimester, expiring, of high-complexity cases."""
    elenchi = {
        "CIGS in corso": r.procedure,
        "Nuove nel bimestre": r.nuove,
        "Concluse nel bimestre": r.concluse,
        f"In scadenza entro {GIORNI_IN_SCADENZA} giorni": r.in_scadenza,
        "Di casi ad alta complessità": r.procedure.filter(pl.col("alta_complessita")),
    }
    tabella = pl.DataFrame({"sigla": sorted(r.territorio.province)})
    for nome, df in elenchi.items():
        conteggi = df.group_by("sigla").agg(pl.len().cast(pl.Int64).alias(nome))
        tabella = tabella.join(conteggi, on="sigla", how="left").with_columns(pl.col(nome).fill_null(0))
    totale = tabella.select(pl.lit("Lombardia").alias("sigla"), *(pl.col(n).sum() for n in elenchi))
    tabella = tabella.with_columns(pl.col("sigla").replace_strict(NOME_PROVINCIA))
    return pl.concat([tabella, totale]).rename({"sigla": "Provincia"})
