"""Print (or write into docs/reliability.md) the table of bad inputs and faults, from real runs.

Every message in the table is what ``python -m analysis`` printed when this script ran it: the bad
inputs are the cases of tests/corpus.py (as tests/test_bad_inputs.py) (applied to a private copy of data/raw), the
faults are real kills of ``extract`` and ``build``. A second table runs ``refresh`` on copies of the
official files: the bad official files of tests/test_bad_official_inputs.py and the releases of
tests/test_refresh.py. Only the temporary folder is normalised (shown
as ``OUT``) and process ids and times (``pid N``, ``TIME``), so the table does not change with them.

    .venv/bin/python tools/reliability_table.py            # print the table
    .venv/bin/python tools/reliability_table.py --write    # replace the table in docs/reliability.md
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "reliability.md"
START, END = "<!-- reliability-table:start -->", "<!-- reliability-table:end -->"
REFRESH_START, REFRESH_END = "<!-- refresh-table:start -->", "<!-- refresh-table:end -->"
EPOCH = "1700000000"


def _module(name: str):
    sys.path.insert(0, str(ROOT / "tests"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=900,
    )


def _clean(text: str, tmp: Path) -> str:
    text = text.replace(str(tmp.resolve()), "OUT").replace(str(tmp), "OUT")
    text = re.sub(r"pid \d+", "pid N", text)
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", "TIME", text)


def _cell(text: str) -> str:
    text = " ".join(text.split()).replace("|", "\\|").replace("`", "'")
    return f"`{text}`" if text else "(nothing)"


def _shown(err: str, first: str | None = None, limit: int = 2) -> str:
    """The problem lines a user reads first (the matching one first), and how many there were."""
    lines = [line for line in err.splitlines() if line.strip()]
    problems = [line for line in lines if line.startswith("data/raw/")]
    if first:
        problems.sort(key=lambda line: first not in line)
    summary = [line for line in lines if not line.startswith("data/raw/")][-1:]
    more = f" (+{len(problems) - limit} more)" if len(problems) > limit else ""
    return "<br>".join(_cell(p) for p in problems[:limit]) + more + ("<br>" + _cell(summary[0]) if summary else "")


def _killed(run: dict, tmp: Path) -> tuple[str, str]:
    """What a killed command printed, and its exit status as a shell reports it."""
    err = _clean(run["stderr"], tmp).strip()
    lines = err.splitlines()
    if "Traceback (most recent call last)" in err:
        shown = f"a Python traceback ({len(lines)} lines) ending {_cell(lines[-1])}"
    else:
        shown = "<br>".join(_cell(line) for line in lines[-2:]) if lines else "(nothing)"
    code = run["code"]
    status = f"{code} (killed: {128 - code} in a shell)" if code < 0 else str(code)
    if run["finished"]:
        status += ", finished before the signal"
    return shown, status


def bad_inputs(tmp: Path) -> list[list[str]]:
    t = _module("corpus")
    rows = []
    for case in t.CASES + t.NOT_NUMBERS:
        work = tmp / case.id
        raw, expected = t.corrupted_copy(case, work)
        validate = _run(["validate", "--raw-dir", str(raw)])
        out = work / "reports"
        before = t.publish_fake_reports(out)
        build = _run(
            ["build", "--la", "890", "--notebooks", "03_committee_report", "--out", str(out)],
            {"ANALYSIS_RAW_DIR": str(raw), "ANALYSIS_PROCESSED_DIR": str(work / "processed"), "SOURCE_DATE_EPOCH": EPOCH},
        )
        after = t.tree(out)
        kept = all(after.get(k) == v for k, v in before.items())
        first = expected[0]
        if validate.returncode == 0:  # a known gap: the bad input is accepted and the report is built
            rows.append(
                [
                    case.what + " (known gap)",
                    f"`{case.file}`",
                    _cell(validate.stdout.strip()),
                    "0",
                    str(build.returncode),
                    _cell(build.stdout.strip().splitlines()[-1].split(";")[0]),
                    "accepted: see Known gaps",
                ]
            )
            continue
        rows.append(
            [
                case.what,
                f"`{case.file}`",
                _shown(_clean(validate.stderr, tmp), first.reason or None),
                str(validate.returncode),
                str(build.returncode),
                _cell(_clean(build.stderr.strip().splitlines()[-1], tmp)) if build.stderr.strip() else "",
                "yes" if kept else "**NO**",
            ]
        )
    for name, change in t.LOADS.items():
        work = tmp / name
        raw = work / "raw"
        shutil.copytree(ROOT / "data" / "raw", raw)
        change(raw)
        validate = _run(["validate", "--raw-dir", str(raw)])
        rows.append(
            [
                f"harmless: {name.replace('_', ' ')}",
                "",
                _cell(validate.stdout.strip()),
                str(validate.returncode),
                "",
                "loads exactly as the committed file",
                "yes",
            ]
        )
    return rows


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def faults(tmp: Path) -> list[list[str]]:
    ti = _module("test_interrupt")
    rows = []
    source = ROOT.parent / "shared" / "data" / "dfe"
    # extract, killed mid-way
    written = sorted(s.path for s in ti.all_specs().values() if s.origin == "official")
    new = tmp / "extract-new"
    shutil.copytree(ROOT / "data" / "raw", new)
    started = time.monotonic()
    _run(["extract", "--source-dir", str(source), "--out", str(new)])
    took = time.monotonic() - started
    for sig, at in ((signal.SIGINT, 0.3), (signal.SIGTERM, 0.5), (signal.SIGKILL, 0.7)):
        out = tmp / f"extract-{sig.name}"
        shutil.copytree(ROOT / "data" / "raw", out)
        for rel in written:
            (out / rel).write_bytes((out / rel).read_bytes() + b"\n")
        old = {rel: _sha(out / rel) for rel in written}
        run = ti.run_and_kill(
            [sys.executable, "-m", "analysis", "extract", "--source-dir", str(source), "--out", str(out)],
            dict(os.environ),
            took * at,
            sig,
        )
        states = [
            "new" if _sha(out / r) == _sha(new / r) else "old" if _sha(out / r) == old[r] else "PARTIAL" for r in written
        ]
        shown, status = _killed(run, tmp)
        litter = ti.temp_litter(out)
        rows.append(
            [
                f"`extract` sent {sig.name} {took * at:.1f} s into a {took:.1f} s run",
                "",
                shown,
                status,
                "",
                "",
                f"yes: {states.count('old')} old, {states.count('new')} new, {states.count('PARTIAL')} partial"
                + (f"; {len(litter)} hidden .tmp file(s) left" if litter else ""),
            ]
        )
    # build, killed mid-way, then run again
    env = {"ANALYSIS_PROCESSED_DIR": str(tmp / "processed"), "SOURCE_DATE_EPOCH": EPOCH}
    out = tmp / "build"
    base = ["build", "--la", "890", "--notebooks", "03_committee_report", "--jobs", "1", "--out", str(out)]
    first = _run(base, env)
    published = {p.relative_to(out).as_posix(): _sha(p) for p in out.rglob("*.html")}
    for sig, at in ((signal.SIGINT, 6.0), (signal.SIGTERM, 2.0), (signal.SIGKILL, 6.0)):
        run = ti.run_and_kill([sys.executable, "-m", "analysis", *base, "--force"], {**os.environ, **env}, at, sig)
        same = all(_sha(out / k) == v for k, v in published.items())
        shown, status = _killed(run, tmp)
        rows.append(
            [
                f"`build --force` sent {sig.name} {at:.0f} s into a ~9 s run",
                "",
                shown,
                status,
                "",
                "",
                "yes: published pages byte-identical" if same else "**NO**",
            ]
        )
        again = _run(base, env)
        rows.append(
            [
                f"the next `build` after {sig.name}",
                "",
                "",
                "",
                str(again.returncode),
                _cell(_clean(again.stderr.strip(), tmp)) if again.stderr.strip() else "(nothing on stderr)",
                "yes" if first.returncode == 0 else "?",
            ]
        )
    # two builds at once
    holder = subprocess.Popen(
        [sys.executable, "-m", "analysis", *base, "--force"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(2.5)
    second = _run(base, env)
    holder.wait(timeout=600)
    rows.append(
        [
            "a second `build` while one runs on the same out folder",
            "",
            "",
            "",
            str(second.returncode),
            _cell(_clean(second.stderr.strip(), tmp)),
            "yes: it does not start",
        ]
    )
    return rows


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): _sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def _refresh_shown(run: subprocess.CompletedProcess, tmp: Path, first: str | None, limit: int = 2) -> str:
    """The lines refresh printed that a user reads first (the matching problem first)."""
    lines = [line for line in _clean(run.stderr + run.stdout, tmp).splitlines() if line.strip()]
    problems = [line for line in lines if not line.startswith("refresh:")]
    if first:
        problems.sort(key=lambda line: first not in line)
    more = f" (+{len(problems) - limit} more)" if len(problems) > limit else ""
    summary = [line for line in lines if line.startswith("refresh:")]
    shown = [_cell(p) for p in problems[:limit]]
    if shown:
        shown[-1] += more
    return "<br>".join(shown + [_cell(s) for s in summary])


def refresh_rows(tmp: Path) -> list[list[str]]:
    """Each bad official file, and each kind of release, through ``refresh`` (and ``extract``) on copies."""
    t = _module("test_bad_official_inputs")
    r = _module("test_refresh")
    rows = []

    def one(name: str, what: str, file: str, change, accept: str | None = None, extract: bool = True) -> None:
        work = tmp / "refresh" / name
        work.mkdir(parents=True)
        dfe = t.official_copy(work)
        found = change(dfe) if change else None
        raw = t.staged(work)
        before = _tree(raw)
        args = [
            "refresh",
            "--source-dir",
            str(dfe),
            "--raw-dir",
            str(raw),
            "--report-dir",
            str(work / "report"),
            "--history",
            str(work / "history.csv"),
        ] + (["--accept", accept] if accept else [])
        done = _run(args)
        extracted = _run(["extract", "--source-dir", str(dfe), "--out", str(work / "extracted")]) if extract else None
        written = sorted(k for k, v in _tree(raw).items() if before.get(k) != v)
        extras = [p for p in ("report/diff.html", "history.csv") if (work / p).exists()]
        kept = (
            "yes: nothing written"
            if not written and not extras
            else f"{', '.join(extras)} written" + (f"; published {len(written)} file(s)" if written else "")
        )
        first = found[0].reason if isinstance(found, list) and found else None
        rows.append(
            [
                what,
                f"`{file}`" if file else "",
                _refresh_shown(done, tmp, first),
                str(done.returncode),
                str(extracted.returncode) if extracted else "",
                kept,
            ]
        )

    for case in t.CASES:
        one(case.id, case.what, case.file, case.mutate)
    one("unchanged", "the same official files again", "", None, extract=False)
    one("release", "a release: one value revised, a year added, a council removed", "", r._release, extract=False)
    one("release_short_reason", "the same, `--accept ok` (reason too short)", "", r._release, accept="ok", extract=False)
    one(
        "release_accepted",
        "the same, accepted with a reason",
        "",
        r._release,
        accept="Diff checked against the DfE release (AB)",
        extract=False,
    )

    def jump(dfe: Path) -> None:
        rows_ = t.read_rows(dfe / t.B1)
        i = t.row_of(rows_, old_la_code="890", time_period="2025")
        col = rows_[0].index("At31_episodes")
        rows_[i][col] = str(int(rows_[i][col]) * 4)
        t.write_rows(dfe / t.B1, rows_)

    def impossible(dfe: Path) -> None:
        rows_ = t.read_rows(dfe / t.D5)
        i = t.row_of(rows_, old_la_code="890", time_period="2024")
        rows_[i][rows_[0].index("CPP_At31")] = "1000000000"
        t.write_rows(dfe / t.D5, rows_)

    one("jump", "Blackpool's children in need at 31 March 2025 four times 2024's", t.B1, jump, extract=False)
    one(
        "impossible",
        "1,000,000,000 children on a plan in Blackpool, 2024",
        t.D5,
        impossible,
        accept="would publish if plausible",
        extract=False,
    )
    return rows


REFRESH_HEADER = (
    "| Official files given to `refresh` | File | What `refresh` prints | refresh exit | extract exit | "
    "Nothing lost |\n|---|---|---|---|---|---|"
)


def refresh_table() -> str:
    with tempfile.TemporaryDirectory(prefix="reliability-") as tmp:
        rows = refresh_rows(Path(tmp))
    return "\n".join([REFRESH_HEADER] + ["| " + " | ".join(r) + " |" for r in rows])


HEADER = (
    "| Bad input or fault | File | What `validate` (or the killed command) prints | validate exit | "
    "build exit | What `build` prints last | Nothing lost |\n|---|---|---|---|---|---|---|"
)


def table() -> str:
    with tempfile.TemporaryDirectory(prefix="reliability-") as tmp:
        rows = bad_inputs(Path(tmp)) + faults(Path(tmp))
    return "\n".join([HEADER] + ["| " + " | ".join(r) + " |" for r in rows])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help=f"replace the tables in {DOC.relative_to(ROOT)}")
    parser.add_argument("--only", choices=("extracts", "refresh"), help="make one of the two tables only")
    args = parser.parse_args()
    tables = {}
    if args.only != "refresh":
        tables[(START, END)] = table()
    if args.only != "extracts":
        tables[(REFRESH_START, REFRESH_END)] = refresh_table()
    if not args.write:
        print("\n\n".join(tables.values()))
        return 0
    doc = DOC.read_text(encoding="utf-8")
    for (start, end), text in tables.items():
        if start not in doc or end not in doc:
            print(f"{DOC} has no {start} ... {end} markers", file=sys.stderr)
            return 2
        head, rest = doc.split(start, 1)
        doc = f"{head}{start}\n{text}\n{end}{rest.split(end, 1)[1]}"
    DOC.write_text(doc, encoding="utf-8")
    print(f"wrote {len(tables)} table(s) into {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
