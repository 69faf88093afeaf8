"""The package's shape: imports run one way between the stages, no import cycle, no module over 400 lines.

Stages, from the top: ``cli`` -> ``publish`` -> ``report`` -> ``present`` / ``measures`` -> ``data``;
``paths`` and ``errors`` sit under everything. Every import counts, including those inside
functions (a lazy import is still a dependency). docs/architecture.md explains the stages.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "analysis"
# A module may import from its own stage and from any stage with a lower rank.
RANK = {
    "__main__": 6,
    "cli": 5,
    "publish": 4,
    "report": 3,
    "present": 2,
    "measures": 2,
    "data": 1,
    "paths": 0,
    "errors": 0,
    "__init__": 0,
}
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every ``analysis`` module ``path`` imports (``from analysis.x import y`` counts x.y when it is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in found if m == "analysis" or m.startswith("analysis.")}


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _stage(module: str) -> str:
    return module.split(".")[1] if "." in module else "__init__"


def test_every_module_belongs_to_a_stage():
    assert {_stage(m) for m in _graph()} <= set(RANK)


def test_imports_run_one_way_between_stages():
    wrong = sorted(
        f"{m} imports {d}"
        for m, deps in _graph().items()
        for d in deps
        if _stage(d) != _stage(m) and RANK[_stage(d)] >= RANK[_stage(m)] and _stage(d) != "__init__"
    )
    assert not wrong, "\n".join(wrong)


def test_there_is_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append(" -> ".join(path[path.index(dep) :] + [dep]))
            elif dep not in state:
                visit(dep, path + [dep])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_the_walk_sees_lazy_and_relative_imports(tmp_path: Path):
    """The checker itself: an import inside a function is found, so a back-edge cannot hide there."""
    graph = _graph()
    assert "analysis.publish.kernels" in graph["analysis.publish.workers"]  # imported inside a function
    assert "analysis.data.load" in graph["analysis.publish.plan"]


def test_data_declarations_do_not_import_pandas():
    heavy = {"pandas", "numpy", "matplotlib"}
    for path in sorted((PACKAGE / "data" / "specs").rglob("*.py")) + [PACKAGE / "data" / "registry.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not names & heavy, f"{path.name} imports {sorted(names & heavy)}"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_is_over_400_lines(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines: split it by job"


# A spec and the parser that derives its extract share their name on purpose: data/specs/X + data/official/X.
PAIRED_FOLDERS = ["data/official", "data/specs"]


def _stems() -> dict[str, list[str]]:
    """Module name (a leading underscore ignored) -> the folders holding a module of that name."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("__init__.py", "__main__.py"):
            continue
        found.setdefault(path.stem.lstrip("_"), []).append(path.parent.relative_to(PACKAGE).as_posix())
    return found


def test_no_two_modules_share_a_name_but_a_spec_and_its_parser():
    clashes = {stem: folders for stem, folders in _stems().items() if len(folders) > 1 and folders != PAIRED_FOLDERS}
    assert not clashes, "\n".join(f"{stem}: in {', '.join(folders)}" for stem, folders in sorted(clashes.items()))


def test_the_name_check_sees_a_clash():
    """The checker itself: the spec/parser pairs are found (so a third folder with the name would be a clash)."""
    stems = _stems()
    assert stems["cin_cp"] == PAIRED_FOLDERS and stems["context"] == ["report"]


def test_no_module_imports_ipython():
    """A report section is shown through its _repr_html_ (analysis.present.html.Section): nothing needs IPython."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not {m for m in names if m.split(".")[0] == "IPython"}, path.relative_to(PACKAGE)


def _table_tool():
    import importlib.util

    path = PACKAGE.parents[1] / "tools" / "architecture_table.py"
    spec = importlib.util.spec_from_file_location("architecture_table", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_module_table_in_docs_architecture_is_current():
    tool = _table_tool()
    doc = PACKAGE.parents[1] / "docs" / "architecture.md"
    text = doc.read_text(encoding="utf-8")
    assert tool.rewritten(text) == text, "run python tools/architecture_table.py and commit docs/architecture.md"
    rows = [line for line in tool.module_table().splitlines() if line.startswith("| `") or line.startswith("| **`")]
    assert len(rows) == len(list(PACKAGE.rglob("*.py")))  # every module, each once


def test_every_module_says_what_it_does_in_its_docstring(tmp_path: Path):
    tool = _table_tool()
    for path in sorted(PACKAGE.rglob("*.py")):
        assert len(tool.summary(path)) > 20, path.relative_to(PACKAGE)
    bare = tmp_path / "bare.py"
    bare.write_text("x = 1\n", encoding="utf-8")
    tool.ROOT = tmp_path
    with pytest.raises(ValueError, match="bare.py has no docstring"):
        tool.summary(bare)
