"""Misure PAL, Monitoraggio trimestrale and Report bimestrale for a Lecco Nucleo: only Lecco's finer figures.

Each page runs logged in as the Nucleo crisi di Lecco with a link asking for Milano: the link is narrowed with a
notice, no table or file names another province, and every file handed out leaves one row in the register.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from data_access import registro
from data_access.dominio import NOME_PROVINCIA
from tests.conftest import APP, ROOT
from tests.pages.test_accesso import AUTH

EMAIL = "nucleo.crisi@provincia.lecco.it"
EMAIL_MILANO = "nucleo.crisi@cittametropolitana.milano.it"
ALTRE = [nome for sigla, nome in NOME_PROVINCIA.items() if sigla != "LC"]
_gestori: list[MediaFileManager] = []


class _GestoreRegistrato(MediaFileManager):
    """The test runtime's media manager, kept so a test can run the deferred downloads as a click would."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _gestori.append(self)


@pytest.fixture(scope="module")
def nucleo_lecco(demo_url: str, registro_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    accessi = tmp_path_factory.mktemp("accessi") / "accessi.toml"
    voci = [(EMAIL, "LC"), (EMAIL_MILANO, "MI")]
    accessi.write_text(
        "".join(f'[[utente]]\nemail = "{e}"\nruolo = "nucleo"\nprovince = ["{s}"]\n' for e, s in voci), encoding="utf-8"
    )
    mp = pytest.MonkeyPatch()
    mp.setenv("CRUSCOTTO_DB_URL", demo_url)
    mp.setenv("CRUSCOTTO_ACCESSI", str(accessi))
    mp.setenv("CRUSCOTTO_REGISTRO_URL", registro_url)
    mp.delenv("CRUSCOTTO_SOGLIA_PRIVACY", raising=False)
    mp.setattr("streamlit.testing.v1.app_test.MediaFileManager", _GestoreRegistrato)
    yield
    mp.undo()


def _apri(pagina: str, timeout: float = 180, email: str = EMAIL, **query: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "email_verified": True, "name": "Nucleo crisi"}
    for chiave, valore in query.items():
        at.query_params[chiave] = valore
    at.run()
    at.switch_page(str(ROOT / "pages" / pagina))
    at.run()
    assert not at.exception, at.exception
    return at


def _testo_tabelle(at: AppTest) -> str:
    parti = [d.value.to_csv() for d in at.dataframe]
    parti += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parti)


def _righe_registro(registro_url: str) -> list[dict]:
    eng = registro.crea_engine_registro(registro_url)
    registro.prepara(eng)
    with eng.connect() as conn:
        righe = [dict(r._mapping) for r in conn.execute(text("SELECT * FROM registro_download ORDER BY rowid"))]
    eng.dispose()
    return righe


def _scarica_tutto(at: AppTest) -> list[bytes]:
    """Run every download button's file as its click does (the register row is written then)."""
    gestore = _gestori[-1]
    bottoni = at.get("download_button")
    assert bottoni
    return [gestore._deferred_callables[b.proto.deferred_file_id]["callable"]() for b in bottoni]


def _testo_file(dati: bytes) -> str:
    if dati[:2] == b"PK":  # xlsx
        libro = openpyxl.load_workbook(io.BytesIO(dati), read_only=True)
        return "\n".join(str(c) for foglio in libro for riga in foglio.iter_rows(values_only=True) for c in riga)
    if dati[:4] == b"%PDF":
        import subprocess

        return subprocess.run(["pdftotext", "-", "-"], input=dati, capture_output=True, check=True).stdout.decode()
    return dati.decode("utf-8-sig", errors="replace")


def _nessuna_altra_provincia(testo: str, dove: str) -> None:
    trovate = [nome for nome in ALTRE if re.search(rf"(?<!Via )(?<!Viale )(?<!Corso )\b{nome}\b", testo)]
    assert not trovate, f"{dove}: {trovate}"


def _avviso_link(at: AppTest) -> None:
    assert any("fuori dal suo perimetro" in w.value for w in at.warning), [w.value for w in at.warning]


def _verifica_download(at: AppTest, registro_url: str) -> list[dict]:
    prima = len(_righe_registro(registro_url))
    files = _scarica_tutto(at)
    righe = _righe_registro(registro_url)[prima:]
    assert len(righe) == len(files)  # one row per file handed out
    assert {(r["email"], r["ruolo"], r["perimetro"]) for r in righe} == {(EMAIL, "nucleo", "LC")}
    for dati, riga in zip(files, righe, strict=True):
        _nessuna_altra_provincia(_testo_file(dati), riga["nome_file"])
    return righe


def test_misure_for_lecco_only(nucleo_lecco: None, registro_url: str) -> None:
    at = _apri("misure.py", prov="MI")
    assert not at.error
    _avviso_link(at)
    _nessuna_altra_provincia(_testo_tabelle(at), "tabelle")
    province = at.dataframe[1].value if len(at.dataframe) > 1 else None
    assert province is not None
    _verifica_download(at, registro_url)


def test_monitoraggio_for_lecco_only(nucleo_lecco: None, registro_url: str) -> None:
    at = _apri("monitoraggio.py", prov="MI")
    assert not at.error
    _avviso_link(at)
    _nessuna_altra_provincia(_testo_tabelle(at), "tabelle")
    _verifica_download(at, registro_url)


def test_report_lecco_edition_only(nucleo_lecco: None, registro_url: str, tmp_path: Path) -> None:
    at = _apri("report.py", timeout=300, prov="MI", territorio="regione")
    _avviso_link(at)
    assert at.selectbox[1].options == ["Provincia di Lecco"]  # no regional edition for a single province
    assert any("«regione»" in w.value for w in at.warning)
    assert at.selectbox[1].value == "LC"
    at.button[0].click().run(timeout=300)
    assert not at.exception and not at.error
    assert [b.label for b in at.get("download_button")] == ["Scarica il PDF", "Scarica l'allegato XLSX"]
    righe = _verifica_download(at, registro_url)
    assert [r["nome_file"].rsplit(".", 1)[1] for r in righe] == ["pdf", "xlsx"]
    assert {r["dataset"] for r in righe} == {"Report bimestrale - Provincia di Lecco"}


def _loader_con_tutte_le_province() -> None:
    """A script that asks the three pages' loaders for every province as a Nucleo's session."""
    import streamlit as st

    from dashboard import loaders
    from dashboard.accesso import NUCLEO, Perimetro
    from dashboard.loaders import misure, monitoraggio, report
    from dashboard.sessione import KEY_PERIMETRO
    from dashboard.viste.report import Periodo
    from data_access.dominio import SIGLE

    st.session_state[KEY_PERIMETRO] = Perimetro(NUCLEO, ("LC",), email="x@y.it")
    db = loaders.url()
    al = loaders.info_dati(db).data_estrazione
    q = misure.quadro(db, 2025, SIGLE)
    m = monitoraggio.vista(db, 2025, SIGLE, al, 45, 0)
    d = report.dati(db, Periodo.leggi("2025-11"), SIGLE, al)
    st.write(",".join(sorted(set(q.per_provincia["sigla"]))))
    st.write(",".join(m.province))
    st.write(",".join(report.perimetro()))
    st.write(",".join(d.province))


def test_loaders_read_only_the_perimeter_whatever_the_page_asks(nucleo_lecco: None) -> None:
    at = AppTest.from_function(_loader_con_tutte_le_province, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.run()
    assert not at.exception, at.exception
    assert [m.value for m in at.markdown] == ["LC", "LC", "LC", "LC"]


def test_case_spanning_provinces_shows_the_nucleo_part_only(nucleo_lecco: None) -> None:
    # AC-2025-18: one procedure with 6 workers in Como and 199 in Milano; Milano's Nucleo sees its 199.
    at = _apri("casi.py", email=EMAIL_MILANO, caso="AC-2025-18")
    assert not at.error
    metriche = {m.label: m.value for m in at.metric}
    assert metriche["Lavoratori coinvolti"] == "199"
    assert any("sola parte del caso" in c.value for c in at.caption)
    assert "Como" not in _testo_tabelle(at)
