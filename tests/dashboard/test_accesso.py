"""The access file and the perimeter: roles, provinces, groups, and precise errors for a malformed file."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import accesso
from dashboard.accesso import ErroreAccessi, Perimetro
from dashboard.letture.tavolo import CODICI_TAVOLO
from data_access.dominio import SIGLE

FILE = """
claim_gruppi = "gruppi"

[[utente]]
email = "Mario.Rossi@regione.lombardia.it"
ruolo = "direzione"

[[utente]]
email = "nucleo.crisi@provincia.lecco.it"
ruolo = "nucleo"
province = ["lc"]
nome = "Nucleo crisi di Lecco"

[[utente]]
email = "osservatorio@polis.lombardia.it"
ruolo = "consultazione"

[[gruppo]]
gruppo = "nucleo-crisi-mantova"
ruolo = "nucleo"
province = ["MN", "CR"]

[[gruppo]]
gruppo = "direzione-dg-lavoro"
ruolo = "direzione"
"""


def _scrivi(tmp_path: Path, testo: str) -> Path:
    path = tmp_path / "accessi.toml"
    path.write_text(testo, encoding="utf-8")
    return path


@pytest.fixture
def accessi(tmp_path: Path) -> accesso.Accessi:
    return accesso.leggi(_scrivi(tmp_path, FILE))


def test_roles_by_email_case_insensitive(accessi: accesso.Accessi) -> None:
    direzione = accessi.risolvi({"email": "mario.rossi@REGIONE.lombardia.it", "name": "Mario Rossi"})
    assert direzione == Perimetro("direzione", SIGLE, "mario.rossi@regione.lombardia.it", "Mario Rossi")
    nucleo = accessi.risolvi({"email": "nucleo.crisi@provincia.lecco.it", "name": "Giulia Bianchi"})
    assert (nucleo.ruolo, nucleo.province, nucleo.nome) == ("nucleo", ("LC",), "Nucleo crisi di Lecco")
    assert nucleo.descrizione() == "Nucleo crisi · Lecco"
    consultazione = accessi.risolvi({"email": "osservatorio@polis.lombardia.it"})
    assert (consultazione.ruolo, consultazione.province) == ("consultazione", ())


def test_group_claim_gives_a_role_to_users_without_an_entry(accessi: accesso.Accessi) -> None:
    mantova = accessi.risolvi({"email": "operatore@provincia.mantova.it", "gruppi": ["altro", "nucleo-crisi-mantova"]})
    assert (mantova.ruolo, mantova.province) == ("nucleo", ("CR", "MN"))  # official order
    # An e-mail entry wins over any group the user also has.
    lecco = accessi.risolvi({"email": "nucleo.crisi@provincia.lecco.it", "gruppi": "direzione-dg-lavoro"})
    assert lecco.ruolo == "nucleo"


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "estraneo@example.org", "gruppi": ["altro"]},
        {"name": "Senza e-mail"},
        {"email": "mario.rossi@regione.lombardia.it", "email_verified": False},
        {"email": "operatore@provincia.mantova.it", "groups": ["nucleo-crisi-mantova"]},  # not the configured claim
    ],
)
def test_unlisted_or_unverified_users_have_no_perimeter(accessi: accesso.Accessi, claims: dict) -> None:
    assert accessi.risolvi(claims) is None


def test_perimeter_narrows_requests_and_views() -> None:
    lecco = Perimetro("nucleo", ("LC",))
    assert lecco.limita(SIGLE) == ("LC",)
    assert lecco.limita(("MI", "BG")) == ()
    assert lecco.limita(("MI", "LC")) == ("LC",)
    assert lecco.fuori(("MI", "LC")) == ("MI",)
    assert lecco.province_filtro == ("LC",)
    assert lecco.tavoli_ammessi(CODICI_TAVOLO) == ("LC",)
    assert lecco.vede("casi") and lecco.vede("tavolo") and not lecco.vede("registro")
    osservatorio = Perimetro("consultazione", ())
    assert osservatorio.limita(SIGLE) == () and osservatorio.province_filtro == SIGLE
    assert [v for v in ("panoramica", "confronto", "mappe", "casi", "registro", "nuova") if osservatorio.vede(v)] == [
        "confronto",
        "mappe",
    ]
    assert osservatorio.tavoli_ammessi(CODICI_TAVOLO) == ()
    assert accesso.APERTO.tavoli_ammessi(CODICI_TAVOLO) == CODICI_TAVOLO and accesso.APERTO.vede("registro")


@pytest.mark.parametrize(
    ("testo", "voce", "campo", "problema"),
    [
        ('[[utente]]\nemail = "a@b.it"\nruolo = "capo"\n', "utente n. 1 (a@b.it)", "ruolo", "non è un ruolo"),
        ('[[utente]]\nemail = "a@b.it"\nruolo = "nucleo"\n', "utente n. 1 (a@b.it)", "province", "un nucleo richiede"),
        (
            '[[utente]]\nemail = "a@b.it"\nruolo = "direzione"\n[[utente]]\nemail = "c@d.it"\nruolo = "nucleo"\n'
            'province = ["LC", "LX"]\n',
            "utente n. 2 (c@d.it)",
            "province",
            "sigla sconosciuta «LX»",
        ),
        (
            '[[utente]]\nemail = "a@b.it"\nruolo = "direzione"\nprovince = ["MI"]\n',
            "utente n. 1 (a@b.it)",
            "province",
            "non ha province",
        ),
        (
            '[[utente]]\nemail = "a@b.it"\nruolo = "direzione"\n'
            '[[utente]]\nemail = "A@b.it"\nruolo = "consultazione"\n',
            "utente n. 2",
            "email",
            "più di una volta",
        ),
        (
            '[[utente]]\nemail = "nessuna-chiocciola"\nruolo = "direzione"\n',
            "utente n. 1",
            "email",
            "non è un indirizzo",
        ),
        ('[[utente]]\nmail = "a@b.it"\nruolo = "direzione"\n', "utente n. 1", "mail", "campo sconosciuto"),
        ('[[utente]]\nruolo = "direzione"\n', "utente n. 1", "email", "manca"),
        ('[[gruppo]]\ngruppo = "g"\nruolo = "nucleo"\nprovince = "LC"\n', "gruppo n. 1 (g)", "province", "elenco"),
        ("utenti = []\n", "radice", "utenti", "campo sconosciuto"),
        ('[utente]\nemail = "a@b.it"\n', "radice", "utente", "[[utente]]"),
        ('[[utente]\nemail = "a@b.it"\n', "file", None, "non è un TOML valido"),
    ],
)
def test_malformed_file_names_file_entry_and_field(
    tmp_path: Path, testo: str, voce: str, campo: str | None, problema: str
) -> None:
    path = _scrivi(tmp_path, testo)
    with pytest.raises(ErroreAccessi) as exc:
        accesso.leggi(path)
    assert exc.value.voce.startswith(voce) and exc.value.campo == campo
    assert problema in exc.value.problema
    assert str(exc.value).startswith(f"File degli accessi «{path}»: {voce}")


def test_missing_file_is_an_error_not_an_open_door(tmp_path: Path) -> None:
    with pytest.raises(ErroreAccessi, match="il file non esiste"):
        accesso.leggi(tmp_path / "assente.toml")


def test_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(accesso.ENV_ACCESSI, raising=False)
    assert accesso.percorso_accessi() == accesso.ROOT / ".streamlit" / "accessi.toml"
    monkeypatch.setenv(accesso.ENV_ACCESSI, str(tmp_path / "a.toml"))
    assert accesso.percorso_accessi() == tmp_path / "a.toml"
