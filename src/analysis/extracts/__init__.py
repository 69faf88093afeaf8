"""Extract families: each module declares its ExtractSpec(s) and, for official ones, derive()."""
