"""Composed reads of the Modalità tavolo view: every figure of a meeting's deck, read once from one extraction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy.engine import Engine

from dashboard.contesto import Filtri
from dashboard.letture import casi, confronto
from dashboard.letture import monitoraggio as letture_monitoraggio
from dashboard.viste.confronto import Periodo, periodo_confrontato
from data_access.dominio import CODICI_TIPO, NOME_PROVINCIA, SIGLE, TAVOLO_REGIONALE, TIPO_MODELLO_STEP
from data_access.engine import ErroreDatabase
from data_access.queries import meta, procedure, territorio
from data_access.queries import step as q_step
from data_access.queries.meta import InfoDati

log = logging.getLogger(__name__)

REGIONALE = TAVOLO_REGIONALE
CODICI_TAVOLO: tuple[str, ...] = (REGIONALE, *SIGLE)


@dataclass(frozen=True)
class Tavolo:
    """The meeting the deck is for: the regional table (all provinces) or one bilateral table."""

    codice: str

    @property
    def regionale(self) -> bool:
        """True for the Tavolo regionale."""
        return self.codice == REGIONALE

    @property
    def province(self) -> tuple[str, ...]:
        """The provinces the deck speaks about."""
        return SIGLE if self.regionale else (self.codice,)

    @property
    def territorio(self) -> str:
        """'Lombardia' or the province's name."""
        return "Lombardia" if self.regionale else NOME_PROVINCIA[self.codice]

    @property
    def nome(self) -> str:
        """'Tavolo regionale' or 'Tavolo bilaterale — Lecco'."""
        return "Tavolo regionale" if self.regionale else f"Tavolo bilaterale — {NOME_PROVINCIA[self.codice]}"


def etichetta_tavolo(codice: str) -> str:
    """The label of a tavolo code for choosers."""
    return Tavolo(codice).nome


def leggi_tavolo(raw: str | None) -> Tavolo | None:
    """A tavolo from a link or command line value ('regionale', 'LC', 'lc'); None when unknown."""
    testo = (raw or "").strip()
    if testo.lower() == REGIONALE:
        return Tavolo(REGIONALE)
    if testo.upper() in SIGLE:
        return Tavolo(testo.upper())
    return None


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Every figure the deck shows, read once from the same extraction."""

    tavolo: Tavolo
    filtri: Filtri
    info: InfoDati
    confrontabile: bool  # the previous year is in the database
    indicatori: pl.DataFrame  # procedure.indicatori for the tavolo's provinces, previous and current year
    celle: pl.DataFrame  # procedure.per_provincia, all provinces, both years: weights on the regional total
    celle_confronto: pl.DataFrame  # the same cells on the same period of both years when the year is incomplete
    territorio: pl.DataFrame  # territorio.per_provincia, both years: the map
    percorsi: pl.DataFrame  # step.percorsi of the year for the tavolo's provinces (empty without CIGS ministeriali)
    casi: pl.DataFrame  # dashboard.casi.componi at the extraction date: every case
    monitoraggio: letture_monitoraggio.Monitoraggio | None = None  # the Nuclei's quarterly PAL monitoring

    @property
    def chiave(self) -> tuple[str, int, tuple[str, ...], date]:
        """What identifies the snapshot: tavolo, year, types and extraction date."""
        return (self.tavolo.codice, self.filtri.anno, self.filtri.tipi, self.info.data_estrazione)

    @property
    def periodo(self) -> Periodo:
        """Whether the year is complete at the extraction date (else the comparison is on the same period)."""
        return Periodo(self.filtri.anno, self.info.data_estrazione)


def carica_snapshot(engine: Engine, tavolo: Tavolo, anno: int, tipi: tuple[str, ...] = CODICI_TIPO) -> Snapshot:
    """Read all the deck's data; re-read if an extraction lands meanwhile, so nothing mixes two extractions."""
    for _ in range(3):
        prima = meta.info_dati(engine)
        snap = _leggi(engine, tavolo, anno, tipi, prima)
        dopo = meta.info_dati(engine)
        if dopo.data_estrazione == prima.data_estrazione:
            return snap
        log.warning("extraction changed while loading the deck (%s -> %s): reloading", prima, dopo)
    raise ErroreDatabase(
        "I dati sono in aggiornamento: riprovare tra qualche minuto.",
        "extraction date kept changing while loading the tavolo deck",
    )


def _leggi(engine: Engine, tavolo: Tavolo, anno: int, tipi: tuple[str, ...], info: InfoDati) -> Snapshot:
    anni = (anno - 1, anno)
    al = info.data_estrazione
    celle = confronto.celle(engine, anni, tipi)
    parziale = periodo_confrontato(Periodo(anno, al))  # the Confronto page's rule, with its default choice
    celle_confronto = confronto.celle(engine, anni, tipi, parziale) if parziale is not None else celle
    return Snapshot(
        tavolo=tavolo,
        filtri=Filtri(anno=anno, province=tavolo.province, tipi=tipi),
        info=info,
        confrontabile=anno - 1 in meta.anni_disponibili(engine),
        indicatori=procedure.indicatori(engine, anni, tipi, tavolo.province),
        celle=celle,
        celle_confronto=celle_confronto,
        territorio=territorio.per_provincia(engine, anni, tipi),
        percorsi=q_step.percorsi(engine, anno, tavolo.province if TIPO_MODELLO_STEP in tipi else ()),
        casi=casi.elenco(engine, al),
        monitoraggio=_monitoraggio(engine, tavolo, anno, al),
    )


def _monitoraggio(engine: Engine, tavolo: Tavolo, anno: int, al: date) -> letture_monitoraggio.Monitoraggio:
    """The quarterly monitoring of the tavolo's provinces, with the settings in force."""
    imp = letture_monitoraggio.impostazioni()
    return letture_monitoraggio.leggi(engine, anno, tavolo.province, al, imp.scadenza_gg, imp.tolleranza)
