"""Cached loaders of the Report page: thin wrappers over dashboard.letture.report and the document builders."""

from __future__ import annotations

import streamlit as st

from dashboard import loaders, report_file, report_pdf, sessione
from dashboard.letture import report as letture
from dashboard.loaders import nel_perimetro
from dashboard.viste import report as vista
from dashboard.viste.report import Periodo, Report, Territorio

TTL_S = loaders.TTL_S


def perimetro() -> tuple[str, ...]:
    """The provinces the user may report on: the session's perimeter (the regional edition only with all 12)."""
    return sessione.corrente().province


@st.cache_data(ttl=TTL_S, show_spinner=False)
def periodi(db_url: str, data_dati: object) -> list[Periodo]:
    """The bimesters a report can describe, newest first (the first may be provisional)."""
    primo = letture.primo_giorno(loaders.engine(db_url))
    return vista.periodi_disponibili(primo, data_dati) if primo else []  # type: ignore[arg-type]


@nel_perimetro
@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=16)
def dati(db_url: str, periodo: Periodo, province: tuple[str, ...], data_dati: object) -> letture.DatiReport:
    """A bimester's report data for a perimeter (keyed by the data date too: a new extraction reads again)."""
    return letture.leggi(loaders.engine(db_url), periodo, province)


def report(
    db_url: str, periodo: Periodo, province: tuple[str, ...], territorio: Territorio, data_dati: object
) -> Report:
    """One territory's report."""
    return dati(db_url, periodo, province, data_dati).report(territorio)


@nel_perimetro
@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=32)
def grafici(db_url: str, periodo: Periodo, province: tuple[str, ...], territorio: Territorio, data_dati: object):
    """The report's charts as SVG."""
    return report_pdf.svg_dei_report([report(db_url, periodo, province, territorio, data_dati)])[0]


@nel_perimetro
@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=32)
def pdf(db_url: str, periodo: Periodo, province: tuple[str, ...], territorio: Territorio, data_dati: object) -> bytes:
    """The report's PDF."""
    r = report(db_url, periodo, province, territorio, data_dati)
    return report_pdf.pdf(r, grafici(db_url, periodo, province, territorio, data_dati))


@nel_perimetro
@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=32)
def xlsx(db_url: str, periodo: Periodo, province: tuple[str, ...], territorio: Territorio, data_dati: object) -> bytes:
    """The report's XLSX annex."""
    return report_file.xlsx(report(db_url, periodo, province, territorio, data_dati))
