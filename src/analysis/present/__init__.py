"""Stage 3: style, charts, number formatting and HTML fragments."""
