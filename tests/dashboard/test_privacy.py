"""Small counts of workers: primary and secondary suppression, the threshold setting, the labels."""

from __future__ import annotations

import itertools
import random

import polars as pl
import pytest

from dashboard import privacy


def _tabella(righe: dict[str, list[int]], colonne: list[str] | None = None) -> pl.DataFrame:
    """A province x stage table in long form (one row per cell)."""
    colonne = colonne or [f"S{i + 1}" for i in range(len(next(iter(righe.values()))))]
    return pl.DataFrame(
        [{"riga": r, "colonna": c, "n": v} for r, valori in righe.items() for c, v in zip(colonne, valori, strict=True)]
    )


def _nascoste(df: pl.DataFrame, mask: pl.Series) -> set[tuple[str, str]]:
    return {(r, c) for (r, c), h in zip(df.select("riga", "colonna").iter_rows(), mask, strict=True) if h}


def _ricostruibili(
    df: pl.DataFrame, mask: pl.Series, t: int, dims: tuple[str, ...] = ("riga", "colonna")
) -> list[tuple[str, str]]:
    """Small cells an outsider can work out exactly from the shown line totals and the labels.

    Independent of the module: a backtracking search over every value each hidden cell could take ('<3' in
    [0, t-1], 'riservato' in [t, its smallest line total]), keeping the assignments that match every total.
    """
    chiavi = list(df.select("riga", "colonna").iter_rows())
    valori = df["n"].to_list()
    pos = {"riga": 0, "colonna": 1}
    linee = [
        [i for i in range(len(chiavi)) if chiavi[i][pos[d]] == k] for d in dims for k in {c[pos[d]] for c in chiavi}
    ]
    nascoste = [i for i, h in enumerate(mask) if h]
    residuo = [sum(valori[i] for i in linea if mask[i]) for linea in linee]
    linee_di = {i: [n for n, linea in enumerate(linee) if i in linea] for i in nascoste}
    restanti = [[sum(1 for j in linea if mask[j] and nascoste.index(j) > k) for linea in linee] for k in
                range(len(nascoste))]  # fmt: skip
    possibili: dict[int, set[int]] = {i: set() for i in nascoste}
    scelta: list[int] = []

    def cerca(k: int) -> None:
        if k == len(nascoste):
            if all(r == 0 for r in residuo):
                for i, v in zip(nascoste, scelta, strict=True):
                    possibili[i].add(v)
            return
        i = nascoste[k]
        alto = min(residuo[n] for n in linee_di[i]) if linee_di[i] else sum(valori)
        dominio = range(0, min(t - 1, alto) + 1) if valori[i] < t else range(t, alto + 1)
        for v in dominio:
            for n in linee_di[i]:
                residuo[n] -= v
            # Prune: a line whose hidden cells are all assigned must be met exactly.
            if all(residuo[n] >= 0 and (restanti[k][n] or residuo[n] == 0) for n in linee_di[i]):
                scelta.append(v)
                cerca(k + 1)
                scelta.pop()
            for n in linee_di[i]:
                residuo[n] += v

    cerca(0)
    return [chiavi[i] for i in nascoste if 0 < valori[i] < t and len(possibili[i]) == 1]


def test_no_small_cell_nothing_hidden() -> None:
    df = _tabella({"BG": [10, 20, 30], "BS": [5, 6, 7]})
    assert not privacy.maschera(df, "n", "riga", "colonna", 3).any()


def test_primary_cell_and_its_secondary_in_the_row() -> None:
    # Row BG has one small cell: the smallest other non-zero cell of the row hides with it.
    df = _tabella({"BG": [1, 40, 9, 60]})
    mask = privacy.maschera(df, "n", "riga", None, 3)
    assert _nascoste(df, mask) == {("BG", "S1"), ("BG", "S3")}


def test_secondary_in_the_column() -> None:
    # Column S2 has one small cell: with a column total shown, another cell of the column must go too.
    df = _tabella({"BG": [50, 2, 60], "BS": [40, 30, 20], "CO": [70, 8, 90]})
    mask = privacy.maschera(df, "n", None, "colonna", 3)
    assert _nascoste(df, mask) == {("BG", "S2"), ("CO", "S2")}


def test_rows_and_columns_chain_until_every_line_is_safe() -> None:
    df = _tabella({"BG": [1, 40, 30], "BS": [50, 45, 60], "CO": [70, 80, 90]})
    mask = privacy.maschera(df, "n", "riga", "colonna", 3)
    nascoste = _nascoste(df, mask)
    # BG-S1 primary; BG-S3 (30, the row's smallest) for the row; then columns S1 and S3 need a partner each,
    # which are in BS (50, 60), whose row then has two hidden cells.
    assert nascoste == {("BG", "S1"), ("BG", "S3"), ("BS", "S1"), ("BS", "S3")}
    assert _ricostruibili(df, mask, 3) == []
    for dim in ("riga", "colonna"):
        conteggi = df.with_columns(mask.alias("h")).group_by(dim).agg(pl.col("h").sum())["h"].to_list()
        assert all(c != 1 for c in conteggi)


def test_two_small_cells_that_add_up_below_the_threshold_take_more() -> None:
    # 1 + 1 = 2 hidden in a row of total 52 would say "two cells of one worker each".
    df = _tabella({"BG": [1, 1, 50]})
    mask = privacy.maschera(df, "n", "riga", None, 3)
    assert _nascoste(df, mask) == {("BG", "S1"), ("BG", "S2"), ("BG", "S3")}


def test_two_cells_at_the_maximum_are_not_enough() -> None:
    # 2 + 2 hidden with a known sum of 4: each '<3' can only be 2; a third cell must go.
    df = _tabella({"SO": [2, 2, 11, 30]})
    mask = privacy.maschera(df, "n", "riga", None, 3)
    assert _nascoste(df, mask) == {("SO", "S1"), ("SO", "S2"), ("SO", "S3")}
    assert _ricostruibili(df, mask, 3, ("riga",)) == []


def test_zeros_are_shown_and_hidden_only_when_nothing_else_is_left() -> None:
    df = _tabella({"LO": [0, 0, 0], "CR": [1, 0, 1], "MI": [0, 40, 60]})
    mask = privacy.maschera(df, "n", "riga", None, 3)
    nascoste = _nascoste(df, mask)
    assert not {("LO", c) for c in ("S1", "S2", "S3")} & nascoste  # an empty province stays 0
    # Cremona's row adds up to 2: all of it is hidden, its zero included, so no split can be read.
    assert {("CR", "S1"), ("CR", "S2"), ("CR", "S3")} <= nascoste
    assert not {("MI", c) for c in ("S1", "S2", "S3")} & nascoste


def test_labels_distinguish_small_cells_from_withheld_ones() -> None:
    df = _tabella({"BG": [1, 40, 9, 60], "CR": [1, 0, 1, 0]})
    out = privacy.nascondi(df, "n", privacy.maschera(df, "n", "riga", None, 3), threshold=3)
    testi = dict(
        zip(out.select("riga", "colonna").iter_rows(), out.select(privacy.leggibile(out, "n"))["n"], strict=True)
    )
    assert testi[("BG", "S1")] == "<3"
    assert testi[("BG", "S3")] == "riservato"  # 9 is not below 3: it must not read '<3'
    assert testi[("BG", "S2")] == "40"
    assert testi[("CR", "S2")] == "<3"  # a hidden zero is indeed below 3
    assert out["n"].is_null().to_list() == out["n_soppresso"].is_not_null().to_list()  # a hidden count keeps no value


def test_real_step_table_of_the_demo_is_protected() -> None:
    # Province x stage counts of the demo's 2025 cohort for the provinces with small cells (CR, LC, MN, PV, SO).
    righe = {
        "BG": [61, 70, 93, 211, 39],
        "CR": [1, 0, 0, 1, 0],
        "LC": [1, 7, 6, 80, 10],
        "MN": [2, 2, 15, 111, 14],
        "PV": [1, 3, 8, 14, 3],
        "SO": [0, 2, 3, 11, 2],
    }
    df = _tabella(righe, ["STEP1", "STEP2", "STEP3", "STEP4", "NOPAL"])
    mask = privacy.maschera(df, "n", "riga", "colonna", 3)
    primarie = {k for k, v in zip(df.select("riga", "colonna").iter_rows(), df["n"], strict=True) if 0 < v < 3}
    assert primarie <= _nascoste(df, mask)
    assert _ricostruibili(df, mask, 3) == []


@pytest.mark.parametrize("soglia", [2, 3, 5])
def test_random_tables_never_reveal_a_small_cell(soglia: int) -> None:
    rng = random.Random(soglia)
    for _ in range(150):
        righe = {f"R{i}": [rng.choice((0, 0, 1, 2, 3, 4, 7)) for _ in range(3)] for i in range(3)}
        df = _tabella(righe)
        mask = privacy.maschera(df, "n", "riga", "colonna", soglia)
        assert all(h for v, h in zip(df["n"], mask, strict=True) if 0 < v < soglia)
        for chiave in _ricostruibili(df, mask, soglia):
            # Only when the shown totals themselves pin it and nothing is left to hide in its row and column.
            riga, colonna = chiave
            linea = df.with_columns(mask.alias("h")).filter((pl.col("riga") == riga) | (pl.col("colonna") == colonna))
            assert linea["h"].all(), (righe, chiave)


def test_threshold_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    df = _tabella({"BG": [4, 40, 9, 60]})
    monkeypatch.delenv(privacy.ENV_SOGLIA, raising=False)
    assert privacy.soglia() == 3
    assert not privacy.maschera(df, "n", "riga", None).any()
    monkeypatch.setenv(privacy.ENV_SOGLIA, "5")
    assert privacy.soglia() == 5
    assert privacy.etichetta() == "<5"
    assert _nascoste(df, privacy.maschera(df, "n", "riga", None)) == {("BG", "S1"), ("BG", "S3")}
    out = privacy.nascondi(df, "n", privacy.maschera(df, "n", "riga", None))
    assert out.select(privacy.leggibile(out, "n"))["n"].to_list() == ["<5", "40", "riservato", "60"]


@pytest.mark.parametrize(("valore", "atteso"), [("abc", 3), ("", 3), ("0", 1), ("-4", 1), ("1", 1), (" 7 ", 7)])
def test_bad_threshold_settings(monkeypatch: pytest.MonkeyPatch, valore: str, atteso: int) -> None:
    monkeypatch.setenv(privacy.ENV_SOGLIA, valore)
    assert privacy.soglia() == atteso


def test_threshold_one_hides_nothing() -> None:
    df = _tabella({"BG": [1, 2, 0]})
    assert not privacy.maschera(df, "n", "riga", "colonna", 1).any()


def test_whole_table_as_one_line_when_only_its_total_is_shown() -> None:
    df = pl.DataFrame({"fase": ["S1", "S2", "S3", "S4"], "n": [2, 30, 40, 50]})
    assert privacy.maschera(df, "n", None, None, 3).to_list() == [True, True, False, False]


def test_primary_only_for_lists_without_totals() -> None:
    df = pl.DataFrame({"caso": ["A", "B", "C"], "n": [2, 300, 0]})
    assert privacy.primaria(df, "n", 3).to_list() == [True, False, False]


def test_multi_column_dimensions() -> None:
    df = pl.DataFrame(
        [
            {"anno": a, "sigla": s, "fase": f, "n": n}
            for (a, s), (f, n) in itertools.product([(2025, "BG"), (2025, "CR")], [("S1", 1), ("S2", 50), ("S3", 60)])
        ]
    )
    mask = privacy.maschera(df, "n", ("anno", "sigla"), "fase", 3)
    assert mask.to_list() == [True, True, False, True, True, False]


def test_recognising_suppressed_count_columns() -> None:
    assert privacy.conteggi_soppressi(pl.Series(["12", "<3", "riservato", None, "0"]))
    assert not privacy.conteggi_soppressi(pl.Series(["12", "40"]))  # no label: could be codes
    assert not privacy.conteggi_soppressi(pl.Series(["016", "<3"]))  # leading zero: a code, not a count
    assert not privacy.conteggi_soppressi(pl.Series(["Bergamo", "<3"]))
    assert not privacy.conteggi_soppressi(pl.Series([1, 2]))
    assert privacy.contiene_soppressioni(pl.DataFrame({"a": ["x"], "n": ["<3"]}))
    assert "inferiori a 3" in privacy.nota(3) and "«<3»" in privacy.nota(3)
