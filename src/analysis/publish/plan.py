"""Planning a build: which areas, which notebooks, and what each report depends on."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.data.fingerprint import fingerprint
from analysis.publish.model import ALL_LAS_NOTEBOOKS, NOTEBOOK_PARAMETERS, BuildInputError, BuildOptions, Target


def plan_targets(las: tuple[str, ...], all_las: bool, start: int, end: int, sn_model: str,
                 raw_dir: Path) -> list[Target]:
    """Resolve the requested areas with ``analysis.measures.comparators``, the lookup the notebooks use.

    ``all_las`` means every local authority that existed during ``start``..``end`` (one per DfE
    code). What each report reads is ``analysis.report.reads``' declaration for the area's
    comparators (its area, England, its region and its neighbours in ``sn_model`` under every
    ONS code each neighbour had), exactly what ``analysis.report.context`` serves it.
    """
    from analysis.data.load import load
    from analysis.measures.comparators import comparators, resolve_area
    from analysis.report.reads import declare

    areas = load("areas", raw_dir)
    neighbours = load("neighbours", raw_dir)
    las_frame = areas[areas["geographic_level"] == "local_authority"]
    if all_las:
        existed = las_frame[(las_frame["first_year"] <= end) & (las_frame["last_year"] >= start)]
        queries = sorted(set(existed["la_code"].dropna()))
    else:
        queries = list(las)
    names = las_frame.groupby(las_frame["area_name"].str.casefold())["la_code"].nunique()
    shared_names = set(names[names > 1].index)
    targets: dict[str, Target] = {}
    slugs: dict[str, str] = {}
    for query in queries:
        try:
            area = resolve_area(query, areas, (start, end))
            reads = declare(comparators(area, areas, neighbours, sn_model).codes())
        except ValueError as exc:
            raise BuildInputError(str(exc)) from None
        slug = re.sub(r"[^a-z0-9]+", "-", area.name.lower()).strip("-")
        if area.name.casefold() in shared_names:  # e.g. Dorset 835 (to 2019) and Dorset 838 (from 2019)
            slug = f"{slug}-{area.la_code}"
        if slugs.setdefault(slug, area.code) != area.code:
            raise BuildInputError(f"{slugs[slug]} and {area.code} would both publish to {slug}/: ask for one")
        targets.setdefault(area.code, Target(area.code, area.la_code, area.name, slug, reads.areas, reads.extracts,
                                             reads.processed))
    if not targets:
        raise BuildInputError(f"no local authority existed in {start}-{end}")
    return list(targets.values())


def select_notebooks(names: tuple[str, ...], all_las: bool, notebooks_dir: Path) -> list[Path]:
    """The notebooks to run, each checked to declare exactly the parameters the build passes."""
    if not names:
        names = ALL_LAS_NOTEBOOKS if all_las else tuple(sorted(p.stem for p in notebooks_dir.glob("*.ipynb")))
    found = []
    for name in dict.fromkeys(n.removesuffix(".ipynb") for n in names):
        path = notebooks_dir / f"{name}.ipynb"
        if not path.is_file():
            raise BuildInputError(f"no notebook {path.name} in {notebooks_dir}")
        check_notebook(path)
        found.append(path)
    if not found:
        raise BuildInputError(f"no notebooks in {notebooks_dir}")
    return found


def check_notebook(path: Path) -> None:
    """Exactly one cell tagged ``parameters``, assigning every parameter the build passes.

    papermill only warns when the tag is missing (and then injects at the top); here it is an
    error, found before any kernel starts.
    """
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as exc:
        raise BuildInputError(f"{path.name} is not a readable notebook: {exc}") from None
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise BuildInputError(f"{path.name} must have exactly one cell tagged 'parameters' (has {len(tagged)})")
    source = "".join(tagged[0]["source"]) if isinstance(tagged[0]["source"], list) else tagged[0]["source"]
    declared = set(re.findall(r"^\s*(\w+)\s*(?::[^=\n]+)?=", source, flags=re.MULTILINE))
    missing = [p for p in NOTEBOOK_PARAMETERS if p not in declared]
    if missing:
        raise BuildInputError(f"{path.name}: the parameters cell does not assign {', '.join(missing)}")


def notebook_imports(notebooks: list[Path]) -> str:
    """Every import statement at the top level of the notebooks' code cells, once each, in order.

    What a worker runs in its kernel before the first report: nothing a notebook would not
    import itself (the reset before each report clears the names; the modules stay, as in any
    reused kernel). A cell that is not plain Python (a magic) is skipped.
    """
    import ast

    found: dict[str, None] = {}
    for path in notebooks:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            found.update(dict.fromkeys(ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)))
    return "\n".join(found)


def build_time() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; always UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError):
        raise BuildInputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None



def cached_targets(options: BuildOptions, cache: dict[str, Any], inputs: str) -> list[Target]:
    """The plan of the last build if the request and every input are the same (no pandas: fast)."""
    request = {"las": list(options.las), "all_las": options.all_las, "start": options.start_year,
               "end": options.end_year, "sn_model": options.sn_model, "inputs": inputs}
    key = fingerprint(request)
    if cache.get("plan", {}).get("key") == key:
        return [Target.from_json(t) for t in cache["plan"]["targets"]]
    targets = plan_targets(options.las, options.all_las, options.start_year, options.end_year,
                           options.sn_model, options.raw_dir)
    cache["plan"] = {"key": key, "targets": [t.to_json() for t in targets]}
    return targets
