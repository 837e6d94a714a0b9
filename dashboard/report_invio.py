"""Delivery of the reports by e-mail: one message per territory, both files attached, through the SMTP server of
the settings. A failed delivery is retried, then reported (terminal, log, invio.json); the files stay on disk.

Settings (environment, else `[smtp]` in .streamlit/secrets.toml): CRUSCOTTO_SMTP_HOST, CRUSCOTTO_SMTP_PORT (587),
CRUSCOTTO_SMTP_STARTTLS (1/0), CRUSCOTTO_SMTP_USER, CRUSCOTTO_SMTP_PASSWORD, CRUSCOTTO_SMTP_MITTENTE,
CRUSCOTTO_SMTP_TIMEOUT_S (30), CRUSCOTTO_SMTP_TENTATIVI (3), CRUSCOTTO_SMTP_ATTESA_S (30, doubled at each retry).
Recipients: a TOML file (default .streamlit/destinatari.toml) with a `[destinatari]` table: sigla or «regione» →
list of addresses.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from dashboard import formatting
from dashboard.report_file import MIME_XLSX
from dashboard.viste.report import REGIONE
from data_access.dominio import SIGLE

log = logging.getLogger(__name__)

DESTINATARI_PREDEFINITI = Path(".streamlit") / "destinatari.toml"
STATO_INVIO = "invio.json"
_PREFISSO = "CRUSCOTTO_SMTP_"


class ErroreImpostazioni(Exception):
    """Settings or recipients that cannot be used: an Italian message."""


@dataclass(frozen=True)
class ImpostazioniSmtp:
    """Where and how to send."""

    host: str
    porta: int = 587
    starttls: bool = True
    utente: str | None = None
    password: str | None = field(default=None, repr=False)
    mittente: str = "cruscotto-crisi@localhost"
    timeout_s: float = 30.0
    tentativi: int = 3
    attesa_s: float = 30.0


def _segreti() -> dict[str, object]:
    for path in (Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"):
        if path.is_file():
            with path.open("rb") as fh:
                return dict(tomllib.load(fh).get("smtp", {}))
    return {}


def impostazioni(ambiente: Mapping[str, str] | None = None) -> ImpostazioniSmtp:
    """The SMTP settings from the environment (else secrets.toml); ErroreImpostazioni when missing or malformed."""
    env = os.environ if ambiente is None else ambiente
    segreti = _segreti()

    def valore(nome: str, predefinito: object = None) -> object:
        return env.get(_PREFISSO + nome.upper()) or segreti.get(nome) or predefinito

    host = valore("host")
    if not host:
        raise ErroreImpostazioni(
            "Invio non configurato: indicare il server SMTP (CRUSCOTTO_SMTP_HOST o [smtp] host in secrets.toml)."
        )
    try:
        return ImpostazioniSmtp(
            host=str(host),
            porta=int(valore("porta", 587)),  # type: ignore[arg-type]
            starttls=str(valore("starttls", "1")).lower() not in ("0", "false", "no"),
            utente=str(valore("user")) if valore("user") else None,
            password=str(valore("password")) if valore("password") else None,
            mittente=str(valore("mittente", "cruscotto-crisi@localhost")),
            timeout_s=float(valore("timeout_s", 30)),  # type: ignore[arg-type]
            tentativi=max(1, int(valore("tentativi", 3))),  # type: ignore[arg-type]
            attesa_s=max(0.0, float(valore("attesa_s", 30))),  # type: ignore[arg-type]
        )
    except ValueError as exc:
        raise ErroreImpostazioni(f"Impostazioni SMTP non valide: {exc}.") from exc


def destinatari(percorso: Path) -> dict[str, list[str]]:
    """Territory code → addresses, from the recipients file; ErroreImpostazioni on a missing or malformed file."""
    try:
        with percorso.open("rb") as fh:
            tabella = tomllib.load(fh).get("destinatari", {})
    except FileNotFoundError as exc:
        raise ErroreImpostazioni(f"File dei destinatari non trovato: {percorso}.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ErroreImpostazioni(f"File dei destinatari non valido ({percorso}): {exc}.") from exc
    validi = {*SIGLE, REGIONE}
    elenco: dict[str, list[str]] = {}
    for chiave, indirizzi in tabella.items():
        codice = chiave if chiave == REGIONE else chiave.upper()
        if codice not in validi:
            raise ErroreImpostazioni(f"Destinatari per «{chiave}»: territorio sconosciuto (sigle o «regione»).")
        if isinstance(indirizzi, str):
            indirizzi = [indirizzi]
        if not all(isinstance(i, str) and "@" in i and "\n" not in i for i in indirizzi):
            raise ErroreImpostazioni(f"Destinatari per «{chiave}»: indirizzi non validi.")
        elenco[codice] = list(indirizzi)
    return elenco


@dataclass(frozen=True)
class Allegato:
    """A file to attach, from disk."""

    percorso: Path
    mime: str


@dataclass(frozen=True)
class Messaggio:
    """One territory's message: who, what, which files."""

    territorio: str
    destinatari: tuple[str, ...]
    oggetto: str
    testo: str
    allegati: tuple[Allegato, ...]


@dataclass
class Esito:
    """How one message went: delivered to whom, refused by whom, the last error, attempts made."""

    territorio: str
    destinatari: list[str]
    consegnato: list[str] = field(default_factory=list)
    rifiutati: dict[str, str] = field(default_factory=dict)
    errore: str = ""
    tentativi: int = 0
    pdf_sha256: str = ""  # which file was sent: a rerun with the same file does not send it again

    @property
    def riuscito(self) -> bool:
        """True when every recipient accepted the message."""
        return not self.errore and not self.rifiutati and set(self.consegnato) == set(self.destinatari)


def messaggio(
    territorio: str, nome: str, periodo: str, dati_al: str, indirizzi: Sequence[str], pdf: Path, xlsx: Path
) -> Messaggio:
    """The Italian message for a territory's report."""
    oggetto = f"Report bimestrale CIGS in corso — {nome} — {periodo}"
    testo = (
        "Buongiorno,\n\n"
        f"in allegato il report bimestrale sulle procedure di CIGS in corso per {nome}, bimestre {periodo} "
        f"({dati_al}), con l'allegato XLSX degli elenchi.\n\n"
        "I conteggi di lavoratori inferiori alla soglia di riservatezza sono nascosti come indicato nel report.\n\n"
        "Regione Lombardia — DG Istruzione, Formazione, Lavoro\n"
        "Messaggio inviato automaticamente dal Cruscotto Crisi Lombardia.\n"
    )
    return Messaggio(
        territorio, tuple(indirizzi), oggetto, testo,
        (Allegato(pdf, "application/pdf"), Allegato(xlsx, MIME_XLSX)),
    )  # fmt: skip


def _email(m: Messaggio, mittente: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = mittente
    msg["To"] = ", ".join(m.destinatari)
    msg["Subject"] = m.oggetto
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=mittente.rsplit("@", 1)[-1])
    msg.set_content(m.testo, charset="utf-8")
    for a in m.allegati:
        principale, secondario = a.mime.split("/", 1)
        msg.add_attachment(a.percorso.read_bytes(), maintype=principale, subtype=secondario, filename=a.percorso.name)
    return msg


def _testo_smtp(codice: int, testo: bytes | str) -> str:
    return f"{codice} {testo.decode('utf-8', 'replace') if isinstance(testo, bytes) else testo}"


def invia(m: Messaggio, imp: ImpostazioniSmtp, attendi: Callable[[float], None] | None = None) -> Esito:
    """Send one message, retrying a server that fails or a temporary refusal (4xx), with a doubling wait.

    A permanent refusal (5xx) of an address is reported at once; the function never raises.
    """
    esito = Esito(m.territorio, list(m.destinatari))
    da_inviare, attesa = list(m.destinatari), imp.attesa_s
    for tentativo in range(1, imp.tentativi + 1):
        esito.tentativi = tentativo
        rifiutati: dict[str, tuple[int, bytes]] | None
        try:
            email = _email(m, imp.mittente)
            with smtplib.SMTP(imp.host, imp.porta, timeout=imp.timeout_s) as smtp:
                if imp.starttls:
                    smtp.starttls()
                if imp.utente:
                    smtp.login(imp.utente, imp.password or "")
                rifiutati = smtp.send_message(email, from_addr=imp.mittente, to_addrs=da_inviare)
            esito.errore = ""
        except smtplib.SMTPRecipientsRefused as exc:
            rifiutati, esito.errore = exc.recipients, ""
        except (OSError, smtplib.SMTPException) as exc:
            rifiutati, esito.errore = None, f"{type(exc).__name__}: {exc}"
            log.warning("delivery of %s, attempt %d/%d: %s", m.territorio, tentativo, imp.tentativi, esito.errore)
        if rifiutati is not None:
            for d in da_inviare:
                if d not in rifiutati:
                    esito.consegnato.append(d)
                    esito.rifiutati.pop(d, None)
            esito.rifiutati.update({d: _testo_smtp(c, t) for d, (c, t) in rifiutati.items()})
            da_inviare = [d for d, (c, _) in rifiutati.items() if 400 <= c < 500]
        if not da_inviare:
            break
        if tentativo < imp.tentativi:
            (attendi or time.sleep)(attesa)
            attesa *= 2
    if not esito.riuscito:
        log.error("delivery of %s failed: error=%r refused=%r", m.territorio, esito.errore, esito.rifiutati)
    return esito


def descrivi(e: Esito) -> str:
    """One Italian line about a delivery."""
    if e.riuscito:
        return f"inviato a {', '.join(e.consegnato)}"
    parti = []
    if e.consegnato:
        parti.append(f"consegnato a {', '.join(e.consegnato)}")
    if e.rifiutati:
        parti.append("rifiutato per " + ", ".join(f"{d} ({t})" for d, t in e.rifiutati.items()))
    if e.errore:
        parti.append(f"invio non riuscito dopo {e.tentativi} tentativi: {e.errore}")
    return "NON INVIATO — " + "; ".join(parti)


def salva_stato(cartella: Path, esiti: Sequence[Esito], giorno: str) -> Path:
    """Write invio.json beside the files: every territory's outcome, pending ones marked."""
    percorso = cartella / STATO_INVIO
    precedente = leggi_stato(cartella)
    for e in esiti:
        precedente[e.territorio] = {**asdict(e), "riuscito": e.riuscito, "ultimo_tentativo": giorno}
    percorso.write_text(json.dumps(precedente, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return percorso


def leggi_stato(cartella: Path) -> dict[str, dict]:
    """The outcomes recorded in invio.json (empty when none)."""
    percorso = cartella / STATO_INVIO
    if not percorso.is_file():
        return {}
    return json.loads(percorso.read_text(encoding="utf-8"))


def da_reinviare(cartella: Path) -> list[str]:
    """The territories whose delivery is recorded as failed."""
    return sorted(t for t, e in leggi_stato(cartella).items() if not e.get("riuscito"))


def oggi() -> str:
    """Today as dd/mm/yyyy, for invio.json."""
    from datetime import date

    return formatting.data(date.today())
