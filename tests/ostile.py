"""Hostile text: values that Markdown, HTML or the eye would misread, put into a copy of the demo database."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

from data_access.testo import INVISIBILI

CASO = "AC-2025-02"  # the most urgent open case: first row of the tavolo's cases slide
NOME = (
    "[Sessione scaduta — accedi qui](https://evil.example/login) ![x](https://evil.example/p.png) "
    '<img src=x onerror=alert(1)> \u202eAzienda\u200b\x07 :red[S.p.A.] $x$ =HYPERLINK("http://evil.example")'
)
SCADENZA = "<b>CIGS</b> [qui](http://evil.example)"
ATECO = "**Confezione** <script>alert(1)</script> \u2066x\u2069"
LIVELLI = "Regione [Lombardia](http://evil.example), <i>Nucleo</i>"
NOTE = "<img src=x onerror=alert(2)> note\u202e"
LINK = {"prov": "[x](http://evil.example)", "anno": "<img src=x>", "tipo": "\u202eA\u200b"}

INVISIBILE = re.compile(f"[{INVISIBILI}]")
# Markdown that would become a link, an image, HTML or a Streamlit colour if not escaped.
MARKDOWN_ATTIVO = re.compile(r"(?<!\\)\]\(|(?<!\\)<(img|script|b>|i>|a\s)|(?<!\\):red\[")
HTML_ATTIVO = re.compile(r"<(img|script|b>|i>)")


def db_ostile(sorgente: Path, cartella: Path) -> Path:
    """A copy of the demo database whose case AC-2025-02 carries hostile text in every text field."""
    target = cartella / "ostile.db"
    shutil.copy(sorgente, target)
    conn = sqlite3.connect(target)
    (azienda,) = conn.execute("SELECT azienda_id FROM caso_alta_complessita WHERE codice = ?", (CASO,)).fetchone()
    conn.execute("UPDATE azienda SET ragione_sociale = ?, ateco_descrizione = ? WHERE id = ?", (NOME, ATECO, azienda))
    conn.execute(
        "UPDATE caso_alta_complessita SET tipo_scadenza = ?, livelli_istituzionali = ?, note = ? WHERE codice = ?",
        (SCADENZA, LIVELLI, NOTE, CASO),
    )
    conn.commit()
    conn.close()
    return target
