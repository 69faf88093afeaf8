"""Project-level promises: environment files agree, docs are generated, notebooks are clean."""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from analysis import paths
from analysis.data.dictionary import markdown


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_and_pyproject_list_the_same_packages():
    project = tomllib.loads((paths.REPO_ROOT / "pyproject.toml").read_text())["project"]
    pip_side = {_name(r) for r in project["dependencies"]}
    pip_side |= {_name(r) for r in project["optional-dependencies"]["test"]}
    env = yaml.safe_load((paths.REPO_ROOT / "environment.yml").read_text())
    conda_side = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert pip_side == conda_side, (
        f"only in pyproject: {sorted(pip_side - conda_side)}; only in environment.yml: {sorted(conda_side - pip_side)}"
    )


def test_data_dictionary_is_up_to_date():
    committed = (paths.DOCS / "data_dictionary.md").read_text()
    assert committed == markdown(), "run `python -m analysis dictionary` and commit docs/data_dictionary.md"


def test_notebooks_are_committed_without_outputs():
    for nb_path in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        nb = json.loads(nb_path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, nb_path.name
