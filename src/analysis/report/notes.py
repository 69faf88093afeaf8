"""The report's header, quoted figures, glossary, method notes and list of sources."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from analysis.data.specs.historic import series_breaks
from analysis.present import html
from analysis.present.words import date_at, quantity
from analysis.report.context import ReportContext
from analysis.report.findings import _judgement_year


def series_break_notes(ctx: ReportContext) -> list[str]:
    """Plain words for each local government reorganisation that starts or ends this area's series."""
    out = []
    for r in series_breaks(ctx.area.code):
        if r.year < ctx.start - 1 or r.year > ctx.end + 1:
            continue
        role = "was replaced" if ctx.area.code in r.predecessors else "was created"
        out.append(f"Series break: {ctx.area.name} {role} on 1 April {r.year} ({r.description}). Figures before and after "
                   "are for different areas and are never joined.")
    return out


def header(ctx: ReportContext, subtitle: str) -> HTML:
    """The report's h1, the line saying what it covers (area, period, comparators) and any series break."""
    region = ctx.comps.region.name if ctx.comps.region else "no region"
    names = ", ".join(n.name for n in ctx.comps.neighbours) or "none found"
    breaks = "".join(html.notice(n) for n in series_break_notes(ctx))
    return HTML(
        f"<h1>{html.esc(ctx.area.name)}: {html.esc(subtitle)}</h1>"
        + html.paragraph(f"{ctx.area.name} (DfE code {ctx.area.la_code}, ONS code {ctx.area.code}), "
                         f"{ctx.start} to {ctx.end}. Compared with England, {region} and its "
                         f"{len(ctx.comps.neighbours)} statistical neighbours in DfE's {ctx.comps.sn_model} "
                         f"model: {names}.", "lede") + breaks)


def quoted_figures(ctx: ReportContext) -> HTML:
    q = ctx.local("quoted_figures")
    if q.empty:
        return HTML(html.notice(f"No figures quoted in local documents are held for {ctx.area.name}."))
    registry = ctx.extract("sources").set_index("source_id")
    table = pd.DataFrame({
        "Date": [date_at(d, p) for d, p in zip(q["date"], q["date_precision"], strict=True)],
        "Figure": [quantity(v, u, c if isinstance(c, str) else "", b)
                   for v, u, c, b in zip(q["value"], q["unit"], q["count_of"], q["value_bound"], strict=True)],
        "What it says": q["description"],
        "Same basis as the official series?": q["comparable"].map({True: "yes", False: "no"}),
        "Source": [f"{registry.loc[s, 'publisher']}: {registry.loc[s, 'title']}" for s in q["source_id"]],
    })
    return HTML(html.table_html(table, f"Figures quoted in public documents about {ctx.area.name}"))


GLOSSARY = {
    "Child in need": "A child whose health or development is likely to be impaired without services from the "
                     "local authority (Children Act 1989, section 17); counted at 31 March.",
    "Child protection plan": "A plan agreed at a child protection conference when a child is judged at risk of "
                             "significant harm; counted at 31 March and as plans started during the year.",
    "Second or subsequent plan": "A plan started for a child who has been on a child protection plan before.",
    "Child looked after": "A child in the care of the local authority, counted at 31 March.",
    "FTE": "Full-time equivalent: staff counted by hours worked, so two half-time workers make one FTE.",
    "Caseload": "Cases held by case-holding children's social workers divided by their FTE, at 30 September.",
    "Agency rate": "Agency (not directly employed) children's social workers as a share of all children's "
                   "social workers, in FTE, at 30 September.",
    "Vacancy rate": "Vacant social worker posts as a share of all posts (filled plus vacant), in FTE.",
    "Turnover rate": "Social workers who left in the year to 30 September as a share of those in post.",
    "Statistical neighbour": "One of the ten local authorities DfE judges most similar to this one on social "
                             "and economic measures; the report names the DfE model used.",
    "Suppression": "Official statistics hide small numbers (marked c, or x in older releases) to protect "
                   "children's identities; such values are shown as suppressed, never as 0 or a number.",
    "Ofsted judgement": "Ofsted's overall grade: Outstanding, Good, Requires improvement to be good, Inadequate.",
    "Monitoring visit": "An Ofsted visit to a local authority judged inadequate, reporting progress by letter "
                        "without a new grade.",
}


def glossary() -> HTML:
    items = "".join(f"<dt>{html.esc(k)}</dt><dd>{html.esc(v)}</dd>" for k, v in GLOSSARY.items())
    return HTML(f"<dl class=\"glossary\">{items}</dl>")


def method_notes(ctx: ReportContext) -> HTML:
    base_year, base_text = _judgement_year(ctx)
    notes = [
        "Every number comes from the project's extracts of official statistics and public documents; none is "
        "typed by hand. The extracts, the code that derives them and the tests are public.",
        "Child protection and looked-after figures are at 31 March; workforce figures at 30 September; money "
        "by financial year (April to March). Charts place each value at its real reference date.",
        "Rates per 10,000 children from 2013 use the count at 31 March of year Y and ONS's mid-year estimate of "
        "children aged 0-17 for year Y-1, as DfE does; the tests reproduce DfE's published rates this way.",
        f"Neighbour medians use the {ctx.comps.sn_model} DfE statistical neighbour model for every year, and "
        "only neighbours with a published value; the table under each chart says how many that was.",
        f"'Change since' compares the latest year with {base_text}, or the nearest year with data "
        f"({base_year} as the baseline year).",
        "Suppressed or unavailable values are shown as gaps and named in the tables; they are never 0.",
        "Where a series joins two releases (for example looked-after rates before and after 2021), the source "
        "line under the chart names each release and the years it covers.",
        "Council-reported overspends are the council's own budget monitoring, on a different basis from "
        "official revenue outturn statistics; the two are never drawn as one series. Figures whose financial "
        "year the source leaves unclear, and low-confidence figures, are left out of the chart.",
    ]
    return HTML(html.bullet_list(notes, css_class="notes"))


def sources(ctx: ReportContext) -> HTML:
    """Every registered source this report's area and extracts rest on, with links."""
    reg = ctx.extract("sources")
    used = set()
    for sid in ctx.values["source_id"].dropna():
        used.update(sid.split("+"))
    for name in ("events", "finance", "quoted_figures", "claims"):
        used.update(ctx.local(name)["source_id"])
    used.update({"ofsted-outcomes-2025", "ofsted-csc-2023", f"dfe-sn-{ctx.comps.sn_model}"})
    reg = reg[reg["source_id"].isin(used)].sort_values(["kind", "publisher", "title"], kind="stable")
    items = [(f"{r['publisher']}: {r['title']}", r["url"],
              f"published {r['published']}" if isinstance(r["published"], str) else "publication date not stated")
             for _, r in reg.iterrows()]
    return HTML(html.links_list(items))
