"""The 'Dichiarazione di accessibilità': its texts and the feedback channel, read from a setting. No Streamlit."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

ENV_CONTATTO = "CRUSCOTTO_ACCESSIBILITA_CONTATTO"
CONTATTO_PREDEFINITO = "lavoro@regione.lombardia.it"
LIVELLO = "WCAG 2.1 livello AA (EN 301 549), come richiesto dalla Legge 4/2004 e dalle Linee guida AgID"
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
_URL = re.compile(r"^https://[^\s<>\"']+$")


@dataclass(frozen=True)
class Contatto:
    """Where users report an accessibility problem: an e-mail address or an https page."""

    indirizzo: str

    @property
    def link(self) -> str:
        """The href of the contact."""
        return self.indirizzo if self.indirizzo.startswith("https://") else f"mailto:{self.indirizzo}"


def contatto() -> Contatto:
    """The feedback channel from CRUSCOTTO_ACCESSIBILITA_CONTATTO; a malformed value is logged and not shown."""
    raw = os.environ.get(ENV_CONTATTO, "").strip()
    if not raw:
        return Contatto(CONTATTO_PREDEFINITO)
    if _EMAIL.match(raw) or _URL.match(raw):
        return Contatto(raw)
    log.warning(
        "%s=%r is neither an e-mail address nor an https URL: using %s", ENV_CONTATTO, raw, CONTATTO_PREDEFINITO
    )
    return Contatto(CONTATTO_PREDEFINITO)


STATO = (
    "Il Cruscotto Crisi Lombardia è **parzialmente conforme** ai requisiti: i contenuti prodotti dall'applicazione "
    "(pagine, grafici, tabelle, slide del tavolo, file scaricati) sono verificati a ogni modifica; alcune parti "
    "della cornice generata dal framework Streamlit restano fuori dal suo controllo."
)
LIMITI = (
    "I grafici interattivi non sono leggibili da un lettore di schermo: ognuno è preceduto dal suo messaggio in "
    "parole e seguito dalla tabella dei dati (un tasto Tab più avanti), e ogni tabella si può scaricare.",
    "Le mappe delle province (pydeck) non si usano da tastiera: le stesse cifre sono nella tabella sotto la mappa.",
    "Le etichette della cornice di Streamlit (salto al contenuto, barra laterale, suggerimenti, selettore di date) "
    "sono tradotte dall'applicazione; restano in inglese le voci del menu ⋮ e i messaggi di connessione.",
    "Le tabelle interattive (griglia di Streamlit) si leggono da tastiera con le frecce; per una lettura "
    "lineare usare il file scaricato.",
)
VERIFICA = (
    "Ogni versione è verificata automaticamente con axe-core (regole WCAG 2.0/2.1 A e AA) in Chromium su ogni "
    "pagina, ogni scheda, ogni riquadro espandibile e ogni slide del tavolo; un test da tastiera raggiunge filtri, "
    "ogni download di ogni pagina e i comandi delle slide; un test calcola i contrasti della tavolozza, testi e "
    "segni dei grafici; un test apre la presentazione PowerPoint e ne controlla titoli, testi alternativi, proprietà "
    "e anteprima; i file Excel, la scheda del caso e il report PDF sono riletti (fogli con nome e intestazione "
    "definita, PDF con tag, lingua, titoli e intestazioni di tabella)."
)
TASTIERA = (
    "Tab e Maiusc+Tab percorrono filtri, schede, tabelle e download con un contorno blu ben visibile; nella "
    "modalità tavolo le frecce sinistra/destra e Pagina su/giù cambiano slide, e il numero della slide viene "
    "annunciato."
)
