"""The tables under data/processed and the extracts each is derived from (pure Python, no pandas).

A report declares which processed tables it reads (``analysis.measures.reads``); the build turns
that into the extract rows to fingerprint with ``sources_of``. ``per_area`` says that an area's
rows in the table come only from that area's rows in its sources (true of ``measures``, whose
rates divide an area's count by the same area's population). A table computed across areas
(e.g. a model fitted to every authority) is not ``per_area``: any report reading it depends on
its source files whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.measures.catalogue import MEASURES
from analysis.measures.declaration import POPULATION


@dataclass(frozen=True)
class ProcessedTable:
    """One file under data/processed: its name, file name, source extracts and whether rows are per area."""

    name: str
    file: str
    sources: tuple[str, ...]
    per_area: bool


def _measure_sources() -> tuple[str, ...]:
    found = {seg.extract for m in MEASURES.values() for seg in m.segments}
    if any(seg.derivation.uses_population for m in MEASURES.values() for seg in m.segments):
        found.add(POPULATION)
    return tuple(sorted(found))


def _official_sources() -> tuple[str, ...]:
    """Every official extract: the all-authority statistics read measures, populations, areas and scores."""
    from analysis.data.registry import all_specs

    return tuple(sorted(name for name, spec in all_specs().items() if spec.origin == "official"))


TABLES: dict[str, ProcessedTable] = {
    "measures": ProcessedTable("measures", "measures.csv", _measure_sources(), per_area=True),
    # computed across authorities (funnel limits from every council; a model fitted to every council)
    "intervals": ProcessedTable("intervals", "intervals.csv", _official_sources(), per_area=False),
    "funnels": ProcessedTable("funnels", "funnels.csv", _official_sources(), per_area=False),
    "deprivation": ProcessedTable("deprivation", "deprivation.csv", _official_sources(), per_area=False),
}


def table(name: str) -> ProcessedTable:
    """The declaration of processed table ``name``; KeyError naming the known ones."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"no processed table named {name!r}; known: {', '.join(TABLES)}") from None
