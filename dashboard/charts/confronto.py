"""Charts of the year comparison: provinces year against year, composition by type, biggest changes."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard import formatting, tema
from dashboard.charts import larghezza_testo, stile
from dashboard.viste.confronto import MISURE, MISURE_ARTICOLATE
from data_access.dominio import TIPO


def _etichetta_variazione(nuovo: int, vecchio: int) -> str:
    return f"{formatting.differenza(nuovo, vecchio)} ({formatting.variazione(nuovo, vecchio)})"


def _altezza(righe: int) -> int:
    return max(360, 170 + 46 * righe)


def _margine_province(fig: go.Figure, nomi: list[str]) -> go.Figure:
    """Room on the left for the longest province name (automargin alone clips 'Monza e della Brianza')."""
    fig.update_layout(margin_l=int(11 * max((len(n) for n in nomi), default=4)))
    return fig


# The plot area of a full-width chart on the smallest screen (1280×720, sidebar open): the labels must fit in it.
AREA_MINIMA_PX = 480


def _spazio_etichette(valori: list[int], testi: list[str], corpo: int) -> list[float]:
    """An x range with room past the longest bars for their labels, each side only as wide as it needs.

    A symmetric range wasted the side with small values and pushed "+1.291 (+235,2%)" past the chart's edge.
    """
    larghezza = [larghezza_testo(t.strip(), corpo, 0.58) + 8 for t in testi]
    destra = max([w for v, w in zip(valori, larghezza, strict=True) if v >= 0] or [0])
    sinistra = max([w for v, w in zip(valori, larghezza, strict=True) if v < 0] or [0])
    massimo = max([*valori, 0])
    minimo = min(valori) if min(valori or [0]) < 0 else -0.03 * massimo  # a little room left of zero
    frazione = min((destra + sinistra) / AREA_MINIMA_PX, 0.75)
    ampiezza = (massimo - minimo) / (1 - frazione) or 1
    return [minimo - sinistra * ampiezza / AREA_MINIMA_PX, massimo + destra * ampiezza / AREA_MINIMA_PX]


def province_anni(prov: pl.DataFrame, misura: str, anni: tuple[int, int], fonte: str) -> go.Figure:
    """Dumbbell: each province's measure in the earlier (light) and later (dark) year, largest first."""
    prima, dopo = anni
    dati = prov.sort("dopo", "prima", descending=True)
    nomi = dati["provincia"].to_list()
    fig = go.Figure()
    linee_x: list[int | None] = []
    linee_y: list[str | None] = []
    for nome, v0, v1 in zip(nomi, dati["prima"], dati["dopo"], strict=True):
        linee_x += [v0, v1, None]
        linee_y += [nome, nome, None]
    fig.add_scatter(
        x=linee_x, y=linee_y, mode="lines", line={"color": tema.GRIGIO_NEUTRO, "width": 4}, hoverinfo="skip",
        showlegend=False,
    )  # fmt: skip
    for anno, colonna, simbolo in ((prima, "prima", "circle"), (dopo, "dopo", "diamond")):
        valori = dati[colonna].to_list()
        fig.add_scatter(
            name=str(anno),
            x=valori,
            y=nomi,
            mode="markers",
            marker={"color": tema.colore_anno(anno, dopo), "size": 20, "symbol": simbolo, "line": {"width": 0}},
            customdata=[formatting.numero(v) for v in valori],
            hovertemplate=f"%{{y}} · {anno}: %{{customdata}}<extra></extra>",
        )
    # The later value and the change, written beside the rightmost point of each row.
    testo = [
        f"{formatting.numero(v1)}  {formatting.variazione(v1, v0)}"
        for v0, v1 in zip(dati["prima"], dati["dopo"], strict=True)
    ]
    massimi = [max(v0, v1) for v0, v1 in zip(dati["prima"], dati["dopo"], strict=True)]
    # Invisible markers as wide as the visible ones keep the text clear of the points.
    fig.add_scatter(
        x=massimi, y=nomi, mode="markers+text", text=testo, textposition="middle right", showlegend=False,
        hoverinfo="skip", marker={"size": 22, "opacity": 0}, cliponaxis=False,
        textfont={"size": tema.FONT_BASE - 1, "color": tema.GRIGIO_TESTO},
    )  # fmt: skip
    in_aumento = int((dati["differenza"] > 0).sum())
    if dati.height == 1:  # one province chosen: its own figure and direction, not "1 province su 1"
        riga = dati.row(0, named=True)
        differenza = riga["differenza"]
        verso = "in aumento" if differenza > 0 else "in calo" if differenza < 0 else "nessuna variazione"
        titolo = (f"{MISURE[misura]}, provincia di {riga['provincia']}: {formatting.numero(riga['dopo'])} "
                  f"nel {dopo}, {verso} sul {prima}")  # fmt: skip
    else:
        quante = "1 provincia" if in_aumento == 1 else f"{in_aumento} province"
        titolo = f"{MISURE[misura]} per provincia: in aumento in {quante} su {dati.height}, {prima} → {dopo}"
    sottotitolo = f"Province ordinate per valore {dopo}; a destra il valore {dopo} e la variazione % sul {prima}"
    fig.update_yaxes(categoryorder="array", categoryarray=nomi, autorange="reversed", showgrid=False)
    fig.update_xaxes(range=[0, max(massimi or [1]) * 1.22], rangemode="tozero", showgrid=True, gridcolor="#E6E6E6")
    stile(fig, titolo, sottotitolo=sottotitolo, fonte=fonte, asse_x=MISURE[misura], altezza=_altezza(dati.height))
    return _margine_province(fig, nomi)


def variazioni(prov: pl.DataFrame, misura: str, anni: tuple[int, int], fonte: str) -> go.Figure:
    """Difference by province, biggest increase on top and biggest decrease at the bottom."""
    prima, dopo = anni
    dati = prov.sort("differenza", descending=True)
    diff = dati["differenza"].to_list()
    colori = [
        tema.DIVERGENTE[-1] if d > 0 else tema.DIVERGENTE[0] if d < 0 else tema.GRIGIO_NEUTRO for d in diff
    ]  # fmt: skip
    # Padding on the outer side keeps each label clear of its bar end.
    testo = [
        f" {_etichetta_variazione(v1, v0)}" if v1 >= v0 else f"{_etichetta_variazione(v1, v0)} "
        for v0, v1 in zip(dati["prima"], dati["dopo"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=diff,
            y=dati["provincia"].to_list(),
            orientation="h",
            marker_color=colori,
            text=testo,
            textposition="outside",
            cliponaxis=False,
            textfont={"size": tema.FONT_BASE - 2},
            hovertemplate=f"%{{y}}: %{{text}} dal {prima} al {dopo}<extra></extra>",
        )
    )
    su, giu = dati.row(0, named=True), dati.row(-1, named=True)
    titolo = f"Nessuna variazione tra il {prima} e il {dopo}"
    sottotitolo = f"Differenza {dopo} − {prima} per provincia"
    if su["differenza"] > 0:
        titolo = f"Aumento maggiore: {su['provincia']} ({formatting.differenza(su['dopo'], su['prima'])})"
    if giu["differenza"] < 0:
        calo = f"calo maggiore: {giu['provincia']} ({formatting.differenza(giu['dopo'], giu['prima'])})"
        titolo = f"{titolo}; {calo}" if su["differenza"] > 0 else calo[0].upper() + calo[1:]
    sottotitolo += ": aumenti in arancio verso destra, cali in blu verso sinistra"
    fig.update_xaxes(
        range=_spazio_etichette(diff, testo, tema.FONT_BASE - 2),
        zeroline=True,
        zerolinecolor=tema.GRIGIO_TESTO,
        zerolinewidth=2,
        showgrid=True,
        gridcolor="#E6E6E6",
    )
    fig.update_yaxes(categoryorder="array", categoryarray=dati["provincia"].to_list(), autorange="reversed")
    fig.update_layout(showlegend=False, bargap=0.3)
    asse = f"{MISURE[misura]}: differenza sul {prima}"
    stile(fig, titolo, sottotitolo=sottotitolo, fonte=fonte, asse_x=asse, altezza=_altezza(dati.height))
    return _margine_province(fig, dati["provincia"].to_list())


def composizione(comp: pl.DataFrame, misura: str, anni: tuple[int, int], fonte: str) -> go.Figure:
    """100% bars, one per year: the share of each procedure type."""
    prima, dopo = anni
    fig = go.Figure()
    tipi = [t for t in TIPO if t in comp["tipo"].to_list()]
    quote: dict[tuple[int, str], float] = {(r["anno"], r["tipo"]): r["quota"] for r in comp.iter_rows(named=True)}
    valori: dict[tuple[int, str], int] = {(r["anno"], r["tipo"]): r["valore"] for r in comp.iter_rows(named=True)}
    for t in tipi:
        q = [quote.get((a, t), 0.0) for a in anni]
        fig.add_bar(
            name=TIPO[t].etichetta,
            x=[v * 100 for v in q],
            y=[str(a) for a in anni],
            orientation="h",
            marker_color=tema.COLORE_TIPO[t],
            text=[formatting.percentuale(v, 0) if v >= 0.04 else "" for v in q],
            textposition="inside",
            insidetextanchor="middle",
            insidetextfont={"color": tema.GRIGIO_TESTO, "size": tema.FONT_BASE},
            customdata=[
                [formatting.numero(valori.get((a, t), 0)), formatting.percentuale(v)]
                for a, v in zip(anni, q, strict=True)
            ],
            hovertemplate=f"%{{y}} · {TIPO[t].etichetta}: %{{customdata[0]}} (%{{customdata[1]}})<extra></extra>",
        )
    cambi = {t: quote.get((dopo, t), 0.0) - quote.get((prima, t), 0.0) for t in tipi}
    if len(tipi) > 1:
        t = max(cambi, key=lambda k: abs(cambi[k]))
        titolo = (
            f"{TIPO[t].etichetta}: dal {formatting.percentuale(quote.get((prima, t), 0.0), 0)} "
            f"al {formatting.percentuale(quote.get((dopo, t), 0.0), 0)} {MISURE_ARTICOLATE[misura]}"
        )
    else:
        titolo = f"Composizione per tipo di procedura, {prima} e {dopo}"
    fig.update_layout(barmode="stack", bargap=0.35, legend_traceorder="normal")
    fig.update_xaxes(range=[0, 100], ticksuffix="%", showgrid=False)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=[str(a) for a in anni], autorange="reversed")
    return stile(
        fig,
        titolo,
        sottotitolo=f"Quota di ogni tipo di procedura sul totale {MISURE_ARTICOLATE[misura]} nell'anno",
        fonte=fonte,
        asse_x=f"Quota {MISURE_ARTICOLATE[misura]} (%)",
        altezza=360,
    )
