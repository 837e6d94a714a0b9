"""Province maps, drawn: the pydeck Deck of the indicator, the legend's HTML swatches, the ranked bars (pure)."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl
import pydeck as pdk

from dashboard import formatting, geo, privacy, tema
from dashboard.charts import stile
from dashboard.viste.mappe import (
    LAYER_COMUNI,
    LAYER_PROVINCE,
    METRICHE,
    ND_RISERVATO,
    Classi,
    esempi_cerchi,
    testo_breve,
    testo_posizione,
)

LAYER_CONFINI, LAYER_ETICHETTE = "confini", "etichette"


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


def aree_province(df: pl.DataFrame, metrica: str, classi_: Classi) -> list[dict[str, Any]]:
    """One row per polygon of each province (Como and Milano have two): rings, fill colour, tooltip."""
    righe = {r["sigla"]: r for r in df.iter_rows(named=True)}
    con_dato = df["valore"].is_not_null().sum()
    aree = []
    for f in geo.confini()["features"]:
        r = righe[f["properties"]["sigla"]]
        info = {
            "sigla": r["sigla"],
            "colore": tema.rgb(classi_.colore(r["valore"]), 235),
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
                "contorno": tema.rgb(tema.GRIGIO_TESTO if f["properties"]["sigla"] in evidenziate else "#4D4D4D"),
                "spessore": CONTORNO_EVIDENZIATO if f["properties"]["sigla"] in evidenziate else CONTORNO_NORMALE,
            },
        }
        for f in geo.confini()["features"]
    ]
    features.sort(key=lambda f: f["properties"]["sigla"] in evidenziate)
    return {"type": "FeatureCollection", "features": features}


def raggio(lavoratori: int, massimo: int) -> float:
    """A circle's radius in pixels: its area grows with the workers, the largest municipality at RAGGIO_MAX."""
    return RAGGIO_MIN + (RAGGIO_MAX - RAGGIO_MIN) * math.sqrt(lavoratori / max(massimo, 1))


def legenda_cerchi(comuni: pl.DataFrame) -> list[tuple[float, str]]:
    """(radius, label) of the circles' size legend, largest first: '1.000 lavoratori', '250 lavoratori'..."""
    if comuni.is_empty():
        return []
    massimo = max(int(comuni["lavoratori"].max() or 1), 1)
    return [
        (round(raggio(v, massimo), 1), f"{formatting.numero(v)} {'lavoratore' if v == 1 else 'lavoratori'}")
        for v in esempi_cerchi(massimo)
    ]


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
            r_px = RAGGIO_MIN
        else:
            lavoratori = formatting.numero(r["lavoratori"])
            r_px = raggio(r["lavoratori"], massimo)
        unita = "unità produttiva coinvolta" if r["unita"] == 1 else "unità produttive coinvolte"
        punti.append(
            {
                "lon": r["lon"],
                "lat": r["lat"],
                "sigla": r["sigla"],
                "raggio": round(r_px, 1),
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
    cornice: tuple[int, int] = geo.CORNICE_PAGINA,
) -> pdk.Deck:
    """The choropleth with labels, optionally the municipalities as circles and a basemap (which needs internet).

    The map opens on the whole region fitted in `cornice`, the smallest frame (pixels) it is drawn in.
    """
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
                get_line_color=tema.rgb(tema.GRIGIO_TESTO, 230),
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
            get_color=tema.rgb(tema.GRIGIO_TESTO),
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
    adatta = geo.vista(*cornice)
    vista = pdk.ViewState(latitude=adatta.lat, longitude=adatta.lon, zoom=adatta.zoom, min_zoom=5, max_zoom=11)
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


# ---------------------------------------------------------------------------------------------------------------
# Legend swatches and ranked bars
# ---------------------------------------------------------------------------------------------------------------


def legenda_html(
    titolo: str,
    voci: Sequence[tuple[str, str]],
    note: Sequence[str] = (),
    cerchi: Sequence[tuple[float, str]] = (),
) -> str:
    """The legend as HTML swatches (pydeck draws none), large enough for a projector; the circles' sizes if drawn."""
    righe = "".join(
        '<div style="display:flex;align-items:center;gap:0.6rem;margin:0.35rem 0">'
        f'<span style="display:inline-block;width:1.6rem;height:1.2rem;background:{colore};'
        'border:1px solid #4D4D4D"></span>'
        f"<span>{html.escape(etichetta)}</span></div>"
        for colore, etichetta in voci
    )
    altre = "".join(f'<p style="margin:0.6rem 0 0 0;font-size:0.95rem">{html.escape(n)}</p>' for n in note)
    lato = 2 * max((r for r, _ in cerchi), default=0) + 4
    dimensioni = "".join(
        f'<div style="display:flex;align-items:center;gap:0.6rem;margin:0.2rem 0">'
        f'<span style="display:inline-flex;align-items:center;justify-content:center;'
        f'width:{lato}px;height:{2 * r + 4}px">'
        f'<span style="display:inline-block;width:{2 * r}px;height:{2 * r}px;border-radius:50%;'
        f'border:1.5px solid {tema.GRIGIO_TESTO};background:rgba(255,255,255,0.35)"></span></span>'
        f"<span>{html.escape(etichetta)}</span></div>"
        for r, etichetta in cerchi
    )
    if dimensioni:
        dimensioni = f'<p style="font-weight:700;margin:0.8rem 0 0.2rem 0">Dimensione dei cerchi</p>{dimensioni}'
    return (
        f'<div class="legenda-mappa" style="font-size:1.05rem;line-height:1.3">'
        f'<p style="font-weight:700;margin:0 0 0.4rem 0">{html.escape(titolo)}</p>{righe}{altre}{dimensioni}</div>'
    )


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
