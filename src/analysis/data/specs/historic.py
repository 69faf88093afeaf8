"""Earlier official releases: child protection plans at 31 March 2011-2012 and children looked
after at 31 March 2012-2020, the years before the explore-education-statistics (EES) series.

Three things make these files more than an older format, and each is handled in the open:

- Vintages. One 31 March appears in several releases with different figures (later releases
  take corrected returns and re-base rates on newer population estimates). ``cla_vintages``
  keeps every figure found; ``cla_historic`` takes each year whole from the one release
  ``chosen_release`` names (docs/vintages.md).
- Areas. Old files name authorities by DfE 3-digit code only, and the children in need files
  give England the code 921, which is also the Isle of Wight's; ``area_codes`` maps level, code
  and year to an ONS code through the areas extract.
- Reorganisations. Predecessor and successor authorities keep their own codes and are never
  joined; ``analysis.data.geography`` (the declared change list) says where a series ends or starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, area_columns

# --- Releases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CpRelease:
    """A children in need release: its columns for child protection plans at 31 March."""

    source_id: str
    label: str
    year: int
    file: str
    count: str
    rate: str
    dci: str


CP_RELEASES: tuple[CpRelease, ...] = (
    CpRelease(
        "dfe-cin-2011", "OSR26/2011", 2011, "osr26-2011ud.csv", "CPPAt310311", "CPPAt310311RatePer10k", "CPPAt310311DCI"
    ),
    CpRelease("dfe-cin-2012", "SFR27/2012", 2012, "SFR27-2012ud.csv", "CPPAt310312", "CPPAt310312Rate", "CPPAt310312DCI"),
)


@dataclass(frozen=True)
class Release:
    """A looked-after children release: where it is, its layout and the 31 Marches it covers."""

    source_id: str
    label: str
    reporting_year: int  # the latest 31 March it covers; orders the releases
    file: str
    layout: Literal["wide_csv", "la_tables", "ees"]
    years: tuple[int, ...]
    has_rates: bool
    unrounded: bool = True  # local-authority counts exact (the LA tables round them to 5)
    current: bool = False  # in shared/data/dfe rather than dfe-historic


def _span(first: int, last: int) -> tuple[int, ...]:
    return tuple(range(first, last + 1))


CLA_RELEASES: tuple[Release, ...] = (
    Release("dfe-cla-2012", "SFR20/2012", 2012, "SFR20_CLA2012.csv", "wide_csv", (2012,), False),
    Release("dfe-cla-2013", "SFR36/2013", 2013, "SFR36_CLA2013.csv", "wide_csv", (2013,), False),
    Release("dfe-cla-2014", "SFR36/2014", 2014, "SFR36_CLA2014.csv", "wide_csv", (2014,), False),
    Release("dfe-cla-2015", "SFR34/2015", 2015, "SFR34_CLA2015.csv", "wide_csv", (2015,), False),
    Release(
        "dfe-cla-2015-la-tables",
        "SFR34/2015 LA tables",
        2015,
        "SFR34_2015_Local_Authority_Tables.xlsx",
        "la_tables",
        _span(2011, 2015),
        True,
        unrounded=False,
    ),
    Release("dfe-cla-2016", "SFR41/2016", 2016, "SFR41_CLA2016.csv", "wide_csv", (2016,), False),
    Release("dfe-cla-2017", "SFR50/2017", 2017, "SFR50_CLA2017.csv", "wide_csv", (2017,), False),
    Release("dfe-cla-2018", "2017 to 2018", 2018, "CLA2018.csv", "wide_csv", _span(2014, 2018), True),
    Release("dfe-cla-2019", "2018 to 2019", 2019, "CLA2019.csv", "wide_csv", _span(2015, 2019), True),
    Release(
        "dfe-cla-2023",
        "2022 to 2023",
        2023,
        "cla_number_and_rate_per_10k_children_release_2023.csv",
        "ees",
        _span(2019, 2023),
        True,
    ),
    Release(
        "dfe-cla-2025",
        "reporting year 2025",
        2025,
        "cla_number_and_rate_per_10k_children.csv",
        "ees",
        _span(2021, 2025),
        True,
        current=True,
    ),
)

# EES releases: (column naming the measure, its value for looked-after children, count column).
EES_COLUMNS: dict[str, tuple[str, str, str]] = {
    "dfe-cla-2023": ("population_count", "Children looked after at 31 March each year", "number"),
    "dfe-cla-2025": ("population_type", "Children looked after on 31 March each year", "children_count"),
}

# cla_historic's years; from 2021 the looked_after extract carries the current release.
CLA_YEARS: tuple[int, ...] = _span(2012, 2020)

VINTAGE_RULE = (
    "Each year of cla_historic is taken whole, every area, from one release: the latest "
    "release here covering that 31 March that publishes unrounded local-authority counts. "
    "Figures are never averaged or combined across releases; every figure of every release "
    "is in cla_vintages."
)


def chosen_release(year: int) -> Release:
    """The vintage rule: the latest release covering ``year`` with unrounded LA counts."""
    candidates = [r for r in CLA_RELEASES if year in r.years and r.unrounded]
    latest = max(r.reporting_year for r in candidates)
    (chosen,) = [r for r in candidates if r.reporting_year == latest]  # a tie would be a table error
    return chosen


# --- Extract declarations --------------------------------------------------------------------

RATE_UNIT = "per 10,000 children aged 0-17"
DCI_LEVELS = ("3", "2", "1", "A")
NOT_IN_RELEASE = "not_in_release"
COUNT, RATE = "looked_after_at_31_march_count", "looked_after_at_31_march_rate_per_10k"
CP_COUNT, CP_RATE, CP_DCI = ("cp_plans_at_31_march_count", "cp_plans_at_31_march_rate_per_10k", "cp_plans_at_31_march_dci")

CP_HISTORIC = ExtractSpec(
    name="cp_historic",
    path="official/cp_historic.csv",
    title="Children on child protection plans at 31 March 2011 and 2012",
    description=(
        "England and every local authority: children on a child protection plan at 31 March "
        "2011 and 2012, DfE's published rate per 10,000 children and its data-confidence "
        "indicator, from the children in need releases before the 2013 onward series "
        "(cp_plans_at_31_march), whose column names these continue."
    ),
    origin="official",
    key=("area_code", "year"),
    reference_date="31 March of year",
    columns=(
        *area_columns(),
        Column("year", "year", "Year of the 31 March count"),
        Column(
            CP_COUNT,
            "count",
            "Children on a child protection plan at 31 March",
            unit="children",
            polarity="neutral",
            status=True,
        ),
        Column(
            CP_RATE,
            "rate",
            "Children on a child protection plan at 31 March per 10,000 children, as the release published it",
            unit=RATE_UNIT,
            polarity="neutral",
            status=True,
        ),
        Column(
            CP_DCI,
            "category",
            "DfE's data-confidence indicator for the count: 3 high, 2 medium, "
            "1 low, A aggregate return (2011 only); empty for England",
            status=True,
            allowed=DCI_LEVELS,
        ),
        Column("release", "category", "The release the row is taken from", allowed=tuple(r.label for r in CP_RELEASES)),
        SOURCE_ID,
    ),
    notes=(
        "Markers as published: x is a count of 1 to 5 suppressed, .. not submitted; 0 is a true zero. "
        "OSR26/2011 publishes some rates whose count is x (City of London).",
        "Rates use the mid-year population estimate the release used (mid-2010 for 2011, mid-2011 for "
        "2012); England counts are rounded in the release.",
        "The files give England the DfE code 921, also the Isle of Wight's: rows are matched on level as well as code.",
    ),
)

_CLA_MEASURES = (
    Column(
        COUNT,
        "count",
        "Children looked after at 31 March, as the release published it (England "
        "totals rounded to the nearest 10; local authorities exact except in the SFR34/2015 LA tables, "
        "rounded to the nearest 5)",
        unit="children",
        polarity="neutral",
        status=True,
    ),
    Column(
        RATE,
        "rate",
        "Children looked after at 31 March per 10,000 children, as the release published "
        "it (against the population estimates of its day); not_in_release where the release gives no "
        "rate",
        unit=RATE_UNIT,
        polarity="neutral",
        status=True,
    ),
)
_RELEASE = Column(
    "release", "category", "The release the figures are taken from", allowed=tuple(r.label for r in CLA_RELEASES)
)
_CLA_NOTES = (
    "England and local authorities only, like the historic child protection files; the releases' "
    "regional rows are not carried.",
    "EES rows with z (not applicable) for both count and rate are not carried: they list authorities "
    "that did not exist at that 31 March (and the Isles of Scilly in the reporting year 2025 release).",
)

CLA_HISTORIC = ExtractSpec(
    name="cla_historic",
    path="official/cla_historic.csv",
    title="Children looked after at 31 March 2012-2020 (one release per year)",
    description=(
        "England and every local authority: children looked after at 31 March 2012 to 2020 and "
        "the rate per 10,000 children, each year taken from one named release by the vintage "
        "rule. From 2021 the looked_after extract continues the series from the current release."
    ),
    origin="official",
    key=("area_code", "year"),
    reference_date="31 March of year",
    columns=(*area_columns(), Column("year", "year", "Year of the 31 March count"), *_CLA_MEASURES, _RELEASE, SOURCE_ID),
    notes=(
        VINTAGE_RULE,
        "Chosen releases: " + "; ".join(f"{y}: {chosen_release(y).label}" for y in CLA_YEARS) + ". "
        "SFR20/2012 and SFR36/2013 publish no rates; the SFR34/2015 LA tables do, but round counts to 5, "
        "so they stay in cla_vintages only.",
        *_CLA_NOTES,
    ),
)

CLA_VINTAGES = ExtractSpec(
    name="cla_vintages",
    path="official/cla_vintages.csv",
    title="Children looked after at 31 March, every release's figures (2011-2025)",
    description=(
        "Every figure for children looked after at 31 March found in the releases at hand, one "
        "row per area, year and release, so that revisions between releases can be shown. "
        "For a trajectory use cla_historic (one release per year), not this."
    ),
    origin="official",
    key=("area_code", "year", "release"),
    reference_date="31 March of year",
    columns=(
        *area_columns(),
        Column("year", "year", "Year of the 31 March count"),
        _RELEASE,
        Column("release_year", "year", "Reporting year of the release: the latest 31 March it covers (orders the releases)"),
        *_CLA_MEASURES,
        Column("in_cla_historic", "bool", "True where the vintage rule takes this row into cla_historic"),
        SOURCE_ID,
    ),
    notes=(VINTAGE_RULE, *_CLA_NOTES),
)

SPECS = (CP_HISTORIC, CLA_HISTORIC, CLA_VINTAGES)
