"""Page one: the committee's five questions, each answered in one sentence generated from the data.

1. Caseloads: are they down? 2. Vacancies and agency use. 3. Money: the council's own overspend
where the project holds it, and official spending per child against England and the neighbours.
4. Child protection plans against similar areas. 5. Where the council stands with Ofsted.
A question the data cannot answer for the area and period says so in its sentence, never a guess.
"""

from __future__ import annotations

import pandas as pd

from analysis.measures.catalogue import AGENCY, CASELOAD, CP_RATE, CSC_SPEND_PER_CHILD, VACANCY, Measure
from analysis.present import html
from analysis.present.format import fmt
from analysis.present.html import Section
from analysis.present.words import capitalised, date_at, quantity
from analysis.report._context import ReportContext
from analysis.report._finance import overspend_outturns
from analysis.report._summary import JUDGEMENT_SHORT, figure, summaries
from analysis.report._timeline import judgements, visits_since

# Each answer is about the measures its question names, so they are named here, not derived.
QUESTIONS = (
    ("caseloads", "Are social workers' caseloads coming down?"),
    ("workforce", "Are vacancies being filled and agency use falling?"),
    ("money", "Is the money under control, and how does spending compare?"),
    ("child_protection", "Are child protection plans at a level like similar areas?"),
    ("ofsted", "Where does the council stand with Ofsted?"),
)


def value_text(m: Measure, value: float, status: object = "") -> str:
    """A measure's value with its unit in words: "18.2%", "16.7 cases per FTE", "106.4 per 10,000 children"."""
    number = figure(m, value, status)
    if pd.isna(value):  # a status in words, with no unit after it
        return number
    if m.unit.startswith("GBP per child"):
        return f"{number} per child"
    if m.unit.startswith("%"):
        return f"{number}%"
    return f"{number} {m.unit}"


def _latest(ctx: ReportContext, measure_id: str) -> tuple[pd.DataFrame, pd.Series | None]:
    s = summaries(ctx)[measure_id]
    return s.bench, s.last


def _comparison(m: Measure, last: pd.Series) -> str:
    """ "(England 16.6; similar councils' median 17.6)": same unit as the value before it, so not repeated."""
    parts = []
    if pd.notna(last["england"]):
        parts.append(f"England {fmt(last['england'], m.decimals)}")
    if last["sn_n"]:
        parts.append(f"similar councils' median {fmt(last['sn_median'], m.decimals)}")
    return f" ({'; '.join(parts)})" if parts else ""


def measure_answer(ctx: ReportContext, m: Measure) -> str:
    """One clause: latest value and year, the movement since the baseline, England and neighbours."""
    s = summaries(ctx)[m.id]
    last, base = s.last, s.base
    if last is None:
        return f"no published {m.short} for {ctx.area.name} between {ctx.start} and {ctx.end}"
    text = f"{m.short} stood at {value_text(m, last['area'])} in {m.year_label(last['year'])}{_comparison(m, last)}"
    if s.compared:
        word = s.word if not s.too_small else f"{s.word}: numbers too small to tell"
        text += f", against {value_text(m, base['area'])} in {m.year_label(base['year'])} ({word} since {s.base_text})"
    return text


def _caseloads(ctx: ReportContext) -> str:
    return _sentence(measure_answer(ctx, CASELOAD))


def _workforce(ctx: ReportContext) -> str:
    return _sentence(f"{measure_answer(ctx, VACANCY)}; {measure_answer(ctx, AGENCY)}")


def _money(ctx: ReportContext) -> str:
    outturns = overspend_outturns(ctx)
    if outturns.empty:
        own = (
            f"the project holds no council-reported year-end overspend for {ctx.area.name}'s children's "
            f"services in this period"
        )
    else:
        last = outturns.iloc[-1]
        own = (
            f"the council reported a children's services overspend of {quantity(last['value_gbp_m'], 'gbp_m', decimals=1)} "
            f"at the end of {last['financial_year']} (its own budget monitoring)"
        )
    m = CSC_SPEND_PER_CHILD  # official revenue outturn per child: comparable between councils
    _, last = _latest(ctx, m.id)
    if last is None:
        official = f"no official figure of {m.short} is published for {ctx.area.name} in this period"
    else:
        official = (
            f"official net {m.short} was {value_text(m, last['area'])} in {m.year_label(last['year'])}{_comparison(m, last)}"
        )
        if last["sn_n"] and pd.notna(last["rank"]):
            official += f", ranked {last['rank']} of {last['rank_of']} among its similar councils (1 = highest)"
    return _sentence(f"{own}; {official}")


def _child_protection(ctx: ReportContext) -> str:
    m = CP_RATE
    _, last = _latest(ctx, m.id)
    if last is None:
        return _sentence(f"no published {m.short} for {ctx.area.name} between {ctx.start} and {ctx.end}")
    text = f"{m.short} stood at {value_text(m, last['area'])} at 31 March {last['year']}{_comparison(m, last)}"
    if last["sn_n"] and pd.notna(last["sn_median"]) and last["sn_median"]:
        times = last["area"] / last["sn_median"]
        text += (
            f": {fmt(times, 1)} times the similar councils' median, ranked {last['rank']} of "
            f"{last['rank_of']} (1 = highest); no level is right in itself, so this is read against "
            "similar areas"
        )
    return _sentence(text)


def _ofsted(ctx: ReportContext) -> str:
    j = judgements(ctx)
    j = j[j["start"] <= pd.Timestamp(ctx.end, 12, 31)]
    if j.empty:
        return _sentence(
            f"Ofsted published no overall judgement of {ctx.area.name}'s children's services up to the end of {ctx.end}"
        )
    last = j.iloc[-1]
    grade = JUDGEMENT_SHORT.get(last["judgement"], last["judgement"])
    text = f"the latest judgement by the end of {ctx.end} is {grade}, published {date_at(last['start'], 'day')}"
    visits = visits_since(ctx, last["start"])
    if visits.empty:
        text += "; no Ofsted visit since is recorded"
    else:
        latest = visits.iloc[-1]
        text += (
            f"; {len(visits)} Ofsted visit{'s' if len(visits) != 1 else ''} since, the latest a "
            f"{latest['label'].removeprefix('Ofsted ').lower()} "
            f"{'on' if latest['precision'] == 'day' else 'in'} {date_at(latest['date'], latest['precision'])}"
        )
    return _sentence(text)


def _sentence(text: str) -> str:
    return capitalised(text) + "."


def five_answers_list(ctx: ReportContext) -> list[tuple[str, str]]:
    """(question, answer) for the five questions, in order; every number and date from the data."""
    answer_of = {
        "caseloads": _caseloads,
        "workforce": _workforce,
        "money": _money,
        "child_protection": _child_protection,
        "ofsted": _ofsted,
    }
    return [(q, answer_of[key](ctx)) for key, q in QUESTIONS]


def five_answers(ctx: ReportContext) -> Section:
    """The five answers as a definition list, for the first screen of the committee report."""
    items = "".join(f"<dt>{html.esc(q)}</dt><dd>{html.esc(a)}</dd>" for q, a in five_answers_list(ctx))
    return Section(f'<dl class="answers">{items}</dl>')
