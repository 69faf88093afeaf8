"""The answer, key findings and scorecard: sentences and tables generated from the data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.schema import Polarity
from analysis.measures.catalogue import CP_COUNT, CP_RATE, HEADLINE
from analysis.measures.change import FELL, IMPROVED, NO_CLEAR_CHANGE, ROSE, WORSENED
from analysis.present import html
from analysis.present.format import fmt
from analysis.present.html import Section
from analysis.present.words import capitalised, quantity
from analysis.report._context import ReportContext, bench
from analysis.report._finance import overspend_outturns
from analysis.report._summary import MeasureSummary, baseline_words, figure, summaries

# The baseline rule and the per-measure summary live in report/_summary.py (computed once per context).


def _movement_cell(s: MeasureSummary) -> str:
    if not s.compared:
        return "No earlier year to compare"
    word = s.word
    if s.too_small:
        word = f"{NO_CLEAR_CHANGE}: numbers too small to tell"
    elif s.test is None:
        word = f"not tested: {_direction(s)}; {s.untested}"
    return capitalised(word) + f" ({s.polarity_words})"


def _direction(s: MeasureSummary) -> str:
    """The plain direction of an untested change ("rose by 892"), never called an improvement or a change."""
    m = s.measure
    if s.change == 0:
        return "the same value"
    return f"{'rose' if s.change > 0 else 'fell'} by {fmt(abs(s.change), m.decimals)}"


def scorecard_frame(ctx: ReportContext) -> pd.DataFrame:
    rows = []
    for m in HEADLINE:
        s = summaries(ctx)[m.id]
        if not s.has_data:
            rows.append(
                {
                    "Measure": m.label,
                    "Unit": m.unit,
                    "First": "no data",
                    "Latest": "no data",
                    "95% interval (latest)": "",
                    "Change since baseline": "no data",
                    "Is the change real?": "",
                    "England (latest)": "",
                    "Neighbour median (latest)": "",
                    "Movement": f"No data ({s.polarity_words})",
                }
            )
            continue
        first, last, base = s.first, s.last, s.base
        change = s.change
        since = (
            f"{'+' if change > 0 else ''}{fmt(change, m.decimals)} "
            f"({m.year_label(base['year'])} to {m.year_label(last['year'])})"
            if s.compared
            else "no earlier year"
        )
        interval = (
            f"{fmt(s.interval[0], m.decimals)} to {fmt(s.interval[1], m.decimals)}"
            if s.interval
            else f"none: {m.no_basis}"
            if m.no_basis
            else "no denominator published"
        )
        rows.append(
            {
                "Measure": m.label,
                "Unit": m.unit,
                "First": f"{fmt(first['area'], m.decimals)} ({m.year_label(first['year'])})",
                "Latest": (
                    f"{fmt(last['area'], m.decimals)} ({m.year_label(last['year'])})"
                    + (" (small numbers)" if s.small else "")
                ),
                "95% interval (latest)": interval,
                "Change since baseline": since,
                "Is the change real?": capitalised(s.evidence()),
                "England (latest)": fmt(last["england"], m.decimals, last["england_status"]),
                "Neighbour median (latest)": fmt(last["sn_median"], m.decimals) if last["sn_n"] else "no data",
                "Movement": _movement_cell(s),  # which direction is better, in brackets
            }
        )
    return pd.DataFrame(rows)


def _baseline_words(ctx: ReportContext, polar_only: bool = False) -> str:
    return baseline_words(ctx, [m.id for m in HEADLINE if not polar_only or m.polarity != Polarity.NEUTRAL])


def scorecard(ctx: ReportContext) -> Section:
    caption = (
        f"Scorecard for {ctx.area.name}, {ctx.start} to {ctx.end}: first and latest values with the latest "
        f"95% interval, the change since {_baseline_words(ctx)} (or the nearest year with data) and whether it "
        f"is beyond chance, and the latest England and {ctx.sn_label.lower()} median."
    )
    return Section(html.table_html(scorecard_frame(ctx), caption, css_class="scorecard"))


def _finding(ctx: ReportContext, s: MeasureSummary) -> str:
    m, last, base = s.measure, s.last, s.base
    b = s.bench
    eng = fmt(last["england"], m.decimals, last["england_status"])
    eng_base = b.loc[b["year"] == base["year"], "england"].iloc[0]
    name = capitalised(m.short)
    if s.compared:
        text = (
            f"{name} ({m.unit}): {fmt(base['area'], m.decimals)} in {m.year_label(base['year'])}, "
            f"{fmt(last['area'], m.decimals)} in {m.year_label(last['year'])}"
        )
        text += (
            f"; England {fmt(eng_base, m.decimals)} and {eng}"
            if not np.isnan(eng_base)
            else f"; England {eng} in {m.year_label(last['year'])}"
        )
    else:
        text = f"{name} ({m.unit}): {fmt(last['area'], m.decimals)} in {m.year_label(last['year'])}; England {eng}"
    if s.interval:
        text += (
            f" (95% interval for {m.year_label(last['year'])}: {fmt(s.interval[0], m.decimals)} to "
            f"{fmt(s.interval[1], m.decimals)})"
        )
    if last["sn_n"]:
        text += (
            f"; neighbours' median {fmt(last['sn_median'], m.decimals)} in {m.year_label(last['year'])}, "
            f"{ctx.area.name} ranked {last['rank']} of {last['rank_of']} (1 = highest)"
        )
    if not s.compared:
        return text + "."
    if s.word in (IMPROVED, WORSENED):
        return text + f". Since {s.base_text} this has {s.word}: the change is {s.evidence()}."
    if s.word in (ROSE, FELL):
        return text + f". Since {s.base_text} it {s.word}, {s.evidence()}."
    if s.too_small:
        return text + f". Since {s.base_text}: no clear change; the numbers are too small to tell."
    if s.test is None:
        why = f": {m.no_basis}" if m.no_basis else ", as no denominator is published for both years compared"
        return text + f". Since {s.base_text} it {_direction(s)}; not tested for chance{why}."
    return text + f". Since {s.base_text}: no clear change; the difference is {s.evidence()}."


def key_findings_list(ctx: ReportContext) -> list[str]:
    """Every finding computed, none cut: the children on plans, one per headline measure, the reported overspend.

    Each sentence gives its numbers, years and whether the change is beyond chance. The first (children
    on child protection plans) and the last (the council's own overspend, where the project holds one)
    are about named measures; the rest follow the catalogue's headline list.
    """
    out: list[str] = []
    for m in HEADLINE:
        s = summaries(ctx)[m.id]
        if not s.has_data:
            out.append(f"There is no published {m.short} for {ctx.area.name} between {ctx.start} and {ctx.end}.")
            continue
        out.append(_finding(ctx, s))
    counts = bench(ctx, CP_COUNT.id)
    have = counts[counts["area"].notna()]
    if not have.empty:
        last = have.iloc[-1]
        rate = bench(ctx, CP_RATE.id).set_index("year")["area"].get(last["year"], np.nan)
        out.insert(
            0,
            f"At 31 March {last['year']}, {fmt(last['area'], 0)} children in {ctx.area.name} were on a "
            f"child protection plan, {fmt(rate, 1)} per 10,000 children.",
        )
    outturns = overspend_outturns(ctx)
    if not outturns.empty:
        ends = outturns.iloc[[0, -1]] if len(outturns) > 1 else outturns
        said = " and ".join(
            f"{quantity(r['value_gbp_m'], 'gbp_m', decimals=1)} in {r['financial_year']}" for _, r in ends.iterrows()
        )
        plural = "s" if len(ends) > 1 else ""
        out.append(
            f"The council reported a children's services overspend of {said} (year-end outturn{plural}, "
            "council's own basis)."
        )
    return out


def verdict(ctx: ReportContext) -> str:
    """One sentence answering 'is it improving?': only changes beyond chance count; the rest are named."""
    better, worse, unclear, small = [], [], [], []
    for m in HEADLINE:
        s = summaries(ctx)[m.id]
        if m.polarity == Polarity.NEUTRAL or not s.compared:
            continue
        {IMPROVED: better, WORSENED: worse}.get(s.word, unclear).append(m.short)
        if s.word == NO_CLEAR_CHANGE and (s.too_small or s.test is None):
            small.append(m.short)
    counted = len(better) + len(worse) + len(unclear)
    if not counted:
        return f"No measure with a better direction has two years of data for {ctx.area.name} in this period."
    text = (
        f"Since {_baseline_words(ctx, polar_only=True)}, {len(better)} of the {counted} headline measures "
        f"where lower or higher is clearly better have improved for {ctx.area.name} by {ctx.end} "
        "beyond what chance alone produces"
    )
    text += f" ({', '.join(better)})" if better else ""
    text += f"; {len(worse)} worsened ({', '.join(worse)})" if worse else "; none worsened"
    if unclear:
        text += f"; {len(unclear)} showed no clear change ({', '.join(unclear)})"
        if small:
            text += f", of which {len(small)} had numbers too small to tell"
    return text + ". " + _neutral_context(ctx)


def _neutral_context(ctx: ReportContext) -> str:
    """Where the rates with no better direction stand against England in the latest year."""
    parts = []
    for m in HEADLINE:
        if m.polarity != Polarity.NEUTRAL:
            continue
        have = summaries(ctx)[m.id].bench
        have = have[have["area"].notna() & have["england"].notna()]
        if have.empty:
            continue
        last = have.iloc[-1]
        ratio = last["area"] / last["england"] if last["england"] else np.nan
        parts.append(
            f"{m.short} {figure(m, last['area'])} in {m.year_label(last['year'])} "
            f"({fmt(ratio, 1)} times England's {figure(m, last['england'])})"
        )
    if not parts:
        return ""
    return "Where no direction is better in itself, compare with similar areas: " + "; ".join(parts) + "."


def verdict_box(ctx: ReportContext) -> Section:
    """The verdict, boxed at the top of the committee report: what a councillor reads first."""
    return Section(html.paragraph(verdict(ctx), "verdict"))


def key_findings(ctx: ReportContext) -> Section:
    return Section(html.bullet_list(key_findings_list(ctx)))
