"""What deprivation explains: each year, rates across all authorities modelled on child income deprivation.

For each measure declared with a deprivation panel (children on child protection plans, in
need, looked after, at 31 March) and each year, a negative binomial (NB2) regression across every
local authority with a count, a population and an IDACI score (statsmodels ``NegativeBinomial``):

    log E[count_i] = log(population_0_17_i) + b0 + b1 * idaci_i,  Var = mu + alpha mu^2

The authority's expected count is mu_i; observed/expected = count_i / mu_i. The 95% prediction
interval is the 2.5% and 97.5% quantiles of the fitted negative binomial for that authority
(scipy ``nbinom``) divided by mu_i: the range of ratios a council with that deprivation would show
without being unusual. Parameter uncertainty is left out (small beside alpha with ~150 councils).
This describes association, not cause: need, thresholds and practice all differ between councils.

Which edition and code stand for an authority in a year (``idaci_for``): the edition published
by 31 March of the year (2015 edition up to 2019, the 2019 edition from 2020), the 2015 edition
also for 2013-2015 (no earlier edition held); an authority present in only one edition uses
that one; codes of the same area renamed without a boundary change map to the edition's code
(``SAME_AREA``); an authority made from part of a county (North and West Northamptonshire,
Cumberland, Westmorland and Furness) has no score for its boundary and is left out, with the reason.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from analysis.measures.catalogue import MEASURES
from analysis.measures.uncertainty import basis_rows

MODEL_MEASURES = tuple(m.id for m in MEASURES.values() if m.deprivation_panel)
"""The measures declared with a deprivation panel (``Measure.deprivation_panel``)."""
SAME_AREA = {
    "E06000060": "E10000002",  # Buckinghamshire: unitary council on the county's boundary, 2020
    "E06000065": "E10000023",  # North Yorkshire: unitary council on the county's boundary, 2023
    "E06000066": "E10000027",  # Somerset: unitary council on the county's boundary, 2023
    "E08000038": "E08000016",  # Barnsley: new code after a minor boundary change, 2025
    "E08000039": "E08000019",  # Sheffield: new code after a minor boundary change, 2025
}
NO_SCORE = "no IDACI score published for this authority's boundary (made from part of a county)"
DEPRIVATION_COLUMNS = [
    "measure",
    "year",
    "area_code",
    "observed",
    "population",
    "edition",
    "idaci",
    "expected",
    "expected_rate",
    "ratio",
    "pi_lo",
    "pi_hi",
    "rank",
    "rank_of",
    "b_idaci",
    "alpha",
    "note",
]


def edition_for(year: int) -> int:
    """The Indices edition standing for 31 March of ``year``: the latest published by then (2015 before it)."""
    return 2019 if year >= 2020 else 2015


def score_index(scores: pd.DataFrame) -> dict[str, dict[int, float]]:
    """The deprivation extract as {area code: {edition: IDACI average score}}, for ``idaci_for``."""
    index: dict[str, dict[int, float]] = {}
    for code, edition, score in scores[["area_code", "year", "idaci_average_score"]].itertuples(index=False):
        index.setdefault(code, {})[int(edition)] = float(score)
    return index


def idaci_for(area_code: str, year: int, scores: dict[str, dict[int, float]]) -> tuple[float, int | None, str]:
    """(IDACI average score, edition used, note) for an authority in a year; (NaN, None, reason) if none.

    ``scores`` is ``score_index`` of the deprivation extract. See the module docstring for the rules.
    """
    code = SAME_AREA.get(area_code, area_code)
    have = scores.get(code, {})
    edition = edition_for(year)
    if edition in have:
        note = "" if code == area_code else f"score of {code}, the same area under its earlier code"
        return have[edition], edition, note
    if have:
        other = min(have)
        return have[other], other, f"authority only in the {other} edition"
    return np.nan, None, NO_SCORE


def fit_nb(count: np.ndarray, population: np.ndarray, score: np.ndarray):
    """Fit the NB2 model with offset log(population); returns the statsmodels results (params const, x1, alpha).

    Raises ValueError if fewer than 10 units or the fit does not converge.
    """
    # here, not at import: a report kernel reads the fitted table, never fits (and not statsmodels.api,
    # which imports every model: 0.24 s against 0.09 s)
    from statsmodels.discrete.discrete_model import NegativeBinomial

    count, population, score = (np.asarray(a, dtype="float64") for a in (count, population, score))
    if len(count) < 10:
        raise ValueError("the deprivation model needs at least ten authorities")
    exog = np.column_stack([np.ones_like(score), score])  # constant, then the IDACI score
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = NegativeBinomial(count, exog, loglike_method="nb2", offset=np.log(population)).fit(disp=0, maxiter=200)
    if not res.mle_retvals.get("converged", True):
        raise ValueError("the negative binomial model did not converge")
    return res


def nb_prediction_interval(mu: np.ndarray, alpha: float, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Quantiles of NB2(mean mu, Var = mu + alpha mu^2) at (1-level)/2 and (1+level)/2, as counts."""
    n = 1 / alpha
    p = n / (n + np.asarray(mu, dtype="float64"))
    return stats.nbinom.ppf((1 - level) / 2, n, p), stats.nbinom.ppf((1 + level) / 2, n, p)


def model_year(rows: pd.DataFrame) -> pd.DataFrame:
    """One measure and year: ``rows`` (area_code, observed, population, idaci) -> expected, ratio, interval, rank."""
    res = fit_nb(rows["observed"], rows["population"], rows["idaci"])
    const, b1, alpha = (float(v) for v in res.params)
    out = rows.copy()
    out["expected"] = np.exp(const + b1 * out["idaci"]) * out["population"]
    out["expected_rate"] = out["expected"] / out["population"] * 10_000
    out["ratio"] = out["observed"] / out["expected"]
    lo, hi = nb_prediction_interval(out["expected"].to_numpy(), alpha)
    out["pi_lo"], out["pi_hi"] = lo / out["expected"], hi / out["expected"]
    out["rank"] = out["ratio"].rank(ascending=False, method="min").astype(int)
    out["rank_of"] = len(out)
    out["b_idaci"], out["alpha"] = b1, alpha
    return out


def deprivation_models(extracts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every measure in ``MODEL_MEASURES``, every year with data: one row per local authority.

    Authorities without a count (suppressed), a population or a score are listed with NaN and the
    reason in ``note``, never imputed. Columns ``DEPRIVATION_COLUMNS``; ``observed`` and
    ``expected`` are counts of children, ``expected_rate`` per 10,000 children aged 0-17.
    """
    scores = score_index(extracts["deprivation"])
    areas = extracts["areas"]
    las = set(areas.loc[areas["geographic_level"] == "local_authority", "area_code"])
    parts = []
    for measure in MODEL_MEASURES:
        base = basis_rows(MEASURES[measure], extracts)
        base = base[base["area_code"].isin(las)]
        for year, grp in base.groupby("year"):
            rows = pd.DataFrame(
                {
                    "measure": measure,
                    "year": int(year),
                    "area_code": grp["area_code"].to_numpy(),
                    "observed": grp["numerator"].to_numpy(),
                    "population": grp["denominator"].to_numpy(),
                }
            )
            found = [idaci_for(a, int(year), scores) for a in rows["area_code"]]
            rows["idaci"] = [f[0] for f in found]
            rows["edition"] = pd.array([f[1] for f in found], dtype="Int64")
            rows["note"] = [f[2] for f in found]
            usable = rows["observed"].notna() & (rows["population"] > 0) & rows["idaci"].notna()
            rows.loc[rows["observed"].isna(), "note"] = "count suppressed or not published"
            rows.loc[rows["observed"].notna() & ~(rows["population"] > 0), "note"] = "no population estimate"
            if usable.sum() < 10:
                continue
            fitted = model_year(rows[usable])
            parts.append(pd.concat([fitted, rows[~usable]], ignore_index=True))
    if not parts:
        return pd.DataFrame(columns=DEPRIVATION_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["rank"] = out["rank"].astype("Int64")
    out["rank_of"] = out["rank_of"].astype("Int64")
    return out[DEPRIVATION_COLUMNS].sort_values(["measure", "year", "area_code"], kind="stable").reset_index(drop=True)
