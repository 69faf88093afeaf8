"""Closed sets are types, and what dispatches on one covers all of it; the report context has one typed cache."""

from __future__ import annotations

import dataclasses
import pickle

import pandas as pd
import pytest

from analysis import report
from analysis.present.figure import MILESTONE_KINDS, Milestone
from analysis.publish.model import BUILT, FAILED, UP_TO_DATE, Outcome, Status


def test_a_report_outcome_is_one_of_three_statuses_written_as_plain_words():
    assert [str(s) for s in Status] == ["built", "up to date", "failed"]
    assert (BUILT, UP_TO_DATE, FAILED) == tuple(Status)
    assert Outcome("a/b.html", "failed").status is FAILED  # a word from a log or a worker becomes the type
    assert f"{Outcome('k', UP_TO_DATE).status}" == "up to date"  # as the progress line and build.log print it
    assert pickle.loads(pickle.dumps(Outcome("k", BUILT))).status is BUILT  # outcomes cross process boundaries
    with pytest.raises(ValueError, match="'exploded' is not a valid Status"):
        Outcome("k", "exploded")


def test_a_milestone_kind_is_one_of_the_kinds_the_timeline_makes():
    assert MILESTONE_KINDS == ("judgement", "event", "visit")
    with pytest.raises(ValueError, match="milestone kind 'leadership'; known: judgement, event, visit"):
        Milestone(pd.Timestamp("2019-01-01"), "A change of director", "leadership")


@pytest.mark.usefixtures("processed")
def test_the_context_computes_each_shared_thing_once_and_a_replaced_context_afresh():
    ctx = report.context("890", 2019, 2022)
    assert report.summaries(ctx) is report.summaries(ctx)
    assert report.milestones(ctx) is report.milestones(ctx)
    assert {m.kind for m in report.milestones(ctx)} <= set(MILESTONE_KINDS)
    assert {m.kind for m in report.milestones(ctx)} >= {"judgement", "event"}  # Blackpool's curated events
    first = report.bench(ctx, "caseload")
    first.loc[:, "area"] = -1.0  # a section that edits its copy does not change what the next one reads
    assert (report.bench(ctx, "caseload")["area"].dropna() > 0).all()
    other = dataclasses.replace(ctx, values=ctx.values.iloc[0:0])
    assert not report.summaries(other)["caseload"].has_data and report.summaries(ctx)["caseload"].has_data
