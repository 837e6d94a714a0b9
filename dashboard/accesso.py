"""Who may see what: the access file (roles and provinces by e-mail or IdP group) and the user's perimeter.

Pure logic, no Streamlit: the app's session, the data loaders and the tests share it.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data_access.dominio import NOME_PROVINCIA, SIGLE

ROOT = Path(__file__).resolve().parents[1]
ENV_ACCESSI = "CRUSCOTTO_ACCESSI"
ACCESSI_PREDEFINITO = ROOT / ".streamlit" / "accessi.toml"
CLAIM_GRUPPI_PREDEFINITO = "groups"

DIREZIONE, NUCLEO, CONSULTAZIONE = "direzione", "nucleo", "consultazione"
RUOLI: dict[str, str] = {
    DIREZIONE: "Direzione regionale",
    NUCLEO: "Nucleo crisi",
    CONSULTAZIONE: "Consultazione",
}
# Views of published aggregates only (official tables, maps, year comparison): all that `consultazione` sees.
VISTE_PUBBLICATE: frozenset[str] = frozenset({"confronto", "mappe"})
# Views for the directorate alone, whatever the provinces.
VISTE_DIREZIONE: frozenset[str] = frozenset({"registro"})

_CAMPI_UTENTE = {"email", "ruolo", "province", "nome"}
_CAMPI_GRUPPO = {"gruppo", "ruolo", "province"}
_CAMPI_RADICE = {"utente", "gruppo", "claim_gruppi"}


class ErroreAccessi(Exception):
    """A malformed access file: the message names the file, the entry and the field."""

    def __init__(self, percorso: Path, voce: str, campo: str | None, problema: str) -> None:
        self.percorso, self.voce, self.campo, self.problema = percorso, voce, campo, problema
        dove = f"{voce}, campo «{campo}»" if campo else voce
        super().__init__(f"File degli accessi «{percorso}»: {dove}: {problema}")


@dataclass(frozen=True)
class Perimetro:
    """What a user may see: role, provinces of the finer (unpublished) figures, views.

    `province` are the provinces whose cases, step cohort, tavoli and finer cells the user sees: every province
    for the directorate, its own for a Nucleo, none for `consultazione` (published aggregates only).
    """

    ruolo: str
    province: tuple[str, ...]
    email: str = ""
    nome: str = ""
    configurato: bool = True  # False: no login configured (demo), the app is open as the directorate

    def limita(self, richieste: Iterable[str]) -> tuple[str, ...]:
        """The requested provinces within the perimeter, in the official order (may be empty)."""
        scelte = set(richieste)
        return tuple(s for s in self.province if s in scelte)

    def fuori(self, richieste: Iterable[str]) -> tuple[str, ...]:
        """The requested provinces the perimeter does not include."""
        return tuple(s for s in SIGLE if s in set(richieste) and s not in self.province)

    @property
    def tutte(self) -> bool:
        """True when the perimeter covers every province."""
        return set(self.province) == set(SIGLE)

    @property
    def province_filtro(self) -> tuple[str, ...]:
        """The provinces offered by the sidebar: a Nucleo's own; all for published aggregates and the directorate."""
        return self.province if self.ruolo == NUCLEO else SIGLE

    def vede(self, vista: str) -> bool:
        """Whether the view (URL path) is open to the user; a view the rules do not name is closed to consultazione."""
        if self.ruolo == DIREZIONE:
            return True
        if self.ruolo == NUCLEO:
            return vista not in VISTE_DIREZIONE
        return vista in VISTE_PUBBLICATE

    @property
    def vede_dettaglio(self) -> bool:
        """True when the user sees figures finer than the published tables (some province in the perimeter)."""
        return bool(self.province)

    def tavoli_ammessi(self, codici: Sequence[str]) -> tuple[str, ...]:
        """The tavoli whose deck the user may open: all for every province, else the bilateral ones of its own."""
        return tuple(codici) if self.tutte else tuple(c for c in codici if c in self.province)

    def descrizione(self) -> str:
        """The role in words, with the provinces of a Nucleo: 'Nucleo crisi · Lecco'."""
        if self.ruolo == NUCLEO:
            return f"{RUOLI[NUCLEO]} · {', '.join(NOME_PROVINCIA[s] for s in self.province)}"
        return RUOLI[self.ruolo]


APERTO = Perimetro(DIREZIONE, SIGLE, configurato=False)


@dataclass(frozen=True)
class Regola:
    """One entry of the access file: a role and its provinces, for an e-mail or an IdP group."""

    chiave: str  # the e-mail (lower case) or the group name
    ruolo: str
    province: tuple[str, ...]
    nome: str = ""


@dataclass(frozen=True)
class Accessi:
    """The parsed access file."""

    utenti: dict[str, Regola] = field(default_factory=dict)
    gruppi: tuple[Regola, ...] = ()
    claim_gruppi: str = CLAIM_GRUPPI_PREDEFINITO

    def risolvi(self, claims: Mapping[str, Any]) -> Perimetro | None:
        """The perimeter of an authenticated user: the e-mail entry first, else the first matching group; or None."""
        email = str(claims.get("email") or "").strip().lower()
        if not email or claims.get("email_verified") is False:
            return None
        nome = str(claims.get("name") or "")
        regola = self.utenti.get(email)
        if regola is None:
            gruppi = claims.get(self.claim_gruppi) or ()
            gruppi = {gruppi} if isinstance(gruppi, str) else {str(g) for g in gruppi}
            regola = next((g for g in self.gruppi if g.chiave in gruppi), None)
        if regola is None:
            return None
        return Perimetro(regola.ruolo, regola.province, email=email, nome=regola.nome or nome or email)


def percorso_accessi() -> Path:
    """The access file: CRUSCOTTO_ACCESSI, else .streamlit/accessi.toml."""
    return Path(os.environ.get(ENV_ACCESSI) or ACCESSI_PREDEFINITO)


def leggi(percorso: Path) -> Accessi:
    """Read and validate an access file; raise ErroreAccessi naming file, entry and field."""
    try:
        with percorso.open("rb") as fh:
            dati = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ErroreAccessi(percorso, "file", None, "il file non esiste") from exc
    except OSError as exc:
        raise ErroreAccessi(percorso, "file", None, f"il file non si può leggere ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ErroreAccessi(percorso, "file", None, f"non è un TOML valido ({exc})") from exc
    return valida(dati, percorso)


def valida(dati: Mapping[str, Any], percorso: Path) -> Accessi:
    """Check an access file's content: known fields, valid e-mails, roles and provinces, no duplicates."""
    ignoti = sorted(set(dati) - _CAMPI_RADICE)
    if ignoti:
        raise ErroreAccessi(percorso, "radice", ignoti[0], "campo sconosciuto (ammessi: utente, gruppo, claim_gruppi)")
    claim = dati.get("claim_gruppi", CLAIM_GRUPPI_PREDEFINITO)
    if not isinstance(claim, str) or not claim.strip():
        raise ErroreAccessi(percorso, "radice", "claim_gruppi", "deve essere il nome di un claim, tra virgolette")
    utenti: dict[str, Regola] = {}
    for n, voce in enumerate(_elenco(dati, "utente", percorso), start=1):
        regola = _regola(voce, "email", _CAMPI_UTENTE, f"utente n. {n}", percorso)
        if "@" not in regola.chiave or regola.chiave.startswith("@") or regola.chiave.endswith("@"):
            raise ErroreAccessi(percorso, f"utente n. {n}", "email", f"«{regola.chiave}» non è un indirizzo e-mail")
        if regola.chiave in utenti:
            raise ErroreAccessi(percorso, f"utente n. {n}", "email", f"«{regola.chiave}» compare più di una volta")
        utenti[regola.chiave] = regola
    gruppi = [
        _regola(voce, "gruppo", _CAMPI_GRUPPO, f"gruppo n. {n}", percorso)
        for n, voce in enumerate(_elenco(dati, "gruppo", percorso), start=1)
    ]
    return Accessi(utenti, tuple(gruppi), claim.strip())


def _elenco(dati: Mapping[str, Any], nome: str, percorso: Path) -> list[Mapping[str, Any]]:
    voci = dati.get(nome, [])
    if not isinstance(voci, list) or not all(isinstance(v, dict) for v in voci):
        raise ErroreAccessi(percorso, "radice", nome, f"le voci vanno scritte come [[{nome}]]")
    return voci


def _regola(voce: Mapping[str, Any], campo_chiave: str, ammessi: set[str], nome: str, percorso: Path) -> Regola:
    """One [[utente]] or [[gruppo]] entry, validated."""
    ignoti = sorted(set(voce) - ammessi)
    if ignoti:
        raise ErroreAccessi(percorso, nome, ignoti[0], f"campo sconosciuto (ammessi: {', '.join(sorted(ammessi))})")
    chiave = voce.get(campo_chiave)
    if not isinstance(chiave, str) or not chiave.strip():
        raise ErroreAccessi(percorso, nome, campo_chiave, "manca o è vuoto")
    nome = f"{nome} ({chiave.strip()})"
    ruolo = voce.get("ruolo")
    if ruolo not in RUOLI:
        raise ErroreAccessi(percorso, nome, "ruolo", f"«{ruolo}» non è un ruolo (ammessi: {', '.join(RUOLI)})")
    province = _province(voce.get("province"), ruolo, nome, percorso)
    etichetta = voce.get("nome", "")
    if not isinstance(etichetta, str):
        raise ErroreAccessi(percorso, nome, "nome", "deve essere un testo tra virgolette")
    chiave = chiave.strip().lower() if campo_chiave == "email" else chiave.strip()
    return Regola(chiave, ruolo, province, etichetta.strip())


def _province(raw: object, ruolo: str, nome: str, percorso: Path) -> tuple[str, ...]:
    """The provinces of an entry: required for a Nucleo, not allowed for the other roles (whose scope is fixed)."""
    if ruolo != NUCLEO:
        if raw is not None:
            raise ErroreAccessi(percorso, nome, "province", f"il ruolo «{ruolo}» non ha province: togliere il campo")
        return SIGLE if ruolo == DIREZIONE else ()
    if not isinstance(raw, list) or not raw:
        raise ErroreAccessi(percorso, nome, "province", 'un nucleo richiede un elenco di sigle, es. ["LC"]')
    sigle = [str(s).strip().upper() for s in raw]
    ignote = [s for s in sigle if s not in SIGLE]
    if ignote:
        ammesse = ", ".join(SIGLE)
        raise ErroreAccessi(percorso, nome, "province", f"sigla sconosciuta «{ignote[0]}» (ammesse: {ammesse})")
    return tuple(s for s in SIGLE if s in sigle)
