"""The hand-curated local extracts: events, finance and quoted_figures."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import paths
from analysis.data.load import load
from analysis.data.registry import all_specs

LOCAL = ("events", "finance", "quoted_figures")
BLACKPOOL = "E06000009"
OFFICIAL_BASES = {"official_revenue_outturn", "official_revenue_account", "official_s251"}
# Free-text columns written by hand: none may reproduce a source's wording.
TEXT_COLUMNS = {
    "events": ("description", "date_note", "sequence_note"),
    "finance": ("note", "year_note", "conflict_note", "as_of"),
    "quoted_figures": ("description", "date_note", "measure_note"),
}
RUN = 12  # words


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return {name: load(name) for name in LOCAL}


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return load("sources")


def _one(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for col, value in where.items():
        mask &= frame[col] == value
    rows = frame[mask]
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return rows.iloc[0]


# --- loading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LOCAL)
def test_extract_loads_and_validates(name, frames):
    spec = all_specs()[name]
    assert spec.origin == "local"
    assert not any(c.status for c in spec.columns)
    frame = frames[name]
    assert len(frame) > 0
    assert list(frame.columns) == spec.column_names()
    assert set(frame["area_code"]) == {BLACKPOOL}


def test_local_module_has_no_derive():
    import analysis.data.specs.local as local

    assert not hasattr(local, "derive"), "local extracts are curated by hand, never re-derived"


# --- events --------------------------------------------------------------------------------------


def test_jan_2019_judgement_inadequate_with_sub_judgements(frames):
    row = _one(frames["events"], date="2019-01-17", event_type="judgement_published")
    assert row["framework"] == "ILACS"
    assert row["overall_judgement"] == "Inadequate"
    assert row["leadership_judgement"] == "Inadequate"
    assert row["help_protection_judgement"] == "Inadequate"
    assert row["children_in_care_judgement"] == "Requires improvement"
    assert row["confidence"] == "high"


def test_feb_2023_judgement_requires_improvement(frames):
    row = _one(frames["events"], date="2023-02-01", event_type="judgement_published")
    assert row["overall_judgement"] == "Requires improvement"
    assert row["leadership_judgement"] == "Requires improvement"
    assert row["help_protection_judgement"] == "Requires improvement"
    assert row["children_in_care_judgement"] == "Good"


def test_2012_inspection_is_a_cpi_and_2014_sif_has_all_sub_judgements(frames):
    cpi = _one(frames["events"], date="2012-07-13", event_type="judgement_published")
    assert cpi["framework"] == "CPI" and cpi["overall_judgement"] == "Inadequate"
    sif = _one(frames["events"], date="2014-09-08", event_type="judgement_published")
    subs = [
        "overall_judgement",
        "leadership_judgement",
        "help_protection_judgement",
        "children_in_care_judgement",
        "care_leavers_judgement",
        "adoption_judgement",
        "lscb_judgement",
    ]
    assert (sif[subs] == "Requires improvement").all()


def test_improvement_notice_nov_2012_month_precision(frames):
    row = _one(frames["events"], event_type="improvement_notice")
    assert row["date"] == "2012-11-01"
    assert row["date_precision"] == "month"
    assert row["source_id"] == "doc-communitycare-2015-07-10"


def test_focused_assurance_visit_from_the_2022_letter(frames):
    row = _one(frames["events"], event_type="assurance_visit")
    assert (row["date"], row["date_precision"]) == ("2021-02-01", "month")
    assert row["source_id"] == "doc-ofsted-mv-2022-07-19"


def test_fifth_monitoring_visit_stated(frames):
    row = _one(frames["events"], event_type="monitoring_visit", date="2022-06-14")
    assert row["date_end"] == "2022-06-15"
    assert "5th" in row["sequence_note"] and "stated" in row["sequence_note"]


def test_no_low_confidence_events(frames):
    assert set(frames["events"]["confidence"]) <= {"high", "medium"}


def test_event_dates_consistent(frames):
    ev = frames["events"]
    assert ev["date"].between("2011-01-01", "2024-12-31").all()
    month = ev[ev["date_precision"] == "month"]
    assert month["date"].str.endswith("-01").all(), "month precision uses the first day of the month"
    spans = ev[ev["date_end"].notna()]
    assert (spans["date_end"] >= spans["date"]).all()
    assert ev["date_note"].str.strip().ne("").all()


def test_required_event_types_present(frames):
    types = set(frames["events"]["event_type"])
    for t in (
        "inspection_fieldwork",
        "judgement_published",
        "monitoring_visit",
        "assurance_visit",
        "improvement_notice",
        "notice_lifted",
        "statutory_direction",
        "commissioner_review",
        "commissioner_decision",
        "commissioner_assessment",
        "direction_removed",
        "dcs_change",
        "jtai",
    ):
        assert t in types, t
    dcs = frames["events"].query("event_type == 'dcs_change'")
    assert dcs["person"].notna().all() and len(dcs) >= 4


def test_judgements_only_on_judgement_rows(frames):
    ev = frames["events"]
    judged = ev["overall_judgement"].notna() | ev["leadership_judgement"].notna()
    assert set(ev.loc[judged, "event_type"]) == {"judgement_published"}


# --- finance -------------------------------------------------------------------------------------


def test_financial_year_format(frames):
    fy = frames["finance"]["financial_year"].dropna()
    assert fy.str.fullmatch(r"\d{4}-\d{2}").all()
    start = fy.str[:4].astype(int)
    assert ((start + 1) % 100 == fy.str[5:].astype(int)).all()
    assert start.between(2011, 2023).all()


def test_unclear_year_rows_flagged(frames):
    fin = frames["finance"]
    unclear = fin[~fin["year_clear"].astype(bool)]
    # The figures whose year the research notes leave as "unclear (...)".
    for fid in (
        "fin-unclear-csc-overspend-2-1",
        "fin-unclear-cic-spend-forecast-15",
        "fin-2015-16-cs-overspend-forecast-2-7",
        "fin-2016-17-cs-overspend-outturn-5-4",
        "fin-2016-17-cs-spend-outturn-35-7",
        "fin-2017-18-cs-budget-38-4",
        "fin-unclear-cs-overspend-forecast-4-2",
        "fin-unclear-cs-overspend-forecast-2-2",
    ):
        assert fid in set(unclear["finance_id"]), fid
    assert unclear["year_note"].notna().all()
    # With no year at all, the year must be flagged unclear.
    assert not fin.loc[fin["financial_year"].isna(), "year_clear"].astype(bool).any()


def test_low_confidence_finance_rows_are_flagged(frames):
    fin = frames["finance"]
    low = fin[fin["confidence"] == "low"]
    assert len(low) > 0
    flagged = ~low["year_clear"].astype(bool) | low["conflict_note"].notna()
    assert flagged.all(), list(low.loc[~flagged, "finance_id"])


def test_council_and_official_bases_distinguishable(frames, sources):
    fin = frames["finance"]
    bases = set(fin["basis"])
    assert "council_reported" in bases and OFFICIAL_BASES & bases
    kinds = fin.merge(sources[["source_id", "kind"]], on="source_id", how="left")
    council = kinds[kinds["basis"] == "council_reported"]
    official = kinds[kinds["basis"].isin(OFFICIAL_BASES)]
    assert set(council["kind"]) <= {"news_report", "council_minutes"}
    assert set(official["kind"]) <= {"dataset_copy", "official_statistics"}
    # An official series is one figure per year and basis: never mixed with council figures.
    key = ["basis", "scope", "measure", "financial_year"]
    assert not official.duplicated(key).any()


def test_finance_spot_checks(frames):
    fin = frames["finance"].set_index("finance_id")
    assert fin.loc["fin-2019-20-cs-extra-investment-4-3", "value_gbp_m"] == pytest.approx(4.3)
    row = fin.loc["fin-2019-20-cs-overspend-forecast-9"]
    assert row["value_gbp_m"] == 9.0
    assert (row["value_bound"], row["measure"]) == ("approximate", "overspend_forecast")
    assert fin.loc["fin-2017-18-cs-overspend-outturn", "value_bound"] == "lower_bound"
    assert fin.loc["fin-2020-21-cs-overspend-forecast-11", "conflict_note"]


def test_duplicates_point_to_real_rows(frames):
    fin = frames["finance"]
    dup = fin.dropna(subset=["duplicate_of"])
    assert len(dup) > 0 and set(dup["duplicate_of"]) <= set(fin["finance_id"])
    table = fin.set_index("finance_id")
    same = ["value_gbp_m", "financial_year", "measure", "scope", "basis"]
    for fid, target in zip(dup["finance_id"], dup["duplicate_of"], strict=True):
        assert table.loc[fid, same].tolist() == table.loc[target, same].tolist(), fid


def test_no_headcounts_in_finance(frames):
    assert not frames["finance"]["finance_id"].str.contains("cla").any()
    assert set(frames["finance"]["measure"]) <= set(all_specs()["finance"].column("measure").allowed)


# --- quoted figures ------------------------------------------------------------------------------


def test_31_vacancies_figure(frames):
    row = _one(frames["quoted_figures"], figure_id="qf-2020-01-sw-vacancies-31")
    assert row["value"] == 31 and row["unit"] == "count"
    assert row["source_id"] == "doc-gazette-2020-01-24"
    assert row["measure"].startswith("workforce.")
    assert not bool(row["comparable"])


def test_required_quoted_figures(frames):
    qf = frames["quoted_figures"]
    expected = {  # value, unit, source
        "qf-2019-20-extra-staffing-4-3": (4.3, "gbp_m", "doc-gazette-2020-01-24"),
        "qf-2019-20-overspend-forecast-9": (9, "gbp_m", "doc-gazette-2020-01-24"),
        "qf-2022-06-cp-neglect-70": (70, "pct", "doc-ofsted-mv-2022-07-19"),
        "qf-2019-sw-starters-33": (33, "count", "doc-scrutiny-2019-getting-to-good"),
        "qf-2019-improvement-actions-85": (85, "count", "doc-scrutiny-2019-getting-to-good"),
        "qf-2019-senior-vacancies-2": (2, "count", "doc-scrutiny-2019-getting-to-good"),
    }
    table = qf.set_index("figure_id")
    for fid, (value, unit, source) in expected.items():
        row = table.loc[fid]
        assert (row["value"], row["unit"], row["source_id"]) == (pytest.approx(value), unit, source), fid
    assert table.loc["qf-2019-20-extra-staffing-4-3", "measure"] == "finance.extra_investment"
    assert table.loc["qf-2019-20-overspend-forecast-9", "measure"] == "finance.overspend_forecast"
    assert pd.isna(table.loc["qf-2019-improvement-actions-85", "measure"])
    cla = qf[qf["figure_id"].str.startswith("qf-cla-") & (qf["unit"] == "count")]
    assert len(cla) >= 15 and set(cla["confidence"]) == {"high", "medium", "low"}


def test_every_measure_names_a_real_extract_column(frames):
    specs = all_specs()
    qf = frames["quoted_figures"]
    for _, row in qf.iterrows():
        measure = row["measure"]
        if pd.isna(measure):
            assert row["measure_note"].strip(), f"{row['figure_id']}: empty measure needs a reason"
            continue
        extract, _, column = measure.partition(".")
        assert extract in specs, f"{row['figure_id']}: no extract named {extract!r}"
        spec = specs[extract]
        if extract == "finance":
            # The local finance extract is long: its "measure" column names the quantity.
            assert column in spec.column("measure").allowed, f"{row['figure_id']}: {measure}"
        else:
            assert column in spec.column_names(), f"{row['figure_id']}: {extract} has no column {column!r}"


def test_quoted_figure_dates(frames):
    qf = frames["quoted_figures"]
    unknown = qf["date_precision"] == "unknown"
    assert qf.loc[unknown, "date"].isna().all() and qf.loc[~unknown, "date"].notna().all()
    assert qf.loc[qf["date_precision"] == "month", "date"].str.endswith("-01").all()
    assert qf.loc[qf["date_precision"] == "year", "date"].str.endswith("-01-01").all()
    assert qf.loc[unknown, "confidence"].isin(["medium", "low"]).all()


# --- sources ---------------------------------------------------------------------------------------


def test_sources_registered_with_urls(frames, sources):
    reg = sources.set_index("source_id")
    for name, frame in frames.items():
        missing = set(frame["source_id"]) - set(reg.index)
        assert not missing, f"{name}: unregistered sources {missing}"
        for sid in set(frame["source_id"]):
            url = reg.loc[sid, "url"]
            assert isinstance(url, str) and url.startswith("http"), sid
    web = sources[sources["file"].isna()]
    assert web["url"].str.match(r"https?://").all()
    assert web["sha256"].isna().all()


# --- own wording -------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.findall(r"[a-z0-9£%']+", text)


def _runs(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_no_description_copies_the_documents(frames):
    folder = paths.shared_dir() / "sources"
    docs = sorted((folder / "documents").glob("*.txt")) if (folder / "documents").is_dir() else []
    if not docs:
        pytest.skip(f"source documents not present at {folder / 'documents'}; cannot check for copying")
    extra = [p for p in (folder / "timeline.md", folder / "finance.md") if p.exists()]
    corpus: set[tuple[str, ...]] = set()
    for p in docs + extra:
        corpus |= _runs(_words(p.read_text(encoding="utf-8")), RUN)
    copied = []
    for name, columns in TEXT_COLUMNS.items():
        frame = frames[name]
        for col in columns:
            for text in frame[col].dropna():
                hit = _runs(_words(text), RUN) & corpus
                if hit:
                    copied.append(f"{name}.{col}: {' '.join(sorted(hit)[0])}")
    assert not copied, copied
