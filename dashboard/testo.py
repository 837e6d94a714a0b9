"""Text is text: the one way a value from a link, an extract or the database reaches a page, a chart or a file.

Streamlit renders titles, captions, notices and help as Markdown, `st.html` and plotly labels as HTML, and a
PowerPoint refuses control characters: every such value goes through one of these functions first.
"""

from __future__ import annotations

import html
import re

import polars as pl

from data_access.testo import INVISIBILI  # re-exported: the pages and exports strip the same characters

_INVISIBILI = re.compile(f"[{INVISIBILI}]")
_SPAZI = re.compile(r"[\t\n\r\u2028\u2029]+")
# Every ASCII punctuation mark can be escaped in CommonMark; Streamlit adds :shortcodes:, :colour[...] and $maths$.
_PUNTEGGIATURA_MD = r"""([\\`*_{}\[\]()<>#+\-.!|~$:&="@])"""
MASSIMO_PREDEFINITO: int | None = None  # values from the database are bounded by the loader
PUNTINI = "…"


def pulito(valore: object, massimo: int | None = MASSIMO_PREDEFINITO) -> str:
    """The value as one line of plain text: invisible characters removed, line breaks as spaces, length capped."""
    testo = "" if valore is None else str(valore)
    testo = _SPAZI.sub(" ", _INVISIBILI.sub("", testo)).strip()
    if massimo is not None and len(testo) > massimo:
        testo = testo[: massimo - 1].rstrip() + PUNTINI
    return testo


def senza_invisibili(valore: object) -> str:
    """The value with invisible and control characters removed, line breaks kept (PowerPoint text, notes)."""
    return _INVISIBILI.sub("", "" if valore is None else str(valore))


def md(valore: object, massimo: int | None = MASSIMO_PREDEFINITO) -> str:
    """The value for a Markdown context (st.markdown, titles, captions, notices, help): shown as typed."""
    return re.sub(_PUNTEGGIATURA_MD, r"\\\1", pulito(valore, massimo))


def html_(valore: object, massimo: int | None = MASSIMO_PREDEFINITO) -> str:
    """The value for an HTML context (st.html, the brief, plotly labels and hovers): shown as typed."""
    return html.escape(pulito(valore, massimo), quote=True)


def md_expr(colonna: str | pl.Expr, massimo: int | None = MASSIMO_PREDEFINITO) -> pl.Expr:
    """md() as a native polars expression, for text columns of a table rendered as Markdown (st.table)."""
    return _pulito_expr(colonna, massimo).str.replace_all(_PUNTEGGIATURA_MD, r"\${1}")


def html_expr(colonna: str | pl.Expr, massimo: int | None = MASSIMO_PREDEFINITO) -> pl.Expr:
    """html_() as a native polars expression, for text columns that feed plotly labels."""
    espressione = _pulito_expr(colonna, massimo)
    for carattere, entita in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;")):
        espressione = espressione.str.replace_all(carattere, entita, literal=True)
    return espressione


def _pulito_expr(colonna: str | pl.Expr, massimo: int | None) -> pl.Expr:
    espressione = pl.col(colonna) if isinstance(colonna, str) else colonna
    testo = espressione.str.replace_all(f"[{INVISIBILI}]", "").str.replace_all(_SPAZI.pattern, " ").str.strip_chars()
    if massimo is None:
        return testo
    return (
        pl.when(testo.str.len_chars() > massimo)
        .then(testo.str.slice(0, massimo - 1).str.strip_chars_end() + PUNTINI)
        .otherwise(testo)
    )
