"""Statistical disclosure control: small counts of workers shown as "<3", with secondary suppression."""

from __future__ import annotations

import os
from collections.abc import Sequence

import polars as pl

ENV_SOGLIA = "CRUSCOTTO_SOGLIA_PRIVACY"
SOGLIA_PREDEFINITA = 3  # SISTAN minimum frequency for counts about people


def soglia() -> int:
    """The suppression threshold: CRUSCOTTO_SOGLIA_PRIVACY, default 3."""
    try:
        return max(1, int(os.environ.get(ENV_SOGLIA, SOGLIA_PREDEFINITA)))
    except ValueError:
        return SOGLIA_PREDEFINITA


def etichetta(threshold: int | None = None) -> str:
    """How a suppressed cell reads: '<3'."""
    return f"<{threshold or soglia()}"


def maschera(
    df: pl.DataFrame, valore: str, righe: str | None, colonne: str | None, threshold: int | None = None
) -> pl.Series:
    """Which cells to hide in a table whose row and column totals are shown.

    Primary: 0 < count < threshold. Secondary: any row or column left with exactly one hidden cell gets its
    smallest other cell hidden too, so that no hidden value follows from a total by subtraction.
    """
    t = threshold or soglia()
    values = df[valore].to_list()
    hidden = [v is not None and 0 < v < t for v in values]
    groups: list[list[int]] = []
    for dim in (righe, colonne):
        if dim is None:
            continue
        keys = df[dim].to_list()
        by_key: dict[object, list[int]] = {}
        for i, k in enumerate(keys):
            by_key.setdefault(k, []).append(i)
        groups += list(by_key.values())
    if righe is None and colonne is None:
        groups.append(list(range(len(values))))
    changed = True
    while changed:
        changed = False
        for idx in groups:
            if sum(hidden[i] for i in idx) != 1:
                continue
            candidates = [i for i in idx if not hidden[i]]
            if not candidates:
                continue
            # Prefer the smallest non-zero cell: hiding a zero protects nothing when zeros are known structurally.
            pick = min(candidates, key=lambda i: (values[i] == 0, values[i] or 0, i))
            hidden[pick] = True
            changed = True
    return pl.Series(f"{valore}_soppresso", hidden, dtype=pl.Boolean)


def applica(
    df: pl.DataFrame, colonne_valore: Sequence[str], nascosti: pl.Series, threshold: int | None = None
) -> pl.DataFrame:
    """Replace hidden cells with '<3' (the value columns become text)."""
    label = etichetta(threshold)
    return df.with_columns(
        pl.when(nascosti).then(pl.lit(label)).otherwise(pl.col(c).cast(pl.String)).alias(c) for c in colonne_valore
    )


def sopprimi(
    df: pl.DataFrame, valore: str, righe: str | None, colonne: str | None = None, threshold: int | None = None
) -> pl.DataFrame:
    """The table with small counts and their secondary cells shown as '<3'."""
    return applica(df, [valore], maschera(df, valore, righe, colonne, threshold), threshold)
