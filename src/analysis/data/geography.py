"""One geography of local authorities: the areas extract joined to the declared change list.

An authority is identified by its DfE 3-digit code, which stays the same when only its ONS code
changes (``analysis.data.specs.authority_changes``: kinds ``new_code`` and ``boundary``). For each one this
gives every ONS code it has had with the dates it was in use, the reporting years it existed,
and the authorities it replaced or that replaced it (mergers and splits, which are series breaks).

Existence comes from the change list: an authority created by a merger or split exists from the
reporting year of the change, one abolished by one up to that year; all others span the data.
Rows that DfE marks ``z`` (not applicable) never make an authority exist (the areas extract
counts only rows with a value). Sources: the areas extract (DfE's EES files and ONS population
estimates, see data/raw/sources.csv) and the change list's ``sources``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.data.specs.authority_changes import CHANGES, KINDS, Change, Unit

ENGLAND = "E92000001"


@dataclass(frozen=True)
class OnsCode:
    """An ONS code and the ISO dates it was in use (None: before or after the data's years)."""

    code: str
    since: str | None
    until: str | None

    def text(self) -> str:
        if self.since and self.until:
            return f"{self.code} ({self.since} to {self.until})"
        if self.since:
            return f"{self.code} (from {self.since})"
        return f"{self.code} (to {self.until})" if self.until else self.code


@dataclass(frozen=True)
class Authority:
    """One upper-tier local authority over time, keyed by its DfE code.

    ``first_year``/``last_year`` are the reporting years it existed in, bounded by the data's
    years; ``predecessors``/``successors`` are the authorities a merger or split linked it to.
    """

    la_code: str
    name: str
    region_code: str | None
    region_name: str | None
    codes: tuple[OnsCode, ...]
    first_year: int
    last_year: int
    began: str | None
    ended: str | None
    predecessors: tuple[Unit, ...]
    successors: tuple[Unit, ...]
    changes: tuple[Change, ...]

    @property
    def ons_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes)

    def code_on(self, date: str) -> str:
        """The ONS code in use on ISO date ``date`` (the first or last one outside their span)."""
        for c in self.codes:
            if (c.since is None or c.since <= date) and (c.until is None or date <= c.until):
                return c.code
        return self.codes[0].code if date < (self.codes[0].since or "") else self.codes[-1].code

    def existed(self, start: int, end: int) -> bool:
        return self.first_year <= end and self.last_year >= start

    @property
    def label(self) -> str:
        return f"{self.name} ({self.la_code})"

    def codes_line(self) -> str:
        """One line naming the ONS codes the series spans, e.g. 'E10000023 (to 2023-03-31), E06000065 ...'."""
        if len(self.codes) == 1:
            return f"ONS code {self.codes[0].code}"
        return "ONS codes " + ", ".join(c.text() for c in self.codes)


def _listed(units: tuple[Unit, ...]) -> str:
    """'A (1)', 'A (1) and B (2)', 'A (1), B (2) and C (3)'."""
    names = [f"{u.name} ({u.la_code})" for u in units]
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]])) if names else ""


def _day_before(iso: str) -> str:
    return f"{pd.Timestamp(iso) - pd.Timedelta(days=1):%Y-%m-%d}"


class Geography:
    """Every local authority in the areas extract, with the declared changes applied."""

    def __init__(self, areas: pd.DataFrame, changes: tuple[Change, ...] = CHANGES):
        self.areas = areas
        las = areas[areas["geographic_level"] == "local_authority"]
        england = areas[areas["area_code"] == ENGLAND]
        frame = las if england.empty else england
        self.first_year, self.last_year = int(frame["first_year"].min()), int(frame["last_year"].max())
        self.authorities: dict[str, Authority] = {}
        latest_rows: dict[str, dict] = {}
        for row in las.sort_values(["last_year", "first_year"], kind="stable").to_dict("records"):
            latest_rows[str(row["la_code"])] = row  # the authority's most recent ONS code wins
        for la in sorted(latest_rows):
            self.authorities[la] = self._authority(la, latest_rows[la], changes)

    def _authority(self, la: str, latest: dict, changes: tuple[Change, ...]) -> Authority:
        mine = tuple(c for c in changes if la in {u.la_code for u in c.before + c.after})
        # ONS codes in date order: a same-authority change ends one and starts the next
        switches = sorted(
            (c.date, u.ons_code, v.ons_code)
            for c in mine
            if c.same_authority
            for u, v in zip(c.before, c.after, strict=True)
            if u.la_code == la
        )
        codes: list[OnsCode] = []
        since: str | None = None
        for date, old, _new in switches:
            codes.append(OnsCode(old, since, _day_before(date)))
            since = date
        codes.append(OnsCode(switches[-1][2] if switches else str(latest["area_code"]), since, None))
        began = next(
            (
                c.date
                for c in mine
                if not c.same_authority and la in {u.la_code for u in c.after} and la not in {u.la_code for u in c.before}
            ),
            None,
        )
        ended = next(
            (
                c.date
                for c in mine
                if not c.same_authority and la in {u.la_code for u in c.before} and la not in {u.la_code for u in c.after}
            ),
            None,
        )
        preds = tuple(
            u
            for c in mine
            if not c.same_authority and la in {x.la_code for x in c.after}
            for u in c.before
            if u.la_code != la
        )
        succs = tuple(
            u
            for c in mine
            if not c.same_authority and la in {x.la_code for x in c.before}
            for u in c.after
            if u.la_code != la
        )
        return Authority(
            la_code=la,
            name=str(latest["area_name"]),
            region_code=latest["region_code"] if pd.notna(latest["region_code"]) else None,
            region_name=latest["region_name"] if pd.notna(latest["region_name"]) else None,
            codes=tuple(codes),
            first_year=int(began[:4]) if began else self.first_year,
            last_year=int(ended[:4]) if ended else self.last_year,
            began=began,
            ended=ended,
            predecessors=preds,
            successors=succs,
            changes=mine,
        )

    # ------------------------------------------------------------------ lookups

    def existing(self, start: int, end: int) -> list[Authority]:
        """The authorities that existed in some reporting year of ``start``..``end``, by DfE code."""
        return [a for a in self.authorities.values() if a.existed(start, end)]

    def by_ons_code(self, code: str) -> Authority | None:
        return next((a for a in self.authorities.values() if code in a.ons_codes), None)

    def find(self, query: str | int, start: int | None = None, end: int | None = None) -> Authority:
        """The authority a DfE code ("890"), any ONS code it has had ("E06000009") or its name means.

        A name two authorities have had (Dorset 835 to 2019, Dorset 838 from 2019) picks the one
        that existed in ``start``..``end``. Raises ValueError with one line when nothing or more than
        one authority matches.
        """
        text = str(query).strip()
        if text.upper().startswith("E") and text[1:].isdigit():
            found = self.by_ons_code(text.upper())
            hits = [found] if found else []
        elif text.isdigit():
            hits = [self.authorities[text.zfill(3)]] if text.zfill(3) in self.authorities else []
        else:
            hits = [a for a in self.authorities.values() if a.name.casefold() == text.casefold()]
            if len(hits) > 1 and start is not None and end is not None:
                hits = [a for a in hits if a.existed(start, end)] or hits
        if not hits:
            raise ValueError(
                f"no local authority matches {text!r}: give a DfE code (890), an ONS code (E06000009) or a name (Blackpool)"
            )
        if len(hits) > 1:
            raise ValueError(
                f"{text!r} matches several authorities: "
                + ", ".join(f"{a.label} {a.first_year}-{a.last_year}" for a in hits)
                + "; give the DfE code"
            )
        return hits[0]

    def not_existing_reason(self, auth: Authority, start: int, end: int) -> str | None:
        """None if ``auth`` existed in the period; else one line naming when it existed and who covers it."""
        if auth.existed(start, end):
            return None
        when = f"{start}-{end}" if start != end else str(start)
        if end < auth.first_year:
            others = _listed(auth.predecessors)
            return (
                f"{auth.label} did not exist in {when}: it was created on {auth.began} "
                f"(reporting years {auth.first_year}-{auth.last_year})"
                + (f"; {others} {'covers' if len(auth.predecessors) == 1 else 'cover'} those years" if others else "")
            )
        others = _listed(auth.successors)
        return (
            f"{auth.label} did not exist in {when}: it was abolished on {auth.ended} "
            f"(reporting years {auth.first_year}-{auth.last_year})"
            + (f"; {others} {'covers' if len(auth.successors) == 1 else 'cover'} those years" if others else "")
        )


@lru_cache(maxsize=8)
def _cached(path: str, mtime_ns: int) -> Geography:
    from analysis.data.load import load

    return Geography(load("areas", Path(path)))


def geography(raw_dir: Path | None = None) -> Geography:
    """The geography of the areas extract under ``raw_dir`` (default data/raw), cached per file version."""
    from analysis import paths

    raw_dir = Path(raw_dir or paths.DATA_RAW)
    stamp = (raw_dir / "official" / "areas.csv").stat().st_mtime_ns
    return _cached(str(raw_dir), stamp)


def changes_markdown(changes: tuple[Change, ...] = CHANGES) -> str:
    """The change list as a markdown table (date, kind, before, after, one series?), as in docs/geography.md."""

    def side(units: tuple[Unit, ...]) -> str:
        return "; ".join(f"{u.name} ({u.la_code}, {u.ons_code})" for u in units)

    lines = [
        "| Date | Kind | Before (DfE code, ONS code) | After (DfE code, ONS code) | One series? |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {c.date} | {KINDS[c.kind]} | {side(c.before)} | {side(c.after)} | "
        f"{'yes' if c.same_authority else 'no: series break'} |"
        for c in changes
    ]
    return "\n".join(lines) + "\n"
