"""The Report bimestrale page in AppTest: period and territory from the link, key figures, the two downloads."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from dashboard.loaders import report as loader
from dashboard.viste.report import Periodo, Territorio
from data_access.dominio import SIGLE

DATA_DATI = date(2026, 1, 15)


def _metriche(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_ultimo_bimestre_completo_e_regione_per_default(app_page) -> None:
    at = app_page("report.py")
    assert not at.exception
    assert at.title[0].value == "Report bimestrale alle province"
    assert at.selectbox[0].value == "2025-11" and at.selectbox[1].value == "regione"
    assert at.query_params["periodo"] == "2025-11"
    cifre = _metriche(at)
    assert cifre["CIGS in corso"] == "109" and cifre["Lavoratori coinvolti"] == "6.836"
    assert "Regione Lombardia (12 province) — novembre–dicembre 2025" in at.subheader[0].value
    assert not at.get("download_button")
    # Every card compared with the previous bimester says how it moved, also when it did not (in grey, no arrow).
    variazioni = {m.label: m.proto.delta for m in at.metric}
    assert variazioni["CIGS in corso"] == "+1 sul bimestre precedente"
    assert variazioni["CIGS ministeriali in corso"] == "invariato sul bimestre precedente"
    invariata = next(m for m in at.metric if m.label == "CIGS ministeriali in corso")
    assert invariata.proto.color == invariata.proto.MetricColor.GRAY
    assert invariata.proto.direction == invariata.proto.MetricDirection.NONE


def test_lecco_dal_link_e_download(app_page) -> None:
    at = app_page("report.py", timeout=300, periodo="2025-12", territorio="lc")
    assert not at.exception
    assert at.selectbox[0].value == "2025-11" and at.selectbox[1].value == "LC"
    assert _metriche(at)["Lavoratori coinvolti"] == "287"
    at.button[0].click().run(timeout=300)
    assert not at.exception and not at.error
    bottoni = at.get("download_button")
    assert [b.label for b in bottoni] == ["Scarica il PDF", "Scarica l'allegato XLSX"]
    assert all(b.proto.deferred_file_id for b in bottoni)  # built at the click, through the download register


def test_bimestre_in_corso_provvisorio_e_link_sbagliato(app_page) -> None:
    at = app_page("report.py", periodo="2026-01", territorio="XX")
    assert not at.exception
    assert "provvisorio" in at.warning[-1].value and "15/01/2026" in at.warning[-1].value
    assert any("«XX»" in w.value for w in at.warning)
    assert at.selectbox[1].value == "regione"


@pytest.mark.parametrize("territorio", ["LC"])
def test_allegato_xlsx_uguale_al_file_della_riga_di_comando(report_generati, app_page, territorio: str) -> None:
    at = app_page("report.py", territorio=territorio)
    assert not at.exception
    # The page's loaders build the same bytes as the command line (same data date, same rule).
    dati = loader.xlsx(loader.loaders.url(), Periodo.leggi("2025-11"), SIGLE, Territorio(territorio), DATA_DATI)
    (cli,) = report_generati.cartella.glob(f"*_{territorio}_*.xlsx")
    assert dati == cli.read_bytes()
    assert openpyxl.load_workbook(io.BytesIO(dati)).sheetnames[0] == "CIGS in corso"
