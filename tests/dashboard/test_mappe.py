"""The map builders on the demo data: values, colour classes, tooltips, labels, privacy, selection, no network."""

from __future__ import annotations

import json

import polars as pl
import pytest
from sqlalchemy.engine import Engine

from dashboard import geo, privacy, tema
from dashboard.charts import mappe
from dashboard.viste import mappe as vista_mappe
from data_access.dominio import CODICI_TIPO, SIGLE
from data_access.queries import territorio


@pytest.fixture(scope="module")
def celle(engine: Engine) -> pl.DataFrame:
    return territorio.per_provincia(engine, (2024, 2025), CODICI_TIPO)


@pytest.fixture(scope="module")
def coorte(engine: Engine) -> pl.DataFrame:
    return territorio.coorte_step(engine, 2025, CODICI_TIPO)


def _per_sigla(df: pl.DataFrame, colonna: str) -> dict[str, object]:
    return dict(df.select("sigla", colonna).iter_rows())


def _luminanza(colore: str) -> float:
    r, g, b, _ = tema.rgb(colore)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _deck(df: pl.DataFrame, metrica: str, **kwargs: object) -> dict:
    return json.loads(mappe.mappa(df, metrica, vista_mappe.classi(metrica, df["valore"].to_list()), **kwargs).to_json())


def _layer(deck: dict, layer_id: str) -> dict:
    return next(layer for layer in deck["layers"] if layer["id"] == layer_id)


def test_workers_2025_are_the_official_figures(celle: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("lavoratori", 2025, celle)
    testi = _per_sigla(df, "testo")
    assert testi["MI"] == "3.226"
    assert testi["SO"] == "33"
    assert _per_sigla(df, "posizione")["MI"] == 1
    assert _per_sigla(df, "posizione")["SO"] == 12
    assert df["valore"].sum() == 11800


def test_workers_2024(celle: pl.DataFrame) -> None:
    assert _per_sigla(vista_mappe.indicatore("lavoratori", 2024, celle), "testo")["MI"] == "3.351"


@pytest.mark.parametrize("metrica", ["lavoratori", "unita", "procedure", "pal"])
def test_sequential_colours_are_monotonic_in_the_value(celle: pl.DataFrame, coorte: pl.DataFrame, metrica: str) -> None:
    df = vista_mappe.indicatore(metrica, 2025, celle, coorte).filter(pl.col("valore").is_not_null()).sort("valore")
    classi = vista_mappe.classi(metrica, df["valore"].to_list())
    indici = [classi.indice(v) for v in df["valore"]]
    luminanze = [_luminanza(classi.colore(v)) for v in df["valore"]]
    assert indici == sorted(indici)
    assert luminanze == sorted(luminanze, reverse=True)  # more is darker
    assert len(set(indici)) >= 3  # the map does tell provinces apart
    assert indici[0] == 0 and indici[-1] == len(classi.colori) - 1  # lightest and darkest are both used
    assert list(classi.soglie) == sorted(set(classi.soglie))


def test_colour_classes_are_round_numbers(celle: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("lavoratori", 2025, celle)
    classi = vista_mappe.classi("lavoratori", df["valore"].to_list())
    assert classi.soglie == (130, 400, 1100, 1700)
    assert classi.etichette == ("meno di 130", "130–399", "400–1.099", "1.100–1.699", "1.700 e oltre")


def test_change_uses_the_diverging_palette_centred_on_zero(celle: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("variazione", 2025, celle)
    testi = _per_sigla(df, "testo")
    assert testi["MI"] == "-3,7%"  # 3.351 -> 3.226
    assert testi["CO"] == "+235,2%"  # 549 -> 1.840
    classi = vista_mappe.classi("variazione", df["valore"].to_list())
    assert classi.colori == tema.DIVERGENTE
    valori = _per_sigla(df, "valore")
    assert classi.colore(valori["MI"]) == tema.DIVERGENTE[2]  # stable: the neutral middle
    assert classi.colore(valori["CO"]) == tema.DIVERGENTE[-1]
    assert classi.colore(valori["CR"]) == tema.DIVERGENTE[0]  # 447 -> 73
    ordinati = df.sort("valore")["valore"].to_list()
    assert [classi.indice(v) for v in ordinati] == sorted(classi.indice(v) for v in ordinati)


def test_change_without_previous_year_has_no_value(celle: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("variazione", 2024, celle)
    assert vista_mappe.senza_dati(df)
    assert "2023" in vista_mappe.motivo_senza_dati("variazione", 2024, CODICI_TIPO)


def test_pal_rate_by_province_hides_small_cohorts(celle: pl.DataFrame, coorte: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("pal", 2025, celle, coorte)
    testi = _per_sigla(df, "testo")
    assert testi["MI"] == "48,8%"  # 463 of 949
    # Cremona's cohort is 2 workers; Sondrio is hidden too, or Cremona would follow from the regional 2.232.
    assert testi["CR"] == vista_mappe.ND_RISERVATO
    assert testi["SO"] == vista_mappe.ND_RISERVATO
    assert testi["LO"] == "non applicabile"  # no CIGS ministeriali in Lodi in 2025: no share to compute
    assert _per_sigla(df, "valore")["CR"] is None
    assert vista_mappe.quota_regionale(coorte) == pytest.approx(2232 / 4377)
    tabella = vista_mappe.tabella(df, "pal")
    cremona = tabella.filter(pl.col("Sigla") == "CR").row(0, named=True)
    assert cremona["Con PAL attivata (STEP 4)"] == vista_mappe.ND_RISERVATO


def test_pal_without_cigs_ministeriali_explains_why(celle: pl.DataFrame, engine: Engine) -> None:
    coorte = territorio.coorte_step(engine, 2025, ("LIC",))
    df = vista_mappe.indicatore("pal", 2025, celle, coorte)
    assert vista_mappe.senza_dati(df)
    assert "CIGS ministeriali" in vista_mappe.motivo_senza_dati("pal", 2025, ("LIC",))


def test_per_employed_needs_the_denominator(celle: pl.DataFrame, engine: Engine) -> None:
    df = vista_mappe.indicatore("occupati", 2025, celle, occupati=territorio.occupati(engine))
    assert vista_mappe.senza_dati(df)
    assert "ISTAT" in vista_mappe.motivo_senza_dati("occupati", 2025, CODICI_TIPO)
    occupati = pl.DataFrame({"sigla": list(SIGLE), "occupati": [1_000_000 if s == "MI" else None for s in SIGLE]})
    df = vista_mappe.indicatore("occupati", 2025, celle, occupati=occupati)
    assert _per_sigla(df, "testo")["MI"] == "32,3"  # 3.226 per 1.000.000 employed
    assert _per_sigla(df, "testo")["BG"] == "n.d."


def test_tooltips_carry_the_queried_figures(celle: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("lavoratori", 2025, celle)
    deck = _deck(df, "lavoratori")
    aree = [a for a in _layer(deck, vista_mappe.LAYER_PROVINCE)["data"] if a["sigla"] == "MI"]
    assert len(aree) == 2  # Milano's two polygons, both clickable with the same tooltip
    assert aree[0]["tt_titolo"] == "Milano (MI)"
    assert aree[0]["tt_valore"] == "Lavoratori coinvolti: 3.226"
    assert aree[0]["tt_dettaglio"] == "posizione 1 su 12"
    assert "{tt_valore}" in deck_tooltip(df)
    etichette = {e["testo"] for e in _layer(deck, mappe.LAYER_ETICHETTE)["data"]}
    assert "MI\n3.226" in etichette and "SO\n33" in etichette


def deck_tooltip(df: pl.DataFrame) -> str:
    return mappe.mappa(df, "lavoratori", vista_mappe.classi("lavoratori", df["valore"].to_list()))._tooltip["html"]


def test_fill_colours_follow_the_classes(celle: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("lavoratori", 2025, celle)
    classi = vista_mappe.classi("lavoratori", df["valore"].to_list())
    colori = {a["sigla"]: a["colore"][:3] for a in mappe.aree_province(df, "lavoratori", classi)}
    assert colori["MI"] == tema.rgb(tema.SEQUENZIALE[-1])[:3]
    assert colori["SO"] == tema.rgb(tema.SEQUENZIALE[0])[:3]


def test_the_map_needs_no_network(celle: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("lavoratori", 2025, celle)
    spec = mappe.mappa(df, "lavoratori", vista_mappe.classi("lavoratori", df["valore"].to_list())).to_json()
    assert "http" not in spec and "mapProvider" not in spec
    # Streamlit draws a basemap whenever mapStyle is missing; this value is the one it reads as 'none'.
    assert json.loads(spec)["mapStyle"] == "__MAP_STYLE__"
    con_sfondo = mappe.mappa(df, "lavoratori", vista_mappe.classi("lavoratori", df["valore"].to_list()), sfondo=True)
    assert "basemaps.cartocdn.com" in con_sfondo.to_json()


def test_filtered_provinces_get_a_thick_outline(celle: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("lavoratori", 2025, celle)
    confini = _layer(_deck(df, "lavoratori", evidenziate=("BG", "MI")), mappe.LAYER_CONFINI)["data"]["features"]
    spessori = {f["properties"]["sigla"]: f["properties"]["spessore"] for f in confini}
    assert spessori["BG"] == spessori["MI"] == mappe.CONTORNO_EVIDENZIATO
    assert spessori["CO"] == mappe.CONTORNO_NORMALE
    assert [f["properties"]["sigla"] for f in confini][-2:] in (["BG", "MI"], ["MI", "BG"])  # drawn on top


def test_labels_sit_inside_their_province() -> None:
    posizioni = geo.posizioni_etichette()
    assert sorted(posizioni) == sorted(SIGLE)
    for f in geo.confini()["features"]:
        sigla = f["properties"]["sigla"]
        anello = geo._anello_principale(f["geometry"])
        assert geo.contiene(anello, *posizioni[sigla]), sigla


def test_selection_gives_the_province() -> None:
    provincia = {"indices": {"province": [9]}, "objects": {"province": [{"sigla": "MI", "tt_titolo": "Milano (MI)"}]}}
    comune = {"indices": {"comuni": [0]}, "objects": {"comuni": [{"sigla": "BG", "lon": 9.67, "lat": 45.69}]}}
    assert vista_mappe.sigla_selezionata(provincia) == "MI"
    assert vista_mappe.sigla_selezionata(comune) == "BG"
    assert vista_mappe.sigla_selezionata({"indices": {}, "objects": {}}) is None
    assert vista_mappe.sigla_selezionata(None) is None
    assert vista_mappe.sigla_selezionata({"objects": {"etichette": [{"sigla": "MI"}]}}) is None
    assert vista_mappe.sigla_selezionata({"objects": {"province": [{"sigla": "XX"}]}}) is None


def test_municipality_circles_protect_small_counts(engine: Engine) -> None:
    comuni = territorio.per_comune(engine, 2025, CODICI_TIPO)
    punti = mappe.punti_comuni(comuni)
    assert len(punti) == comuni.height
    nascosti = privacy.maschera(comuni, "lavoratori", righe="sigla", colonne=None).to_list()
    piccoli = [p for p, r in zip(punti, comuni.iter_rows(named=True), strict=True) if r["lavoratori"] < 3]
    assert piccoli and all(p["tt_valore"] == "Lavoratori coinvolti: <3" for p in piccoli)
    visibili = [
        (r["lavoratori"], p["raggio"])
        for p, r, n in zip(punti, comuni.iter_rows(named=True), nascosti, strict=True)
        if not n
    ]
    assert [raggio for _, raggio in sorted(visibili)] == sorted(raggio for _, raggio in visibili)
    assert punti[0]["tt_valore"] == f"Lavoratori coinvolti: {comuni['lavoratori'][0]:,}".replace(",", ".")
    for p, n in zip(punti, nascosti, strict=True):
        assert (p["raggio"] == mappe.RAGGIO_MIN) or not n


def test_legend_lists_classes_highest_first_and_missing_values(celle: pl.DataFrame, coorte: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("pal", 2025, celle, coorte)
    classi = vista_mappe.classi("pal", df["valore"].to_list())
    voci = vista_mappe.legenda(classi, df)
    assert [c for c, _ in voci[:-1]] == list(classi.colori[::-1])
    assert voci[-1] == (vista_mappe.COLORE_ND, "non applicabile / riservato")  # Lodi has no cohort; Cremona is small
    html = mappe.legenda_html("PAL attivate", voci, vista_mappe.note_legenda(df, ("MI",), False))
    assert "non applicabile / riservato" in html and "Contorno spesso" in html and "Riservato:" in html


def test_ranked_bars_use_the_map_colours(celle: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("lavoratori", 2025, celle)
    classi = vista_mappe.classi("lavoratori", df["valore"].to_list())
    titoli = vista_mappe.titolo_barre(df, "lavoratori", 2025)
    assert titoli == ("In testa Milano con 3.226", "Lavoratori coinvolti, 2025")
    fig = mappe.barre(df, "lavoratori", classi, titoli, "Fonte: prova. Dati al 15/01/2026.", evidenziate=("MI",))
    barra = fig.data[0]
    assert barra.y[-1] == "<b>Milano</b>"  # the top bar, in bold as the filter's province
    assert barra.text[-1] == "3.226"
    assert barra.marker.color[-1] == tema.SEQUENZIALE[-1]
    assert list(barra.x) == sorted(barra.x)


def test_negative_changes_are_written_right_of_zero(celle: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("variazione", 2025, celle)
    classi = vista_mappe.classi("variazione", df["valore"].to_list())
    fig = mappe.barre(df, "variazione", classi, vista_mappe.titolo_barre(df, "variazione", 2025), "Fonte.")
    scritte = {a.text for a in fig.layout.annotations if a.x == 0}
    assert "-83,7%" in scritte and "-3,7%" in scritte
    assert fig.layout.title.text == "In aumento in 7 province su 12"


def test_table_is_ranked(celle: pl.DataFrame) -> None:
    tabella = vista_mappe.tabella(vista_mappe.indicatore("lavoratori", 2025, celle), "lavoratori")
    assert tabella.columns[:4] == ["Posizione", "Provincia", "Sigla", "Lavoratori coinvolti"]
    assert tabella.row(0)[:4] == (1, "Milano", "MI", "3.226")
    assert tabella["Peso % sul totale regionale (11.800)"][0] == "27,3"


def _in_pixel(vista: geo.Vista, lon: float, lat: float) -> tuple[float, float]:
    """Where a point falls in a frame, from the frame's centre, at the view's zoom (deck.gl's Web Mercator)."""
    scala = geo.TILE_PX * 2**vista.zoom
    x, y = geo.mercatore(lon, lat)
    cx, cy = geo.mercatore(vista.lon, vista.lat)
    return (x - cx) * scala, (y - cy) * scala


# The map's frames measured in Chromium: page column at its narrowest, tavolo slides from 1024x768 to 1920x1080.
CORNICI = [geo.CORNICE_PAGINA, geo.CORNICE_SLIDE, (559, 435), (644, 600), (785, 427), (897, 509), (1150, 761)]


@pytest.mark.parametrize(("larghezza", "altezza"), CORNICI)
def test_the_view_fits_every_province_in_the_frame(larghezza: int, altezza: int) -> None:
    vista = geo.vista(larghezza, altezza)
    for f in geo.confini()["features"]:
        g = f["geometry"]
        for parte in [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]:
            for lon, lat in parte[0]:
                x, y = _in_pixel(vista, lon, lat)
                assert abs(x) <= larghezza / 2 - geo.MARGINE_PX + 1, (f["properties"]["sigla"], x)
                assert abs(y) <= altezza / 2 - geo.MARGINE_PX + 1, (f["properties"]["sigla"], y)
    # And the region is drawn as large as the frame allows (within 2% of one side).
    lon_min, lat_min, lon_max, lat_max = geo.limiti()
    (x0, y0), (x1, y1) = _in_pixel(vista, lon_min, lat_max), _in_pixel(vista, lon_max, lat_min)
    assert max((x1 - x0) / (larghezza - 2 * geo.MARGINE_PX), (y1 - y0) / (altezza - 2 * geo.MARGINE_PX)) > 0.98


def test_the_page_map_opens_fitted_to_its_narrowest_frame(celle: pl.DataFrame) -> None:
    df = vista_mappe.indicatore("lavoratori", 2025, celle)
    vista = _deck(df, "lavoratori")["initialViewState"]
    atteso = geo.vista(*geo.CORNICE_PAGINA)
    assert (vista["latitude"], vista["longitude"], vista["zoom"]) == (atteso.lat, atteso.lon, atteso.zoom)


def test_the_bounds_are_those_of_the_istat_file() -> None:
    lon_min, lat_min, lon_max, lat_max = geo.limiti()
    assert 8.49 < lon_min < 8.51 and 11.42 < lon_max < 11.44  # Varese's west, Mantova's east
    assert 44.67 < lat_min < 44.69 and 46.63 < lat_max < 46.64  # Pavia's south (Oltrepò), Sondrio's north


def test_per_employed_is_offered_only_with_the_denominator() -> None:
    senza = pl.DataFrame(
        {"sigla": list(SIGLE), "occupati": [None] * 12}, schema={"sigla": pl.String, "occupati": pl.Int64}
    )
    con = senza.with_columns(pl.lit(100_000).alias("occupati"))
    assert "occupati" not in vista_mappe.metriche_offerte(dettaglio=True, occupati=senza)
    assert "occupati" in vista_mappe.metriche_offerte(dettaglio=True, occupati=con)
    assert "pal" not in vista_mappe.metriche_offerte(dettaglio=False, occupati=con)


def test_the_missing_denominator_is_explained_without_table_or_column_names() -> None:
    motivo = vista_mappe.MOTIVO_OCCUPATI
    assert "occupati per provincia" in motivo and "Rilevazione sulle forze di lavoro" in motivo
    for parola in ("tabella", "colonna", "«provincia»", "«occupati»", "database"):
        assert parola not in motivo, parola


def test_circle_size_legend_reads_italian_numbers_at_the_maps_radii(engine: Engine) -> None:
    comuni = territorio.per_comune(engine, 2025, CODICI_TIPO)
    voci = mappe.legenda_cerchi(comuni)
    massimo = comuni["lavoratori"].max()
    assert len(voci) == 3
    raggi = [r for r, _ in voci]
    assert raggi == sorted(raggi, reverse=True) and raggi[0] <= mappe.RAGGIO_MAX
    for raggio, etichetta in voci:
        valore = int(etichetta.split()[0].replace(".", ""))
        assert valore <= massimo
        assert raggio == pytest.approx(mappe.raggio(valore, massimo), abs=0.1)  # the circle drawn on the map
    assert voci[0][1].endswith("lavoratori") and "." in voci[0][1]  # e.g. "1.000 lavoratori"
    html_ = mappe.legenda_html("Lavoratori coinvolti, 2025", [], cerchi=voci)
    assert "Dimensione dei cerchi" in html_ and voci[0][1] in html_


def test_change_title_counts_only_the_provinces_with_a_change() -> None:
    """A province without a previous value has no change: it is neither up nor down, and not counted."""
    valori = [10.0, -5.0, None, 3.0] + [-1.0] * 8
    df = pl.DataFrame({"sigla": list(SIGLE), "valore": valori, "nome": list(SIGLE), "testo": ["x"] * 12})
    assert vista_mappe.titolo_barre(df, "variazione", 2025)[0] == "In aumento in 2 province su 11 con dato"
    tutte = df.with_columns(pl.col("valore").fill_null(1.0))
    assert vista_mappe.titolo_barre(tutte, "variazione", 2025)[0] == "In aumento in 3 province su 12"
