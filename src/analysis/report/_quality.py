"""Data quality for one area and period: coverage, suppression, checks run, revisions, vintages."""

from __future__ import annotations

import pandas as pd

from analysis.data.markers import MARKERS
from analysis.data.registry import all_specs
from analysis.measures.catalogue import MEASURES
from analysis.present import html
from analysis.present.format import fmt
from analysis.present.html import Section
from analysis.report._context import ReportContext


def coverage_frame(ctx: ReportContext) -> pd.DataFrame:
    """Measure by year: 'yes' where the area has a value, the marker where suppressed, '-' where absent."""
    rows = {}
    vals = ctx.values[ctx.values["area_code"].isin(ctx.area.all_codes)]
    # an authority whose ONS code changed has each year under one code; a value beats a marker
    vals = (
        vals.assign(_has=vals["value"].notna())
        .sort_values(["measure", "year", "_has"], kind="stable")
        .drop_duplicates(["measure", "year"], keep="last")
        .set_index(["measure", "year"])
    )
    for m in MEASURES.values():
        row = {}
        for year in range(ctx.start, ctx.end + 1):
            if (m.id, year) not in vals.index:
                row[str(year)] = "-"
                continue
            v = vals.loc[(m.id, year)]
            row[str(year)] = "yes" if pd.notna(v["value"]) else (v["status"] or "missing")
        rows[m.label] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "Measure"
    return frame


def coverage(ctx: ReportContext) -> Section:
    caption = (
        f"Which measures have a published value for {ctx.area.name} in each year ('yes'); a marker "
        "where the value is suppressed or not available; '-' where no release covers the year"
    )
    return Section(html.table_html(coverage_frame(ctx), caption, css_class="coverage", index=True))


def suppressed(ctx: ReportContext) -> Section:
    """Every value for the area, England, region and neighbours that the official files withhold."""
    v = ctx.values[ctx.values["value"].isna() & ctx.values["year"].between(ctx.start, ctx.end)]
    if v.empty:
        return Section(html.paragraph("No value for this area or its comparators is suppressed in this period."))
    names = {c: ctx.area.name for c in ctx.area.all_codes} | {c: n.name for n in ctx.comps.neighbours for c in n.all_codes}
    if ctx.comps.region:
        names[ctx.comps.region.code] = ctx.comps.region.name
    table = pd.DataFrame(
        {
            "Area": v["area_code"].map(lambda c: names.get(c, "England" if c == "E92000001" else c)),
            "Measure": v["measure"].map(lambda m: MEASURES[m].label),
            "Year": v["year"].astype(str),
            "Marker": v["status"],
            "Meaning": v["status"].map(lambda s: MARKERS.get(s, "not available")),
        }
    ).sort_values(["Area", "Measure", "Year"], kind="stable")
    return Section(html.table_html(table, "Suppressed or unavailable values (shown as gaps, never as 0)"))


def checks_run() -> Section:
    """What validation checks every extract passed before this report was built."""
    rows = []
    for spec in all_specs().values():
        checks = ["columns and types", f"one row per {' + '.join(spec.key)}", "registered source ids"]
        if spec.area_column:
            checks.append("known area codes")
        if any(c.kind in ("count", "fte", "rate", "ratio") for c in spec.columns):
            checks.append("counts and rates not negative")
        if any(c.kind == "pct" for c in spec.columns):
            checks.append("percentages within 0-100")
        if any(c.status for c in spec.columns):
            checks.append("every missing value has an official marker")
        if spec.origin == "local":
            checks.append("no official markers in hand-curated data")
        rows.append(
            {
                "Extract": spec.name,
                "File": f"data/raw/{spec.path}",
                "Origin": spec.origin,
                "Checks passed": "; ".join(checks),
            }
        )
    return Section(html.table_html(pd.DataFrame(rows), "Checks every extract passed (pandera schemas, run on load)"))


def revisions_frame(ctx: ReportContext) -> pd.DataFrame:
    """Workforce figures as first published (2022 release) against the 2025 release, for the area."""
    new = ctx.extract("workforce")
    old = ctx.extract("workforce_release_2022")
    common = [c.name for c in all_specs()["workforce_release_2022"].measures() if c.name in new.columns and c.name != "year"]
    a = old[old["area_code"].isin(ctx.area.all_codes)].set_index("year")
    b = new[new["area_code"].isin(ctx.area.all_codes)].set_index("year")
    rows = []
    for year in sorted(set(a.index) & set(b.index)):
        for col in common:
            x, y = a.loc[year, col], b.loc[year, col]
            if pd.isna(x) and pd.isna(y):
                continue
            if pd.notna(x) and pd.notna(y) and float(x) == float(y):
                continue
            rows.append(
                {
                    "Year (30 September)": str(year),
                    "Measure": col,
                    "2022 release": fmt(x, 1, a.loc[year].get(f"{col}_status", "")),
                    "2025 release": fmt(y, 1, b.loc[year].get(f"{col}_status", "")),
                    "Revision": fmt(float(y) - float(x), 1) if pd.notna(x) and pd.notna(y) else "n/a",
                }
            )
    return pd.DataFrame(rows, columns=["Year (30 September)", "Measure", "2022 release", "2025 release", "Revision"])


def revisions(ctx: ReportContext) -> Section:
    frame = revisions_frame(ctx)
    if frame.empty:
        return Section(
            html.paragraph(f"No workforce figure for {ctx.area.name} changed between the 2022 and 2025 releases.")
        )
    return Section(
        html.table_html(
            frame,
            f"Workforce figures for {ctx.area.name} revised between the 2022 and 2025 releases (only figures that differ)",
        )
    )


def vintages_frame(ctx: ReportContext) -> pd.DataFrame:
    """Looked-after counts and rates for the area as each release published them, where releases disagree."""
    v = ctx.extract("cla_vintages")
    v = v[v["area_code"].isin(ctx.area.all_codes) & v["year"].between(ctx.start, ctx.end)]
    out = []
    for year, group in v.groupby("year"):
        for col in ("looked_after_at_31_march_count", "looked_after_at_31_march_rate_per_10k"):
            values = group[col].dropna()
            if values.nunique() > 1:
                out.append(
                    {
                        "Year (31 March)": str(year),
                        "Measure": col,
                        "Values by release": "; ".join(
                            f"{r}: {fmt(x, 0)}" for r, x in zip(group["release"], group[col], strict=True) if pd.notna(x)
                        ),
                    }
                )
    return pd.DataFrame(out, columns=["Year (31 March)", "Measure", "Values by release"])


def vintages(ctx: ReportContext) -> Section:
    frame = vintages_frame(ctx)
    if frame.empty:
        return Section(
            html.paragraph(f"The releases agree on every looked-after figure for {ctx.area.name} in this period.")
        )
    return Section(
        html.table_html(
            frame,
            f"Looked-after figures for {ctx.area.name} that differ between releases "
            "(the report uses the release named in docs/vintages.md)",
        )
    )
