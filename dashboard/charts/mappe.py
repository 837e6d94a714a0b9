"""Province maps: the indicator of each province, its colour class, the pydeck Deck, legend, ranked bars (pure)."""

from __future__ import annotations

import html
import itertools
import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import polars as pl
import pydeck as pdk

from dashboard import formatting, geo, privacy, tema
from dashboard.charts import stile
from data_access.dominio import NOME_PROVINCIA, SIGLE, TIPO, TIPO_MODELLO_STEP

LAYER_PROVINCE, LAYER_CONFINI, LAYER_COMUNI, LAYER_ETICHETTE = "province", "confini", "comuni", "etichette"


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


def rgb(colore: str, alfa: int = 255) -> list[int]:
    """'#006633' -> [0, 102, 51, alfa], as deck.gl wants colours."""
    c = colore.lstrip("#")
    return [int(c[i : i + 2], 16) for i in (0, 2, 4)] + [alfa]


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
            testi[s] = ND_RISERVATO if riservata else formatting.percentuale(attivati / n if n else None)
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


def motivo_senza_dati(metrica: str, anno: int, tipi: Sequence[str]) -> str:
    """Why a metric has no value for any province, in Italian for the page."""
    if metrica == "occupati":
        return (
            "**Il denominatore non è disponibile:** il database non contiene il numero di occupati per provincia "
            "(tabella «provincia», colonna «occupati»), quindi i lavoratori ogni 10.000 occupati non si possono "
            "calcolare. Scegliere un altro indicatore."
        )
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
# The map
# ---------------------------------------------------------------------------------------------------------------

TOOLTIP = {
    "html": "<b>{tt_titolo}</b><br/>{tt_valore}<br/>{tt_dettaglio}",
    "style": {
        "backgroundColor": "white",
        "color": tema.GRIGIO_TESTO,
        "fontFamily": tema.FONT_FAMILY,
        "fontSize": f"{tema.FONT_BASE}px",
        "border": f"1px solid {tema.GRIGIO_NEUTRO}",
        "borderRadius": "4px",
        "padding": "8px 12px",
    },
}
CONTORNO_NORMALE, CONTORNO_EVIDENZIATO = 1.2, 5
RAGGIO_MIN, RAGGIO_MAX = 3, 24
# The family Streamlit serves (canvas text needs a family the page has loaded); backticks keep pydeck from
# reading the string as an expression.
FONT_ETICHETTE = '`"Source Sans", "DejaVu Sans", Arial, sans-serif`'


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


def aree_province(df: pl.DataFrame, metrica: str, classi_: Classi) -> list[dict[str, Any]]:
    """One row per polygon of each province (Como and Milano have two): rings, fill colour, tooltip."""
    righe = {r["sigla"]: r for r in df.iter_rows(named=True)}
    con_dato = df["valore"].is_not_null().sum()
    aree = []
    for f in geo.confini()["features"]:
        r = righe[f["properties"]["sigla"]]
        info = {
            "sigla": r["sigla"],
            "colore": rgb(classi_.colore(r["valore"]), 235),
            "tt_titolo": f"{r['nome']} ({r['sigla']})",
            "tt_valore": f"{METRICHE[metrica].titolo}: {r['testo']}",
            "tt_dettaglio": testo_posizione(r["posizione"], con_dato),
        }
        g = f["geometry"]
        for anelli in [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]:
            aree.append({**info, "anelli": anelli})
    return aree


def confini_province(evidenziate: Sequence[str]) -> dict[str, Any]:
    """The boundaries with their outline: thick for the provinces of the filter, drawn last so none covers them."""
    features = [
        {
            "type": "Feature",
            "geometry": f["geometry"],
            "properties": {
                "sigla": f["properties"]["sigla"],
                "contorno": rgb(tema.GRIGIO_TESTO if f["properties"]["sigla"] in evidenziate else "#4D4D4D"),
                "spessore": CONTORNO_EVIDENZIATO if f["properties"]["sigla"] in evidenziate else CONTORNO_NORMALE,
            },
        }
        for f in geo.confini()["features"]
    ]
    features.sort(key=lambda f: f["properties"]["sigla"] in evidenziate)
    return {"type": "FeatureCollection", "features": features}


def punti_comuni(comuni: pl.DataFrame) -> list[dict[str, Any]]:
    """The municipalities with units involved: position, radius by workers (area-true), tooltip; small counts hidden."""
    if comuni.is_empty():
        return []
    # Each province's total is on the map: hide small counts and what would reveal them from that total.
    nascosti = privacy.maschera(comuni, "lavoratori", righe="sigla", colonne=None).to_list()
    massimo = max(comuni["lavoratori"].max() or 1, 1)
    soglia = privacy.soglia()
    punti = []
    for r, nascosto in zip(comuni.iter_rows(named=True), nascosti, strict=True):
        if nascosto:
            lavoratori = privacy.etichetta() if r["lavoratori"] < soglia else ND_RISERVATO
            raggio = RAGGIO_MIN
        else:
            lavoratori = formatting.numero(r["lavoratori"])
            raggio = RAGGIO_MIN + (RAGGIO_MAX - RAGGIO_MIN) * math.sqrt(r["lavoratori"] / massimo)
        unita = "unità produttiva coinvolta" if r["unita"] == 1 else "unità produttive coinvolte"
        punti.append(
            {
                "lon": r["lon"],
                "lat": r["lat"],
                "sigla": r["sigla"],
                "raggio": round(raggio, 1),
                "tt_titolo": f"{r['comune']} ({r['sigla']})",
                "tt_valore": f"Lavoratori coinvolti: {lavoratori}",
                "tt_dettaglio": f"{formatting.numero(r['unita'])} {unita}",
            }
        )
    return punti


def mappa(
    df: pl.DataFrame,
    metrica: str,
    classi_: Classi,
    evidenziate: Sequence[str] = (),
    comuni: pl.DataFrame | None = None,
    sfondo: bool = False,
) -> pdk.Deck:
    """The choropleth with labels, optionally the municipalities as circles and a basemap (which needs internet)."""
    # Fills are a SolidPolygonLayer: Streamlit reports clicks on primitive layers only (on a GeoJsonLayer's
    # fill nothing comes back); the boundaries stay a GeoJsonLayer of the ISTAT file.
    layers = [
        pdk.Layer(
            "SolidPolygonLayer",
            aree_province(df, metrica, classi_),
            id=LAYER_PROVINCE,
            pickable=True,
            get_polygon="anelli",
            get_fill_color="colore",
            auto_highlight=True,
            highlight_color=[0, 0, 0, 40],
        ),
        pdk.Layer(
            "GeoJsonLayer",
            confini_province(evidenziate),
            id=LAYER_CONFINI,
            pickable=False,
            filled=False,
            stroked=True,
            get_line_color="properties.contorno",
            get_line_width="properties.spessore",
            line_width_units="'pixels'",
        ),
    ]
    if comuni is not None:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                punti_comuni(comuni),
                id=LAYER_COMUNI,
                pickable=True,
                get_position=["lon", "lat"],
                get_radius="raggio",
                radius_units="'pixels'",
                # A pale fill and a near-black ring: unlike any class colour, and the classes show through.
                get_fill_color=[255, 255, 255, 90],
                stroked=True,
                get_line_color=rgb(tema.GRIGIO_TESTO, 230),
                line_width_min_pixels=1.5,
            )
        )
    posizioni = geo.posizioni_etichette()
    etichette = [
        {
            "testo": f"{r['sigla']}\n{testo_breve(metrica, r['valore'], r['testo'])}",
            "lon": posizioni[r["sigla"]][0],
            "lat": posizioni[r["sigla"]][1],
        }
        for r in df.iter_rows(named=True)
    ]
    layers.append(
        pdk.Layer(
            "TextLayer",
            etichette,
            id=LAYER_ETICHETTE,
            pickable=False,
            get_position=["lon", "lat"],
            get_text="testo",
            get_size=tema.FONT_BASE - 2,
            size_units="'pixels'",
            get_color=rgb(tema.GRIGIO_TESTO),
            font_family=FONT_ETICHETTE,
            font_weight=700,
            line_height=1.1,
            font_settings={"sdf": True},
            outline_width=4,
            outline_color=[255, 255, 255, 230],
            get_text_anchor="'middle'",
            get_alignment_baseline="'center'",
        )
    )
    vista = pdk.ViewState(latitude=geo.CENTRO_LAT, longitude=geo.CENTRO_LON, zoom=geo.ZOOM, min_zoom=6, max_zoom=11)
    base = {"map_provider": "carto", "map_style": "light"} if sfondo else {"map_provider": None}
    # map_provider=None with map_style left unset is the only spec Streamlit draws without fetching any tile
    # (map_style=None makes it add a Carto basemap from the internet).
    return pdk.Deck(
        layers=layers,
        initial_view_state=vista,
        views=[pdk.View(type="MapView", controller=True)],
        tooltip=TOOLTIP,
        **base,
    )


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


# ---------------------------------------------------------------------------------------------------------------
# Legend, ranked bars, table
# ---------------------------------------------------------------------------------------------------------------


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
        note.append("Cerchi: comuni con unità produttive coinvolte, grandi quanto i loro lavoratori.")
    return note


def legenda_html(titolo: str, voci: Sequence[tuple[str, str]], note: Sequence[str] = ()) -> str:
    """The legend as HTML swatches (pydeck draws none), large enough for a projector."""
    righe = "".join(
        '<div style="display:flex;align-items:center;gap:0.6rem;margin:0.35rem 0">'
        f'<span style="display:inline-block;width:1.6rem;height:1.2rem;background:{colore};'
        'border:1px solid #4D4D4D"></span>'
        f"<span>{html.escape(etichetta)}</span></div>"
        for colore, etichetta in voci
    )
    altre = "".join(f'<p style="margin:0.6rem 0 0 0;font-size:0.95rem">{html.escape(n)}</p>' for n in note)
    return (
        f'<div class="legenda-mappa" style="font-size:1.05rem;line-height:1.3">'
        f'<p style="font-weight:700;margin:0 0 0.4rem 0">{html.escape(titolo)}</p>{righe}{altre}</div>'
    )


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
            f"In aumento in {aumenti} province su {len(SIGLE)}",
            f"Variazione % dei lavoratori coinvolti, {anno} sul {anno - 1}",
        )
    if metrica == "pal":
        regione = formatting.percentuale(quota_regionale(coorte)) if coorte is not None else formatting.ND
        return (
            f"PAL attivate: da {ultimo['testo']} ({ultimo['sigla']}) a {primo['testo']} ({primo['sigla']})",
            f"Coorte a step {anno} con STEP 4; tratteggio: Lombardia {regione}",
        )
    return f"In testa {primo['nome']} con {primo['testo']}", f"{METRICHE[metrica].titolo}, {anno}"


def barre(
    df: pl.DataFrame,
    metrica: str,
    classi_: Classi,
    titoli: tuple[str, str],
    fonte: str,
    evidenziate: Sequence[str] = (),
    riferimento: float | None = None,
    altezza: int = 600,
) -> go.Figure:
    """The map's values as ranked horizontal bars, in the map's colours; provinces of the filter in bold."""
    ordinati = df.sort("valore", descending=False, nulls_last=False)
    valori = [v if v is not None else 0.0 for v in ordinati["valore"]]
    nomi = [f"<b>{n}</b>" if s in evidenziate else n for s, n in zip(ordinati["sigla"], ordinati["nome"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=valori,
            y=nomi,
            orientation="h",
            marker={
                "color": [classi_.colore(v) for v in ordinati["valore"]],
                "line": {
                    "color": tema.GRIGIO_TESTO,
                    "width": [3 if s in evidenziate else 0.5 for s in ordinati["sigla"]],
                },
            },
            # A negative bar's value goes right of zero, where its row is empty, not over the names.
            text=[t if v >= 0 else "" for t, v in zip(ordinati["testo"], valori, strict=True)],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    for nome, valore, testo in zip(nomi, valori, ordinati["testo"], strict=True):
        if valore < 0:
            fig.add_annotation(x=0, y=nome, text=testo, showarrow=False, xanchor="left", xshift=4)
    if riferimento is not None:
        fig.add_vline(x=riferimento, line={"color": tema.GRIGIO_TESTO, "dash": "dash", "width": 2})
    # The column is narrow: the source goes on two lines.
    stile(
        fig,
        titoli[0],
        sottotitolo=titoli[1],
        fonte=fonte,
        fonte_a_capo=True,
        asse_x=METRICHE[metrica].titolo,
        altezza=altezza,
        margine={"l": 200, "r": 30, "b": 115},
    )
    # Room for the longest name and for the value written after the longest bar.
    basso, alto = min(0.0, *valori), max(0.0, *valori)
    margine = (alto - basso) * 0.3 or 1.0
    fig.update_layout(showlegend=False, bargap=0.25)
    fig.update_yaxes(automargin=False, ticks="", tickfont={"color": tema.GRIGIO_TESTO})
    fig.update_xaxes(range=[basso - (margine if basso < 0 else 0), alto + margine])
    if metrica in ("pal", "variazione"):
        fig.update_xaxes(ticksuffix="%")
    if metrica == "variazione":
        fig.update_xaxes(zeroline=True, zerolinecolor=tema.GRIGIO_TESTO, zerolinewidth=2)
    return fig


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
