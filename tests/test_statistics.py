"""Intervals, change tests, funnel limits and the deprivation model: published values and known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.measures.change import FELL, IMPROVED, NO_CLEAR_CHANGE, change_test, movement_word
from analysis.measures.deprivation_model import NO_SCORE, fit_nb, idaci_for, nb_prediction_interval, score_index
from analysis.measures.funnel_limits import funnel_year, limits, overdispersion, position
from analysis.measures.uncertainty import intervals, is_small, poisson_interval, wilson_interval


@pytest.mark.parametrize(
    ("num", "den", "lo", "hi"),
    [
        (81, 263, 0.2553, 0.3662),  # Newcombe (1998) Stat Med 17:857-872, table I, method 3 (Wilson score)
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
    ],
)
def test_wilson_interval_reproduces_newcombes_published_examples(num, den, lo, hi):
    got_lo, got_hi = wilson_interval(num, den)
    assert round(float(got_lo[0]), 4) == lo and round(float(got_hi[0]), 4) == hi


def test_byars_interval_reproduces_the_published_value_for_100_events():
    # Byar's limits for 100 observed events: 81.36 and 121.63 (as in public-health calculators)
    lo, hi = poisson_interval(100)
    assert round(float(lo[0]), 2) == 81.36 and round(float(hi[0]), 2) == 121.63


def test_small_counts_use_exact_limits_and_byars_is_close_to_exact_from_ten():
    lo, hi = poisson_interval([0, 9])
    assert lo[0] == 0 and round(float(hi[0]), 3) == 3.689  # exact 95% upper limit for 0 events
    assert round(float(lo[1]), 2) == 4.12 and round(float(hi[1]), 2) == 17.08  # exact limits for 9 events
    lo, hi = poisson_interval(10)
    # The guidance: Byar's within 0.2% of the exact limits (4.795, 18.390) from 10 events
    assert abs(lo[0] / 4.7954 - 1) < 0.002 and abs(hi[0] / 18.3904 - 1) < 0.002


def test_negative_count_is_an_error():
    with pytest.raises(ValueError, match="zero or more"):
        poisson_interval(-1)


def test_small_numbers_follow_the_declared_thresholds():
    assert is_small("rate", "children", 19, 30_000) and not is_small("rate", "children", 20, 30_000)
    assert is_small("proportion", "plans", 5, 19) and not is_small("proportion", "plans", 5, 20)
    assert is_small("proportion", "FTE", 1.0, 2.0) and not is_small("proportion", "FTE", 1.0, 10.0)
    assert is_small("rate", "FTE", 2332, 9.9)


def test_intervals_from_numerators_and_denominators_on_a_small_frame():
    pop = pd.DataFrame(
        {
            "area_code": ["A", "B"],
            "year": [2021, 2021],
            "population_0_17_at_30_june": [10_000, 20_000],
            "population_0_17_at_30_june_status": [np.nan, np.nan],
        }
    )
    cp = pd.DataFrame({"area_code": ["A", "B"], "year": [2022, 2022], "cp_plans_at_31_march_count": [100.0, np.nan]})
    started = pd.DataFrame(
        {
            "area_code": ["A"],
            "year": [2022],
            "cp_plans_second_or_subsequent_count": [81.0],
            "cp_plans_started_count": [263.0],
        }
    )
    out = intervals({"population": pop, "cp_plans_at_31_march": cp, "cp_plans_started": started})
    a = out[(out["measure"] == "cp_rate") & (out["area_code"] == "A")].iloc[0]
    assert a["estimate"] == 100.0 and round(a["lower"], 2) == 81.36 and round(a["upper"], 2) == 121.63
    assert a["method"].startswith("Byar")
    b = out[(out["measure"] == "cp_rate") & (out["area_code"] == "B")].iloc[0]
    assert np.isnan(b["lower"]) and "suppressed or not published" in b["note"]  # never imputed
    r = out[out["measure"] == "cp_repeat"].iloc[0]
    assert (round(r["lower"], 2), round(r["upper"], 2)) == (25.53, 36.62) and r["method"] == "Wilson score"


def test_repeat_plans_25_1_to_24_7_percent_is_no_clear_change():
    t = change_test("proportion", (124, 495), (94, 380))
    assert not t.clear and t.p_value > 0.5
    assert movement_word("lower_better", 25.1, 24.7, t) == NO_CLEAR_CHANGE


def test_a_large_fall_in_a_rate_is_beyond_chance():
    t = change_test("rate", (399, 28_402), (296, 27_819))
    assert t.clear and t.p_value < 0.001
    assert movement_word("neutral", 140.5, 106.4, t) == FELL
    assert movement_word("lower_better", 140.5, 106.4, t) == IMPROVED


def test_small_numbers_are_never_called_a_change():
    t = change_test("proportion", (1.0, 2.0), (2.0, 2.0), small=True)
    assert t.small and not t.clear and t.why == "numbers too small to tell"
    assert movement_word("lower_better", 50.0, 100.0, t) == NO_CLEAR_CHANGE
    assert movement_word("lower_better", 50.0, 100.0, None) == NO_CLEAR_CHANGE  # no denominator: no word


# PHEindicatormethods (UK public-health R package) test outputs for proportion funnels, target 80.642448%:
# (denominator, lower 95%, upper 95%, lower 99.8%, upper 99.8%)
PHE_FUNNEL = [
    (50, 69.691035, 91.593861, 63.375595, 97.909301),
    (1008, 78.203374, 83.081521, 76.796814, 84.488082),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]


@pytest.mark.parametrize(("n", "lo95", "hi95", "lo998", "hi998"), PHE_FUNNEL)
def test_funnel_limits_reproduce_published_proportion_funnel(n, lo95, hi95, lo998, hi998):
    got = [limits(80.642448, np.array([n]), "proportion", 100, 0.0, level)[i][0] for level in (0.95, 0.998) for i in (0, 1)]
    assert np.allclose(got, [lo95, hi95, lo998, hi998], atol=1e-5)


def test_overdispersion_winsorises_and_estimates_tau2_by_hand():
    z = np.array([-4, -2, -1, -1, 0, 0, 1, 1, 2, 4], dtype=float)
    # Winsorised at 10%: -4 -> -2 and 4 -> 2, so phi = 20/10 = 2; tau2 = (10*2 - 9) / (10 - 1)
    phi, tau2 = overdispersion(z, np.ones(10))
    assert phi == 2.0 and tau2 == pytest.approx(11 / 9)
    assert overdispersion(np.array([-1, 0.5, 0, 0.2, -0.3]), np.ones(5))[1] == 0.0


def test_funnel_positions_and_rate_limits():
    rows = pd.DataFrame(
        {
            "area_code": list("ABCDE"),
            "value": [50.0, 40.0, 45.0, 150.0, 10.0],
            "numerator": [50, 40, 45, 150, 10],
            "denominator": [10_000.0] * 5,
        }
    )
    out = funnel_year(rows, 50.0, "rate", 10_000).set_index("area_code")
    # rate per 10,000 with target 50 and n = 10,000: Poisson s.e. = sqrt(50 * 10,000 / 10,000) ~ 7.07
    assert out.loc["A", "se"] == pytest.approx(np.sqrt(50))
    assert out.loc["A", "position"] == "within"
    assert position(120.0, 30, 70, 20, 80) == "well above" and position(25.0, 30, 70, 20, 80) == "below"


def test_negative_binomial_model_recovers_a_known_coefficient():
    rng = np.random.default_rng(12)
    n = 1500
    population = rng.uniform(5_000, 100_000, n)
    score = rng.uniform(0.05, 0.40, n)
    b0, b1, alpha = np.log(40 / 10_000), 3.0, 0.1
    mu = np.exp(b0 + b1 * score) * population
    counts = stats.nbinom.rvs(1 / alpha, 1 / (1 + alpha * mu), random_state=rng)
    res = fit_nb(counts, population, score)
    const, slope, a = res.params
    assert abs(slope - b1) < 0.25 and abs(const - b0) < 0.1 and abs(a - alpha) < 0.02


def test_prediction_interval_tends_to_poisson_without_overdispersion():
    lo, hi = nb_prediction_interval(np.array([100.0]), 1e-8)
    assert (lo[0], hi[0]) == (stats.poisson.ppf(0.025, 100), stats.poisson.ppf(0.975, 100))


def test_indices_codes_map_to_each_years_authorities():
    scores = pd.DataFrame(
        {
            "area_code": ["E06000009", "E06000009", "E10000002", "E10000002", "E06000058", "E10000021", "E10000021"],
            "year": [2015, 2019, 2015, 2019, 2019, 2015, 2019],
            "idaci_average_score": [0.329, 0.307, 0.1, 0.09, 0.15, 0.168, 0.142],
        }
    )
    scores = score_index(scores)
    assert idaci_for("E06000009", 2013, scores)[:2] == (0.329, 2015)
    assert idaci_for("E06000009", 2022, scores)[:2] == (0.307, 2019)
    assert idaci_for("E06000060", 2022, scores)[:2] == (0.09, 2019)  # Buckinghamshire under its earlier code
    assert idaci_for("E06000058", 2019, scores)[:2] == (0.15, 2019)  # BCP exists only in the 2019 edition
    score, edition, note = idaci_for("E06000061", 2022, scores)  # North Northamptonshire: part of a county
    assert np.isnan(score) and edition is None and note == NO_SCORE


def test_build_declares_every_extract_the_all_area_statistics_read():
    from analysis.measures.catalogue import MEASURES
    from analysis.measures.tables import TABLES

    read = {b.extract for m in MEASURES.values() for b in m.bases} | {"areas", "population", "deprivation"}
    for name in ("intervals", "funnels", "deprivation"):
        assert read <= set(TABLES[name].sources) and not TABLES[name].per_area


def test_a_zero_proportion_is_tested_without_warnings_cluttering_a_report():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = change_test("proportion", (0.0, 10.0), (3.0, 20.0))
    assert 0 < t.p_value < 1 and t.method.startswith("score test")
