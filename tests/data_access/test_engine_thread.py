"""The engine serves many threads at once: Streamlit runs every page run in a thread of its own."""

from __future__ import annotations

import threading

from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access.engine import crea_engine

THREAD = 12  # more than the pool keeps, as with a dozen users opening pages at the same moment


def _in_parallelo(eng: Engine) -> list[str]:
    """Each thread checks out a connection, waits for all the others, then queries: the errors seen."""
    errori: list[str] = []
    tutti_connessi = threading.Barrier(THREAD, timeout=30)

    def lavoro() -> None:
        try:
            with eng.connect() as conn:
                tutti_connessi.wait()
                n = conn.execute(text("SELECT count(*) FROM lavoratore")).scalar_one()
                assert n > 0
        except Exception as exc:
            errori.append(f"{type(exc).__name__}: {exc}".splitlines()[0])

    threads = [threading.Thread(target=lavoro) for _ in range(THREAD)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errori


def test_una_connessione_in_uso_non_viene_chiusa_da_un_altro_thread(demo_url: str) -> None:
    """A thread's connection stays open while other threads connect (no per-thread pool that evicts it)."""
    eng = crea_engine(demo_url)
    try:
        assert _in_parallelo(eng) == []
        assert _in_parallelo(eng) == []  # new threads, as each Streamlit run is, reuse the pool's connections
    finally:
        eng.dispose()
