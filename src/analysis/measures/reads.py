"""What a report reads, declared once: the build fingerprints exactly this, the context serves exactly this.

A report for an area reads

- the rows of its areas (the area, England, its region and its statistical neighbours under
  every code they have had: ``Comparators.codes()``) in the extracts and processed tables
  declared ``AREAS``;
- every row of those declared ``WHOLE`` (e.g. the source register, or a processed table of
  figures for every authority such as a funnel plot needs).

``analysis.publish.plan`` stores the declaration with each planned report and
``analysis.publish.digest`` hashes those rows and files (processed tables through the extracts
they are derived from, ``analysis.measures.tables``); ``analysis.report._context`` filters what it
hands out by the same declaration and refuses a name it does not declare (``UndeclaredInput``).
This module imports no pandas: ``analysis.measures.request.inputs`` resolves an area's codes and
calls ``declare``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Scope = Literal["areas", "whole"]
AREAS: Scope = "areas"
WHOLE: Scope = "whole"

# Extract name -> how much of it a report reads.
EXTRACTS: dict[str, Scope] = {
    "sources": WHOLE,  # names the release behind every figure
    "areas": WHOLE,  # resolves the area, its region and its neighbours
    "neighbours": WHOLE,
    "ofsted_inspections": AREAS,
    "ofsted_visits": AREAS,
    "events": AREAS,
    "finance": AREAS,
    "quoted_figures": AREAS,
    "claims": AREAS,
    "workforce": AREAS,  # the data-quality notebook compares two workforce releases
    "workforce_release_2022": AREAS,
    "cla_vintages": AREAS,
}
# Processed table name (analysis.measures.tables) -> how much of it a report reads.
PROCESSED: dict[str, Scope] = {"measures": AREAS, "intervals": AREAS, "funnels": WHOLE, "deprivation": WHOLE}


class UndeclaredInput(LookupError):
    """A report asked for an extract or processed table its declaration does not list."""


@dataclass(frozen=True)
class Inputs:
    """One report's declared inputs: area codes, and (name, scope) for extracts and processed tables."""

    areas: tuple[str, ...]
    extracts: tuple[tuple[str, Scope], ...]
    processed: tuple[tuple[str, Scope], ...]

    def extract_scope(self, name: str) -> Scope:
        """``AREAS`` or ``WHOLE`` for a declared extract; UndeclaredInput otherwise."""
        return _scope(name, self.extracts, "extract")

    def processed_scope(self, name: str) -> Scope:
        """``AREAS`` or ``WHOLE`` for a declared processed table; UndeclaredInput otherwise."""
        return _scope(name, self.processed, "processed table")

    def to_json(self) -> dict[str, Any]:
        return {
            "areas": list(self.areas),
            "extracts": [list(e) for e in self.extracts],
            "processed": [list(p) for p in self.processed],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Inputs:
        return cls(
            tuple(data["areas"]), tuple((n, s) for n, s in data["extracts"]), tuple((n, s) for n, s in data["processed"])
        )


def _scope(name: str, declared: tuple[tuple[str, Scope], ...], what: str) -> Scope:
    for known, scope in declared:
        if known == name:
            return scope
    raise UndeclaredInput(
        f"a report reads {what} {name!r}, which analysis.measures.reads does not declare; "
        f"declared: {', '.join(n for n, _ in declared)}"
    )


def declare(area_codes: tuple[str, ...] | list[str]) -> Inputs:
    """The inputs of a report whose areas are ``area_codes`` (``Comparators.codes()``, area first)."""
    return Inputs(tuple(dict.fromkeys(area_codes)), tuple(EXTRACTS.items()), tuple(PROCESSED.items()))


def area_rows(codes: str, areas: frozenset[str] | set[str]) -> bool:
    """Whether a row whose area column holds ``codes`` is one of ``areas``' (a joint service "A+B" is each part's)."""
    return any(part in areas for part in codes.split("+"))
