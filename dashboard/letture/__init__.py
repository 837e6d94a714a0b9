"""Composed reads of each view: several queries and the privacy rule, outside Streamlit."""
