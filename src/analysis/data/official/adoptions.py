"""Derive the adoptions extract from the official files (declared in ``analysis.data.specs.adoptions``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.official import areas as areas_extract
from analysis.data.official.area_lookup import area_names, ons_codes
from analysis.data.official.common import (
    ees_areas,
    finish,
    one_row_per_key,
    read_ees,
    require,
    split_measures,
    sum_or_missing,
    years,
)
from analysis.data.specs.adoptions import (
    ADOPTION_RELEASES,
    ADOPTIONS,
    EES_CEASED,
    EES_DISPENSED,
    EES_RELEASE,
    EES_SOURCE,
    EES_SPLIT,
    EES_SPLIT_SOURCE,
    EES_UNOPPOSED,
    EES_YEARS,
    SPECS,
    AdoptionRelease,
)
from analysis.errors import DataError, Problem

__all__ = ["SPECS", "derive", "adopted_total", "sum_or_missing"]

FOLDERS = ("adoptions", "dfe")  # derive(adoptions_dir, dfe_dir)

LEVELS = {"national": "national", "gor": "regional", "region": "regional", "la": "local_authority"}
ADOPTED, UNOPPOSED, DISPENSED = "adopted_count", "adopted_unopposed_count", "adopted_consent_dispensed_count"
SGO, CEASED = "special_guardianship_count", "ceased_count"


def adopted_total(
    parts: pd.DataFrame,
    total: pd.Series | None,
    total_status: pd.Series | None,
    split_source: str,
    total_source: str | None,
    rounded: pd.Series | None = None,
) -> pd.DataFrame:
    """The adopted total, its method, status and source from the two parts and an unsplit total.

    ``parts`` has ``adopted_unopposed_count`` and ``adopted_consent_dispensed_count`` with their
    ``_status`` columns. Both parts published: their sum (sum_of_parts). Otherwise the unsplit
    ``total`` where given and published (published_total), else missing (suppressed), with the
    unsplit total's marker where there is one, else the first suppressed part's.

    ``rounded`` (bool per row) marks England and regional rows, which DfE rounds to the nearest 10:
    there the published unsplit total is taken even when both parts are published, since two
    rounded parts need not add up to the rounded total (England 2011: 1,680 + 1,360 against 3,050).
    """
    values = parts[[UNOPPOSED, DISPENSED]]
    statuses = parts[[f"{UNOPPOSED}_status", f"{DISPENSED}_status"]]
    summed, summed_status = sum_or_missing(values, statuses.set_axis(values.columns, axis=1))
    prefer = rounded if rounded is not None else pd.Series(False, index=parts.index)
    use_total = (summed.isna() | prefer) & (total.notna() if total is not None else False)
    value = summed.where(~use_total, total if total is not None else np.nan)
    missing = value.isna()
    status = summed_status.where(missing, "")
    if total_status is not None:
        status = status.where(~(missing & total_status.fillna("").ne("")), total_status)
    method = np.where(use_total, "published_total", np.where(summed.notna(), "sum_of_parts", "suppressed"))
    source = np.where(use_total, total_source or "", split_source)
    return pd.DataFrame(
        {ADOPTED: value, f"{ADOPTED}_status": status, "adopted_method": method, "adopted_source_id": source},
        index=parts.index,
    )


def _old_rows(release: AdoptionRelease, folder: Path, areas: pd.DataFrame) -> pd.DataFrame:
    """One pre-2019 release: the CEA (ceased) file and, for 2011-2015, the ADP file's unsplit total."""
    path = folder / release.file
    raw = _read_old(path)
    rows = _old_geography(raw, path, release.year, areas)
    mapping = {release.ceased: CEASED, release.unopposed: UNOPPOSED, release.dispensed: DISPENSED}
    mapping |= {c: f"sgo part {i}" for i, c in enumerate(release.sgo)}
    measures = split_measures(raw, mapping, path)
    sgo_parts = [f"sgo part {i}" for i in range(len(release.sgo))]
    sgo, sgo_status = sum_or_missing(
        measures[sgo_parts], measures[[f"{p}_status" for p in sgo_parts]].set_axis(sgo_parts, axis=1)
    )
    rows[SGO], rows[f"{SGO}_status"] = sgo, sgo_status
    for col in (CEASED, UNOPPOSED, DISPENSED):
        rows[col], rows[f"{col}_status"] = measures[col], measures[f"{col}_status"]
    total = total_status = None
    if release.total_file:
        total, total_status = _unsplit_totals(release, folder, rows, areas)
    rows = rows.join(
        adopted_total(
            rows,
            total,
            total_status,
            release.source_id,
            release.total_source_id,
            rows["geographic_level"] != "local_authority",
        )
    )
    rows["release"] = release.label
    rows["source_id"] = release.source_id
    one_row_per_key(rows, ADOPTIONS.key, path)
    return rows


def _read_old(path: Path) -> pd.DataFrame:
    raw = read_ees(path)
    require(raw, ["geog_l", "geog_c", "geog_n"], path)
    raw["geog_l"] = raw["geog_l"].str.strip()
    return raw


def _old_geography(raw: pd.DataFrame, path: Path, year: int, areas: pd.DataFrame) -> pd.DataFrame:
    level = raw["geog_l"].str.lower().map(LEVELS)
    if level.isna().any():
        raise DataError(
            [
                Problem(str(path), int(line), "geog_l", f"unknown level {raw.at[line, 'geog_l']!r}")
                for line in raw.index[level.isna()]
            ]
        )
    rows = pd.DataFrame(
        {
            "geographic_level": level,
            "la_code": raw["geog_c"].str.strip().where(level == "local_authority"),
            "area_name": raw["geog_n"].str.strip(),
            "year": year,
        },
        index=raw.index,
    )
    rows["area_code"] = ons_codes(rows, areas, path)
    names = area_names(areas)
    # England and regions are written in capitals in most releases: use the areas extract's names.
    rows["area_name"] = rows["area_name"].where(level == "local_authority", rows["area_code"].map(names))
    return rows


def _unsplit_totals(
    release: AdoptionRelease, folder: Path, rows: pd.DataFrame, areas: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """The ADP file's total adopted, aligned to the CEA rows by area code."""
    path = folder / release.total_file  # type: ignore[operator]
    raw = _read_old(path)
    adp = _old_geography(raw, path, release.year, areas)
    adp = adp.join(split_measures(raw, {release.total: "total"}, path))  # type: ignore[dict-item]
    one_row_per_key(adp, ("area_code",), path)
    missing = set(rows["area_code"]) - set(adp["area_code"])
    if missing:
        raise DataError.single(path, f"no unsplit adoptions total for {', '.join(sorted(missing))}")
    by_area = adp.set_index("area_code")
    return (rows["area_code"].map(by_area["total"]), rows["area_code"].map(by_area["total_status"]))


def _ees_rows(folder: Path) -> pd.DataFrame:
    """2019-2023 from the 2022 to 2023 release: reasons ceased (ceased file) and the adoption split."""
    path = folder / EES_CEASED
    raw = read_ees(path, levels=True)
    require(raw, ["cla_group", "characteristic"], path)
    raw = raw[
        (raw["cla_group"] == "Reason episode ceased")
        & raw["characteristic"].isin(["Adopted", "Special guardianship orders", "Total"])
    ]
    wide = _ees_wide(raw, path, {"Adopted": "total", "Special guardianship orders": SGO, "Total": CEASED})
    split_path = folder / EES_SPLIT
    split = read_ees(split_path, levels=True)
    require(split, ["characteristic"], split_path)
    split = split[split["characteristic"].isin([EES_UNOPPOSED, EES_DISPENSED])]
    parts = _ees_wide(split, split_path, {EES_UNOPPOSED: UNOPPOSED, EES_DISPENSED: DISPENSED})
    rows = wide.merge(
        parts.drop(columns=["la_code", "area_name", "geographic_level"]),
        on=["area_code", "year"],
        how="left",
        validate="one_to_one",
    )
    if rows[UNOPPOSED + "_status"].isna().any():
        raise DataError.single(split_path, "an area and year of the ceased file has no adoption split")
    rows = rows.join(
        adopted_total(
            rows,
            rows["total"],
            rows["total_status"],
            EES_SPLIT_SOURCE,
            EES_SOURCE,
            rows["geographic_level"] != "local_authority",
        )
    )
    rows["release"] = EES_RELEASE
    rows["source_id"] = EES_SOURCE
    return rows


def _ees_wide(raw: pd.DataFrame, path: Path, mapping: dict[str, str]) -> pd.DataFrame:
    """Long EES rows (one per characteristic) -> one row per area and year, value and status per measure."""
    parts = []
    for characteristic, target in mapping.items():
        sub = raw[raw["characteristic"] == characteristic]
        geo = ees_areas(sub, path)
        part = geo.join(split_measures(sub, {"number": target}, path))
        part["year"] = years(sub, path)
        one_row_per_key(part, ("area_code", "year"), path)
        parts.append(part.set_index(["area_code", "year"]))
    wide = parts[0]
    for part in parts[1:]:
        wide = wide.join(part.drop(columns=["la_code", "area_name", "geographic_level"]), how="outer")
    wide = wide.reset_index()
    found = tuple(sorted(wide["year"].unique()))
    if found != EES_YEARS:
        raise DataError.single(path, f"expected the years {EES_YEARS}, found {found}")
    wide["la_code"] = wide["la_code"].replace("", pd.NA)
    return wide


def derive(adoptions_dir: Path, dfe_dir: Path) -> dict[str, pd.DataFrame]:
    """The adoptions extract, one row per area and year ending 31 March, 2010-2023."""
    areas = areas_extract.derive(dfe_dir)["areas"]
    frames = [_old_rows(r, adoptions_dir, areas).reset_index(drop=True) for r in ADOPTION_RELEASES]
    frames.append(_ees_rows(adoptions_dir))
    out = pd.concat(frames, ignore_index=True)
    # The 2023 release lists authorities in years they did not exist, every cell z: no row for them.
    absent = out[[f"{c}_status" for c in (ADOPTED, SGO, CEASED)]].eq("z").all(axis=1)
    out = out[~absent]
    for col in (ADOPTED, UNOPPOSED, DISPENSED, SGO, CEASED):
        out[f"{col}_status"] = out[f"{col}_status"].fillna("")
    return {"adoptions": finish(out, ADOPTIONS)}
