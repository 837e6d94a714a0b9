"""Composed reads of each view: several queries and the privacy rules, as plain functions of an Engine.

One module per view, named after it. The cached loaders, the tavolo deck, the command lines and the tests all call
these functions, so a figure is composed once. No Streamlit here.
"""
