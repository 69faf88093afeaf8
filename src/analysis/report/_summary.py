"""Compute once, explain once: one summary per measure, shared by the scorecard, findings, verdict and titles.

For each catalogue measure: the benchmark table, the first, latest and baseline years, the change
and its test, the movement word (``analysis.measures.change``), the latest 95% interval, England,
the neighbour median and rank, and whether the numbers are too small to call a change.

The baseline is the last Inadequate judgement published in the period (or the latest judgement
if none was Inadequate); when that falls in the measure's latest year with data there is nothing
to compare, so the baseline is the first year with data instead (e.g. a council judged in
February 2022 with figures to 2022).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.schema import POLARITY_WORDS
from analysis.measures.catalogue import MEASURES, Measure
from analysis.measures.change import NO_CLEAR_CHANGE, ChangeTest, change_test, movement_word
from analysis.present.format import fmt
from analysis.present.words import quantity
from analysis.report._context import ReportContext, bench

JUDGEMENT_SHORT = {"Requires improvement to be good": "Requires improvement"}


def judgement_baseline(ctx: ReportContext) -> tuple[int, str]:
    """(year, words) of the latest Inadequate judgement published in the period, else the latest judgement."""
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


def figure(m: Measure, value: float, status: object = "") -> str:
    """A measure's figure in a sentence, without its unit: money with its currency through ``words.quantity``.

    "GBP 2,347" for spending per child, "106.4" for a rate; a missing value says why (``fmt``).
    """
    if m.money_unit and pd.notna(value):
        return quantity(value, m.money_unit, decimals=m.decimals)
    return fmt(value, m.decimals, status)


def nearest(b: pd.DataFrame, year: int) -> pd.Series | None:
    """The row of ``b`` with an area value nearest ``year`` (earlier on a tie); None if no value at all."""
    have = b[b["area"].notna()]
    if have.empty:
        return None
    return have.iloc[(have["year"] - year).abs().argsort(kind="stable").iloc[0]]


@dataclass(frozen=True)
class MeasureSummary:
    """Everything the report says about one measure for one area and period."""

    measure: Measure
    bench: pd.DataFrame
    first: pd.Series | None
    last: pd.Series | None
    base: pd.Series | None
    base_text: str
    test: ChangeTest | None
    word: str
    interval: tuple[float, float] | None  # 95% interval of the latest value, published unit
    interval_method: str
    small: bool  # the latest figure is too small to call a change
    from_first: bool = False  # the judgement fell in the latest year: compared from the first year with data

    @property
    def has_data(self) -> bool:
        return self.last is not None

    @property
    def compared(self) -> bool:
        """A baseline earlier than the latest year exists."""
        return self.base is not None and self.last is not None and self.base["year"] != self.last["year"]

    @property
    def change(self) -> float:
        return float(self.last["area"] - self.base["area"]) if self.compared else np.nan

    @property
    def polarity_words(self) -> str:
        return POLARITY_WORDS[self.measure.polarity]

    @property
    def too_small(self) -> bool:
        return self.test is not None and self.test.small

    @property
    def untested(self) -> str:
        """Why a change has no test: the measure's declared reason, or a compared year without its denominator."""
        return self.measure.no_basis or "no published denominator for both years compared"

    def evidence(self) -> str:
        """Plain words for the test behind the word: 'beyond chance (p < 0.001)', 'within chance (p = 0.92)'..."""
        if not self.compared:
            return "no earlier year to compare"
        if self.test is None:
            return f"no test: {self.measure.no_basis or 'no denominator is published for this measure'}"
        if self.test.why:
            return "no test: " + self.test.why
        p = self.test.p_value
        ptext = "p < 0.001" if p < 0.001 else f"p = {fmt(p, 3)}" if p < 0.01 else f"p = {fmt(p, 2)}"
        verdict = "beyond what chance alone produces" if self.test.clear else "within what chance alone produces"
        return f"{verdict} ({self.test.method}, {ptext})"


def _interval_row(ctx: ReportContext, measure_id: str, year: int) -> pd.Series | None:
    iv = ctx.intervals
    rows = iv[(iv["measure"] == measure_id) & iv["area_code"].isin(ctx.area.all_codes) & (iv["year"] == year)]
    return rows.iloc[0] if not rows.empty else None


def summarise_measure(ctx: ReportContext, m: Measure, judged: tuple[int, str]) -> MeasureSummary:
    b = bench(ctx, m.id)
    have = b[b["area"].notna()]
    if have.empty:
        return MeasureSummary(m, b, None, None, None, "", None, NO_CLEAR_CHANGE, None, "", False)
    first, last = have.iloc[0], have.iloc[-1]
    base_year, base_text = judged
    base = nearest(b, base_year)
    from_first = bool(base["year"] >= last["year"] and first["year"] < last["year"])
    if from_first:
        base = first
        base_text = (
            f"the first year with data ({m.year_label(first['year'])}), as {base_text} falls in the latest year "
            f"({m.year_label(last['year'])})"
        )
    iv_last = _interval_row(ctx, m.id, int(last["year"]))
    iv_base = _interval_row(ctx, m.id, int(base["year"]))
    test = None
    if m.bases and iv_last is not None and iv_base is not None and base["year"] != last["year"]:
        test = change_test(
            iv_last["kind"],
            (iv_base["numerator"], iv_base["denominator"]),
            (iv_last["numerator"], iv_last["denominator"]),
            small=bool(iv_base["small"]) or bool(iv_last["small"]),
        )
    word = movement_word(m.polarity, base["area"], last["area"], test) if base["year"] != last["year"] else NO_CLEAR_CHANGE
    interval = None
    method = ""
    if iv_last is not None and pd.notna(iv_last["lower"]):
        interval, method = (float(iv_last["lower"]), float(iv_last["upper"])), str(iv_last["method"])
    small = bool(iv_last["small"]) if iv_last is not None else False
    return MeasureSummary(m, b, first, last, base, base_text, test, word, interval, method, small, from_first)


def baseline_words(ctx: ReportContext, ids: list[str]) -> str:
    """The baseline of the measures ``ids`` in words, for a sentence starting 'Since ...'."""
    _, judged = judgement_baseline(ctx)
    used = [summaries(ctx)[i] for i in ids if summaries(ctx)[i].compared]
    if not used or not any(s.from_first for s in used):
        return judged
    if all(s.from_first for s in used):
        years = sorted({int(s.base["year"]) for s in used})
        span = str(years[0]) if len(years) == 1 else f"{years[0]} to {years[-1]}"
        return f"the first year with data ({span}), as {judged} falls in the latest year"
    return f"{judged} (or the first year with data where that falls in the latest year)"


def summarise(ctx: ReportContext) -> dict[str, MeasureSummary]:
    """Every catalogue measure's summary, keyed by measure id (recomputed; ``summaries`` caches it)."""
    judged = judgement_baseline(ctx)
    return {m.id: summarise_measure(ctx, m, judged) for m in MEASURES.values()}


def summaries(ctx: ReportContext) -> dict[str, MeasureSummary]:
    """Every catalogue measure's summary, computed once per context and shared by every section."""
    return ctx.once(summarise)
