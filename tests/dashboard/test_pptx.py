"""The tavolo deck as PowerPoint: written by the command line and the exporter, read back with python-pptx."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.presentation import Presentation as PresentationType
from pptx.util import Inches
from sqlalchemy.engine import Engine

from dashboard import deck, deck_cli, pptx_export, tema
from dashboard.charts import mappe
from dashboard.contesto import ORIGINE
from dashboard.letture import tavolo as riunione
from dashboard.viste import mappe as vista_mappe

GIORNO = date(2026, 1, 20)
TITOLI_REGIONALE = [
    "Tavolo regionale",
    "Lombardia, 2025: 11.800 lavoratori coinvolti, +23,5% sul 2024",
    "Lavoratori coinvolti per provincia: in aumento in 7 province su 12, 2024 → 2025",
    "Lavoratori coinvolti, 2025: in testa Milano con 3.226",
    "Lombardia — PAL attivata per 2.232 lavoratori su 4.377: il 51,0%",
    "Lombardia: 18 casi aperti ad alta complessità, 1 con scadenza superata, 5 in scadenza entro 30 giorni",
    "Lombardia, monitoraggio 2025: 37 trimestri inviati su 38, 3 in ritardo, 1 mancante",
    "Fonti e note",
]


@pytest.fixture(scope="module")
def file_regionale(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The regional deck written by `cruscotto-deck`, as `make deck TAVOLO=regionale` does."""
    out = tmp_path_factory.mktemp("deck")
    codice = deck_cli.main(["--tavolo", "regionale", "--out", str(out), "--db", demo_url, "--giorno", "2026-01-20"])
    assert codice == 0
    return out / "tavolo-regionale-2025-dati-2026-01-15.pptx"


@pytest.fixture(scope="module")
def regionale(file_regionale: Path) -> PresentationType:
    return Presentation(str(file_regionale))


@pytest.fixture(scope="module")
def lecco(engine: Engine) -> PresentationType:
    d = deck.costruisci(riunione.carica_snapshot(engine, riunione.Tavolo("LC"), 2025), GIORNO)
    return Presentation(io.BytesIO(pptx_export.scrivi(d)))


def _testi(slide) -> list[str]:
    testi = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            testi.append(shape.text_frame.text)
        if shape.has_table:
            testi += [c.text for r in shape.table.rows for c in r.cells]
    return testi


def _immagini(slide) -> list:
    return [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_sixteen_nine_with_one_slide_per_idea(regionale: PresentationType, lecco: PresentationType) -> None:
    for prs in (regionale, lecco):
        assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
        assert len(prs.slides) == 8
    assert regionale.core_properties.title == "Tavolo regionale — 2025"


def test_titles_are_text(regionale: PresentationType) -> None:
    for slide, titolo in zip(regionale.slides, TITOLI_REGIONALE, strict=True):
        assert titolo in _testi(slide)


def test_every_slide_carries_data_date_filters_and_number(regionale: PresentationType) -> None:
    for n, slide in enumerate(regionale.slides, start=1):
        testi = _testi(slide)
        assert f"{n} / 8" in testi
        assert any("Dati al 15/01/2026" in t for t in testi)
    for slide in list(regionale.slides)[1:]:
        assert "Tavolo regionale · Anno 2025 · tutte le province · tutte le procedure" in _testi(slide)


def test_headline_figures_are_real_text(regionale: PresentationType, lecco: PresentationType) -> None:
    cifre = "\n".join(_testi(regionale.slides[1]))
    for atteso in ("Lavoratori coinvolti\n11.800\n+2.243 (+23,5%) sul 2024", "51,0%", "2.232 su 4.377", "4.803"):
        assert atteso in cifre
    cifre = "\n".join(_testi(lecco.slides[1]))
    assert "Lavoratori coinvolti\n375\n+164 (+77,7%) sul 2024" in cifre
    for tipo, valore, peso in (("CIGS ministeriali", "104", "2,4"), ("CIGS regionali", "183", "7,0"),
                               ("Licenziamenti collettivi", "88", "1,8")):  # fmt: skip
        assert f"{tipo}\n{valore}\npeso sul totale regionale: {peso}%" in cifre


def test_charts_are_images_with_their_figures_in_the_notes(regionale: PresentationType) -> None:
    for indice in (2, 3, 4):  # comparison, map, step funnel
        slide = regionale.slides[indice]
        (immagine,) = _immagini(slide)
        png = Image.open(io.BytesIO(immagine.image.blob))
        assert png.format == "PNG" and png.width >= 1600
        # Not a blank picture: the chart has many colours.
        assert len(png.convert("RGB").getcolors(maxcolors=1_000_000)) > 50
        assert "Dati del grafico:" in slide.notes_slide.notes_text_frame.text
    assert "Milano | 3.351 | 3.226" in regionale.slides[2].notes_slide.notes_text_frame.text
    legenda = _testi(regionale.slides[3])
    assert "Lavoratori coinvolti, 2025" in legenda


def test_cases_table_with_traffic_light(regionale: PresentationType, lecco: PresentationType) -> None:
    (tabella,) = [s.table for s in regionale.slides[5].shapes if s.has_table]
    assert [c.text for c in tabella.rows[0].cells][:4] == ["Semaforo", "Azienda", "Province", "Lavoratori"]
    assert len(tabella.rows) == 1 + deck.MAX_CASI
    rosso = tabella.cell(1, 0)
    assert rosso.text == "Rosso"
    assert str(rosso.fill.fore_color.rgb) == tema.COLORE_SEMAFORO["rosso"].lstrip("#")
    assert "Lecco: nessun caso ad alta complessità aperto" in _testi(lecco.slides[5])


def test_standard_font_and_italian_language(lecco: PresentationType) -> None:
    for slide in lecco.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            for par in shape.text_frame.paragraphs:
                for run in par.runs:
                    assert run.font.name == "Arial"
                    assert run._r.rPr.get("lang") == "it-IT"


def test_static_map_draws_the_same_shapes(engine: Engine) -> None:
    d = deck.costruisci(riunione.carica_snapshot(engine, riunione.Tavolo("LC"), 2025), GIORNO)
    mappa = next(s for s in d.slides if s.chiave == "mappa").figure[0]
    fig = pptx_export.mappa_statica(mappa)
    aree = [t for t in fig.data if t.fill == "toself"]
    assert len(aree) == len(next(layer for layer in mappa.layers if layer.id == vista_mappe.LAYER_PROVINCE).data) >= 12
    contorni = [t for t in fig.data if t.mode == "lines" and t.fill is None]
    assert len(contorni) >= 12
    assert max(t.line.width for t in contorni) == mappe.CONTORNO_EVIDENZIATO
    assert contorni[-1].line.width == mappe.CONTORNO_EVIDENZIATO  # the outlined province is drawn last, on top
    (testi,) = [t for t in fig.data if t.mode == "text"]
    assert "LC<br>375" in testi.text


def test_missing_browser_gives_an_italian_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "nessun-chromium"))
    with pytest.raises(pptx_export.ErroreEsportazione) as exc:
        pptx_export.percorso_chromium()
    assert "Chromium non è installato" in exc.value.messaggio


def test_browser_path_is_the_system_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    assert pptx_export.percorso_chromium() == "/usr/bin/chromium"


@pytest.mark.parametrize(
    ("argomenti", "messaggio"),
    [
        (["--tavolo", "XX"], "Tavolo «XX» sconosciuto"),
        (["--tavolo", "LC", "--anno", "2019"], "Anno 2019 non disponibile"),
        (["--tavolo", "LC", "--tipo", "CASSA"], "Tipo di procedura «CASSA» sconosciuto"),
    ],
)
def test_cli_bad_input(
    argomenti: list[str], messaggio: str, demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert deck_cli.main([*argomenti, "--out", str(tmp_path), "--db", demo_url]) == 2
    assert messaggio in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_cli_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert deck_cli.main(["--tavolo", "LC", "--out", str(tmp_path), "--db", f"sqlite:///{tmp_path}/no.db"]) == 1
    assert "Il database non è stato trovato" in capsys.readouterr().err


def test_speaker_notes_speak_of_the_product_not_of_its_files(regionale) -> None:
    note = [s.notes_slide.notes_text_frame.text for s in regionale.slides if s.has_notes_slide]
    assert note and not [n for n in note if "docs/" in n or ".md" in n or ".py" in n]


# Accessibility: the outline and screen readers find each slide's title, alt texts, the deck's own properties.
def test_every_slide_has_its_title_in_the_title_placeholder(regionale: PresentationType) -> None:
    for slide, titolo in zip(regionale.slides, TITOLI_REGIONALE, strict=True):
        segnaposto = slide.shapes.title
        assert segnaposto is not None and segnaposto.placeholder_format.type == PP_PLACEHOLDER.TITLE
        assert segnaposto.text_frame.text == titolo


def test_every_picture_has_the_slide_message_as_alt_text(regionale: PresentationType) -> None:
    immagini = 0
    for slide, titolo in zip(regionale.slides, TITOLI_REGIONALE, strict=True):
        for forma in slide.shapes:
            if forma.shape_type == MSO_SHAPE_TYPE.PICTURE:
                immagini += 1
                alt = forma._element.nvPicPr.cNvPr.get("descr")
                assert alt and titolo in alt and alt.startswith(("Grafico: ", "Mappa: ")), alt
                assert "image" not in forma.name
    assert immagini >= 3


def test_core_properties_describe_the_deck(regionale: PresentationType) -> None:
    prop = regionale.core_properties
    assert prop.title == "Tavolo regionale — 2025"
    assert prop.author == ORIGINE and prop.last_modified_by == ORIGINE
    assert "Dati al 15/01/2026" in prop.subject
    assert prop.created == prop.modified == datetime(2026, 1, 15)
    assert prop.language == "it-IT"
    assert "Canny" not in (prop.author + prop.last_modified_by)


def test_app_properties_say_16_9_and_the_slide_count(file_regionale: Path) -> None:
    with zipfile.ZipFile(file_regionale) as z:
        app = z.read("docProps/app.xml").decode("utf-8")
    assert "<PresentationFormat>Widescreen</PresentationFormat>" in app
    assert "4:3" not in app
    assert f"<Slides>{len(TITOLI_REGIONALE)}</Slides>" in app


def test_reading_order_is_the_visual_order(regionale: PresentationType) -> None:
    for slide in regionale.slides:
        posizioni = [(int(f.top or 0), int(f.left or 0)) for f in slide.shapes]
        assert posizioni == sorted(posizioni)
        testi = [f.text_frame.text for f in slide.shapes if f.has_text_frame and f.text_frame.text]
        titolo = testi.index(slide.shapes.title.text_frame.text)
        assert all("Fonte" not in t for t in testi[:titolo])  # the source line comes after the title


def test_reopened_file_keeps_the_alt_texts(file_regionale: Path) -> None:
    prs = Presentation(str(file_regionale))
    alt = [
        f._element.nvPicPr.cNvPr.get("descr")
        for s in prs.slides
        for f in s.shapes
        if f.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert alt and all(alt)


def _righe_fonte(slide) -> list[str]:
    return [t for t in _testi(slide) if "Fonte:" in t or t.startswith(ORIGINE)]


def test_every_slide_has_the_source_line_exactly_once(regionale: PresentationType, lecco: PresentationType) -> None:
    for presentazione in (regionale, lecco):
        for numero, slide in enumerate(presentazione.slides, start=1):
            assert len(_righe_fonte(slide)) == 1, (numero, _righe_fonte(slide))


def test_chart_pictures_carry_no_source_of_their_own(engine: Engine) -> None:
    d = deck.costruisci(riunione.carica_snapshot(engine, riunione.Tavolo("LC"), 2025), GIORNO)
    for s in d.slides:
        for fig in s.figure:
            statica = pptx_export.figura_statica(fig)
            assert not [a for a in statica.layout.annotations if "Fonte" in (a.text or "")], s.chiave


def _scatole(fig) -> list[tuple[str, float, float, float, float]]:
    """Each map label's box in the picture's pixels (the text trace's positions and font, axes as drawn)."""
    (testi,) = [t for t in fig.data if t.mode == "text"]
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    w, h = fig.layout.width, fig.layout.height
    corpo = testi.textfont.size
    scatole = []
    for x, y, testo in zip(testi.x, testi.y, testi.text, strict=True):
        righe = testo.split("<br>")
        larghezza, altezza = 0.62 * corpo * max(len(r) for r in righe), 1.2 * corpo * len(righe)
        px, py = (x - x0) / (x1 - x0) * w, (y1 - y) / (y1 - y0) * h
        scatole.append((righe[0], px - larghezza / 2, py - altezza / 2, px + larghezza / 2, py + altezza / 2))
    return scatole


@pytest.mark.parametrize("tavolo", ["regionale", "LC"])
def test_map_picture_labels_do_not_overlap(engine: Engine, tavolo: str) -> None:
    t = riunione.Tavolo(riunione.REGIONALE if tavolo == "regionale" else tavolo)
    d = deck.costruisci(riunione.carica_snapshot(engine, t, 2025), GIORNO)
    s = next(s for s in d.slides if s.chiave == "mappa")
    fig = pptx_export.mappa_statica(s.figure[0], pptx_export.dimensioni_figura(s))
    scatole = _scatole(fig)
    assert len(scatole) == 12
    for i, a in enumerate(scatole):
        for b in scatole[i + 1 :]:
            separate = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert separate, (a, b)
        assert a[1] >= 0 and a[3] <= fig.layout.width and a[2] >= 0 and a[4] <= fig.layout.height, a


def test_speaker_notes_read_as_italian_with_signs_and_percent(regionale: PresentationType, lecco) -> None:
    note = [s.notes_slide.notes_text_frame.text if s.has_notes_slide else "" for s in regionale.slides]
    assert note[0].startswith("Presentazione per il tavolo regionale:")
    assert "Lavoratori coinvolti: 11.800, +2.243 (+23,5%) sul 2024;" in note[1]
    assert "Bergamo | 1.615 | 2.064 | +449 | +27,8%" in note[2]
    assert "Cremona | 447 | 73 | -374 | -83,7%" in note[2]
    assert "STEP 4 | PAL attivata | 2.232 | 51,0% | 73,7%" in note[4]
    assert "Milano | MI | 3.226 | 27,3%" in note[3]
    copertina = lecco.slides[0].notes_slide.notes_text_frame.text
    assert copertina.startswith("Presentazione per il tavolo bilaterale — Lecco")
    for n in note:
        assert "/work" not in n and "docs/" not in n and ".py" not in n and ".md" not in n


def test_thumbnail_shows_the_cover(file_regionale: Path) -> None:
    with zipfile.ZipFile(file_regionale) as z:
        img = Image.open(io.BytesIO(z.read("docProps/thumbnail.jpeg"))).convert("RGB")
        tipi = z.read("[Content_Types].xml").decode("utf-8")
    assert 'Extension="jpeg" ContentType="image/jpeg"' in tipi
    assert img.size == pptx_export.MINIATURA  # 16:9 like the deck
    larghezza, altezza = img.size
    verde = tuple(int(tema.VERDE_REGIONE[i : i + 2], 16) for i in (1, 3, 5))
    assert all(abs(a - b) < 12 for a, b in zip(img.getpixel((larghezza // 2, 2)), verde, strict=True))
    # The title is written: dark pixels in the band where the cover's title sits, on a white page.
    scuri = img.crop((0, altezza // 4, larghezza, altezza // 2)).convert("L").histogram()
    assert sum(scuri[:80]) > 200
    assert img.getpixel((larghezza - 3, altezza - 3)) >= (245, 245, 245)


def test_table_columns_hold_their_longest_word(regionale: PresentationType, lecco: PresentationType) -> None:
    """No header or cell breaks inside a word ("Semafor/o"): each column is as wide as its longest word needs."""
    from pptx.util import Pt

    for presentazione in (regionale, lecco):
        for numero, slide in enumerate(presentazione.slides, start=1):
            for shape in slide.shapes:
                if not shape.has_table:
                    continue
                tabella = shape.table
                for j, colonna in enumerate(tabella.columns):
                    parole = [p for r in tabella.rows for p in r.cells[j].text.split()]
                    # Arial bold averages under 0,62 em a character at the table's 13 pt; 0,1" margins each side.
                    serve = max(len(p) for p in parole) * Pt(13) * 0.62 + Inches(0.2)
                    assert colonna.width >= serve, (numero, tabella.cell(0, j).text, colonna.width, serve)


def test_figure_cards_hold_their_text(regionale: PresentationType, lecco: PresentationType) -> None:
    """Label, value and comparison fit inside the card ("Differenze da verificare" pushed its value out)."""
    from pptx.util import Pt

    for presentazione in (regionale, lecco):
        for numero, slide in enumerate(presentazione.slides, start=1):
            for shape in slide.shapes:
                if not shape.has_text_frame or len(shape.text_frame.paragraphs) != 3:
                    continue
                corse = [p.runs[0] for p in shape.text_frame.paragraphs if p.runs]
                if len(corse) < 2 or corse[1].font.size is None or corse[1].font.size < Pt(24):
                    continue  # not a figure card
                larghezza = (shape.width - Inches(0.1)) / Inches(1)
                altezza = sum(
                    pptx_export._righe_di(c.text, round(c.font.size.pt), larghezza) * c.font.size.pt * 1.2
                    for c in corse
                )
                assert altezza <= shape.height / Pt(1), (numero, [c.text for c in corse], altezza)
