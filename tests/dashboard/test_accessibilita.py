"""The accessibility statement's feedback channel comes from a setting, validated; bad values are not shown."""

from __future__ import annotations

import logging

import pytest

from dashboard.viste import accessibilita


@pytest.mark.parametrize(
    ("valore", "indirizzo", "link"),
    [
        ("", accessibilita.CONTATTO_PREDEFINITO, f"mailto:{accessibilita.CONTATTO_PREDEFINITO}"),
        (
            "accessibilita@regione.lombardia.it",
            "accessibilita@regione.lombardia.it",
            "mailto:accessibilita@regione.lombardia.it",
        ),
        (
            "https://www.regione.lombardia.it/segnala",
            "https://www.regione.lombardia.it/segnala",
            "https://www.regione.lombardia.it/segnala",
        ),
    ],
)
def test_contact_from_the_setting(monkeypatch: pytest.MonkeyPatch, valore: str, indirizzo: str, link: str) -> None:
    monkeypatch.setenv(accessibilita.ENV_CONTATTO, valore)
    c = accessibilita.contatto()
    assert (c.indirizzo, c.link) == (indirizzo, link)


@pytest.mark.parametrize("valore", ["javascript:alert(1)", "<b>@x.it", "http://insicuro.it", "non un indirizzo"])
def test_bad_contact_is_logged_and_replaced(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, valore: str
) -> None:
    monkeypatch.setenv(accessibilita.ENV_CONTATTO, valore)
    with caplog.at_level(logging.WARNING):
        assert accessibilita.contatto().indirizzo == accessibilita.CONTATTO_PREDEFINITO
    assert accessibilita.ENV_CONTATTO in caplog.text
