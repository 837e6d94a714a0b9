"""The Registro download view: the register's rows as an Italian table, and what the selection contains."""

from __future__ import annotations

from datetime import date

import polars as pl

from dashboard import exports, formatting
from dashboard.accesso import RUOLI
from data_access.dominio import SIGLE

FUSO = "Europe/Rome"
ETICHETTA_FORMATO = {**exports.FORMATI, "pptx": "PowerPoint", "html": "HTML"}


def tabella(righe: pl.DataFrame) -> pl.DataFrame:
    """One row per file handed out, newest first, with Italian headers and the time in Italian local time."""
    return righe.select(
        pl.col("istante").dt.convert_time_zone(FUSO).dt.strftime("%d/%m/%Y %H:%M:%S").alias("Data e ora"),
        pl.col("email").alias("Utente"),
        pl.col("ruolo").replace(RUOLI).alias("Ruolo"),
        pl.when(pl.col("perimetro") == ",".join(SIGLE))
        .then(pl.lit("tutte"))
        .otherwise(pl.col("perimetro"))
        .alias("Province del perimetro"),
        pl.col("vista").alias("Pagina"),
        pl.col("dataset").alias("Dati"),
        pl.col("filtri").alias("Filtri"),
        pl.col("formato").replace(ETICHETTA_FORMATO).alias("Formato"),
        pl.col("righe").alias("Righe"),
        pl.col("byte").alias("Byte"),
        pl.col("sha256").alias("SHA-256"),
        pl.col("nome_file").alias("File"),
    )


def descrizione_filtri(utente: str, dal: date | None, al: date | None, vista: str | None) -> str:
    """The register's filters in words (recorded with the register's own download)."""
    parti = [f"utente {utente}" if utente else "tutti gli utenti"]
    if dal and al:
        parti.append(f"dal {formatting.data(dal)} al {formatting.data(al)}")
    parti.append(f"pagina {vista}" if vista else "tutte le pagine")
    return " · ".join(parti)


def riepilogo(righe: pl.DataFrame, dal: date | None, al: date | None) -> str:
    """One line above the table: how many files, to how many users, in the period."""
    if righe.is_empty():
        return "Nessun download registrato con questi filtri."
    utenti = righe["email"].n_unique()
    periodo = f" dal {formatting.data(dal)} al {formatting.data(al)}" if dal and al else ""
    file = "file consegnato" if righe.height == 1 else "file consegnati"
    chi = "utente" if utenti == 1 else "utenti"
    return f"**{formatting.numero(righe.height)} {file}** a {formatting.numero(utenti)} {chi}{periodo}."
