"""The data layer: read-only engine, schema, the fixed vocabulary and the queries (no Streamlit)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the project's folder: assets/, docs/, var/ (the one definition)
