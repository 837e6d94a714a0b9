"""Figures of the bimonthly report (pure plotly): the map of the units, the expiry calendar, the step stages.

Drawn for an A4 page, exported as SVG so that the PDF stays vector: plain scatter shapes, no map tiles.
"""

from __future__ import annotations

import math
from datetime import date

import plotly.graph_objects as go
import polars as pl

from dashboard import formatting, geo, tema
from dashboard.charts import stile
from dashboard.viste.report import ETICHETTA_STATO, STATI_REPORT, TIPI_REPORT, Report
from data_access.dominio import TIPO
from data_access.queries.step import NON_IN_CARICO

LARGHEZZA = 900  # px of a full-width figure on the page (A4 minus margins, at 96 dpi ≈ 680 px: scaled down)
COLORE_STATO = {**tema.COLORE_STEP, NON_IN_CARICO: tema.COLORE_NON_IN_CARICO}


def _parti(geometria: dict) -> list[list[list[float]]]:
    parti = geometria["coordinates"] if geometria["type"] == "MultiPolygon" else [geometria["coordinates"]]
    return [p[0] for p in parti]


def mappa(r: Report) -> go.Figure:
    """Units of the CIGS in force by comune: one circle per comune and type, area by units, provinces outlined."""
    fig = go.Figure()
    latitudini, longitudini = [], []
    for feature in geo.confini()["features"]:
        sigla = feature["properties"]["sigla"]
        qui = sigla in r.territorio.province
        for anello in _parti(feature["geometry"]):
            xs, ys = [p[0] for p in anello], [p[1] for p in anello]
            if qui:
                longitudini += xs
                latitudini += ys
            fig.add_scatter(
                x=xs, y=ys, mode="lines", fill="toself", fillcolor="#F4F7F5" if qui else "#FFFFFF",
                line={"color": tema.GRIGIO_TESTO if qui else "#BBBBBB", "width": 1.6 if qui else 0.8},
                hoverinfo="skip", showlegend=False,
            )  # fmt: skip
    massimo = max(1, int(r.comuni["unita"].max() or 1)) if not r.comuni.is_empty() else 1
    for tipo in TIPI_REPORT:
        punti = r.comuni.filter(pl.col("tipo") == tipo)
        if punti.is_empty():
            continue
        fig.add_scatter(
            x=punti["lon"].to_list(), y=punti["lat"].to_list(), mode="markers",
            marker={"size": [10 + 26 * math.sqrt(u / massimo) for u in punti["unita"]],
                    "color": tema.COLORE_TIPO[tipo], "opacity": 0.8, "line": {"color": "white", "width": 1}},
            name=f"{TIPO[tipo].etichetta} ({formatting.numero(int(punti['unita'].sum()))} unità)",
            hoverinfo="skip",
        )  # fmt: skip
    if r.territorio.regionale:
        for sigla, (lon, lat) in geo.posizioni_etichette().items():
            fig.add_annotation(x=lon, y=lat, text=sigla, showarrow=False, font={"size": 13, "color": "#555555"})
    centro = (min(latitudini) + max(latitudini)) / 2
    margine_x = (max(longitudini) - min(longitudini)) * 0.05
    margine_y = (max(latitudini) - min(latitudini)) * 0.05
    fig.update_xaxes(visible=False, range=[min(longitudini) - margine_x, max(longitudini) + margine_x])
    fig.update_yaxes(
        visible=False, range=[min(latitudini) - margine_y, max(latitudini) + margine_y],
        scaleanchor="x", scaleratio=1 / math.cos(math.radians(centro)),
    )  # fmt: skip
    unita = int(r.comuni["unita"].sum())
    comuni = r.comuni["codice_comune"].n_unique()
    titolo = (
        f"{formatting.numero(unita)} unità produttive in CIGS in {formatting.numero(comuni)} comuni"
        if unita
        else "Nessuna unità produttiva in CIGS"
    )
    stile(
        fig, titolo, sottotitolo=f"{r.territorio.nome}, al {formatting.data(r.riferimento)}; cerchio più grande: più "
        "unità nello stesso comune", fonte=r.fonte, altezza=620, margine={"l": 10, "r": 10},
    )  # fmt: skip
    # The legend inside the frame, top left: above the plot it would run into the subtitle.
    fig.update_layout(
        legend={"x": 0, "y": 1, "xanchor": "left", "yanchor": "top", "orientation": "v",
                "bgcolor": "rgba(255,255,255,0.85)"}
    )  # fmt: skip
    return fig


def scadenze(r: Report) -> go.Figure:
    """How many procedures in force reach the end of their authorisation in each of the next months."""
    mesi = []
    anno, mese = r.riferimento.year, r.riferimento.month
    for _ in range(12):
        mese += 1
        if mese > 12:
            anno, mese = anno + 1, 1
        mesi.append(date(anno, mese, 1))
    df = r.procedure.unique("procedura_id").with_columns(pl.col("data_fine").dt.truncate("1mo").alias("mese"))
    fig = go.Figure()
    chiavi = [m.isoformat() for m in mesi]
    etichette = [f"{formatting.MESI[m.month - 1][:3]}<br>{m.year}" for m in mesi]
    oltre = "dopo"
    for tipo in TIPI_REPORT:
        del_tipo = df.filter(pl.col("tipo") == tipo)
        conta = dict(del_tipo.group_by("mese").len().iter_rows())
        valori = [conta.get(m, 0) for m in mesi]
        valori[0] += int(del_tipo.filter(pl.col("mese") < mesi[0]).height)  # still in force, ending this month
        valori.append(int(del_tipo.filter(pl.col("mese") > mesi[-1]).height))
        fig.add_bar(
            x=[*chiavi, oltre], y=valori, name=TIPO[tipo].etichetta, marker_color=tema.COLORE_TIPO[tipo],
            text=[str(v) if v else "" for v in valori], textposition="inside", textangle=0,
        )  # fmt: skip
    n = df.height
    entro = df.filter(pl.col("giorni_alla_scadenza") <= 90).height
    titolo = f"{entro} delle {n} CIGS in corso scadono entro 90 giorni" if n else "Nessuna CIGS in corso da far scadere"
    fig.update_layout(barmode="stack", bargap=0.25, uniformtext={"minsize": 12, "mode": "hide"})
    # Month and year on two lines, set as tick text so that the shared style leaves room for them.
    fig.update_xaxes(tickangle=0, tickvals=[*chiavi, oltre], ticktext=[*etichette, "oltre"], type="category")
    stile(
        fig, titolo, sottotitolo=f"Procedure per mese di fine autorizzazione, dal {formatting.data(r.riferimento)}",
        fonte=r.fonte, asse_y="Procedure", altezza=440,
    )  # fmt: skip
    return fig


def stati_step(r: Report) -> go.Figure:
    """Workers of the CIGS ministeriali by stage on the reference day; hidden counts are not drawn, only named."""
    totali = r.step.tabella.group_by("stato").agg(
        pl.col("lavoratori").sum(), pl.col("testo").is_in(["riservato"]).any().alias("riservato"),
        pl.col("testo").str.starts_with("<").any().alias("piccolo"),
    )  # fmt: skip
    per_stato = {row["stato"]: row for row in totali.iter_rows(named=True)}
    etichette, valori, testi, colori = [], [], [], []
    for stato in STATI_REPORT:
        riga = per_stato.get(stato, {"lavoratori": 0, "riservato": False, "piccolo": False})
        # A province's hidden stage is not drawn; the Region's stages are column totals of the mask, always shown.
        nascosto = not r.territorio.regionale and (riga["riservato"] or riga["piccolo"])
        etichette.append(ETICHETTA_STATO[stato])
        valori.append(0 if nascosto else riga["lavoratori"])
        testi.append("riservato" if nascosto else formatting.numero(riga["lavoratori"]))
        colori.append(COLORE_STATO[stato])
    fig = go.Figure(
        go.Bar(
            x=valori, y=etichette, orientation="h", marker_color=colori, text=testi, textposition="outside",
            cliponaxis=False,
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed")
    quota = formatting.percentuale(r.step.quota_pal)
    titolo = (
        f"PAL attivata per {quota} dei lavoratori in CIGS ministeriale"
        if r.step.lavoratori and not r.step.pal_riservata
        else "Lavoratori in CIGS ministeriale per stato del percorso"
    )
    stile(
        fig, titolo, sottotitolo=f"Stato raggiunto al {formatting.data(r.riferimento)} (modello a step, decreto "
        "5151/2025)", fonte=r.fonte, asse_x="Lavoratori", altezza=400, margine={"r": 90},
    )  # fmt: skip
    return fig


def figure(r: Report) -> dict[str, go.Figure]:
    """The report's figures by name, in page order."""
    return {"mappa": mappa(r), "scadenze": scadenze(r), "step": stati_step(r)}
