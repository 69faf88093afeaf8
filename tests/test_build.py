"""``python -m analysis build`` on tiny fixture notebooks and a private copy of the extracts.

Kernel starts cost about a second each, so one module-wide baseline build (two areas, two worker
processes) serves most tests; each test that changes something works on copies of it.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_LOCKED, EXIT_OK, main
from analysis.publish import kernels
from analysis.publish.export import NBCONVERT_DEFAULT_ALT, leak_problems, notebook_problems, page_problems
from analysis.publish.kernels import ReusedKernel, execute
from analysis.publish.lock import BuildLock
from analysis.publish.plan import plan_targets

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
EPOCH = "1700000000"  # 2023-11-14 22:13 UTC
BUILT = "2023-11-14 22:13 UTC"
BLACKPOOL, CAMDEN = "blackpool/report.html", "camden/report.html"


@pytest.fixture(scope="module", autouse=True)
def fixed_build_time():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A copy of the extracts and a notebooks folder holding only the fixture report."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(paths.DATA_RAW, root / "raw")
    (root / "notebooks").mkdir()
    shutil.copy(FIXTURES / "report.ipynb", root / "notebooks" / "report.ipynb")
    return root


def run(site: Path, out: Path, *extra: str, raw: Path | None = None, notebooks: Path | None = None) -> int:
    return main(
        [
            "build",
            "--out",
            str(out),
            "--raw-dir",
            str(raw or site / "raw"),
            "--processed-dir",
            str(site / "processed"),
            "--notebooks-dir",
            str(notebooks or site / "notebooks"),
            *extra,
        ]
    )


@pytest.fixture(scope="module")
def baseline(site: Path) -> Path:
    """Blackpool and Camden built in parallel (the process-pool path)."""
    out = site / "baseline"
    assert run(site, out, "--la", "890", "--la", "Camden", "--jobs", "2") == EXIT_OK
    return out


def published(out: Path) -> dict[str, bytes]:
    """Every file a reader or the next build sees (the log and the staging area aside)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in ("build.log", ".lock") and ".build" not in p.parts
    }


def copy_of(out: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "out"
    shutil.copytree(out, dest)
    return dest


def with_notebook(tmp_path: Path, fixture: str) -> Path:
    """A notebooks folder whose report.ipynb is now another fixture (same output page)."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(FIXTURES / f"{fixture}.ipynb", folder / "report.ipynb")
    return folder


def page(out: Path, key: str) -> BeautifulSoup:
    return BeautifulSoup((out / key).read_text(encoding="utf-8"), "html.parser")


# ---------------------------------------------------------------- what a build publishes


def test_build_publishes_each_report_the_manifest_and_an_index(baseline: Path):
    assert set(published(baseline)) == {BLACKPOOL, CAMDEN, "index.html", "manifest.json"}
    manifest = json.loads((baseline / "manifest.json").read_text())
    assert manifest["reports"][BLACKPOOL]["area_code"] == "E06000009"
    assert manifest["reports"][BLACKPOOL]["built"] == BUILT
    index = page(baseline, "index.html")
    assert [a["href"] for a in index.find_all("a", href=True) if not a["href"].startswith("#")] == [BLACKPOOL, CAMDEN]
    rows = [tr.get_text(" ", strip=True) for tr in index.tbody.find_all("tr")]
    assert "Blackpool (890)" in rows[0] and "2012 to 2022" in rows[0] and BUILT in rows[0]
    assert "Every year:" in rows[0] and "population" in rows[0]  # coverage from the area's extract rows
    log = (baseline / "build.log").read_text().splitlines()
    assert len(log) == 2 and all("\tbuilt\t" in line for line in log)


def test_page_hides_code_loads_nothing_and_is_accessible(baseline: Path):
    html = (baseline / BLACKPOOL).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "en"
    assert soup.title.string == "Fixture report: Blackpool"
    assert soup.find("a", class_="skip-link")["href"] == "#main" and soup.find("main", id="main")
    nav = soup.find("nav", attrs={"aria-label": "Contents"})
    assert [a["href"] for a in nav.find_all("a")] == ["#summary", "#detail"]
    assert nav.ol.li.ol.li.a.string == "Detail"  # the h3 nests under its h2
    assert soup.find(id="summary").name == "h2"
    images = soup.find_all("img")
    assert len(images) == 1 and images[0]["alt"] == "A dot for area 890, 2012 to 2022"
    assert not soup.find("script") and not soup.find("link")
    assert "http://" not in html and "https://" not in html
    for code in ("import html", "print(", "sn_model =", "jp-InputArea-editor"):
        assert code not in html
    assert "DeprecationWarning" not in html  # stderr is dropped
    assert soup.find("footer").get_text(" ", strip=True).endswith(BUILT)
    assert page_problems(soup, 1) == [] and leak_problems(html) == []
    assert 'id="cell-id=cell-1"' in html  # fixed ids, not random ones


def test_two_builds_of_the_same_inputs_are_byte_identical(site: Path, baseline: Path, tmp_path: Path):
    out = tmp_path / "again"
    assert run(site, out, "--la", "890", "--la", "Camden", "--jobs", "1") == EXIT_OK
    assert published(out) == published(baseline)


# ---------------------------------------------------------------- incremental


def test_second_build_skips_every_report_quickly(site: Path, baseline: Path, tmp_path: Path, capsys):
    out = copy_of(baseline, tmp_path)
    before = published(out)
    started = time.monotonic()
    assert run(site, out, "--la", "890", "--la", "Camden") == EXIT_OK
    assert time.monotonic() - started < 1.5
    assert "0 built, 2 up to date, 0 failed" in capsys.readouterr().out
    assert published(out) == before


def test_changing_one_areas_rows_rebuilds_only_its_report(site: Path, baseline: Path, tmp_path: Path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(site / "raw", raw)
    events = raw / "local" / "events.csv"  # hand-curated, Blackpool's rows only: a free-text edit stays valid
    with open(events, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("description")
    assert rows[1][rows[0].index("area_code")] == "E06000009"
    rows[1][column] += " (edited)"
    with open(events, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    targets = plan_targets(("890", "202"), False, 2012, 2022, "2021", raw)
    assert "E06000009" not in targets[1].depends_on  # Camden does not read Blackpool's rows
    out = copy_of(baseline, tmp_path)
    camden = (out / CAMDEN).read_bytes()
    assert run(site, out, "--la", "890", "--la", "202", raw=raw) == EXIT_OK
    assert "1 built, 1 up to date, 0 failed" in capsys.readouterr().out
    assert (out / CAMDEN).read_bytes() == camden
    assert (out / "build.log").read_text().splitlines()[-1].split("\t")[1:3] == ["built", BLACKPOOL]


# ---------------------------------------------------------------- failures never replace a published page


def test_failing_report_exits_1_keeps_its_page_and_does_not_stop_the_others(
    site: Path, baseline: Path, tmp_path: Path, capsys
):
    out = copy_of(baseline, tmp_path)
    before = published(out)
    notebooks = with_notebook(tmp_path, "raises")  # raises for 890 only
    assert run(site, out, "--la", "890", "--la", "202", "--jobs", "2", notebooks=notebooks) == EXIT_FAILED
    err = capsys.readouterr().err
    # Cell 4 of the executed notebook: papermill inserts the injected-parameters cell.
    assert "FAILED blackpool/report.html: cell 4 raised RuntimeError: fixture failure mid-way" in err
    assert "camden" not in err
    after = published(out)
    assert after[BLACKPOOL] == before[BLACKPOOL]
    manifest = [json.loads(m) for m in (before["manifest.json"], after["manifest.json"])]
    assert manifest[1]["reports"][BLACKPOOL] == manifest[0]["reports"][BLACKPOOL]
    assert after[CAMDEN] != before[CAMDEN] and b"Fixture that fails for one area: Camden" in after[CAMDEN]
    kept = nbformat.read(out / ".build" / "failed" / "blackpool" / "report.ipynb", as_version=4)
    assert any(o.output_type == "error" for c in kept.cells for o in c.get("outputs", []))


def test_hung_notebook_is_killed_at_the_timeout(site: Path, baseline: Path, tmp_path: Path, capsys):
    out = copy_of(baseline, tmp_path)
    before = published(out)
    started = time.monotonic()
    code = run(site, out, "--la", "890", "--timeout", "4", notebooks=with_notebook(tmp_path, "hangs"))
    assert code == EXIT_FAILED
    assert time.monotonic() - started < 30  # the notebook sleeps for 600 s
    assert "timed out after 4 s; kernel killed" in capsys.readouterr().err
    assert published(out) == before


# ---------------------------------------------------------------- a kernel reused across reports


def kernel_runs(out: Path) -> dict[str, str]:
    """Page -> "report N of its kernel" from the build log (N = 1: a fresh kernel)."""
    found = {}
    for line in (out / "build.log").read_text().splitlines():
        _, status, key, _, message = line.split("\t")
        if status == "built":
            found[key] = message.split(", ")[-1]
    return found


def test_committee_report_built_after_another_area_is_identical_to_one_built_in_a_fresh_kernel(site: Path, tmp_path: Path):
    """Rutland (857) built in the kernel that has just built Blackpool (890) == Rutland in a fresh kernel, byte for byte."""
    rutland = "rutland/03_committee_report.html"
    reused, fresh = tmp_path / "reused", tmp_path / "fresh"
    committee = ("--notebooks", "03_committee_report")
    assert run(site, reused, "--la", "890", "--la", "857", *committee, "--jobs", "1", notebooks=paths.NOTEBOOKS) == EXIT_OK
    assert run(site, fresh, "--la", "857", *committee, "--fresh-kernels", notebooks=paths.NOTEBOOKS) == EXIT_OK
    assert kernel_runs(reused)[rutland] == "report 2 of its kernel"
    assert kernel_runs(fresh)[rutland] == "report 1 of its kernel"
    assert (reused / rutland).read_bytes() == (fresh / rutland).read_bytes()


PROBE = """\
import hashlib, json, os
import matplotlib.pyplot as plt
import analysis.present.style
rc = json.dumps({k: repr(v) for k, v in sorted(plt.rcParams.items())})
print(json.dumps({"names": sorted(n for n in globals() if not n.startswith("_")), "figures": plt.get_fignums(),
                  "rc": hashlib.sha256(rc.encode()).hexdigest(), "cwd": os.getcwd(),
                  "count": get_ipython().execution_count, "history": len(Out)}))
if la == "pollute":
    leftover, figure = 1, plt.figure()
    plt.rcParams.update({"lines.linewidth": 9, "font.size": 30, "axes.grid": False})
    os.chdir("/")
"""


def test_a_reused_kernel_is_reset_before_each_report(tmp_path: Path, monkeypatch):
    """What a report sees in a kernel that ran a report that littered it is what it sees in a fresh kernel."""
    notebook = tmp_path / "nb" / "probe.ipynb"
    notebook.parent.mkdir()
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_code_cell('la = "890"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("1 + 1"),  # an output in Out
                nbformat.v4.new_code_cell(PROBE),
            ]
        ),
        notebook,
    )

    def state(la: str, kernel: ReusedKernel | None) -> dict:
        nb = execute(notebook, {"la": la}, timeout=60, executed=tmp_path / f"{la}.ipynb", env={}, kernel=kernel)
        return json.loads(nb.cells[-1].outputs[0].text)

    kernel = ReusedKernel()
    try:
        assert state("pollute", kernel)["figures"] == []
        reused = state("probe", kernel)
        assert kernel.reports == 2
        first = kernel.km
        monkeypatch.setattr(kernels, "code_digest", lambda: "edited")  # the package was edited
        state("probe", kernel)
        assert kernel.km is not first and kernel.reports == 1  # a new kernel imports the new code
    finally:
        kernel.close()
    assert reused == state("probe", None)
    assert "leftover" not in reused["names"] and reused["history"] == 1 and reused["cwd"] == str(notebook.parent)


@pytest.mark.parametrize(
    "trouble, message",
    [
        ('raise RuntimeError("fixture failure")', "raised RuntimeError: fixture failure"),
        ("import time\ntime.sleep(600)", "timed out after 4 s; kernel killed"),
    ],
)
def test_after_a_failure_or_timeout_the_next_report_gets_a_fresh_kernel(
    site: Path, tmp_path: Path, capsys, trouble: str, message: str
):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.read(FIXTURES / "report.ipynb", as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell('if la == "890":\n' + textwrap.indent(trouble, "    ")))
    nbformat.write(nb, folder / "report.ipynb")
    out = tmp_path / "out"
    started = time.monotonic()
    assert (
        run(site, out, "--la", "890", "--la", "202", "--la", "Rutland", "--jobs", "1", "--timeout", "4", notebooks=folder)
        == EXIT_FAILED
    )
    assert time.monotonic() - started < 40
    assert message in capsys.readouterr().err
    assert kernel_runs(out) == {CAMDEN: "report 1 of its kernel", "rutland/report.html": "report 2 of its kernel"}


def test_a_killed_build_leaves_no_worker_or_kernel_running(site: Path, tmp_path: Path):
    """SIGKILL the build while its workers' kernels run: the workers notice, kill their kernels and end."""
    import psutil

    def kernels(processes: list) -> list[str]:
        """The connection files of the kernels among ``processes``."""
        found = []
        for p in processes:
            with contextlib.suppress(psutil.Error):
                cmdline = p.cmdline()
                if "ipykernel_launcher" in cmdline:
                    found.append(cmdline[cmdline.index("-f") + 1])
        return found

    cmd = [
        sys.executable,
        "-m",
        "analysis",
        "build",
        "--out",
        str(tmp_path / "out"),
        "--raw-dir",
        str(site / "raw"),
        "--processed-dir",
        str(site / "processed"),
        "--notebooks-dir",
        str(with_notebook(tmp_path, "hangs")),
        "--la",
        "890",
        "--la",
        "202",
        "--jobs",
        "2",
    ]
    proc = subprocess.Popen(
        cmd, cwd=paths.REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    started, spawned = time.monotonic(), []
    try:
        while time.monotonic() - started < 60 and proc.poll() is None and len(kernels(spawned)) < 2:
            time.sleep(0.2)
            with contextlib.suppress(psutil.Error):
                spawned = psutil.Process(proc.pid).children(recursive=True)
        files = kernels(spawned)
    finally:
        proc.kill()
        proc.wait()
    _, alive = psutil.wait_procs(spawned, timeout=15)
    for p in alive:  # never leave them behind, even when the test fails
        with contextlib.suppress(psutil.Error):
            p.kill()
    assert len(files) == 2, "the two kernels did not start"
    assert alive == []
    assert [f for f in files if Path(f).exists()] == []


# ---------------------------------------------------------------- lock and bad input


def test_second_build_exits_3_naming_the_holder(site: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    with BuildLock(out / ".lock"):
        assert run(site, out, "--la", "890") == EXIT_LOCKED
    assert f"pid {os.getpid()}" in capsys.readouterr().err
    assert not (out / "index.html").exists()


def test_stale_lock_of_a_dead_build_is_taken_over(site: Path, baseline: Path, tmp_path: Path, capsys):
    out = copy_of(baseline, tmp_path)
    dead = subprocess.Popen(["true"])
    dead.wait()
    (out / ".lock").write_text(json.dumps({"pid": dead.pid, "started": "2023-11-14 22:00:00 UTC"}))
    assert run(site, out, "--la", "890", "--la", "202") == EXIT_OK
    assert f"took over the lock left by pid {dead.pid}" in capsys.readouterr().err
    assert (out / ".lock").read_text() == ""  # released


def test_invalid_extracts_exit_2_before_any_notebook_runs(site: Path, tmp_path: Path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(site / "raw", raw)
    population = raw / "official" / "population.csv"
    lines = population.read_text(encoding="utf-8").splitlines(keepends=True)
    population.write_text(lines[0] + lines[1].replace(",", ",not a number,", 1) + "".join(lines[2:]), encoding="utf-8")
    out = tmp_path / "out"
    assert run(site, out, "--la", "890", raw=raw) == EXIT_BAD_INPUT
    assert "population.csv" in capsys.readouterr().err
    assert not (out / "blackpool").exists() and not (out / "index.html").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--la", "Atlantis"], "Atlantis"),
        (["--la", "890", "--notebooks", "missing"], "no notebook missing.ipynb"),
        (["--la", "890", "--start-year", "2022", "--end-year", "2012"], "after end year"),
        (["--la", "890", "--sn-model", "1999"], "1999"),
    ],
)
def test_bad_requests_exit_2(site: Path, tmp_path: Path, capsys, args: list[str], message: str):
    assert run(site, tmp_path / "out", *args) == EXIT_BAD_INPUT
    assert message in capsys.readouterr().err


def test_notebook_without_a_parameters_cell_is_rejected(site: Path, tmp_path: Path, capsys):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.read(FIXTURES / "report.ipynb", as_version=4)
    nb.cells[1].metadata.tags = []
    nbformat.write(nb, folder / "report.ipynb")
    assert run(site, tmp_path / "out", "--la", "890", notebooks=folder) == EXIT_BAD_INPUT
    assert "exactly one cell tagged 'parameters'" in capsys.readouterr().err


def test_all_las_means_every_authority_that_existed_in_the_period(site: Path):
    targets = plan_targets((), True, 2012, 2019, "2021", site / "raw")
    slugs = [t.slug for t in targets]
    assert len(slugs) == len(set(slugs)) and len({t.la_code for t in targets}) == len(targets)
    # Dorset 835 (abolished 2019) and Dorset 838 (created 2019) share a name, so their folders carry the code.
    assert {"blackpool", "dorset-835", "dorset-838", "poole", "northamptonshire"} <= set(slugs)
    assert "cumberland" not in slugs  # created on 1 April 2023


# ---------------------------------------------------------------- the checks themselves, without a kernel


def test_notebook_checks_flag_errors_tracebacks_and_images_without_alt():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output("error", ename="ValueError", evalue="bad", traceback=[]),
        nbformat.v4.new_output("stream", name="stdout", text="Traceback (most recent call last):\n"),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"}),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"}, metadata={"image/png": {"alt": "A chart"}}),
    ]
    assert notebook_problems(nb) == [
        "cell 0 has an error output (ValueError: bad)",
        "cell 0 printed a traceback",
        "cell 0 has an image/png output without alt text",
    ]


def test_page_checks_flag_network_loads_scripts_missing_alt_and_missing_charts():
    soup = BeautifulSoup(
        '<html><head><link rel="stylesheet" href="https://cdn.example/x.css">'
        '<style>@import url("https://cdn.example/y.css");</style></head><body><main>'
        f'<img src="data:image/png;base64,AA" alt="{NBCONVERT_DEFAULT_ALT}"><img src="data:image/png;base64,AA">'
        '<script src="https://cdn.example/require.js"></script><p onclick="x()">t</p>'
        '<a href="https://www.gov.uk/">a link is fine</a></main></body></html>',
        "html.parser",
    )
    problems = page_problems(soup, 3)
    assert "page has no lang attribute" in problems
    assert "2 image(s) without alt text" in problems
    assert "expected at least 3 chart(s), found 2" in problems
    assert "page contains a script" in problems
    assert "<p> has an inline event handler (a script)" in problems
    assert "a stylesheet loads a resource from outside the page" in problems
    assert sum("loads a resource from outside the page" in p for p in problems) == 3  # link, script, @import
    assert not any("gov.uk" in p for p in problems)


def test_leak_check_finds_local_paths_but_ignores_image_data():
    assert leak_problems(f"<p>read from {paths.REPO_ROOT}/data/raw</p>")
    assert leak_problems(f"<p>{Path.home()}/notes</p>")
    assert leak_problems('<img src="data:image/png;base64,/home/abc/tmp/work" alt="x">') == []
    assert leak_problems("<p>Blackpool, 2012 to 2022</p>") == []


def test_the_planner_checks_requests_without_charts_or_statistics_libraries():
    """Planning (request check and inputs declaration) imports neither matplotlib nor scipy, nor analysis.report."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from analysis.publish.plan import plan_targets; "
        "t = plan_targets(('890',), False, 2012, 2022, '2021', Path('data/raw')); "
        "print(t[0].slug, *(m in sys.modules for m in ('matplotlib', 'scipy', 'analysis.report')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=paths.REPO_ROOT)
    assert done.stdout.split() == ["blackpool", "False", "False", "False"], done.stderr


def test_preload_reads_what_it_can_and_leaves_failures_to_load(tmp_path):
    from analysis.data import load as load_module

    load_module._load_cached.cache_clear()
    load_module.preload(["areas", "no_such_extract"])  # an unknown name is load's KeyError, not preload's
    assert load_module._load_cached.cache_info().currsize == 1
    load_module.preload(["areas"], tmp_path)  # no files there: DataError, left for the report's own load
