"""One declaration per measure: every fact the statistics and sections need is a field, every registry a view of them."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis.data.schema import POLARITY_WORDS, Polarity
from analysis.measures import funnel_limits
from analysis.measures.catalogue import CP_RATE, CSC_SPEND_PER_CHILD, HEADLINE, MEASURES
from analysis.measures.change import change_test, movement_word
from analysis.measures.declaration import (
    POPULATION,
    Basis,
    BasisKind,
    DenominatorUnit,
    Derivation,
    Measure,
    Period,
    Segment,
    Topic,
)
from analysis.measures.deprivation_model import MODEL_MEASURES
from analysis.measures.funnel_limits import FUNNEL_MEASURES
from analysis.measures.processed import DERIVATIONS
from analysis.report._summary import MeasureSummary

CHILDREN_BASIS = Basis("x", "x_count", POPULATION, BasisKind.RATE, 10_000, DenominatorUnit.CHILDREN)


def _measure(**fields) -> Measure:
    base = {
        "id": "x_rate",
        "label": "X per 10,000 children",
        "short": "x per 10,000",
        "unit": "per 10,000 children aged 0-17",
        "decimals": 1,
        "month_day": (3, 31),
        "polarity": "neutral",
        "segments": (Segment("x", "x_count", 2013, 2100, "rate_per_10k"),),
        "topic": "children_in_need",
        "bases": (CHILDREN_BASIS,),
    }
    return Measure(**(base | fields))


def test_every_headline_measure_declares_its_basis_or_why_it_has_none():
    for m in HEADLINE:
        assert bool(m.bases) != bool(m.no_basis), m.id
    assert CSC_SPEND_PER_CHILD.no_basis and not CSC_SPEND_PER_CHILD.bases  # money: a declared choice


def test_a_headline_measure_without_a_basis_or_a_reason_is_refused():
    with pytest.raises(ValueError, match="declares its numerator and denominator"):
        _measure(bases=())
    assert _measure(bases=(), headline=False).no_basis == ""  # off the headline list, nothing is tested
    assert _measure(bases=(), no_basis="not a count").no_basis == "not a count"
    with pytest.raises(ValueError, match="keep one"):
        _measure(no_basis="not a count")


def test_the_statistics_a_measure_asks_for_must_have_what_they_need():
    with pytest.raises(ValueError, match="funnel plot needs"):
        _measure(bases=(), no_basis="none", funnel=True)
    share = Basis("x", "x_count", ("y_count",), BasisKind.PROPORTION, 100, DenominatorUnit.PLANS)
    with pytest.raises(ValueError, match="deprivation model needs"):
        _measure(bases=(share,), deprivation_panel="X")
    with pytest.raises(ValueError, match="none of its segments reads"):
        _measure(bases=(replace(CHILDREN_BASIS, extract="elsewhere"),))
    assert _measure(funnel=True, deprivation_panel="X").denominator_unit is DenominatorUnit.CHILDREN


@pytest.mark.parametrize(
    ("declare", "word"),
    [
        (lambda: _measure(polarity="better"), "polarity"),
        (lambda: _measure(period="calendar"), "period"),
        (lambda: _measure(topic="sport"), "topic"),
        (lambda: Segment("x", "x_count", 2013, 2100, "per_adult"), "derivation"),
        (lambda: replace(CHILDREN_BASIS, kind="odds"), "kind"),
        (lambda: replace(CHILDREN_BASIS, unit="households"), "unit"),
    ],
)
def test_closed_sets_refuse_a_value_outside_them(declare, word):
    with pytest.raises(ValueError, match=f"unknown {word}"):
        declare()


def test_closed_sets_are_types_on_every_declaration():
    for m in MEASURES.values():
        assert isinstance(m.polarity, Polarity) and isinstance(m.period, Period) and isinstance(m.topic, Topic)
        assert all(isinstance(s.derivation, Derivation) for s in m.segments)
        assert all(isinstance(b.kind, BasisKind) and isinstance(b.unit, DenominatorUnit) for b in m.bases)


def test_registries_are_views_of_the_declarations():
    from analysis.report._deprivation_section import PANELS
    from analysis.report._funnel_section import HEADLINE_FUNNELS

    assert FUNNEL_MEASURES == tuple(m.id for m in MEASURES.values() if m.funnel)
    assert MODEL_MEASURES == tuple(m.id for m in MEASURES.values() if m.deprivation_panel)
    assert PANELS == {m: MEASURES[m].deprivation_panel for m in MODEL_MEASURES}
    assert set(HEADLINE_FUNNELS) == {m.id for m in HEADLINE if m.funnel}
    # the funnel panels sharing an x axis sit together: children, then plans, then FTE
    units = [MEASURES[m].denominator_unit for m in HEADLINE_FUNNELS]
    assert units == sorted(units, key=list(DenominatorUnit).index)


def test_every_dispatch_table_over_a_closed_set_covers_the_whole_set():
    from analysis.report._funnel_section import DENOMINATOR_WORDS, POSITION_WORDS

    assert set(POLARITY_WORDS) == set(Polarity)
    assert set(DERIVATIONS) == set(Derivation)
    assert set(DENOMINATOR_WORDS) == set(DenominatorUnit)
    positions = {funnel_limits.position(v, 2, 3, 1, 4) for v in (0, 1.5, 2.5, 3.5, 5)}
    assert set(POSITION_WORDS) == positions
    for polarity in Polarity:  # every polarity has its movement words
        assert movement_word(polarity, 1.0, 2.0, change_test(BasisKind.RATE, (100, 1e4), (300, 1e4)))
    for kind in BasisKind:  # every sampling model has its test and its funnel limits
        assert change_test(kind, (10, 100), (30, 100)).p_value < 0.05
        assert np.isfinite(funnel_limits.null_se(20.0, np.array([100.0]), kind, 100)).all()


def test_the_reason_for_no_test_comes_from_the_declaration_not_a_missing_key():
    row = pd.Series({"year": 2020, "area": 1.0})
    later = pd.Series({"year": 2022, "area": 2.0})

    def summary(m: Measure) -> MeasureSummary:
        return MeasureSummary(m, pd.DataFrame(), row, later, row, "2020", None, "no clear change", None, "", False)

    declared = summary(_measure(bases=(), no_basis="X is not a count of events"))
    assert declared.untested == "X is not a count of events"
    assert declared.evidence() == "no test: X is not a count of events"
    # a measure with a basis but a compared year without its denominator: a fact about the data
    assert summary(_measure()).untested == "no published denominator for both years compared"


def test_the_declarations_load_without_pandas():
    code = (
        "import sys, analysis.measures.catalogue, analysis.measures.tables; "
        "sys.exit(sorted({'pandas', 'numpy', 'scipy'} & set(sys.modules)) != [])"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_money_is_written_through_the_one_words_function():
    from analysis.report._summary import figure

    assert figure(CSC_SPEND_PER_CHILD, 2347.0) == "GBP 2,347"
    assert figure(CP_RATE, 106.44) == "106.4"
    assert figure(CSC_SPEND_PER_CHILD, float("nan"), "c") == "c (suppressed)"


def _notebook_generator():
    import importlib.util

    from analysis import paths

    spec = importlib.util.spec_from_file_location("make_notebooks", paths.REPO_ROOT / "tools" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_headline_measure_is_charted_in_the_committee_report_under_its_topic():
    gen = _notebook_generator()
    assert set(gen.TOPIC_SECTIONS) == set(Topic)
    cells = [c.source for c in gen.COMMITTEE.cells]
    for m in HEADLINE:
        trend = f'report.trend(ctx, "{m.id}")'
        assert cells.count(trend) == 1, m.id
        heading = cells.index(gen.TOPIC_SECTIONS[m.topic].words.strip())
        assert heading < cells.index(trend), m.id  # under its topic's heading
    # the named measures a section charts though not headline are declared, and not charted twice
    for section in gen.TOPIC_SECTIONS.values():
        assert all(i in MEASURES and not MEASURES[i].headline for i in section.also)


def test_the_measure_catalogue_in_docs_is_current():
    from analysis import paths
    from analysis.measures import catalogue_docs

    assert set(catalogue_docs.DERIVATION_WORDS) == set(Derivation) and set(catalogue_docs.PERIOD_WORDS) == set(Period)
    committed = (paths.DOCS / "measures.md").read_text(encoding="utf-8")
    assert committed == catalogue_docs.markdown(), "run `python -m analysis dictionary` and commit docs/measures.md"
    for m in MEASURES.values():
        assert f"## `{m.id}`: {m.label}" in committed
