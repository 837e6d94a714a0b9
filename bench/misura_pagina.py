"""Measures one page in a fresh process: cold and warm server-side run time, SQL time, peak RSS (JSON on stdout)."""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

from data_access import ROOT


def picco_rss_mb() -> float:
    """This process's own peak RSS in MB: VmHWM from /proc (reset at exec, unlike ru_maxrss).

    Linux carries `ru_maxrss` across exec, so a page measured in a child of the process that built the scale-100
    database would report that build's peak; VmHWM belongs to the process image measuring the page.
    """
    try:
        for riga in Path("/proc/self/status").read_text().splitlines():
            if riga.startswith("VmHWM:"):
                return int(riga.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the closest figure


def main() -> int:
    """Run the app once on its home page, empty every cache, then time the page cold and warm."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--page", required=True)
    parser.add_argument("--warm-runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["CRUSCOTTO_DB_URL"] = args.db

    import streamlit as st
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from streamlit.testing.v1 import AppTest

    sql = {"s": 0.0}

    @event.listens_for(Engine, "before_cursor_execute")
    def _start(conn, cursor, statement, params, context, executemany):
        conn.info["t0"] = time.perf_counter()

    @event.listens_for(Engine, "after_cursor_execute")
    def _stop(conn, cursor, statement, params, context, executemany):
        sql["s"] += time.perf_counter() - conn.info.pop("t0", time.perf_counter())

    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=300)
    at.run()  # imports and the entry point's own work, outside the measure
    st.cache_data.clear()
    st.cache_resource.clear()
    at.switch_page(str(ROOT / "pages" / args.page))
    sql["s"] = 0.0
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    sql_s = sql["s"]
    if at.exception:
        print(json.dumps({"error": str(at.exception[0].value)}))
        return 1
    warm = []
    for _ in range(args.warm_runs):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    rss_mb = picco_rss_mb()
    print(json.dumps({"cold_s": cold, "warm_s": sorted(warm)[len(warm) // 2], "sql_s": sql_s, "rss_mb": rss_mb}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
