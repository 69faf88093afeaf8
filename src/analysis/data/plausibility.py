"""Plausibility across extracts: what no single column's type or range can catch.

Errors (a figure that cannot be true; ``validate`` exits 2, ``refresh`` publishes nothing):

- a count of children above the number of children aged 0-17 who live in the area (population
  extract, the mid-year estimate of the year before or of the same year, whichever is larger);
- a rate per 10,000 children above 10,000, or a looked-after rate that is not its count over its
  own population (more than 1 per 10,000 apart: DfE rounds rates to whole numbers);
- a percentage that is not its parts (``SHARES``: more than the declared tolerance apart, for
  local authorities: DfE's national and regional rows are not always their own parts' ratio);
- social workers' FTE above their headcount (each person is at most one FTE);
- a negative count, FTE or rate, or a percentage above 100, in a hand-curated extract.

Warnings (figures to review, never silent: ``validate`` prints them, ``refresh`` stops at exit 4):

- a year-on-year change larger than the measure's threshold in ``JUMPS``. Thresholds are
  derived from the spread of real year-on-year changes of every local authority
  (``derive_thresholds``; docs/refresh.md explains the rule and lists them).

Inputs are the validated frames of ``analysis.data.load`` (index = line in the CSV file); each
finding is an ``analysis.errors.Problem`` naming the extract file, line, column and reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.data.registry import all_specs
from analysis.errors import Problem


@dataclass(frozen=True)
class Share:
    """``pct`` = 100 * ``part`` / (sum of ``whole``), within ``tolerance`` percentage points."""

    extract: str
    pct: str
    part: str
    whole: tuple[str, ...]
    tolerance: float = 0.5


_BANDS = ("3_months_or_less", "over_3_to_6_months", "over_6_months_under_1_year", "1_to_under_2_years",
          "2_years_or_more")
_WORKFORCE = ("workforce", "workforce_release_2022")
SHARES: tuple[Share, ...] = (
    Share("referrals", "rereferrals_12m_pct", "rereferrals_12m_count", ("referrals_count",)),
    Share("referrals", "referrals_nfa_pct", "referrals_nfa_count", ("referrals_count",)),
    Share("referrals", "referrals_assessed_not_in_need_pct", "referrals_assessed_not_in_need_count",
          ("referrals_count",)),
    Share("referrals", "children_rereferred_12m_pct", "children_rereferred_12m_count", ("children_referred_count",)),
    Share("cp_plans_started", "cp_plans_second_or_subsequent_pct", "cp_plans_second_or_subsequent_count",
          ("cp_plans_started_count",)),
    *(Share("cp_plans_at_31_march", f"cp_plans_{b}_pct", f"cp_plans_{b}_count", ("cp_plans_at_31_march_count",))
      for b in _BANDS),
    # published as whole percentages: up to half a point from their parts
    Share("placement_stability", "three_or_more_placements_pct", "three_or_more_placements_count",
          ("cla_at_31_march_count",), tolerance=1.0),
    Share("placement_stability", "long_term_same_placement_pct", "long_term_same_placement_count",
          ("long_term_cohort_count",), tolerance=1.0),
    Share("care_leavers", "care_leavers_19_21_eet_pct", "care_leavers_19_21_eet_count", ("care_leavers_19_21_count",),
          tolerance=1.0),
    Share("assessments", "assessments_within_45_days_pct", "assessments_within_45_days_count",
          ("assessments_completed_count",)),
    *(s for w in _WORKFORCE for s in (
        Share(w, "turnover_rate_pct", "leavers_fte", ("social_workers_fte",)),
        Share(w, "agency_rate_pct", "agency_fte", ("social_workers_fte", "agency_fte")),
        Share(w, "vacancy_rate_pct", "vacancies_fte", ("social_workers_fte", "vacancies_fte")),
        Share(w, "agency_cover_rate_pct", "agency_cover_fte", ("agency_fte",), tolerance=1.0),
    )),
)

# Rows DfE published that break a rule, kept as published: (extract, area_code, year, column).
KNOWN_EXCEPTIONS: dict[tuple[str, str, int, str], str] = {
    (w, area, year, "social_workers_fte"): f"DfE publishes {fte} FTE for a headcount of {head}"
    for w in _WORKFORCE
    for area, year, fte, head in (("E08000024", 2021, 249.2, 246), ("E09000006", 2022, 188.0, 187),
                                  ("E10000031", 2020, 368.2, 321))
}

POPULATION_COLUMNS = {"population_0_17_at_30_june", "rate_population_0_17"}


@dataclass(frozen=True)
class Jump:
    """A year-on-year change above ``threshold`` is a warning.

    ``scale`` "pp": the change in percentage points; "log": |ln((new + offset) / (old + offset))|,
    so a doubling of 100 is 0.69 and a tenfold rise about 2.3; the offset damps small numbers.
    """

    extract: str
    column: str
    scale: str
    offset: float
    threshold: float


# Years not compared with the year before: a change of definition, not of the figures.
NOT_COMPARED: dict[str, dict[int, str]] = {
    "assessments": {2015: "2014 was the first year of the single assessment: many councils completed few or none "
                          "(analysis.data.specs.assessments)"},
}

# Offsets of the log scale by kind of measure (in the measure's unit); 1 for any other kind.
OFFSETS = {"count": 10.0, "fte": 5.0, "rate": 5.0, "ratio": 1.0}
# Thresholds: Q3 + 10 x IQR of the absolute change between consecutive years over every local
# authority in the committed extracts (Tukey's far-out fence is Q3 + 3 x IQR), rounded up to two
# significant figures; from ``derive_thresholds``, checked against the data by tests/test_plausibility.py.
THRESHOLDS: dict[tuple[str, str], float] = {
    ('cin', 'cin_at_31_march_count'): 1.1,
    ('cin', 'cin_awaiting_assessment_count'): 5.9,
    ('cin', 'cin_episodes_in_year_count'): 1.2,
    ('cin', 'cin_children_in_year_count'): 1.1,
    ('cin', 'cin_episodes_started_count'): 2.1,
    ('cin', 'cin_children_started_count'): 1.9,
    ('cin', 'cin_episodes_ended_count'): 2.4,
    ('cin', 'cin_children_ended_count'): 2.3,
    ('referrals', 'referrals_count'): 1.8,
    ('referrals', 'rereferrals_12m_count'): 3.0,
    ('referrals', 'rereferrals_12m_pct'): 37.0,
    ('referrals', 'referrals_nfa_count'): 7.4,
    ('referrals', 'referrals_nfa_pct'): 52.0,
    ('referrals', 'referrals_assessed_not_in_need_count'): 4.7,
    ('referrals', 'referrals_assessed_not_in_need_pct'): 89.0,
    ('referrals', 'children_referred_count'): 1.6,
    ('referrals', 'children_rereferred_12m_count'): 2.6,
    ('referrals', 'children_rereferred_12m_pct'): 36.0,
    ('cp_plans_started', 'cp_plans_started_count'): 2.2,
    ('cp_plans_started', 'cp_plans_second_or_subsequent_count'): 3.0,
    ('cp_plans_started', 'cp_plans_second_or_subsequent_pct'): 49.0,
    ('cp_plans_at_31_march', 'cp_plans_at_31_march_count'): 2.2,
    ('cp_plans_at_31_march', 'cp_plans_3_months_or_less_count'): 3.2,
    ('cp_plans_at_31_march', 'cp_plans_3_months_or_less_pct'): 86.0,
    ('cp_plans_at_31_march', 'cp_plans_over_3_to_6_months_count'): 3.2,
    ('cp_plans_at_31_march', 'cp_plans_over_3_to_6_months_pct'): 65.0,
    ('cp_plans_at_31_march', 'cp_plans_over_6_months_under_1_year_count'): 3.2,
    ('cp_plans_at_31_march', 'cp_plans_over_6_months_under_1_year_pct'): 73.0,
    ('cp_plans_at_31_march', 'cp_plans_1_to_under_2_years_count'): 3.5,
    ('cp_plans_at_31_march', 'cp_plans_1_to_under_2_years_pct'): 70.0,
    ('cp_plans_at_31_march', 'cp_plans_2_years_or_more_count'): 3.4,
    ('cp_plans_at_31_march', 'cp_plans_2_years_or_more_pct'): 22.0,
    ('population', 'population_0_17_at_30_june'): 0.11,
    ('looked_after', 'looked_after_at_31_march_count'): 0.67,
    ('looked_after', 'looked_after_at_31_march_rate_per_10k'): 0.62,
    ('looked_after', 'started_in_year_count'): 1.9,
    ('looked_after', 'started_in_year_rate_per_10k'): 1.6,
    ('looked_after', 'ceased_in_year_count'): 1.5,
    ('looked_after', 'ceased_in_year_rate_per_10k'): 1.4,
    ('looked_after', 'rate_population_0_17'): 0.14,
    ('workforce', 'social_workers_fte'): 0.75,
    ('workforce', 'social_workers_headcount'): 0.7,
    ('workforce', 'starters_fte'): 3.7,
    ('workforce', 'leavers_fte'): 3.1,
    ('workforce', 'turnover_rate_pct'): 68.0,
    ('workforce', 'agency_fte'): 3.5,
    ('workforce', 'agency_rate_pct'): 58.0,
    ('workforce', 'agency_cover_fte'): 3.9,
    ('workforce', 'agency_cover_rate_pct'): 310.0,
    ('workforce', 'vacancies_fte'): 3.7,
    ('workforce', 'vacancy_rate_pct'): 64.0,
    ('workforce', 'vacancies_covered_by_agency_pct'): 3.8,
    ('workforce', 'case_holders_fte'): 1.4,
    ('workforce', 'cases'): 1.6,
    ('workforce', 'caseload_per_fte'): 1.1,
    ('workforce', 'sickness_days_lost_fte'): 4.1,
    ('workforce', 'absence_rate_pct'): 12.0,
    ('workforce_release_2022', 'social_workers_fte'): 0.73,
    ('workforce_release_2022', 'social_workers_headcount'): 0.69,
    ('workforce_release_2022', 'leavers_fte'): 3.4,
    ('workforce_release_2022', 'turnover_rate_pct'): 71.0,
    ('workforce_release_2022', 'agency_fte'): 3.6,
    ('workforce_release_2022', 'agency_rate_pct'): 58.0,
    ('workforce_release_2022', 'agency_cover_fte'): 3.8,
    ('workforce_release_2022', 'agency_cover_rate_pct'): 320.0,
    ('workforce_release_2022', 'vacancies_fte'): 4.0,
    ('workforce_release_2022', 'vacancy_rate_pct'): 63.0,
    ('workforce_release_2022', 'vacancies_covered_by_agency_pct'): 4.1,
    ('workforce_release_2022', 'case_holders_fte'): 1.5,
    ('workforce_release_2022', 'cases'): 1.8,
    ('workforce_release_2022', 'caseload_per_fte'): 1.1,
    ('workforce_release_2022', 'sickness_days_lost_fte'): 4.2,
    ('workforce_release_2022', 'absence_rate_pct'): 12.0,
    ('cp_historic', 'cp_plans_at_31_march_count'): 1.9,
    ('cp_historic', 'cp_plans_at_31_march_rate_per_10k'): 1.8,
    ('cla_historic', 'looked_after_at_31_march_count'): 0.7,
    ('cla_historic', 'looked_after_at_31_march_rate_per_10k'): 0.67,
    ('adoptions', 'adopted_count'): 2.5,
    ('adoptions', 'adopted_unopposed_count'): 2.6,
    ('adoptions', 'adopted_consent_dispensed_count'): 3.0,
    ('adoptions', 'special_guardianship_count'): 2.8,
    ('adoptions', 'ceased_count'): 1.6,
    ('workforce_lait', 'social_workers_fte'): 1.2,
    ('workforce_lait', 'turnover_rate_pct'): 86.0,
    ('workforce_lait', 'agency_rate_pct'): 60.0,
    ('workforce_lait', 'vacancy_rate_pct'): 66.0,
    ('workforce_lait', 'absence_rate_pct'): 15.0,
    ('spending', 'csc_net_expenditure_gbp_k'): 1.1,
    ('assessments', 'assessments_completed_count'): 1.9,
    ('assessments', 'assessments_within_45_days_count'): 2.0,
    ('assessments', 'assessments_within_45_days_pct'): 80.0,
    ('assessments', 'assessment_median_days'): 1.9,
    ('placement_stability', 'cla_at_31_march_count'): 0.69,
    ('placement_stability', 'three_or_more_placements_count'): 2.1,
    ('placement_stability', 'three_or_more_placements_pct'): 23.0,
    ('placement_stability', 'long_term_cohort_count'): 0.91,
    ('placement_stability', 'long_term_same_placement_count'): 1.1,
    ('placement_stability', 'long_term_same_placement_pct'): 46.0,
    ('care_leavers', 'care_leavers_19_21_count'): 0.72,
    ('care_leavers', 'care_leavers_19_21_eet_count'): 1.4,
    ('care_leavers', 'care_leavers_19_21_eet_pct'): 46.0,
    ('care_leavers', 'care_leavers_17_18_count'): 1.7,
    ('care_leavers', 'care_leavers_17_18_eet_pct'): 91.0,
    ('care_leavers', 'care_leavers_19_21_suitable_accommodation_pct'): 45.0,
    ('care_leavers', 'care_leavers_17_18_suitable_accommodation_pct'): 67.0,
}


def _extracts_by_area_and_year() -> dict[str, object]:
    return {name: spec for name, spec in all_specs().items()
            if spec.origin == "official" and tuple(spec.key) == ("area_code", "year")}


def _year_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """Each row beside the same area's row of the year before (columns ``<name>`` and ``<name>_before``).

    ``line`` and ``line_before`` are the two rows' lines in the file. One merge per extract, shared
    by every measure in it (``_changes``).
    """
    rows = frame.assign(line=frame.index)
    before = rows.assign(year=rows["year"] + 1)
    return rows.merge(before, on=["area_code", "year"], suffixes=("", "_before"))


def _changes(frame: pd.DataFrame, column: str, scale: str, offset: float, extract: str = "",
             pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Consecutive-year pairs of one measure: area, year, old, new, change (absolute, on ``scale``), line.

    Pairs ending in a year of ``NOT_COMPARED[extract]`` are left out. ``pairs``: ``_year_pairs(frame)``
    when already made for another measure of the same frame.
    """
    pairs = _year_pairs(frame) if pairs is None else pairs
    pairs = pairs[["area_code", "year", column, f"{column}_before", "line", "line_before"]].dropna(
        subset=[column, f"{column}_before"])
    pairs = pairs.rename(columns={column: "new", f"{column}_before": "old", "line_before": "old_line"})
    pairs = pairs[~pairs["year"].isin(list(NOT_COMPARED.get(extract, {})))].reset_index(drop=True)
    old, new = pairs["old"].astype(float), pairs["new"].astype(float)
    pairs["change"] = (new - old).abs() if scale == "pp" else np.abs(np.log((new + offset) / (old + offset)))
    return pairs


def jumps() -> list[Jump]:
    """Every measure of the area-and-year extracts with its scale and declared threshold."""
    out = []
    for name, spec in _extracts_by_area_and_year().items():
        for col in spec.measures():
            if (name, col.name) in THRESHOLDS:
                scale = "pp" if col.kind == "pct" else "log"
                out.append(Jump(name, col.name, scale, 0.0 if scale == "pp" else OFFSETS.get(col.kind, 1.0),
                                THRESHOLDS[(name, col.name)]))
    return out


def derive_thresholds(frames: Mapping[str, pd.DataFrame], k: float = 10.0) -> dict[tuple[str, str], float]:
    """The documented rule: Q3 + k * IQR of |change| over local authorities, rounded up to 2 significant figures."""
    out: dict[tuple[str, str], float] = {}
    for name, spec in _extracts_by_area_and_year().items():
        if name not in frames:
            continue
        las = frames[name][frames[name]["geographic_level"] == "local_authority"]
        pairs = _year_pairs(las)
        for col in spec.measures():
            scale = "pp" if col.kind == "pct" else "log"
            change = _changes(las, col.name, scale, 0.0 if scale == "pp" else OFFSETS.get(col.kind, 1.0),
                              name, pairs)["change"]
            if len(change) < 100:  # too few pairs to say what a usual change is
                continue
            q1, q3 = change.quantile([0.25, 0.75])
            raw = float(q3 + k * (q3 - q1))
            digits = 1 - math.floor(math.log10(raw)) if raw > 0 else 0
            out[(name, col.name)] = math.ceil(raw * 10 ** digits) / 10 ** digits
    return out


@dataclass
class Findings:
    """What ``check`` found: errors stop validate and refresh; warnings stop refresh only."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _children(frames: Mapping[str, pd.DataFrame], labels: Mapping[str, str], out: Findings) -> None:
    if "population" not in frames:
        return
    pop = frames["population"].set_index(["area_code", "year"])["population_0_17_at_30_june"].astype(float)
    for name, spec in _extracts_by_area_and_year().items():
        if name == "population" or name not in frames:
            continue
        frame = frames[name]
        key = pd.MultiIndex.from_arrays([frame["area_code"], frame["year"].astype(int)])
        before = pd.MultiIndex.from_arrays([frame["area_code"], frame["year"].astype(int) - 1])
        bound = pd.concat([pop.reindex(key).reset_index(drop=True), pop.reindex(before).reset_index(drop=True)],
                          axis=1).max(axis=1).to_numpy()
        for col in spec.measures():
            if col.kind != "count" or col.unit != "children" or col.name in POPULATION_COLUMNS \
                    or col.name not in frame.columns:
                continue
            values = frame[col.name].astype(float).to_numpy()
            for i in np.flatnonzero(values > bound):
                out.errors.append(Problem(
                    labels[name], int(frame.index[i]), col.name,
                    f"{_fmt(values[i])} children in {frame['area_name'].iloc[i]} in {frame['year'].iloc[i]} is more "
                    f"than the {_fmt(bound[i])} children aged 0-17 living there (population extract)"))


def _rates(frames: Mapping[str, pd.DataFrame], labels: Mapping[str, str], out: Findings) -> None:
    for name, frame in frames.items():
        for column in (c for c in frame.columns if c.endswith("_rate_per_10k")):
            values = frame[column].astype(float)
            for line in values.index[values > 10_000]:
                out.errors.append(Problem(labels[name], int(line), column,
                                          f"a rate per 10,000 children of {_fmt(values[line])} is above 10,000"))
    if "looked_after" in frames:
        la = frames["looked_after"]
        population = la["rate_population_0_17"].astype(float)
        for prefix in ("looked_after_at_31_march", "started_in_year", "ceased_in_year"):
            expected = la[f"{prefix}_count"].astype(float) / population * 10_000
            rate = la[f"{prefix}_rate_per_10k"].astype(float)
            for line in rate.index[(rate - expected).abs() > 1.0]:
                out.errors.append(Problem(labels["looked_after"], int(line), f"{prefix}_rate_per_10k",
                                          f"rate {_fmt(rate[line])} is not the count over the population "
                                          f"({expected[line]:.1f} per 10,000)"))


def _shares(frames: Mapping[str, pd.DataFrame], labels: Mapping[str, str], out: Findings) -> None:
    for share in SHARES:
        frame = frames.get(share.extract)
        if frame is None or not {share.pct, share.part, *share.whole} <= set(frame.columns):
            continue
        checked = frame["geographic_level"] == "local_authority"
        whole = sum(frame[c].astype(float) for c in share.whole)
        expected = 100 * frame[share.part].astype(float) / whole.where(whole > 0)
        pct = frame[share.pct].astype(float)
        for line in pct.index[checked & ((pct - expected).abs() > share.tolerance)]:
            out.errors.append(Problem(
                labels[share.extract], int(line), share.pct,
                f"{_fmt(pct[line])}% is not {share.part} over {' + '.join(share.whole)} ({expected[line]:.1f}%)"))
    for name in _WORKFORCE:
        if name not in frames or not {"social_workers_fte", "social_workers_headcount"} <= set(frames[name].columns):
            continue
        frame = frames[name]
        fte, head = frame["social_workers_fte"].astype(float), frame["social_workers_headcount"].astype(float)
        for line in fte.index[fte > head]:
            if (name, frame.at[line, "area_code"], int(frame.at[line, "year"]), "social_workers_fte") \
                    in KNOWN_EXCEPTIONS:
                continue
            out.errors.append(Problem(labels[name], int(line), "social_workers_fte",
                                      f"{_fmt(fte[line])} FTE is more than the headcount of {_fmt(head[line])}"))


def _local(frames: Mapping[str, pd.DataFrame], labels: Mapping[str, str], out: Findings) -> None:
    if "quoted_figures" not in frames:
        return
    quoted = frames["quoted_figures"]
    value = quoted["value"].astype(float)
    for line in value.index[quoted["unit"].isin(["count", "fte", "pct", "rate_per_10k"]) & (value < 0)]:
        out.errors.append(Problem(labels["quoted_figures"], int(line), "value",
                                  f"a {quoted.at[line, 'unit']} must not be negative: got {_fmt(value[line])}"))
    for line in value.index[(quoted["unit"] == "pct") & (value > 100)]:
        out.errors.append(Problem(labels["quoted_figures"], int(line), "value",
                                  f"a percentage must be at most 100: got {_fmt(value[line])}"))


def _jumps(frames: Mapping[str, pd.DataFrame], labels: Mapping[str, str], out: Findings) -> None:
    merged: dict[str, pd.DataFrame] = {}
    for jump in jumps():
        if jump.extract not in frames or jump.column not in frames[jump.extract].columns:
            continue
        frame = frames[jump.extract]
        if jump.extract not in merged:
            merged[jump.extract] = _year_pairs(frame)
        pairs = _changes(frame, jump.column, jump.scale, jump.offset, jump.extract, merged[jump.extract])
        names = frame["area_name"]
        for _, row in pairs[pairs["change"] > jump.threshold].iterrows():
            old, new = float(row["old"]), float(row["new"])
            size = (f"{new - old:+.1f} points" if jump.scale == "pp"
                    else f"x{new / old:.2g}" if old > 0 else "from 0")
            out.warnings.append(Problem(
                labels[jump.extract], int(row["line"]), jump.column,
                f"{names[row['line']]}: {_fmt(row['old'])} in {int(row['year']) - 1} to {_fmt(row['new'])} in "
                f"{int(row['year'])} ({size}) is a larger year-on-year change than the threshold for this measure "
                f"({jump.threshold} on the {jump.scale} scale, docs/refresh.md): check it"))


def check(frames: Mapping[str, pd.DataFrame], labels: Mapping[str, str] | None = None) -> Findings:
    """Every plausibility rule on validated extracts (any subset; rules whose extracts are absent are skipped).

    ``frames``: extract name -> frame from ``analysis.data.load`` (index = CSV line); ``labels``:
    extract name -> file label for messages (default ``data/raw/<path>``). Returns ``Findings``.
    """
    specs = all_specs()
    labels = labels or {name: f"data/raw/{specs[name].path}" for name in frames}
    out = Findings()
    for rule in (_children, _rates, _shares, _local, _jumps):
        rule(frames, labels, out)
    return out
