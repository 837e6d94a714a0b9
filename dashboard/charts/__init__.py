"""Pure chart builders (DataFrame -> Figure); this module holds the look they share."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard import tema


def stile(
    fig: go.Figure,
    titolo: str,
    *,
    sottotitolo: str | None = None,
    fonte: str | None = None,
    asse_x: str | None = None,
    asse_y: str | None = None,
    altezza: int = 520,
) -> go.Figure:
    """Apply the app's meeting-room look: large type, Italian separators, title stating the finding."""
    fig.update_layout(
        template="simple_white",
        separators=",.",
        height=altezza,
        font={"family": tema.FONT_FAMILY, "size": tema.FONT_BASE, "color": tema.GRIGIO_TESTO},
        title={
            "text": titolo,
            "x": 0,
            "xanchor": "left",
            "font": {"size": tema.FONT_TITOLO},
            **({"subtitle": {"text": sottotitolo, "font": {"size": tema.FONT_BASE - 2}}} if sottotitolo else {}),
        },
        margin={"l": 10, "r": 20, "t": 100 if sottotitolo else 70, "b": 90 if fonte else 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1, "title": None},
        hoverlabel={"font": {"size": tema.FONT_BASE}},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    if asse_x is not None:
        fig.update_xaxes(title={"text": asse_x})
    if asse_y is not None:
        fig.update_yaxes(title={"text": asse_y})
    fig.update_xaxes(automargin=True, tickfont={"size": tema.FONT_BASE - 1}, separatethousands=True)
    fig.update_yaxes(automargin=True, tickfont={"size": tema.FONT_BASE - 1}, separatethousands=True)
    if fonte:
        fig.add_annotation(
            text=fonte,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-70,
            showarrow=False,
            xanchor="left",
            yanchor="top",
            font={"size": tema.FONT_BASE - 4, "color": "#555555"},
        )
    return fig
