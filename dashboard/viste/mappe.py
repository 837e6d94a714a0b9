"""Province maps, shaped: the indicator of each province, its colour class, legend entries, titles, table (pure)."""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from dashboard import formatting, privacy, tema
from data_access.dominio import NOME_PROVINCIA, SIGLE, TIPO, TIPO_MODELLO_STEP

LAYER_PROVINCE, LAYER_COMUNI = "province", "comuni"  # the map's clickable layers (charts.mappe draws them)


@dataclass(frozen=True)
class Metrica:
    """An indicator the map can show."""

    codice: str
    etichetta: str  # the selector's label
    titolo: str  # what a province's value is, for legend, axis and table
    divergente: bool = False


METRICHE: dict[str, Metrica] = {
    m.codice: m
    for m in (
        Metrica("lavoratori", "Lavoratori", "Lavoratori coinvolti"),
        Metrica("unita", "Unità produttive", "Unità produttive coinvolte"),
        Metrica("procedure", "Procedure", "Procedure"),
        Metrica("pal", "PAL attivate", "PAL attivate nella coorte a step"),
        Metrica("variazione", "Variazione %", "Variazione dei lavoratori sull'anno prima", True),
        Metrica("occupati", "Per 10.000 occupati", "Lavoratori ogni 10.000 occupati"),
    )
}
METRICA_PREDEFINITA = "lavoratori"
CONTEGGI = ("lavoratori", "unita", "procedure")

# Colours of what has no value: a light neutral grey, distinct from the palettes' lightest class.
COLORE_ND = "#D9D9D9"
ND_RISERVATO = "riservato"
# Change classes: fixed, so that 'stable' means the same every year (percent on the previous year).
SOGLIE_VARIAZIONE = (-50.0, -10.0, 10.0, 50.0)
ETICHETTE_VARIAZIONE = (
    "calo oltre il 50%",
    "calo dal 10% al 50%",
    "stabile (entro ±10%)",
    "aumento dal 10% al 50%",
    "aumento oltre il 50%",
)


# ---------------------------------------------------------------------------------------------------------------
# The indicator by province
# ---------------------------------------------------------------------------------------------------------------

SCHEMA_INDICATORE = {
    "sigla": pl.String,
    "nome": pl.String,
    "valore": pl.Float64,  # what colours the map; null when not available or hidden
    "testo": pl.String,  # the value as read on the map, tooltip and table
}


def _base(valori: Mapping[str, float | None], testi: Mapping[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [(s, NOME_PROVINCIA[s], valori.get(s), testi[s]) for s in SIGLE], schema=SCHEMA_INDICATORE, orient="row"
    )


def _pal_nascoste(coorte: pl.DataFrame) -> set[str]:
    """Provinces whose activation rate would disclose few workers (both STEP 4 and the rest checked)."""
    lungo = pl.concat(
        [
            coorte.select("sigla", pl.lit("step4").alias("esito"), pl.col("step4").alias("n")),
            coorte.select("sigla", pl.lit("altro").alias("esito"), (pl.col("coorte") - pl.col("step4")).alias("n")),
        ]
    )
    # Row totals (the cohort = the public CIGS ministeriali workers) and the regional STEP 4 total are shown.
    nascoste = privacy.maschera(lungo, "n", righe="sigla", colonne="esito")
    return set(lungo.filter(nascoste)["sigla"].to_list())


def indicatore(
    metrica: str,
    anno: int,
    celle: pl.DataFrame,
    coorte: pl.DataFrame | None = None,
    occupati: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per province: value, its text, rank (1 = highest) and the figures it comes from.

    `celle` holds workers, units and procedures by (anno, sigla) for the year and, for the change, the year before.
    """
    ora = {r["sigla"]: r for r in celle.filter(pl.col("anno") == anno).iter_rows(named=True)}
    valori: dict[str, float | None] = {}
    testi: dict[str, str] = {}
    extra: dict[str, list[object]] = {}
    if metrica in CONTEGGI:
        totale = sum(ora[s][metrica] for s in SIGLE)
        for s in SIGLE:
            valori[s] = float(ora[s][metrica])
            testi[s] = formatting.numero(ora[s][metrica])
        extra[f"Peso % sul totale regionale ({formatting.numero(totale)})"] = [
            formatting.peso(ora[s][metrica], totale) for s in SIGLE
        ]
    elif metrica == "variazione":
        prima = {r["sigla"]: r for r in celle.filter(pl.col("anno") == anno - 1).iter_rows(named=True)}
        for s in SIGLE:
            nuovo, vecchio = ora[s]["lavoratori"], prima.get(s, {}).get("lavoratori")
            valori[s] = (nuovo - vecchio) * 100 / vecchio if vecchio else None
            testi[s] = formatting.variazione(nuovo, vecchio)
        extra[f"Lavoratori {anno - 1}"] = [prima[s]["lavoratori"] if s in prima else None for s in SIGLE]
        extra[f"Lavoratori {anno}"] = [ora[s]["lavoratori"] for s in SIGLE]
    elif metrica == "pal":
        if coorte is None:
            raise ValueError("la metrica 'pal' richiede la coorte a step")
        righe = {r["sigla"]: r for r in coorte.iter_rows(named=True)}
        nascoste = _pal_nascoste(coorte)
        for s in SIGLE:
            n, attivati = righe[s]["coorte"], righe[s]["step4"]
            riservata = s in nascoste
            valori[s] = attivati * 100 / n if n and not riservata else None
            # No worker in the model: a share of nobody does not apply (it is not a missing figure).
            testi[s] = (
                ND_RISERVATO if riservata else formatting.percentuale(attivati / n) if n else formatting.NON_APPLICABILE
            )
        extra["Lavoratori nel modello a step"] = [righe[s]["coorte"] for s in SIGLE]
        extra["Con PAL attivata (STEP 4)"] = [
            ND_RISERVATO if s in nascoste else formatting.numero(righe[s]["step4"]) for s in SIGLE
        ]
    elif metrica == "occupati":
        if occupati is None:
            raise ValueError("la metrica 'occupati' richiede gli occupati per provincia")
        occ = dict(occupati.select("sigla", "occupati").iter_rows())
        for s in SIGLE:
            valori[s] = ora[s]["lavoratori"] * 10_000 / occ[s] if occ.get(s) else None
            testi[s] = formatting.numero(valori[s], 1)
        extra[f"Lavoratori {anno}"] = [ora[s]["lavoratori"] for s in SIGLE]
        extra["Occupati"] = [occ.get(s) for s in SIGLE]
    else:
        raise ValueError(f"metrica sconosciuta: {metrica!r}")
    df = _base(valori, testi).with_columns(
        pl.col("valore").rank("min", descending=True).cast(pl.Int64).alias("posizione")
    )
    return df.with_columns(pl.Series(nome, valori_extra, strict=False) for nome, valori_extra in extra.items())


def senza_dati(df: pl.DataFrame) -> bool:
    """True when no province has a value (the page explains why instead of drawing an empty map)."""
    return df["valore"].is_null().all()


MOTIVO_OCCUPATI = (
    "**Lavoratori ogni 10.000 occupati non disponibile.** Per calcolarlo serve il numero di occupati per provincia "
    "della Rilevazione sulle forze di lavoro dell'ISTAT: il cruscotto non l'ha ancora ricevuto. Quando sarà fornito, "
    "l'indicatore comparirà tra gli altri; intanto la mappa mostra i lavoratori coinvolti."
)


def ha_occupati(occupati: pl.DataFrame) -> bool:
    """True when every province has its employed count (a rate with holes would rank provinces unfairly)."""
    return occupati.height == len(SIGLE) and occupati["occupati"].is_not_null().all()


def metriche_offerte(dettaglio: bool, occupati: pl.DataFrame) -> list[str]:
    """The indicators the selector offers: the step cohort to who sees detail, the rate only with its denominator."""
    return [m for m in METRICHE if (dettaglio or m != "pal") and (m != "occupati" or ha_occupati(occupati))]


def motivo_senza_dati(metrica: str, anno: int, tipi: Sequence[str]) -> str:
    """Why a metric has no value for any province, in Italian for the page."""
    if metrica == "occupati":
        return MOTIVO_OCCUPATI
    if metrica == "pal" and TIPO_MODELLO_STEP not in tipi:
        return (
            f"Il modello a step riguarda solo le {TIPO[TIPO_MODELLO_STEP].etichetta}: "
            "aggiungere questo tipo di procedura nei filtri per vedere le PAL attivate."
        )
    if metrica == "pal":
        return f"Nessun lavoratore nel modello a step nel {anno}: il decreto 5151 è del 2025."
    if metrica == "variazione":
        return f"Nessun dato per il {anno - 1}: la variazione sull'anno prima non si può calcolare."
    return f"Nessun dato per il {anno}."


# ---------------------------------------------------------------------------------------------------------------
# Colour classes
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Classi:
    """Class breaks and the colour and label of each class (a value v falls in class bisect_right(soglie, v))."""

    soglie: tuple[float, ...]
    colori: tuple[str, ...]
    etichette: tuple[str, ...]

    def indice(self, valore: float) -> int:
        """The class of a value."""
        return bisect_right(self.soglie, valore)

    def colore(self, valore: float | None) -> str:
        """The colour of a value (grey when missing)."""
        return COLORE_ND if valore is None else self.colori[self.indice(valore)]


def _arrotonda_bello(valore: float, percentuale: bool) -> float:
    """Two significant figures (440, 1.800, 73), rates to 5 points (45%): legends read at a glance."""
    if valore <= 0:
        return 0.0
    if percentuale:
        return float(5 * round(valore / 5))
    passo = max(10 ** (math.floor(math.log10(valore)) - 1), 1.0)
    return float(round(valore / passo) * passo)


def _quantile(ordinati: Sequence[float], q: float) -> float:
    pos = q * (len(ordinati) - 1)
    basso = math.floor(pos)
    alto = min(basso + 1, len(ordinati) - 1)
    return ordinati[basso] + (ordinati[alto] - ordinati[basso]) * (pos - basso)


def _testo_soglia(valore: float, metrica: str) -> str:
    if metrica == "pal":
        return formatting.numero(valore) + "%"
    return formatting.numero(valore, 0 if float(valore).is_integer() else 1)


def _etichette(soglie: Sequence[float], metrica: str) -> tuple[str, ...]:
    """'meno di 130', '130–399', …, '1.700 e oltre' (counts: closed ranges; rates: from–to)."""
    testi = [_testo_soglia(s, metrica) for s in soglie]
    if metrica in CONTEGGI:
        interni = [f"{formatting.numero(a)}–{formatting.numero(b - 1)}" for a, b in itertools.pairwise(soglie)]
    else:
        interni = [f"{a}–{b}" for a, b in itertools.pairwise(testi)]
    return (f"meno di {testi[0]}", *interni, f"{testi[-1]} e oltre")


def classi(metrica: str, valori: Sequence[float | None], n_classi: int = 5) -> Classi:
    """Quantile classes with round breaks (sequential palette), or fixed classes around zero for the change."""
    if METRICHE[metrica].divergente:
        return Classi(SOGLIE_VARIAZIONE, tema.DIVERGENTE, ETICHETTE_VARIAZIONE)
    presenti = sorted(v for v in valori if v is not None)
    if not presenti:
        return Classi((), (tema.SEQUENZIALE[2],), ("n.d.",))
    soglie: list[float] = []
    for k in range(1, n_classi):
        soglia = _arrotonda_bello(_quantile(presenti, k / n_classi), metrica == "pal")
        # A break must leave a value on each side and grow, or its class would be empty.
        if presenti[0] < soglia <= presenti[-1] and (not soglie or soglia > soglie[-1]):
            soglie.append(soglia)
    if not soglie:
        return Classi((), (tema.SEQUENZIALE[2],), (f"tutte {_testo_soglia(presenti[0], metrica)}",))
    palette = tema.SEQUENZIALE
    n = len(soglie) + 1
    colori = tuple(palette[round(i * (len(palette) - 1) / (n - 1))] for i in range(n))
    return Classi(tuple(soglie), colori, _etichette(soglie, metrica))


# ---------------------------------------------------------------------------------------------------------------
# What the map writes, what a click chose, legend entries, titles, table
# ---------------------------------------------------------------------------------------------------------------


def testo_breve(metrica: str, valore: float | None, testo: str) -> str:
    """The value as written on the map: changes of 100% or more lose the decimal ('+235%'), so labels fit."""
    if valore is None or metrica != "variazione" or abs(valore) < 100:
        return testo
    return ("+" if valore > 0 else "") + formatting.numero(valore) + "%"


def testo_posizione(posizione: int | None, con_dato: int) -> str:
    """'posizione 1 su 12' (1 = highest value)."""
    if posizione is None:
        return "posizione non calcolabile"
    return f"posizione {posizione} su {con_dato}" + ("" if con_dato == len(SIGLE) else " con dato")


def sigla_selezionata(selezione: Mapping[str, Any] | None) -> str | None:
    """The province clicked on the map (a province shape or a municipality's circle), or None."""
    if not selezione:
        return None
    for layer in (LAYER_PROVINCE, LAYER_COMUNI):
        for oggetto in (selezione.get("objects") or {}).get(layer) or []:
            sigla = oggetto.get("sigla") if isinstance(oggetto, Mapping) else None
            if sigla in SIGLE:
                return sigla
    return None


def legenda(classi_: Classi, df: pl.DataFrame) -> list[tuple[str, str]]:
    """(colour, label) of each class, highest first, and the grey of missing values when some province has it."""
    voci = list(zip(classi_.colori, classi_.etichette, strict=True))[::-1]
    testi_nd = set(df.filter(pl.col("valore").is_null())["testo"].to_list())
    if testi_nd:
        voci.append((COLORE_ND, " / ".join(sorted(testi_nd))))
    return voci


def note_legenda(df: pl.DataFrame, evidenziate: Sequence[str], con_comuni: bool) -> list[str]:
    """The lines under the legend that explain outlines, circles and hidden values."""
    note = []
    if ND_RISERVATO in df["testo"].to_list():
        note.append(f"{ND_RISERVATO.capitalize()}: dato che riguarda pochi lavoratori, non pubblicabile.")
    if evidenziate:
        note.append("Contorno spesso: province scelte nel filtro.")
    if con_comuni:
        note.append("Cerchi: comuni con unità produttive coinvolte; l'area del cerchio è proporzionale ai lavoratori.")
    return note


def esempi_cerchi(massimo: int) -> list[int]:
    """Round example values for the circles' size legend: the largest round value within the maximum, 1/4, 1/16."""
    if massimo < 1:
        return []
    passo = 10 ** math.floor(math.log10(massimo))
    alto = max(passo * math.floor(massimo / passo), 1)
    valori = []
    for frazione in (1, 4, 16):
        v = alto / frazione
        v = round(v, -math.floor(math.log10(v))) if v >= 1 else 1  # one significant figure
        if int(v) not in valori:
            valori.append(int(v))
    return valori


def quota_regionale(coorte: pl.DataFrame) -> float | None:
    """The regional share of the step cohort with PAL activated (public: it is the published 51%)."""
    totale = coorte["coorte"].sum()
    return coorte["step4"].sum() / totale if totale else None


def titolo_barre(df: pl.DataFrame, metrica: str, anno: int, coorte: pl.DataFrame | None = None) -> tuple[str, str]:
    """The finding the ranked bars show (title) and what is measured (subtitle), in words."""
    ordinati = df.filter(pl.col("valore").is_not_null()).sort("valore", descending=True)
    primo, ultimo = ordinati.row(0, named=True), ordinati.row(-1, named=True)
    if metrica == "variazione":
        aumenti = ordinati.filter(pl.col("valore") > 0).height
        return (
            f"In aumento in {'1 provincia' if aumenti == 1 else f'{aumenti} province'} su {ordinati.height}"
            + ("" if ordinati.height == len(SIGLE) else " con dato"),
            f"Variazione % dei lavoratori coinvolti, {anno} sul {anno - 1}",
        )
    if metrica == "pal":
        regione = formatting.percentuale(quota_regionale(coorte)) if coorte is not None else formatting.ND
        return (
            f"PAL attivate: da {ultimo['testo']} ({ultimo['sigla']}) a {primo['testo']} ({primo['sigla']})",
            f"Coorte a step {anno} con STEP 4; tratteggio: Lombardia {regione}",
        )
    return f"In testa {primo['nome']} con {primo['testo']}", f"{METRICHE[metrica].titolo}, {anno}"


def tabella(df: pl.DataFrame, metrica: str) -> pl.DataFrame:
    """The map's values as a table, ranked: what a screen reader or an exact reading needs."""
    extra = [c for c in df.columns if c not in (*SCHEMA_INDICATORE, "posizione")]
    return df.sort("posizione", nulls_last=True).select(
        pl.col("posizione").alias("Posizione"),
        pl.col("nome").alias("Provincia"),
        pl.col("sigla").alias("Sigla"),
        pl.col("testo").alias(METRICHE[metrica].titolo),
        *extra,
    )
