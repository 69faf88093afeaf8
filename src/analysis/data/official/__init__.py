"""Parsers of official files: each module derives its extracts (declared in analysis.data.specs)."""
