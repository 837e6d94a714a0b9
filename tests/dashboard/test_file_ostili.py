"""Hostile text in the database reaches every file as plain text: CSV, XLSX, the case brief and the PPTX."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from pptx import Presentation
from sqlalchemy.engine import Engine

from dashboard import brief, deck, exports, pptx_export
from dashboard.letture import tavolo as riunione
from dashboard.testo import pulito
from dashboard.viste import casi
from data_access.engine import crea_engine
from data_access.queries import casi as q
from data_access.queries.meta import info_dati
from tests.ostile import CASO, HTML_ATTIVO, INVISIBILE, NOME, NOTE, SCADENZA, db_ostile

AL = date(2026, 1, 15)


@pytest.fixture(scope="module")
def eng(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return crea_engine(f"sqlite:///{db_ostile(demo_db, tmp_path_factory.mktemp('ostile'))}")


@pytest.fixture(scope="module")
def elenco(eng: Engine) -> pl.DataFrame:
    tutti = casi.componi(q.casi(eng), q.coinvolgimento(eng), q.step_per_caso(eng), q.tavoli_per_caso(eng, AL), AL)
    return casi.tabella_elenco(tutti.filter(pl.col("codice") == CASO))


def test_csv_keeps_the_text_and_neutralises_formulas(elenco: pl.DataFrame) -> None:
    for formato, separatore in (("csv_it", ";"), ("csv", ",")):
        testo = exports.contenuto(elenco, formato, {}).decode("utf-8-sig")
        assert not INVISIBILE.search(testo)
        righe = list(csv.DictReader(io.StringIO(testo), delimiter=separatore))
        azienda = righe[0]["Azienda"]
        assert azienda == pulito(NOME)  # as typed, without the invisible characters
        assert righe[0]["Tipo scadenza"] == SCADENZA


def test_xlsx_cells_are_text(elenco: pl.DataFrame) -> None:
    libro = openpyxl.load_workbook(io.BytesIO(exports.contenuto(elenco, "xlsx", {})))
    foglio = libro.worksheets[0]
    intestazione = [c.value for c in foglio[1]]
    cella = foglio.cell(row=2, column=intestazione.index("Azienda") + 1)
    assert cella.data_type == "s" and cella.value == pulito(NOME)


def test_brief_shows_the_text_escaped(eng: Engine) -> None:
    tutti = casi.componi(q.casi(eng), q.coinvolgimento(eng), q.step_per_caso(eng), q.tavoli_per_caso(eng, AL), AL)
    riga = tutti.filter(pl.col("codice") == CASO).row(0, named=True)
    html = brief.scheda(
        riga, q.procedure_caso(eng, CASO), q.tavoli_caso(eng, CASO, AL), casi.funnel_caso(q.step_per_caso(eng, CASO)),
        info_dati(eng),
    )  # fmt: skip
    assert not HTML_ATTIVO.search(html.split("</style>", 1)[1])
    assert not INVISIBILE.search(html)
    assert "&lt;img src=x onerror=alert(2)&gt; note" in html
    assert NOTE not in html


def test_pptx_text_is_plain_and_valid(eng: Engine) -> None:
    d = deck.costruisci(riunione.carica_snapshot(eng, riunione.Tavolo(riunione.REGIONALE), 2025), date(2026, 1, 20))
    prs = Presentation(io.BytesIO(pptx_export.scrivi(d)))
    testi = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                testi.append(shape.text_frame.text)
            if shape.has_table:
                testi += [c.text for r in shape.table.rows for c in r.cells]
    tutto = "\n".join(testi)
    assert pulito(NOME) in tutto  # the name as typed, on the cases slide
    assert not INVISIBILE.search(tutto)
