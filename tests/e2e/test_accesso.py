"""Login through a real OpenID Connect provider on loopback, then what each role sees, downloads and is refused."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from oidc_provider_mock import User, run_server_in_thread
from playwright.sync_api import Browser, Page
from sqlalchemy.engine import Engine

from data_access import registro
from data_access.queries import casi as q_casi
from tests.e2e.conftest import VIEWPORT, porta_libera, scarica, screenshot, server_streamlit, wait_for_app

DIREZIONE = "mario.rossi@regione.lombardia.it"
NUCLEO_LC = "nucleo.crisi@provincia.lecco.it"
CONSULTAZIONE = "osservatorio@polis.lombardia.it"
ESTRANEO = "estraneo@example.org"
GRUPPO_MN = "operatore@provincia.mantova.it"
ACCESSI = f"""
[[utente]]
email = "{DIREZIONE}"
ruolo = "direzione"

[[utente]]
email = "{NUCLEO_LC}"
ruolo = "nucleo"
province = ["LC"]

[[utente]]
email = "{CONSULTAZIONE}"
ruolo = "consultazione"

[[gruppo]]
gruppo = "nucleo-crisi-mantova"
ruolo = "nucleo"
province = ["MN"]
"""
UTENTI = [
    User(sub="mario", claims={"email": DIREZIONE, "email_verified": True, "name": "Mario Rossi"}),
    User(sub="lecco", claims={"email": NUCLEO_LC, "email_verified": True, "name": "Giulia Bianchi"}),
    User(sub="polis", claims={"email": CONSULTAZIONE, "email_verified": True, "name": "Osservatorio PoliS"}),
    User(sub="estraneo", claims={"email": ESTRANEO, "email_verified": True, "name": "Ospite Estraneo"}),
    User(
        sub="mantova",
        claims={"email": GRUPPO_MN, "email_verified": True, "name": "Luca Verdi", "groups": ["nucleo-crisi-mantova"]},
    ),
]


@pytest.fixture(scope="module")
def accesso_url(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The dashboard with [auth] pointing at a live OIDC provider; yields its URL and the register's URL."""
    cartella = tmp_path_factory.mktemp("accesso")
    (cartella / "accessi.toml").write_text(ACCESSI, encoding="utf-8")
    url_registro = f"sqlite:///{cartella / 'registro.db'}"
    porta = porta_libera()
    with run_server_in_thread(port=porta_libera(), user_claims=UTENTI) as idp:
        (cartella / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{porta}/oauth2callback"\n'
            'cookie_secret = "chiave-di-prova-per-firmare-i-cookie-0123456789"\n'
            'client_id = "cruscotto-crisi"\n'
            'client_secret = "segreto-di-prova"\n'
            f'server_metadata_url = "http://127.0.0.1:{idp.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        env = {"CRUSCOTTO_ACCESSI": str(cartella / "accessi.toml"), "CRUSCOTTO_REGISTRO_URL": url_registro}
        opzioni = (f"--secrets.files={cartella / 'secrets.toml'}",)
        with server_streamlit(demo_url, cartella / "server.log", porta=porta, env_extra=env, opzioni=opzioni) as url:
            yield url, url_registro


def _entra(browser: Browser, url: str, sub: str) -> Page:
    """A fresh browser context logged in as `sub` through the provider's authorisation form."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="it-IT")
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(url)
    wait_for_app(page, 180)
    page.get_by_role("button", name="Accedi con le credenziali regionali").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.locator('input[name="sub"][type="text"]').fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**")
    wait_for_app(page, 180)
    return page


def _apri(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, 120)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Si è verificato un errore imprevisto").count() == 0


def _menu(page: Page) -> list[str]:
    return [t.splitlines()[-1] for t in page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()]


def _sidebar(page: Page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def _scarica(page: Page, etichetta: str, cartella: Path) -> bytes:
    bottone = page.locator('[data-testid="stDownloadButton"]').filter(has_text=etichetta).first
    return scarica(page, bottone, cartella).read_bytes()


def _csv(dati: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(dati.decode("utf-8-sig")), delimiter=";"))


def _registro(url: str) -> pl.DataFrame:
    eng = registro.crea_engine_registro(url)
    try:
        return registro.leggi(eng)
    finally:
        eng.dispose()


def test_nucleo_sees_its_province_only(
    accesso_url: tuple[str, str], browser: Browser, engine: Engine, tmp_path: Path
) -> None:
    url, url_registro = accesso_url
    page = _entra(browser, url, "lecco")
    try:
        assert "Giulia Bianchi" in _sidebar(page) and "Nucleo crisi · Lecco" in _sidebar(page)
        assert "Registro download" not in _menu(page) and "Casi alta complessità" in _menu(page)
        screenshot(page, "accesso_nucleo_panoramica")

        # A hostile link asks for Milan: the view stays on Lecco, with a notice.
        _apri(page, f"{url}/step-pal?prov=MI")
        assert page.get_by_text("fuori dal suo perimetro di accesso (MI)").is_visible()
        assert "Lecco" in page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()

        # The step dataset downloaded from Esporta holds Lecco only, no regional total, and is in the register.
        _apri(page, f"{url}/esporta?dataset=step&prov=LC,MI,BG")
        dati = _scarica(page, "CSV per Excel italiano", tmp_path)
        righe = _csv(dati)
        assert [r["Sigla"] for r in righe] == ["LC"]
        voce = _registro(url_registro).filter(pl.col("sha256") == hashlib.sha256(dati).hexdigest())
        assert voce.height == 1
        riga = voce.row(0, named=True)
        assert (riga["email"], riga["ruolo"], riga["perimetro"], riga["vista"]) == (
            NUCLEO_LC,
            "nucleo",
            "LC",
            "Esporta dati",
        )
        assert riga["dataset"] == "Step PAL per provincia" and riga["formato"] == "csv_it" and riga["righe"] == 1
        assert riga["byte"] == len(dati) and "Lecco" in riga["filtri"]

        # No high-complexity case has a unit in Lecco: the list is empty, and a Milan case by link is refused.
        _apri(page, f"{url}/casi?caso=AC-2025-04")
        assert page.get_by_text("non è tra quelli che può consultare").is_visible()
        assert page.get_by_text("0 casi").is_visible()
        assert (
            page.locator('[data-testid="stMain"] h2, [data-testid="stMain"] h3').filter(has_text="AC-2025-04").count()
            == 0
        )

        # Tavolo: the regional deck and Milan's are not offered; the PowerPoint is Lecco's and is registered.
        _apri(page, f"{url}/tavolo?tavolo=MI")
        assert page.get_by_text("non è tra quelli che può consultare").is_visible()
        assert "Tavolo bilaterale — Lecco" in page.locator('[data-testid="stMain"]').inner_text()
        screenshot(page, "accesso_nucleo_tavolo")

        # The register page is refused even by its URL.
        _apri(page, f"{url}/registro")
        assert page.get_by_text("Pagina non disponibile per il suo profilo").is_visible()
        assert page.locator('[data-testid="stDataFrame"]').count() == 0

        # Logout: back to the Italian login screen, and the app no longer opens without logging in again.
        page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Esci").click()
        page.wait_for_url("**/oauth2/end_session**")  # the provider's own session ends too (RP-initiated logout)
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(f"{url}/**")
        wait_for_app(page, 120)
        assert page.get_by_role("button", name="Accedi con le credenziali regionali").is_visible()
        assert page.locator('[data-testid="stSidebarNavLink"]').count() == 0
    finally:
        page.context.close()


def test_consultazione_sees_published_aggregates_only(accesso_url: tuple[str, str], browser: Browser) -> None:
    url, _ = accesso_url
    page = _entra(browser, url, "polis")
    try:
        assert _menu(page) == ["Confronto anni", "Mappe province"]
        assert page.locator('[data-testid="stMain"] h1').first.inner_text().startswith("Confronto")
        assert "Consultazione" in _sidebar(page)
        for percorso in ("casi", "esporta", "registro"):
            _apri(page, f"{url}/{percorso}")
            assert page.get_by_text("Pagina non disponibile per il suo profilo").is_visible(), percorso
            assert page.locator('[data-testid="stMetric"]').count() == 0, percorso
        _apri(page, f"{url}/mappe?metrica=pal")
        testo = page.locator('[data-testid="stMain"]').inner_text()
        assert "PAL attivate" not in testo and "Unità produttive per comune" not in testo
        screenshot(page, "accesso_consultazione_mappe")
    finally:
        page.context.close()


def test_unlisted_user_sees_only_the_refusal(accesso_url: tuple[str, str], browser: Browser) -> None:
    url, _ = accesso_url
    page = _entra(browser, url, "estraneo")
    try:
        assert page.get_by_role("heading", name="Accesso non autorizzato").is_visible()
        assert ESTRANEO in page.locator('[data-testid="stMain"]').inner_text()
        assert page.locator('[data-testid="stSidebarNavLink"]').count() == 0
        assert page.get_by_text("Dati al").count() == 0
        _apri(page, f"{url}/casi")
        assert page.get_by_role("heading", name="Accesso non autorizzato").is_visible()
        screenshot(page, "accesso_non_autorizzato")
    finally:
        page.context.close()


def test_direzione_sees_everything_and_the_register(
    accesso_url: tuple[str, str], browser: Browser, tmp_path: Path
) -> None:
    url, url_registro = accesso_url
    page = _entra(browser, url, "mario")
    try:
        assert "Mario Rossi" in _sidebar(page) and "Direzione regionale" in _sidebar(page)
        assert "Registro download" in _menu(page) and len(_menu(page)) >= 8
        _apri(page, f"{url}/esporta?dataset=step")
        dati = _scarica(page, "CSV per Excel italiano", tmp_path)
        sigle = [r["Sigla"] for r in _csv(dati)]
        assert len(sigle) == 13 and sigle[-1] == "TOT"  # 12 provinces and the regional total
        impronta = hashlib.sha256(dati).hexdigest()

        _apri(page, f"{url}/registro")
        assert page.get_by_role("heading", name="Registro download").is_visible()
        screenshot(page, "accesso_registro")
        grezzo = _scarica(page, "Scarica il registro", tmp_path)
        csv_registro = _csv(grezzo)
        assert impronta in [r["SHA-256"] for r in csv_registro]
        assert DIREZIONE in {r["Utente"] for r in csv_registro}
        # The register's own download is registered too, with the hash of the file the browser received.
        ultima = _registro(url_registro).row(0, named=True)
        assert (ultima["vista"], ultima["sha256"]) == ("Registro download", hashlib.sha256(grezzo).hexdigest())
    finally:
        page.context.close()


def test_group_claim_gives_a_province_and_its_cases(
    accesso_url: tuple[str, str], browser: Browser, engine: Engine, tmp_path: Path
) -> None:
    url, _ = accesso_url
    page = _entra(browser, url, "mantova")
    try:
        assert "Nucleo crisi · Mantova" in _sidebar(page)
        _apri(page, f"{url}/esporta?dataset=casi")
        casi = _csv(_scarica(page, "CSV per Excel italiano", tmp_path))
        attesi = _casi_di(engine, "MN")
        assert attesi and [r["Codice"] for r in casi] == attesi
        assert all("MN" in r["Province"].split(", ") for r in casi)
    finally:
        page.context.close()


def _casi_di(engine: Engine, sigla: str) -> list[str]:
    """The cases with a unit in the province, straight from the database."""
    coinvolte = q_casi.coinvolgimento(engine).group_by("codice").agg(pl.col("sigla").unique())
    return sorted(coinvolte.filter(pl.col("sigla").list.contains(sigla))["codice"].to_list())
