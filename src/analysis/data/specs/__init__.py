"""Extract declarations: columns, units, polarity and keys. Pure Python: imports no pandas."""
