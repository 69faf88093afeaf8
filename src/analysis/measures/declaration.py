"""What a measure's declaration holds: the types of the catalogue and the closed sets its fields take.

``analysis.measures.catalogue`` declares each measure as one ``Measure``; everything the
statistics and the report sections need about it is a field here (its segments, its numerator
and denominator per extract, whether it has a funnel plot and a deprivation panel, its topic in
the committee report), so no registry elsewhere is keyed by a measure id. ``Measure`` checks on
creation that its fields agree (a funnel needs a basis, a headline measure without one says why).
Pure Python, no pandas: the build plans from these without loading data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from analysis.data.schema import Polarity

POPULATION = "population"
"""The extract a rate divides by (children aged 0-17 at 30 June of year-1); a ``Basis`` denominator."""


class Derivation(StrEnum):
    """How a segment's values come from its extract column."""

    PUBLISHED = "published"  # the value as published
    RATE_PER_10K = "rate_per_10k"  # count / population(Y-1) * 10,000
    PER_CHILD = "per_child"  # GBP thousand * 1,000 / population(Y-1): GBP per child aged 0-17, financial year ending in Y

    @property
    def uses_population(self) -> bool:
        return self is not Derivation.PUBLISHED


class Period(StrEnum):
    """What a measure's year means."""

    REPORTING_YEAR = "reporting_year"  # the year itself: at 31 March or 30 September of it, or the year to then
    FINANCIAL_YEAR = "financial_year"  # year Y is the financial year (Y-1)-(Y) to 31 March Y


class BasisKind(StrEnum):
    """The sampling model of a figure: a Poisson count over an exposure, or a binomial share."""

    RATE = "rate"
    PROPORTION = "proportion"


class DenominatorUnit(StrEnum):
    """What a basis's denominator counts (the funnel plots' x axis), in the order the funnel panels are grouped."""

    CHILDREN = "children"
    PLANS = "plans"
    REFERRALS = "referrals"
    FTE = "FTE"


class Topic(StrEnum):
    """The part of children's social care a measure is about: a committee report section charts its headline measures."""

    CHILDREN_IN_NEED = "children_in_need"
    CHILD_PROTECTION = "child_protection"
    WORKFORCE = "workforce"
    LOOKED_AFTER = "looked_after"  # children in care, their placements, and care leavers
    PERMANENCE = "permanence"  # leaving care through adoption or special guardianship
    MONEY = "money"


def _closed(obj: object, field: str, kind: type[StrEnum]) -> None:
    """Check a field of a frozen declaration against its closed set (its value as text is accepted)."""
    try:
        object.__setattr__(obj, field, kind(getattr(obj, field)))
    except ValueError:
        known = ", ".join(k.value for k in kind)
        raise ValueError(f"{type(obj).__name__}: unknown {field} {getattr(obj, field)!r}; known: {known}") from None


@dataclass(frozen=True)
class Segment:
    """Years ``first``..``last`` of a measure come from ``extract.column`` (``derivation`` says how)."""

    extract: str
    column: str
    first: int
    last: int
    derivation: Derivation = Derivation.PUBLISHED
    release: str = ""  # with cla_vintages: take the values of this one named release

    def __post_init__(self) -> None:
        _closed(self, "derivation", Derivation)


@dataclass(frozen=True)
class Basis:
    """Where a measure's numerator and denominator come from in one extract.

    ``denominator`` is ``POPULATION`` or a tuple of columns summed (e.g. vacancies + social workers).
    ``kind`` is the sampling model; ``scale`` turns the ratio into the published unit (10,000
    children, 100 for %, 1 for per FTE); ``unit`` is what the denominator counts.
    """

    extract: str
    numerator: str
    denominator: str | tuple[str, ...]
    kind: BasisKind
    scale: float
    unit: DenominatorUnit

    def __post_init__(self) -> None:
        _closed(self, "kind", BasisKind)
        _closed(self, "unit", DenominatorUnit)


@dataclass(frozen=True)
class Measure:
    """One measure: what it is, where its values come from and what the statistics and sections do with it.

    ``bases`` (one per extract that publishes a numerator and denominator) give its 95% intervals
    and change tests; a measure without them says why in ``no_basis`` (required for a headline
    measure, printed wherever a test would be). ``funnel``: drawn against every council in a funnel
    plot (needs ``bases``). ``deprivation_panel``: the short label of its panel in the deprivation
    model (needs a rate of children over the child population); empty when the model does not cover it.
    """

    id: str
    label: str
    short: str
    unit: str
    decimals: int
    polarity: Polarity
    segments: tuple[Segment, ...]
    topic: Topic
    month_day: tuple[int, int] = (3, 31)  # the reference date: 31 March (DfE's year end) unless said
    headline: bool = True
    definition: str = ""
    related: tuple[str, ...] = ()  # other "extract.column"s whose quoted figures belong on this chart
    # Comparators a chart can draw on the area's scale; a count (adoptions) drawn beside England's total
    # flattens the area's line to zero, so such a measure is charted against its neighbours only.
    charted_with: tuple[str, ...] = ("england", "region", "neighbours")
    period: Period = Period.REPORTING_YEAR
    # (first year, why): the series changes definition in that year; a chart breaks the line there
    breaks: tuple[tuple[int, str], ...] = ()
    not_available: str = ""  # years the series cannot cover and why (said in the report, never estimated)
    bases: tuple[Basis, ...] = ()
    no_basis: str = ""  # why there is no interval or change test (a declared choice, never a silent gap)
    funnel: bool = False
    deprivation_panel: str = ""

    def __post_init__(self) -> None:
        def fail(why: str) -> None:
            raise ValueError(f"measure {self.id}: {why}")

        for field, kind in (("polarity", Polarity), ("period", Period), ("topic", Topic)):
            _closed(self, field, kind)

        if self.bases and self.no_basis:
            fail("declares a basis and a reason for having none; keep one")
        if self.headline and not (self.bases or self.no_basis):
            fail("a headline measure declares its numerator and denominator (bases) or why it has none (no_basis)")
        extracts = {s.extract for s in self.segments}
        for b in self.bases:
            if b.extract not in extracts:
                fail(f"basis on {b.extract}, which none of its segments reads")
        if len({b.unit for b in self.bases}) > 1 or len({b.kind for b in self.bases}) > 1:
            fail("every basis of one measure has the same kind and denominator unit")
        if self.funnel and not self.bases:
            fail("a funnel plot needs a numerator and denominator (bases)")
        of_children = all(b.kind is BasisKind.RATE and b.unit is DenominatorUnit.CHILDREN for b in self.bases)
        if self.deprivation_panel and not (self.bases and of_children):
            fail("the deprivation model needs counts of children over the child population (rate bases of children)")

    @property
    def denominator_unit(self) -> DenominatorUnit | None:
        """What the denominator of its bases counts; None without a basis."""
        return self.bases[0].unit if self.bases else None

    def year_label(self, year: object) -> str:
        """Year ``year`` as a reader should see it: "2021-22" for a financial-year measure, else "2022"."""
        y = int(year)
        return f"{y - 1}-{y % 100:02d}" if self.period is Period.FINANCIAL_YEAR else f"{y}"

    @property
    def reference(self) -> str:
        return {(3, 31): "31 March", (9, 30): "30 September"}.get(self.month_day, "")

    @property
    def money_unit(self) -> str:
        """The unit code a money figure of this measure is written in (``analysis.present.words.UNITS``); "" if not money."""
        if self.unit.startswith("GBP per"):
            return "gbp"
        if self.unit == "GBP thousand":
            return "gbp_thousands"
        return ""
