"""The monitoraggio_pal extract: versions on resend, refusals with file/row/column/reason, the Excel template."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from data_access.dominio import COLONNA_MISURA, SIGLE
from data_access.schema import monitoraggio_pal
from ingest.estratti import MONITORAGGIO_PAL
from ingest.load import CaricamentoRifiutato, carica, main
from ingest.writer import engine_scrittura
from tests import dati_monitoraggio as dm
from tests.ingest.conftest import TABELLE_CHIAVE, impronta

TABELLE = (*TABELLE_CHIAVE, "monitoraggio_pal")


@pytest.fixture(scope="module")
def caricato(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The hand-made database after both loads, and the folder of its files."""
    radice = tmp_path_factory.mktemp("monitoraggio")
    primo, secondo = dm.cartelle(radice)
    db = radice / "mon.db"
    carica(f"sqlite:///{db}", [primo], data_estrazione=dm.AL)
    carica(f"sqlite:///{db}", [secondo], data_estrazione=dm.AL)
    return db, radice


@pytest.fixture
def db(caricato: tuple[Path, Path], tmp_path: Path) -> str:
    """A private copy of the hand-made database."""
    copia = tmp_path / "copia.db"
    shutil.copy(caricato[0], copia)
    return f"sqlite:///{copia}"


def _righe(url: str) -> list[tuple]:
    m = monitoraggio_pal.c
    engine = engine_scrittura(url)
    with engine.connect() as conn:
        chiave = (m.sigla_provincia, m.trimestre, m.versione, m.codice_procedura)
        stmt = select(*chiave, m.pal_dote_unica_lavoro, m.data_invio).order_by(*chiave)
        righe = [tuple(r) for r in conn.execute(stmt)]
    engine.dispose()
    return righe


def test_resend_is_a_new_version_and_the_first_stays(db: str) -> None:
    assert _righe(db) == [
        ("BG", 1, 1, "P-BG", 0, date(2025, 4, 20)),
        ("BG", 2, 1, "P-BG", 6, date(2025, 8, 15)),
        ("BG", 2, 1, "P-LIC", 0, date(2025, 8, 15)),
        ("BG", 2, 1, "P-XX-404", 0, date(2025, 8, 15)),
        ("LC", 1, 1, "P-LC", 5, date(2025, 4, 10)),
        ("LC", 1, 2, "P-LC", 4, date(2025, 4, 25)),
    ]


def test_sending_the_same_quarter_again_adds_nothing(db: str, caricato: tuple[Path, Path]) -> None:
    prima = impronta(db, TABELLE)
    esito = carica(db, [caricato[1] / "secondo"], data_estrazione=dm.AL)
    assert esito.righe_lette == {"monitoraggio_pal": 1}
    assert impronta(db, TABELLE) == prima


def test_a_second_resend_replaces_only_that_quarter(db: str, tmp_path: Path) -> None:
    rettifica = dm.invio(tmp_path, "monitoraggio_pal_BG_T1.csv", ["BG;2025;1;P-BG;8;0;0;0;0;0;3;02/05/2025;"])
    carica(db, [rettifica], data_estrazione=dm.AL)
    righe = _righe(db)
    assert [r[:3] for r in righe if r[0] == "BG" and r[1] == 1] == [("BG", 1, 1), ("BG", 1, 2)]
    assert len(righe) == 7  # the other quarters untouched


def _problemi(db: str, *file: Path) -> list[str]:
    with pytest.raises(CaricamentoRifiutato) as exc:
        carica(db, list(file), data_estrazione=dm.AL)
    return [str(p) for p in exc.value.problemi]


def test_malformed_submission_is_refused_with_file_row_column_and_reason(db: str, tmp_path: Path) -> None:
    prima = impronta(db, TABELLE)
    file = dm.invio(
        tmp_path,
        "monitoraggio_pal_VA_2025_T2.csv",
        [
            "VA;2025;5;P-VA;3;0;0;0;0;0;0;10/07/2025;",  # row 2: no fifth quarter
            "VA;2025;2;P-VA2;3;-1;0;0;0;0;0;10/07/2025;",  # row 3: a negative count
            "XX;2025;2;P-VA3;3;0;0;0;0;0;0;10/07/2025;",  # row 4: unknown province
            "VA;2025;2;P-VA4;3;0;0;0;0;0;0;20/06/2025;",  # row 5: sent before the quarter ended
            "VA;2025;2;P-VA5;;0;0;0;0;0;0;11/07/2025;",  # row 6: missing count, another sending date
            "VA;2025;2;P-VA6;3;0;0;0;0;0;0;01/10/2025;",  # row 7: after the extraction date
        ],
    )
    nome = file.name
    assert _problemi(db, file) == [
        f"{nome}, riga 2, colonna «trimestre»: «5» è fuori intervallo: atteso al massimo 4",
        f"{nome}, riga 3, colonna «pal_dote_unica_lavoro»: «-1» è negativo: atteso un numero intero ≥ 0",
        f"{nome}, riga 4, colonna «sigla_provincia»: sigla di provincia «XX» sconosciuta: ammesse {', '.join(SIGLE)}",
        f"{nome}, riga 5, colonna «data_invio»: la data di invio 20/06/2025 precede la fine del trimestre T2 2025 "
        "(30/06/2025)",
        f"{nome}, riga 6, colonna «presi_in_carico»: valore obbligatorio mancante",
        f"{nome}, riga 7, colonna «data_invio»: la data 01/10/2025 è successiva alla data di estrazione (15/09/2025)",
    ]
    assert impronta(db, TABELLE) == prima


def test_one_submission_one_sending_date_and_no_older_resend(db: str, tmp_path: Path) -> None:
    prima = impronta(db, TABELLE)
    diverse = dm.invio(tmp_path, "monitoraggio_pal_MB.csv", ["MB;2025;1;P-1;1;0;0;0;0;0;0;10/04/2025;",
                                                              "MB;2025;1;P-2;1;0;0;0;0;0;0;12/04/2025;"])  # fmt: skip
    vecchio = dm.invio(tmp_path, "monitoraggio_pal_LC_vecchio.csv", ["LC;2025;1;P-LC;6;5;0;0;0;0;0;05/04/2025;"])
    doppio = dm.invio(tmp_path, "monitoraggio_pal_MB_copia.csv", ["MB;2025;1;P-1;1;0;0;0;0;0;0;10/04/2025;"])
    assert _problemi(db, diverse, vecchio, doppio) == [
        "monitoraggio_pal_LC_vecchio.csv, riga 2, colonna «data_invio»: l'invio del 05/04/2025 è precedente a quello "
        "già caricato per LC T1 2025 (versione 2 del 25/04/2025): un invio più vecchio non può sostituirlo",
        "monitoraggio_pal_MB.csv, riga 3, colonna «data_invio»: data di invio 12/04/2025 diversa da quella dello "
        "stesso invio (MB T1 2025: 10/04/2025 alla riga 2)",
        "monitoraggio_pal_MB_copia.csv, riga 2, colonna «sigla_provincia, anno, trimestre, codice_procedura»: "
        "«MB – 2025 – 1 – P-1» duplicato: compare già in monitoraggio_pal_MB.csv alla riga 2",
    ]
    assert impronta(db, TABELLE) == prima


def test_cli_refusal_names_the_cell_and_exits_1(db: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    file = dm.invio(tmp_path, "monitoraggio_pal_CO.csv", ["CO;2025;2;P-CO;tre;0;0;0;0;0;0;10/07/2025;"])
    assert main(["--db", db, "--data-estrazione", "15/09/2025", str(file)]) == 1
    assert "monitoraggio_pal_CO.csv, riga 2, colonna «presi_in_carico»: «tre» non è un numero intero" in caplog.text
    assert "il database non è stato modificato" in caplog.text


# --- the template --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def modello(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template written by the command line."""
    percorso = tmp_path_factory.mktemp("modello") / "monitoraggio_pal_modello.xlsx"
    assert main(["--modello", "monitoraggio_pal", str(percorso)]) == 0
    return percorso


def test_template_has_italian_headers_instructions_and_lists(modello: Path) -> None:
    libro = openpyxl.load_workbook(modello)
    assert libro.sheetnames == ["Da compilare", "Istruzioni", "Elenchi"]
    dati = libro["Da compilare"]
    assert [c.value for c in dati[1]] == [c.nome for c in MONITORAGGIO_PAL.colonne]
    (tabella,) = dati.tables.values()  # the header is a defined header: an Excel table over the rows to fill in
    assert tabella.ref == "A1:M2001" and [c.name for c in tabella.tableColumns] == [c.value for c in dati[1]]
    assert libro.properties.language == "it-IT" and libro.properties.title == "Modello monitoraggio_pal"
    assert "Lavoratori presi in carico (STEP 1) nel trimestre." in dati["E1"].comment.text
    controlli = {str(dv.sqref): dv for dv in dati.data_validations.dataValidation}
    province, trimestri = controlli["A2:A2001"], controlli["C2:C2001"]
    assert (province.type, province.formula1) == ("list", "Elenchi!$A$2:$A$13")
    assert (trimestri.type, trimestri.formula1) == ("list", "Elenchi!$B$2:$B$5")
    elenchi = libro["Elenchi"]
    assert [elenchi.cell(r, 1).value for r in range(2, 14)] == list(SIGLE)
    assert [elenchi.cell(r, 2).value for r in range(2, 6)] == [1, 2, 3, 4]
    testo = [str(c.value) for riga in elenchi.iter_rows() for c in riga if c.value is not None]
    for misura, colonna in COLONNA_MISURA.items():
        assert misura in testo and colonna in testo
    for colonna in ("E", "F", "K"):  # counts: whole numbers from 0
        assert (controlli[f"{colonna}2:{colonna}2001"].type, controlli[f"{colonna}2:{colonna}2001"].formula1) == (
            "whole",
            "0",
        )
    assert controlli["L2:L2001"].type == "date"
    istruzioni = " ".join(str(c.value) for riga in libro["Istruzioni"].iter_rows() for c in riga if c.value)
    assert "entro 30 giorni" in istruzioni and "sostituisce il precedente" in istruzioni
    assert "monitoraggio_pal_LC_2025_T3.xlsx" in istruzioni


def test_template_filled_in_loads_as_it_is(modello: Path, db: str, tmp_path: Path) -> None:
    compilato = tmp_path / "monitoraggio_pal_LC_2025_T2.xlsx"
    libro = openpyxl.load_workbook(modello)
    riga = ["LC", 2025, 2, "P-LC", 0, None, None, None, None, None, None, date(2025, 7, 20), "nessuna"]
    libro["Da compilare"].append(riga)
    libro.save(compilato)
    esito = carica(db, [compilato], data_estrazione=dm.AL)
    assert esito.righe_lette == {"monitoraggio_pal": 1}
    assert ("LC", 2, 1, "P-LC", 0, date(2025, 7, 20)) in _righe(db)


def test_template_refuses_an_existing_file(modello: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--modello", "monitoraggio_pal", str(modello)]) == 1
    assert "esiste già" in capsys.readouterr().err
