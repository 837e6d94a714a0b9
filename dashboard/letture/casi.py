"""Composed reads of the Casi alta complessità view: the watch list and the detail of one case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy.engine import Engine

from dashboard.viste import casi
from data_access.queries import casi as q


def elenco(engine: Engine, al: date) -> pl.DataFrame:
    """Every case with its figures and traffic light at the data date, in urgency order."""
    return casi.componi(
        q.casi(engine), q.coinvolgimento(engine), q.step_per_caso(engine), q.tavoli_per_caso(engine, al), al
    )


@dataclass(frozen=True)
class Dettaglio:
    """What the detail of one case shows."""

    procedure: pl.DataFrame
    tavoli: pl.DataFrame
    progressione: pl.DataFrame
    fasi: pl.DataFrame
    unita: pl.DataFrame


def dettaglio(engine: Engine, codice: str, al: date) -> Dettaglio:
    """Procedures, tavoli up to the data date, step progress and stages, units of one case."""
    fasi = casi.funnel_caso(q.step_per_caso(engine, codice))
    return Dettaglio(
        procedure=q.procedure_caso(engine, codice),
        tavoli=q.tavoli_caso(engine, codice, al),
        progressione=casi.progressione_visibile(q.progressione_step(engine, codice), fasi, al),
        fasi=fasi,
        unita=q.unita_caso(engine, codice),
    )
