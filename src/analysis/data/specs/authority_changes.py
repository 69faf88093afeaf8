"""Local authorities across time: every change to an upper-tier authority's code or area, 2012-2025.

This is the one declared list of changes the project knows (docs/geography.md explains the rules).
``analysis.data.geography`` joins it to the areas extract to give every authority its DfE code,
the ONS codes it has had with their dates, the years it existed, and its predecessors and
successors. Pure Python: no pandas.

Kinds of change:

- ``new_code``: the same council and area under a new ONS code (a county council replaced by a
  unitary council on the same boundary). One authority, one DfE code: its series run on.
- ``boundary``: the same council with a small boundary change and a new ONS code, DfE code kept.
  Treated as one authority: DfE publishes one continuous series under the DfE code.
- ``merger`` and ``split``: councils abolished and new ones created, with new DfE codes. The
  series stop and start; figures before and after are for different areas and are never joined.

Every change took effect on 1 April. Figures at 31 March of that year (children in need, child
protection, looked after) are the predecessors'; workforce figures at 30 September of that year
are the successors'. So in reporting year Y of a change, a predecessor has its last year and a
successor its first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["new_code", "boundary", "merger", "split"]

KINDS: dict[str, str] = {
    "new_code": "same authority, new ONS code",
    "boundary": "same authority, boundary change and new ONS code",
    "merger": "merger: authorities abolished and replaced",
    "split": "split: an authority abolished and divided",
}
SAME_AUTHORITY: tuple[str, ...] = ("new_code", "boundary")


@dataclass(frozen=True)
class Unit:
    """One authority on one side of a change: DfE 3-digit code, ONS code and name."""

    la_code: str
    ons_code: str
    name: str


@dataclass(frozen=True)
class Change:
    """A change on ``date`` (ISO, 1 April): ``before`` ceased to exist in that form, ``after`` took over.

    ``sources`` are ids in data/raw/sources.csv whose files show the codes on each side;
    ``legislation`` names the order that made the change, where one is cited.
    """

    date: str
    kind: Kind
    before: tuple[Unit, ...]
    after: tuple[Unit, ...]
    description: str
    sources: tuple[str, ...]
    legislation: str = ""

    @property
    def year(self) -> int:
        return int(self.date[:4])

    @property
    def same_authority(self) -> bool:
        return self.kind in SAME_AUTHORITY


_EES = ("dfe-cin-b1-2025", "dfe-csww-2025")

CHANGES: tuple[Change, ...] = (
    Change(
        "2013-04-01",
        "boundary",
        (Unit("390", "E08000020", "Gateshead"), Unit("929", "E06000048", "Northumberland")),
        (Unit("390", "E08000037", "Gateshead"), Unit("929", "E06000057", "Northumberland")),
        "Boundary change between Gateshead and Northumberland; both kept their DfE codes. DfE's files "
        "give every year under the new ONS codes, so the old ones appear in none of the extracts.",
        _EES,
    ),
    Change(
        "2019-04-01",
        "merger",
        (Unit("837", "E06000028", "Bournemouth"), Unit("836", "E06000029", "Poole"), Unit("835", "E10000009", "Dorset")),
        (Unit("839", "E06000058", "Bournemouth, Christchurch and Poole"), Unit("838", "E06000059", "Dorset")),
        "Bournemouth, Poole and Dorset County Council replaced by Bournemouth, Christchurch and Poole and "
        "by Dorset Council; Christchurch moved from Dorset to the new council, so neither successor covers "
        "any one predecessor's area.",
        (*_EES, "ofsted-csc-2023"),
        "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018",
    ),
    Change(
        "2020-04-01",
        "new_code",
        (Unit("825", "E10000002", "Buckinghamshire"),),
        (Unit("825", "E06000060", "Buckinghamshire"),),
        "Buckinghamshire County Council replaced by the unitary Buckinghamshire Council: same area and "
        "DfE code, new ONS code.",
        _EES,
        "The Buckinghamshire (Structural Changes) Order 2019",
    ),
    Change(
        "2021-04-01",
        "split",
        (Unit("928", "E10000021", "Northamptonshire"),),
        (Unit("940", "E06000061", "North Northamptonshire"), Unit("941", "E06000062", "West Northamptonshire")),
        "Northamptonshire County Council abolished; North Northamptonshire and West Northamptonshire "
        "created. Their children's services are run jointly by a trust, and the workforce files give them "
        "one joint row.",
        (*_EES, "dfe-sn-2021", "ofsted-csc-2023"),
        "The Northamptonshire (Structural Changes) Order 2020",
    ),
    Change(
        "2023-04-01",
        "split",
        (Unit("909", "E10000006", "Cumbria"),),
        (Unit("942", "E06000063", "Cumberland"), Unit("943", "E06000064", "Westmorland and Furness")),
        "Cumbria County Council abolished; Cumberland and Westmorland and Furness created.",
        (*_EES, "dfe-sn-2025"),
        "The Cumbria (Structural Changes) Order 2022",
    ),
    Change(
        "2023-04-01",
        "new_code",
        (Unit("815", "E10000023", "North Yorkshire"),),
        (Unit("815", "E06000065", "North Yorkshire"),),
        "North Yorkshire County Council replaced by the unitary North Yorkshire Council: same area and "
        "DfE code, new ONS code.",
        (*_EES, "dfe-sn-2025"),
        "The North Yorkshire (Structural Changes) Order 2022",
    ),
    Change(
        "2023-04-01",
        "new_code",
        (Unit("933", "E10000027", "Somerset"),),
        (Unit("933", "E06000066", "Somerset"),),
        "Somerset County Council replaced by the unitary Somerset Council: same area and DfE code, new ONS code.",
        (*_EES, "dfe-sn-2025"),
        "The Somerset (Structural Changes) Order 2022",
    ),
    Change(
        "2025-04-01",
        "boundary",
        (Unit("370", "E08000016", "Barnsley"), Unit("373", "E08000019", "Sheffield")),
        (Unit("370", "E08000038", "Barnsley"), Unit("373", "E08000039", "Sheffield")),
        "Boundary change between Barnsley and Sheffield; both kept their DfE codes. DfE's figures for the "
        "year to 31 March 2025 use the old ONS codes, its workforce figures at 30 September 2025 and the "
        "2025 neighbour model the new ones.",
        (*_EES, "dfe-sn-2025"),
    ),
)


def changes_of(la_code: str) -> tuple[Change, ...]:
    """Every change that involves DfE code ``la_code`` on either side, oldest first."""
    return tuple(c for c in CHANGES if la_code in {u.la_code for u in c.before + c.after})


def ended_before(date: str) -> dict[str, str]:
    """Name -> DfE code of the authorities abolished (merger or split) by ISO date ``date``.

    Used to read tables of authorities 'that existed before the restructure' (Ofsted's 2023 file),
    whose names are matched only among those.
    """
    out: dict[str, str] = {}
    for c in CHANGES:
        if c.same_authority or c.date > date:
            continue
        kept = {u.la_code for u in c.after}
        out.update({u.name: u.la_code for u in c.before if u.la_code not in kept})
    return out
