"""The events marked on the monthly charts: the step model's decree and the tavoli sessions (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from data_access.dominio import DECRETO_MODELLO_STEP, ETICHETTA_DECRETO, TAVOLO_REGIONALE


@dataclass(frozen=True)
class Evento:
    """A dated event: the decree is labelled on the chart, the tavoli are lines with one legend entry."""

    data: date
    etichetta: str
    tipo: str  # "decreto" or "tavolo"


DECRETO = Evento(DECRETO_MODELLO_STEP, ETICHETTA_DECRETO, "decreto")


def eventi(sedute: pl.DataFrame) -> list[Evento]:
    """The decree and each tavolo session (from the database, already in the user's perimeter), by date."""
    tavoli = [
        Evento(
            r["data"],
            "Tavolo regionale" if r["tipo"] == TAVOLO_REGIONALE else f"Tavolo bilaterale {r['sigla']}",
            "tavolo",
        )
        for r in sedute.iter_rows(named=True)
    ]
    return sorted([DECRETO, *tavoli], key=lambda e: (e.data, e.tipo))
