"""E-mail delivery of the reports against a real SMTP server on loopback (aiosmtpd), refusals and a server down."""

from __future__ import annotations

import email
import json
import shutil
import socket
from collections.abc import Iterator
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from dashboard import report_cli, report_invio
from tests.conftest import PERIODO, Generati

RIFIUTATO = "sconosciuto@provincia.lecco.it"


class Casella:
    """An SMTP handler that keeps every message and refuses one address permanently."""

    def __init__(self) -> None:
        self.messaggi: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == RIFIUTATO:
            return "550 5.1.1 Destinatario sconosciuto"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messaggi.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


def _porta_libera() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Casella, int]]:
    casella = Casella()
    porta = _porta_libera()
    controller = Controller(casella, hostname="127.0.0.1", port=porta)
    controller.start()
    yield casella, porta
    controller.stop()


@pytest.fixture
def cartella(report_generati: Generati, tmp_path: Path) -> Path:
    """A copy of the generated reports (delivery writes invio.json beside them)."""
    copia = tmp_path / "out" / PERIODO
    shutil.copytree(report_generati.cartella, copia)
    return copia


def _ambiente(monkeypatch: pytest.MonkeyPatch, porta: int) -> None:
    valori = {"HOST": "127.0.0.1", "PORTA": str(porta), "STARTTLS": "0", "TENTATIVI": "3", "ATTESA_S": "0",
              "TIMEOUT_S": "5", "MITTENTE": "presidio.crisi@regione.lombardia.it"}  # fmt: skip
    for nome, valore in valori.items():
        monkeypatch.setenv(f"CRUSCOTTO_SMTP_{nome}", valore)


def _destinatari(tmp_path: Path, lecco: list[str]) -> Path:
    path = tmp_path / "destinatari.toml"
    path.write_text(
        f'[destinatari]\nLC = {json.dumps(lecco)}\nregione = ["presidio.crisi@regione.lombardia.it"]\n',
        encoding="utf-8",
    )
    return path


TERRITORI = [("LC", "Provincia di Lecco"), ("regione", "Regione Lombardia (12 province)")]


def test_un_messaggio_per_territorio_con_i_due_file(
    smtp, cartella: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_url: str, capsys
) -> None:
    casella, porta = smtp
    _ambiente(monkeypatch, porta)
    monkeypatch.setenv("CRUSCOTTO_DB_URL", demo_url)
    dest = _destinatari(tmp_path, ["nucleo.crisi@provincia.lecco.it"])
    assert report_cli.invia(cartella, dest, TERRITORI) == 0
    assert len(casella.messaggi) == 2
    destinatari, grezzo = casella.messaggi[0]
    assert destinatari == ["nucleo.crisi@provincia.lecco.it"]
    msg = email.message_from_bytes(grezzo, policy=policy.default)
    assert msg["Subject"] == "Report bimestrale CIGS in corso — Provincia di Lecco — novembre–dicembre 2025"
    assert "in allegato il report bimestrale" in msg.get_body().get_content()
    allegati = {a.get_filename(): a.get_content() for a in msg.iter_attachments()}
    manifesto = json.loads((cartella / "manifest.json").read_text(encoding="utf-8"))
    lecco = manifesto["file"][0]
    assert allegati[lecco["pdf"]["file"]] == (cartella / lecco["pdf"]["file"]).read_bytes()
    assert allegati[lecco["xlsx"]["file"]] == (cartella / lecco["xlsx"]["file"]).read_bytes()
    stato = json.loads((cartella / "invio.json").read_text(encoding="utf-8"))
    assert stato["LC"]["riuscito"] and stato["regione"]["riuscito"]
    assert "inviato a nucleo.crisi@provincia.lecco.it" in capsys.readouterr().out
    # Run again (a scheduler's retry): nothing already delivered is sent twice.
    assert report_cli.invia(cartella, dest, TERRITORI) == 0
    assert len(casella.messaggi) == 2
    assert "già inviato" in capsys.readouterr().out


def test_destinatario_rifiutato_segnalato_e_gli_altri_serviti(smtp, cartella: Path, tmp_path: Path) -> None:
    casella, porta = smtp
    imp = report_invio.ImpostazioniSmtp("127.0.0.1", porta, starttls=False, tentativi=3, attesa_s=0)
    m = report_invio.messaggio(
        "LC", "Provincia di Lecco", "novembre–dicembre 2025", "dati al 15/01/2026",
        ["nucleo.crisi@provincia.lecco.it", RIFIUTATO], *sorted(cartella.glob("*_LC_*")),
    )  # fmt: skip
    esito = report_invio.invia(m, imp, attendi=lambda s: None)
    assert not esito.riuscito
    assert esito.consegnato == ["nucleo.crisi@provincia.lecco.it"]
    assert esito.rifiutati[RIFIUTATO].startswith("550")
    assert esito.tentativi == 1  # a permanent refusal is not retried
    assert len(casella.messaggi) == 1
    assert "rifiutato per sconosciuto@provincia.lecco.it (550" in report_invio.descrivi(esito)


def test_server_spento_ritentato_poi_segnalato_e_reinviato(
    cartella: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_url: str, capsys
) -> None:
    porta = _porta_libera()  # nothing listens there
    _ambiente(monkeypatch, porta)
    monkeypatch.setenv("CRUSCOTTO_DB_URL", demo_url)
    attese: list[float] = []
    monkeypatch.setattr(report_invio.time, "sleep", attese.append)
    dest = _destinatari(tmp_path, ["nucleo.crisi@provincia.lecco.it"])
    pdf_prima = {p.name: p.read_bytes() for p in cartella.glob("*.pdf")}
    assert report_cli.invia(cartella, dest, TERRITORI) == 3
    uscita = capsys.readouterr()
    assert "NON INVIATO" in uscita.out and "invio non riuscito dopo 3 tentativi" in uscita.out
    assert "--reinvia" in uscita.err
    assert attese == [0.0, 0.0, 0.0, 0.0]  # two waits per message between its three attempts
    stato = json.loads((cartella / "invio.json").read_text(encoding="utf-8"))
    assert not stato["LC"]["riuscito"] and "ConnectionRefusedError" in stato["LC"]["errore"]
    assert {p.name: p.read_bytes() for p in cartella.glob("*.pdf")} == pdf_prima  # the files stay
    assert report_invio.da_reinviare(cartella) == ["LC", "regione"]
    # The server is back: --reinvia sends what failed, from the files on disk.
    casella = Casella()
    controller = Controller(casella, hostname="127.0.0.1", port=porta)
    controller.start()
    try:
        argomenti = ["--periodo", PERIODO, "--out", str(cartella.parent), "--destinatari", str(dest), "--reinvia"]
        assert report_cli.main(argomenti) == 0
    finally:
        controller.stop()
    assert len(casella.messaggi) == 2
    assert report_invio.da_reinviare(cartella) == []


def test_impostazioni_mancanti_e_destinatari_errati(tmp_path: Path) -> None:
    with pytest.raises(report_invio.ErroreImpostazioni, match="server SMTP"):
        report_invio.impostazioni({})
    sbagliato = tmp_path / "d.toml"
    sbagliato.write_text('[destinatari]\nXX = ["a@b.it"]\n', encoding="utf-8")
    with pytest.raises(report_invio.ErroreImpostazioni, match="territorio sconosciuto"):
        report_invio.destinatari(sbagliato)
    with pytest.raises(report_invio.ErroreImpostazioni, match="non trovato"):
        report_invio.destinatari(tmp_path / "manca.toml")
