"""Invented quarterly PAL monitoring for the demo: what each Nucleo would have sent for the 2025 quarters.

The declarations start from the demo's own microdata (workers reaching STEP 1, STEP 4 by measure and NO PAL in each
quarter, by procedure) and then depart from them on purpose, so that the Monitoraggio page has something to show:
Varese always sends late, Pavia never sent the third quarter, a few figures and procedures differ, and Lecco resent
its second quarter to correct it. Nothing here is published data (docs/dizionario-dati.md).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from data_access.dominio import COLONNA_MISURA, TIPI_MONITORAGGIO, TRIMESTRI, fine_trimestre, inizio_trimestre

ANNO = 2025
NUCLEO_IN_RITARDO = "VA"
TRIMESTRE_MANCANTE = ("PV", 3)
RETTIFICA = ("LC", 2)  # sent twice: the first version overstated Formazione Continua
CODICE_SCONOSCIUTO = "VO-2025-990001"  # declared by Bergamo, unknown to VertenzeOnline


def _trimestre(giorno: date | None) -> tuple[int, int] | None:
    return None if giorno is None else (giorno.year, (giorno.month + 2) // 3)


COLONNE = ("presi_in_carico", *COLONNA_MISURA.values(), "esonerati")


def _conteggi(rows: Mapping[str, Sequence[dict[str, Any]]]) -> dict[tuple[str, int, str], dict[str, int]]:
    """(province, quarter of ANNO, procedure code) -> the counts the microdata give.

    Every CIGS procedure running in the quarter in the province has a row, with zeros when nothing happened.
    """
    codici = {r["id"]: r["codice_fonte"] for r in rows["procedura"]}
    esito: dict[tuple[str, int, str], dict[str, int]] = {}
    procedure = {r["id"]: r for r in rows["procedura"] if r["tipo"] in TIPI_MONITORAGGIO}
    for pu in rows["procedura_unita"]:
        proc = procedure.get(pu["procedura_id"])
        for trimestre in TRIMESTRI if proc else ():
            fine = proc["data_fine"]
            if proc["data_inizio"] <= fine_trimestre(ANNO, trimestre) and (
                fine is None or fine >= inizio_trimestre(ANNO, trimestre)
            ):
                esito.setdefault((pu["sigla_provincia"], trimestre, proc["codice_fonte"]), dict.fromkeys(COLONNE, 0))

    def conta(sigla: str, quando: tuple[int, int] | None, codice: str, colonna: str) -> None:
        if quando is None or quando[0] != ANNO:
            return
        esito.setdefault((sigla, quando[1], codice), dict.fromkeys(COLONNE, 0))[colonna] += 1

    for r in rows["lavoratore"]:
        if not r["stato_step"] or r["tipo"] not in TIPI_MONITORAGGIO:
            continue
        sigla, codice = r["sigla_provincia"], codici[r["procedura_id"]]
        conta(sigla, _trimestre(r["data_step1"]), codice, "presi_in_carico")
        if r["data_step4"] is not None:
            conta(sigla, _trimestre(r["data_step4"]), codice, COLONNA_MISURA[r["misura_pal"]])
        conta(sigla, _trimestre(r["data_esonero"]), codice, "esonerati")
    return esito


def _data_invio(rng: random.Random, sigla: str, trimestre: int) -> date:
    fine = fine_trimestre(ANNO, trimestre)
    ritardo = rng.randint(38, 55) if sigla == NUCLEO_IN_RITARDO else rng.randint(6, 27)
    return fine + timedelta(days=ritardo)


def genera(
    rows: Mapping[str, Sequence[dict[str, Any]]], data_estrazione: date, caricato_il: datetime, seed: int
) -> list[dict[str, Any]]:
    """The rows of monitoraggio_pal (every version) for the quarters of ANNO sent by the extraction date."""
    rng = random.Random(seed)
    conteggi = _conteggi(rows)
    esito: list[dict[str, Any]] = []
    for sigla in sorted({s for s, _, _ in conteggi}):
        for trimestre in TRIMESTRI:
            righe = {c: dict(v) for (s, t, c), v in sorted(conteggi.items()) if s == sigla and t == trimestre}
            invio = _data_invio(rng, sigla, trimestre)
            if not righe or (sigla, trimestre) == TRIMESTRE_MANCANTE or invio > data_estrazione:
                continue
            _differenze(sigla, trimestre, righe)
            versione = 1
            if (sigla, trimestre) == RETTIFICA:
                sbagliate = {c: dict(v) for c, v in righe.items()}
                primo = max(sbagliate, key=lambda c: sbagliate[c]["presi_in_carico"])
                sbagliate[primo]["pal_formazione_continua"] += 3
                prima = fine_trimestre(ANNO, trimestre) + timedelta(days=5)
                invio = max(invio, prima + timedelta(days=10))
                esito += _righe(sigla, trimestre, sbagliate, prima, 1, caricato_il, "Primo invio")
                versione = 2
            nota = "Rettifica del primo invio: Formazione Continua" if versione == 2 else None
            esito += _righe(sigla, trimestre, righe, invio, versione, caricato_il, nota)
    return esito


def _differenze(sigla: str, trimestre: int, righe: dict[str, dict[str, int]]) -> None:
    """The deliberate departures from the microdata."""
    maggiore = max(righe, key=lambda c: (righe[c]["presi_in_carico"], c))
    if (sigla, trimestre) == ("MI", 3):
        righe[maggiore]["pal_gol"] += 6  # GOL counted twice for some workers
    elif (sigla, trimestre) == ("BS", 2):
        righe[maggiore]["presi_in_carico"] -= min(4, righe[maggiore]["presi_in_carico"])
    elif (sigla, trimestre) == ("BG", 2):
        righe[CODICE_SCONOSCIUTO] = dict.fromkeys(righe[maggiore], 0) | {
            "presi_in_carico": 8,
            "pal_dote_unica_lavoro": 5,
        }
    elif (sigla, trimestre) == ("CO", 3) and len(righe) > 1:
        del righe[maggiore]  # a procedure the Nucleo did not report


def _righe(
    sigla: str,
    trimestre: int,
    righe: dict[str, dict[str, int]],
    invio: date,
    versione: int,
    caricato_il: datetime,
    nota: str | None,
) -> list[dict[str, Any]]:
    return [
        {
            "sigla_provincia": sigla,
            "anno": ANNO,
            "trimestre": trimestre,
            "versione": versione,
            "codice_procedura": codice,
            **valori,
            "data_invio": invio,
            "note": nota,
            "caricato_il": caricato_il,
        }
        for codice, valori in sorted(righe.items())
    ]
