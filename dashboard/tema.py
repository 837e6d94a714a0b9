"""The palette of the app: one colour per concept, colour-blind safe (Okabe-Ito based), WCAG 2.1 AA contrasts.

tests/dashboard/test_tema.py computes every pair listed in COPPIE_TESTO (>= 4.5:1) and COPPIE_SEGNI (>= 3:1).
"""

from __future__ import annotations

from data_access.dominio import MISURA_ALTRA, NO_PAL, STEPS

VERDE_REGIONE = "#006633"
GRIGIO_TESTO = "#1B1F1C"
GRIGIO_NEUTRO = "#8C8C8C"
# Secondary text (captions, sources, tick labels): Streamlit's faded grey (#767977) reaches only 4.4:1 on white.
GRIGIO_DIDASCALIA = "#595E5B"
SFONDO = "#FFFFFF"
SFONDO_SECONDARIO = "#EEF3EF"
# The keyboard focus ring: dark blue, distinct from the green of the current page and of the buttons.
COLORE_FOCUS = "#0B4F8A"

# The previous year lighter, the current year dark: same hue family, distinct in lightness for any vision; both
# at least 3:1 on white, as chart marks must be.
COLORE_ANNO_PRECEDENTE = "#3D8BC9"
COLORE_ANNO_CORRENTE = "#0B4F8A"


def colore_anno(anno: int, anno_corrente: int) -> str:
    """The colour of a year: dark for the selected year, light for the one before."""
    return COLORE_ANNO_CORRENTE if anno == anno_corrente else COLORE_ANNO_PRECEDENTE


# Okabe-Ito hues, each at least 3:1 on white as a chart mark must be (the orange darkened to reach it).
COLORE_TIPO: dict[str, str] = {
    "CIGS_MIN": "#009E73",  # bluish green
    "CIGS_REG": "#C77C00",  # orange
    "LIC": "#CC79A7",  # reddish purple
}

# Steps: a sequential green ramp towards STEP 4, every step at least 3:1 on white (the lightest green of a classic
# ramp would vanish on the page); NO PAL a dark neutral grey, the workers not yet taken in charge a light one.
COLORE_STEP: dict[str, str] = {
    STEPS[0].codice: "#4E9A4E",
    STEPS[1].codice: "#2E8540",
    STEPS[2].codice: "#17692F",
    STEPS[3].codice: "#00441B",
    NO_PAL.codice: "#595959",
}
COLORE_NON_IN_CARICO = "#8C8C8C"

# Diverging palette for changes (decrease blue, increase vermillion), centred on zero.
DIVERGENTE = ("#0072B2", "#6BAED6", "#F2F2F2", "#F4A582", "#D55E00")
SEQUENZIALE = ("#EDF8E9", "#BAE4B3", "#74C476", "#31A354", "#006D2C")
COLORE_SOTTO_MEDIA = "#D55E00"

FONT_FAMILY = '"Source Sans 3", "Source Sans Pro", "DejaVu Sans", Arial, sans-serif'
FONT_BASE = 18
FONT_TITOLO = 24

# Traffic light of the high-complexity cases (cell background, dark text on each, >= 4.5:1): red (a red, not an
# orange that reads as amber), amber, green, grey; the word is always written beside the colour. Every light
# reaches 3:1 on white too: it is also a dot in the lists and a line on the charts.
COLORE_SEMAFORO: dict[str, str] = {
    "rosso": "#EE4B4B",
    "ambra": "#B58A00",
    "verde": "#4A9A3F",
    "chiuso": "#949494",
}
TESTO_ROSSO = "#A8231B"  # words of the red light (a deadline's label) on white: the red itself is too light for text


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
    MISURA_ALTRA: GRIGIO_NEUTRO,
}
# Budget arithmetic: committed dark, spent light, the budget a black line.
COLORE_IMPEGNATO = "#332288"
COLORE_SPESO = "#4A90C2"
COLORE_DOTAZIONE = "#000000"


def luminanza(colore: str) -> float:
    """WCAG 2.1 relative luminance of '#RRGGBB' (or 'white'/'black')."""
    esadecimale = {"white": "#FFFFFF", "black": "#000000"}.get(colore, colore).lstrip("#")
    canali = [int(esadecimale[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lineari = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in canali]
    return 0.2126 * lineari[0] + 0.7152 * lineari[1] + 0.0722 * lineari[2]


def contrasto(primo: str, secondo: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, from 1 to 21."""
    chiaro, scuro = sorted((luminanza(primo), luminanza(secondo)), reverse=True)
    return (chiaro + 0.05) / (scuro + 0.05)


def testo_su(sfondo: str) -> str:
    """The text colour for a label written on `sfondo`: white where it reaches 4.5:1, else the dark text."""
    return "white" if contrasto("white", sfondo) >= 4.5 else GRIGIO_TESTO


# Text that stays readable on each step colour (>= 4.5:1).
TESTO_SU_STEP: dict[str, str] = {codice: testo_su(colore) for codice, colore in COLORE_STEP.items()}


# Text on its background, as the app draws it: name -> (text, background). Must reach 4.5:1.
COPPIE_TESTO: dict[str, tuple[str, str]] = {
    "testo": (GRIGIO_TESTO, SFONDO),
    "testo su sfondo secondario": (GRIGIO_TESTO, SFONDO_SECONDARIO),
    "didascalia": (GRIGIO_DIDASCALIA, SFONDO),
    "didascalia su sfondo secondario": (GRIGIO_DIDASCALIA, SFONDO_SECONDARIO),
    "titolo verde": (VERDE_REGIONE, SFONDO),
    "bottone primario": ("#FFFFFF", VERDE_REGIONE),
    "badge demo": ("#664D03", "#FFF3CD"),
    **{f"etichetta su {c}": (TESTO_SU_STEP[c], COLORE_STEP[c]) for c in COLORE_STEP},
    "etichetta su non in carico": (testo_su(COLORE_NON_IN_CARICO), COLORE_NON_IN_CARICO),
    **{f"semaforo {k}": (GRIGIO_TESTO, v) for k, v in COLORE_SEMAFORO.items()},
    # The figures written inside the bars of the procedure types (Confronto) are dark.
    **{f"cifra su {t}": (GRIGIO_TESTO, v) for t, v in COLORE_TIPO.items()},
    "scadenza in rosso": (TESTO_ROSSO, SFONDO),
}
# Chart marks that carry meaning without a written value beside them, and the focus ring. Must reach 3:1.
COPPIE_SEGNI: dict[str, tuple[str, str]] = {
    **{f"tipo {t}": (v, SFONDO) for t, v in COLORE_TIPO.items()},
    **{f"step {s}": (v, SFONDO) for s, v in COLORE_STEP.items()},
    "non in carico": (COLORE_NON_IN_CARICO, SFONDO),
    **{f"misura {m}": (v, SFONDO) for m, v in COLORE_MISURA.items()},
    **{f"semaforo {k}": (v, SFONDO) for k, v in COLORE_SEMAFORO.items()},
    "impegnato": (COLORE_IMPEGNATO, SFONDO),
    "speso": (COLORE_SPESO, SFONDO),
    "senza intervento": (GRIGIO_NEUTRO, SFONDO),
    "aumento": (DIVERGENTE[-1], SFONDO),
    "diminuzione": (DIVERGENTE[0], SFONDO),
    "anno precedente": (COLORE_ANNO_PRECEDENTE, SFONDO),
    "anno corrente": (COLORE_ANNO_CORRENTE, SFONDO),
    "sotto la media": (COLORE_SOTTO_MEDIA, SFONDO),
    "focus": (COLORE_FOCUS, SFONDO),
    "focus su sfondo secondario": (COLORE_FOCUS, SFONDO_SECONDARIO),
}
