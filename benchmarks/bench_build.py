"""Benchmark the report build against the naive papermill + nbconvert command lines (not a test).

Run from the repository root, on an otherwise idle machine, once the real notebooks exist:

    .venv/bin/python benchmarks/bench_build.py            # all four measurements
    .venv/bin/python benchmarks/bench_build.py --skip-all-las
    .venv/bin/python benchmarks/bench_build.py --fresh-kernels   # builds with one kernel per report

In one run, against the same data and notebooks, it measures

    (a) naive: for each notebook in turn, the ``papermill`` CLI, then ``jupyter nbconvert --to html``;
    (b) ``python -m analysis build`` for the same reports, cold (fresh out and processed folders);
    (c) the same build again, nothing changed;
    (d) ``--all-las --force``: the committee report for every local authority;

and prints the machine, each wall time (with the load average before and after: other work on
the machine skews every number), (b)/(a), seconds per area for (d) and peak memory against the
targets in docs/performance.md. Each step writes to a private temporary folder: the repository's
reports/ and data/processed/ are not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = ("01_data_quality", "02_trajectory", "03_committee_report")
TARGETS = {"ratio": 0.35, "no_change_s": 1.0, "all_las_s": 240.0, "peak_rss_gb": 2.0}

try:
    import psutil
except ImportError:  # optional: without it only the largest single process is reported
    psutil = None


def run(cmd: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[float, int | None]:
    """Wall seconds and the peak RSS of the whole process tree (bytes; None without psutil)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = None
    if psutil is not None:
        peak = 0
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)
    output, _ = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode not in ok:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{output[-3000:]}")
    return seconds, peak


def naive(work: Path, env: dict[str, str], la: str) -> tuple[float, int | None]:
    """papermill CLI then nbconvert CLI, one notebook after the other (as a person would script it).

    data/processed is derived first (the notebooks only read it), as the build does before its kernels.
    """
    from analysis.publish.kernels import kernel_name

    derive = "from analysis.measures.processed import build_processed; build_processed()"
    total, peak = run([sys.executable, "-c", derive], env)
    peak = peak or 0
    for name in NOTEBOOKS:
        executed = work / f"{name}.ipynb"
        s1, p1 = run(
            [
                str(BIN / "papermill"),
                str(REPO / "notebooks" / f"{name}.ipynb"),
                str(executed),
                "-k",
                kernel_name(),
                "--cwd",
                str(REPO / "notebooks"),
                "-r",
                "la",
                la,
                "-p",
                "start_year",
                "2012",
                "-p",
                "end_year",
                "2022",
                "-r",
                "sn_model",
                "2021",
            ],
            env,
        )
        s2, p2 = run(
            [
                str(BIN / "jupyter"),
                "nbconvert",
                "--to",
                "html",
                "--no-input",
                "--embed-images",
                str(executed),
                "--output-dir",
                str(work),
            ],
            env,
        )
        total += s1 + s2
        peak = max(peak, p1 or 0, p2 or 0)
    return total, peak if psutil is not None else None


def build(work: Path, env: dict[str, str], name: str, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "analysis",
        "build",
        "--out",
        str(work / f"out-{name}"),
        "--processed-dir",
        str(work / f"processed-{name}"),
        *args,
    ]


def machine() -> str:
    """CPUs, CPU model, memory, Python and the key package versions, in one line."""
    from analysis.data.fingerprint import versions

    cpu = ram = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    with open("/proc/meminfo", encoding="utf-8") as fh:
        kb = next((int(line.split()[1]) for line in fh if line.startswith("MemTotal:")), None)
        ram = f"{kb / 2**20:.1f} GiB" if kb else ram
    found = versions()
    packages = ", ".join(f"{name} {version}" for name, version in found.items() if name != "python")
    return f"{os.cpu_count()} CPUs ({cpu}), {ram} RAM, {platform.platform()}, Python {found['python']}; {packages}"


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def gb(value: int | None) -> str:
    return "n/a (install psutil)" if value is None else f"{value / 1e9:.2f} GB"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--la", default="890", help="area for (a)-(c) (default 890, Blackpool)")
    parser.add_argument("--skip-all-las", action="store_true", help="leave out (d), which takes minutes")
    parser.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="build with --fresh-kernels (one kernel per report) instead of reused kernels",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="measure (a) and (b) N times, alternately, and judge the median (b)/(a): the VM's "
        "speed drifts by a third within minutes, and (a) and (b) are taken at different times",
    )
    args = parser.parse_args()
    extra = ("--fresh-kernels",) if args.fresh_kernels else ()

    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    try:
        print(f"machine: {machine()}")
        print(f"build options: {' '.join(extra) or '(defaults: one reused kernel per worker)'}")
        period = ("--la", args.la, "--start-year", "2012", "--end-year", "2022", *extra)
        pairs, peaks, peaks_a, peaks_b = [], [], [], []
        for i in range(max(args.repeat, 1)):
            naive_env = {**env, "ANALYSIS_PROCESSED_DIR": str(work / f"processed-a{i}")}
            (work / f"naive{i}").mkdir()
            print(f"before (a): {load()}", flush=True)
            a, peak_a = naive(work / f"naive{i}", naive_env, args.la)
            print(f"before (b): {load()}", flush=True)
            b, peak_b = run(build(work, env, f"b{i}", *period), env)
            pairs.append((a, b))
            peaks_a.append(peak_a)
            peaks_b.append(peak_b)
            if args.repeat > 1:
                print(f"    run {i + 1}: (a) {a:.1f} s, (b) {b:.1f} s, (b)/(a) = {b / a:.2f}", flush=True)
        c, peak_c = run(build(work, env, f"b{len(pairs) - 1}", *period), env)
        print(f"after (c): {load()}", flush=True)
        peak_a, peak_b = (None if psutil is None else max(p or 0 for p in found) for found in (peaks_a, peaks_b))
        peaks += [peak_a, peak_b, peak_c]
        a, b = statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)
        ratio = statistics.median(b / a for a, b in pairs)
        median = f"median of {len(pairs)} " if len(pairs) > 1 else ""
        print(f"(a) naive papermill + nbconvert CLIs, {len(NOTEBOOKS)} reports: {a:7.1f} s  peak {gb(peak_a)}  {median}")
        print(f"(b) analysis build, cold:                       {b:7.1f} s  peak {gb(peak_b)}  {median}")
        print(f"(c) analysis build, nothing changed:            {c:7.2f} s  peak {gb(peak_c)}")
        print(
            f"    (b)/(a) = {ratio:.2f} {median}(target <= {TARGETS['ratio']}: {verdict(ratio <= TARGETS['ratio'])}); "
            f"(c) target <= {TARGETS['no_change_s']:.0f} s: {verdict(c <= TARGETS['no_change_s'])}"
        )
        if not args.skip_all_las:
            print(f"before (d): {load()}", flush=True)
            d, peak_d = run(build(work, env, "d", "--all-las", "--force", *extra), env, ok=(0, 1))
            print(f"after (d): {load()}", flush=True)
            manifest = json.loads((work / "out-d" / "manifest.json").read_text())
            areas = len({entry["area_code"] for entry in manifest["reports"].values()})
            print(
                f"(d) --all-las --force, committee report:        {d:7.1f} s  peak {gb(peak_d)}  "
                f"{areas} areas built, {d / max(areas, 1):.2f} s per area"
            )
            print(f"    (d) target <= {TARGETS['all_las_s']:.0f} s: {verdict(d <= TARGETS['all_las_s'])}")
            peaks.append(peak_d)
        if psutil is not None:
            worst = max(p or 0 for p in peaks)
            print(
                f"peak RSS of a whole run: {gb(worst)} (target <= {TARGETS['peak_rss_gb']} GB: "
                f"{verdict(worst <= TARGETS['peak_rss_gb'] * 1e9)})"
            )
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        print(f"largest single process (ru_maxrss): {gb(largest)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
