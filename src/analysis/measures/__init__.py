"""Stage 2: extracts -> indicators, comparisons and processed values for every area."""
