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

- a year-on-year change larger than the measure's threshold (``analysis.data.jumps``: thresholds
  derived from the spread of real year-on-year changes of every local authority; docs/refresh.md
  explains the rule and lists them).

Inputs are the validated frames of ``analysis.data.load`` (index = line in the CSV file); each
finding is an ``analysis.errors.Problem`` naming the extract file, line, column and reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.data.jumps import changes, extracts_by_area_and_year, jumps, year_pairs
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


_BANDS = ("3_months_or_less", "over_3_to_6_months", "over_6_months_under_1_year", "1_to_under_2_years", "2_years_or_more")
_WORKFORCE = ("workforce", "workforce_release_2022")
SHARES: tuple[Share, ...] = (
    Share("referrals", "rereferrals_12m_pct", "rereferrals_12m_count", ("referrals_count",)),
    Share("referrals", "referrals_nfa_pct", "referrals_nfa_count", ("referrals_count",)),
    Share("referrals", "referrals_assessed_not_in_need_pct", "referrals_assessed_not_in_need_count", ("referrals_count",)),
    Share("referrals", "children_rereferred_12m_pct", "children_rereferred_12m_count", ("children_referred_count",)),
    Share(
        "cp_plans_started",
        "cp_plans_second_or_subsequent_pct",
        "cp_plans_second_or_subsequent_count",
        ("cp_plans_started_count",),
    ),
    *(
        Share("cp_plans_at_31_march", f"cp_plans_{b}_pct", f"cp_plans_{b}_count", ("cp_plans_at_31_march_count",))
        for b in _BANDS
    ),
    # published as whole percentages: up to half a point from their parts
    Share(
        "placement_stability",
        "three_or_more_placements_pct",
        "three_or_more_placements_count",
        ("cla_at_31_march_count",),
        tolerance=1.0,
    ),
    Share(
        "placement_stability",
        "long_term_same_placement_pct",
        "long_term_same_placement_count",
        ("long_term_cohort_count",),
        tolerance=1.0,
    ),
    Share(
        "care_leavers",
        "care_leavers_19_21_eet_pct",
        "care_leavers_19_21_eet_count",
        ("care_leavers_19_21_count",),
        tolerance=1.0,
    ),
    Share(
        "assessments", "assessments_within_45_days_pct", "assessments_within_45_days_count", ("assessments_completed_count",)
    ),
    *(
        s
        for w in _WORKFORCE
        for s in (
            Share(w, "turnover_rate_pct", "leavers_fte", ("social_workers_fte",)),
            Share(w, "agency_rate_pct", "agency_fte", ("social_workers_fte", "agency_fte")),
            Share(w, "vacancy_rate_pct", "vacancies_fte", ("social_workers_fte", "vacancies_fte")),
            Share(w, "agency_cover_rate_pct", "agency_cover_fte", ("agency_fte",), tolerance=1.0),
        )
    ),
)

# Rows DfE published that break a rule, kept as published: (extract, area_code, year, column).
KNOWN_EXCEPTIONS: dict[tuple[str, str, int, str], str] = {
    (w, area, year, "social_workers_fte"): f"DfE publishes {fte} FTE for a headcount of {head}"
    for w in _WORKFORCE
    for area, year, fte, head in (
        ("E08000024", 2021, 249.2, 246),
        ("E09000006", 2022, 188.0, 187),
        ("E10000031", 2020, 368.2, 321),
    )
}

POPULATION_COLUMNS = {"population_0_17_at_30_june", "rate_population_0_17"}


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
    for name, spec in extracts_by_area_and_year().items():
        if name == "population" or name not in frames:
            continue
        frame = frames[name]
        key = pd.MultiIndex.from_arrays([frame["area_code"], frame["year"].astype(int)])
        before = pd.MultiIndex.from_arrays([frame["area_code"], frame["year"].astype(int) - 1])
        bound = (
            pd.concat([pop.reindex(key).reset_index(drop=True), pop.reindex(before).reset_index(drop=True)], axis=1)
            .max(axis=1)
            .to_numpy()
        )
        for col in spec.measures():
            if (
                col.kind != "count"
                or col.unit != "children"
                or col.name in POPULATION_COLUMNS
                or col.name not in frame.columns
            ):
                continue
            values = frame[col.name].astype(float).to_numpy()
            for i in np.flatnonzero(values > bound):
                out.errors.append(
                    Problem(
                        labels[name],
                        int(frame.index[i]),
                        col.name,
                        f"{_fmt(values[i])} children in {frame['area_name'].iloc[i]} in {frame['year'].iloc[i]} is more "
                        f"than the {_fmt(bound[i])} children aged 0-17 living there (population extract)",
                    )
                )


def _rates(frames: Mapping[str, pd.DataFrame], labels: Mapping[str, str], out: Findings) -> None:
    for name, frame in frames.items():
        for column in (c for c in frame.columns if c.endswith("_rate_per_10k")):
            values = frame[column].astype(float)
            for line in values.index[values > 10_000]:
                out.errors.append(
                    Problem(
                        labels[name],
                        int(line),
                        column,
                        f"a rate per 10,000 children of {_fmt(values[line])} is above 10,000",
                    )
                )
    if "looked_after" in frames:
        la = frames["looked_after"]
        population = la["rate_population_0_17"].astype(float)
        for prefix in ("looked_after_at_31_march", "started_in_year", "ceased_in_year"):
            expected = la[f"{prefix}_count"].astype(float) / population * 10_000
            rate = la[f"{prefix}_rate_per_10k"].astype(float)
            for line in rate.index[(rate - expected).abs() > 1.0]:
                out.errors.append(
                    Problem(
                        labels["looked_after"],
                        int(line),
                        f"{prefix}_rate_per_10k",
                        f"rate {_fmt(rate[line])} is not the count over the population ({expected[line]:.1f} per 10,000)",
                    )
                )


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
            out.errors.append(
                Problem(
                    labels[share.extract],
                    int(line),
                    share.pct,
                    f"{_fmt(pct[line])}% is not {share.part} over {' + '.join(share.whole)} ({expected[line]:.1f}%)",
                )
            )
    for name in _WORKFORCE:
        if name not in frames or not {"social_workers_fte", "social_workers_headcount"} <= set(frames[name].columns):
            continue
        frame = frames[name]
        fte, head = frame["social_workers_fte"].astype(float), frame["social_workers_headcount"].astype(float)
        for line in fte.index[fte > head]:
            if (name, frame.at[line, "area_code"], int(frame.at[line, "year"]), "social_workers_fte") in KNOWN_EXCEPTIONS:
                continue
            out.errors.append(
                Problem(
                    labels[name],
                    int(line),
                    "social_workers_fte",
                    f"{_fmt(fte[line])} FTE is more than the headcount of {_fmt(head[line])}",
                )
            )


def _local(frames: Mapping[str, pd.DataFrame], labels: Mapping[str, str], out: Findings) -> None:
    if "quoted_figures" not in frames:
        return
    quoted = frames["quoted_figures"]
    value = quoted["value"].astype(float)
    for line in value.index[quoted["unit"].isin(["count", "fte", "pct", "rate_per_10k"]) & (value < 0)]:
        out.errors.append(
            Problem(
                labels["quoted_figures"],
                int(line),
                "value",
                f"a {quoted.at[line, 'unit']} must not be negative: got {_fmt(value[line])}",
            )
        )
    for line in value.index[(quoted["unit"] == "pct") & (value > 100)]:
        out.errors.append(
            Problem(
                labels["quoted_figures"], int(line), "value", f"a percentage must be at most 100: got {_fmt(value[line])}"
            )
        )


def _jumps(frames: Mapping[str, pd.DataFrame], labels: Mapping[str, str], out: Findings) -> None:
    pairs: dict[str, pd.DataFrame] = {}
    for jump in jumps():
        if jump.extract not in frames or jump.column not in frames[jump.extract].columns:
            continue
        frame = frames[jump.extract]
        if jump.extract not in pairs:
            pairs[jump.extract] = year_pairs(frame)
        found = changes(pairs[jump.extract], jump.column, jump.scale, jump.offset, jump.extract)
        names = frame["area_name"]
        for _, row in found[found["change"] > jump.threshold].iterrows():
            old, new = float(row["old"]), float(row["new"])
            size = f"{new - old:+.1f} points" if jump.scale == "pp" else f"x{new / old:.2g}" if old > 0 else "from 0"
            out.warnings.append(
                Problem(
                    labels[jump.extract],
                    int(row["line"]),
                    jump.column,
                    f"{names[row['line']]}: {_fmt(row['old'])} in {int(row['year']) - 1} to {_fmt(row['new'])} in "
                    f"{int(row['year'])} ({size}) is a larger year-on-year change than the threshold for this measure "
                    f"({jump.threshold} on the {jump.scale} scale, docs/refresh.md): check it",
                )
            )


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
