"""Pure polars shaping of each view: tables, texts and chart data (native expressions only)."""
