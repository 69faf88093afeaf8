"""Funnel plots: every local authority against England, with limits that allow for over-dispersion.

Spiegelhalter DJ (2005) "Funnel plots for comparing institutional performance", Statistics in
Medicine 24:1185-1202, and "Handling over-dispersion of performance indicators", Quality and
Safety in Health Care 14:347-351. For a target theta0 (England's value) and an authority with
denominator n, the standard error under the null is s = sqrt(theta0 (1 - theta0) / n) for a
proportion and s = sqrt(theta0 / n) for a rate (Poisson), both on the published scale. Limits
are theta0 +/- z_p s at p = 95% and 99.8% (z = 1.96 and 3.09), truncated to the possible range.

Over-dispersion: z-scores z_i = (y_i - theta0) / s_i are Winsorised at the 10th and 90th
percentiles and phi = mean(z_w^2). When I phi > I - 1 (more spread than chance), we use the
additive random-effects model: tau^2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w), w = 1/s^2,
and limits theta0 +/- z_p sqrt(s^2 + tau^2). Additive rather than multiplicative because councils
differ in need and practice, a spread that does not shrink with size: a multiplicative factor
would still flag nearly every large council (docs/methods.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.mstats import winsorize

from analysis.measures.catalogue import MEASURES
from analysis.measures.comparators import ENGLAND
from analysis.measures.declaration import BasisKind

LEVELS = (0.95, 0.998)
WINSOR = 0.10
FUNNEL_MEASURES = tuple(m.id for m in MEASURES.values() if m.funnel)
"""The measures declared with a funnel plot (``Measure.funnel``)."""
FUNNEL_COLUMNS = [
    "measure",
    "year",
    "area_code",
    "value",
    "numerator",
    "denominator",
    "kind",
    "scale",
    "target",
    "se",
    "z",
    "lo95",
    "hi95",
    "lo998",
    "hi998",
    "position",
    "phi",
    "tau2",
    "n_areas",
    "small",
]
ABOVE, BELOW, WITHIN, WELL_ABOVE, WELL_BELOW = "above", "below", "within", "well above", "well below"


def null_se(target: float, denominator: np.ndarray, kind: str, scale: float) -> np.ndarray:
    """Standard error of a unit's value under the null (value = target), on the published scale."""
    n = np.asarray(denominator, dtype="float64")
    if kind == BasisKind.PROPORTION:
        p = target / scale
        return scale * np.sqrt(p * (1 - p) / n)
    if kind == BasisKind.RATE:
        return np.sqrt(target * scale / n)
    raise ValueError(f"unknown kind {kind!r}")


def overdispersion(z: np.ndarray, se: np.ndarray) -> tuple[float, float]:
    """(phi, tau2) from z-scores Winsorised at ``WINSOR``; tau2 = 0 when I phi <= I - 1 (no over-dispersion).

    ``se`` is each unit's null standard error (the weights are 1/se^2). Needs at least 3 units.
    """
    z, se = np.asarray(z, dtype="float64"), np.asarray(se, dtype="float64")
    n = len(z)
    if n < 3:
        raise ValueError("over-dispersion needs at least three units")
    zw = np.asarray(winsorize(z, limits=(WINSOR, WINSOR)))
    phi = float(np.mean(zw**2))
    if n * phi <= n - 1:
        return phi, 0.0
    w = 1 / se**2
    tau2 = (n * phi - (n - 1)) / (w.sum() - (w**2).sum() / w.sum())
    return phi, float(max(tau2, 0.0))


def limits(
    target: float, denominator: np.ndarray, kind: str, scale: float, tau2: float = 0.0, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Funnel limits at ``level`` for each denominator, with additive over-dispersion ``tau2`` (0 = none).

    Truncated at 0 (and at ``scale``, i.e. 100%, for a proportion).
    """
    z = stats.norm.ppf(1 - (1 - level) / 2)
    half = z * np.sqrt(null_se(target, denominator, kind, scale) ** 2 + tau2)
    top = scale if kind == BasisKind.PROPORTION else np.inf
    return np.clip(target - half, 0, top), np.clip(target + half, 0, top)


def position(value: float, lo95: float, hi95: float, lo998: float, hi998: float) -> str:
    """Where a value lies: well above / above / within / below / well below the expected range."""
    if value > hi998:
        return WELL_ABOVE
    if value > hi95:
        return ABOVE
    if value < lo998:
        return WELL_BELOW
    if value < lo95:
        return BELOW
    return WITHIN


def funnel_year(rows: pd.DataFrame, target: float, kind: str, scale: float) -> pd.DataFrame:
    """Limits, z-scores and positions for one measure and year.

    ``rows``: one row per local authority with value, numerator, denominator (all finite,
    denominator > 0). Returns ``rows`` with se, z, lo95, hi95, lo998, hi998, position, phi, tau2, n_areas.
    """
    out = rows.copy()
    out["target"] = target
    out["se"] = null_se(target, out["denominator"].to_numpy(), kind, scale)
    out["z"] = (out["value"] - target) / out["se"]
    phi, tau2 = overdispersion(out["z"].to_numpy(), out["se"].to_numpy())
    for level, tag in zip(LEVELS, ("95", "998"), strict=True):
        lo, hi = limits(target, out["denominator"].to_numpy(), kind, scale, tau2, level)
        out[f"lo{tag}"], out[f"hi{tag}"] = lo, hi
    out["position"] = [position(*r) for r in out[["value", "lo95", "hi95", "lo998", "hi998"]].to_numpy()]
    out["phi"], out["tau2"], out["n_areas"] = phi, tau2, len(out)
    return out


def funnels(intervals: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Every funnel: each measure in ``FUNNEL_MEASURES``, each year, every local authority with a value.

    ``intervals`` is ``analysis.measures.uncertainty.intervals``; ``areas`` the areas extract (to keep
    local authorities only). England's value from its own numerator and denominator is the target;
    a year without an England value, or with fewer than 3 authorities, has no funnel.
    """
    las = set(areas.loc[areas["geographic_level"] == "local_authority", "area_code"])
    parts = []
    for _, grp in intervals[intervals["measure"].isin(FUNNEL_MEASURES)].groupby(["measure", "year"]):
        eng = grp[grp["area_code"] == ENGLAND]
        if eng.empty or pd.isna(eng["estimate"].iloc[0]):
            continue
        kind, scale = eng["kind"].iloc[0], float(eng["scale"].iloc[0])
        rows = grp[grp["area_code"].isin(las) & grp["estimate"].notna() & (grp["denominator"] > 0)]
        rows = rows.rename(columns={"estimate": "value"})[
            ["measure", "year", "area_code", "value", "numerator", "denominator", "kind", "scale", "small"]
        ]
        if len(rows) < 3:
            continue
        parts.append(funnel_year(rows, float(eng["estimate"].iloc[0]), kind, scale))
    if not parts:
        return pd.DataFrame(columns=FUNNEL_COLUMNS)
    return pd.concat(parts, ignore_index=True)[FUNNEL_COLUMNS]
