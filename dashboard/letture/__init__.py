"""Composed reads of each view: queries, privacy and shaping, shared by loaders, deck, reports and tests."""
