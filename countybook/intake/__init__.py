"""Stage 2: new reports into data/ (extract proposes figures, add merges reviewed ones)."""
