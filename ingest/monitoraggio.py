"""The quarterly PAL monitoring of the Nuclei crisi: submission rules and the versioned write (see docs/estratti.md).

A submission is what one load brings for a Nucleo's quarter (province, year, quarter). It becomes a new version of
that quarter unless it repeats the current one exactly; earlier versions are never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.engine import Connection

from data_access.dominio import etichetta_trimestre, fine_trimestre
from data_access.schema import monitoraggio_pal
from ingest.estratti import MONITORAGGIO_PAL, Estratto

# (file, row, column, reason): the loader turns these into its problems.
Segnalazione = tuple[str, int | None, str | None, str]
CHIAVE_INVIO = ("sigla_provincia", "anno", "trimestre")
# The columns that make a declaration: equal in every row means the submission repeats the current version.
CONTENUTO = tuple(c.nome for c in MONITORAGGIO_PAL.colonne)


class FileLetto(Protocol):
    """A read extract file, as ingest.load.FileEstratto."""

    nome: str
    estratto: Estratto
    righe: list[tuple[int, list[Any]]]


def _fmt(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def controllo_riga(e: Estratto, v: list[Any], guasti: set[str]) -> list[tuple[str, str]]:
    """A quarter is sent once it has ended."""
    i = e.indice
    anno, trimestre, invio = v[i["anno"]], v[i["trimestre"]], v[i["data_invio"]]
    if not guasti.isdisjoint({"anno", "trimestre", "data_invio"}) or None in (anno, trimestre, invio):
        return []
    fine = fine_trimestre(anno, trimestre)
    if invio < fine:
        return [
            (
                "data_invio",
                f"la data di invio {_fmt(invio)} precede la fine del trimestre "
                f"{etichetta_trimestre(anno, trimestre)} ({_fmt(fine)})",
            )
        ]
    return []


def _chiave(e: Estratto, v: Sequence[Any]) -> tuple[str, int, int]:
    i = e.indice
    return (v[i["sigla_provincia"]], v[i["anno"]], v[i["trimestre"]])


def controlla_invii(files: Iterable[FileLetto]) -> list[Segnalazione]:
    """Within a batch every row of a submission carries the same sending date (the first row's)."""
    prime: dict[tuple[str, int, int], tuple[str, int, date]] = {}
    esito: list[Segnalazione] = []
    for f in files:
        i = f.estratto.indice
        for riga, v in f.righe:
            chiave, invio = _chiave(f.estratto, v), v[i["data_invio"]]
            prima = prime.setdefault(chiave, (f.nome, riga, invio))
            if prima[2] != invio:
                dove = f"alla riga {prima[1]}" if prima[0] == f.nome else f"in {prima[0]} alla riga {prima[1]}"
                esito.append(
                    (
                        f.nome,
                        riga,
                        "data_invio",
                        f"data di invio {_fmt(invio)} diversa da quella dello stesso invio "
                        f"({chiave[0]} {etichetta_trimestre(chiave[1], chiave[2])}: {_fmt(prima[2])} {dove})",
                    )
                )
    return esito


def _correnti(conn: Connection, chiavi: Iterable[tuple[str, int, int]]) -> dict[tuple[str, int, int], int]:
    """The current version of each submitted quarter already in the database."""
    if "monitoraggio_pal" not in inspect(conn).get_table_names():
        return {}
    m = monitoraggio_pal.c
    anni = sorted({a for _, a, _ in chiavi})
    stmt = (
        select(m.sigla_provincia, m.anno, m.trimestre, func.max(m.versione))
        .where(m.anno.in_(anni))
        .group_by(m.sigla_provincia, m.anno, m.trimestre)
    )
    return {(s, a, t): v for s, a, t, v in conn.execute(stmt)}


def _righe_versione(conn: Connection, chiave: tuple[str, int, int], versione: int) -> list[dict[str, Any]]:
    m = monitoraggio_pal.c
    stmt = select(*(m[c] for c in CONTENUTO)).where(
        m.sigla_provincia == chiave[0], m.anno == chiave[1], m.trimestre == chiave[2], m.versione == versione
    )
    return [dict(r._mapping) for r in conn.execute(stmt)]


def _per_invio(files: Iterable[FileLetto]) -> dict[tuple[str, int, int], list[tuple[str, int, dict[str, Any]]]]:
    invii: dict[tuple[str, int, int], list[tuple[str, int, dict[str, Any]]]] = {}
    for f in files:
        nomi = [c.nome for c in f.estratto.colonne]
        for riga, v in f.righe:
            invii.setdefault(_chiave(f.estratto, v), []).append((f.nome, riga, dict(zip(nomi, v, strict=True))))
    return invii


def controlla_versioni(conn: Connection, files: Iterable[FileLetto]) -> list[Segnalazione]:
    """A submission older than the quarter's current version would become current: refuse it."""
    invii = _per_invio(files)
    correnti = _correnti(conn, invii)
    esito: list[Segnalazione] = []
    for chiave, righe in invii.items():
        versione = correnti.get(chiave)
        if versione is None:
            continue
        attuale = _righe_versione(conn, chiave, versione)
        data_attuale = attuale[0]["data_invio"] if attuale else None
        nome, riga, valori = righe[0]
        if data_attuale is not None and valori["data_invio"] < data_attuale:
            esito.append(
                (
                    nome,
                    riga,
                    "data_invio",
                    f"l'invio del {_fmt(valori['data_invio'])} è precedente a quello già caricato per {chiave[0]} "
                    f"{etichetta_trimestre(chiave[1], chiave[2])} (versione {versione} del {_fmt(data_attuale)}): "
                    "un invio più vecchio non può sostituirlo",
                )
            )
    return esito


def _firma(righe: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((tuple(r[c] for c in CONTENUTO) for r in righe), key=repr)


def scrivi_invii(conn: Connection, files: Iterable[FileLetto], caricato_il: datetime) -> int:
    """Write each submission as the next version of its quarter (nothing when it repeats the current one)."""
    invii = _per_invio(files)
    correnti = _correnti(conn, invii)
    nuove = 0
    for chiave, righe in sorted(invii.items()):
        valori = [r for _, _, r in righe]
        versione = correnti.get(chiave, 0)
        if versione and _firma(_righe_versione(conn, chiave, versione)) == _firma(valori):
            continue  # the same declaration sent again: no new version
        conn.execute(
            insert(monitoraggio_pal), [{**r, "versione": versione + 1, "caricato_il": caricato_il} for r in valori]
        )
        nuove += 1
    return nuove
