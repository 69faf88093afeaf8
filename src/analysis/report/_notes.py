"""The report's header, quoted figures, glossary, method notes and list of sources."""

from __future__ import annotations

import pandas as pd

from analysis.data.geography import geography
from analysis.measures.change import ALPHA
from analysis.measures.funnel_limits import LEVELS
from analysis.measures.uncertainty import BYAR_FROM, SMALL_EVENTS, SMALL_FTE
from analysis.present import html
from analysis.present.html import Section
from analysis.present.words import date_at, quantity
from analysis.report._context import ReportContext
from analysis.report._summary import judgement_baseline


def series_break_notes(ctx: ReportContext) -> list[str]:
    """Plain words for each merger or split that starts or ends this authority's series.

    A change of ONS code alone (North Yorkshire 2023, Barnsley 2025) is not a break: the header
    names the codes the one series spans.
    """
    auth = geography(ctx.raw_dir).authorities.get(ctx.area.la_code)
    out = []
    for c in auth.changes if auth else ():
        if c.same_authority or c.year < ctx.start - 1 or c.year > ctx.end + 1:
            continue
        role = "was replaced" if ctx.area.la_code in {u.la_code for u in c.before} else "was created"
        out.append(
            f"Series break: {ctx.area.name} {role} on {pd.Timestamp(c.date):%-d %B %Y} ({c.description}) "
            "Figures before and after are for different areas and are never joined."
        )
    return out


def header(ctx: ReportContext, subtitle: str) -> Section:
    """The report's h1, the line saying what it covers (area, codes, period, comparators) and any series break."""
    region = ctx.comps.region.name if ctx.comps.region else "no region"
    names = ", ".join(n.name for n in ctx.comps.neighbours) or "none found"
    notes = [*series_break_notes(ctx), *([ctx.comps.sn_note + "."] if ctx.comps.sn_note else [])]
    codes = ctx.area.codes_line or f"ONS code {ctx.area.code}"
    return Section(
        f"<h1>{html.esc(ctx.area.name)}: {html.esc(subtitle)}</h1>"
        + html.paragraph(
            f"{ctx.area.name} (DfE code {ctx.area.la_code}, {codes}), "
            f"{ctx.start} to {ctx.end}. Compared with England, {region} and its "
            f"{len(ctx.comps.neighbours)} statistical neighbours in DfE's {ctx.comps.sn_model} "
            f"model: {names}.",
            "lede",
        )
        + "".join(html.notice(n) for n in notes)
    )


def quoted_figures(ctx: ReportContext) -> Section:
    q = ctx.local("quoted_figures")
    if q.empty:
        return Section(html.notice(f"No figures quoted in local documents are held for {ctx.area.name}."))
    registry = ctx.extract("sources").set_index("source_id")
    table = pd.DataFrame(
        {
            "Date": [date_at(d, p) for d, p in zip(q["date"], q["date_precision"], strict=True)],
            "Figure": [
                quantity(v, u, c if isinstance(c, str) else "", b)
                for v, u, c, b in zip(q["value"], q["unit"], q["count_of"], q["value_bound"], strict=True)
            ],
            "What it says": q["description"],
            "Same basis as the official series?": q["comparable"].map({True: "yes", False: "no"}),
            "Source": [f"{registry.loc[s, 'publisher']}: {registry.loc[s, 'title']}" for s in q["source_id"]],
        }
    )
    return Section(html.table_html(table, f"Figures quoted in public documents about {ctx.area.name}"))


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
    "No clear change": "The difference between two years is within what chance alone would produce, or the "
    "numbers are too small to tell; it is not counted as an improvement or a decline.",
    "95% interval": "The range within which the underlying rate most likely lies, given the count behind it; wide "
    "for small councils.",
    "Funnel plot": "A chart of every council's value against its size, with limits showing how far from England's "
    "value a council of that size could lie by chance and ordinary variation.",
    "Observed / expected": "The council's number divided by the number councils with the same child income "
    "deprivation and child population usually have (1.0 = as deprivation predicts).",
    "Monitoring visit": "An Ofsted visit to a local authority judged inadequate, reporting progress by letter "
    "without a new grade.",
}


def glossary() -> Section:
    items = "".join(f"<dt>{html.esc(k)}</dt><dd>{html.esc(v)}</dd>" for k, v in GLOSSARY.items())
    return Section(f'<dl class="glossary">{items}</dl>')


def method_notes(ctx: ReportContext) -> Section:
    base_year, base_text = judgement_baseline(ctx)
    outer = f"{LEVELS[-1]:.1%}"  # the funnel's outer limit
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
        f"({base_year} as the baseline year); when that judgement falls in the latest year, with the first year "
        "with data instead.",
        "Every figure with a published count behind it has a 95% interval: for rates per 10,000 children the count "
        f"is treated as a Poisson count (Byar's method, exact limits under {BYAR_FROM} children), for percentages the "
        "Wilson score method, as public-health statistics in England do. Workforce intervals use DfE's full-time "
        "equivalent (FTE) figures. Where no count is published, the report says so and gives no interval.",
        "A change is called improved or worsened only when a test says it is beyond what chance alone would "
        f"produce ({ALPHA:.0%} level: an exact test of the ratio of two rates; a score test of the difference of two "
        f"percentages). Otherwise it is 'no clear change'. Figures resting on fewer than {SMALL_EVENTS} children or "
        f"plans, or on fewer than {SMALL_FTE:g} FTE social workers, are flagged as too small and never called a change.",
        "Funnel plots compare every council in England with England's value, allowing for council size: small "
        "councils scatter more by chance, so their limits are wider. Councils differ far more than chance alone "
        f"explains, so the limits are widened for that spread (Spiegelhalter, 2005). A council outside the {outer} "
        "limits is unusual even allowing for that.",
        "'What deprivation predicts' comes from a model fitted each year to all councils: the number of children "
        "on plans (looked after, in need) against the council's child income deprivation score (IDACI, English "
        "Indices of Deprivation 2015 and 2019) and its child population. A ratio of 1.5 means half as many again "
        "as councils with the same deprivation usually have. The model shows association, not cause.",
        "The statistics are explained in full, with formulas, sources and a worked example for Blackpool, in "
        "docs/methods.md in the project repository.",
        "Suppressed or unavailable values are shown as gaps and named in the tables; they are never 0.",
        "Where a series joins two releases (for example looked-after rates before and after 2021), the source "
        "line under the chart names each release and the years it covers.",
        "Council-reported overspends are the council's own budget monitoring, on a different basis from "
        "official revenue outturn statistics; the two are never drawn as one series. Figures whose financial "
        "year the source leaves unclear, and low-confidence figures, are left out of the chart.",
    ]
    return Section(html.bullet_list(notes, css_class="notes"))


def sources(ctx: ReportContext) -> Section:
    """Every registered source this report's area and extracts rest on, with links."""
    reg = ctx.extract("sources")
    used = set()
    for sid in ctx.values["source_id"].dropna():
        used.update(sid.split("+"))
    for name in ("events", "finance", "quoted_figures", "claims"):
        used.update(ctx.local(name)["source_id"])
    used.update({"ofsted-outcomes-2025", "ofsted-csc-2023", f"dfe-sn-{ctx.comps.sn_model}"})
    reg = reg[reg["source_id"].isin(used)].sort_values(["kind", "publisher", "title"], kind="stable")
    items = [
        (
            f"{r['publisher']}: {r['title']}",
            r["url"],
            f"published {r['published']}" if isinstance(r["published"], str) else "publication date not stated",
        )
        for _, r in reg.iterrows()
    ]
    return Section(html.links_list(items))
