"""Notebooks an analyst can run directly: one source, the project's kernel named, parameters checked.

The two papermill runs here start real kernels (about 15 s each): they are the analyst's commands,
``papermill notebooks/03_committee_report.ipynb out.ipynb -p la 890`` without ``-k``, and the same
with ``-p comparators england``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import papermill
import pytest

from analysis import paths
from analysis.publish.model import KERNEL, NOTEBOOK_PARAMETERS
from analysis.publish.sets import load_sets
from analysis.report._params import ParameterError, check_parameters

COMMITTEE = paths.NOTEBOOKS / "03_committee_report.ipynb"


def _generator():
    spec = importlib.util.spec_from_file_location("make_notebooks", paths.REPO_ROOT / "tools" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_reproduces_every_committed_notebook_byte_for_byte():
    written = _generator().notebooks()
    assert sorted(p.name for p in written) == sorted(p.name for p in paths.NOTEBOOKS.glob("*.ipynb"))
    for path, text in written.items():
        assert path.read_text(encoding="utf-8") == text, f"run python tools/make_notebooks.py ({path.name} differs)"


@pytest.mark.parametrize("path", sorted(paths.NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_each_notebook_names_the_project_kernel_and_papermill_lists_its_parameters(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == KERNEL
    found = papermill.inspect_notebook(path)
    assert list(found) == list(NOTEBOOK_PARAMETERS)
    default = load_sets().get(None)
    assert found["la"]["default"] == json.dumps(default.areas[0])
    assert found["start_year"]["default"] == str(default.start_year)
    assert found["comparators"]["default"] == json.dumps(list(default.comparators))


def test_papermill_spellings_are_converted():
    assert check_parameters(890, "2012", 2022, 2021, "england") == ("890", 2012, 2022, "2021", ("england",))
    assert check_parameters("890", "201112", "2021-22", "2021", "region")[1:3] == (2012, 2022)  # DfE's names
    assert check_parameters("Blackpool", 2012, "2022", "2025", ["region", "neighbours"]).comparators == (
        "region",
        "neighbours",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((None, 2012, 2022, "2021", "england"), "la must be a DfE code (890), an ONS code (E06000009) or a name, not None"),
        (("890", None, 2022, "2021", "england"), "start_year must be a year such as 2012 (or DfE's 201112), not None"),
        (("890", 2012.0, 2022, "2021", "england"), "start_year must be a year such as 2012 (or DfE's 201112), not 2012.0"),
        (("890", 2012, "twenty", "2021", "england"), "end_year must be a year such as 2012 (or DfE's 201112), not 'twenty'"),
        (("890", 2012, 2022, 2021.5, "england"), "sn_model must be one of '2021', '2025', not 2021.5"),
        (("890", 2012, 2022, "2021", None), "comparators must be one or more of england, region, neighbours, not None"),
        (("890", 2012, 2022, "2021", "wales"), "comparators: unknown 'wales'; choose from england, region, neighbours"),
        (("890", 2012, 2022, "2021", 1.5), "comparators must be one or more of england, region, neighbours, not 1.5"),
        (("890", 2022, 2012, "2021", "england"), "start_year 2022 is after end_year 2012"),
    ],
)
def test_a_bad_parameter_gets_one_line_naming_it(args, message):
    with pytest.raises(ParameterError) as err:
        check_parameters(*args)
    assert str(err.value) == message and "\n" not in str(err.value)


def _papermill(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    out = tmp_path / "out.ipynb"
    cmd = [
        str(Path(sys.executable).parent / "papermill"),
        str(COMMITTEE),
        str(out),
        "-p",
        "la",
        "890",
        *extra,
        "--cwd",
        str(paths.NOTEBOOKS),
        "--no-progress-bar",
    ]
    # The kernel imports this checkout's package (as in a build), wherever the test runs from.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(paths.REPO_ROOT / "src"), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)


def test_papermill_runs_the_committee_report_without_naming_a_kernel(tmp_path: Path, processed: Path):
    result = _papermill(tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    nb = json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["parameters"] == {"la": 890}
    assert not [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]


def test_papermill_with_one_comparator_as_a_plain_string(tmp_path: Path, processed: Path):
    result = _papermill(tmp_path, "-p", "comparators", "england")
    assert result.returncode == 0, result.stderr[-2000:]
    nb = json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["parameters"]["comparators"] == "england"
    html = "".join(
        "".join(o["data"]["text/html"])
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if "text/html" in o.get("data", {})
    )
    assert "Rank among neighbours" not in html and "North West</th>" not in html  # the tables show England only
    assert "<th>England</th>" in html or ">England<" in html
    trend_alts = re.findall(r'alt="(Line chart of [^"]*)"', html)
    assert len(trend_alts) >= 9 and not [a for a in trend_alts if "neighbours" in a or "North West" in a]
