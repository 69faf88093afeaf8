"""What each extract holds: its columns, their units and meaning, and its key.

Each extract module declares one ``ExtractSpec``. The same declaration drives validation
(``analysis.data.load``), the data dictionary (``docs/data_dictionary.md``) and the polarity used by
the report's scorecard, so the meaning of a column is written down exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

# kind -> (pandas dtype on load, what it means)
KINDS: dict[str, tuple[str, str]] = {
    "text": ("str", "free text"),
    "category": ("str", "one of a fixed list of values"),
    "area_code": ("str", "ONS area code, e.g. E06000009; joint services join codes with +"),
    "la_code": ("str", "DfE 3-digit local authority code, e.g. 890 (empty for England and regions)"),
    "date": ("str", "ISO date YYYY-MM-DD"),
    "year": ("Int64", "calendar year"),
    "count": ("Int64", "whole number, >= 0"),
    "fte": ("float64", "full-time equivalent, >= 0"),
    "pct": ("float64", "percentage, 0-100"),
    "rate": ("float64", "rate, >= 0"),
    "ratio": ("float64", "ratio, >= 0"),
    "gbp_m": ("float64", "GBP million (may be negative)"),
    "gbp_k": ("float64", "GBP thousand (may be negative)"),
    "number": ("float64", "number (may be negative)"),
    "bool": ("bool", "true or false"),
    "sha256": ("str", "SHA-256 hex digest"),
    "url": ("str", "web address starting http:// or https://"),
}

NUMERIC_KINDS = {"year", "count", "fte", "pct", "rate", "ratio", "gbp_m", "gbp_k", "number"}
NON_NEGATIVE_KINDS = {"count", "fte", "pct", "rate", "ratio"}


class Polarity(StrEnum):
    """Which direction of a measure is better: one closed set for extract columns and catalogue measures."""

    LOWER_BETTER = "lower_better"
    HIGHER_BETTER = "higher_better"
    NEUTRAL = "neutral"


POLARITY_WORDS: dict[Polarity, str] = {
    Polarity.LOWER_BETTER: "lower is better",
    Polarity.HIGHER_BETTER: "higher is better",
    Polarity.NEUTRAL: "no direction is better in itself",
}
"""The one place a polarity is put in words: the data dictionary and the report's scorecard both read it."""


@dataclass(frozen=True)
class Column:
    """One column of an extract.

    ``status=True`` adds a companion ``<name>_status`` column holding an official marker
    (see ``analysis.data.markers``) whenever the value is missing; the two must agree.
    ``polarity`` says which direction is good, for measures (a ``Polarity``; its value as text is
    accepted and checked); empty for identifiers.
    """

    name: str
    kind: str
    description: str
    unit: str = ""
    polarity: Polarity | Literal[""] = ""
    reference_date: str = ""
    nullable: bool = False
    status: bool = False
    allowed: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name}: unknown kind {self.kind!r}")
        if self.allowed is not None and self.kind != "category":
            raise ValueError(f"column {self.name}: 'allowed' only applies to category columns")
        if self.polarity:
            try:
                object.__setattr__(self, "polarity", Polarity(self.polarity))
            except ValueError:
                raise ValueError(f"column {self.name}: unknown polarity {self.polarity!r}") from None

    @property
    def dtype(self) -> str:
        return KINDS[self.kind][0]

    @property
    def status_name(self) -> str:
        return f"{self.name}_status"


@dataclass(frozen=True)
class ExtractSpec:
    """One committed extract file under ``data/raw``.

    ``key`` columns identify a row (one row per area and period for official series).
    ``origin`` is "official" (derived by code from official files) or "local" (curated by hand
    from documents); official markers are only allowed in official extracts.
    """

    name: str
    path: str
    title: str
    description: str
    origin: Literal["official", "local"]
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    reference_date: str = ""
    area_column: str | None = "area_code"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        names = self.column_names()
        if len(names) != len(set(names)):
            raise ValueError(f"extract {self.name}: duplicate column names")
        for k in self.key:
            if k not in names:
                raise ValueError(f"extract {self.name}: key column {k} not declared")
        if "source_id" not in names:
            raise ValueError(f"extract {self.name}: every extract needs a source_id column")
        if self.origin == "local" and any(c.status for c in self.columns):
            raise ValueError(f"extract {self.name}: local extracts carry no official markers")

    def column_names(self) -> list[str]:
        """All columns in file order: each status column straight after its value column."""
        out: list[str] = []
        for c in self.columns:
            out.append(c.name)
            if c.status:
                out.append(c.status_name)
        return out

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"extract {self.name} has no column {name}")

    def measures(self) -> list[Column]:
        """Numeric columns that are not part of the key."""
        return [c for c in self.columns if c.kind in NUMERIC_KINDS and c.name not in self.key]


# Columns every area-keyed official extract starts with.
def area_columns() -> tuple[Column, ...]:
    return (
        Column("area_code", "area_code", "ONS code of the area (England, region or local authority)"),
        Column("la_code", "la_code", "DfE 3-digit local authority code", nullable=True),
        Column("area_name", "text", "Name of the area as published"),
        Column(
            "geographic_level",
            "category",
            "National, regional or local authority row; local_authority_group is a service two "
            "authorities run jointly and report as one (workforce only)",
            allowed=("national", "regional", "local_authority", "local_authority_group"),
        ),
    )


SOURCE_ID = Column("source_id", "text", "Identifier of the source in data/raw/sources.csv")
