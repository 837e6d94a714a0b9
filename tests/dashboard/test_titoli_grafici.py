"""A chart's title and subtitle drawn as page text: Plotly's own tags become plain text, the data's text stays text."""

from __future__ import annotations

import pytest

from dashboard.components import titolo_grafico_html


@pytest.mark.parametrize(
    ("sottotitolo", "atteso"),
    [
        (
            'tra parentesi i lavoratori · <span style="color:#D55E00"><b>▼ sotto il dato complessivo</b></span>',
            "tra parentesi i lavoratori · ▼ sotto il dato complessivo",
        ),
        ("Lavoratori<br>per provincia", "Lavoratori per provincia"),
        ("<i>stima</i> e <sup>1</sup>", "stima e 1"),
        ("celle con <3 lavoratori", "celle con &lt;3 lavoratori"),  # a privacy label, not a tag
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ],
)
def test_subtitle_reads_as_plain_text(sottotitolo: str, atteso: str) -> None:
    html = titolo_grafico_html("Titolo", sottotitolo)
    assert f'<p class="sottotitolo-grafico">{atteso}</p>' in html
