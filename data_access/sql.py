"""SQL expressions that differ by dialect, shared by the queries and the writer."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Integer, cast, func


def giorni(dialetto: str, fine: ColumnElement[date], inizio: ColumnElement[date]) -> ColumnElement[int]:
    """Whole days from `inizio` to `fine`, in the engine's own date arithmetic."""
    if dialetto == "sqlite":
        # SQLite stores dates as ISO text; julianday of two midnights differs by a whole number.
        return cast(func.julianday(fine) - func.julianday(inizio), Integer)
    # PostgreSQL: date - date is an integer number of days.
    return cast(fine - inizio, Integer)
