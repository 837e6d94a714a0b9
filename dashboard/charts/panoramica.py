"""Charts of the home page."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard import formatting, tema
from dashboard.charts import stile
from data_access.dominio import TIPO


def lavoratori_per_tipo(celle: pl.DataFrame, anno: int, fonte: str, *, con_precedente: bool = True) -> go.Figure:
    """Workers by procedure type, the selected year beside the previous one when it has data (paired bars)."""
    per_tipo = celle.group_by("anno", "tipo").agg(pl.col("lavoratori").sum())
    ordine = [t for t in TIPO if t in per_tipo["tipo"].to_list()]
    fig = go.Figure()
    totali = {a: int(per_tipo.filter(pl.col("anno") == a)["lavoratori"].sum()) for a in (anno - 1, anno)}
    for a in (anno - 1, anno) if con_precedente else (anno,):
        dati = {r["tipo"]: r["lavoratori"] for r in per_tipo.filter(pl.col("anno") == a).iter_rows(named=True)}
        valori = [dati.get(t, 0) for t in ordine]
        fig.add_bar(
            name=str(a),
            x=[TIPO[t].etichetta for t in ordine],
            y=valori,
            marker_color=tema.colore_anno(a, anno),
            text=[formatting.numero(v) for v in valori],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"{a} · %{{x}}: %{{text}} lavoratori<extra></extra>",
        )
    confronto = (
        f"{formatting.variazione(totali[anno], totali[anno - 1])} sul {anno - 1}"
        if con_precedente
        else f"nessun dato per il {anno - 1}"
    )
    titolo = f"Lavoratori coinvolti: {formatting.numero(totali[anno])} nel {anno}, {confronto}"
    fig.update_layout(barmode="group", bargap=0.25)
    return stile(fig, titolo, fonte=fonte, asse_y="Lavoratori coinvolti", altezza=480)
