"""What the notebooks call: one context per (area, period, neighbour model), and the pieces of a report.

Notebooks hold prose and a few calls; every number, sentence with a number, chart and table is
produced here from the extracts (via data/processed/measures.csv), never typed by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import HTML

from analysis import paths
from analysis.data.load import load
from analysis.data.specs.historic import series_breaks
from analysis.measures.catalogue import HEADLINE, MEASURES, Measure
from analysis.measures.comparators import Comparators, comparators, resolve_area
from analysis.measures.compare import benchmark
from analysis.measures.processed import ensure_processed, read_processed
from analysis.present import charts, html
from analysis.present.charts import Callout, Milestone, fmt

JUDGEMENT_SHORT = {"Requires improvement to be good": "Requires improvement"}


@dataclass
class ReportContext:
    """Everything a report for one area and period needs; cheap to build, read-only after."""

    comps: Comparators
    start: int
    end: int
    raw_dir: Path
    values: pd.DataFrame = field(repr=False)
    show: tuple[str, ...] = charts.COMPARATORS

    @property
    def area(self):
        return self.comps.area

    @property
    def sn_label(self) -> str:
        return f"Statistical neighbours ({self.comps.sn_model} model)"

    def extract(self, name: str) -> pd.DataFrame:
        return load(name, self.raw_dir)

    def local(self, name: str) -> pd.DataFrame:
        """A hand-curated extract's rows for this area (empty frame if there are none)."""
        frame = self.extract(name)
        return frame[frame["area_code"] == self.area.code]

    @cached_property
    def milestones(self) -> list[Milestone]:
        return milestones(self)


def context(la: str | int, start_year: int, end_year: int, sn_model: str = "2021",
            comparators_shown: Sequence[str] = charts.COMPARATORS,
            raw_dir: Path | None = None, processed_dir: Path | None = None) -> ReportContext:
    """Resolve the area, its comparators and its measure values for ``start_year``..``end_year``.

    ``comparators_shown`` picks which of England, the region and the neighbours the charts and
    their tables show (the scorecard always gives England and the neighbour median).
    """
    if start_year > end_year:
        raise ValueError(f"start year {start_year} is after end year {end_year}")
    unknown = set(comparators_shown) - set(charts.COMPARATORS)
    if unknown:
        raise ValueError(f"unknown comparators {sorted(unknown)}; choose from {list(charts.COMPARATORS)}")
    raw_dir = Path(raw_dir or paths.DATA_RAW)
    areas = load("areas", raw_dir)
    area = resolve_area(la, areas, (start_year, end_year))
    comps = comparators(area, areas, load("neighbours", raw_dir), str(sn_model))
    values = read_processed(ensure_processed(raw_dir, processed_dir))
    values = values[values["area_code"].isin(comps.codes())]
    return ReportContext(comps=comps, start=start_year, end=end_year, raw_dir=raw_dir, values=values,
                         show=tuple(c for c in charts.COMPARATORS if c in comparators_shown))


# ---------------------------------------------------------------- measures and benchmarks

def bench(ctx: ReportContext, measure_id: str) -> pd.DataFrame:
    vals = ctx.values[ctx.values["measure"] == measure_id]
    return benchmark(vals, ctx.comps, ctx.start, ctx.end)


def source_line(ctx: ReportContext, measure: Measure) -> str:
    """Name every source (and release) behind the area's plotted values, oldest segment first."""
    vals = ctx.values[(ctx.values["measure"] == measure.id) & ctx.values["year"].between(ctx.start, ctx.end)]
    registry = ctx.extract("sources").set_index("source_id")
    parts = []
    for seg in measure.segments:
        ids = vals[vals["year"].between(seg.first, seg.last)]["source_id"].dropna().unique()
        years = vals[vals["year"].between(seg.first, seg.last)]["year"]
        if years.empty:
            continue
        titles = []
        for combo in sorted(ids):
            for sid in combo.split("+"):
                t = f"{registry.loc[sid, 'publisher']}, {registry.loc[sid, 'title']}" if sid in registry.index else sid
                if t not in titles:
                    titles.append(t)
        span = f"{years.min()}-{years.max()}" if years.min() != years.max() else f"{years.min()}"
        how = " (rate computed from the count and the previous year's mid-year population)" \
            if seg.derivation == "rate_per_10k" else ""
        parts.append(f"{span}: {'; '.join(titles)}{how}")
    return " | ".join(parts) if parts else "no data in this period"


def _judgement_year(ctx: ReportContext) -> tuple[int, str]:
    """The baseline for 'change since': the latest Inadequate judgement published in the period."""
    insp = ctx.extract("ofsted_inspections")
    insp = insp[insp["area_code"] == ctx.area.code].copy()
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


# ---------------------------------------------------------------- charts

def _trend_title(ctx: ReportContext, m: Measure, b: pd.DataFrame) -> str:
    have = b[b["area"].notna()]
    if have.empty:
        return f"{ctx.area.name}: no published {m.short}, {ctx.start}-{ctx.end}"
    first, last = have.iloc[0], have.iloc[-1]
    if first["year"] == last["year"]:
        return f"{ctx.area.name}: {m.short} {fmt(last['area'], m.decimals)} in {last['year']}"
    rel = ""
    if pd.notna(last["england"]):
        times = last["area"] / last["england"] if last["england"] else np.nan
        rel = (f"; England {fmt(last['england'], m.decimals)}" +
               (f" ({times:.1f} times England)" if times >= 1.5 else ""))
    peak, low = have.loc[have["area"].idxmax()], have.loc[have["area"].idxmin()]
    turn = ""
    if peak["year"] not in (first["year"], last["year"]):
        turn = f", peaking at {fmt(peak['area'], m.decimals)} in {peak['year']}"
    elif low["year"] not in (first["year"], last["year"]):
        turn = f", lowest at {fmt(low['area'], m.decimals)} in {low['year']}"
    return (f"{ctx.area.name}: {m.short} {fmt(first['area'], m.decimals)} in {first['year']} and "
            f"{fmt(last['area'], m.decimals)} in {last['year']}{turn}{rel}")


def callouts(ctx: ReportContext, m: Measure) -> list[Callout]:
    """Quoted figures that speak to this measure's series, drawn as annotated points."""
    try:
        quoted = ctx.local("quoted_figures")
    except KeyError:
        return []
    plotted = {f"{s.extract}.{s.column}" for s in m.segments}
    columns = plotted | set(m.related)
    out = []
    for _, q in quoted.iterrows():
        if q["measure"] not in columns or not isinstance(q["date"], str):
            continue  # an undated figure cannot be placed on a time axis; it stays in the quoted-figures table
        # drawn on the line only when on the same basis as the plotted series; otherwise at the foot
        on_series = bool(q["comparable"]) and q["measure"] in plotted
        value = float(q["value"]) if on_series else None
        unit = {"count": "", "pct": "%", "gbp_m": " GBP m", "fte": " FTE", "rate_per_10k": " per 10,000"}[q["unit"]]
        label = f"{fmt(q['value'], 0 if q['unit'] == 'count' else 1)}{unit}: {q['description'].rstrip('.')}"
        out.append(Callout(pd.Timestamp(q["date"]), value, label))
    return out


def trend(ctx: ReportContext, measure_id: str) -> charts.Chart:
    m = MEASURES[measure_id]
    b = bench(ctx, measure_id)
    return charts.trend_chart(
        b, title=_trend_title(ctx, m, b), measure_label=m.label, unit=m.unit, decimals=m.decimals,
        month_day=m.month_day, area_name=ctx.area.name, region_name=ctx.comps.region.name if ctx.comps.region else None,
        sn_label=ctx.sn_label, source=source_line(ctx, m), milestones=ctx.milestones, callouts=callouts(ctx, m),
        show=ctx.show)


# ---------------------------------------------------------------- Ofsted and interventions

EVENT_ROWS = {
    "monitoring_visit": "Ofsted visits", "assurance_visit": "Ofsted visits", "focused_visit": "Ofsted visits",
    "jtai": "Ofsted visits",
    "improvement_notice": "DfE intervention", "notice_lifted": "DfE intervention",
    "statutory_direction": "DfE intervention", "commissioner_review": "DfE intervention",
    "commissioner_decision": "DfE intervention", "commissioner_assessment": "DfE intervention",
    "direction_removed": "DfE intervention",
    "dcs_change": "Leadership",
}
EVENT_WORDS = {
    "monitoring_visit": "Ofsted monitoring visit", "assurance_visit": "Ofsted assurance visit",
    "focused_visit": "Ofsted focused visit", "jtai": "Joint targeted area inspection",
    "improvement_notice": "DfE improvement notice", "notice_lifted": "Improvement notice lifted",
    "statutory_direction": "Statutory direction", "commissioner_review": "Commissioner review begins",
    "commissioner_decision": "Commissioner's review decision", "commissioner_assessment": "Commissioner's final assessment",
    "direction_removed": "Statutory direction removed", "dcs_change": "Change of director of children's services",
}
# Milestones drawn on every time chart: judgements, Ofsted visits and government intervention.
MILESTONE_TYPES = {k for k, row in EVENT_ROWS.items() if row != "Leadership"}


def _date_text(date: pd.Timestamp, precision: str) -> str:
    return f"{date:%b %Y}" if precision == "month" else f"{date:%d %b %Y}"


def judgements(ctx: ReportContext) -> pd.DataFrame:
    """Published judgements for the area from Ofsted's official data (all frameworks)."""
    insp = ctx.extract("ofsted_inspections")
    insp = insp[insp["area_code"] == ctx.area.code].copy()
    insp["start"] = pd.to_datetime(insp["published"])
    insp = insp[insp["overall_effectiveness"].notna()].sort_values("start", kind="stable")
    insp["judgement"] = insp["overall_effectiveness"]
    insp["label"] = insp["framework"] + ": " + insp["judgement"].map(lambda j: JUDGEMENT_SHORT.get(j, j))
    return insp.reset_index(drop=True)


def milestones(ctx: ReportContext) -> list[Milestone]:
    out = [Milestone(r["start"], r["label"], "judgement") for _, r in judgements(ctx).iterrows()]
    events = ctx.local("events")
    for _, e in events[events["event_type"].isin(MILESTONE_TYPES)].iterrows():
        out.append(Milestone(pd.Timestamp(e["date"]), EVENT_WORDS[e["event_type"]], "event"))
    if events.empty:
        for _, v in _official_visits(ctx).iterrows():
            out.append(Milestone(v["date"], v["label"], "visit"))
    return sorted(out, key=lambda m: m.date)


def _official_visits(ctx: ReportContext) -> pd.DataFrame:
    visits = ctx.extract("ofsted_visits")
    visits = visits[visits["area_code"] == ctx.area.code].copy()
    visits["date"] = pd.to_datetime(visits["visit_date"])
    visits["label"] = "Ofsted " + visits["visit_type"].str.lower()
    return visits


def timeline(ctx: ReportContext) -> charts.Chart:
    j = judgements(ctx)
    ends = list(j["start"].iloc[1:]) + [pd.Timestamp(ctx.end, 12, 31)]
    periods = pd.DataFrame({"start": j["start"], "end": ends, "judgement": j["judgement"], "label": j["label"]})
    events = ctx.local("events")
    sources = ["Ofsted, children's social care data in England (inspection outcomes)"]
    if events.empty:
        v = _official_visits(ctx)
        points = pd.DataFrame({"date": v["date"], "row": "Ofsted visits", "label": v["label"],
                               "date_text": v["date"].map(lambda d: f"{d:%d %b %Y}")})
    else:
        e = events[events["event_type"].isin(EVENT_ROWS)].copy()
        e["date"] = pd.to_datetime(e["date"])
        points = pd.DataFrame({
            "date": e["date"], "row": e["event_type"].map(EVENT_ROWS),
            "label": [EVENT_WORDS[t] + (f": {p}" if isinstance(p, str) and p else "")
                      for t, p in zip(e["event_type"], e["person"], strict=True)],
            "date_text": [_date_text(d, p) for d, p in zip(e["date"], e["date_precision"], strict=True)]})
        sources.append(f"{len(events['source_id'].unique())} public documents listed under Sources "
                       "(events curated by the project, high and medium confidence only)")
    return charts.timeline_chart(periods, points, ctx.start, ctx.end, ctx.area.name, "; ".join(sources))


FINANCE_MEASURES = ("overspend_outturn", "overspend_forecast", "extra_investment")
CHILDREN_SCOPES = ("children_services", "childrens_social_care")


def finance_rows(ctx: ReportContext) -> pd.DataFrame:
    """Council-reported overspend and investment figures for the period, every scope, duplicates removed.

    Official revenue-outturn spending is a different accounting basis and is never included here.
    """
    try:
        fin = ctx.local("finance")
    except KeyError:
        return pd.DataFrame(columns=["financial_year", "measure", "value_gbp_m", "as_of", "scope", "year_clear",
                                     "confidence", "source_id"])
    fin = fin[(fin["basis"] == "council_reported") & fin["measure"].isin(FINANCE_MEASURES) & fin["duplicate_of"].isna()]
    year = fin["financial_year"].str[:4].astype("float")
    fin = fin[year.between(ctx.start - 1, ctx.end) | year.isna()]
    return fin.sort_values(["financial_year", "measure"], kind="stable", na_position="last").reset_index(drop=True)


def _drawable(fin: pd.DataFrame) -> pd.Series:
    return (fin["year_clear"].fillna(False).astype(bool) & (fin["confidence"] != "low")
            & fin["scope"].isin(CHILDREN_SCOPES))


def finance(ctx: ReportContext) -> charts.Chart | HTML:
    fin = finance_rows(ctx)
    if fin.empty:
        return HTML(html.notice(f"No council finance figures are held for {ctx.area.name}: the project curates "
                                "local finance extracts for Blackpool only, so this chart is not drawn."))
    ok = _drawable(fin)
    rows = fin[ok]
    unclear = int((~fin["year_clear"].fillna(False).astype(bool)).sum())
    low = int((fin["year_clear"].fillna(False).astype(bool) & (fin["confidence"] == "low")).sum())
    other = int((fin["year_clear"].fillna(False).astype(bool) & (fin["confidence"] != "low")
                 & ~fin["scope"].isin(CHILDREN_SCOPES)).sum())
    left_out = [f"Not drawn: {unclear} figure(s) whose financial year the source leaves unclear, {low} low-confidence "
                f"figure(s), and {other} figure(s) for the whole council or for adult and children's social care "
                "together (listed in the table of quoted figures and the finance extract)."]
    registry = ctx.extract("sources").set_index("source_id")
    pubs = sorted({registry.loc[s, "publisher"] for s in rows["source_id"] if s in registry.index})
    source = ("council-reported figures from " + ", ".join(pubs) +
              " (see Sources); not comparable with official revenue outturn statistics")
    return charts.finance_chart(rows, area_name=ctx.area.name, source=source, left_out=left_out)


# ---------------------------------------------------------------- headers, quoted figures, notes

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
        "Date": [d if isinstance(d, str) else "date not stated" for d in q["date"]],
        "Figure": [f"{fmt(v, 0 if u == 'count' else 1)} {u}" for v, u in zip(q["value"], q["unit"], strict=True)],
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
    for name in ("events", "finance", "quoted_figures"):
        used.update(ctx.local(name)["source_id"])
    used.update({"ofsted-outcomes-2025", "ofsted-csc-2023", f"dfe-sn-{ctx.comps.sn_model}"})
    reg = reg[reg["source_id"].isin(used)].sort_values(["kind", "publisher", "title"], kind="stable")
    items = [(f"{r['publisher']}: {r['title']}", r["url"],
              f"published {r['published']}" if isinstance(r["published"], str) else "publication date not stated")
             for _, r in reg.iterrows()]
    return HTML(html.links_list(items))


# ---------------------------------------------------------------- analysts' trajectory

def changes_table(ctx: ReportContext, measure_id: str) -> pd.DataFrame:
    """Year by year: the area's value, change on the year before, and its gap to England and neighbours."""
    m = MEASURES[measure_id]
    b = bench(ctx, measure_id)
    prev = b["area"].shift(1)
    return pd.DataFrame({
        "Year": b["year"].astype(str),
        ctx.area.name: [fmt(v, m.decimals, s) for v, s in zip(b["area"], b["area_status"], strict=True)],
        "Change on previous year": [fmt(d, m.decimals) if pd.notna(d) else "" for d in b["area"] - prev],
        "Gap to England": [fmt(d, m.decimals) if pd.notna(d) else "" for d in b["area"] - b["england"]],
        "Gap to neighbour median": [fmt(d, m.decimals) if pd.notna(d) else "" for d in b["area"] - b["sn_median"]],
        "Rank among neighbours (1 = highest)": [f"{r} of {n}" if pd.notna(r) else "not ranked"
                                                for r, n in zip(b["rank"], b["rank_of"], strict=True)],
    })


def trajectory(ctx: ReportContext) -> HTML:
    """Every catalogue measure: chart, then year-on-year changes and rank, each under its own heading."""
    parts = []
    for m in MEASURES.values():
        chart = trend(ctx, m.id)
        parts.append(f"<h3 id=\"measure-{html.esc(m.id)}\">{html.esc(m.label)}</h3>")
        if m.definition:
            parts.append(html.paragraph(m.definition, "definition"))
        parts.append(html.figure_html(chart))
        parts.append(html.table_html(changes_table(ctx, m.id), f"{m.label}: year-on-year changes and rank"))
    return HTML("".join(parts))
