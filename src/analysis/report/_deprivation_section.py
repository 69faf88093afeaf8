"""Is the rate higher than deprivation predicts? The area's observed/expected ratios from the deprivation model.

Reads data/processed/deprivation.csv (computed once per build by ``analysis.measures.deprivation_model``).
The words describe association only: a ratio above 1 says the area has more children on plans (or
looked after, or in need) than councils with its child income deprivation usually have, not why.
"""

from __future__ import annotations

import pandas as pd

from analysis.measures.catalogue import MEASURES
from analysis.measures.deprivation_model import MODEL_MEASURES
from analysis.present import html
from analysis.present.format import fmt
from analysis.present.html import Section
from analysis.present.stat_charts import RatioSpec, ratio_chart
from analysis.report._context import ReportContext

PANELS = {m: MEASURES[m].deprivation_panel for m in MODEL_MEASURES}  # declared with each measure
SOURCE = (
    "English Indices of Deprivation 2015 and 2019 (IDACI average score); DfE children in need, child protection "
    "and looked-after statistics; ONS mid-year estimates of children aged 0-17. Model: negative binomial "
    "regression across all councils, each year (docs/methods.md)"
)


def deprivation_frame(ctx: ReportContext) -> pd.DataFrame:
    """The area's rows of the model, years of the period: measure, year, observed, expected, ratio, pi_lo, pi_hi, rank."""
    d = ctx.deprivation
    out = d[d["area_code"].isin(ctx.area.all_codes) & d["year"].between(ctx.start, ctx.end)].reset_index(drop=True)
    return out.astype({"rank": "Int64", "rank_of": "Int64"})


def _standing(r: pd.Series) -> str:
    if r["ratio"] > r["pi_hi"]:
        return "higher than its deprivation predicts, beyond the range councils with similar deprivation show"
    if r["ratio"] < r["pi_lo"]:
        return "lower than its deprivation predicts, beyond the range councils with similar deprivation show"
    side = "higher" if r["ratio"] > 1 else "lower"
    return f"{side} than its deprivation predicts, but within the range councils with similar deprivation show"


def deprivation_sentence(ctx: ReportContext) -> str:
    """The answer in plain words: the latest child protection ratio, its range and rank, and how it moved."""
    frame = deprivation_frame(ctx)
    cp = frame[(frame["measure"] == "cp_rate") & frame["ratio"].notna()].sort_values("year")
    if cp.empty:
        reason = frame["note"].dropna().iloc[0] if not frame.empty and frame["note"].notna().any() else "no model row"
        return (
            f"The deprivation model gives no expected child protection rate for {ctx.area.name} in "
            f"{ctx.start}-{ctx.end} ({reason})."
        )
    first, last = cp.iloc[0], cp.iloc[-1]
    text = (
        f"In {last['year']}, {ctx.area.name} had {fmt(last['observed'], 0)} children on child protection plans "
        f"where councils with its level of child income deprivation would have about {fmt(last['expected'], 0)}: "
        f"{fmt(last['ratio'], 2)} times the expected number, {_standing(last)} "
        f"(95% prediction interval {fmt(last['pi_lo'], 2)} to {fmt(last['pi_hi'], 2)}; "
        f"{last['rank']} of {last['rank_of']} councils, 1 = furthest above expected)"
    )
    if first["year"] != last["year"]:
        text += (
            f". The ratio was {fmt(first['ratio'], 2)} in {first['year']}, so the gap beyond what deprivation "
            f"predicts has {'narrowed' if last['ratio'] < first['ratio'] else 'widened'} since then"
        )
    return text + ". This is an association: it does not say why the rate differs."


def deprivation_table(ctx: ReportContext) -> pd.DataFrame:
    frame = deprivation_frame(ctx)
    rows = []
    for year in sorted(frame["year"].unique()):
        row = {"Year": str(year)}
        for measure in MODEL_MEASURES:
            sel = frame[(frame["year"] == year) & (frame["measure"] == measure)]
            if sel.empty:
                row[PANELS[measure]] = "no data"
                continue
            r = sel.iloc[0]
            row[PANELS[measure]] = (
                f"{fmt(r['ratio'], 2)} ({fmt(r['pi_lo'], 2)} to {fmt(r['pi_hi'], 2)}); rank {r['rank']} of {r['rank_of']}"
                if pd.notna(r["ratio"])
                else f"not modelled: {r['note']}"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def deprivation_chart(ctx: ReportContext) -> Section:
    """Observed / expected by year, one panel per modelled measure, with its table; a notice when not modelled."""
    frame = deprivation_frame(ctx)
    have = frame[frame["ratio"].notna()]
    if have.empty:
        return Section(html.notice(deprivation_sentence(ctx)))
    years = f"{have['year'].min()}-{have['year'].max()}"
    latest = have[have["year"] == have["year"].max()]
    names = [label.lower() for label in PANELS.values()]
    alt = (
        f"{len(names)} panels, one each for {', '.join(names[:-1])} and {names[-1]} at "
        f"31 March, showing {ctx.area.name}'s observed number divided by the number expected from its child income "
        f"deprivation, {years}, with the 95% prediction interval as a band and 1.0 (as deprivation predicts) as a "
        f"line. In {latest['year'].iloc[0]}: "
        + "; ".join(
            f"{PANELS[r['measure']].lower()} {fmt(r['ratio'], 2)} ({fmt(r['pi_lo'], 2)} to {fmt(r['pi_hi'], 2)})"
            for _, r in latest.iterrows()
        )
        + "."
    )
    cp = have[have["measure"] == "cp_rate"].sort_values("year")
    title = (
        f"{ctx.area.name}: children on child protection plans were {fmt(cp['ratio'].iloc[-1], 1)} times what its "
        f"deprivation predicts in {cp['year'].iloc[-1]}"
        if not cp.empty
        else f"{ctx.area.name}: rates against what deprivation predicts, {years}"
    )
    notes = (
        "Observed / expected: the area's count divided by the count a council with its IDACI score and "
        "child population would have on the model fitted to all councils that year. The band is the range "
        "of ratios such councils usually show (95%).",
    )
    spec = RatioSpec(
        panels=tuple((m, PANELS[m]) for m in MODEL_MEASURES),
        area_name=ctx.area.name,
        title=title,
        source=SOURCE,
        alt=alt,
        table=deprivation_table(ctx),
        table_caption=(
            f"Observed / expected from deprivation (95% prediction interval) and rank among "
            f"councils (1 = furthest above expected), {ctx.area.name}"
        ),
        notes=notes,
    )
    return Section.of(ratio_chart(have, spec))


def deprivation(ctx: ReportContext) -> Section:
    """The deprivation section: the one-sentence answer, then the chart and its table."""
    return Section.of(html.paragraph(deprivation_sentence(ctx), "finding"), deprivation_chart(ctx))
