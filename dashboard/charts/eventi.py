"""The events drawn on a monthly chart: a labelled line for the decree, dotted lines for the tavoli (pure plotly)."""

from __future__ import annotations

import calendar
from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard import tema
from dashboard.viste.eventi import Evento
from data_access.dominio import ETICHETTA_DECRETO

NOME_EVENTO = "evento"  # the name of the shapes and annotations this module adds
COLORE_TAVOLI = "#767676"  # a mid grey, 4.5:1 on white: visible, quieter than the decree's line
LINEA = {
    "decreto": {"color": tema.GRIGIO_TESTO, "width": 2.5, "dash": "dash"},
    "tavolo": {"color": COLORE_TAVOLI, "width": 1.5, "dash": "dot"},
}


def posizione(giorno_: Evento, mesi: Sequence[tuple[int, int]]) -> float | None:
    """Where a day falls on an axis of month categories (0 = the first month's centre), or None if outside them."""
    d = giorno_.data
    if (d.year, d.month) not in mesi:
        return None
    indice = mesi.index((d.year, d.month))
    return indice - 0.5 + (d.day - 0.5) / calendar.monthrange(d.year, d.month)[1]


def segna(fig: go.Figure, eventi: Sequence[Evento], mesi: Sequence[tuple[int, int]]) -> go.Figure:
    """Mark the events that fall in the chart's months with vertical lines, named in the legend.

    The legend holds the labels (the decree's, and one for all the tavoli, whose sessions can be days apart): there
    they never cover a bar, a value, each other or the title.
    """
    contati = {"decreto": 0, "tavolo": 0}
    for e in eventi:
        x = posizione(e, mesi)
        if x is None:
            continue
        contati[e.tipo] += 1
        # Behind the bars, whose values stay readable; the decree darker and dashed, the tavoli light and dotted.
        fig.add_shape(
            type="line", name=NOME_EVENTO, x0=x, x1=x, xref="x", y0=0, y1=1, yref="paper", layer="below",
            line=LINEA[e.tipo],
        )  # fmt: skip
    voci = [(ETICHETTA_DECRETO, "decreto")] if contati["decreto"] else []
    if contati["tavolo"]:
        voci.append((f"Sedute dei tavoli ({contati['tavolo']})", "tavolo"))
    for nome, tipo in voci:
        fig.add_scatter(x=[None], y=[None], mode="lines", name=nome, line=LINEA[tipo], hoverinfo="skip")
    return fig
