"""Misure PAL charts: committed and spent against the budget, years, provinces, months, STEP 4 to the measure."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from dashboard import formatting, privacy, tema
from dashboard.charts import stile
from dashboard.charts.eventi import segna
from dashboard.viste import misure as vm
from dashboard.viste.eventi import Evento
from data_access.dominio import MISURE_PAL, TOTALE

GRIGLIA = "#E5E5E5"
ALTEZZA = 460


def _a_capo(nome: str) -> str:
    """A measure's name on two lines ('Dote Unica<br>Lavoro'), so that axis labels stay horizontal."""
    parole = nome.split()
    if len(parole) < 2:
        return nome
    meta = len(parole) // 2
    return " ".join(parole[:meta]) + "<br>" + " ".join(parole[meta:])


def _asse_misure(fig: go.Figure, misure: list[str]) -> None:
    fig.update_xaxes(tickvals=misure, ticktext=[_a_capo(m) for m in misure], tickangle=0)


def bilancio(b: pl.DataFrame, fonte: str) -> go.Figure:
    """A bar per measure, committed and spent, with the budget as a black line across each measure's bars."""
    misure = b["misura"].to_list()
    impegnato = (b["impegnato_cent"] / 100).to_list()
    speso = (b["speso_cent"] / 100).to_list()
    fig = go.Figure()
    fig.add_bar(
        name="Impegnato", x=misure, y=impegnato, marker={"color": tema.COLORE_IMPEGNATO},
        customdata=[formatting.numero(v) for v in impegnato],
        hovertemplate="%{x}: impegnati %{customdata} €<extra></extra>",
    )  # fmt: skip
    fig.add_bar(
        name="Speso", x=misure, y=speso, marker={"color": tema.COLORE_SPESO, "line": {"color": "#2B6C8F", "width": 1}},
        customdata=[formatting.numero(v) for v in speso], hovertemplate="%{x}: spesi %{customdata} €<extra></extra>",
    )  # fmt: skip
    con = b.filter(pl.col("dotazione_cent").is_not_null())
    if not con.is_empty():
        dotazione = (con["dotazione_cent"] / 100).to_list()
        fig.add_scatter(
            name="Dotazione", x=con["misura"].to_list(), y=dotazione, mode="markers",
            marker={"symbol": "line-ew", "size": 120, "line": {"width": 4, "color": tema.COLORE_DOTAZIONE}},
            customdata=[formatting.numero(v) for v in dotazione],
            hovertemplate="%{x}: dotazione %{customdata} €<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="group", bargap=0.35)
    massimo = max([v for v in (*impegnato, *speso, *(b["dotazione_cent"] / 100)) if v is not None] + [1])
    # The budget's wide line markers would stretch an automatic range below zero: the range is set here.
    fig.update_yaxes(range=[0, massimo * 1.12], tickformat=",.0f", showgrid=True, gridcolor=GRIGLIA)
    fig.update_xaxes(categoryorder="array", categoryarray=list(MISURE_PAL))
    _asse_misure(fig, misure)
    return stile(
        fig,
        vm.titolo_bilancio(b),
        sottotitolo="Tutte le annualità; la linea nera è la dotazione della misura",
        fonte=fonte,
        asse_y="Euro",
        altezza=ALTEZZA,
    )


def confronto(lungo: pl.DataFrame, anni: tuple[int, ...], anno: int, totali: dict[int, int], fonte: str) -> go.Figure:
    """Workers reached by each measure, the year before light and the year dark; `totali`: workers per year."""
    fig = go.Figure()
    for a in anni:
        riga = lungo.filter(pl.col("anno") == a)
        fig.add_bar(
            name=str(a), x=riga["misura"].to_list(), y=riga["lavoratori"].to_list(),
            marker={"color": tema.colore_anno(a, anno)}, hovertemplate=f"%{{x}} {a}: %{{y}} lavoratori<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_yaxes(showgrid=True, gridcolor=GRIGLIA, tickformat=",d")
    _asse_misure(fig, list(MISURE_PAL))
    totale = totali.get(anno, 0)
    titolo = f"{formatting.numero(totale)} lavoratori raggiunti dalle misure nel {anno}"
    if len(anni) == 2:
        titolo += f": {formatting.variazione(totale, totali.get(anni[0], 0))} sul {anni[0]}"
    return stile(fig, titolo, fonte=fonte, asse_y="Lavoratori", altezza=ALTEZZA)


def province(df: pl.DataFrame, fonte: str, anno: int) -> go.Figure:
    """Workers by province, a stacked bar per province with one colour per measure (hidden cells left out)."""
    totali = df.group_by("provincia").agg(pl.col("lavoratori").sum()).sort("lavoratori", descending=True)
    ordine = totali["provincia"].to_list()
    fig = go.Figure()
    for misura in MISURE_PAL:
        riga = df.filter(pl.col("misura") == misura)
        etichette = riga[privacy.marcatore("lavoratori")].to_list()
        fig.add_bar(
            name=misura, y=riga["provincia"].to_list(), x=riga["lavoratori"].to_list(), orientation="h",
            marker={"color": tema.COLORE_MISURA[misura]},
            customdata=[e or formatting.numero(n) for n, e in zip(riga["lavoratori"], etichette, strict=True)],
            hovertemplate=f"%{{y}} · {misura}: %{{customdata}}<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_yaxes(categoryorder="array", categoryarray=ordine, autorange="reversed")
    fig.update_xaxes(showgrid=True, gridcolor=GRIGLIA, tickformat=",d")
    titolo = f"Lavoratori con un intervento nel {anno}, per provincia"
    if ordine:
        titolo = f"{ordine[0]} prima per lavoratori con un intervento nel {anno}"
    return stile(fig, titolo, fonte=fonte, asse_x="Lavoratori", altezza=max(ALTEZZA, 60 + 38 * len(ordine)))


def mesi(df: pl.DataFrame, fonte: str, anno: int, eventi: Sequence[Evento] = ()) -> go.Figure:
    """Records assigned per month, stacked by measure; the decree and the tavoli marked."""
    fig = go.Figure()
    for misura in MISURE_PAL:
        riga = df.filter(pl.col("misura") == misura)
        fig.add_bar(
            name=misura, x=riga["nome_mese"].to_list(), y=riga["interventi"].to_list(),
            marker={"color": tema.COLORE_MISURA[misura]}, hovertemplate=f"%{{x}} · {misura}: %{{y}}<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_yaxes(showgrid=True, gridcolor=GRIGLIA, tickformat=",d")
    segna(fig, eventi, [(anno, m) for m in range(1, 13)])
    per_mese = df.group_by("mese", "nome_mese").agg(pl.col("interventi").sum()).sort("interventi", descending=True)
    titolo = f"Nessun intervento assegnato nel {anno}"
    if df[privacy.marcatore("interventi")].is_not_null().any() and not df["interventi"].fill_null(0).sum():
        titolo = f"Interventi assegnati nel {anno}: pochi, nascosti per riservatezza"
    elif not per_mese.is_empty() and per_mese["interventi"][0]:
        top = per_mese.row(0, named=True)
        mese = formatting.MESI[top["mese"] - 1]
        a = "ad" if mese[0] in "aeiou" else "a"
        titolo = f"Più assegnazioni {a} {mese} {anno}: {formatting.numero(top['interventi'])} interventi"
    return stile(fig, titolo, fonte=fonte, asse_y="Interventi assegnati", altezza=ALTEZZA)


def collegamento(c: pl.DataFrame, fonte: str) -> go.Figure:
    """STEP 4 workers of each measure: with a record of their measure, of another one only, none (selection)."""
    tot = c.filter(pl.col("sigla") == TOTALE).sort(pl.col("misura").cast(vm.ORDINE_MISURE))
    misure = tot["misura"].to_list()
    fig = go.Figure()
    for colonna, nome, colore in (
        ("con_intervento", "Con intervento della misura", tema.COLORE_IMPEGNATO),
        ("altra_misura", "Solo con un'altra misura", tema.COLORE_SPESO),
        ("senza", "Senza intervento", tema.GRIGIO_NEUTRO),
    ):
        valori = tot[colonna].to_list()
        fig.add_bar(
            name=nome, y=misure, x=valori, orientation="h", marker={"color": colore},
            hovertemplate=f"%{{y}} · {nome}: %{{x}}<extra></extra>",
        )  # fmt: skip
    mediane = ["" if g is None else f"  mediana {formatting.numero(g)} giorni" for g in tot["giorni_mediana"].to_list()]
    fig.add_scatter(
        y=misure, x=tot["step4"].to_list(), text=mediane, mode="text", textposition="middle right",
        showlegend=False, hoverinfo="skip", cliponaxis=False,
    )  # fmt: skip
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    massimo = max(tot["step4"].to_list() or [1])
    fig.update_xaxes(showgrid=True, gridcolor=GRIGLIA, tickformat=",d", range=[0, massimo * 1.45])
    fig.update_yaxes(autorange="reversed")
    return stile(
        fig,
        vm.titolo_collegamento(c),
        sottotitolo="Lavoratori del modello a step con PAL attivata, per misura; giorni dallo STEP 4 all'assegnazione",
        fonte=fonte,
        asse_x="Lavoratori allo STEP 4",
        altezza=ALTEZZA,
    )
