"""Funnel plots for the report: the area among every council in England, in the latest year of the period.

Reads data/processed/funnels.csv (computed once per build by ``analysis.measures.funnel_limits``).
"""

from __future__ import annotations

import pandas as pd

from analysis.measures.catalogue import HEADLINE, MEASURES, Measure
from analysis.measures.declaration import DenominatorUnit
from analysis.measures.funnel_limits import ABOVE, BELOW, WELL_ABOVE, WELL_BELOW, WITHIN, limits
from analysis.present import html
from analysis.present.format import fmt
from analysis.present.html import Section
from analysis.present.stat_charts import FunnelSpec, funnel_chart, funnel_grid
from analysis.present.words import capitalised
from analysis.report._context import ReportContext, source_line

# The headline measures declared with a funnel, panels sharing an x axis (children, plans, FTE) side by side.
HEADLINE_FUNNELS = tuple(
    m.id for m in sorted((m for m in HEADLINE if m.funnel), key=lambda m: list(DenominatorUnit).index(m.denominator_unit))
)
POSITION_WORDS = {
    WELL_ABOVE: "above the expected range (beyond the 99.8% limit)",
    ABOVE: "above the expected range (beyond the 95% limit, within the 99.8% limit)",
    WITHIN: "within the expected range",
    BELOW: "below the expected range (beyond the 95% limit, within the 99.8% limit)",
    WELL_BELOW: "below the expected range (beyond the 99.8% limit)",
}
DENOMINATOR_WORDS = {
    DenominatorUnit.CHILDREN: "children aged 0-17",
    DenominatorUnit.PLANS: "plans started in the year",
    DenominatorUnit.REFERRALS: "referrals in the year",
    DenominatorUnit.FTE: "FTE",
}


def funnel_points(ctx: ReportContext, measure_id: str) -> pd.DataFrame:
    """Every authority's funnel row for the latest year of the period that has a funnel (empty if none)."""
    f = ctx.funnels
    f = f[(f["measure"] == measure_id) & f["year"].between(ctx.start, ctx.end)]
    if f.empty:
        return f
    return f[f["year"] == f["year"].max()].reset_index(drop=True)


def _x_label(m: Measure) -> str:
    return f"Size of the council: {DENOMINATOR_WORDS[m.denominator_unit]} (log scale)"


def funnel_sentence(ctx: ReportContext, measure_id: str) -> str:
    """One sentence: where the area lies against England among all councils, in the latest year."""
    m = MEASURES[measure_id]
    pts = funnel_points(ctx, measure_id)
    if pts.empty:
        return f"No funnel plot of {m.short} can be drawn for {ctx.start}-{ctx.end}: no England value with a denominator."
    year = int(pts["year"].iloc[0])
    here = pts[pts["area_code"] == ctx.area.code_in(pts["area_code"])]
    if here.empty:
        return (
            f"{ctx.area.name} has no {m.short} with a published numerator and denominator for {year}, so it is "
            f"not on the funnel plot of the {len(pts)} councils that do."
        )
    r = here.iloc[0]
    over = "; councils differ far more than chance alone gives, so the limits allow for that spread" if r["tau2"] > 0 else ""
    return (
        f"In {year}, {ctx.area.name}'s {m.short} ({fmt(r['value'], m.decimals)}) lay "
        f"{POSITION_WORDS[r['position']]} for a council of its size around England's "
        f"{fmt(r['target'], m.decimals)} (95% limits {fmt(r['lo95'], m.decimals)} to {fmt(r['hi95'], m.decimals)})"
        f"{over}." + (" Its numbers are small." if bool(r["small"]) else "")
    )


def _names(ctx: ReportContext) -> dict[str, str]:
    areas = ctx.extract("areas")
    return dict(zip(areas["area_code"], areas["area_name"], strict=True))


def funnel(ctx: ReportContext, measure_id: str) -> Section:
    """The funnel chart of one measure (latest year), or a one-line notice when it cannot be drawn."""
    m = MEASURES[measure_id]
    pts = funnel_points(ctx, measure_id)
    sentence = funnel_sentence(ctx, measure_id)
    if pts.empty:
        return Section(html.notice(sentence))
    year = int(pts["year"].iloc[0])
    neighbours = [c for c in ctx.comps.neighbour_key() if c in set(pts["area_code"])]
    names = _names(ctx)
    own = ctx.area.code_in(pts["area_code"])  # the code the year's rows use (Barnsley 2025: E08000016)
    shown = pts[pts["area_code"].isin([own, *neighbours])].copy()
    shown["order"] = (shown["area_code"] != own).astype(int)
    shown = shown.sort_values(["order", "value"], ascending=[True, False])
    table = pd.DataFrame(
        {
            "Council": [names.get(c, c) for c in shown["area_code"]],
            "Role": ["Selected area" if c == own else "Statistical neighbour" for c in shown["area_code"]],
            m.unit: [fmt(v, m.decimals) for v in shown["value"]],
            "Numerator": [fmt(v, 1 if v % 1 else 0) for v in shown["numerator"]],
            "Denominator": [fmt(v, 1 if v % 1 else 0) for v in shown["denominator"]],
            "95% limits": [
                f"{fmt(a, m.decimals)} to {fmt(b, m.decimals)}" for a, b in zip(shown["lo95"], shown["hi95"], strict=True)
            ],
            "99.8% limits": [
                f"{fmt(a, m.decimals)} to {fmt(b, m.decimals)}" for a, b in zip(shown["lo998"], shown["hi998"], strict=True)
            ],
            "Position": shown["position"].map(capitalised),
        }
    )
    counts = pts["position"].value_counts()
    spread = (
        f"{counts.get(WELL_ABOVE, 0) + counts.get(ABOVE, 0)} councils lie above the 95% limits and "
        f"{counts.get(WELL_BELOW, 0) + counts.get(BELOW, 0)} below, of {len(pts)}"
    )
    alt = (
        f"Funnel plot of {m.label} in {year}: each of {len(pts)} local authorities in England plotted by its "
        f"{m.unit} against its size, with England's value {fmt(pts['target'].iloc[0], m.decimals)} as a horizontal "
        f"line and 95% and 99.8% limits narrowing as councils get larger. {sentence} {spread}. "
        f"{ctx.area.name} and its statistical neighbours are marked."
    )
    title = f"{ctx.area.name} among all councils: {m.short}, {year}"
    notes = (
        f"Limits allow for over-dispersion (additive random effects, Spiegelhalter 2005): phi = "
        f"{fmt(pts['phi'].iloc[0], 1)} from Winsorised z-scores, tau = {fmt(pts['tau2'].iloc[0] ** 0.5, 2)} {m.unit}. "
        f"{spread}.",
    )
    spec = FunnelSpec(
        area_codes=(own,),
        neighbour_codes=tuple(neighbours),
        area_name=ctx.area.name,
        sn_label=ctx.sn_label,
        title=title,
        source=source_line(ctx, m),
        alt=alt,
        table=table,
        table_caption=f"Funnel plot of {m.short}, {year}: {ctx.area.name} and its neighbours",
        limits=limits,
        notes=notes,
        x_label=_x_label(m),
        y_label=m.unit,
    )
    return Section.of(funnel_chart(pts, spec))


def funnel_panels(ctx: ReportContext) -> Section:
    """Every headline rate and percentage as one small-multiple funnel figure (a one-line notice if none can be drawn).

    The table gives, per measure, the area's value, its limits and position, and how many neighbours
    lie outside the 95% limits.
    """
    panels, rows = [], []
    sn_codes = set(ctx.comps.neighbour_key())
    for measure_id in HEADLINE_FUNNELS:
        m = MEASURES[measure_id]
        pts = funnel_points(ctx, measure_id)
        if pts.empty:
            continue
        year = int(pts["year"].iloc[0])
        panels.append((pts, f"{capitalised(m.short)}, {year}", _x_label(m).replace("Size of the council: ", "")))
        here = pts[pts["area_code"].isin(ctx.area.all_codes)]
        sn = pts[pts["area_code"].isin(sn_codes)]
        outside = int((~sn["position"].eq(WITHIN)).sum())
        r = here.iloc[0] if not here.empty else None
        rows.append(
            {
                "Measure": m.label,
                "Year": str(year),
                "England": fmt(pts["target"].iloc[0], m.decimals),
                ctx.area.name: fmt(r["value"], m.decimals) if r is not None else "not on the plot",
                "95% limits": f"{fmt(r['lo95'], m.decimals)} to {fmt(r['hi95'], m.decimals)}" if r is not None else "",
                "99.8% limits": f"{fmt(r['lo998'], m.decimals)} to {fmt(r['hi998'], m.decimals)}" if r is not None else "",
                "Position": capitalised(r["position"]) if r is not None else "",
                "Neighbours outside the 95% limits": f"{outside} of {len(sn)}",
                "Councils on the plot": str(len(pts)),
            }
        )
    if not panels:
        return Section(html.notice(f"No funnel plot can be drawn for {ctx.start}-{ctx.end}."))
    positions = "; ".join(
        f"{row['Measure'].split(' (')[0].lower()}: {row['Position'].lower() or 'not on the plot'}" for row in rows
    )
    alt = (
        f"Funnel plots, one per headline measure, each showing every local authority in England by its value and "
        f"size in the latest year, with England's value as a line and 95% and 99.8% limits. {ctx.area.name} is "
        f"marked with a diamond and its statistical neighbours with squares. {ctx.area.name} against the expected "
        f"range: {positions}."
    )
    spec = FunnelSpec(
        area_codes=tuple(ctx.area.all_codes),
        neighbour_codes=tuple(ctx.comps.neighbour_key()),
        area_name=ctx.area.name,
        sn_label=ctx.sn_label,
        title=f"{ctx.area.name} among all councils in England, latest year",
        source=(
            "DfE children in need, looked-after and social work workforce statistics; ONS mid-year "
            "estimates. Limits: Spiegelhalter (2005), additive over-dispersion (docs/methods.md)"
        ),
        alt=alt,
        table=pd.DataFrame(rows),
        table_caption=f"Funnel plots: {ctx.area.name} against the expected range, latest year",
        limits=limits,
        notes=(
            "Small councils vary more by chance, so their limits are wider; the limits also allow for "
            "the ordinary spread between councils, which is far more than chance alone gives.",
        ),
    )
    return Section.of(funnel_grid(panels, spec))


def funnels(ctx: ReportContext) -> Section:
    """Every headline rate and percentage: one sentence each, then the funnel plots as one figure with its table."""
    sentences = [funnel_sentence(ctx, m) for m in HEADLINE_FUNNELS]
    return Section.of(html.bullet_list(sentences), funnel_panels(ctx))
