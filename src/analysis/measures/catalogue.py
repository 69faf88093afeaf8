"""The indicator catalogue: what each headline measure is, where its numbers come from, how to show it.

A measure's series may join segments from different extracts (e.g. looked-after rates from the
earlier releases for 2012-2020 and the current release from 2021). The joins are declared here,
named in every chart's source line, and never hidden: each value keeps the source it came from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    """Years ``first``..``last`` of a measure come from ``extract.column`` (or a derivation)."""

    extract: str
    column: str
    first: int
    last: int
    derivation: str = ""  # "" = published value; "rate_per_10k" = count / population(Y-1) * 10,000
    release: str = ""  # with cla_vintages: take the values of this one named release


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    short: str
    unit: str
    decimals: int
    month_day: tuple[int, int]
    polarity: str  # lower_better | higher_better | neutral (mirrors the data dictionary)
    segments: tuple[Segment, ...]
    headline: bool = True
    definition: str = ""
    related: tuple[str, ...] = ()  # other "extract.column"s whose quoted figures belong on this chart

    @property
    def reference(self) -> str:
        return {(3, 31): "31 March", (9, 30): "30 September"}.get(self.month_day, "")


CP_RATE = Measure(
    id="cp_rate", label="Children on child protection plans per 10,000 children (31 March)",
    short="child protection plans per 10,000 children", unit="per 10,000 children aged 0-17", decimals=1,
    month_day=(3, 31), polarity="neutral",
    segments=(Segment("cp_historic", "cp_plans_at_31_march_rate_per_10k", 2011, 2012),
              Segment("cp_plans_at_31_march", "cp_plans_at_31_march_count", 2013, 2100, "rate_per_10k")),
    related=("cp_plans_at_31_march.cp_plans_at_31_march_count",),
    definition=("Children subject to a child protection plan at 31 March per 10,000 children aged 0-17. From "
                "2013 computed from the count and the ONS mid-year estimate for the previous year (DfE's "
                "convention); 2011-2012 as published in that year's release. Neither a high nor a low rate is "
                "good in itself: it is read against comparable areas."),
)
CP_COUNT = Measure(
    id="cp_count", label="Children on child protection plans at 31 March", short="child protection plans",
    unit="children", decimals=0, month_day=(3, 31), polarity="neutral", headline=False,
    segments=(Segment("cp_historic", "cp_plans_at_31_march_count", 2011, 2012),
              Segment("cp_plans_at_31_march", "cp_plans_at_31_march_count", 2013, 2100)),
)
CP_REPEAT = Measure(
    id="cp_repeat", label="Child protection plans started in the year that were a second or subsequent plan",
    short="second or subsequent plans", unit="% of plans started", decimals=1, month_day=(3, 31),
    polarity="lower_better",
    segments=(Segment("cp_plans_started", "cp_plans_second_or_subsequent_pct", 2013, 2100),),
    definition="Share of plans starting in the year to 31 March for children who had been on a plan before.",
)
REREFERRAL = Measure(
    id="rereferral", label="Re-referrals within 12 months of a previous referral", short="re-referral rate",
    unit="% of referrals", decimals=1, month_day=(3, 31), polarity="lower_better", headline=False,
    segments=(Segment("referrals", "rereferrals_12m_pct", 2013, 2100),),
)
CIN_RATE = Measure(
    id="cin_rate", label="Children in need per 10,000 children (31 March)", short="children in need per 10,000",
    unit="per 10,000 children aged 0-17", decimals=1, month_day=(3, 31), polarity="neutral", headline=False,
    segments=(Segment("cin", "cin_at_31_march_count", 2013, 2100, "rate_per_10k"),),
)
CLA_RATE = Measure(
    id="cla_rate", label="Children looked after per 10,000 children (31 March)",
    short="children looked after per 10,000", unit="per 10,000 children aged 0-17", decimals=0,
    month_day=(3, 31), polarity="neutral",
    # The releases chosen for 2012-2013 counts publish no rates; SFR34/2015's LA tables do.
    segments=(Segment("cla_vintages", "looked_after_at_31_march_rate_per_10k", 2012, 2013,
                      release="SFR34/2015 LA tables"),
              Segment("cla_historic", "looked_after_at_31_march_rate_per_10k", 2014, 2020),
              Segment("looked_after", "looked_after_at_31_march_rate_per_10k", 2021, 2100)),
    definition=("Children looked after at 31 March per 10,000 children aged 0-17, as published by DfE: "
                "2012-2013 from the 2015 release's local authority tables (the releases for those years "
                "publish no rates), 2014-2020 from the release docs/vintages.md names, 2021 on from the "
                "current release."),
)
CASELOAD = Measure(
    id="caseload", label="Average caseload per case-holding children's social worker (30 September)",
    short="caseload per social worker", unit="cases per FTE", decimals=1, month_day=(9, 30),
    polarity="lower_better", segments=(Segment("workforce", "caseload_per_fte", 2017, 2100),),
    definition="Cases held divided by the full-time equivalent number of case-holding social workers.",
)
VACANCY = Measure(
    id="vacancy", label="Social worker vacancy rate (30 September)", short="vacancy rate",
    unit="% of FTE posts", decimals=1, month_day=(9, 30), polarity="lower_better",
    segments=(Segment("workforce", "vacancy_rate_pct", 2017, 2100),),
    related=("workforce.vacancies_fte", "workforce.starters_fte"),
)
AGENCY = Measure(
    id="agency", label="Agency social worker rate (30 September)", short="agency worker rate",
    unit="% of FTE social workers", decimals=1, month_day=(9, 30), polarity="lower_better",
    segments=(Segment("workforce", "agency_rate_pct", 2017, 2100),),
)
TURNOVER = Measure(
    id="turnover", label="Social worker turnover rate (year to 30 September)", short="turnover rate",
    unit="% of FTE social workers", decimals=1, month_day=(9, 30), polarity="lower_better",
    segments=(Segment("workforce", "turnover_rate_pct", 2017, 2100),),
)

MEASURES: dict[str, Measure] = {m.id: m for m in (CP_RATE, CP_COUNT, CP_REPEAT, REREFERRAL, CIN_RATE, CLA_RATE,
                                                  CASELOAD, VACANCY, AGENCY, TURNOVER)}
HEADLINE = [m for m in MEASURES.values() if m.headline]
