"""Visuals of the high-complexity cases: the coloured list, a case's timeline, its step funnel, its units' map."""

from __future__ import annotations

import base64
import io
from datetime import date, datetime, time, timedelta
from typing import Any

import plotly.graph_objects as go
import polars as pl
import pydeck as pdk
from PIL import Image, ImageDraw
from plotly.subplots import make_subplots

from dashboard import formatting, geo, tema
from dashboard.charts import stile
from dashboard.testo import html_
from dashboard.viste.casi import (
    ETICHETTA_SEMAFORO,
    NASCOSTI,
    descrivi_scadenza,
    riservatezza,
    testo_conteggio,
    testo_lavoratori,
)
from data_access.dominio import NOME_PROVINCIA, STEP_PAL, STEPS, TIPO

_COLONNE_PERCENTUALE = ("PAL attivate (%)",)


def _pallino(colore: str) -> str:
    """A coloured dot as a PNG data URI (drawn locally: the list needs no network and no Styler)."""
    img = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((4, 4, 36, 36), fill=colore, outline=tema.GRIGIO_TESTO, width=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


COLONNA_LUCE = "●"
_SENZA_VALORE = {
    "PAL attivate (%)": formatting.NON_APPLICABILE,
    "Scadenza": "nessuna",
    "Giorni alla scadenza": "nessuna",
    "Tipo scadenza": "nessuna",
    "Ultimo tavolo": "nessuno",
}
PALLINO: dict[str, str] = {etichetta: _pallino(tema.COLORE_SEMAFORO[k]) for k, etichetta in ETICHETTA_SEMAFORO.items()}


def elenco_visibile(tabella: pl.DataFrame) -> pl.DataFrame:
    """The list as text in Italian formats, with the traffic light as a coloured dot beside its word.

    Formatting in polars rather than in a pandas Styler keeps a long list (thousands of cases) fast to redraw.
    """
    testo = formatting.tabella(tabella, percentuali=_COLONNE_PERCENTUALE)
    # An empty cell says why: a share that does not apply (no worker in the step model), no deadline, no tavolo yet.
    vuote = {c: v for c, v in _SENZA_VALORE.items() if c in testo.columns}
    testo = testo.with_columns(pl.col(c).replace(formatting.ND, v) for c, v in vuote.items())
    return testo.select(pl.col("Semaforo").replace_strict(PALLINO).alias(COLONNA_LUCE), pl.all())


def _ms(giorno: date) -> float:
    """A date as epoch milliseconds, the unit plotly uses for bar lengths on a date axis."""
    return datetime.combine(giorno, time()).timestamp() * 1000


def cronologia(
    procedure: pl.DataFrame,
    tavoli: pl.DataFrame,
    progressione: pl.DataFrame,
    caso: dict[str, Any],
    al: date,
    fonte: str,
) -> go.Figure:
    """Procedures as bars, tavoli as diamonds and (for CIGS ministeriali) workers reaching each step over time."""
    con_step = not progressione.is_empty()
    fig = make_subplots(
        rows=2 if con_step else 1,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.1,
        row_heights=[0.42, 0.58] if con_step else None,
    )
    righe_y: list[str] = []
    for p in riservatezza(procedure).with_columns(testo_lavoratori().alias("testo")).iter_rows(named=True):
        fine = p["data_fine"] or al
        etichetta = f"{TIPO[p['tipo']].etichetta_breve} {p['anno']} · {p['testo']} lav."
        righe_y.append(etichetta)
        fig.add_bar(
            y=[etichetta],
            base=[p["data_inizio"].isoformat()],
            x=[_ms(fine) - _ms(p["data_inizio"])],
            orientation="h",
            marker_color=tema.COLORE_TIPO[p["tipo"]],
            width=0.55,
            name=TIPO[p["tipo"]].etichetta,
            showlegend=False,
            customdata=[[formatting.data(p["data_inizio"]), formatting.data(p["data_fine"]), html_(p["stato"])]],
            hovertemplate=f"{etichetta}<br>dal %{{customdata[0]}} al %{{customdata[1]}} (%{{customdata[2]}})"
            "<extra></extra>",
            row=1,
            col=1,
        )
    if not tavoli.is_empty():
        descr = [
            f"Tavolo {t['tipo']}" + (f" ({NOME_PROVINCIA[t['sigla']]})" if t["sigla"] else "")
            for t in tavoli.iter_rows(named=True)
        ]
        fig.add_scatter(
            x=tavoli["data"].to_list(),
            y=["Tavoli"] * tavoli.height,
            mode="markers",
            marker={
                "symbol": "diamond",
                "size": 18,
                "color": tema.GRIGIO_TESTO,
                "line": {"color": "white", "width": 1},
            },
            name="Tavolo",
            showlegend=False,
            customdata=[[d, formatting.data(g)] for d, g in zip(descr, tavoli["data"], strict=True)],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            row=1,
            col=1,
        )
        righe_y.append("Tavoli")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(righe_y)), row=1, col=1)
    if con_step:
        for step in STEPS:
            serie = progressione.filter(pl.col("step") == step.codice)
            fig.add_scatter(
                x=serie["data"].to_list(),
                y=serie["lavoratori"].to_list(),
                mode="lines",
                line={"shape": "hv", "color": tema.COLORE_STEP[step.codice], "width": 2},
                fill="tozeroy",
                fillcolor=tema.COLORE_STEP[step.codice],
                name=step.etichetta,
                customdata=[formatting.data(d) for d in serie["data"]],
                hovertemplate=f"{step.etichetta} entro il %{{customdata}}: %{{y:,d}} lavoratori<extra></extra>",
                row=2,
                col=1,
            )
        fig.update_yaxes(title={"text": "Lavoratori (cumulati)"}, rangemode="tozero", row=2, col=1)
    scadenza = caso.get("prossima_scadenza")
    # Both labels just above the plot, facing away from each other: the earlier date's ends at its line, the later
    # one's starts there, so close dates never collide and neither climbs out of the chart's top margin.
    dopo = scadenza is not None and scadenza > al
    _linea_verticale(
        fig, al, f"Dati al {formatting.data(al)}", "#555555", "dot", "right" if dopo or not scadenza else "left"
    )
    if scadenza is not None:
        # A short label: what expires is said in the subtitle, and a long kind would run off the chart's edge.
        etichetta_scadenza = f"Scadenza {formatting.data(scadenza)}"
        _linea_verticale(
            fig, scadenza, etichetta_scadenza, tema.COLORE_SEMAFORO["rosso"], "dash", "left" if dopo else "right",
            colore_testo=tema.TESTO_ROSSO,
        )  # fmt: skip
    date_note = [*procedure["data_inizio"], *procedure["data_fine"].drop_nulls(), *tavoli["data"], al]
    date_note += [scadenza] if scadenza is not None else []
    inizio, fine = min(date_note) - timedelta(days=15), max(date_note) + timedelta(days=20)
    fig.update_xaxes(
        type="date",
        tickformat="%m/%Y",  # month ticks: the day is always 01, and shorter labels stay level on a narrow chart
        hoverformat="%d/%m/%Y",
        nticks=7,
        tickangle=0,
        range=[inizio.isoformat(), fine.isoformat()],
    )
    titolo = f"Cronologia del caso: {_plurale(procedure.height, 'procedura', 'procedure')}, " + _plurale(
        tavoli.height, "tavolo", "tavoli"
    )
    if con_step:
        ultimo = progressione.filter(pl.col("step") == STEP_PAL.codice)["lavoratori"].max() or 0
        titolo += f", PAL attivata per {formatting.numero(ultimo)} lavoratori"
    tipo = html_(caso.get("tipo_scadenza") or "Scadenza")  # what expires: the line's own label is short
    sotto = f"{tipo}: {descrivi_scadenza(caso.get('giorni_alla_scadenza'))} (al {formatting.data(al)})"
    # Room on the right for the legend of the steps.
    fig = stile(fig, titolo, sottotitolo=sotto, fonte=fonte, altezza=600 if con_step else 380, margine={"r": 190})
    # Category labels are measured before the page font applies: leave explicit room for the longest one.
    sinistra = 20 + 9 * max((len(r) for r in righe_y), default=0)
    fig.update_layout(
        barmode="overlay",
        margin={"l": sinistra},
        legend={
            "orientation": "v",
            "y": 0.0,
            "yanchor": "bottom",
            "x": 1.01,
            "xanchor": "left",
            "title": {"text": "Raggiunto"},
        },
    )
    return fig


def _plurale(n: int, singolare: str, plurale: str) -> str:
    return f"{formatting.numero(n)} {singolare if n == 1 else plurale}"


def _linea_verticale(
    fig: go.Figure, giorno: date, testo: str, colore: str, tratto: str, lato: str, colore_testo: str | None = None
) -> None:
    """A vertical line across all rows, labelled at its top left (add_vline mislabels dates in subplots)."""
    fig.add_shape(
        type="line",
        xref="x",
        yref="paper",
        x0=giorno.isoformat(),
        x1=giorno.isoformat(),
        y0=0,
        y1=1,
        line={"color": colore, "width": 3, "dash": tratto},
    )
    fig.add_annotation(
        x=giorno.isoformat(),
        xref="x",
        yref="paper",
        y=1.0,
        yanchor="bottom",
        xanchor=lato,
        xshift=-4 if lato == "right" else 4,
        text=testo,
        showarrow=False,
        font={"size": tema.FONT_BASE - 3, "color": colore_testo or colore},
        bgcolor="rgba(255,255,255,0.85)",
    )


def funnel(fasi: pl.DataFrame, fonte: str) -> go.Figure:
    """Workers of the case at each stage of the step path; small counts shown as '<3' with no bar."""
    coorte = int(fasi["coorte"][0])
    step4 = fasi.filter(pl.col("stato_step") == STEP_PAL.codice).row(0, named=True)
    if step4[NASCOSTI] is not None:
        titolo = f"PAL attivata: conteggio riservato, su {testo_conteggio(coorte)} lavoratori"
    else:
        titolo = (
            f"PAL attivata per {formatting.numero(step4['lavoratori'])} dei {formatting.numero(coorte)} lavoratori "
            f"({formatting.percentuale(step4['lavoratori'] / coorte)})"
        )
    valori = fasi["lavoratori"].fill_null(0).to_list()
    fig = go.Figure(
        go.Bar(
            y=fasi["fase"].to_list(),
            x=valori,
            orientation="h",
            marker_color=[tema.COLORE_STEP[s] for s in fasi["stato_step"]],
            marker_line={"color": "#555555", "width": 1},
            text=fasi.select(testo_lavoratori())["lavoratori"].to_list(),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text} lavoratori<extra></extra>",
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(fasi["fase"].to_list())))
    fig.update_xaxes(rangemode="tozero", range=[0, max([*valori, 1]) * 1.2])
    return stile(
        fig,
        titolo,
        sottotitolo="Fase più avanzata raggiunta (modello a step, decreto 5151/2025)",
        fonte=fonte,
        fonte_a_capo=True,  # a half-width chart
        asse_x="Lavoratori",
        altezza=460,
    )


def mappa_unita(unita: pl.DataFrame, province_caso: list[str]) -> pdk.Deck:
    """The case's units over the province outlines, with no basemap (works offline)."""
    features = []
    etichette = []
    for feature in geo.confini()["features"]:
        sigla = feature["properties"]["sigla"]
        nel_caso = sigla in province_caso
        props = {**feature["properties"], "fill": tema.rgb(tema.SEQUENZIALE[1] if nel_caso else "#EEEEEE")}
        features.append({**feature, "properties": props})
        lon, lat = geo.posizioni_etichette()[sigla]
        etichette.append({"sigla": sigla, "lon": lon, "lat": lat})
    # A hidden count gets the smallest dot, so that its size tells nothing either.
    punti = (
        riservatezza(unita)
        .with_columns(pl.col("lavoratori").sqrt().add(6).fill_null(6.0).alias("raggio"))
        .select("comune", "sigla", "lat", "lon", "raggio", testo_lavoratori().alias("lavoratori_testo"))
        .to_dicts()
    )
    livelli = [
        pdk.Layer(
            "GeoJsonLayer",
            {"type": "FeatureCollection", "features": features},
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=[120, 120, 120, 255],
            line_width_min_pixels=1,
        ),
        pdk.Layer(
            "TextLayer",
            etichette,
            get_position="[lon, lat]",
            get_text="sigla",
            get_size=14,
            get_color=[90, 90, 90, 255],
        ),
        pdk.Layer(
            "ScatterplotLayer",
            punti,
            get_position="[lon, lat]",
            get_radius="raggio",
            radius_units=pdk.types.String("pixels"),
            get_fill_color=tema.rgb(tema.GRIGIO_TESTO, 210),
            get_line_color=[255, 255, 255, 255],
            line_width_min_pixels=2,
            stroked=True,
            pickable=True,
        ),
    ]
    return pdk.Deck(
        layers=livelli,
        initial_view_state=pdk.ViewState(
            latitude=geo.CENTRO_LAT, longitude=geo.CENTRO_LON, zoom=geo.ZOOM - 0.2
        ),  # a narrower frame
        # No provider and pydeck's default style sentinel: Streamlit then draws no basemap (nothing to download).
        map_provider=None,
        tooltip={"html": "<b>{comune}</b> ({sigla})<br/>{lavoratori_testo} lavoratori coinvolti"},
    )
