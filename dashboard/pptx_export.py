"""The tavolo deck as a PowerPoint file: 16:9, standard fonts, figures as real text, charts as images."""

from __future__ import annotations

import asyncio
import io
import logging
import math
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time
from html import escape
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl
import pydeck as pdk
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide as SlidePptx
from pptx.text.text import TextFrame
from pptx.util import Emu, Inches, Pt

from dashboard import chromium, geo, tema
from dashboard import deck as modello
from dashboard.charts import NOME_FONTE
from dashboard.testo import senza_invisibili

log = logging.getLogger(__name__)

LARGHEZZA, ALTEZZA = Inches(13.333), Inches(7.5)
MARGINE = Inches(0.5)
FONT = "Arial"  # present in PowerPoint, and metric-compatible Liberation Sans in LibreOffice
# The charts' images use the same face; quoted names, or the browser drawing them discards the whole list.
FONT_CSS = 'Arial, "Liberation Sans", "DejaVu Sans", sans-serif'
VERDE = RGBColor.from_string(tema.VERDE_REGIONE.lstrip("#"))
TESTO = RGBColor.from_string(tema.GRIGIO_TESTO.lstrip("#"))
GRIGIO_HEX = "#555B57"
GRIGIO = RGBColor.from_string(GRIGIO_HEX.lstrip("#"))
SFONDO_CIFRA = RGBColor(0xEE, 0xF3, 0xEF)
# The content area under the title, in inches: charts are drawn at 100 px per inch, twice for sharpness.
AREA = (0.5, 2.1, 12.333, 4.7)
LARGHEZZA_LEGENDA = 3.6
ALTEZZA_CIFRE = 1.45  # a row of key figures above a table, in inches
PX_PER_POLLICE = 100
SCALA_IMMAGINI = 2
LAYOUT_SOLO_TITOLO = 5  # "Title Only" of python-pptx's template: a title placeholder and nothing else
FORMATO = "Widescreen"  # what PowerPoint writes in docProps/app.xml for a 13.333 x 7.5 in deck
MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


class ErroreEsportazione(Exception):
    """The PowerPoint could not be produced: an Italian message for the page, a precise one for the logs."""

    def __init__(self, messaggio: str, dettaglio: str) -> None:
        super().__init__(dettaglio)
        self.messaggio = messaggio
        self.dettaglio = dettaglio


def percorso_chromium() -> str:
    """The Chromium that draws the charts: BROWSER_PATH (kaleido's own variable), else the system one.

    The path is always given to kaleido explicitly, so it never looks for, or downloads, a browser of its own.
    """
    percorso, candidati = chromium.trova()
    if percorso:
        return percorso
    raise ErroreEsportazione(
        "Impossibile disegnare i grafici: Chromium non è installato (pacchetto «chromium»).",
        f"no Chromium executable among {candidati}",
    )


def immagini(figure: Sequence[go.Figure], dimensioni: Sequence[tuple[int, int]]) -> list[bytes]:
    """PNG images of plotly charts, drawn by one headless Chromium session."""
    if not figure:
        return []
    import kaleido  # imported here: only the export needs it

    percorso = percorso_chromium()

    async def disegna() -> list[bytes]:
        async with kaleido.Kaleido(n=1, path=percorso, timeout=60) as k:
            return [
                await k.calc_fig(fig, opts={"format": "png", "width": w, "height": h, "scale": SCALA_IMMAGINI})
                for fig, (w, h) in zip(figure, dimensioni, strict=True)
            ]

    # A thread of its own: the caller (Streamlit, a test) may already run an event loop.
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, disegna()).result()
    except Exception as exc:
        raise ErroreEsportazione(
            "Impossibile disegnare i grafici per il file PowerPoint.", f"kaleido with {percorso}: {exc!r}"
        ) from exc


def scrivi(d: modello.Deck) -> bytes:
    """The deck as a .pptx file."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = LARGHEZZA, ALTEZZA
    _proprieta(prs, d)
    solo_titolo = prs.slide_layouts[LAYOUT_SOLO_TITOLO]
    figure = [(i, f) for i, s in enumerate(d.slides) for f in s.figure]
    statiche = [figura_statica(f, _pixel(d.slides[i])).update_layout(font_family=FONT_CSS) for i, f in figure]
    png = immagini(statiche, [_pixel(d.slides[i]) for i, _ in figure])
    per_slide: dict[int, list[bytes]] = {}
    for (i, _), img in zip(figure, png, strict=True):
        per_slide.setdefault(i, []).append(img)
    for i, s in enumerate(d.slides):
        pagina = prs.slides.add_slide(solo_titolo)
        if s.chiave == "titolo":
            _copertina(pagina, s, d)
        else:
            _intestazione(pagina, s, d, i)
            _contenuto(pagina, s, per_slide.get(i, []))
        if d.fonte not in (s.sottotitolo, *s.punti):  # the source line once: the slide of sources states it itself
            _testo(pagina, (0.5, 6.9, 10.5, 0.4), [(d.fonte, 12, False, GRIGIO)])
        _ordine_di_lettura(pagina)
        note = "\n\n".join(filter(None, [s.note, _tabella_testo(s.tabella) if s.figure else ""]))
        if note:
            pagina.notes_slide.notes_text_frame.text = senza_invisibili(note)
    _formato_16_9(prs)
    _miniatura(prs, d.slides[0])
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _proprieta(prs: PresentationType, d: modello.Deck) -> None:
    """Core properties that describe the deck, instead of python-pptx's template ones (author, 2013)."""
    prop = prs.core_properties
    prop.title = f"{d.tavolo.nome} — {d.anno}"
    prop.subject = f"{d.tavolo.nome}: crisi aziendali e politiche attive, {d.filtri}. {d.dati_al}"
    prop.author = prop.last_modified_by = modello.ORIGINE
    prop.keywords = "crisi aziendali; politiche attive del lavoro; tavolo; Lombardia"
    prop.category = "Presentazione per il tavolo"
    prop.comments = d.fonte
    prop.language = "it-IT"
    prop.revision = 1
    quando = datetime.combine(d.info.data_estrazione, time())
    prop.created = prop.modified = quando
    prop.last_printed = quando


def _formato_16_9(prs: PresentationType) -> None:
    """docProps/app.xml: the template's "On-screen Show (4:3)" and "0 slides" would describe another deck."""
    for parte in prs.part.package.iter_parts():
        if str(parte.partname) == "/docProps/app.xml":
            xml = parte.blob.decode("utf-8")
            xml = re.sub(
                r"<PresentationFormat>[^<]*</PresentationFormat>",
                f"<PresentationFormat>{FORMATO}</PresentationFormat>",
                xml,
            )
            xml = re.sub(r"<Slides>\d+</Slides>", f"<Slides>{len(prs.slides)}</Slides>", xml)
            xml = re.sub(r"<Company>[^<]*</Company>|<Company/>", f"<Company>{escape(modello.ORIGINE)}</Company>", xml)
            parte._blob = xml.encode("utf-8")


# Fonts for the file's thumbnail, drawn here: the first one present is used.
FONT_MINIATURA = (
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)
MINIATURA = (320, 180)  # 16:9, the size file managers and PowerPoint's "Open" dialog show


def miniatura(copertina: modello.Slide) -> bytes:
    """A JPEG of the cover (green band, title, subtitle), for the file's preview instead of the template's blank."""
    from PIL import Image, ImageDraw, ImageFont

    larghezza, altezza = MINIATURA
    img = Image.new("RGB", MINIATURA, tema.SFONDO)
    disegno = ImageDraw.Draw(img)
    disegno.rectangle((0, 0, larghezza, round(altezza * 0.35 / 7.5)), fill=tema.VERDE_REGIONE)
    font = next((f for f in FONT_MINIATURA if Path(f).is_file()), None)

    def carattere(punti: int):
        return ImageFont.truetype(font, punti) if font else ImageFont.load_default(punti)

    y = round(altezza * 0.3)
    for testo, punti, colore in ((copertina.titolo, 22, tema.GRIGIO_TESTO), (copertina.sottotitolo, 13, GRIGIO_HEX)):
        for riga in _a_capo(disegno, senza_invisibili(testo or ""), carattere(punti), larghezza - 40)[:2]:
            disegno.text((20, y), riga, font=carattere(punti), fill=colore)
            y += round(punti * 1.3)
        y += 6
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def _a_capo(disegno, testo: str, font, larghezza: int) -> list[str]:
    """The text broken into lines that fit `larghezza` pixels."""
    righe: list[str] = []
    for parola in testo.split():
        prova = f"{righe[-1]} {parola}" if righe else parola
        if righe and disegno.textlength(prova, font=font) <= larghezza:
            righe[-1] = prova
        else:
            righe.append(parola)
    return righe


def _miniatura(prs: PresentationType, copertina: modello.Slide) -> None:
    """docProps/thumbnail.jpeg: the cover of this deck, not python-pptx's blank template picture."""
    for parte in prs.part.package.iter_parts():
        if str(parte.partname) == "/docProps/thumbnail.jpeg":
            parte._blob = miniatura(copertina)


def _titolo(
    pagina: SlidePptx, testo: str, box: tuple[float, float, float, float], corpo: int, ancora: MSO_ANCHOR
) -> None:
    """The slide's title in the layout's title placeholder: the outline and screen readers find it there."""
    titolo = pagina.shapes.title
    titolo.left, titolo.top, titolo.width, titolo.height = (Inches(v) for v in box)
    tf = titolo.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = ancora
    tf.margin_left = tf.margin_right = Inches(0.05)
    par = tf.paragraphs[0]
    par.alignment = PP_ALIGN.LEFT
    run = par.add_run()
    run.text = testo
    _font(run.font, corpo, True, VERDE)


def _ordine_di_lettura(pagina: SlidePptx) -> None:
    """Reading order = visual order: the shapes in the slide's tree sorted top to bottom, then left to right."""
    albero = pagina.shapes._spTree
    forme = [f._element for f in sorted(pagina.shapes, key=lambda f: (int(f.top or 0), int(f.left or 0)))]
    for elemento in forme:
        albero.remove(elemento)
        albero.append(elemento)


def _area_figura(s: modello.Slide) -> tuple[float, float, float, float]:
    """Where a slide's chart goes: the content area, right of a column of key figures or left of a legend."""
    x, y, w, h = AREA
    if s.cifre:
        return (x + 3.7, y, w - 3.7, h)
    if s.legenda:
        return (x, y, w - LARGHEZZA_LEGENDA - 0.3, h)
    return (x, y, w, h)


def _pixel(s: modello.Slide) -> tuple[int, int]:
    _, _, w, h = _area_figura(s)
    return int(w * PX_PER_POLLICE), int(h * PX_PER_POLLICE)


def dimensioni_figura(s: modello.Slide) -> tuple[int, int]:
    """The size in pixels a slide's chart is drawn at."""
    return _pixel(s)


def figura_statica(fig: modello.Figura, dimensioni: tuple[int, int] = (1600, 900)) -> go.Figure:
    """A slide's chart as drawn for the file: no title and no source line (the slide has both), a map as shapes."""
    if not isinstance(fig, go.Figure):
        return mappa_statica(fig, dimensioni)
    copia = modello.senza_titolo(fig)
    copia.layout.annotations = [a for a in copia.layout.annotations if a.name != NOME_FONTE]
    return copia


def _testo(
    pagina: SlidePptx,
    box: tuple[float, float, float, float],
    righe: Sequence[tuple[str, int, bool, RGBColor]],
    *,
    allinea: PP_ALIGN = PP_ALIGN.LEFT,
    ancora: MSO_ANCHOR = MSO_ANCHOR.TOP,
    elenco: bool = False,
) -> TextFrame:
    """A text box with one paragraph per (text, size in pt, bold, colour)."""
    x, y, w, h = box
    tf = pagina.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h)).text_frame
    tf.word_wrap = True
    tf.vertical_anchor = ancora
    tf.margin_left = tf.margin_right = Inches(0.05)
    for n, (testo, punti, grassetto, colore) in enumerate(righe):
        par = tf.paragraphs[0] if n == 0 else tf.add_paragraph()
        par.alignment = allinea
        if elenco:
            par.space_after = Pt(10)
        run = par.add_run()
        run.text = senza_invisibili(f"• {testo}" if elenco else testo)
        _font(run.font, punti, grassetto, colore)
    return tf


def _font(font, punti: int, grassetto: bool, colore: RGBColor) -> None:
    font.name = FONT
    font.size = Pt(punti)
    font.bold = grassetto
    font.color.rgb = colore
    font.language_id = MSO_LANGUAGE_ID.ITALIAN


def _copertina(pagina: SlidePptx, s: modello.Slide, d: modello.Deck) -> None:
    """The title slide: tavolo, subtitle, who meets, meeting day, data date."""
    fascia = pagina.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, LARGHEZZA, Inches(0.35))
    fascia.fill.solid()
    fascia.fill.fore_color.rgb = VERDE
    fascia.line.fill.background()
    fascia.shadow.inherit = False
    _titolo(pagina, s.titolo, (0.8, 1.6, 11.7, 1.3), 48, MSO_ANCHOR.BOTTOM)
    _testo(pagina, (0.8, 2.95, 11.7, 0.7), [(s.sottotitolo, 26, False, TESTO)])
    righe = [(p, 22 if n < 3 else 18, n == 2, TESTO if n < 3 else GRIGIO) for n, p in enumerate(s.punti)]
    _testo(pagina, (0.8, 4.0, 11.7, 2.6), righe)
    _piede(pagina, d, d.numero(0))


def _intestazione(pagina: SlidePptx, s: modello.Slide, d: modello.Deck, indice: int) -> None:
    """What every slide repeats: tavolo and filters, data date, title, subtitle, source and number."""
    _testo(pagina, (0.5, 0.2, 7.8, 0.4), [(f"{d.tavolo.nome} · {d.filtri}", 14, False, GRIGIO)])
    _testo(pagina, (8.333, 0.2, 4.5, 0.4), [(d.dati_al, 14, True, GRIGIO)], allinea=PP_ALIGN.RIGHT)
    riga = pagina.shapes.add_connector(1, Inches(0.5), Inches(0.65), Inches(12.833), Inches(0.65))
    riga.line.color.rgb = VERDE
    riga.line.width = Pt(2)
    # One line at 30 pt holds about 52 characters; longer titles take two lines at 26 pt in the same box.
    corpo = 30 if len(s.titolo) <= 52 else 26
    _titolo(pagina, s.titolo, (0.5, 0.7, 12.333, 1.0), corpo, MSO_ANCHOR.MIDDLE)
    if s.sottotitolo:
        _testo(pagina, (0.5, 1.68, 12.333, 0.35), [(s.sottotitolo, 15, False, GRIGIO)])
    _piede(pagina, d, d.numero(indice))


def _piede(pagina: SlidePptx, d: modello.Deck, numero: str) -> None:
    _testo(pagina, (11.333, 6.9, 1.5, 0.4), [(numero, 14, True, GRIGIO)], allinea=PP_ALIGN.RIGHT)


def _contenuto(pagina: SlidePptx, s: modello.Slide, png: list[bytes]) -> None:
    """Key figures, chart, table or points, in the content area."""
    x, y, w, h = AREA
    if s.cifre and png:
        _cifre(pagina, s.cifre, (x, y, 3.4, h), colonne=1)
    elif s.cifre and s.tabella is not None:  # figures in a row above the table, as on screen
        _cifre(pagina, s.cifre, (x, y, w, ALTEZZA_CIFRE), colonne=len(s.cifre))
    elif s.cifre:
        _cifre(pagina, s.cifre, AREA, colonne=4)
    for img in png[:1]:  # one idea per slide: one chart
        _immagine(pagina, img, _area_figura(s), testo_alternativo(s))
    if s.legenda:
        _legenda(pagina, s.legenda_titolo, s.legenda, (x + AREA[2] - LARGHEZZA_LEGENDA, y + 0.3, LARGHEZZA_LEGENDA))
    if s.tabella is not None and not png:
        sotto = ALTEZZA_CIFRE + 0.2
        box = (x, y + sotto, w, h - sotto) if s.cifre else _area_figura(s)
        _tabella(pagina, s.tabella, box, s.colori_tabella)
    if s.punti:
        corpo = 18 if len(s.punti) <= 6 else 15
        _testo(pagina, AREA, [(p, corpo, False, TESTO) for p in s.punti], elenco=True)


def _cifre(
    pagina: SlidePptx, cifre: Sequence[modello.Cifra], box: tuple[float, float, float, float], colonne: int
) -> None:
    """Key figures as cards of real text: label, large value, comparison."""
    x0, y0, w, h = box
    righe = -(-len(cifre) // colonne)
    gap = 0.2
    cw, ch = (w - gap * (colonne - 1)) / colonne, min(2.1, (h - gap * (righe - 1)) / righe)
    for n, c in enumerate(cifre):
        r, k = divmod(n, colonne)
        cx, cy = x0 + k * (cw + gap), y0 + r * (ch + gap)
        carta = pagina.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(cx), Inches(cy), Inches(cw), Inches(ch))
        carta.fill.solid()
        carta.fill.fore_color.rgb = SFONDO_CIFRA
        carta.line.fill.background()
        carta.shadow.inherit = False
        etichetta, valore, dettaglio = _corpi_cifra(c, cw - 0.3, ch - 0.2, 40 if ch >= 1.8 else 30)
        _testo(
            pagina,
            (cx + 0.15, cy + 0.1, cw - 0.3, ch - 0.2),
            [
                (c.etichetta, etichetta, True, TESTO),
                (c.valore, valore, True, VERDE),
                (c.dettaglio, dettaglio, False, GRIGIO),
            ],
            ancora=MSO_ANCHOR.MIDDLE,
        )


def _righe_di(testo: str, punti: int, larghezza: float) -> int:
    """Lines a text takes in `larghezza` inches, wrapped by words at about 0,6 em a character."""
    righe, riga = 1, ""
    for parola in (testo or "").split():
        prova = f"{riga} {parola}".strip()
        if riga and len(prova) * punti * 0.6 > larghezza * 72:
            righe, riga = righe + 1, parola
        else:
            riga = prova
    return righe


def _corpi_cifra(c: modello.Cifra, larghezza: float, altezza: float, valore: int) -> tuple[int, int, int]:
    """Type sizes (pt) of a card's label, value and comparison that fit its box: the smaller texts shrink first."""
    for corpi in ((16, valore, 14), (14, valore, 12), (13, valore - 6, 12), (12, valore - 10, 11)):
        testi = (c.etichetta, c.valore, c.dettaglio or "")
        alto = sum(_righe_di(t, p, larghezza) * p * 1.2 for t, p in zip(testi, corpi, strict=True) if t) / 72
        if alto <= altezza:
            return corpi
    return corpi


def testo_alternativo(s: modello.Slide) -> str:
    """The alt text of a slide's chart: what it shows, its message, and where its figures are."""
    tipo = "Mappa" if s.legenda else "Grafico"
    legenda = f" Legenda: {', '.join(v for _, v in s.legenda)}." if s.legenda else ""
    dati = " Le cifre sono nelle note della slide." if s.tabella is not None else ""
    return " ".join(filter(None, [f"{tipo}: {s.titolo}.", s.sottotitolo and f"{s.sottotitolo}.", legenda, dati]))


def _immagine(pagina: SlidePptx, png: bytes, box: tuple[float, float, float, float], alt: str) -> None:
    """A chart image, as large as the box allows without distortion, with its alt text (cNvPr descr)."""
    x, y, w, h = box
    figura = pagina.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(y), width=Inches(w), height=Inches(h))
    figura._element.nvPicPr.cNvPr.set("descr", alt)
    figura._element.nvPicPr.cNvPr.set("name", alt[:80])


def _tabella(
    pagina: SlidePptx,
    df: pl.DataFrame,
    box: tuple[float, float, float, float],
    colori: tuple[str, dict[str, str]] | None = None,
) -> None:
    """A table of text (already formatted the Italian way), header in the regional green, coloured cells."""
    x, y, w, h = box
    righe, colonne = df.height + 1, df.width
    altezza = min(Inches(h), Inches(0.5) * righe)
    tab = pagina.shapes.add_table(righe, colonne, Inches(x), Inches(y), Inches(w), Emu(altezza)).table
    for j, nome in enumerate(df.columns):
        _cella(tab.cell(0, j), nome, bianco=True)
        tab.cell(0, j).fill.solid()
        tab.cell(0, j).fill.fore_color.rgb = VERDE
    for j, larghezza in enumerate(_larghezze_colonne(df, Inches(w))):
        tab.columns[j].width = Emu(larghezza)
    colonna, mappa_colori = colori or ("", {})
    for i, riga in enumerate(df.iter_rows(named=True), start=1):
        for j, (nome, valore) in enumerate(riga.items()):
            testo = "" if valore is None else str(valore)
            _cella(tab.cell(i, j), testo, bianco=False)
            if nome == colonna and testo in mappa_colori:
                tab.cell(i, j).fill.solid()
                tab.cell(i, j).fill.fore_color.rgb = RGBColor.from_string(mappa_colori[testo].lstrip("#"))


def _larghezze_colonne(df: pl.DataFrame, totale: int) -> list[int]:
    """Column widths (EMU): each holds its longest word whole, the rest goes by its longest text (capped).

    Rows then wrap on two lines at most and never inside a word ("Semafor/o"); 0,68 em a character leaves room
    for Arial bold and for the wider fonts an office may substitute.
    """
    testi = [[nome, *("" if v is None else str(v) for v in df[nome].to_list())] for nome in df.columns]
    minime = [int(max(len(p) for t in col for p in t.split() or [""]) * Pt(13) * 0.68 + Inches(0.2)) for col in testi]
    pesi = [min(max(len(t) for t in col), 28) + 4 for col in testi]
    larghezze = [max(m, totale * p / sum(pesi)) for m, p in zip(minime, pesi, strict=True)]
    # What the minimums added is taken back from the columns that have room to spare, in proportion to it.
    margini = [lg - m for lg, m in zip(larghezze, minime, strict=True)]
    eccesso = sum(larghezze) - totale
    if eccesso > 0 and sum(margini) > 0:
        quota = min(eccesso / sum(margini), 1)
        larghezze = [lg - mg * quota for lg, mg in zip(larghezze, margini, strict=True)]
    return [int(lg) for lg in larghezze]


_NUMERO = re.compile(r"-?[0-9][0-9.]*(,[0-9]+)?")


def _cella_nota(colonna: str, valore: object) -> str:
    """A table cell as the notes read it: differences with their sign, percentages with '%' (as the slide says)."""
    testo = "" if valore is None else str(valore)
    if not _NUMERO.fullmatch(testo):
        return testo
    if colonna.startswith(("Differenza", "Var")) and not testo.startswith("-") and testo.strip("0.,"):
        testo = "+" + testo
    return testo + "%" if "%" in colonna else testo


def _tabella_testo(df: pl.DataFrame | None) -> str:
    """A chart's table as plain text for the speaker notes: the exact figures travel with the image."""
    if df is None:
        return ""
    righe = [
        " | ".join(df.columns),
        *(" | ".join(_cella_nota(c, v) for c, v in zip(df.columns, r, strict=True)) for r in df.iter_rows()),
    ]
    return "Dati del grafico:\n" + "\n".join(righe)


def _legenda(pagina: SlidePptx, titolo: str, voci: Sequence[tuple[str, str]], box: tuple[float, float, float]) -> None:
    """A map's legend: a coloured square and its label (real text) per class."""
    x, y, w = box
    _testo(pagina, (x, y, w, 0.5), [(titolo, 16, True, TESTO)])
    for n, (colore, etichetta) in enumerate(voci):
        cy = y + 0.6 + n * 0.5
        quadrato = pagina.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(x), Inches(cy), Inches(0.45), Inches(0.35))
        quadrato.fill.solid()
        quadrato.fill.fore_color.rgb = RGBColor.from_string(colore.lstrip("#"))
        quadrato.line.color.rgb = RGBColor(0x4D, 0x4D, 0x4D)
        quadrato.shadow.inherit = False
        _testo(pagina, (x + 0.6, cy - 0.03, w - 0.6, 0.4), [(etichetta, 15, False, TESTO)], ancora=MSO_ANCHOR.MIDDLE)


def _accessore(valore: object, riga: dict[str, Any]) -> Any:
    """A deck.gl accessor ('@@=properties.colore', '@@=[lon, lat]', a constant) evaluated on one datum."""
    if not isinstance(valore, str) or not valore.startswith("@@="):
        return valore
    espressione = valore[3:].strip()
    if espressione.startswith("["):
        return [_accessore(f"@@={parte.strip()}", riga) for parte in espressione.strip("[]").split(",")]
    if espressione.startswith("'"):
        return espressione.strip("'")
    dato: Any = riga
    for chiave in espressione.split("."):
        dato = dato[chiave]
    return dato


def _rgba(colore: Sequence[int]) -> str:
    r, g, b, *a = colore
    return f"rgba({r},{g},{b},{(a[0] if a else 255) / 255:.3f})"


def _anelli(poligono: Sequence[Any]) -> list[Sequence[Sequence[float]]]:
    """The outer ring of a polygon given as rings ([[x, y], ...] first) or as one ring."""
    return [poligono[0]] if poligono and isinstance(poligono[0][0], list | tuple) else [poligono]


def _forma(fig: go.Figure, anello: Sequence[Sequence[float]], riempimento: str | None, linea: dict[str, Any]) -> None:
    fig.add_scatter(
        x=[p[0] for p in anello], y=[p[1] for p in anello], mode="lines", fill="toself" if riempimento else None,
        fillcolor=riempimento, line=linea, hoverinfo="skip", showlegend=False,
    )  # fmt: skip


LARGHEZZA_CARATTERE, ALTEZZA_RIGA = 0.62, 1.2  # of the label font's size: a bold digit or capital, a line
# Where a label that would cover another goes, in label heights and widths from its place (nearest first).
SPOSTAMENTI = [(dx, dy) for passo in (0.5, 1.0, 1.5, 2.0) for dx, dy in
               ((0, -passo), (0, passo), (passo, 0), (-passo, 0), (passo, -passo), (-passo, -passo),
                (passo, passo), (-passo, passo))]  # fmt: skip


def _posa_etichette(
    punti: Sequence[tuple[float, float]], testi: Sequence[str], corpo: float
) -> list[tuple[float, float]]:
    """Label centres (pixels) that do not overlap: each label stays put if free, else moves to the nearest free place.

    The larger labels are placed first; the ones moved get a leader line from their province (drawn by the caller).
    """
    scatole: list[tuple[float, float, float, float]] = []
    posti: dict[int, tuple[float, float]] = {}

    def libera(x: float, y: float, w: float, h: float) -> bool:
        return all(x + w / 2 <= a or b <= x - w / 2 or y + h / 2 <= c or d <= y - h / 2 for a, c, b, d in scatole)

    for i in sorted(range(len(punti)), key=lambda i: -len(testi[i])):
        righe = testi[i].split("<br>")
        w, h = LARGHEZZA_CARATTERE * corpo * max(map(len, righe)) + 4, ALTEZZA_RIGA * corpo * len(righe)
        x, y = punti[i]
        scelta = next(
            ((x + dx * w, y + dy * h) for dx, dy in [(0, 0), *SPOSTAMENTI] if libera(x + dx * w, y + dy * h, w, h)),
            (x, y),
        )
        posti[i] = scelta
        scatole.append((scelta[0] - w / 2, scelta[1] - h / 2, scelta[0] + w / 2, scelta[1] + h / 2))
    return [posti[i] for i in range(len(punti))]


def mappa_statica(mappa: pdk.Deck, dimensioni: tuple[int, int] = (1600, 900)) -> go.Figure:
    """A pydeck map redrawn as a plotly figure for the static export: the same polygons, colours and labels.

    The browser draws pydeck with WebGL; the PowerPoint needs an image made offline, so the layers' own data and
    accessors are read back and traced as shapes, in the layers' order (no basemap, as in the dashboard). The
    region fills the picture of `dimensioni` pixels, and labels that would overlap are moved apart with a leader.
    """
    fig = go.Figure()
    larghezza, altezza = dimensioni
    lon_min, lat_min, lon_max, lat_max = geo.limiti()
    centro = (lat_min + lat_max) / 2
    # Degrees of longitude shrink with latitude: pixels per degree of latitude are 1/cos larger than of longitude.
    coseno = math.cos(math.radians(centro))
    scala = min(larghezza * 0.96 / (lon_max - lon_min), altezza * 0.96 * coseno / (lat_max - lat_min))
    mezza_x, mezza_y = larghezza / 2 / scala, altezza / 2 * coseno / scala
    cx, cy = (lon_min + lon_max) / 2, (lat_min + lat_max) / 2
    intervallo_x, intervallo_y = [cx - mezza_x, cx + mezza_x], [cy - mezza_y, cy + mezza_y]

    def in_pixel(lon: float, lat: float) -> tuple[float, float]:
        return (lon - intervallo_x[0]) / (2 * mezza_x) * larghezza, (intervallo_y[1] - lat) / (2 * mezza_y) * altezza

    def da_pixel(x: float, y: float) -> tuple[float, float]:
        return intervallo_x[0] + x / larghezza * 2 * mezza_x, intervallo_y[1] - y / altezza * 2 * mezza_y

    for layer in mappa.layers:
        if layer.type in ("SolidPolygonLayer", "PolygonLayer"):
            for riga in layer.data:
                riempimento = _rgba(_accessore(getattr(layer, "get_fill_color", [200, 200, 200]), riga))
                for anello in _anelli(_accessore(layer.get_polygon, riga)):
                    _forma(fig, anello, riempimento, {"width": 0})
        elif layer.type == "GeoJsonLayer":
            for feature in layer.data["features"]:
                riempimento = (
                    _rgba(_accessore(getattr(layer, "get_fill_color", [200, 200, 200]), feature))
                    if getattr(layer, "filled", True)
                    else None
                )
                linea = {"width": 0}
                if getattr(layer, "stroked", True):
                    spessore = float(_accessore(getattr(layer, "get_line_width", 1), feature))
                    linea = {"color": _rgba(_accessore(getattr(layer, "get_line_color", [80, 80, 80]), feature)),
                             "width": max(spessore, 1)}  # fmt: skip
                geometria = feature["geometry"]
                parti = geometria["coordinates"] if geometria["type"] == "MultiPolygon" else [geometria["coordinates"]]
                for parte in parti:
                    _forma(fig, parte[0], riempimento, linea)
        elif layer.type == "TextLayer":
            dati = list(layer.data)
            testi = [str(_accessore(layer.get_text, r)).replace("\n", "<br>") for r in dati]
            punti = [in_pixel(*_accessore(layer.get_position, r)[:2]) for r in dati]
            posati = _posa_etichette(punti, testi, tema.FONT_BASE)
            posti = [da_pixel(*p) for p in posati]
            for punto, posato, posto in zip(punti, posati, posti, strict=True):
                if punto != posato:  # a moved label points to its province
                    origine = da_pixel(*punto)
                    fig.add_scatter(
                        x=[origine[0], posto[0]], y=[origine[1], posto[1]], mode="lines",
                        line={"color": tema.GRIGIO_TESTO, "width": 1.5}, hoverinfo="skip", showlegend=False,
                    )  # fmt: skip
            fig.add_scatter(
                x=[p[0] for p in posti], y=[p[1] for p in posti], mode="text", text=testi,
                textfont={"size": tema.FONT_BASE, "color": tema.GRIGIO_TESTO, "weight": "bold",
                          "shadow": "0 0 3px white, 0 0 3px white"},
                hoverinfo="skip", showlegend=False,
            )  # fmt: skip
    fig.update_xaxes(visible=False, range=intervallo_x)
    fig.update_yaxes(visible=False, range=intervallo_y)
    fig.update_layout(
        template="simple_white", margin={"l": 0, "r": 0, "t": 0, "b": 0}, paper_bgcolor="white", plot_bgcolor="white",
        width=larghezza, height=altezza,
    )  # fmt: skip
    return fig


def _cella(cella, testo: str, *, bianco: bool) -> None:
    cella.text = ""
    run = cella.text_frame.paragraphs[0].add_run()
    run.text = senza_invisibili(testo)
    _font(run.font, 13, bianco, RGBColor(0xFF, 0xFF, 0xFF) if bianco else TESTO)


def scrivi_file(d: modello.Deck, cartella: Path) -> Path:
    """Write the deck to a folder, named after tavolo, year and extraction; return the file's path."""
    cartella.mkdir(parents=True, exist_ok=True)
    path = cartella / f"{d.nome_file}.pptx"
    path.write_bytes(scrivi(d))
    return path
