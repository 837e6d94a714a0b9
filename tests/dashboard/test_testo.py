"""dashboard.testo: one way to show a value, the same in Python and in polars expressions."""

from __future__ import annotations

import polars as pl
import pytest

from dashboard import testo

CASI = [
    ("[qui](https://evil.example)", r"\[qui\]\(https\://evil\.example\)", "[qui](https://evil.example)"),
    ("![x](p.png)", r"\!\[x\]\(p\.png\)", "![x](p.png)"),
    ("<img src=x>", r"\<img src\=x\>", "&lt;img src=x&gt;"),
    ("\u202egpj.exe\u200b\x07", r"gpj\.exe", "gpj.exe"),
    (":red[rosso] $x$", r"\:red\[rosso\] \$x\$", ":red[rosso] $x$"),
    ("due\nrighe\t", "due righe", "due righe"),
    ("Rossi & C. S.p.A.", r"Rossi \& C\. S\.p\.A\.", "Rossi &amp; C. S.p.A."),
    ("\\", "\\\\", "\\"),
]


@pytest.mark.parametrize(("valore", "markdown", "html"), CASI)
def test_markdown_and_html(valore: str, markdown: str, html: str) -> None:
    assert testo.md(valore) == markdown
    assert testo.html_(valore) == html
    colonna = pl.DataFrame({"v": [valore]})
    assert colonna.select(testo.md_expr("v")).item() == markdown
    assert colonna.select(testo.html_expr("v")).item() == html.replace("'", "&#x27;")


def test_long_values_are_capped_only_when_asked() -> None:
    assert testo.md("x" * 500) == "x" * 500
    assert testo.md("x" * 500, 40) == "x" * 39 + "…"
    assert pl.DataFrame({"v": ["x" * 50]}).select(testo.md_expr("v", 40)).item() == "x" * 39 + "…"


def test_none_and_numbers() -> None:
    assert testo.md(None) == ""
    assert testo.html_(4377) == "4377"
    assert testo.senza_invisibili("a\u202eb\n\nc") == "ab\n\nc"
