"""The report-set file (config/report_sets.yml) and everything that must read it instead of repeating it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis import paths
from analysis.cli import EXIT_BAD_INPUT, build_parser, main
from analysis.publish.sets import ReportSetError, load_sets

GOOD = """
defaults:
  start_year: 2012
  end_year: 2022
  sn_model: "2021"
  comparators: [england, region, neighbours]
  notebooks: [03_committee_report]
default: one
sets:
  one:
    description: One area.
    areas: ["890"]
"""


def test_the_committed_file_has_the_sets_the_schedules_use():
    sets = load_sets()
    assert sets.default == "blackpool"
    blackpool, every = sets.get("blackpool"), sets.get("all-las")
    assert blackpool.areas == ("890",) and not blackpool.all_las
    assert (blackpool.start_year, blackpool.end_year, blackpool.sn_model) == (2012, 2022, "2021")
    assert blackpool.notebooks == ("01_data_quality", "02_trajectory", "03_committee_report")
    assert every.all_las and every.areas == () and every.notebooks == ("03_committee_report",)
    for name in blackpool.notebooks:
        assert (paths.NOTEBOOKS / f"{name}.ipynb").is_file()


@pytest.mark.parametrize(
    ("edit", "key", "reason"),
    [
        (("start_year: 2012", "start_year: twenty"), "defaults.start_year", "must be a year"),
        (('sn_model: "2021"', 'sn_model: "2019"'), "defaults.sn_model", "must be one of 2021, 2025"),
        (("[england, region, neighbours]", "[england, county]"), "defaults.comparators", "unknown comparator 'county'"),
        (('areas: ["890"]', "areas: []"), "sets.one.areas", "must be `all` or a non-empty list"),
        (("default: one", "default: two"), "default", "names no set: 'two'"),
        (("    description: One area.\n", ""), "sets.one", "missing description"),
        (("    areas:", "    colour: red\n    areas:"), "sets.one.colour", "unknown key"),
        (("end_year: 2022", "end_year: 2010"), "sets.one", "start_year 2012 is after end_year 2010"),
        (("sets:", "sets: [\n"), "", "not valid YAML"),
    ],
)
def test_a_bad_file_names_the_file_the_key_and_the_reason(tmp_path: Path, edit, key, reason):
    path = tmp_path / "sets.yml"
    path.write_text(GOOD.replace(*edit), encoding="utf-8")
    with pytest.raises(ReportSetError) as err:
        load_sets(path)
    assert err.value.key == key and reason in err.value.reason
    assert str(err.value).startswith(f"{path}: ")


def test_build_with_a_bad_set_file_or_an_unknown_set_exits_2(tmp_path: Path, capsys):
    bad = tmp_path / "sets.yml"
    bad.write_text(GOOD.replace("start_year: 2012", "start_year: 2012.5"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", "--set", "one", "--sets-file", str(bad), "--out", str(out)]) == EXIT_BAD_INPUT
    assert f"{bad}: defaults.start_year: must be a year such as 2012, got 2012.5" in capsys.readouterr().err
    assert main(["build", "--set", "nope", "--out", str(out)]) == EXIT_BAD_INPUT
    assert "no set named 'nope'; known: blackpool, all-las" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_schedules_and_ci_name_a_set_and_repeat_no_default():
    root = paths.REPO_ROOT
    files = [
        root / "Makefile",
        root / "deploy" / "crontab",
        root / "deploy" / "analysis-reports.service",
        root / ".github" / "workflows" / "reports.yml",
    ]
    for path in files:
        text = path.read_text(encoding="utf-8")
        commands = [line for line in text.splitlines() if "analysis build" in line and not line.lstrip().startswith("#")]
        assert commands or "make reports" in text, path.name
        for line in commands:
            assert "--set" in line, f"{path.name}: {line.strip()}"
            assert not re.search(r"--(la|all-las|start-year|end-year|sn-model|comparators)\b", line), line
        assert not re.search(r"\b(2012|2022)\b", text), f"{path.name} repeats a year of the default set"


@pytest.mark.parametrize("value", ["inf", "nan", "0", "-5", "abc", "-inf"])
def test_timeout_must_be_finite_and_positive(value: str, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["build", "--set", f"--timeout={value}"])
    assert exit_.value.code == EXIT_BAD_INPUT
    assert (
        f"argument --timeout: {value!r} is not a finite positive number of seconds (or 'none' for no limit)"
        in capsys.readouterr().err
    )


def test_timeout_none_means_no_limit_and_a_number_is_seconds():
    assert build_parser().parse_args(["build", "--set", "--timeout", "none"]).timeout is None
    assert build_parser().parse_args(["build", "--set", "--timeout", "90.5"]).timeout == 90.5
    assert build_parser().parse_args(["build", "--set"]).timeout == 600.0


def test_each_raw_data_folder_says_who_writes_every_file_in_it():
    from analysis.data.registry import all_specs

    for folder in ("official", "local"):
        readme = (paths.REPO_ROOT / "data" / "raw" / folder / "README.md").read_text(encoding="utf-8")
        assert "Who writes these files" in readme
        for spec in all_specs().values():
            if spec.path.startswith(f"{folder}/"):
                assert f"`{spec.path.removeprefix(folder + '/')}`" in readme, f"{folder}/README.md: {spec.path}"


def test_lint_runs_the_offline_pre_commit_hooks_and_test_runs_lint():
    import yaml

    config = yaml.safe_load((paths.REPO_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert all(repo["repo"] == "local" for repo in config["repos"])  # nothing fetched from the network
    assert all(h["language"] == "system" for h in hooks.values())
    assert {"ruff", "ruff-format", "nbstripout", "check-added-large-files", "end-of-file-fixer"} <= set(hooks)
    makefile = (paths.REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: .*\blint\b", makefile, flags=re.MULTILINE)
    assert re.search(r"^lint: .*\n\t.*pre-commit run --all-files", makefile, flags=re.MULTILINE)
    assert re.search(r"^help: .*##", makefile, flags=re.MULTILINE)


@pytest.mark.parametrize("years", [[], ["--start-year", "201112", "--end-year", "2022"]])
def test_the_build_command_decides_without_pandas(tmp_path: Path, years: list[str]):
    """Reading the set file and the request (years as DfE writes them too), up to planning, imports no
    pandas (a no-change build stays light)."""
    import subprocess
    import sys

    (tmp_path / "notebooks").mkdir()
    code = (
        "import sys; from analysis.cli import main; "
        f"code = main(['build', '--set', '--out', {str(tmp_path / 'out')!r}, *{years!r}, "
        f"'--notebooks-dir', {str(tmp_path / 'notebooks')!r}]); "
        "print(code, 'pandas' in sys.modules, 'analysis.report' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["2", "False", "False"], done.stderr  # refused: no notebook 01_data_quality
    assert "no notebook 01_data_quality.ipynb" in done.stderr
