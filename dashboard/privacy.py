"""Statistical disclosure control: small counts of workers shown as "<3", with secondary suppression.

The rule (docs/privacy.md): in any breakdown finer than province x procedure type, a count of workers between 1 and
the threshold minus one is shown as "<3" (primary suppression). Then, in every row and column whose total is shown
or published, more cells are hidden until the hidden cells cannot be worked out from the total: at least two hidden
cells, adding up to at least the threshold (secondary suppression). A hidden cell whose value is below the threshold
(a zero picked as secondary) also reads "<3"; a hidden cell at or above it reads "riservato", which claims no value.
The province-level official tables are public and never suppressed.

One convention for a hidden cell in the shaped tables: the count is null and the column `<count>_soppresso`
(`marcatore`) holds how it reads; `nascondi` applies a mask that way, and shares derived from a hidden count are
hidden with it. Text for files and screens comes from there (`formatting.tabella` writes the label).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence

import polars as pl

log = logging.getLogger(__name__)

ENV_SOGLIA = "CRUSCOTTO_SOGLIA_PRIVACY"
SOGLIA_PREDEFINITA = 3  # SISTAN minimum frequency for counts about people
ETICHETTA_SECONDARIA = "riservato"
# The hidden-cell convention of the shaped tables: a hidden count is null, and `<column>_soppresso` says how it reads.
SOPPRESSO = "_soppresso"
_ETICHETTA = re.compile(r"<\d+")
_INTERO = re.compile(r"0|[1-9]\d*")

Dimensione = str | Sequence[str] | None


def soglia() -> int:
    """The suppression threshold: CRUSCOTTO_SOGLIA_PRIVACY, default 3 (a bad value falls back with a log line)."""
    raw = os.environ.get(ENV_SOGLIA)
    if raw is None or not raw.strip():
        return SOGLIA_PREDEFINITA
    try:
        value = int(raw)
    except ValueError:
        log.warning("%s=%r is not an integer: using %d", ENV_SOGLIA, raw, SOGLIA_PREDEFINITA)
        return SOGLIA_PREDEFINITA
    if value < 1:
        log.warning("%s=%r is below 1: using 1 (no suppression)", ENV_SOGLIA, raw)
    return max(1, value)


def etichetta(threshold: int | None = None) -> str:
    """How a suppressed small cell reads: '<3'."""
    return f"<{threshold or soglia()}"


def _colonne(dim: Dimensione) -> list[str]:
    if dim is None:
        return []
    return [dim] if isinstance(dim, str) else list(dim)


def _gruppi(df: pl.DataFrame, dims: Sequence[Dimensione]) -> list[list[int]]:
    """Row indexes of each line of the table (one group per distinct key of each dimension)."""
    gruppi: list[list[int]] = []
    for dim in dims:
        cols = _colonne(dim)
        if not cols:
            continue
        by_key: dict[tuple[object, ...], list[int]] = {}
        for i, key in enumerate(df.select(cols).iter_rows()):
            by_key.setdefault(key, []).append(i)
        gruppi += list(by_key.values())
    return gruppi


def _scoperta(nascosti: list[int], t: int) -> bool:
    """True when the hidden cells of a line could be worked out from its total.

    Someone who knows the total knows their sum S, and from the labels that a '<3' cell lies in [0, t-1] and a
    'riservato' cell in [t, S]. The line is safe with at least two hidden cells, a sum of at least t (the hidden
    group is not itself a small count) and no cell whose range, given the others, shrinks to a single value.
    """
    if not nascosti:
        return False
    s = sum(nascosti)
    if len(nascosti) < 2 or s < t:
        return True
    lo = [0 if v < t else t for v in nascosti]
    hi = [t - 1 if v < t else s for v in nascosti]
    sum_lo, sum_hi = sum(lo), sum(hi)
    for i in range(len(nascosti)):
        low = max(lo[i], s - (sum_hi - hi[i]))
        high = min(hi[i], s - (sum_lo - lo[i]))
        if low >= high:
            return True
    return False


def intervalli(values: Sequence[int | None], hidden: Sequence[bool], groups: Sequence[Sequence[int]], t: int):
    """What an outsider can infer about each hidden cell: [low, high] from the labels and every line's total.

    Starts from the labels ('<3' in [0, t-1], 'riservato' in [t, line total]) and tightens each cell against each
    line until nothing changes (interval constraint propagation across rows and columns).
    """
    lo = {i: (0 if values[i] < t else t) for i, h in enumerate(hidden) if h}
    hi = {i: (t - 1 if values[i] < t else sum(values[j] or 0 for j in range(len(values)))) for i in lo}
    linee = [([i for i in idx if hidden[i]], sum(values[i] for i in idx if hidden[i])) for idx in groups]
    changed = True
    while changed:
        changed = False
        for nascosti, s in linee:
            if not nascosti:
                continue
            sum_lo = sum(lo[i] for i in nascosti)
            sum_hi = sum(hi[i] for i in nascosti)
            for i in nascosti:
                low = max(lo[i], s - (sum_hi - hi[i]))
                high = min(hi[i], s - (sum_lo - lo[i]))
                if (low, high) != (lo[i], hi[i]):
                    sum_lo += low - lo[i]
                    sum_hi += high - hi[i]
                    lo[i], hi[i] = low, high
                    changed = True
    return {i: (lo[i], hi[i]) for i in lo}


def maschera(
    df: pl.DataFrame,
    valore: str,
    righe: Dimensione,
    colonne: Dimensione,
    threshold: int | None = None,
    forzati: pl.Series | None = None,
) -> pl.Series:
    """Which cells to hide in a table (one row per cell) whose row and column totals are shown.

    `righe` and `colonne` name the column(s) that identify a table row and a table column; each distinct key is a
    line with a total. With both None the whole table is one line with one total. `forzati` marks cells hidden
    anyway (another table hides what they add up to): they start hidden with their real value, so they protect
    their lines as much as they can and call for no more cells than the rule needs.
    """
    t = threshold or soglia()
    values = df[valore].to_list()
    hidden = [v is not None and 0 < v < t for v in values]
    if forzati is not None:
        hidden = [h or bool(f) for h, f in zip(hidden, forzati.to_list(), strict=True)]
    groups = _gruppi(df, (righe, colonne)) if (righe or colonne) else [list(range(len(values)))]

    def nascondi_in(idx: Sequence[int]) -> bool:
        candidates = [i for i in idx if not hidden[i] and values[i] is not None]
        if not candidates:
            return False
        # The smallest non-zero cell loses least information; a zero only when nothing else is left.
        hidden[min(candidates, key=lambda i: (values[i] == 0, values[i], i))] = True
        return True

    changed = True
    while changed:
        changed = False
        # Each line on its own: at least two hidden cells, adding up to at least t, none pinned by the total.
        for idx in groups:
            while _scoperta([values[i] for i in idx if hidden[i]], t) and nascondi_in(idx):
                changed = True
        if changed:
            continue
        # Lines together: a row can pin a cell that a column needed (e.g. a hidden zero in an all-zero row).
        esposte = [
            i for i, (low, high) in intervalli(values, hidden, groups, t).items() if low == high and 0 < values[i] < t
        ]
        for i in esposte:
            if any(nascondi_in(idx) for idx in groups if i in idx):
                changed = True
                break
    return pl.Series(f"{valore}_soppresso", hidden, dtype=pl.Boolean)


def primaria(df: pl.DataFrame, valore: str, threshold: int | None = None) -> pl.Series:
    """Primary suppression only, for lists that show no totals (e.g. one row per case)."""
    t = threshold or soglia()
    return pl.Series(f"{valore}_soppresso", [v is not None and 0 < v < t for v in df[valore]], dtype=pl.Boolean)


def applica(
    df: pl.DataFrame, colonne_valore: Sequence[str], nascosti: pl.Series, threshold: int | None = None
) -> pl.DataFrame:
    """Replace hidden cells with '<3' (value below the threshold) or 'riservato'; the value columns become text."""
    t = threshold or soglia()
    return df.with_columns(
        pl.when(~nascosti)
        .then(pl.col(c).cast(pl.String))
        .when(pl.col(c) < t)
        .then(pl.lit(etichetta(t)))
        .otherwise(pl.lit(ETICHETTA_SECONDARIA))
        .alias(c)
        for c in colonne_valore
    )


def marcatore(colonna: str) -> str:
    """Name of the column saying how a hidden cell of `colonna` reads."""
    return colonna + SOPPRESSO


def nascondi(
    df: pl.DataFrame, colonna: str, nascosti: pl.Series, derivate: Sequence[str] = (), threshold: int | None = None
) -> pl.DataFrame:
    """Null the hidden counts of `colonna`, keep their label, and hide the columns derived from them."""
    testo = applica(df.select(colonna), [colonna], nascosti, threshold).get_column(colonna)
    etichette = pl.Series(
        marcatore(colonna), [t if h else None for t, h in zip(testo, nascosti, strict=True)], dtype=pl.String
    )
    out = df.with_columns(pl.when(nascosti).then(None).otherwise(pl.col(colonna)).alias(colonna), etichette)
    for d in derivate:
        out = nascondi_derivata(out, d, colonna)
    return out


def leggibile(df: pl.DataFrame, colonna: str, valore: pl.Expr | None = None) -> pl.Expr:
    """The value of `colonna` (or `valore` derived from it), or its label where hidden: text only if any is hidden."""
    valore = pl.col(colonna) if valore is None else valore
    m = marcatore(colonna)
    if m not in df.columns or not df[m].is_not_null().any():
        return valore
    return pl.coalesce(pl.col(m), valore.cast(pl.String)).alias(colonna)


def nascondi_derivata(df: pl.DataFrame, derivata: str, *sorgenti: str) -> pl.DataFrame:
    """Hide a share or median wherever one of the counts it comes from is hidden."""
    etichetta = pl.coalesce(*(pl.col(marcatore(s)) for s in sorgenti))
    if marcatore(derivata) in df.columns:
        etichetta = pl.coalesce(pl.col(marcatore(derivata)), etichetta)
    return df.with_columns(
        pl.when(etichetta.is_not_null()).then(None).otherwise(pl.col(derivata)).alias(derivata),
        etichetta.alias(marcatore(derivata)),
    )


def e_soppressa(testo: object) -> bool:
    """True for the text of a hidden cell ('<3', '<5', 'riservato')."""
    return isinstance(testo, str) and (testo == ETICHETTA_SECONDARIA or _ETICHETTA.fullmatch(testo) is not None)


def conteggi_soppressi(serie: pl.Series) -> bool:
    """True for a text column of counts with hidden cells: whole numbers and suppression labels only."""
    if serie.dtype != pl.String:
        return False
    valori = serie.drop_nulls().to_list()
    return any(e_soppressa(v) for v in valori) and all(e_soppressa(v) or _INTERO.fullmatch(v) for v in valori)


def contiene_soppressioni(df: pl.DataFrame) -> bool:
    """True when a table has hidden cells (the export then states the rule)."""
    return any(conteggi_soppressi(df[c]) for c in df.columns)


def nota(threshold: int | None = None) -> str:
    """The rule in one sentence, for exported files and captions."""
    t = threshold or soglia()
    return (
        f"Per riservatezza i conteggi di lavoratori inferiori a {t} sono indicati «{etichetta(t)}»; le celle "
        f"«{ETICHETTA_SECONDARIA}» sono nascoste perché dai totali non si possano ricavare (frequenza minima SISTAN)."
    )
