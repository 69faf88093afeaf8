"""Is a change between two years beyond chance? One test per measure, and the words that follow from it.

Rates (a Poisson count over a population or FTE): the exact conditional test of the rate ratio
(statsmodels ``test_poisson_2indep``, method ``exact-cond``: given the total count, the later
year's share is binomial). Percentages: the score test of the difference of two proportions
(statsmodels ``test_proportions_2indep``). Two-sided, at the 5% level. A figure flagged small
(``analysis.measures.uncertainty.is_small``) at either end is never called a change.

The three words for a measure with a better direction are ``improved``, ``worsened`` and
``no clear change``; for a rate with no better direction, ``rose``, ``fell`` and ``no clear change``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from statsmodels.stats.proportion import test_proportions_2indep
from statsmodels.stats.rates import test_poisson_2indep

from analysis.data.schema import Polarity
from analysis.measures.declaration import BasisKind

ALPHA = 0.05
IMPROVED, WORSENED, NO_CLEAR_CHANGE, ROSE, FELL = "improved", "worsened", "no clear change", "rose", "fell"


@dataclass(frozen=True)
class ChangeTest:
    """The test of one change: method, p-value and whether it is beyond chance.

    ``why`` is empty when the test ran; otherwise it says why there is no test (small numbers,
    no denominator published), and ``p_value`` is NaN.
    """

    method: str
    p_value: float
    small: bool
    why: str = ""

    @property
    def clear(self) -> bool:
        return not self.small and not self.why and self.p_value < ALPHA


def change_test(kind: str, before: tuple[float, float], after: tuple[float, float], small: bool = False) -> ChangeTest:
    """Test (numerator, denominator) ``before`` against ``after``; ``kind`` is ``rate`` or ``proportion``.

    Rates need a whole-number count and a positive exposure (population or FTE); proportions a
    numerator no larger than a positive denominator (FTE may be fractional). A NaN anywhere gives
    no test (``why`` = "no denominator published"); ``small`` gives no test either.
    """
    n1, d1 = before
    n2, d2 = after
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (n1, d1, n2, d2)) or min(d1, d2) <= 0:
        return ChangeTest("", math.nan, small, "no numerator and denominator published for both years")
    if small:
        return ChangeTest("", math.nan, True, "numbers too small to tell")
    if kind == BasisKind.RATE:
        res = test_poisson_2indep(round(n2), d2, round(n1), d1, method="exact-cond")
        return ChangeTest("exact conditional test of the rate ratio", float(res.pvalue), False)
    if kind == BasisKind.PROPORTION:
        if n1 == n2 == 0 or (n1 == d1 and n2 == d2):
            return ChangeTest("score test of the difference in proportions", 1.0, False)
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            # statsmodels also computes a ratio and odds ratio it does not use here: 0 in a denominator
            # there is harmless for the difference, so its warnings would only clutter a report
            warnings.simplefilter("ignore", RuntimeWarning)
            res = test_proportions_2indep(n2, d2, n1, d1, method="score", compare="diff")
        return ChangeTest("score test of the difference in proportions", float(res.pvalue), False)
    raise ValueError(f"unknown kind {kind!r}: rate or proportion")


def movement_word(polarity: Polarity, before: float, after: float, test: ChangeTest | None) -> str:
    """improved / worsened / no clear change (or rose / fell for neutral measures).

    Without a test (``test`` None: no denominator published for this measure) the direction alone is
    never called a change: the word is ``no clear change``.
    """
    if test is None or not test.clear or after == before:
        return NO_CLEAR_CHANGE
    if polarity == Polarity.NEUTRAL:
        return ROSE if after > before else FELL
    better = after < before if polarity == Polarity.LOWER_BETTER else after > before
    return IMPROVED if better else WORSENED
