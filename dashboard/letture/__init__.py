"""Composed reads of each view: queries plus privacy, shared by loaders, reports, command lines and tests."""
