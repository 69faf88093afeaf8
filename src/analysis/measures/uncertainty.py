"""How precise is each published figure? Intervals where a numerator and a denominator are published.

A rate per 10,000 children is a count of children over a population: its 95% interval treats the
count as Poisson (Byar's approximation from 10 events, exact chi-square limits below 10, as UK
public-health practice does: OHID Fingertips). A percentage is a numerator over a denominator:
Wilson score interval. Workforce percentages use DfE's published full-time-equivalent (FTE)
numerators and denominators; caseload (cases per case-holding FTE) is treated as a rate of cases
per FTE. A measure or year with no published denominator gets no interval, with the reason.

Each catalogue measure declares, per extract behind it, its numerator and denominator columns
(``Measure.bases``); ``intervals`` builds one long table for every area and year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis.measures.catalogue import MEASURES
from analysis.measures.declaration import POPULATION, BasisKind, DenominatorUnit, Measure
from analysis.measures.indicators import POPULATION_COLUMN, POPULATION_LAG_YEARS

SMALL_EVENTS = 20
"""Fewer events than this (a rate's count, a percentage's denominator of children or plans): too few to call a change."""
SMALL_FTE = 10.0
"""A staff group (a workforce percentage's or caseload's FTE denominator) under this many FTE: too few to call a change."""
BYAR_FROM = 10
"""Byar's approximation from this many events; exact (chi-square) Poisson limits below it."""

INTERVAL_COLUMNS = [
    "measure",
    "area_code",
    "year",
    "kind",
    "numerator",
    "denominator",
    "denominator_unit",
    "scale",
    "estimate",
    "lower",
    "upper",
    "method",
    "small",
    "note",
]


METHOD_NAMES = {
    "byar": "Byar's approximation to Poisson limits",
    "exact": "exact Poisson limits (chi-square)",
    "wilson": "Wilson score",
}


def poisson_interval(count: np.ndarray | float, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Limits for a Poisson count: Byar's approximation from ``BYAR_FROM`` events, exact below.

    Byar's (Breslow and Day 1987, as OHID Fingertips uses it): lower = O(1 - 1/(9O) - z/(3 sqrt O))^3,
    upper = (O+1)(1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3. Exact: chi2(a/2, 2O)/2 and chi2(1-a/2, 2O+2)/2.
    ``count`` >= 0 (array or scalar); returns (lower, upper) arrays of counts. NaN stays NaN.
    """
    o = np.atleast_1d(np.asarray(count, dtype="float64"))
    if (o < 0).any():
        raise ValueError("a count must be zero or more")
    a = 1 - level
    z = stats.norm.ppf(1 - a / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        byar_lo = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        byar_hi = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
        exact_lo = np.where(o > 0, stats.chi2.ppf(a / 2, 2 * o) / 2, 0.0)
        exact_hi = stats.chi2.ppf(1 - a / 2, 2 * o + 2) / 2
    use_byar = o >= BYAR_FROM
    return np.where(use_byar, byar_lo, exact_lo), np.where(use_byar, byar_hi, exact_hi)


def wilson_interval(
    numerator: np.ndarray | float, denominator: np.ndarray | float, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits of a proportion (0-1), via statsmodels; numerator <= denominator, denominator > 0."""
    n = np.atleast_1d(np.asarray(numerator, dtype="float64"))
    d = np.atleast_1d(np.asarray(denominator, dtype="float64"))
    ok = np.isfinite(n) & np.isfinite(d) & (d > 0)
    lo, hi = np.full(n.shape, np.nan), np.full(n.shape, np.nan)
    if ok.any():
        lo[ok], hi[ok] = proportion_confint(n[ok], d[ok], alpha=1 - level, method="wilson")
    return lo, hi


def is_small(kind: str, unit: str, numerator: float, denominator: float) -> bool:
    """Too few to call a change: under ``SMALL_EVENTS`` events (children, plans, referrals) or ``SMALL_FTE`` FTE.

    ``kind`` is a ``BasisKind`` and ``unit`` a ``DenominatorUnit`` (or their values, as a table holds them).
    """
    if unit == DenominatorUnit.FTE:
        return bool(denominator < SMALL_FTE or (kind == BasisKind.RATE and numerator < SMALL_EVENTS))
    return bool((numerator if kind == BasisKind.RATE else denominator) < SMALL_EVENTS)


def _population(extracts: dict[str, pd.DataFrame]) -> pd.Series:
    pop = extracts["population"]
    return pop.set_index(["area_code", "year"])[POPULATION_COLUMN].astype("float64")


def basis_rows(measure: Measure, extracts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Numerator and denominator of ``measure`` for every area and year its segments cover.

    Columns: area_code, year, numerator, denominator, kind, scale, denominator_unit, note. A year
    whose segment has no declared basis (e.g. a rate published without its population) is left out.
    """
    parts = []
    for seg in measure.segments:
        basis = next((b for b in measure.bases if b.extract == seg.extract), None)
        if basis is None or seg.extract not in extracts:
            continue
        frame = extracts[seg.extract]
        frame = frame[frame["year"].between(seg.first, seg.last)]
        if seg.release:
            frame = frame[frame["release"] == seg.release]
        out = pd.DataFrame(
            {
                "area_code": frame["area_code"].astype(str),
                "year": frame["year"].astype(int),
                "numerator": frame[basis.numerator].astype("float64"),
            }
        )
        if basis.denominator == POPULATION:
            pop = _population(extracts)
            keys = list(zip(out["area_code"], out["year"] - POPULATION_LAG_YEARS, strict=True))
            out["denominator"] = pop.reindex(keys).to_numpy()
            out["note"] = "children aged 0-17 at 30 June of the previous year (ONS)"
        else:
            out["denominator"] = (
                frame[list(basis.denominator)].astype("float64").sum(axis=1, min_count=len(basis.denominator)).to_numpy()
            )
            out["note"] = " + ".join(basis.denominator)
        out["kind"], out["scale"], out["denominator_unit"] = basis.kind.value, basis.scale, basis.unit.value
        parts.append(out)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def intervals(extracts: dict[str, pd.DataFrame], level: float = 0.95) -> pd.DataFrame:
    """95% intervals for every measure with a declared basis, every area and year (``INTERVAL_COLUMNS``).

    ``estimate``, ``lower`` and ``upper`` are in the measure's published unit (per 10,000, %, per
    FTE); ``small`` marks figures too small to call a change. Where the numerator or denominator is
    suppressed or missing, the limits are NaN and ``note`` says so; nothing is imputed.
    """
    parts = []
    for m in MEASURES.values():
        rows = basis_rows(m, extracts)
        if rows.empty:
            continue
        rows.insert(0, "measure", m.id)
        parts.append(rows)
    if not parts:
        return pd.DataFrame(columns=INTERVAL_COLUMNS)
    t = pd.concat(parts, ignore_index=True)
    have = t["numerator"].notna() & t["denominator"].notna() & (t["denominator"] > 0)
    t["estimate"] = np.where(have, t["numerator"] / t["denominator"].where(have) * t["scale"], np.nan)
    lo, hi = np.full(len(t), np.nan), np.full(len(t), np.nan)
    rate = have & (t["kind"] == BasisKind.RATE)
    if rate.any():
        plo, phi = poisson_interval(t.loc[rate, "numerator"].round().to_numpy(), level)
        lo[rate.to_numpy()] = plo / t.loc[rate, "denominator"].to_numpy() * t.loc[rate, "scale"].to_numpy()
        hi[rate.to_numpy()] = phi / t.loc[rate, "denominator"].to_numpy() * t.loc[rate, "scale"].to_numpy()
    prop = have & (t["kind"] == BasisKind.PROPORTION)
    if prop.any():
        wlo, whi = wilson_interval(t.loc[prop, "numerator"].to_numpy(), t.loc[prop, "denominator"].to_numpy(), level)
        lo[prop.to_numpy()], hi[prop.to_numpy()] = wlo * 100, whi * 100
    t["lower"], t["upper"] = lo, hi
    counts = t["numerator"].round()
    t["method"] = np.where(
        ~have,
        "",
        np.where(
            t["kind"] == BasisKind.PROPORTION,
            METHOD_NAMES["wilson"],
            np.where(counts >= BYAR_FROM, METHOD_NAMES["byar"], METHOD_NAMES["exact"]),
        ),
    )
    t["small"] = [
        have_ and is_small(k, u, n, d)
        for have_, k, u, n, d in zip(have, t["kind"], t["denominator_unit"], t["numerator"], t["denominator"], strict=True)
    ]
    t["note"] = np.where(
        have, "denominator: " + t["note"], "no interval: numerator or denominator suppressed or not published"
    )
    return t[INTERVAL_COLUMNS].sort_values(["measure", "area_code", "year"], kind="stable").reset_index(drop=True)
