"""The Monitoraggio trimestrale view read from the database: the Nuclei's declarations, the microdata they are
checked against and the published tables, composed and shaped once for the page, the deck and the tests."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date

import polars as pl
from sqlalchemy.engine import Engine

from dashboard.viste import monitoraggio as vm
from data_access.dominio import CODICI_TIPO, SCADENZA_MONITORAGGIO_GG
from data_access.queries import monitoraggio as q
from data_access.queries import procedure
from data_access.tabelle_pubblicate import ANNI_PUBBLICATI

log = logging.getLogger(__name__)

ENV_SCADENZA = "CRUSCOTTO_SCADENZA_MONITORAGGIO_GG"
ENV_TOLLERANZA = "CRUSCOTTO_TOLLERANZA_MONITORAGGIO"
TOLLERANZA_PREDEFINITA = 2  # workers: a registration a few days off moves one or two workers across quarters
LIMITI = {ENV_SCADENZA: (0, 366), ENV_TOLLERANZA: (0, 1000)}


@dataclass(frozen=True)
class Impostazioni:
    """The monitoring's settings, read from the environment; `avvisi` says which values were not accepted."""

    scadenza_gg: int = SCADENZA_MONITORAGGIO_GG
    tolleranza: int = TOLLERANZA_PREDEFINITA
    avvisi: tuple[str, ...] = field(default=(), compare=False)


def _intero(nome: str, predefinito: int, avvisi: list[str]) -> int:
    raw = os.environ.get(nome)
    if raw is None or not raw.strip():
        return predefinito
    minimo, massimo = LIMITI[nome]
    testo = raw.strip()
    if testo.isascii() and testo.isdigit() and minimo <= int(testo) <= massimo:
        return int(testo)
    log.warning("%s=%r is not a whole number between %d and %d: using %d", nome, raw, minimo, massimo, predefinito)
    # Shown in a Markdown notice: only letters, digits and a few signs of the value are written back.
    mostrato = re.sub(r"[^0-9A-Za-zÀ-ÿ .,+-]", "?", testo)[:40]
    avvisi.append(
        f"Impostazione {nome} non valida («{mostrato}»: atteso un numero intero tra {minimo} e {massimo}): "
        f"uso {predefinito}."
    )
    return predefinito


def impostazioni() -> Impostazioni:
    """Deadline (days after the quarter's end) and reconciliation tolerance (workers); bad values fall back."""
    avvisi: list[str] = []
    scadenza = _intero(ENV_SCADENZA, SCADENZA_MONITORAGGIO_GG, avvisi)
    tolleranza = _intero(ENV_TOLLERANZA, TOLLERANZA_PREDEFINITA, avvisi)
    return Impostazioni(scadenza, tolleranza, tuple(avvisi))


@dataclass(frozen=True, eq=False)
class Monitoraggio:
    """Everything the view shows for a year and a perimeter, at a data date, with given settings."""

    anno: int
    province: tuple[str, ...]
    al: date
    scadenza_gg: int
    tolleranza: int
    griglia: pl.DataFrame
    riepilogo: vm.Riepilogo
    storico: pl.DataFrame
    cifre: pl.DataFrame
    per_misura: pl.DataFrame
    riconciliazione: pl.DataFrame  # per procedure, numbers (no privacy: never shown as such)
    riconciliazione_province: pl.DataFrame
    riconciliazione_procedure: pl.DataFrame  # per procedure with privacy applied (text columns)
    differenze_province: pl.DataFrame
    sconosciute: pl.DataFrame
    non_dichiarate: pl.DataFrame
    pubblicate: pl.DataFrame

    @property
    def inviati(self) -> bool:
        """True when at least one quarter of the year was sent."""
        return not self.storico.is_empty()


def leggi(
    engine: Engine, anno: int, province: tuple[str, ...], al: date, scadenza_gg: int, tolleranza: int
) -> Monitoraggio:
    """Read and compose the view (every query takes the perimeter of provinces)."""
    anni = (anno - 1, anno)
    invii = q.invii(engine, anni, province)
    dichiarazioni = q.dichiarazioni(engine, anni, province)
    procedure_monitorate = q.procedure_monitorate(engine, (anno,), province)
    micro = q.microdati(engine, (anno,), province)
    tipi = q.tipi_procedure(engine, dichiarazioni.filter(pl.col("anno") == anno)["codice_procedura"].to_list())
    celle = procedure.per_provincia(engine, ANNI_PUBBLICATI, CODICI_TIPO, province)
    griglia = vm.griglia(invii, procedure_monitorate, anno, province, al, scadenza_gg)
    ric = vm.riconciliazione(dichiarazioni, micro, anno, tolleranza)
    ric_prov = vm.riconciliazione_province(ric, tolleranza)
    return Monitoraggio(
        anno=anno,
        province=province,
        al=al,
        scadenza_gg=scadenza_gg,
        tolleranza=tolleranza,
        griglia=griglia,
        riepilogo=vm.riepilogo(griglia),
        storico=vm.storico(invii, anno),
        cifre=vm.cifre(dichiarazioni, anno),
        per_misura=vm.per_misura(dichiarazioni, anno),
        riconciliazione=ric,
        riconciliazione_province=ric_prov,
        riconciliazione_procedure=vm.riconciliazione_procedure(ric),
        differenze_province=vm.differenze_per_provincia(ric_prov),
        sconosciute=vm.sconosciute(dichiarazioni, procedure_monitorate, tipi, anno),
        non_dichiarate=vm.non_dichiarate(ric),
        pubblicate=vm.pubblicate(celle, province),
    )
