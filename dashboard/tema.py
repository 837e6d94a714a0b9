"""Colours and labels of the app: one colour per concept, colour-blind safe (Okabe-Ito based)."""

from __future__ import annotations

from data_access.dominio import NO_PAL, STEPS

VERDE_REGIONE = "#006633"
GRIGIO_TESTO = "#1B1F1C"
GRIGIO_NEUTRO = "#8C8C8C"

# The previous year light, the current year dark: same hue family, distinct in lightness for any vision.
COLORE_ANNO_PRECEDENTE = "#56B4E9"
COLORE_ANNO_CORRENTE = "#0B4F8A"


def colore_anno(anno: int, anno_corrente: int) -> str:
    """The colour of a year: dark for the selected year, light for the one before."""
    return COLORE_ANNO_CORRENTE if anno == anno_corrente else COLORE_ANNO_PRECEDENTE


COLORE_TIPO: dict[str, str] = {
    "CIGS_MIN": "#009E73",  # bluish green
    "CIGS_REG": "#E69F00",  # orange
    "LIC": "#CC79A7",  # reddish purple
}

# Steps: a sequential green ramp towards STEP 4; NO PAL neutral grey.
COLORE_STEP: dict[str, str] = {
    STEPS[0].codice: "#C7E9C0",
    STEPS[1].codice: "#74C476",
    STEPS[2].codice: "#31A354",
    STEPS[3].codice: "#00441B",
    NO_PAL.codice: "#A0A0A0",
}
# Text that stays readable on each step colour: dark on the light greens and the grey, white on the dark greens.
TESTO_SU_STEP: dict[str, str] = {
    codice: "white" if codice in (STEPS[2].codice, STEPS[3].codice) else GRIGIO_TESTO for codice in COLORE_STEP
}

# Diverging palette for changes (decrease blue, increase vermillion), centred on zero.
DIVERGENTE = ("#0072B2", "#6BAED6", "#F2F2F2", "#F4A582", "#D55E00")
SEQUENZIALE = ("#EDF8E9", "#BAE4B3", "#74C476", "#31A354", "#006D2C")
COLORE_SOTTO_MEDIA = "#D55E00"

FONT_FAMILY = '"Source Sans 3", "Source Sans Pro", "DejaVu Sans", Arial, sans-serif'
FONT_BASE = 18
FONT_TITOLO = 24

# Traffic light of the high-complexity cases (cell background, black bold text on each): vermillion, yellow,
# light green, grey; the word is always written beside the colour.
COLORE_SEMAFORO: dict[str, str] = {
    "rosso": "#D55E00",
    "ambra": "#F0E442",
    "verde": "#A6DBA0",
    "chiuso": "#D9D9D9",
}


def rgb(colore: str, alfa: int = 255) -> list[int]:
    """'#006633' -> [0, 102, 51, alfa], as deck.gl wants colours."""
    c = colore.lstrip("#")
    return [int(c[i : i + 2], 16) for i in (0, 2, 4)] + [alfa]


# PAL measures (order of dominio.MISURE), colour-blind safe and distinct from the procedure types' colours.
COLORE_MISURA: dict[str, str] = {
    "Dote Unica Lavoro": "#0072B2",
    "Formazione Continua": "#D55E00",
    "GOL": "#117733",
    "Azioni di Rete": "#882255",
}
# Budget arithmetic: committed dark, spent light, the budget a black line.
COLORE_IMPEGNATO = "#332288"
COLORE_SPESO = "#88CCEE"
COLORE_DOTAZIONE = "#000000"
