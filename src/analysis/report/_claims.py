"""Claims made in documents (minutes, reports) checked against the published series, in words.

A claim such as "adoptions are at their lowest for five years" is hand-curated in
``data/raw/local/claims.csv`` with the catalogue measure that can test it; this module reads the
area's published values for the window the claim speaks of and says whether they bear it out,
contradict it, or cannot settle it (a year missing or suppressed): never a guess.
"""

from __future__ import annotations

import pandas as pd

from analysis.measures.catalogue import MEASURES
from analysis.present import html
from analysis.present.format import fmt
from analysis.present.html import Section
from analysis.present.words import date_at
from analysis.report._context import ReportContext

WORDS = {"lowest_in_years": ("lowest", "min"), "highest_in_years": ("highest", "max")}


def check_claim(ctx: ReportContext, claim: pd.Series) -> str:
    """One sentence: what the document said (paraphrased), the published values, and the verdict.

    ``claim`` is a row of the claims extract. Raises KeyError when its measure is not in the catalogue.
    """
    m = MEASURES[claim["measure"]]
    last, n = int(claim["reference_year"]), int(claim["window_years"])
    years = list(range(last - n + 1, last + 1))
    rows = ctx.values[(ctx.values["measure"] == m.id) & ctx.values["area_code"].isin(ctx.area.all_codes)]
    # an authority whose ONS code changed has each year under one of its codes; a value beats a marker
    rows = (
        rows.assign(_has=rows["value"].notna())
        .sort_values(["year", "_has"], kind="stable")
        .drop_duplicates("year", keep="last")
        .set_index("year")
        .reindex(years)
    )
    registry = ctx.extract("sources").set_index("source_id")
    sid = claim["source_id"]
    who = f"{registry.loc[sid, 'publisher']}, {registry.loc[sid, 'title']}" if sid in registry.index else sid
    said = f"{claim['description'].rstrip('.')} ({who}, {date_at(claim['date'], claim['date_precision'])})."
    span = f"the {n} years to 31 March {last}" if m.month_day == (3, 31) else f"{years[0]}-{last}"
    values = [fmt(v, m.decimals, s) for v, s in zip(rows["value"], rows["status"].fillna("no data"), strict=True)]
    listed = ", ".join(f"{v} ({y})" for y, v in zip(years, values, strict=True))
    missing = [y for y, v in zip(years, rows["value"], strict=True) if pd.isna(v)]
    word, pick = WORDS[claim["claim"]]
    if missing:
        return (
            f"{said} The published {m.short} for {span} cannot settle this: "
            f"{', '.join(map(str, missing))} not available or suppressed ({listed})."
        )
    extreme = getattr(rows["value"], pick)()
    at = [y for y, v in zip(years, rows["value"], strict=True) if v == extreme]
    if rows["value"].iloc[-1] == extreme:
        tie = " (equal with another year)" if len(at) > 1 else ""
        verdict = f"bear this out: {values[-1]} in {last} is the {word} of the {n}{tie}"
    else:
        verdict = f"do not bear this out: the {word} was {fmt(extreme, m.decimals)} in {at[0]}, not {last}"
    return f"{said} The published {m.short} for {span} {verdict} ({listed})."


def claims_list(ctx: ReportContext, measures: tuple[str, ...] | None = None) -> list[str]:
    """Every claim held for the area (optionally only those about ``measures``), checked."""
    claims = ctx.local("claims")
    if measures is not None:
        claims = claims[claims["measure"].isin(measures)]
    return [check_claim(ctx, c) for _, c in claims.iterrows()]


def claims(ctx: ReportContext, measures: tuple[str, ...] | None = None) -> Section:
    """The checked claims as a list; a one-line notice where the project holds none for the area."""
    found = claims_list(ctx, measures)
    if not found:
        return Section(html.notice(f"No claims in local documents about this are held for {ctx.area.name}."))
    return Section(html.bullet_list(found))
