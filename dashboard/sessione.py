"""The session's user: login through the Region's identity provider (Streamlit OIDC), perimeter, logout."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import streamlit as st

from dashboard import accesso, testo
from dashboard.accesso import APERTO, ErroreAccessi, Perimetro

log = logging.getLogger(__name__)

ENV_PRODUZIONE = "CRUSCOTTO_PRODUZIONE"
KEY_PERIMETRO = "_perimetro"
KEY_VISTA = "_vista_corrente"
CHIUSO = Perimetro(accesso.CONSULTAZIONE, ())  # a run with login configured but no user yet sees nothing finer


def auth_configurato() -> bool:
    """True when `.streamlit/secrets.toml` has an `[auth]` section (login through the identity provider)."""
    try:
        return bool(st.secrets.get("auth"))
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return False


def produzione() -> bool:
    """The production setting: CRUSCOTTO_PRODUZIONE=1 (the app refuses to open without a login)."""
    return os.environ.get(ENV_PRODUZIONE, "").strip().lower() in {"1", "true", "sì", "si", "yes"}


@st.cache_resource(show_spinner=False, max_entries=4)
def _accessi(percorso: str, _versione: tuple[float, int]) -> accesso.Accessi:
    """The access file, read again whenever it changes (keyed by modification time and size)."""
    return accesso.leggi(Path(percorso))


def _leggi_accessi() -> accesso.Accessi:
    percorso = accesso.percorso_accessi()
    try:
        stato = percorso.stat()
    except OSError:
        return accesso.leggi(percorso)  # raises the precise ErroreAccessi
    return _accessi(str(percorso), (stato.st_mtime, stato.st_size))


def _ferma(titolo: str, dettaglio: str, icona: str) -> None:
    st.error(f"**{titolo}** {dettaglio}", icon=icona)
    st.stop()


def accedi() -> Perimetro:
    """The perimeter of this session's user; draws the login or refusal screen and stops the run when there is none."""
    if not auth_configurato():
        if produzione():
            log.error("production mode without [auth] in secrets.toml: refusing to open")
            _ferma(
                "Accesso non configurato.",
                "In produzione il cruscotto si apre solo con l'accesso tramite l'identity provider regionale: "
                "configurare la sezione [auth] di .streamlit/secrets.toml (vedi docs/accesso.md).",
                ":material/lock:",
            )
        return APERTO
    try:
        accessi = _leggi_accessi()
    except ErroreAccessi as exc:
        log.error("access file rejected: %s", exc)
        titolo = "Il cruscotto non può aprirsi: il file degli accessi non è valido."
        _ferma(titolo, testo.md(str(exc)), ":material/lock:")
    if not st.user.get("is_logged_in", False):  # absent before the first login exchange
        _schermata_login()
        st.stop()
    perimetro = accessi.risolvi(st.user.to_dict())
    if perimetro is None:
        _non_autorizzato()
        st.stop()
    precedente = st.session_state.get(KEY_PERIMETRO)
    if precedente != perimetro:
        if precedente is not None:  # another identity in the same browser session: forget the other's state
            st.session_state.clear()
        log.info("login: %s role=%s provinces=%s", perimetro.email, perimetro.ruolo, ",".join(perimetro.province))
        st.session_state[KEY_PERIMETRO] = perimetro
    return perimetro


def _schermata_login() -> None:
    """The Italian login screen."""
    st.title("Cruscotto Crisi Lombardia")
    st.markdown(
        "Il cruscotto è riservato alla Direzione regionale Istruzione, Formazione e Lavoro, ai Nuclei crisi delle "
        "province e agli enti autorizzati. Si accede con le credenziali dell'identity provider di Regione Lombardia."
    )
    st.button("Accedi con le credenziali regionali", type="primary", icon=":material/login:", on_click=st.login)
    st.caption("Se è appena uscito, la sua sessione è chiusa: per rientrare accedere di nuovo.")


def _non_autorizzato() -> None:
    """The page of an authenticated user with no entry in the access file: nothing else is shown."""
    email = str(st.user.get("email") or "")
    log.warning("access denied: %s has no entry in the access file", email or "<no e-mail claim>")
    st.title("Accesso non autorizzato")
    st.error(
        f"L'utente **{testo.md(email) or 'senza e-mail'}** è riconosciuto dall'identity provider ma non è abilitato al "
        "cruscotto. Per essere abilitati scrivere alla Direzione regionale indicando ente e provincia.",
        icon=":material/block:",
    )
    st.button("Esci", icon=":material/logout:", on_click=esci)


def esci() -> None:
    """Logout: forget everything this session kept (filters, pinned deck, perimeter), then the identity cookie."""
    perimetro = st.session_state.get(KEY_PERIMETRO)
    if perimetro is not None:
        log.info("logout: %s role=%s", perimetro.email, perimetro.ruolo)
    st.session_state.clear()
    st.logout()


def navigazione(pagine: Sequence[st.Page], perimetro: Perimetro) -> list[st.Page]:
    """The pages the user may open first (the first is the default), then the others hidden and refusing."""
    aperte = [p for p in pagine if perimetro.vede(p.url_path)]
    chiuse = [
        st.Page(_rifiuto(p.title, perimetro), title=p.title, icon=p.icon, url_path=p.url_path, visibility="hidden")
        for p in pagine
        if not perimetro.vede(p.url_path)
    ]
    return [*aperte, *chiuse]


def _rifiuto(titolo: str, perimetro: Perimetro) -> Callable[[], None]:
    def pagina() -> None:
        log.warning("page refused: %s role=%s asked for %s", perimetro.email, perimetro.ruolo, titolo)
        st.title(titolo)
        st.error(
            f"**Pagina non disponibile per il suo profilo** ({perimetro.descrizione()}). Le pagine consentite sono "
            "nel menu a sinistra.",
            icon=":material/block:",
        )

    return pagina


def barra_utente(perimetro: Perimetro) -> None:
    """The user's name and role in the sidebar with the logout button, or the badge of an open demo."""
    with st.sidebar:
        if not perimetro.configurato:
            st.html(
                '<p class="badge-accesso" title="Senza login: chiunque apra il cruscotto vede tutto">'
                "Accesso non configurato</p>"
            )
            return
        st.html(
            f'<div class="utente"><strong>{testo.html_(perimetro.nome)}</strong><br>'
            f"<span>{testo.html_(perimetro.descrizione())}</span></div>"
        )
        st.button("Esci", icon=":material/logout:", key="esci", on_click=esci)


def corrente() -> Perimetro:
    """The perimeter of this run: the user's, APERTO when no login is configured, CHIUSO before a login."""
    if not auth_configurato():
        return APERTO
    return st.session_state.get(KEY_PERIMETRO, CHIUSO)


def imposta_vista(titolo: str) -> None:
    """Remember the page of this run (recorded with each download)."""
    st.session_state[KEY_VISTA] = titolo


def vista_corrente() -> str:
    """The page of this run."""
    return st.session_state.get(KEY_VISTA, "")
