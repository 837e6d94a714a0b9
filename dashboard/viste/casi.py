"""High-complexity cases: deadline arithmetic, traffic light, urgency order, filters and search (pure polars).

Every "days" figure is counted at the data's extraction date, not today: the cruscotto is a snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import polars as pl

from dashboard import formatting, privacy
from data_access.dominio import (
    CODICI_TIPO,
    LIVELLI_RISCHIO,
    NOME_PROVINCIA,
    SIGLE,
    STATI_PERCORSO,
    STEP_PAL,
    STEPS,
    TIPO,
)

if TYPE_CHECKING:
    from dashboard.contesto import Filtri

STATI_APERTI: tuple[str, ...] = ("aperto", "in monitoraggio")
GIORNI_ROSSO = 30
GIORNI_AMBRA = 60
GIORNI_SENZA_AGGIORNAMENTO = 60

ROSSO, AMBRA, VERDE, CHIUSO = "rosso", "ambra", "verde", "chiuso"
SEMAFORI: tuple[str, ...] = (ROSSO, AMBRA, VERDE, CHIUSO)
ETICHETTA_SEMAFORO: dict[str, str] = {ROSSO: "Rosso", AMBRA: "Ambra", VERDE: "Verde", CHIUSO: "Chiuso"}
REGOLA_SEMAFORO = (
    f"**Rosso**: scadenza superata o entro {GIORNI_ROSSO} giorni, oppure rischio alto senza aggiornamenti "
    f"da più di {GIORNI_SENZA_AGGIORNAMENTO} giorni. "
    f"**Ambra**: scadenza entro {GIORNI_AMBRA} giorni, oppure nessun aggiornamento da più di "
    f"{GIORNI_SENZA_AGGIORNAMENTO} giorni. **Verde**: tutti gli altri casi aperti. "
    "**Chiuso**: casi chiusi, fuori dal semaforo e in fondo all'elenco. "
    "Ordine di urgenza: prima le scadenze superate, poi i giorni alla scadenza (crescenti), poi il rischio."
)
_RANGO_RISCHIO = {r: i for i, r in enumerate(LIVELLI_RISCHIO)}
_BREVE = {t.codice: t.etichetta_breve for t in TIPO.values()}
NASCOSTI = privacy.marcatore("lavoratori")  # how a hidden count of workers reads ('<3', 'riservato'), else null
PAL_NASCOSTA = privacy.marcatore("quota_pal")


def semaforo(stato: str, rischio: str, giorni_scadenza: int | None, giorni_senza_aggiornamento: int) -> str:
    """The traffic light of a case (the single definition; REGOLA_SEMAFORO says it in words)."""
    if stato not in STATI_APERTI:
        return CHIUSO
    fermo = giorni_senza_aggiornamento > GIORNI_SENZA_AGGIORNAMENTO
    if giorni_scadenza is not None and giorni_scadenza <= GIORNI_ROSSO:
        return ROSSO
    if rischio == "alto" and fermo:
        return ROSSO
    if (giorni_scadenza is not None and giorni_scadenza <= GIORNI_AMBRA) or fermo:
        return AMBRA
    return VERDE


def descrivi_scadenza(giorni: int | None) -> str:
    """'scaduta da 3 giorni', 'oggi', 'tra 1 giorno', 'tra 12 giorni', 'nessuna scadenza'."""
    if giorni is None:
        return "nessuna scadenza"
    if giorni == 0:
        return "oggi"
    n = abs(giorni)
    parola = "giorno" if n == 1 else "giorni"
    return f"scaduta da {formatting.numero(n)} {parola}" if giorni < 0 else f"tra {formatting.numero(n)} {parola}"


def colore_scadenza(giorni: int | None) -> str:
    """Colour of a deadline badge by the traffic light's day thresholds: red, orange, or gray."""
    if giorni is None or giorni > GIORNI_AMBRA:
        return "gray"
    return "orange" if giorni > GIORNI_ROSSO else "red"


def riservatezza(df: pl.DataFrame, colonna: str = "lavoratori", *, con_totale: bool = True) -> pl.DataFrame:
    """A list of worker counts with its small counts hidden the privacy way (null + `<colonna>_soppresso`).

    With `con_totale` the list's total is shown somewhere, so cells are also hidden until none follows from it
    (docs/privacy.md).
    """
    if df.is_empty():
        return df.with_columns(pl.lit(None, pl.String).alias(privacy.marcatore(colonna)))
    t = privacy.soglia()
    nascosti = privacy.maschera(df, colonna, None, None, t) if con_totale else privacy.primaria(df, colonna, t)
    return privacy.nascondi(df, colonna, nascosti)


def testo_lavoratori(colonna: str = "lavoratori") -> pl.Expr:
    """A count of workers as read: '1.443', or its label where hidden ('<3', 'riservato')."""
    return pl.coalesce(pl.col(privacy.marcatore(colonna)), formatting.numero_espr(pl.col(colonna))).alias(colonna)


def testo_conteggio(n: int) -> str:
    """A single count of workers as shown: '<3' when small (primary suppression)."""
    return privacy.etichetta() if 0 < n < privacy.soglia() else formatting.numero(n)


def _ordina_liste(col: str, ordine: Sequence[str]) -> pl.Expr:
    """The values of a list column in the given order (unknown ones last, alphabetically)."""
    rango = pl.element().replace_strict(
        {v: i for i, v in enumerate(ordine)}, default=len(ordine), return_dtype=pl.Int64
    )
    return pl.col(col).list.eval(pl.element().sort_by(rango, pl.element()))


def componi(
    casi: pl.DataFrame, coinvolgimento: pl.DataFrame, step: pl.DataFrame, tavoli: pl.DataFrame, al: date
) -> pl.DataFrame:
    """One row per case with its figures, deadline arithmetic and traffic light, in urgency order."""
    per_caso = coinvolgimento.group_by("codice").agg(
        pl.col("sigla").unique().alias("province"),
        pl.col("tipo").unique().alias("tipi"),
        pl.col("unita").sum(),
        pl.col("lavoratori").sum(),
        pl.col("procedure").sum(),
    )
    coorte = step.group_by("codice").agg(
        pl.col("lavoratori").sum().alias("coorte_step"),
        pl.col("lavoratori").filter(pl.col("stato_step") == STEP_PAL.codice).sum().alias("step4"),
    )
    # A share whose STEP 4 count is hidden in the case's funnel would give that count back: it is withheld too.
    riservate = [
        codice
        for (codice,), righe in step.group_by("codice")
        if funnel_caso(righe).filter(pl.col("stato_step") == STEP_PAL.codice)[NASCOSTI].is_not_null().item()
    ]
    df = (
        casi.join(per_caso, on="codice", how="left")
        .join(coorte, on="codice", how="left")
        .join(tavoli, on="codice", how="left")
        .with_columns(
            pl.col("province", "tipi").fill_null(pl.lit([], dtype=pl.List(pl.String))),
            pl.col("unita", "lavoratori", "procedure", "coorte_step", "step4", "tavoli").fill_null(0),
        )
        .with_columns(
            _ordina_liste("province", SIGLE),
            _ordina_liste("tipi", CODICI_TIPO),
            pl.col("livelli_istituzionali")
            .str.split(",")
            .list.eval(pl.element().str.strip_chars())
            .list.filter(pl.element() != "")
            .alias("livelli"),
            (pl.col("ateco_codice") + " " + pl.col("ateco_descrizione")).alias("settore"),
            pl.when(pl.col("codice").is_in(riservate))
            .then(pl.lit(privacy.ETICHETTA_SECONDARIA))
            .otherwise(pl.lit(None, pl.String))
            .alias(PAL_NASCOSTA),
            pl.when((pl.col("coorte_step") > 0) & ~pl.col("codice").is_in(riservate))
            .then(pl.col("step4") / pl.col("coorte_step"))
            .alias("quota_pal"),
            (pl.col("prossima_scadenza") - pl.lit(al)).dt.total_days().alias("giorni_alla_scadenza"),
            (pl.lit(al) - pl.col("data_ultimo_aggiornamento")).dt.total_days().alias("giorni_senza_aggiornamento"),
            pl.col("stato").is_in(STATI_APERTI).alias("aperto"),
        )
        .with_columns(
            (pl.col("giorni_alla_scadenza") < 0).fill_null(False).alias("scaduto"),
        )
    )
    # The traffic light has one definition, in Python: computed after leaving polars, never as a polars callback.
    luci = df.select("stato", "rischio", "giorni_alla_scadenza", "giorni_senza_aggiornamento").iter_rows()
    df = df.with_columns(pl.Series("semaforo", [semaforo(*riga) for riga in luci], dtype=pl.String))
    # One mask on the whole list (docs/privacy.md, rule 4); the headline figure shows a total of it.
    df = riservatezza(df)
    return ordina_per_urgenza(df)


def ordina_per_urgenza(df: pl.DataFrame) -> pl.DataFrame:
    """Open cases first; among them overdue first, then by days to deadline (none last), then by risk."""
    return (
        df.with_columns(pl.col("rischio").replace_strict(_RANGO_RISCHIO, default=len(_RANGO_RISCHIO)).alias("_r"))
        .sort(
            [pl.col("aperto").not_(), "giorni_alla_scadenza", "_r", "codice"],
            nulls_last=True,
        )
        .drop("_r")
    )


def filtra(
    df: pl.DataFrame,
    *,
    province: Sequence[str] | None = None,
    tipi: Sequence[str] | None = None,
    settori: Sequence[str] = (),
    stati: Sequence[str] = (),
    rischi: Sequence[str] = (),
    testo: str = "",
) -> pl.DataFrame:
    """The cases matching every filter; None or empty means no restriction on that field.

    A case matches provinces (types) when any of its units (procedures) is in the selection; the search is a
    case-insensitive substring of the company name.
    """
    cond = pl.lit(True)
    if province is not None:
        cond &= pl.col("province").list.eval(pl.element().is_in(list(province))).list.any()
    if tipi is not None:
        cond &= pl.col("tipi").list.eval(pl.element().is_in(list(tipi))).list.any()
    if settori:
        cond &= pl.col("ateco_codice").is_in(list(settori))
    if stati:
        cond &= pl.col("stato").is_in(list(stati))
    if rischi:
        cond &= pl.col("rischio").is_in(list(rischi))
    if testo.strip():
        cond &= pl.col("ragione_sociale").str.to_lowercase().str.contains(testo.strip().lower(), literal=True)
    return df.filter(cond)


def nella_barra(df: pl.DataFrame, f: Filtri) -> pl.DataFrame:
    """The cases the sidebar selects: provinces and procedure types apply, the year does not.

    The cases are a live watch list, not a yearly statistic: a case stays listed whatever year is chosen. Every page
    and download that lists cases selects them here.
    """
    return filtra(df, province=None if f.tutte_le_province else f.province, tipi=None if f.tutti_i_tipi else f.tipi)


def settori(df: pl.DataFrame) -> dict[str, str]:
    """ATECO code -> 'code description' of the sectors present, by code."""
    righe = df.select("ateco_codice", "settore").unique().sort("ateco_codice")
    return dict(righe.iter_rows())


@dataclass(frozen=True)
class Indicatori:
    """The page's headline figures, counted on open cases only."""

    aperti: int
    lavoratori: int | None  # None when the total would give back a hidden case count
    entro_30: int
    entro_60: int
    scaduti: int
    senza_aggiornamento: int


def indicatori(df: pl.DataFrame) -> Indicatori:
    """Open cases, their workers, deadlines within 30 and 60 days, overdue and stale cases."""
    aperti = df.filter(pl.col("aperto"))
    giorni = pl.col("giorni_alla_scadenza")
    return Indicatori(
        aperti=aperti.height,
        lavoratori=None if aperti[NASCOSTI].is_not_null().any() else int(aperti["lavoratori"].sum()),
        entro_30=aperti.filter(giorni.is_between(0, GIORNI_ROSSO)).height,
        entro_60=aperti.filter(giorni.is_between(0, GIORNI_AMBRA)).height,
        scaduti=aperti.filter(pl.col("scaduto")).height,
        senza_aggiornamento=aperti.filter(pl.col("giorni_senza_aggiornamento") > GIORNI_SENZA_AGGIORNAMENTO).height,
    )


def voci_indicatori(ind: Indicatori) -> list[tuple[str, str, str]]:
    """Label, Italian value and explanation of each headline figure, in display order."""
    oltre = GIORNI_SENZA_AGGIORNAMENTO
    # Short labels: six figures share one row on a projector; the help says each in full.
    voci = [
        ("Casi aperti", ind.aperti, "Casi in stato «aperto» o «in monitoraggio» tra quelli che rispondono ai filtri."),
        ("Lavoratori", ind.lavoratori, "Lavoratori coinvolti nelle procedure dei casi aperti."),
        (
            f"Urgenti ≤ {GIORNI_ROSSO} gg",
            ind.entro_30,
            f"Casi aperti con la prossima scadenza entro {GIORNI_ROSSO} giorni.",
        ),
        (
            f"In scadenza ≤ {GIORNI_AMBRA} gg",
            ind.entro_60,
            f"Casi aperti con la prossima scadenza entro {GIORNI_AMBRA} giorni.",
        ),
        ("Scaduti", ind.scaduti, "Casi aperti con la scadenza già passata alla data dei dati."),
        (f"Fermi > {oltre} gg", ind.senza_aggiornamento, f"Casi aperti senza aggiornamenti da oltre {oltre} giorni."),
    ]
    return [
        (etichetta, privacy.ETICHETTA_SECONDARIA if valore is None else formatting.numero(valore), aiuto)
        for etichetta, valore, aiuto in voci
    ]


def testo_riga(riga: Mapping[str, Any]) -> tuple[str, str]:
    """A case's workers and PAL share as read in its detail and brief: figures, or their privacy labels."""
    # No worker in the step model: a PAL share does not apply (it is not missing).
    quota = formatting.percentuale(riga["quota_pal"]) if riga["coorte_step"] else formatting.NON_APPLICABILE
    return riga[NASCOSTI] or formatting.numero(riga["lavoratori"]), riga[PAL_NASCOSTA] or quota


def tabella_elenco(df: pl.DataFrame) -> pl.DataFrame:
    """The list as shown and downloaded: Italian headers, lists as text, PAL share in percent (one decimal)."""
    colonne = {
        "Semaforo": pl.col("semaforo").replace_strict(ETICHETTA_SEMAFORO),
        "Caso": pl.col("codice"),
        "Azienda": pl.col("ragione_sociale"),
        # Provinces and PAL share come early: they stay in sight without scrolling sideways on a 1280 px screen.
        "Province": pl.col("province").list.join(", "),
        "PAL attivate (%)": privacy.leggibile(df, "quota_pal", (pl.col("quota_pal") * 100).round(1)),
        "Scadenza": pl.col("prossima_scadenza"),
        "Giorni alla scadenza": pl.col("giorni_alla_scadenza"),
        "Tipo scadenza": pl.col("tipo_scadenza"),
        "Rischio": pl.col("rischio"),
        "Stato": pl.col("stato"),
        "Lavoratori": privacy.leggibile(df, "lavoratori"),
        "Giorni senza aggiornamento": pl.col("giorni_senza_aggiornamento"),
        "Ultimo tavolo": pl.col("ultimo_tavolo"),
        "Unità": pl.col("unita"),
        "Procedure": pl.col("tipi").list.eval(pl.element().replace_strict(_BREVE)).list.join(", "),
        "Settore ATECO": pl.col("settore"),
        "Livelli istituzionali": pl.col("livelli").list.join(", "),
    }
    return df.select(espr.alias(nome) for nome, espr in colonne.items())


def funnel_caso(step: pl.DataFrame) -> pl.DataFrame:
    """Workers of one case per stage of the step path (hidden stages null, see `riservatezza`), and the `coorte`."""
    conteggi = dict(step.select("stato_step", "lavoratori").iter_rows())
    df = pl.DataFrame(
        {
            "stato_step": [s.codice for s in STATI_PERCORSO],
            "fase": [s.etichetta for s in STATI_PERCORSO],
            "lavoratori": [int(conteggi.get(s.codice, 0)) for s in STATI_PERCORSO],
        },
        schema={"stato_step": pl.String, "fase": pl.String, "lavoratori": pl.Int64},
    ).with_columns(pl.col("lavoratori").sum().alias("coorte"))
    # The cohort total is shown, so one hidden stage alone could be recovered by subtraction.
    return riservatezza(df)


def progressione_cumulata(progressione: pl.DataFrame, al: date) -> pl.DataFrame:
    """Workers who had reached each step, week by week up to the data date.

    Privacy: a series never rises by fewer workers than the threshold; a smaller weekly rise waits for the next
    weeks (a last remainder joins the previous rise), so no point tells of one or two workers.
    """
    if progressione.is_empty():
        return pl.DataFrame(schema={"step": pl.String, "data": pl.Date, "lavoratori": pl.Int64})
    t = privacy.soglia()
    # Every series starts at zero the day before the first STEP 1, so the areas rise from the axis.
    inizio = progressione["data"].min() - timedelta(days=1)
    righe: list[tuple[str, date, int]] = []
    for step in (s.codice for s in STEPS):
        settimane = (
            progressione.filter(pl.col("step") == step)
            .with_columns(pl.min_horizontal(pl.col("data").dt.truncate("1w") + timedelta(days=6), pl.lit(al)))
            .group_by("data")
            .agg(pl.col("lavoratori").sum())
            .sort("data")
        )
        punti, cumulato, attesa = [(inizio, 0)], 0, 0
        for fine, n in settimane.iter_rows():
            attesa += n
            if attesa >= t:
                cumulato, attesa = cumulato + attesa, 0
                punti.append((fine, cumulato))
        if attesa and len(punti) > 1:
            cumulato += attesa
            punti[-1] = (punti[-1][0], cumulato)
        punti.append((al, cumulato))
        per_data = dict(punti)  # the data date may close a week already listed: keep one point per day
        righe += [(step, giorno, n) for giorno, n in sorted(per_data.items())]
    return pl.DataFrame(righe, schema={"step": pl.String, "data": pl.Date, "lavoratori": pl.Int64}, orient="row")


def progressione_visibile(progressione: pl.DataFrame, fasi: pl.DataFrame, al: date) -> pl.DataFrame:
    """The weekly curves of a case (`progressione_cumulata`), or none when its funnel (`funnel_caso`) hides a stage.

    The curves' end points are the workers who reached each step: from them a hidden stage would come back by
    difference.
    """
    return progressione_cumulata(progressione.clear() if fasi[NASCOSTI].is_not_null().any() else progressione, al)


def tabella_procedure(procedure: pl.DataFrame) -> pl.DataFrame:
    """The case's procedures with Italian headers (the table beside the timeline), worker counts masked."""
    return riservatezza(procedure).select(
        pl.col("codice_fonte").alias("Procedura"),
        pl.col("tipo").replace_strict(_BREVE).alias("Tipo"),
        pl.col("data_inizio").alias("Inizio"),
        pl.col("data_fine").alias("Fine"),
        pl.col("stato").alias("Stato"),
        pl.col("unita").alias("Unità"),
        testo_lavoratori().alias("Lavoratori"),
    )


def tabella_unita(unita: pl.DataFrame) -> pl.DataFrame:
    """The case's units with Italian headers (the table under the map), worker counts masked."""
    return riservatezza(unita).select(
        pl.col("codice_fonte").alias("Unità produttiva"),
        pl.col("comune").alias("Comune"),
        pl.col("sigla").replace_strict(NOME_PROVINCIA).alias("Provincia"),
        testo_lavoratori().alias("Lavoratori"),
    )


# What to do about each kind of deadline (the extract's free `tipo_scadenza`; others get a generic sentence).
_AZIONE_SCADENZA = {
    "Scadenza CIGS": (
        "stabilire con l'azienda e le parti sociali se chiedere la proroga della CIGS o preparare le uscite, e "
        "prendere in carico i lavoratori ancora senza PAL"
    ),
    "Prossimo tavolo": "preparare la posizione della Regione e l'aggiornamento sui lavoratori da portare al tavolo",
    "Termine procedura di licenziamento": (
        "cercare l'accordo sindacale prima del termine e attivare le PAL per i lavoratori in uscita"
    ),
}
GIORNI_TARGET_PAL = 120  # GOL: active policies within 4 months for people on income support (DOMAIN)
GIORNI_TAVOLO_LONTANO = 90


@dataclass(frozen=True)
class ProssimiPassi:
    """The decision a case asks for at the data date, and the next steps, in plain Italian (text, not Markdown)."""

    decisione: str
    passi: tuple[str, ...]


def prossimi_passi(caso: Mapping[str, Any], fasi: pl.DataFrame, al: date) -> ProssimiPassi:
    """Derived from the case's own data: deadline, step stages, tavoli, last update (the extract has no such field).

    `caso` is a row of `componi`, `fasi` its `funnel_caso`; every figure is counted at `al`, the data date.
    """
    if caso["stato"] not in STATI_APERTI:
        return ProssimiPassi("Nessuna: il caso è chiuso.", ("Nessun passo aperto: la scheda resta per consultazione.",))
    province = ", ".join(NOME_PROVINCIA[s] for s in caso["province"]) or "le province del caso"
    passi: list[str] = []
    decisione = None
    giorni, tipo = caso["giorni_alla_scadenza"], caso["tipo_scadenza"] or "Scadenza"
    if giorni is None:
        passi.append("Nessuna scadenza registrata: fissarne una al prossimo aggiornamento della scheda.")
    else:
        quando = f"{tipo} del {formatting.data(caso['prossima_scadenza'])} ({descrivi_scadenza(giorni)})"
        azione = _AZIONE_SCADENZA.get(tipo, f"decidere come affrontare la scadenza «{tipo}»")
        if giorni < 0:
            decisione = f"{quando}: decidere subito come proseguire; {azione}."
        elif giorni <= GIORNI_ROSSO:
            decisione = f"{quando}: {azione}."
        elif giorni <= GIORNI_AMBRA:
            passi.append(f"Preparare per tempo: {quando}; {azione}.")
    passi += _passi_step(caso, fasi, al)
    if not caso["tavoli"]:
        dove = " o al Tavolo regionale" if caso["rischio"] == "alto" else ""
        passi.append(
            f"Il caso non è ancora stato discusso a un tavolo: proporlo al tavolo bilaterale con {province}{dove}."
        )
    elif (al - caso["ultimo_tavolo"]).days > GIORNI_TAVOLO_LONTANO and tipo != "Prossimo tavolo":
        giorni_tavolo = formatting.numero((al - caso["ultimo_tavolo"]).days)
        passi.append(
            f"Ultimo tavolo il {formatting.data(caso['ultimo_tavolo'])}, {giorni_tavolo} giorni prima della "
            "data dei dati: valutare se riconvocarlo."
        )
    fermo = caso["giorni_senza_aggiornamento"]
    if fermo > GIORNI_SENZA_AGGIORNAMENTO:
        nuclei = "al Nucleo crisi" if len(caso["province"]) <= 1 else "ai Nuclei crisi"
        richiesta = f"chiedere un aggiornamento {nuclei} di {province}"
        if decisione is None and caso["rischio"] == "alto":
            decisione = (
                f"Caso a rischio alto con la scheda ferma da {formatting.numero(fermo)} giorni: {richiesta} e "
                "decidere se convocare le parti."
            )
        else:
            passi.append(f"Scheda ferma da {formatting.numero(fermo)} giorni: {richiesta}.")
    return ProssimiPassi(
        decisione or "Nessuna decisione urgente alla data dei dati: proseguire il monitoraggio.", tuple(passi)
    )


def _passi_step(caso: Mapping[str, Any], fasi: pl.DataFrame, al: date) -> list[str]:
    """What the step funnel asks for: workers still without a PAL, and the 4-month target."""
    coorte = int(fasi["coorte"][0]) if fasi.height else 0
    if not coorte:
        return [
            "Nessun lavoratore del caso nel modello a step (riguarda le sole CIGS ministeriali): verificare con il "
            "Nucleo crisi quali politiche attive sono offerte ai lavoratori coinvolti."
        ]
    if fasi[NASCOSTI].is_not_null().any():  # counts withheld: a difference would give them back
        return [
            "Alcune fasi contano pochi lavoratori e restano riservate: verificare con il Nucleo crisi chi è "
            "ancora senza PAL attivata."
        ]
    n = dict(fasi.select("stato_step", "lavoratori").iter_rows())
    attesa = [(n[s.codice], s) for s in STEPS[:3]]
    senza = sum(k for k, _ in attesa)
    if not senza:
        return ["Tutti i lavoratori del modello a step hanno una PAL attivata o sono esonerati: seguirne gli esiti."]
    dettaglio = ", ".join(f"{formatting.numero(k)} allo {s.etichetta}" for k, s in attesa if k)
    passi = [
        f"{formatting.numero(senza)} lavoratori su {formatting.numero(coorte)} ancora senza PAL attivata "
        f"({dettaglio}): programmare gli incontri di presentazione e l'attivazione con gli operatori."
    ]
    aperto_da = (al - caso["data_apertura"]).days
    if aperto_da > GIORNI_TARGET_PAL and caso["quota_pal"] is not None and caso["quota_pal"] < 0.5:
        passi.append(
            f"A {formatting.numero(aperto_da)} giorni dall'apertura le PAL attivate sono il "
            f"{formatting.percentuale(caso['quota_pal'])}: sotto la metà, oltre i 4 mesi indicati dal "
            "programma GOL."
        )
    return passi
