"""AppTest of the Dichiarazione di accessibilità: level, limits, and the contact from the setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGINA = Path(__file__).resolve().parents[2] / "pages" / "accessibilita.py"


def test_statement_shows_level_limits_and_configured_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRUSCOTTO_ACCESSIBILITA_CONTATTO", "accessibilita@regione.lombardia.it")
    at = AppTest.from_file(str(PAGINA), default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "Dichiarazione di accessibilità"
    testi = " ".join(m.value for m in at.markdown)
    assert "WCAG 2.1 livello AA" in testi and "parzialmente conforme" in testi and "pydeck" in testi
    html = " ".join(h.proto.body for h in at.get("html"))
    assert 'href="mailto:accessibilita@regione.lombardia.it"' in html
