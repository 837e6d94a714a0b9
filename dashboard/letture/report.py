"""Reads of the bimonthly report: everything the reports of a perimeter need, from one extraction (no Streamlit)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy.engine import Engine

from dashboard.viste import casi
from dashboard.viste import report as vista
from dashboard.viste.report import Periodo, Report, Territorio
from data_access.engine import ErroreDatabase
from data_access.queries import casi as q_casi
from data_access.queries import meta, procedure, step
from data_access.queries.meta import InfoDati

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class DatiReport:
    """The rows behind the reports of one bimester for a perimeter of provinces, read from one extraction."""

    periodo: Periodo
    province: tuple[str, ...]
    info: InfoDati
    unita: pl.DataFrame  # procedure.unita_nel_periodo over the bimester and the one before
    stati: pl.DataFrame  # step.stati_al on the reference day
    stati_precedenti: pl.DataFrame  # step.stati_al on the last day of the bimester before
    casi: pl.DataFrame  # casi.componi at the data date

    def report(self, territorio: Territorio) -> Report:
        """One territory's report (a province of the perimeter, or the Region when the perimeter is all 12)."""
        if not set(territorio.province) <= set(self.province):
            raise ValueError(f"territory {territorio.codice} outside the perimeter {self.province}")
        return vista.edizione(
            territorio, self.periodo, self.info, self.unita, self.stati, self.stati_precedenti, self.casi, self.province
        )


def primo_giorno(engine: Engine) -> date | None:
    """The earliest start of a CIGS procedure: the first bimester a report can describe."""
    return procedure.primo_inizio(engine, vista.TIPI_REPORT)


def leggi(
    engine: Engine, periodo: Periodo, province: tuple[str, ...], *, provvisorio_ammesso: bool = True
) -> DatiReport:
    """Read a bimester's report data for the perimeter; re-read if an extraction lands meanwhile (never mixed)."""
    for _ in range(3):
        prima = meta.info_dati(engine)
        vista.verifica_periodo(periodo, prima.data_estrazione, provvisorio_ammesso=provvisorio_ammesso)
        dati = _leggi(engine, periodo, province, prima)
        if meta.info_dati(engine).data_estrazione == prima.data_estrazione:
            return dati
        log.warning("extraction changed while reading the report of %s: reloading", periodo.codice)
    raise ErroreDatabase(
        "I dati sono in aggiornamento: riprovare tra qualche minuto.",
        "extraction date kept changing while reading the bimonthly report",
    )


def _leggi(engine: Engine, periodo: Periodo, province: tuple[str, ...], info: InfoDati) -> DatiReport:
    al = periodo.riferimento(info.data_estrazione)
    return DatiReport(
        periodo=periodo,
        province=province,
        info=info,
        unita=procedure.unita_nel_periodo(engine, periodo.precedente.fine, al, vista.TIPI_REPORT, province),
        stati=step.stati_al(engine, al, province),
        stati_precedenti=step.stati_al(engine, periodo.precedente.fine, province),
        casi=casi.componi(
            q_casi.casi(engine),
            q_casi.coinvolgimento(engine),
            q_casi.step_per_caso(engine),
            q_casi.tavoli_per_caso(engine, info.data_estrazione),
            info.data_estrazione,
        ),
    )


def genera(
    engine: Engine,
    periodo: Periodo,
    province: tuple[str, ...],
    *,
    provvisorio_ammesso: bool = True,
    avanzamento: Callable[[int, int, Report], None] | None = None,
) -> list[Report]:
    """Every report of the perimeter for a bimester, from one read: its provinces, and the Region when all 12."""
    dati = leggi(engine, periodo, province, provvisorio_ammesso=provvisorio_ammesso)
    elenco = vista.territori(province)
    reports = []
    for i, territorio in enumerate(elenco, start=1):
        reports.append(dati.report(territorio))
        if avanzamento:
            avanzamento(i, len(elenco), reports[-1])
    return reports
