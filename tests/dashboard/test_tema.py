"""The palette reaches WCAG 2.1 AA: every text pair 4.5:1, every meaningful chart mark and the focus ring 3:1."""

from __future__ import annotations

import itertools

import pytest

from dashboard import tema
from data_access.dominio import STEPS


@pytest.mark.parametrize(
    ("primo", "secondo", "atteso"),
    [
        ("#FFFFFF", "#000000", 21.0),
        ("#767977", "#FFFFFF", 4.4),
        ("#1B1F1C", "#D55E00", 4.31),
        ("#56B4E9", "white", 2.31),
    ],
)
def test_contrast_ratio_matches_the_wcag_formula(primo: str, secondo: str, atteso: float) -> None:
    assert tema.contrasto(primo, secondo) == pytest.approx(atteso, abs=0.01)


@pytest.mark.parametrize("nome", sorted(tema.COPPIE_TESTO))
def test_every_text_pair_reaches_4_5_to_1(nome: str) -> None:
    testo, sfondo = tema.COPPIE_TESTO[nome]
    assert tema.contrasto(testo, sfondo) >= 4.5, f"{nome}: {testo} on {sfondo}"


@pytest.mark.parametrize("nome", sorted(tema.COPPIE_SEGNI))
def test_every_chart_mark_and_the_focus_ring_reach_3_to_1(nome: str) -> None:
    segno, sfondo = tema.COPPIE_SEGNI[nome]
    assert tema.contrasto(segno, sfondo) >= 3.0, f"{nome}: {segno} on {sfondo}"


def test_the_pairs_cover_every_step_and_traffic_light_colour() -> None:
    sfondi = {sfondo for _, sfondo in tema.COPPIE_TESTO.values()}
    assert set(tema.COLORE_STEP.values()) <= sfondi
    assert set(tema.COLORE_SEMAFORO.values()) <= sfondi


def test_the_chart_style_writes_ticks_in_the_text_colour() -> None:
    import plotly.graph_objects as go

    from dashboard.charts import stile

    fig = stile(go.Figure(go.Bar(x=["a"], y=[1])), "Titolo")
    assert fig.layout.xaxis.tickfont.color == tema.GRIGIO_TESTO
    assert fig.layout.yaxis.tickfont.color == tema.GRIGIO_TESTO


GRUPPI = {
    "tipi di procedura": tema.COLORE_TIPO,
    "step": tema.COLORE_STEP,
    "misure": tema.COLORE_MISURA,
    "semaforo": tema.COLORE_SEMAFORO,
    "anni": {"precedente": tema.COLORE_ANNO_PRECEDENTE, "corrente": tema.COLORE_ANNO_CORRENTE},
}


@pytest.mark.parametrize("gruppo", sorted(GRUPPI))
def test_every_chart_mark_colour_is_among_the_checked_pairs(gruppo: str) -> None:
    segni = {segno for segno, sfondo in tema.COPPIE_SEGNI.values() if sfondo == tema.SFONDO}
    assert set(GRUPPI[gruppo].values()) <= segni


@pytest.mark.parametrize("gruppo", sorted(GRUPPI))
def test_one_colour_per_concept_within_a_chart(gruppo: str) -> None:
    colori = list(GRUPPI[gruppo].values())
    assert len(set(colori)) == len(colori), colori


def test_the_steps_darken_towards_step_4() -> None:
    luminanze = [tema.luminanza(tema.COLORE_STEP[s.codice]) for s in STEPS]
    assert luminanze == sorted(luminanze, reverse=True)
    # Neighbouring steps differ in lightness too, not only in hue (colour-blind reading).
    rapporti = [(a + 0.05) / (b + 0.05) for a, b in itertools.pairwise(luminanze)]
    assert all(r >= 1.3 for r in rapporti), rapporti


@pytest.mark.parametrize("codice", sorted(tema.COLORE_STEP))
def test_the_label_on_a_step_is_the_readable_one(codice: str) -> None:
    assert tema.TESTO_SU_STEP[codice] == tema.testo_su(tema.COLORE_STEP[codice])
    assert tema.contrasto(tema.TESTO_SU_STEP[codice], tema.COLORE_STEP[codice]) >= 4.5
