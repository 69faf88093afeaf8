"""Stage 1: official files and documents -> validated extracts under data/raw."""
