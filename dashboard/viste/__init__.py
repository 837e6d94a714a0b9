"""Pure polars shaping of each view: one module per view, named after it (no Streamlit, no Python callbacks)."""
