"""Ofsted judgements, visits and government intervention: the timeline chart and chart milestones."""

from __future__ import annotations

import pandas as pd

from analysis.present import event_charts, html
from analysis.present.figure import Milestone
from analysis.present.html import Section
from analysis.present.words import date_at
from analysis.report._context import ReportContext
from analysis.report._summary import JUDGEMENT_SHORT

EVENT_ROWS = {
    "monitoring_visit": "Ofsted visits",
    "assurance_visit": "Ofsted visits",
    "focused_visit": "Ofsted visits",
    "jtai": "Ofsted visits",
    "improvement_notice": "DfE intervention",
    "notice_lifted": "DfE intervention",
    "statutory_direction": "DfE intervention",
    "commissioner_review": "DfE intervention",
    "commissioner_decision": "DfE intervention",
    "commissioner_assessment": "DfE intervention",
    "direction_removed": "DfE intervention",
    "dcs_change": "Leadership",
}


EVENT_WORDS = {
    "monitoring_visit": "Ofsted monitoring visit",
    "assurance_visit": "Ofsted assurance visit",
    "focused_visit": "Ofsted focused visit",
    "jtai": "Joint targeted area inspection",
    "improvement_notice": "DfE improvement notice",
    "notice_lifted": "Improvement notice lifted",
    "statutory_direction": "Statutory direction",
    "commissioner_review": "Commissioner review begins",
    "commissioner_decision": "Commissioner's review decision",
    "commissioner_assessment": "Commissioner's final assessment",
    "direction_removed": "Statutory direction removed",
    "dcs_change": "Change of director of children's services",
}


# Milestones drawn on every time chart: judgements, Ofsted visits and government intervention.
MILESTONE_TYPES = {k for k, row in EVENT_ROWS.items() if row != "Leadership"}


def judgements(ctx: ReportContext) -> pd.DataFrame:
    """Published judgements for the area from Ofsted's official data (all frameworks)."""
    insp = ctx.local("ofsted_inspections").copy()
    insp["start"] = pd.to_datetime(insp["published"])
    insp = insp[insp["overall_effectiveness"].notna()].sort_values("start", kind="stable")
    insp["judgement"] = insp["overall_effectiveness"]
    insp["label"] = insp["framework"] + ": " + insp["judgement"].map(lambda j: JUDGEMENT_SHORT.get(j, j))
    return insp.reset_index(drop=True)


def milestones(ctx: ReportContext) -> list[Milestone]:
    """Inspection judgements and the area's events (else Ofsted's visits), by date; computed once per context."""
    return ctx.once(_milestones)


def _milestones(ctx: ReportContext) -> list[Milestone]:
    out = [Milestone(r["start"], r["label"], "judgement") for _, r in judgements(ctx).iterrows()]
    events = ctx.local("events")
    for _, e in events[events["event_type"].isin(MILESTONE_TYPES)].iterrows():
        out.append(Milestone(pd.Timestamp(e["date"]), EVENT_WORDS[e["event_type"]], "event"))
    if events.empty:
        for _, v in _official_visits(ctx).iterrows():
            out.append(Milestone(v["date"], v["label"], "visit"))
    return sorted(out, key=lambda m: m.date)


def _official_visits(ctx: ReportContext) -> pd.DataFrame:
    visits = ctx.local("ofsted_visits").copy()
    visits["date"] = pd.to_datetime(visits["visit_date"])
    visits["label"] = "Ofsted " + visits["visit_type"].str.lower()
    return visits


VISIT_TYPES = ("monitoring_visit", "assurance_visit", "focused_visit", "jtai")


def visits_since(ctx: ReportContext, since: pd.Timestamp) -> pd.DataFrame:
    """Ofsted visits after ``since`` up to the end of the period: columns date, label, precision.

    As the timeline does: the project's curated events where it holds them for the area (their
    date precision kept), otherwise Ofsted's official list of visits (exact dates).
    """
    end = pd.Timestamp(ctx.end, 12, 31)
    events = ctx.local("events")
    if events.empty:
        v = _official_visits(ctx)
        out = pd.DataFrame({"date": v["date"], "label": v["label"], "precision": "day"})
    else:
        e = events[events["event_type"].isin(VISIT_TYPES)]
        out = pd.DataFrame(
            {"date": pd.to_datetime(e["date"]), "label": e["event_type"].map(EVENT_WORDS), "precision": e["date_precision"]}
        )
    out = out[(out["date"] > since) & (out["date"] <= end)]
    return out.sort_values("date", kind="stable").reset_index(drop=True)


def timeline(ctx: ReportContext) -> Section:
    """Judgements as periods and visits or events as points; a one-line notice when there are none."""
    j = judgements(ctx)
    ends = list(j["start"].iloc[1:]) + [pd.Timestamp(ctx.end, 12, 31)] if not j.empty else []
    periods = pd.DataFrame({"start": j["start"], "end": ends, "judgement": j["judgement"], "label": j["label"]})
    events = ctx.local("events")
    sources = ["Ofsted, children's social care data in England (inspection outcomes)"]
    if events.empty:
        v = _official_visits(ctx)
        points = pd.DataFrame(
            {
                "date": v["date"],
                "row": "Ofsted visits",
                "label": v["label"],
                "date_text": v["date"].map(lambda d: f"{d:%d %b %Y}"),
            }
        )
    else:
        e = events[events["event_type"].isin(EVENT_ROWS)].copy()
        e["date"] = pd.to_datetime(e["date"])
        points = pd.DataFrame(
            {
                "date": e["date"],
                "row": e["event_type"].map(EVENT_ROWS),
                "label": [
                    EVENT_WORDS[t] + (f": {p}" if isinstance(p, str) and p else "")
                    for t, p in zip(e["event_type"], e["person"], strict=True)
                ],
                "date_text": [date_at(d, p) for d, p in zip(e["date"], e["date_precision"], strict=True)],
            }
        )
        sources.append(
            f"{len(events['source_id'].unique())} public documents listed under Sources "
            "(events curated by the project, high and medium confidence only)"
        )
    shown = points[points["date"].dt.year.between(ctx.start, ctx.end)] if not points.empty else points
    if periods.empty and shown.empty:
        return Section(
            html.notice(
                f"No Ofsted judgement, visit or recorded event is held for {ctx.area.name} "
                f"(DfE code {ctx.area.la_code}), so the timeline is not drawn."
            )
        )
    return Section.of(event_charts.timeline_chart(periods, points, ctx.start, ctx.end, ctx.area.name, "; ".join(sources)))
