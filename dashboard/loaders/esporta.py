"""Cached loaders of the Esporta dati page: each dataset from the loader of the page that shows its figures."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from dashboard import loaders, privacy
from dashboard.filters import Filtri
from dashboard.loaders import cache_dati, engine, nel_perimetro
from dashboard.loaders import casi as dati_casi
from dashboard.loaders import step_pal as dati_step
from dashboard.viste import casi
from dashboard.viste.esporta import tabella_casi, tabella_procedure, tabella_step, tabella_tavoli
from data_access.dominio import SIGLE
from data_access.dominio import TIPO_MODELLO_STEP as CIGS_MIN
from data_access.queries import tavoli as q


@nel_perimetro
@cache_dati
def tavoli(db_url: str, anno: int, province: tuple[str, ...]) -> pl.DataFrame:
    """Dataset 'tavoli' (no other page lists the tavoli one by one)."""
    discussi = q.casi_discussi(engine(db_url), anno, province)
    if set(province) != set(SIGLE):  # the regional tavolo names cases of every province: keep the perimeter's
        al = loaders.info_dati(db_url).data_estrazione
        discussi = discussi.filter(pl.col("codice").is_in(dati_casi.elenco(db_url, al, province)["codice"].to_list()))
    return tabella_tavoli(q.tavoli(engine(db_url), anno, province), discussi)


def _conteggi_step(db_url: str, f: Filtri) -> pl.DataFrame:
    """Workers of the step cohort by province and current stage, all provinces (the Step PAL page's loader).

    All provinces, whatever the filter: suppression is decided on the whole table, so that the same cell is hidden
    in every export and no two exports can be subtracted from each other.
    """
    colonne = ["sigla", "stato", "lavoratori"]
    if CIGS_MIN not in f.tipi:  # the step model concerns the CIGS ministeriali only
        return pl.DataFrame(schema={"sigla": pl.String, "stato": pl.String, "lavoratori": pl.Int64})
    return dati_step.percorsi(db_url, f.anno, SIGLE).select(colonne)


def carica(db_url: str, chiave: str, f: Filtri) -> pl.DataFrame:
    """The dataset of a key of DATASET for the filters."""
    caricatori: dict[str, Callable[[], pl.DataFrame]] = {
        "procedure": lambda: tabella_procedure(loaders.per_provincia(db_url, (f.anno,), f.tipi, SIGLE), f.province),
        "step": lambda: tabella_step(_conteggi_step(db_url, f), f.anno, f.province, privacy.soglia()),
        "casi": lambda: tabella_casi(
            casi.nella_barra(dati_casi.elenco(db_url, loaders.info_dati(db_url).data_estrazione, SIGLE), f)
        ),
        "tavoli": lambda: tavoli(db_url, f.anno, f.province),
    }
    return caricatori[chiave]()
