"""Pure polars shaping of each view: one module per view, no Streamlit, no SQL."""
