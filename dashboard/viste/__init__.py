"""Pure polars shaping of each view: tables, column dictionaries and texts (no Streamlit, no SQL)."""
