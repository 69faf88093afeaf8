"""The answer, key findings and scorecard: sentences and tables generated from the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
from IPython.display import HTML

from analysis.measures.catalogue import HEADLINE, Measure
from analysis.present import html
from analysis.present.format import fmt
from analysis.report.context import ReportContext, bench
from analysis.report.finance import _drawable, finance_rows

JUDGEMENT_SHORT = {"Requires improvement to be good": "Requires improvement"}


def _judgement_year(ctx: ReportContext) -> tuple[int, str]:
    """The baseline for 'change since': the latest Inadequate judgement published in the period."""
    insp = ctx.local("ofsted_inspections").dropna(subset=["overall_effectiveness"]).copy()
    insp["published_ts"] = pd.to_datetime(insp["published"])
    within = insp[insp["published_ts"].dt.year.between(ctx.start, ctx.end)]
    bad = within[within["overall_effectiveness"] == "Inadequate"]
    pick = bad if not bad.empty else within
    if pick.empty:
        return ctx.start, f"the start of the period ({ctx.start})"
    row = pick.sort_values("published_ts").iloc[-1]
    grade = JUDGEMENT_SHORT.get(row["overall_effectiveness"], row["overall_effectiveness"])
    return int(row["published_ts"].year), f"the {grade.lower()} judgement of {row['published_ts']:%B %Y}"


def _nearest(b: pd.DataFrame, year: int) -> pd.Series | None:
    have = b[b["area"].notna()]
    if have.empty:
        return None
    return have.iloc[(have["year"] - year).abs().argsort(kind="stable").iloc[0]]


def _movement(measure: Measure, before: float, after: float) -> str:
    if measure.polarity == "neutral":
        return "rose" if after > before else "fell" if after < before else "did not change"
    better = after < before if measure.polarity == "lower_better" else after > before
    if after == before:
        return "no change"
    return "improved" if better else "worsened"


def scorecard_frame(ctx: ReportContext) -> pd.DataFrame:
    base_year, base_text = _judgement_year(ctx)
    rows = []
    for m in HEADLINE:
        b = bench(ctx, m.id)
        have = b[b["area"].notna()]
        good = {"lower_better": "Lower is better", "higher_better": "Higher is better",
                "neutral": "Neither: compare with similar areas"}[m.polarity]
        if have.empty:
            rows.append({"Measure": m.label, "Unit": m.unit, "First": "no data", "Latest": "no data",
                         "Since judgement": "no data", "England (latest)": "", "Neighbour median (latest)": "",
                         "Movement": "no data", "What good looks like": good})
            continue
        first, last = have.iloc[0], have.iloc[-1]
        base = _nearest(b, base_year)
        change = last["area"] - base["area"]
        movement = _movement(m, base["area"], last["area"])
        rows.append({
            "Measure": m.label, "Unit": m.unit,
            "First": f"{fmt(first['area'], m.decimals)} ({first['year']})",
            "Latest": f"{fmt(last['area'], m.decimals)} ({last['year']})",
            "Since judgement": f"{'+' if change > 0 else ''}{fmt(change, m.decimals)} ({base['year']} to {last['year']})",
            "England (latest)": fmt(last["england"], m.decimals, last["england_status"]),
            "Neighbour median (latest)": fmt(last["sn_median"], m.decimals) if last["sn_n"] else "no data",
            "Movement": movement.capitalize() + (" (lower is better)" if m.polarity == "lower_better" else
                                                 " (higher is better)" if m.polarity == "higher_better" else
                                                 " (no direction is better in itself)"),
            "What good looks like": good,
        })
    return pd.DataFrame(rows)


def scorecard(ctx: ReportContext) -> HTML:
    _, base_text = _judgement_year(ctx)
    caption = (f"Scorecard for {ctx.area.name}, {ctx.start} to {ctx.end}: first and latest values, the change "
               f"since {base_text} (or the nearest year with data), and the latest England and "
               f"{ctx.sn_label.lower()} median.")
    return HTML(html.table_html(scorecard_frame(ctx), caption, css_class="scorecard"))


def key_findings_list(ctx: ReportContext) -> list[str]:
    """Five to eight sentences, each with its numbers and years, generated from the data."""
    base_year, base_text = _judgement_year(ctx)
    out: list[str] = []
    for m in HEADLINE:
        b = bench(ctx, m.id)
        have = b[b["area"].notna()]
        if have.empty:
            out.append(f"There is no published {m.short} for {ctx.area.name} between {ctx.start} and {ctx.end}.")
            continue
        base, last = _nearest(b, base_year), have.iloc[-1]
        eng = fmt(last["england"], m.decimals, last["england_status"])
        eng_base = b.loc[b["year"] == base["year"], "england"].iloc[0]
        name = m.short[0].upper() + m.short[1:]
        if base["year"] != last["year"]:
            text = (f"{name} ({m.unit}): {fmt(base['area'], m.decimals)} in {base['year']}, "
                    f"{fmt(last['area'], m.decimals)} in {last['year']}")
            text += (f"; England {fmt(eng_base, m.decimals)} and {eng}" if not np.isnan(eng_base)
                     else f"; England {eng} in {last['year']}")
        else:
            text = f"{name} ({m.unit}): {fmt(last['area'], m.decimals)} in {last['year']}; England {eng}"
        if last["sn_n"]:
            text += (f"; neighbours' median {fmt(last['sn_median'], m.decimals)} in {last['year']}, "
                     f"{ctx.area.name} ranked {last['rank']} of {last['rank_of']} (1 = highest)")
        move = _movement(m, base["area"], last["area"])
        if m.polarity != "neutral" and base["year"] != last["year"]:
            text += f". Since {base_text} this has {move}."
        else:
            text += "."
        out.append(text)
    counts = bench(ctx, "cp_count")
    have = counts[counts["area"].notna()]
    if not have.empty:
        last = have.iloc[-1]
        rate = bench(ctx, "cp_rate").set_index("year")["area"].get(last["year"], np.nan)
        out.insert(0, f"At 31 March {last['year']}, {fmt(last['area'], 0)} children in {ctx.area.name} were on a "
                      f"child protection plan, {fmt(rate, 1)} per 10,000 children.")
    fin = finance_rows(ctx)
    outturns = fin[_drawable(fin) & (fin["measure"] == "overspend_outturn") & (fin["scope"] == "children_services")]
    if not outturns.empty:
        first, last = outturns.iloc[0], outturns.iloc[-1]
        out.append(f"The council reported a children's services overspend of GBP {fmt(first['value_gbp_m'], 1)}m in "
                   f"{first['financial_year']} and GBP {fmt(last['value_gbp_m'], 1)}m in {last['financial_year']} "
                   f"(year-end outturns, council's own basis).")
    return out[:8]


def verdict(ctx: ReportContext) -> str:
    """One sentence answering 'is it improving?': how many measures with a better direction moved that way."""
    base_year, base_text = _judgement_year(ctx)
    better, worse, flat = [], [], []
    for m in HEADLINE:
        if m.polarity == "neutral":
            continue
        b = bench(ctx, m.id)
        have = b[b["area"].notna()]
        if have.empty:
            continue
        move = _movement(m, _nearest(b, base_year)["area"], have.iloc[-1]["area"])
        {"improved": better, "worsened": worse}.get(move, flat).append(m.short)
    counted = len(better) + len(worse) + len(flat)
    if not counted:
        return f"No measure with a better direction has data for {ctx.area.name} in this period."
    text = (f"Since {base_text}, {len(better)} of the {counted} headline measures where lower or higher is "
            f"clearly better have improved for {ctx.area.name} by {ctx.end}")
    text += f" ({', '.join(better)})" if better else ""
    text += f"; {len(worse)} worsened ({', '.join(worse)})" if worse else "; none worsened"
    return text + ". " + _neutral_context(ctx)


def _neutral_context(ctx: ReportContext) -> str:
    """Where the rates with no better direction stand against England in the latest year."""
    parts = []
    for m in HEADLINE:
        if m.polarity != "neutral":
            continue
        have = bench(ctx, m.id)
        have = have[have["area"].notna() & have["england"].notna()]
        if have.empty:
            continue
        last = have.iloc[-1]
        ratio = last["area"] / last["england"] if last["england"] else np.nan
        parts.append(f"{m.short} {fmt(last['area'], m.decimals)} in {last['year']} "
                     f"({fmt(ratio, 1)} times England's {fmt(last['england'], m.decimals)})")
    if not parts:
        return ""
    return ("Where no direction is better in itself, compare with similar areas: " + "; ".join(parts) + ".")


def answer(ctx: ReportContext) -> HTML:
    """The verdict, boxed at the top of the committee report: what a councillor reads first."""
    return HTML(html.paragraph(verdict(ctx), "verdict"))


def key_findings(ctx: ReportContext) -> HTML:
    return HTML(html.bullet_list(key_findings_list(ctx)))
