"""Stage 2, beside measures: numbers -> charts, number formatting, words and HTML fragments (the ``Section``)."""
