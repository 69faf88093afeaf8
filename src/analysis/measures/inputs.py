"""Which extracts the all-area statistics read: every row of them, not only the report's own area.

A funnel plot or the deprivation model changes when any council's figures change, so a report
showing them depends on these extracts whole. Pandas-free, so the build planner can import it.
``tests/test_statistics.py`` checks the list covers every extract the statistics read.
"""

from __future__ import annotations

ALL_AREA_EXTRACTS: tuple[str, ...] = (
    "areas", "population", "deprivation", "cp_plans_at_31_march", "cin", "cla_vintages", "cla_historic",
    "looked_after", "cp_plans_started", "referrals", "workforce",
)


def all_area_paths() -> set[str]:
    """Paths under data/raw (as in each extract declaration) of ``ALL_AREA_EXTRACTS``."""
    from analysis.data.registry import all_specs

    specs = all_specs()
    return {specs[name].path for name in ALL_AREA_EXTRACTS if name in specs}
