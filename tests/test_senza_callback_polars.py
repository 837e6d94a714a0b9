"""Guard: no Python callback runs inside polars in the app's code (under concurrent sessions it deadlocks the server).

Polars runs a callback (`map_elements`, `map_batches`...) on its own thread pool, whose threads then wait for the GIL,
while a session's thread can hold the GIL waiting for that pool (e.g. in `DataFrame.to_pandas` under
`st.dataframe`): with a few users at once the whole server stops. Format with polars expressions, or in plain Python
after leaving polars (`formatting.in_python`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CARTELLE = ("dashboard", "data_access", "pages", "ingest")

# Methods that make polars call a Python function (`apply` is their old name, and pandas' own callback).
METODI_CALLBACK = {"map_elements", "map_batches", "map_rows", "map_groups", "apply", "map_dict"}
# Functions of the polars namespace that take a Python function; `Object` columns make polars call Python too.
FUNZIONI_POLARS = {"fold", "reduce", "cum_fold", "cum_reduce", "map_batches", "map_groups", "Object"}
NOMI_POLARS = {"pl", "polars"}


def callback_polars(sorgente: str, nome: str = "<codice>") -> list[str]:
    """Where a source uses a polars Python callback: 'file:line: text'."""
    trovati = []
    for nodo in ast.walk(ast.parse(sorgente, filename=nome)):
        if not isinstance(nodo, ast.Attribute):
            continue
        del_modulo = isinstance(nodo.value, ast.Name) and nodo.value.id in NOMI_POLARS
        if nodo.attr in METODI_CALLBACK or (del_modulo and nodo.attr in FUNZIONI_POLARS):
            trovati.append(f"{nome}:{nodo.lineno}: {ast.unparse(nodo)}")
    return trovati


def _sorgenti() -> list[Path]:
    return sorted(p for cartella in CARTELLE for p in (ROOT / cartella).rglob("*.py"))


def test_le_cartelle_ci_sono() -> None:
    """The scan sees the app's code (a moved folder would make the guard pass on nothing)."""
    nomi = {p.relative_to(ROOT).as_posix() for p in _sorgenti()}
    assert {"dashboard/app.py", "dashboard/formatting.py", "data_access/engine.py", "ingest/load.py"} <= nomi
    assert len([n for n in nomi if n.startswith("pages/")]) >= 7


def test_nessun_callback_python_dentro_polars() -> None:
    """No `map_elements`/`map_batches`/`apply`/`pl.fold`... anywhere on the serving path or in the command lines."""
    trovati = [t for p in _sorgenti() for t in callback_polars(p.read_text(encoding="utf-8"), str(p.relative_to(ROOT)))]
    assert trovati == [], "Python callbacks inside polars:\n" + "\n".join(trovati)


@pytest.mark.parametrize(
    "codice",
    [
        'df.with_columns(pl.col("a").map_elements(str, return_dtype=pl.String))',
        'df.select(pl.struct("a", "b").map_batches(lambda s: s))',
        "df.map_rows(lambda r: r)",
        'df.group_by("a").map_groups(f)',
        'df["a"].apply(str)',
        "f = pl.Expr.map_elements",
        "pl.fold(pl.lit(0), lambda a, b: a + b, pl.all())",
        'pl.Series("a", [object()], dtype=pl.Object)',
    ],
)
def test_la_guardia_li_trova(codice: str) -> None:
    """Each form of callback is caught."""
    assert len(callback_polars(codice)) == 1


@pytest.mark.parametrize(
    "codice",
    [
        "functools.reduce(f, xs)",
        'pl.format("{} {}", pl.col("a"), pl.col("b"))',
        'formatting.in_python(df["a"], str)',
        'stile.map(lambda v: "", subset=["a"])',
    ],
)
def test_la_guardia_lascia_il_resto(codice: str) -> None:
    """Plain Python, native expressions and pandas Styler maps are not flagged."""
    assert callback_polars(codice) == []
