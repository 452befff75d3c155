"""Stage 3: what a chapter shows (sentences, charts, tables, downloads)."""
