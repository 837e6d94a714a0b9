"""`cruscotto-report`: the bimonthly reports (PDF and XLSX annex) of a bimester, with their manifest, optionally
sent by e-mail. Runs without Streamlit, e.g. from cron or a systemd timer (docs/report.md)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date
from pathlib import Path

from dashboard import formatting, report_file, report_invio
from dashboard.letture import report as letture
from dashboard.report_pdf import ErroreDocumento
from dashboard.viste import report as vista
from dashboard.viste.report import REGIONE, TUTTE, Periodo, PeriodoNonValido
from data_access.dominio import SIGLE
from data_access.engine import ErroreDatabase, crea_engine, descrivi, resolve_url, verifica
from data_access.queries import meta

log = logging.getLogger("cruscotto.report")

DESCRIZIONE = """\
Scrive il report bimestrale sulle CIGS in corso (PDF) e il suo allegato (XLSX) per le province e per la Regione,
con un manifest (bimestre, data dei dati, SHA-256 dei file). Gli stessi dati danno gli stessi file.

Il bimestre si indica con uno qualsiasi dei suoi mesi: --periodo 2025-11 e --periodo 2025-12 indicano entrambi
novembre–dicembre 2025 (bimestri: gennaio–febbraio, marzo–aprile, maggio–giugno, luglio–agosto,
settembre–ottobre, novembre–dicembre). Il report descrive le CIGS in corso l'ultimo giorno del bimestre; un
bimestre non ancora concluso alla data dei dati è rifiutato, salvo --provvisorio (report marcato «provvisorio»,
situazione alla data dei dati). Senza --periodo: l'ultimo bimestre concluso.
"""
USCITA_ERRORE_DATI, USCITA_ARGOMENTI, USCITA_INVIO = 1, 2, 3


def _argomenti(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="cruscotto-report", description=DESCRIZIONE, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--periodo", help="bimestre come AAAA-MM, un suo mese qualsiasi (predefinito: l'ultimo concluso)")
    p.add_argument(
        "--provincia", default=TUTTE,
        help=f"«{TUTTE}» (le 12 province e la Regione: 13 report), «{REGIONE}», o sigle separate da virgola "
        f"({' '.join(SIGLE)})",
    )  # fmt: skip
    p.add_argument("--out", type=Path, default=Path("var/report"), help="cartella; i file vanno in OUT/<bimestre>/")
    p.add_argument("--db", help="URL SQLAlchemy del database (predefinito: CRUSCOTTO_DB_URL o il database demo)")
    p.add_argument("--provvisorio", action="store_true", help="ammette un bimestre non concluso (report provvisorio)")
    p.add_argument("--invia", action="store_true", help="invia per e-mail ogni report ai suoi destinatari (SMTP)")
    p.add_argument(
        "--reinvia", action="store_true", help="invia di nuovo, dai file già scritti, i report il cui invio è fallito"
    )
    p.add_argument(
        "--destinatari", type=Path, default=report_invio.DESTINATARI_PREDEFINITI,
        help=f"file TOML dei destinatari (predefinito: {report_invio.DESTINATARI_PREDEFINITI})",
    )  # fmt: skip
    return p.parse_args(argv)


def _territori(testo: str) -> list[vista.Territorio] | None:
    valore = testo.strip()
    if valore.lower() == TUTTE:
        return vista.territori(SIGLE)
    scelti = [vista.leggi_territorio(v) for v in valore.split(",") if v.strip()]
    if not scelti or None in scelti:
        return None
    return sorted(set(scelti), key=lambda t: (t.regionale, t.codice))  # type: ignore[arg-type]


def _errore(testo: str, codice: int) -> int:
    print(testo, file=sys.stderr)
    return codice


def main(argv: list[str] | None = None) -> int:
    """Write the reports, one progress line each; 1 on a data problem, 2 on bad input, 3 on a failed delivery."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for rumoroso in ("choreographer", "kaleido", "logistro"):  # the browser's step-by-step log is not for users
        logging.getLogger(rumoroso).setLevel(logging.WARNING)
    args = _argomenti(argv)
    territori = _territori(args.provincia)
    if territori is None:
        return _errore(
            f"Provincia «{args.provincia}» sconosciuta: usare «{TUTTE}», «{REGIONE}» o sigle ({', '.join(SIGLE)}).",
            USCITA_ARGOMENTI,
        )
    url = args.db or resolve_url()
    try:
        engine = crea_engine(url)
        verifica(engine)
        data_dati = meta.info_dati(engine).data_estrazione
        periodo = Periodo.leggi(args.periodo) if args.periodo else vista.ultimo_completo(data_dati)
        vista.verifica_periodo(periodo, data_dati, provvisorio_ammesso=args.provvisorio)
        if args.reinvia:
            return _reinvia(args, periodo)
        dati = letture.leggi(engine, periodo, SIGLE, provvisorio_ammesso=args.provvisorio)
        reports = [dati.report(t) for t in territori]

        def riga(i: int, n: int, d: report_file.Documenti) -> None:
            print(f"[{i:>2}/{n}] {d.report.territorio.nome}: {d.nome_pdf}, {d.nome_xlsx}", flush=True)

        docs = report_file.documenti(reports, riga)
        manifesto = report_file.scrivi(args.out, docs)
    except PeriodoNonValido as exc:
        return _errore(str(exc), USCITA_ARGOMENTI)
    except ErroreDatabase as exc:
        log.error("database %s: %s", descrivi(url), exc.dettaglio)
        return _errore(exc.messaggio, USCITA_ERRORE_DATI)
    except ErroreDocumento as exc:
        log.error("document: %s", exc.dettaglio)
        return _errore(exc.messaggio, USCITA_ERRORE_DATI)
    except LookupError as exc:
        log.error("database %s: %s", descrivi(url), exc)
        return _errore("Il database non contiene i metadati dell'estrazione.", USCITA_ERRORE_DATI)
    provv = " (PROVVISORIO)" if docs[0].report.provvisorio else ""
    print(f"{len(docs)} report del bimestre {periodo.nome}{provv}, dati al {formatting.data(data_dati)}: {manifesto}")
    if args.invia:
        return invia(
            manifesto.parent, args.destinatari, [(d.report.territorio.codice, d.report.territorio.titolo) for d in docs]
        )
    return 0


def invia(cartella: Path, file_destinatari: Path, territori: list[tuple[str, str]]) -> int:
    """Send each territory's files of a run's folder, as its manifest lists them; record and print every outcome."""
    try:
        imp = report_invio.impostazioni()
        elenco = report_invio.destinatari(file_destinatari)
    except report_invio.ErroreImpostazioni as exc:
        return _errore(f"{exc} I file restano in {cartella}.", USCITA_INVIO)
    manifesto = json.loads((cartella / report_file.MANIFESTO).read_text(encoding="utf-8"))
    per_codice = {f["territorio"]: f for f in manifesto["file"]}
    dati_al = f"dati al {formatting.data(date.fromisoformat(manifesto['dati_al']))}"
    esiti, stato = [], report_invio.leggi_stato(cartella)
    for codice, nome in territori:
        indirizzi = elenco.get(codice, [])
        f = per_codice[codice]
        fatto = stato.get(codice, {})
        if fatto.get("riuscito") and fatto.get("pdf_sha256") == f["pdf"]["sha256"]:
            # A rerun (systemd restart after a failure) sends only what was not delivered yet.
            print(f"{nome}: già inviato il {fatto.get('ultimo_tentativo')}, non inviato di nuovo", flush=True)
            continue
        if not indirizzi:
            print(f"{nome}: nessun destinatario in {file_destinatari}, non inviato", flush=True)
            continue
        m = report_invio.messaggio(
            codice, nome, manifesto["periodo"]["nome"], dati_al, indirizzi,
            cartella / f["pdf"]["file"], cartella / f["xlsx"]["file"],
        )  # fmt: skip
        esito = report_invio.invia(m, imp)
        esito.pdf_sha256 = f["pdf"]["sha256"]
        esiti.append(esito)
        print(f"{nome}: {report_invio.descrivi(esito)}", flush=True)
    report_invio.salva_stato(cartella, esiti, report_invio.oggi())
    falliti = [e for e in esiti if not e.riuscito]
    if falliti:
        print(
            f"{len(falliti)} invii non riusciti: i file restano in {cartella}; per riprovare: "
            f"cruscotto-report --reinvia --periodo {manifesto['periodo']['codice']} --out {cartella.parent}",
            file=sys.stderr,
        )
        return USCITA_INVIO
    return 0


def _reinvia(args: argparse.Namespace, periodo: Periodo) -> int:
    """Send again, from the files on disk, the territories whose delivery failed."""
    cartelle = [args.out / periodo.codice, args.out / f"{periodo.codice}-provvisorio"]
    cartella = next((c for c in cartelle if (c / report_file.MANIFESTO).is_file()), None)
    if cartella is None:
        return _errore(f"Nessun report del bimestre {periodo.nome} in {args.out}.", USCITA_ARGOMENTI)
    pendenti = report_invio.da_reinviare(cartella)
    if not pendenti:
        print(f"Nessun invio da ripetere per il bimestre {periodo.nome}.")
        return 0
    manifesto = json.loads((cartella / report_file.MANIFESTO).read_text(encoding="utf-8"))
    nomi = {f["territorio"]: f["nome"] for f in manifesto["file"]}
    return invia(cartella, args.destinatari, [(c, nomi[c]) for c in pendenti if c in nomi])


if __name__ == "__main__":
    raise SystemExit(main())
