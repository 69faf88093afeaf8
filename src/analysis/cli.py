"""Command line: ``python -m analysis extract|validate|refresh|dictionary|build``.

Exit codes: 0 success; 1 some reports failed; 2 bad input or configuration; 3 another build
holds the lock; 4 refresh found changes or warnings to review (nothing published).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from analysis import paths
from analysis.data.groups import COMPARATORS
from analysis.errors import DataError
from analysis.publish.model import DEFAULT_TIMEOUT

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_LOCKED, EXIT_REVIEW = 0, 1, 2, 3, 4


def _cmd_extract(args: argparse.Namespace) -> int:
    from analysis.data.derive import run_extract

    source_dir = Path(args.source_dir)
    if not source_dir.is_dir():
        print(f"extract: source folder not found: {source_dir}", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = Path(args.out) if args.out else paths.DATA_RAW
    notes: list[str] = []
    written = run_extract(source_dir, out, Path(args.historic_dir) if args.historic_dir else None, notes)
    for note in notes:
        print(f"extract: {note}", file=sys.stderr)
    print(f"extract: wrote {len(written)} official extracts under {out}")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from analysis.data.load import validate_plausible
    from analysis.data.registry import all_specs

    problems, warnings = validate_plausible(Path(args.raw_dir) if args.raw_dir else None)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"validate: {len(problems)} problem(s) found", file=sys.stderr)
        return EXIT_BAD_INPUT
    more = f", {len(warnings)} warning(s) to review (year-on-year changes above their thresholds)" if warnings else ""
    print(f"validate: {len(all_specs())} extracts checked, no problems{more}")
    return EXIT_OK


def _cmd_refresh(args: argparse.Namespace) -> int:
    from analysis.data.refresh import refresh

    outcome = refresh(
        Path(args.source_dir),
        accept=args.accept,
        raw_dir=Path(args.raw_dir),
        historic_dir=Path(args.historic_dir) if args.historic_dir else None,
        out_dir=Path(args.report_dir),
        history=Path(args.history),
    )
    for p in outcome.problems:
        print(p, file=sys.stderr)
    for line in outcome.lines:
        print(line, file=sys.stderr if outcome.code else sys.stdout)
    return outcome.code


def _cmd_dictionary(args: argparse.Namespace) -> int:
    from analysis.data.dictionary import dictionary_frame, markdown
    from analysis.data.fileio import frame_to_csv_bytes, write_atomically
    from analysis.measures import catalogue_docs

    write_atomically(
        {
            paths.DOCS / "data_dictionary.md": markdown().encode("utf-8"),
            paths.DOCS / "measures.md": catalogue_docs.markdown().encode("utf-8"),
            paths.DATA_PROCESSED / "dictionary.csv": frame_to_csv_bytes(dictionary_frame()),
        }
    )
    print("wrote docs/data_dictionary.md, docs/measures.md and data/processed/dictionary.csv")
    return EXIT_OK


def _timeout(text: str) -> float | None:
    """``--timeout``: a finite positive number of seconds, or ``none`` for no limit."""
    if text.strip().lower() == "none":
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite positive number of seconds (or 'none' for no limit)")
    return value


def _cmd_build(args: argparse.Namespace) -> int:
    from analysis.publish.build import build
    from analysis.publish.lock import LockHeld
    from analysis.publish.model import BuildInputError, BuildOptions
    from analysis.publish.sets import ReportSetError, load_sets

    try:
        sets = load_sets(Path(args.sets_file) if args.sets_file else None)
        chosen = sets.get(args.set or None) if args.set is not None else None
    except ReportSetError as err:
        print(f"build: {err}; nothing published was changed", file=sys.stderr)
        return EXIT_BAD_INPUT
    given = {k: getattr(args, k) for k in ("start_year", "end_year") if getattr(args, k) is not None}
    years: dict[str, int] = {}
    if given:
        from analysis.data.periods import parse_year  # DfE's 201213 as well as 2013; no pandas

        try:
            years = {k: parse_year(v) for k, v in given.items()}
        except ValueError as err:
            print(f"build: {err}; nothing published was changed", file=sys.stderr)
            return EXIT_BAD_INPUT
    # A set gives every setting; --la / --all-las take the file's defaults. A flag given overrides either.
    base = {**sets.defaults, **({k: getattr(chosen, k) for k in sets.defaults} if chosen else {})}
    if chosen is None:
        base["notebooks"] = ()  # ad hoc: every notebook in the folder (--all-las: the committee report)
    options = BuildOptions(
        las=chosen.areas if chosen else tuple(args.la or ()),
        all_las=chosen.all_las if chosen else args.all_las,
        start_year=years.get("start_year", base["start_year"]),
        end_year=years.get("end_year", base["end_year"]),
        sn_model=base["sn_model"] if args.sn_model is None else args.sn_model,
        comparators=tuple(args.comparators or base["comparators"]),
        notebooks=tuple(args.notebooks or base["notebooks"]),
        jobs=args.jobs,
        force=args.force,
        timeout=args.timeout,
        fresh_kernels=args.fresh_kernels,
        out_dir=Path(args.out),
        notebooks_dir=Path(args.notebooks_dir),
        raw_dir=Path(args.raw_dir),
        processed_dir=Path(args.processed_dir),
    )
    try:
        result = build(options)
    except LockHeld as err:
        print(f"build: {err}; not building", file=sys.stderr)
        return EXIT_LOCKED
    except BuildInputError as err:
        print(f"build: {err}; nothing published was changed", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_FAILED if result.failed else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="re-derive the official extracts from the official files")
    ex.add_argument(
        "--source-dir", default=str(paths.dfe_dir()), help="folder of official files (default: ../shared/data/dfe)"
    )
    ex.add_argument(
        "--historic-dir", default=None, help="folder of earlier releases (default: dfe-historic beside --source-dir)"
    )
    ex.add_argument("--out", default=None, help="where to write (default: data/raw)")
    ex.set_defaults(func=_cmd_extract)

    va = sub.add_parser("validate", help="check every extract; exit 2 listing every problem")
    va.add_argument("--raw-dir", default=None, help="extracts folder (default: data/raw)")
    va.set_defaults(func=_cmd_validate)

    re_ = sub.add_parser(
        "refresh",
        help="take in a new official release: derive aside, compare, report; publish only with --accept",
        description="Derive the official extracts from SOURCE_DIR into a staging copy, validate them, run the "
        "plausibility checks and compare them with the committed extracts. Exit codes: 0 no "
        "difference (nothing written), or accepted and published; 2 any error (nothing written); "
        "4 changes or warnings to review (nothing written but the diff report).",
    )
    re_.add_argument("--source-dir", required=True, help="folder of the new official files (the drop folder)")
    re_.add_argument(
        "--historic-dir",
        default=None,
        help="earlier releases (default: dfe-historic beside --source-dir, else ../shared/data/dfe-historic)",
    )
    re_.add_argument(
        "--accept",
        metavar="REASON",
        default=None,
        help="publish the new extracts, recording REASON (10 characters or more) in the history",
    )
    re_.add_argument("--raw-dir", default=str(paths.DATA_RAW), help="extracts folder (default: data/raw)")
    re_.add_argument(
        "--report-dir",
        default=str(paths.REFRESH_REPORT_DIR),
        help="where the diff report diff.html is written (default: reports/refresh)",
    )
    re_.add_argument(
        "--history",
        default=str(paths.REFRESH_HISTORY),
        help="refresh history appended on --accept (default: docs/refresh_history.csv)",
    )
    re_.set_defaults(func=_cmd_refresh)

    di = sub.add_parser("dictionary", help="write the data dictionary and the measure catalogue from their declarations")
    di.set_defaults(func=_cmd_dictionary)

    bu = sub.add_parser(
        "build",
        help="run the report notebooks and publish HTML reports (only those out of date)",
        description="Validate the extracts, derive data/processed, run each report notebook for each area and "
        "publish OUT/<area>/<notebook>.html plus OUT/index.html. A report whose inputs are "
        "unchanged since it was published is skipped; a failed report never replaces a "
        "published one. Exit codes: 0 all built or up to date; 1 some reports failed; "
        "2 bad input or configuration; 3 another build holds the lock.",
    )
    who = bu.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--set",
        metavar="NAME",
        nargs="?",
        const="",
        help="a report set from config/report_sets.yml (areas, period, parameters, notebooks); "
        "without NAME, the file's default set",
    )
    who.add_argument(
        "--la",
        action="append",
        metavar="CODE",
        help="local authority: DfE code (890), ONS code (E06000009) or name; repeatable",
    )
    who.add_argument(
        "--all-las",
        action="store_true",
        help="every local authority that existed in the period; builds only "
        "03_committee_report unless --notebooks says otherwise",
    )
    bu.add_argument(
        "--start-year",
        help="first reporting year of the period, e.g. 2013 or DfE's 201213 "
        "(default: the set's, or the report-set file's defaults)",
    )
    bu.add_argument(
        "--end-year", help="last reporting year of the period, e.g. 2023 or DfE's 202223 (default: as --start-year)"
    )
    bu.add_argument("--sn-model", help="statistical neighbour model, 2021 or 2025 (default: as --start-year)")
    bu.add_argument(
        "--comparators",
        nargs="+",
        metavar="NAME",
        choices=COMPARATORS,
        help="comparators the charts show: england, region, neighbours (default: as --start-year)",
    )
    bu.add_argument("--sets-file", default=None, help="report-set file (default: config/report_sets.yml)")
    bu.add_argument(
        "--notebooks",
        nargs="+",
        metavar="NAME",
        help="notebooks to run, e.g. 03_committee_report (default: every notebook in the folder)",
    )
    bu.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="reports built at once, one process each (default: number of CPUs)",
    )
    bu.add_argument("--force", action="store_true", help="rebuild even the reports that are up to date")
    bu.add_argument(
        "--timeout",
        type=_timeout,
        default=DEFAULT_TIMEOUT,
        help=f"wall-clock seconds per report before its kernel is killed, or 'none' for no limit "
        f"(default {DEFAULT_TIMEOUT:g})",
    )
    bu.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a fresh kernel for every report instead of keeping one kernel per worker "
        "process, reset before each report (slower: about 2 s more a report)",
    )
    bu.add_argument("--out", default=str(paths.REPORTS), help="where reports are published (default: reports)")
    bu.add_argument("--notebooks-dir", default=str(paths.NOTEBOOKS), help="notebook folder (default: notebooks)")
    bu.add_argument("--raw-dir", default=str(paths.DATA_RAW), help="extracts folder (default: data/raw)")
    bu.add_argument(
        "--processed-dir",
        default=str(paths.DATA_PROCESSED),
        help="where data/processed is derived for the notebooks (default: data/processed)",
    )
    bu.set_defaults(func=_cmd_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DataError as err:
        print(err.report(), file=sys.stderr)
        print(f"{args.command}: stopped on bad input; nothing published was changed", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
