"""The shared chart look: the source line sits in the figure's corner whatever the labels, in every chart."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import plotly.graph_objects as go
import polars as pl
import pytest
from sqlalchemy.engine import Engine

from dashboard import tema
from dashboard.charts import NOME_FONTE, PROIETTORE_PX, per_proiettore, senza_titolo, stile
from dashboard.charts import casi as grafici_casi
from dashboard.charts import confronto as grafici_confronto
from dashboard.charts import step_pal as grafici_step
from dashboard.charts.panoramica import lavoratori_per_tipo
from dashboard.letture import casi as letture_casi
from dashboard.viste import casi
from dashboard.viste import confronto as cf
from dashboard.viste import step_pal as sp
from data_access.dominio import CODICI_TIPO, SIGLE
from data_access.queries import casi as q_casi
from data_access.queries import procedure
from data_access.queries import step as q_step

AL = date(2026, 1, 15)
FONTE = "Fonte: Regione Lombardia, DG Istruzione, Formazione, Lavoro. Dati al 15/01/2026 — dati dimostrativi."


def _fonte(fig: go.Figure) -> go.layout.Annotation:
    (annotazione,) = [a for a in fig.layout.annotations if a.name == NOME_FONTE]
    return annotazione


def _barre(etichette: list[str], **kwargs: object) -> go.Figure:
    fig = go.Figure(go.Bar(x=[1] * len(etichette), y=etichette, orientation="h"))
    return stile(fig, "Titolo", fonte=FONTE, asse_x="Lavoratori", **kwargs)


def test_source_line_does_not_depend_on_the_category_labels() -> None:
    corte, lunghe = _barre(["MI", "BG"]), _barre(["Monza e della Brianza (672)", "Centro Formazione Mapelli (CO)"])
    assert _fonte(corte).to_plotly_json() == _fonte(lunghe).to_plotly_json()
    fonte = _fonte(corte)
    # Right-aligned on the plot area's right edge, then moved by the right margin: the figure's edge.
    assert (fonte.xref, fonte.x, fonte.xanchor, fonte.align) == ("paper", 1, "right", "right")
    assert fonte.xshift == corte.layout.margin.r - 8
    assert (fonte.yref, fonte.y, fonte.yanchor) == ("paper", 0, "bottom")
    assert fonte.yshift == -(corte.layout.margin.b - 8)
    assert fonte.text == FONTE and fonte.font.size == tema.FONT_BASE - 4


def test_margins_given_to_the_style_move_the_source_with_them() -> None:
    fig = _barre(["MI"], margine={"r": 170, "b": 130})
    assert fig.layout.margin.r == 170 and fig.layout.margin.b == 130
    assert _fonte(fig).xshift == 162 and _fonte(fig).yshift == -122


def test_room_under_the_plot_follows_what_the_x_axis_draws() -> None:
    con_titolo = _barre(["MI"]).layout.margin.b
    senza_titolo = stile(go.Figure(go.Bar(x=["a"], y=[1])), "T", fonte=FONTE).layout.margin.b
    nascosto = go.Figure(go.Bar(x=[1], y=["a"], orientation="h")).update_xaxes(visible=False)
    senza_asse = stile(nascosto, "T", fonte=FONTE).layout.margin.b
    in_alto = go.Figure(go.Heatmap(z=[[1]])).update_xaxes(side="top")
    assert con_titolo > senza_titolo > senza_asse == stile(in_alto, "T", fonte=FONTE).layout.margin.b
    a_capo = go.Figure(go.Bar(x=["gen 2025"], y=[1])).update_xaxes(tickvals=["gen 2025"], ticktext=["gen<br>2025"])
    assert stile(a_capo, "T", fonte=FONTE).layout.margin.b > senza_titolo


def test_source_on_two_lines_for_a_column_chart() -> None:
    una, due = _barre(["MI"]), _barre(["MI"], fonte_a_capo=True)
    assert _fonte(due).text == FONTE.replace(" Dati al ", "<br>Dati al ")
    assert due.layout.margin.b == una.layout.margin.b + 20
    assert stile(go.Figure(), "Senza fonte").layout.annotations == ()


@pytest.fixture(scope="module")
def grafici(engine: Engine) -> dict[str, Callable[[], go.Figure]]:
    """Every chart builder of the Confronto, Step PAL, Casi and Panoramica pages, on the demo data."""
    anni = (2024, 2025)
    celle = procedure.per_provincia(engine, anni, CODICI_TIPO, SIGLE)
    prov = cf.per_provincia(celle, "lavoratori", anni, SIGLE)
    percorsi = q_step.percorsi(engine, 2025, SIGLE)
    coorte = sp.coorte(percorsi)
    province = sp.province(percorsi, "Lombardia")
    mensili = q_step.coorti_mensili(engine, 2025, SIGLE, AL)
    elenco = letture_casi.elenco(engine, AL)
    caso = elenco.filter(pl.col("codice") == "AC-2025-02").row(0, named=True)
    progressione = casi.progressione_cumulata(q_casi.progressione_step(engine, "AC-2025-02"), AL)
    procedure_caso, tavoli_caso = (
        q_casi.procedure_caso(engine, "AC-2025-02"),
        q_casi.tavoli_caso(engine, "AC-2025-02", AL),
    )
    return {
        "confronto.province_anni": lambda: grafici_confronto.province_anni(prov, "lavoratori", anni, FONTE),
        "confronto.variazioni": lambda: grafici_confronto.variazioni(prov, "lavoratori", anni, FONTE),
        "confronto.composizione": lambda: grafici_confronto.composizione(
            cf.composizione(celle, "lavoratori", SIGLE), "lavoratori", anni, FONTE
        ),
        "step.funnel": lambda: grafici_step.funnel(sp.funnel(percorsi), coorte, FONTE),
        "step.stato_attuale": lambda: grafici_step.stato_attuale(sp.stato_attuale(percorsi), coorte, FONTE, 2025),
        "step.province": lambda: grafici_step.province(province, FONTE),
        "step.tempi": lambda: grafici_step.tempi(
            sp.tempi(q_step.mediane(engine, 2025, SIGLE), mensili, "Lombardia"), FONTE
        ),
        "step.mensili": lambda: grafici_step.mensili(sp.mensili(mensili), FONTE),
        "step.misure": lambda: grafici_step.misure(sp.misure(q_step.misure(engine, 2025, SIGLE), False), FONTE),
        "step.operatori": lambda: grafici_step.operatori(
            sp.operatori(q_step.operatori(engine, 2025, SIGLE), province), FONTE
        ),
        "casi.cronologia": lambda: grafici_casi.cronologia(procedure_caso, tavoli_caso, progressione, caso, AL, FONTE),
        "casi.funnel": lambda: grafici_casi.funnel(casi.funnel_caso(q_casi.step_per_caso(engine, "AC-2025-02")), FONTE),
        "panoramica.lavoratori_per_tipo": lambda: lavoratori_per_tipo(celle, 2025, FONTE),
    }


@pytest.mark.parametrize(
    "nome",
    [
        "confronto.province_anni", "confronto.variazioni", "confronto.composizione", "step.funnel",
        "step.stato_attuale", "step.province", "step.tempi", "step.mensili", "step.misure", "step.operatori",
        "casi.cronologia", "casi.funnel", "panoramica.lavoratori_per_tipo",
    ],
)  # fmt: skip
def test_every_chart_puts_its_source_in_the_corner(grafici: dict[str, Callable[[], go.Figure]], nome: str) -> None:
    """No builder moves a margin after the style placed the source, nor nudges the source itself."""
    fig = grafici[nome]()
    fonte = _fonte(fig)
    assert fonte.text.replace("<br>", " ") == FONTE
    assert fonte.xshift == fig.layout.margin.r - 8, nome
    assert fonte.yshift == -(fig.layout.margin.b - 8), nome
    # Room for the source under whatever the x axis draws: at least one line of it above the bottom edge.
    assert fig.layout.margin.b >= 20 * (1 + fonte.text.count("<br>")) + 8 + 14


def test_comparison_title_of_one_province_reads_right(engine: Engine) -> None:
    anni = (2024, 2025)
    celle = procedure.per_provincia(engine, anni, CODICI_TIPO, ("LC",))
    prov = cf.per_provincia(celle, "lavoratori", anni, ("LC",))
    titolo = grafici_confronto.province_anni(prov, "lavoratori", anni, FONTE).layout.title.text
    assert "1 province su 1" not in titolo
    assert titolo == "Lavoratori coinvolti, provincia di Lecco: 375 nel 2025, in aumento sul 2024"


def _larghezza_stimata(testo: str, dimensione: float) -> float:
    """Pixels a note takes at its font size: its longest line, tags aside (Source Sans averages ~0,56 em)."""
    righe = re.sub(r"<(?!br)[^>]+>", "", testo).split("<br>")
    return max(len(r) for r in righe) * dimensione * 0.56


@pytest.mark.parametrize("nome", ["step.funnel", "casi.funnel", "step.tempi", "confronto.variazioni"])
def test_notes_right_of_the_plot_keep_their_room_on_a_slide(
    grafici: dict[str, Callable[[], go.Figure]], nome: str
) -> None:
    """On a slide every text grows to the projector size: the notes written right of the bars grow their margin."""
    fig = per_proiettore(senza_titolo(grafici[nome]()))
    for nota in fig.layout.annotations:
        if nota.name == NOME_FONTE or nota.xref != "paper" or (nota.x or 0) < 1 or nota.xanchor != "left":
            continue
        assert nota.font.size >= PROIETTORE_PX
        assert _larghezza_stimata(nota.text, nota.font.size) + (nota.xshift or 0) <= fig.layout.margin.r, nota.text
    assert _fonte(fig).xshift == fig.layout.margin.r - 8, "the source line follows the right margin"


def test_a_long_source_goes_on_two_lines_by_itself() -> None:
    """A full-width chart on a 1280 screen holds ~115 characters: the monitoring's source (128) ran off its left."""
    lunga = (
        "Fonte: Nuclei crisi territoriali e Regione Lombardia, DG Istruzione, Formazione, Lavoro. "
        "Dati al 15/01/2026 — dati dimostrativi."
    )
    fig = stile(go.Figure(), "T", fonte=lunga)
    assert _fonte(fig).text == lunga.replace(" Dati al ", "<br>Dati al ")
    assert _fonte(stile(go.Figure(), "T", fonte=FONTE)).text == FONTE  # a short one stays on one line
