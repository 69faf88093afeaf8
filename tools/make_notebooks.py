"""Write the three report notebooks: the one source of truth for their cells (outputs never committed).

Keeping their source here makes the notebooks' shape reviewable as code; the .ipynb files in
notebooks/ are what analysts open and what papermill runs, and tests/test_notebook_source.py
checks that this script reproduces them byte for byte (edit here, run it, commit both). The
parameters' defaults come from the default set of config/report_sets.yml; every notebook names
the project's kernel ("analysis", installed by `make setup`), so papermill needs no -k.

    python tools/make_notebooks.py          # write notebooks/*.ipynb
    python tools/make_notebooks.py --check  # exit 1 if a committed notebook differs
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NamedTuple

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis.measures.catalogue import MEASURES
from analysis.measures.declaration import Topic
from analysis.publish.model import KERNEL
from analysis.publish.sets import load_sets

ROOT = Path(__file__).resolve().parents[1]
KERNELSPEC = {"name": KERNEL, "display_name": "Python (analysis)", "language": "python"}


def parameters_cell() -> str:
    """The parameters cell, its defaults from the default report set (its first area)."""
    default = load_sets().get(None)
    return "\n".join(
        [
            f"# Parameters (papermill overrides these; the defaults are report set {default.name!r},"
            " config/report_sets.yml)",
            f"la = {json.dumps(default.areas[0])}  # DfE code, ONS code or name of the local authority",
            f"start_year = {default.start_year}  # first year shown",
            f"end_year = {default.end_year}  # last year shown",
            f'sn_model = {json.dumps(default.sn_model)}  # DfE statistical neighbour model: "2021" or "2025"',
            f"comparators = {json.dumps(list(default.comparators))}  # which comparators the charts show",
        ]
    )


# Checks and converts what papermill passed (a digit string becomes a year, one string one comparator);
# a bad value stops here with a one-line error naming the parameter.
SETUP = """from analysis import report
la, start_year, end_year, sn_model, comparators = report.check_parameters(la, start_year, end_year, sn_model,
                                                                          comparators)
ctx = report.context(la, start_year, end_year, sn_model, comparators)"""


def notebook(title: str, cells: list, min_images: int) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata = {
        "title": title,
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        "analysis": {"min_images": min_images},
    }
    params = new_code_cell(parameters_cell())
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, new_code_cell(SETUP), *cells]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return nb


def md(text: str):
    return new_markdown_cell(text.strip())


def code(text: str):
    return new_code_cell(text.strip())


# The committee report's section on each topic: its words, then a trend chart for each headline measure of the
# topic (catalogue order), with the cells named here before and after the charts. ``also``: measures charted
# in the section though not headline (adoptions: the headline sentences would compare a count with England's).
class TopicSection(NamedTuple):
    words: str
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    also: tuple[str, ...] = ()


TOPIC_SECTIONS: dict[Topic, TopicSection] = {
    Topic.CHILDREN_IN_NEED: TopicSection(
        """## Children in need
Children the council supports as children in need at 31 March, per 10,000 children: the widest group
in this report, which includes the children on child protection plans and the children looked after.
No level is right in itself, so it is read against similar areas."""
    ),
    Topic.CHILD_PROTECTION: TopicSection(
        """## Child protection
How many children are on child protection plans, against similar areas, and how often a plan is
a repeat for a child who has had one before."""
    ),
    Topic.WORKFORCE: TopicSection(
        """## Social work workforce
Caseloads, vacancies, reliance on agency staff and turnover at 30 September each year. From 2017
the figures are DfE's workforce collection; the earlier years, where shown, come from DfE's Local
Authority Interactive Tool (LAIT)."""
    ),
    Topic.LOOKED_AFTER: TopicSection(
        """## Children looked after
Children in the council's care at 31 March, per 10,000 children."""
    ),
    Topic.PERMANENCE: TopicSection(
        """## Adoptions and special guardianship
Children who left care through adoption or a special guardianship order in each year to 31 March.
The charts compare with similar councils (England's and the region's totals are far larger, so they
are in the tables under the charts); then claims made in local documents, checked against the
published series.""",
        after=('report.claims(ctx, ("adoptions", "special_guardianship"))',),
        also=("adoptions", "special_guardianship"),
    ),
    Topic.MONEY: TopicSection(
        """## Money
Two different questions, never joined into one series. First, did the council overspend its
budget? Children's services overspends as the council reported them, by financial year: its own
budget-monitoring figures. Second, how much does it spend compared with similar councils? Official
net spending on children's social care per child (revenue outturn), comparable between councils.""",
        before=("report.finance(ctx)",),
    ),
}


def charted(topic: Topic) -> list[str]:
    """The ids of the measures the committee report charts under ``topic``: its headline ones and ``also``."""
    also = TOPIC_SECTIONS[topic].also
    return [m.id for m in MEASURES.values() if m.topic is topic and (m.headline or m.id in also)]


def topic_cells(topic: Topic) -> list:
    """The section on ``topic`` (nothing when it charts no measure): words, cells before, a chart per measure, after."""
    section, ids = TOPIC_SECTIONS[topic], charted(topic)
    if not ids:
        return []
    trends = [f"report.trend(ctx, {json.dumps(i)})" for i in ids]
    return [md(section.words), *(code(c) for c in (*section.before, *trends, *section.after))]


COMMITTEE = notebook(
    "Children's social care: is it improving?",
    [
        code('report.header(ctx, "is children\'s social care improving?")'),
        code("report.verdict_box(ctx)"),
        md("""## Five questions answered
The committee's questions, each answered from the latest published figures: caseloads, vacancies
and agency use, money, child protection plans against similar areas, and Ofsted."""),
        code("report.five_answers(ctx)"),
        md("""## Key findings
Generated from the published figures for the chosen period; each sentence gives its years and
numbers. Neighbours are the area's statistical neighbours (similar local authorities)."""),
        code("report.key_findings(ctx)"),
        md("""## Scorecard
For each headline measure: the first and latest values with a 95% interval, the change since the
last judgement named below (or the nearest year with data), whether that change is beyond what
chance alone produces, England and the neighbours' median in the latest year, and the movement in
three words: improved, worsened or no clear change, with the better direction in brackets; child
protection and looked-after rates have no better direction in themselves: compare them with similar
areas."""),
        code("report.scorecard(ctx)"),
        md("""## Against every council in England
Each funnel plot shows every council's figure in the latest year against its size, around
England's value. Small councils vary more by chance, so the limits are wider for them; the
limits also allow for the ordinary spread between councils. A council outside the 99.8% limits
is unusual even allowing for both."""),
        code("report.funnels(ctx)"),
        md("""## What deprivation explains
Is the rate higher than the area's child deprivation predicts? A model fitted each year to all
councils gives the number of children each council would have on plans, in care or in need if it
were typical for its child income deprivation. The chart shows the area's observed number
divided by that expected number; the band is the range councils with that deprivation usually
show. It describes an association, not a cause."""),
        code("report.deprivation(ctx)"),
        md("""## Ofsted judgements and interventions
Judgements are shown as the period each one stood; visits, government intervention and changes
of director as markers. The numbered lines on every chart below mark the same milestones."""),
        code("report.timeline(ctx)"),
        *(cell for topic in Topic for cell in topic_cells(topic)),
        md("""## Figures quoted in public documents
Figures from inspection letters, committee minutes and news reports, with whether each is on the
same basis as the official series."""),
        code("report.quoted_figures(ctx)"),
        md("## Notes on method"),
        code("report.method_notes(ctx)"),
        md("## Glossary"),
        code("report.glossary()"),
        md("## Sources"),
        code("report.sources(ctx)"),
    ],
    min_images=9,
)

TRAJECTORY = notebook(
    "Trajectory of every measure",
    [
        code('report.header(ctx, "trajectory of every measure")'),
        md("""## How to read this notebook
For analysts: every measure in the catalogue for the chosen area and years, against England, the
region and the statistical neighbours (median and range), with year-on-year changes and the
area's rank among its neighbours. Change the parameters cell to look at another area or period."""),
        md("## Ofsted timeline"),
        code("report.timeline(ctx)"),
        md("## Measures"),
        code("report.trajectory(ctx)"),
        md("## Sources"),
        code("report.sources(ctx)"),
    ],
    min_images=11,
)

QUALITY = notebook(
    "Data quality",
    [
        code('report.header(ctx, "data quality")'),
        md("""## Coverage
Which measures have a published value for the area in each year of the period."""),
        code("report.coverage(ctx)"),
        md("""## Suppressed values
Official statistics withhold small numbers; these are kept as a marker, shown as gaps in charts
and never treated as zero."""),
        code("report.suppressed(ctx)"),
        md("""## Checks run
Every extract is validated on load; a report is only built when all checks pass."""),
        code("report.checks_run()"),
        md("""## Revisions between releases
The same workforce figure can be revised in a later release. This compares the 2022 release with
the 2025 release for the years both cover."""),
        code("report.revisions(ctx)"),
        md("""## Looked-after figures in different releases
Each release recalculates earlier years; the report takes each year from one named release."""),
        code("report.vintages(ctx)"),
    ],
    min_images=0,
)


def notebooks() -> dict[Path, str]:
    """Each notebook's path and the exact text it is committed as."""
    return {
        ROOT / "notebooks" / f"{name}.ipynb": nbformat.writes(nb) + "\n"
        for name, nb in [("01_data_quality", QUALITY), ("02_trajectory", TRAJECTORY), ("03_committee_report", COMMITTEE)]
    }


def main(argv: list[str]) -> int:
    stale = []
    for path, text in notebooks().items():
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        if "--check" in argv:
            stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python tools/make_notebooks.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
