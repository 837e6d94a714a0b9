"""The bundled ISTAT boundaries of the 12 provinces (assets/geo), read once, and where to write their labels."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from data_access import ROOT
from data_access.dominio import SIGLE

log = logging.getLogger(__name__)

PROVINCE_GEOJSON = ROOT / "assets" / "geo" / "province.geojson"

# The smallest frames the map gets, in CSS pixels: on the page the map's column is at least 31rem wide
# (style.css) and 600 px high; on a tavolo slide, at 1280x720 with a two-line title, about 728x384.
CORNICE_PAGINA = (496, 600)
CORNICE_SLIDE = (728, 384)
MARGINE_PX = 12  # room between the region and the frame's edge, for the outlines and the labels
TILE_PX = 512  # deck.gl's Web Mercator world is 512 px wide at zoom 0
# A fixed opening view (the middle of the region's bounding box), for small maps drawn in a frame of their own.
CENTRO_LAT, CENTRO_LON, ZOOM = 45.666, 9.963, 6.8

Anello = list[list[float]]


@dataclass(frozen=True)
class Vista:
    """Where the map opens: centre and zoom (deck.gl's Web Mercator)."""

    lat: float
    lon: float
    zoom: float


@cache
def confini() -> dict[str, Any]:
    """The FeatureCollection of the 12 provinces (properties sigla, nome, codice_istat); shared, do not modify."""
    with PROVINCE_GEOJSON.open(encoding="utf-8") as fh:
        dati = json.load(fh)
    trovate = sorted(f["properties"]["sigla"] for f in dati["features"])
    if trovate != sorted(SIGLE):
        log.error("province.geojson holds %s, expected the 12 of dominio.SIGLE", trovate)
        raise ValueError("Il file dei confini provinciali non contiene le 12 province lombarde.")
    return dati


def _punti(geometria: dict[str, Any]) -> list[list[float]]:
    parti = geometria["coordinates"] if geometria["type"] == "MultiPolygon" else [geometria["coordinates"]]
    return [punto for parte in parti for anello in parte for punto in anello]


@cache
def limiti() -> tuple[float, float, float, float]:
    """The region's bounding box from the boundaries: (lon_min, lat_min, lon_max, lat_max)."""
    punti = [p for f in confini()["features"] for p in _punti(f["geometry"])]
    lon, lat = [p[0] for p in punti], [p[1] for p in punti]
    return min(lon), min(lat), max(lon), max(lat)


def mercatore(lon: float, lat: float) -> tuple[float, float]:
    """A point in Web Mercator world units (0-1 across the world, y growing southwards)."""
    y = (math.pi - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))) / (2 * math.pi)
    return (lon + 180) / 360, y


def _lat_da_y(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.pi - 2 * math.pi * y)) - math.pi / 2)


def vista(larghezza: float, altezza: float, margine: float = MARGINE_PX) -> Vista:
    """The centre and zoom that fit the whole region in a frame of that size (pixels), a margin on every side."""
    lon_min, lat_min, lon_max, lat_max = limiti()
    x0, y1 = mercatore(lon_min, lat_min)
    x1, y0 = mercatore(lon_max, lat_max)
    scala = min((larghezza - 2 * margine) / (x1 - x0), (altezza - 2 * margine) / (y1 - y0))
    zoom = math.floor(math.log2(scala / TILE_PX) * 100) / 100  # rounded down: never a pixel too large
    return Vista(lat=round(_lat_da_y((y0 + y1) / 2), 5), lon=round((lon_min + lon_max) / 2, 5), zoom=zoom)


def _area_baricentro(anello: Anello) -> tuple[float, float, float]:
    """Signed area and centroid of a ring (shoelace formula, in degrees: fine at this scale)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(anello, anello[1:] + anello[:1], strict=True):
        croce = x0 * y1 - x1 * y0
        area += croce
        cx += (x0 + x1) * croce
        cy += (y0 + y1) * croce
    area /= 2
    return area, cx / (6 * area), cy / (6 * area)


def contiene(anello: Anello, x: float, y: float) -> bool:
    """Ray casting: is the point inside the ring?"""
    dentro = False
    for (x0, y0), (x1, y1) in zip(anello, anello[1:] + anello[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            dentro = not dentro
    return dentro


def _punto_interno(anello: Anello) -> tuple[float, float]:
    """The centroid if inside the ring, else the middle of the widest chord at the centroid's latitude."""
    _, cx, cy = _area_baricentro(anello)
    if contiene(anello, cx, cy):
        return cx, cy
    incroci = sorted(
        x0 + (cy - y0) * (x1 - x0) / (y1 - y0)
        for (x0, y0), (x1, y1) in zip(anello, anello[1:] + anello[:1], strict=True)
        if (y0 > cy) != (y1 > cy)
    )
    tratti = list(zip(incroci[::2], incroci[1::2], strict=False))
    a, b = max(tratti, key=lambda t: t[1] - t[0])
    return (a + b) / 2, cy


def _anello_principale(geometria: dict[str, Any]) -> Anello:
    """The outer ring of the largest part (islands and exclaves do not carry the label)."""
    parti = geometria["coordinates"] if geometria["type"] == "MultiPolygon" else [geometria["coordinates"]]
    return max((p[0] for p in parti), key=lambda r: abs(_area_baricentro(r)[0]))


# Como's and Lecco's centres are 40 px apart on screen: their labels go west and north-east, Varese's a little
# south-west to make room (all still inside their province; checked on screen and in the tests).
POSIZIONI_FISSE: dict[str, tuple[float, float]] = {"CO": (9.05, 45.95), "LC": (9.43, 45.99), "VA": (8.74, 45.76)}


@cache
def posizioni_etichette() -> dict[str, tuple[float, float]]:
    """Where each province's label goes, as (lon, lat)."""
    posizioni = {}
    for f in confini()["features"]:
        sigla = f["properties"]["sigla"]
        lon, lat = POSIZIONI_FISSE.get(sigla) or _punto_interno(_anello_principale(f["geometry"]))
        posizioni[sigla] = (round(lon, 5), round(lat, 5))
    return posizioni
