"""Events on the monthly charts: the decree and the tavoli sessions, drawn as lines with Italian labels."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl
import pytest
from sqlalchemy.engine import Engine

from dashboard.charts import eventi as grafici_eventi
from dashboard.charts import misure as grafici_misure
from dashboard.charts import step_pal as grafici_step
from dashboard.letture import misure as letture_misure
from dashboard.viste import eventi
from dashboard.viste import misure as vm
from dashboard.viste import step_pal as sp
from data_access.dominio import DECRETO_MODELLO_STEP, SIGLE
from data_access.queries import step, tavoli

FONTE = "Fonte: prova."


@pytest.fixture(scope="module")
def sedute(engine: Engine) -> pl.DataFrame:
    return tavoli.sedute(engine, (2025,), SIGLE)


def _linee(fig: go.Figure) -> list:
    return [s for s in fig.layout.shapes if s.name == grafici_eventi.NOME_EVENTO]


def _etichette(fig: go.Figure) -> list:
    return [a for a in fig.layout.annotations if a.name == grafici_eventi.NOME_EVENTO]


def test_the_events_are_the_decree_and_the_years_tavoli(sedute: pl.DataFrame, engine: Engine) -> None:
    tutti = eventi.eventi(sedute)
    assert [e for e in tutti if e.tipo == "decreto"] == [eventi.DECRETO]
    assert eventi.DECRETO.data == date(2025, 4, 10) == DECRETO_MODELLO_STEP
    assert len([e for e in tutti if e.tipo == "tavolo"]) == 25  # 4 regional and 21 bilateral sessions in 2025
    assert [e.data for e in tutti] == sorted(e.data for e in tutti)
    lecco = eventi.eventi(tavoli.sedute(engine, (2025,), ("LC",)))
    assert {e.etichetta for e in lecco if e.tipo == "tavolo"} == {"Tavolo regionale", "Tavolo bilaterale LC"}


def test_a_day_falls_inside_its_month_category() -> None:
    mesi = [(2025, m) for m in range(1, 13)]
    x = grafici_eventi.posizione(eventi.DECRETO, mesi)
    assert x is not None and 3 - 0.5 < x < 3 + 0.5  # April is the fourth category (index 3)
    assert x == pytest.approx(3 - 0.5 + 9.5 / 30)
    assert grafici_eventi.posizione(eventi.DECRETO, [(2024, m) for m in range(1, 13)]) is None


def test_monthly_cohorts_chart_marks_decree_and_tavoli(engine: Engine, sedute: pl.DataFrame) -> None:
    mensili = sp.mensili(step.coorti_mensili(engine, 2025, SIGLE, date(2026, 1, 15)))
    mesi = list(mensili.select("anno_presa", "mese_presa").iter_rows())
    fatti = eventi.eventi(sedute)
    fig = grafici_step.mensili(mensili, FONTE, fatti)
    attesi = [e for e in fatti if (e.data.year, e.data.month) in mesi]
    linee = _linee(fig)
    assert [round(s.x0, 6) for s in linee] == [round(grafici_eventi.posizione(e, mesi), 6) for e in attesi]
    decreto = next(s for s in linee if s.line.dash == "dash")
    assert decreto.x0 == pytest.approx(grafici_eventi.posizione(eventi.DECRETO, mesi))
    # The labels are legend entries (never over a bar, a value, each other or the title), in Italian.
    assert _etichette(fig) == []
    tavoli_nel_grafico = len([e for e in attesi if e.tipo == "tavolo"])
    assert tavoli_nel_grafico > 0
    voci = [t.name for t in fig.data if t.x == (None,)]
    assert voci == ["Decreto 5151 (10/04/2025)", f"Sedute dei tavoli ({tavoli_nel_grafico})"]


def test_monthly_measures_chart_marks_the_events(engine: Engine, sedute: pl.DataFrame) -> None:
    mesi = vm.mesi(letture_misure.quadro(engine, 2025, SIGLE))
    fig = grafici_misure.mesi(mesi, FONTE, 2025, eventi.eventi(sedute))
    assert len(_linee(fig)) == 26  # the decree and the 25 sessions of 2025
    assert [t.name for t in fig.data if t.x == (None,)] == ["Decreto 5151 (10/04/2025)", "Sedute dei tavoli (25)"]
    # Another year: none of the 2025 events falls in its months.
    altro = grafici_misure.mesi(mesi, FONTE, 2024, eventi.eventi(sedute))
    assert _linee(altro) == [] and [t.name for t in altro.data if t.x == (None,)] == []


def test_no_events_no_marks(engine: Engine) -> None:
    mensili = sp.mensili(step.coorti_mensili(engine, 2025, SIGLE, date(2026, 1, 15)))
    fig = grafici_step.mensili(mensili, FONTE)
    assert _linee(fig) == [] and _etichette(fig) == []
