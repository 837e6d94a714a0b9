"""`cruscotto-deck`: the tavolo deck as a PowerPoint file, from the command line (`make deck TAVOLO=LC OUT=dir`)."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from dashboard import deck, pptx_export
from dashboard.letture import tavolo as riunione
from data_access.dominio import CODICI_TIPO, SIGLE
from data_access.engine import ErroreDatabase, crea_engine, descrivi, resolve_url, verifica
from data_access.queries import meta

log = logging.getLogger("cruscotto.deck")


def _argomenti(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="cruscotto-deck",
        description="Scrive la presentazione di un tavolo (PowerPoint 16:9) con i dati di un'unica estrazione.",
    )
    p.add_argument("--tavolo", required=True, help=f"«regionale» oppure la sigla della provincia ({' '.join(SIGLE)})")
    p.add_argument("--out", type=Path, default=Path("var/deck"), help="cartella in cui scrivere il file")
    p.add_argument("--anno", type=int, help="anno della presentazione (predefinito: l'ultimo con dati)")
    p.add_argument("--tipo", default=",".join(CODICI_TIPO), help="tipi di procedura separati da virgola")
    p.add_argument(
        "--db",
        help="URL SQLAlchemy del database (predefinito: CRUSCOTTO_DB_URL, poi .streamlit/secrets.toml, poi il demo)",
    )
    p.add_argument("--giorno", type=date.fromisoformat, default=date.today(), help="data della riunione (AAAA-MM-GG)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Write the deck and print its path; on bad input print an Italian message and return 2."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for rumoroso in ("choreographer", "kaleido", "logistro"):  # the browser's step-by-step log is not for users
        logging.getLogger(rumoroso).setLevel(logging.WARNING)
    args = _argomenti(argv)
    tavolo = riunione.leggi_tavolo(args.tavolo)
    if tavolo is None:
        print(
            f"Tavolo «{args.tavolo}» sconosciuto: usare «regionale» o una sigla ({', '.join(SIGLE)}).", file=sys.stderr
        )
        return 2
    tipi = tuple(t for t in CODICI_TIPO if t in {v.strip().upper() for v in args.tipo.split(",")})
    if not tipi:
        print(f"Tipo di procedura «{args.tipo}» sconosciuto: usare {', '.join(CODICI_TIPO)}.", file=sys.stderr)
        return 2
    url = args.db or ""
    try:
        url = resolve_url(args.db)
        engine = crea_engine(url)
        verifica(engine)
        anni = meta.anni_disponibili(engine)
        anno = args.anno or max(anni, default=date.today().year)
        if anno not in anni:
            print(f"Anno {anno} non disponibile nel database (anni: {', '.join(map(str, anni))}).", file=sys.stderr)
            return 2
        snap = riunione.carica_snapshot(engine, tavolo, anno, tipi)
        d = deck.costruisci(snap, args.giorno)
        path = pptx_export.scrivi_file(d, args.out)
    except ErroreDatabase as exc:
        log.error("database %s: %s", descrivi(url), exc.dettaglio)
        print(exc.messaggio, file=sys.stderr)
        return 1
    except pptx_export.ErroreEsportazione as exc:
        log.error("export: %s", exc.dettaglio)
        print(exc.messaggio, file=sys.stderr)
        return 1
    print(f"{path} — {tavolo.nome}, {anno}, {d.dati_al}, {len(d.slides)} slide")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
