"""Composed reads of the Casi alta complessità view: the watch list and the detail of one case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy.engine import Engine

from dashboard.viste import casi
from data_access.dominio import SIGLE
from data_access.queries import casi as q


def elenco(engine: Engine, al: date, province: tuple[str, ...] = SIGLE) -> pl.DataFrame:
    """The cases with a unit in `province` (the perimeter), figures and traffic light at the data date, by urgency.

    A case spanning provinces outside the perimeter counts only its part in it (units, workers, procedures, step).
    """
    coinvolgimento, step = q.coinvolgimento(engine, province), q.step_per_caso(engine, province=province)
    tutti = casi.componi(q.casi(engine), coinvolgimento, step, q.tavoli_per_caso(engine, al), al)
    return tutti if set(province) == set(SIGLE) else casi.filtra(tutti, province=province)


@dataclass(frozen=True)
class Dettaglio:
    """What the detail of one case shows."""

    procedure: pl.DataFrame
    tavoli: pl.DataFrame
    progressione: pl.DataFrame
    fasi: pl.DataFrame
    unita: pl.DataFrame


def dettaglio(engine: Engine, codice: str, al: date, province: tuple[str, ...] = SIGLE) -> Dettaglio:
    """Procedures, tavoli to the data date, step progress and stages, units (in `province`) of a case listed there."""
    if codice not in elenco(engine, al, province)["codice"].to_list():
        raise LookupError(f"case {codice!r} outside the perimeter {province}")
    fasi = casi.funnel_caso(q.step_per_caso(engine, codice, province))
    return Dettaglio(
        procedure=q.procedure_caso(engine, codice, province),
        tavoli=q.tavoli_caso(engine, codice, al),
        progressione=casi.progressione_visibile(q.progressione_step(engine, codice, province), fasi, al),
        fasi=fasi,
        unita=q.unita_caso(engine, codice).filter(pl.col("sigla").is_in(province)),
    )
