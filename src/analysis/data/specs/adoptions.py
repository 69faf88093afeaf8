"""Adoptions and special guardianship orders: children who ceased to be looked after in the year
ending 31 March, 2010-2023, for England, regions and every local authority.

Each year is taken whole from one named release (``ADOPTION_RELEASES``): the release of that
year up to 2018, and the 2022 to 2023 release (explore-education-statistics) for 2019-2023, the
latest release covering those years.

Adoptions are published as two parts (application unopposed; consent dispensed with). The total
is the sum of the two where both are published; where either part is suppressed it is the
release's unsplit total where the release publishes one (the ADP files of 2011-2015, the
"Adopted" row of the 2023 release), otherwise it is missing with the part's marker. A suppressed
part is never read as 0, and a part is never taken as the whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, Polarity, area_columns

YEAR_TO_31_MARCH = "year ending 31 March of year"


@dataclass(frozen=True)
class AdoptionRelease:
    """One release and the columns it publishes for one year (``None``: not published)."""

    year: int
    label: str
    file: str  # the children-who-ceased file (path under shared/data/adoptions)
    source_id: str
    ceased: str
    unopposed: str
    dispensed: str
    sgo: tuple[str, ...]  # special guardianship parts, summed where all are published
    total_file: str | None = None  # the ADP file with the unsplit adoptions total
    total_source_id: str | None = None
    total: str | None = None


def _sfr(
    year: int, label: str, cea: str, adp: str | None, names: tuple[str, str, str, str, tuple[str, ...]]
) -> AdoptionRelease:
    ceased, unopposed, dispensed, _, sgo = names
    return AdoptionRelease(
        year,
        label,
        f"{year}/{cea}",
        f"dfe-cla-cea-{year}",
        ceased,
        unopposed,
        dispensed,
        sgo,
        f"{year}/{adp}" if adp else None,
        f"dfe-cla-adp-{year}" if adp else None,
        "CLA_ceaAdop" if adp else None,
    )


_OLD = ("CLA_cease", "CLA_ceaAdop", "CLA_ceaAdop2", "", ("CLA_ceaSpecG", "CLA_ceaSpecG2"))
_2016 = ("CLA_cease", "CLA_ceaAdop1", "CLA_ceaAdop2", "", ("CLA_ceaSpecG1", "CLA_ceaSpecG2"))
_2017 = ("CLA_cease2017", "CEA_Adop1", "CEA_Adop2", "", ("CEA_SGO1", "CEA_SGO2"))
_2018 = ("CLA_cease2018", "CEA_Adop1", "CEA_Adop2", "", ("CEA_SGO1", "CEA_SGO2"))

EES_RELEASE = "2022 to 2023"
EES_CEASED = "ees_2023_release/la_children_who_ceased_during_the_year.csv"
EES_SPLIT = "ees_2023_release/la_children_who_ceased_during_the_year_sgo_adoption.csv"
EES_SOURCE = "dfe-cla-ceased-2023"
EES_SPLIT_SOURCE = "dfe-cla-sgo-adoption-2023"
EES_YEARS = (2019, 2020, 2021, 2022, 2023)
EES_UNOPPOSED = "Adopted - application unopposed"
EES_DISPENSED = "Adopted - consent dispensed with"

ADOPTION_RELEASES: tuple[AdoptionRelease, ...] = (
    AdoptionRelease(
        2010,
        "SFR27/2010",
        "2010/SFR27_2010_Ceased.csv",
        "dfe-cla-ceased-2010",
        "CeasedTotal_2010",
        "CeasedAdoptUnop_2010",
        "CeasedAdoptDisp_2010",
        ("CeasedSpeGuaForm_2010", "CeasedSpecGuaOth_2010"),
    ),
    _sfr(2011, "SFR21/2011", "SFR21_CEA.csv", "SFR21_ADP.csv", _OLD),
    _sfr(2012, "SFR20/2012", "SFR_CEA2012.csv", "SFR20_ADP2012.csv", _OLD),
    _sfr(2013, "SFR36/2013", "SFR36_CEA2013.csv", "SFR36_ADP2013.csv", _OLD),
    _sfr(2014, "SFR36/2014", "SFR36_CEA2014.csv", "SFR36_ADP2014.csv", _OLD),
    _sfr(2015, "SFR34/2015", "SFR34_CEA2015.csv", "SFR34_ADP2015.csv", _OLD),
    _sfr(2016, "SFR41/2016", "SFR41_CEA2016.csv", None, _2016),
    _sfr(2017, "SFR50/2017", "SFR50_CEA2017.csv", None, _2017),
    _sfr(2018, "2017 to 2018", "CEA2018.csv", None, _2018),
)

METHODS = ("sum_of_parts", "published_total", "suppressed")


def _count(name: str, description: str, polarity: Polarity = "neutral") -> Column:
    return Column(
        name, "count", description, unit="children", polarity=polarity, reference_date=YEAR_TO_31_MARCH, status=True
    )


ADOPTIONS = ExtractSpec(
    name="adoptions",
    path="official/adoptions.csv",
    title="Adoptions and special guardianship orders (children who ceased to be looked after)",
    description=(
        "Children who ceased to be looked after during the year ending 31 March because they were "
        "adopted or a special guardianship order was made, and all children who ceased to be looked "
        "after, for England, regions and every local authority, 2010-2023, one named release per year."
    ),
    origin="official",
    key=("area_code", "year"),
    columns=(
        *area_columns(),
        Column(
            "year",
            "year",
            "Year ending 31 March of this year (the release's reporting year)",
            reference_date=YEAR_TO_31_MARCH,
        ),
        _count(
            "adopted_count",
            "Children who ceased to be looked after because they were adopted: for authorities the two "
            "published parts added where both are published, else the release's unsplit total, else "
            "missing; for England and regions (rounded by DfE) the unsplit total where published. Neutral: "
            "adoption is right for some children and not others; read against comparable areas",
        ),
        Column(
            "adopted_method",
            "category",
            "How adopted_count was obtained: sum_of_parts (both parts published), published_total (the "
            "release's unsplit total: a part suppressed, or an England or regional row) or suppressed (no "
            "total can be given)",
            allowed=METHODS,
        ),
        Column(
            "adopted_source_id",
            "text",
            "Source of adopted_count: the split file for sum_of_parts, the unsplit total's file for "
            "published_total (a source_id in data/raw/sources.csv)",
        ),
        _count("adopted_unopposed_count", "Adopted: application unopposed, as published"),
        _count("adopted_consent_dispensed_count", "Adopted: consent dispensed with, as published"),
        _count(
            "special_guardianship_count",
            "Children who ceased to be looked after because a special guardianship order was made: the "
            "published parts added where all are published (2010-2018: to former foster carers and to "
            "other carers), the published total from 2019; missing if any part is suppressed. Neutral",
        ),
        _count("ceased_count", "All children who ceased to be looked after during the year. Neutral"),
        Column("release", "text", "The release the row is taken from (every column of the row)"),
        SOURCE_ID,
    ),
    reference_date=YEAR_TO_31_MARCH,
    notes=(
        "One release per year: the release of that year for 2010-2018, the 2022 to 2023 release for "
        "2019-2023 (the latest covering them). Releases revise earlier years by a child or two.",
        "National and regional figures are rounded by DfE (to the nearest 10); local authority figures are not. "
        "Two rounded parts need not add up to the rounded total, so England and regions take the published "
        "unsplit total where the release gives one (2011-2015 and 2019-2023).",
        "In 2011 and 2012 the unsplit totals of Wandsworth, Birmingham, Staffordshire and Plymouth exceed the "
        "sum of the published parts by 1 to 4; the extract follows the rule (sum of the parts) and keeps both "
        "parts so the difference stays visible.",
        "Pre-2019 files name authorities by DfE code only; the ONS code is the one in use that year "
        "(analysis.data.official.historic.area_codes). Inner and Outer London carry the London code in the "
        "2011-2018 files and are mapped by name.",
        "The 2023 release lists reorganised authorities in every year with z in each cell; those rows are "
        "left out (the authority did not report that year).",
        "Authorities reorganised in 2019 (Bournemouth, Christchurch and Poole; Dorset), 2021 (North and West "
        "Northamptonshire) and 2023 keep their own codes: predecessor and successor series are never joined.",
    ),
)

SPECS = (ADOPTIONS,)
