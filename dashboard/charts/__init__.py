"""Pure chart builders (DataFrame -> Figure); this module holds the look they share."""

from __future__ import annotations

import re
from collections.abc import Mapping

import plotly.graph_objects as go
import plotly.io as pio

from dashboard import tema

# Every figure starts from the app's template: assigning it by name in stile() made plotly copy and validate the
# whole template for each chart (30-100 ms each, most of a page's time once its data are cached).
pio.templates.default = "simple_white"

# The source line is the annotation with this name (charts and tests find it by name, not by position).
NOME_FONTE = "fonte"
# Pixels the x axes take under the plot area, by what they draw there: ticks and title, ticks only, nothing.
_SOTTO_ASSE_CON_TITOLO = 66
_SOTTO_ASSE = 40
_SOTTO_SENZA_ASSE = 14
FONTE_MAX_CARATTERI = 115
_RIGA_FONTE = 20  # one line of the source at its font size
_BORDO = 8  # the source line's distance from the figure's right and bottom edges


def _spazio_sotto(fig: go.Figure) -> int:
    """Room the x axes take under the plot area: ticks and title, ticks only, or nothing (hidden or on top)."""
    spazio = _SOTTO_SENZA_ASSE
    for asse in fig.select_xaxes():
        if asse.visible is False or asse.side == "top":
            continue
        righe_in_piu = max((str(t).count("<br>") for t in asse.ticktext or ()), default=0)
        base = _SOTTO_ASSE_CON_TITOLO if asse.title.text else _SOTTO_ASSE
        spazio = max(spazio, base + righe_in_piu * (tema.FONT_BASE + 4))
    return spazio


def stile(
    fig: go.Figure,
    titolo: str,
    *,
    sottotitolo: str | None = None,
    fonte: str | None = None,
    fonte_a_capo: bool = False,
    asse_x: str | None = None,
    asse_y: str | None = None,
    altezza: int = 520,
    margine: Mapping[str, int] | None = None,
) -> go.Figure:
    """Apply the app's meeting-room look: large type, Italian separators, title stating the finding.

    The source line sits in the figure's bottom-right corner: its place depends only on the right and bottom
    margins (give them here in `margine`, not afterwards), never on how wide the y-axis labels are or how tall the
    x-axis labels grow, so it neither runs off the figure nor moves with long category names. `fonte_a_capo` puts
    it on two lines for charts in a column. Set the x axes (title, visibility, side) before calling: the bottom
    margin left for them depends on what they draw.
    """
    if asse_x is not None:
        fig.update_xaxes(title={"text": asse_x})
    if asse_y is not None:
        fig.update_yaxes(title={"text": asse_y})
    # A source longer than a full-width chart holds on a 1280 screen (~115 characters) goes on two lines too.
    a_capo = fonte_a_capo or len(fonte or "") > FONTE_MAX_CARATTERI
    testo_fonte = fonte.replace(" Dati al ", "<br>Dati al ", 1) if fonte and a_capo else fonte
    sotto = _spazio_sotto(fig)
    margini = {
        "l": 10,
        "r": 20,
        "t": 100 if sottotitolo else 70,
        "b": sotto + _RIGA_FONTE * (1 + testo_fonte.count("<br>")) + _BORDO if testo_fonte else max(sotto + 10, 50),
        **(margine or {}),
    }
    fig.update_layout(
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
        margin=margini,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1, "title": None},
        hoverlabel={"font": {"size": tema.FONT_BASE}},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    fig.update_xaxes(
        automargin=True,
        tickfont={"size": tema.FONT_BASE - 1, "color": tema.GRIGIO_TESTO},
        title_font_color=tema.GRIGIO_TESTO,
        separatethousands=True,
    )
    fig.update_yaxes(
        automargin=True,
        tickfont={"size": tema.FONT_BASE - 1, "color": tema.GRIGIO_TESTO},
        title_font_color=tema.GRIGIO_TESTO,
        separatethousands=True,
    )
    if testo_fonte:
        fig.add_annotation(
            name=NOME_FONTE,
            text=testo_fonte,
            # Plotly places annotations relative to the plot area only: its bottom-right corner plus the margins
            # set here is the figure's corner, whatever the left margin grows to for the category labels.
            xref="paper",
            x=1,
            xanchor="right",
            xshift=margini["r"] - _BORDO,
            yref="paper",
            y=0,
            yanchor="bottom",
            yshift=-(margini["b"] - _BORDO),
            align="right",
            showarrow=False,
            font={"size": tema.FONT_BASE - 4, "color": "#555555"},
        )
    return fig


def senza_titolo(fig: go.Figure) -> go.Figure:
    """A copy of a chart without its title (the slide's title states it), keeping the chart's own margins."""
    copia = go.Figure(fig)
    copia.update_layout(title=None, margin={"t": 40})
    return copia


def titolo_di(fig: go.Figure) -> tuple[str, str]:
    """A chart's title and subtitle, which the slide takes over."""
    titolo = fig.layout.title
    return (titolo.text or "", (titolo.subtitle.text if titolo.subtitle else None) or "")


PROIETTORE_PX = 20  # the smallest chart text of a slide: readable at three metres on a 1920×1080 projector


def per_proiettore(fig: go.Figure) -> go.Figure:
    """A slide's chart: every text (ticks, labels on the bars, legend, notes) at least PROIETTORE_PX pixels."""

    def almeno(font: object) -> dict[str, int]:
        return {"size": max(getattr(font, "size", None) or 0, PROIETTORE_PX)}

    fig.update_layout(font=almeno(fig.layout.font), legend_font=almeno(fig.layout.legend.font),
                      hoverlabel_font=almeno(fig.layout.hoverlabel.font))  # fmt: skip
    fig.update_xaxes(tickfont={"size": PROIETTORE_PX}, title_font={"size": PROIETTORE_PX})
    fig.update_yaxes(tickfont={"size": PROIETTORE_PX}, title_font={"size": PROIETTORE_PX})
    for traccia in fig.data:
        if "textfont" in traccia:
            traccia.textfont.size = max(traccia.textfont.size or 0, PROIETTORE_PX)
    for nota in fig.layout.annotations:
        nota.font.size = max(nota.font.size or 0, PROIETTORE_PX)
    _spazio_a_destra(fig)
    # Larger ticks push the x-axis title down: the source line moves down with the bottom margin.
    crescita = 2 * (PROIETTORE_PX - tema.FONT_BASE + 4)
    if fig.layout.margin.b is not None:
        fig.layout.margin.b += crescita
        for nota in fig.layout.annotations:
            if nota.name == NOME_FONTE and nota.yshift is not None:
                nota.yshift -= crescita
    if any(getattr(t, "orientation", None) == "h" or _categorie(getattr(t, "y", None)) for t in fig.data):
        fig.update_yaxes(dtick=1)  # every category named, also when the rows are close on a small screen
    return fig


def larghezza_testo(testo: str, corpo: float, em: float = 0.6) -> float:
    """Pixels a chart text takes at `corpo` px: its longest line, Plotly's tags aside, at `em` of the size a character.

    The server cannot measure the browser's font: an average width per character, with a little to spare, is what
    the margins are sized by.
    """
    righe = re.sub(r"<(?!br)[^>]+>", "", testo or "").split("<br>")
    return max(len(r) for r in righe) * corpo * em


def _spazio_a_destra(fig: go.Figure) -> None:
    """Notes written right of the plot (e.g. the funnel's conversions) keep their room once their font has grown.

    The margin is set for the page's type size; the slide's larger text would run off the figure and be clipped.
    The source line is placed from the right margin, so it moves with it.
    """
    note = [
        n for n in fig.layout.annotations
        if n.name != NOME_FONTE and n.xref == "paper" and (n.x or 0) >= 1 and n.xanchor == "left"
    ]  # fmt: skip
    destra = fig.layout.margin.r or 0
    serve = max((int(larghezza_testo(n.text, n.font.size or PROIETTORE_PX)) + (n.xshift or 0) for n in note), default=0)
    if serve <= destra:
        return
    fig.layout.margin.r = serve
    for nota in fig.layout.annotations:
        if nota.name == NOME_FONTE and nota.xshift is not None:
            nota.xshift += serve - destra


def _categorie(valori: object) -> bool:
    """Whether a trace's values are category names (text), not numbers."""
    return isinstance(valori, tuple | list) and bool(valori) and isinstance(valori[0], str)
