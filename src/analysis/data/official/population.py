"""Derive the population extracts from the official files (declared in ``analysis.data.specs.population``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.official.common import ees_extract
from analysis.data.specs.population import FILE, POPULATION, SPECS

__all__ = ["SPECS", "derive"]  # the declarations are re-exported for callers of derive()


def derive(source_dir: Path) -> dict[str, pd.DataFrame]:
    mapping = {"population_estimate": "population_0_17_at_30_june"}
    return {"population": ees_extract(source_dir / FILE, "ons-pop-0-17", mapping, POPULATION)}
