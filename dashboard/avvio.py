"""Imports every module of the app once, under one lock, before the first page runs in a server process.

Several first runs at once (tabs reconnecting to a restarted replica, a load test) otherwise import pandas, plotly
and the app's modules from several threads together, and Python's import deadlock avoidance can hand a thread a
partially initialised module: plotly's lazy `import pandas` then fails with "partially initialized module
'pandas' has no attribute 'Series'" and the page shows an unexpected error.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading

import dashboard

_BLOCCO = threading.Lock()
_FATTO = threading.Event()
# Imported lazily by plotly and streamlit on the first chart or table: imported here up front instead.
ESTERNI = ("pandas", "pyarrow", "plotly.graph_objects", "plotly.express", "pydeck", "polars", "sqlalchemy")
SCRIPT = {"dashboard.app"}  # the entry point is a script that calls importa_tutto(), not a module to import


def importa_tutto() -> None:
    """Import the app's modules and the libraries they load lazily, once per process; other threads wait."""
    if _FATTO.is_set():
        return
    with _BLOCCO:
        if _FATTO.is_set():
            return
        for nome in ESTERNI:
            importlib.import_module(nome)
        for modulo in pkgutil.walk_packages(dashboard.__path__, "dashboard."):
            if modulo.name not in SCRIPT:
                importlib.import_module(modulo.name)
        _FATTO.set()
