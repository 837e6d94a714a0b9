"""The Region's published annual tables (seed 001, "Casi gestiti in forma coordinata con il livello territoriale").

Reference data the database is checked against (the Monitoraggio page) and the demo data's targets.
"""

from __future__ import annotations

# (units, workers) for CIGS ministeriali, CIGS regionali, licenziamenti collettivi, in table order.
# Published blanks (Cremona 2024 CIGS regionali workers, Lodi 2025 CIGS ministeriali) are zero.
TABELLE: dict[int, dict[str, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]]] = {
    2024: {
        "BG": ((9, 438), (6, 561), (28, 616)),
        "BS": ((6, 71), (3, 75), (15, 410)),
        "CO": ((4, 258), (3, 108), (9, 183)),
        "CR": ((4, 353), (0, 0), (5, 94)),
        "LC": ((2, 38), (1, 134), (3, 39)),
        "LO": ((0, 0), (1, 18), (4, 64)),
        "MN": ((3, 152), (1, 71), (3, 94)),
        "MI": ((41, 673), (18, 487), (107, 2191)),
        "MB": ((6, 116), (4, 390), (22, 625)),
        "PV": ((3, 34), (6, 366), (10, 379)),
        "SO": ((1, 2), (1, 59), (1, 59)),
        "VA": ((8, 99), (3, 73), (12, 227)),
    },
    2025: {
        "BG": ((9, 474), (10, 905), (47, 685)),
        "BS": ((11, 620), (2, 325), (16, 324)),
        "CO": ((14, 842), (12, 678), (20, 320)),
        "CR": ((1, 2), (1, 54), (2, 17)),
        "LC": ((4, 104), (2, 183), (5, 88)),
        "LO": ((0, 0), (2, 75), (1, 13)),
        "MN": ((2, 144), (1, 52), (4, 82)),
        "MI": ((27, 949), (10, 243), (115, 2034)),
        "MB": ((6, 672), (3, 90), (22, 551)),
        "PV": ((3, 29), (1, 15), (5, 381)),
        "SO": ((2, 18), (0, 0), (3, 15)),
        "VA": ((16, 523), (0, 0), (15, 293)),
    },
}
ORDINE_TIPI: tuple[str, str, str] = ("CIGS_MIN", "CIGS_REG", "LIC")
ANNI_PUBBLICATI: tuple[int, ...] = tuple(sorted(TABELLE))


def obiettivi() -> dict[tuple[int, str, str], tuple[int, int]]:
    """Published (units, workers) by (year, procedure type, province)."""
    return {
        (anno, tipo, sigla): valori[i]
        for anno, righe in TABELLE.items()
        for sigla, valori in righe.items()
        for i, tipo in enumerate(ORDINE_TIPI)
    }
