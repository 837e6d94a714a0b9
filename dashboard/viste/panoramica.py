"""Shaping of query results into the tables pages show and export (pure polars, no Streamlit)."""

from __future__ import annotations

import polars as pl

INDICATORI = (
    ("lavoratori", "Lavoratori coinvolti"),
    ("unita", "Unità produttive coinvolte"),
    ("procedure", "Procedure"),
    ("coorte_step", "Lavoratori nel modello a step"),
    ("step4", "Lavoratori con PAL attivata (STEP 4)"),
    ("tavoli_regionali", "Tavoli regionali"),
    ("tavoli_bilaterali", "Tavoli bilaterali"),
)


def indicatori_per_anno(ind: pl.DataFrame) -> pl.DataFrame:
    """One row per indicator, one column per year, plus the STEP 4 share in percent."""
    anni = ind["anno"].to_list()
    righe: list[dict[str, object]] = []
    for chiave, etichetta in INDICATORI:
        righe.append({"Indicatore": etichetta, **{str(a): float(v) for a, v in zip(anni, ind[chiave], strict=True)}})
    quote = {
        str(a): (round(s * 100 / c, 1) if c else None)
        for a, s, c in zip(anni, ind["step4"], ind["coorte_step"], strict=True)
    }
    righe.append({"Indicatore": "Quota con PAL attivata (%)", **quote})
    schema = {"Indicatore": pl.String, **{str(a): pl.Float64 for a in anni}}
    return pl.DataFrame(righe, schema=schema)
