"""Charts of the quarterly PAL monitoring: who has sent, PAL declared by measure, declared against the microdata."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard import formatting, tema
from dashboard.charts import stile
from dashboard.viste import monitoraggio as vm

# One colour per state, colour-blind safe, the word always written in the cell too.
COLORE_STATO: dict[str, str] = {
    vm.IN_TEMPO: "#00704F",
    vm.IN_RITARDO: "#E69F00",
    vm.MANCANTE: "#D55E00",
    vm.IN_ATTESA: "#9ECAE1",
    vm.IN_CORSO: "#E0E0E0",
    vm.NESSUNA: "#F4F4F4",
}
# Text colour on each state's cell, AA contrast: white on the dark green, black on vermillion, dark grey elsewhere.
TESTO_SU_STATO = {vm.IN_TEMPO: "white", vm.MANCANTE: "black"}
GRIGLIA = "#E6E6E6"


def titolo_invii(r: vm.Riepilogo, anno: int) -> str:
    """The grid's message: quarters sent (late among them), missing, still to come."""
    if not r.dovuti:
        return f"Monitoraggio {anno}: nessun trimestre ancora in scadenza"
    inviati = f"{formatting.numero(r.inviati)} trimestri inviati su {formatting.numero(r.dovuti)}"
    if r.conteggi[vm.IN_RITARDO]:
        inviati += f" ({formatting.numero(r.conteggi[vm.IN_RITARDO])} in ritardo)"
    parti = [inviati]
    if r.conteggi[vm.MANCANTE]:
        n = r.conteggi[vm.MANCANTE]
        parti.append(f"{formatting.numero(n)} {'mancante' if n == 1 else 'mancanti'}")
    if r.conteggi[vm.IN_ATTESA]:
        parti.append(f"{formatting.numero(r.conteggi[vm.IN_ATTESA])} in attesa")
    return f"{anno}: " + ", ".join(parti)


def invii(g: pl.DataFrame, r: vm.Riepilogo, fonte: str) -> go.Figure:
    """Quarters x provinces: each cell coloured by its state and saying it in words (state, then date or days)."""
    anno = int(g["anno"][0])
    province = list(dict.fromkeys(g["provincia"].to_list()))
    trimestri = [f"T{t} {anno}" for t in sorted(set(g["trimestre"].to_list()))]
    codici = list(COLORE_STATO)
    indice = {s: i for i, s in enumerate(codici)}
    z, testo = [], []
    for prov in province:
        righe = g.filter(pl.col("provincia") == prov).sort("trimestre")
        z.append([indice[s] for s in righe["stato"]])
        testo.append([f"<b>{b}</b><br>{d}" if d else f"<b>{b}</b>" for b, d in zip(righe["breve"], righe["dettaglio"],
                                                                                strict=True)])  # fmt: skip
    n = len(codici)
    scala = [(min(1.0, p / n), COLORE_STATO[c]) for k, c in enumerate(codici) for p in (k, k + 1)]
    fig = go.Figure(
        go.Heatmap(
            z=z, x=trimestri, y=province, colorscale=scala, zmin=-0.5, zmax=n - 0.5, showscale=False, xgap=3, ygap=3,
            customdata=testo, hovertemplate="%{y}, %{x}: %{customdata}<extra></extra>",
        )
    )  # fmt: skip
    # Text is drawn per cell: dark cells take white text, which a heatmap's single text colour cannot do.
    for i, prov in enumerate(province):
        for j, trimestre in enumerate(trimestri):
            stato = codici[z[i][j]]
            fig.add_annotation(
                x=trimestre,
                y=prov,
                text=testo[i][j],
                showarrow=False,
                font={"color": TESTO_SU_STATO.get(stato, tema.GRIGIO_TESTO), "size": tema.FONT_BASE - 4},
            )
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="", tickfont={"color": tema.GRIGIO_TESTO})
    fig.update_xaxes(side="top", showgrid=False, ticks="", tickfont={"color": tema.GRIGIO_TESTO})  # fmt: skip
    return stile(
        fig,
        titolo_invii(r, anno),
        sottotitolo="Monitoraggio trimestrale di ogni Nucleo crisi alla data dei dati: stato, data del primo invio",
        fonte=fonte,
        altezza=190 + 56 * len(province),
        margine={"t": 165},
    )


def misure(pm: pl.DataFrame, fonte: str) -> go.Figure:
    """PAL declared in each quarter, stacked by measure (the provinces that sent, added up)."""
    totale = pm.filter(pl.col("sigla") == vm.TOTALE)
    anno = int(totale["anno"][0]) if totale.height else 0
    trimestri = sorted(set(totale["trimestre"].to_list()))
    etichette = [f"T{t} {anno}" for t in trimestri]
    fig = go.Figure()
    for misura, colore in tema.COLORE_MISURA.items():
        valori = [
            int(totale.filter((pl.col("misura") == misura) & (pl.col("trimestre") == t))["lavoratori"].sum())
            for t in trimestri
        ]
        fig.add_bar(name=misura, x=etichette, y=valori, marker={"color": colore},
                    hovertemplate=f"{misura}, %{{x}}: %{{y:,d}} lavoratori<extra></extra>")  # fmt: skip
    somme = totale.group_by("trimestre").agg(pl.col("lavoratori").sum()).sort("trimestre")["lavoratori"].to_list()
    fig.add_scatter(x=etichette, y=somme, mode="text", text=[f"<b>{formatting.numero(s)}</b>" for s in somme],
                    textposition="top center", showlegend=False, hoverinfo="skip")  # fmt: skip
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_yaxes(showgrid=True, gridcolor=GRIGLIA, range=[0, (max(somme, default=0) or 1) * 1.18])
    tot = int(totale["lavoratori"].sum())
    per_misura = totale.group_by("misura").agg(pl.col("lavoratori").sum()).sort("lavoratori", descending=True)
    titolo = (
        f"PAL attivate dichiarate nel {anno}: nessuna"
        if not tot
        else (
            f"{formatting.numero(tot)} PAL dichiarate nel {anno}, "
            f"{formatting.percentuale(per_misura['lavoratori'][0] / tot)} {per_misura['misura'][0]}"
        )
    )
    return stile(fig, titolo, sottotitolo="Lavoratori con PAL attivata per trimestre e misura, dai Nuclei che hanno "
                 "inviato", fonte=fonte, asse_y="Lavoratori con PAL attivata", altezza=480)  # fmt: skip


def differenze(dp: pl.DataFrame, tolleranza: int, fonte: str) -> go.Figure:
    """Per province: PAL declared minus PAL in the microdata, over the quarters sent (diverging bars)."""
    dati = dp.sort("differenza")
    colori = [tema.DIVERGENTE[0] if d < 0 else tema.DIVERGENTE[-1] if d > 0 else tema.GRIGIO_NEUTRO
              for d in dati["differenza"]]  # fmt: skip
    testo = [f"  {formatting.differenza(d, 0)}  " for d in dati["differenza"]]
    fig = go.Figure(
        go.Bar(x=dati["differenza"].to_list(), y=dati["provincia"].to_list(), orientation="h", marker={"color": colori},
               text=testo, textposition="outside", cliponaxis=False,
               hovertemplate="%{y}: %{x:+,d} PAL dichiarate rispetto ai microdati<extra></extra>")
    )  # fmt: skip
    estremo = max(1, *(abs(d) for d in dati["differenza"].to_list()))
    fig.update_xaxes(range=[-estremo * 1.4, estremo * 1.4], zeroline=True, zerolinecolor=tema.GRIGIO_TESTO,
                     showgrid=True, gridcolor=GRIGLIA, tickformat="+,d")  # fmt: skip
    diverse = dati.filter(pl.col("differenza").abs() > tolleranza)
    titolo = (
        "PAL dichiarate: tutte le province in linea con i microdati"
        if diverse.is_empty()
        else f"PAL dichiarate: {diverse.height} {'provincia' if diverse.height == 1 else 'province'} oltre la "
        f"tolleranza rispetto ai microdati"
    )
    sottotitolo = f"PAL dichiarate meno PAL dei microdati nei trimestri inviati; tolleranza {tolleranza}"
    altezza = 140 + 36 * dati.height
    return stile(fig, titolo, sottotitolo=sottotitolo, fonte=fonte, asse_x="Differenza (lavoratori)", altezza=altezza)
