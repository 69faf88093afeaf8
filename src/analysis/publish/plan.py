"""Planning a build: which areas, which notebooks, and what each report depends on."""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.data.fingerprint import fingerprint
from analysis.publish.model import ALL_LAS_NOTEBOOKS, KERNEL, NOTEBOOK_PARAMETERS, BuildInputError, BuildOptions, Target


def plan_targets(las: tuple[str, ...], all_las: bool, start: int, end: int, sn_model: str, raw_dir: Path) -> list[Target]:
    """Check and resolve the requested areas with ``analysis.measures.request.check_request``, as notebooks do.

    ``all_las`` means every local authority that existed during ``start``..``end`` (one per DfE
    code, from ``analysis.data.geography``). What each report reads is ``analysis.measures.reads``'
    declaration for the area's comparators (its area, England, its region and its neighbours in the
    model used, under every ONS code each authority has had), exactly what the context serves it.
    Raises BuildInputError (one line) for a period, area or model the data cannot give.
    """
    from analysis.data.geography import geography
    from analysis.data.load import load
    from analysis.measures.comparators import authority_area, comparators
    from analysis.measures.reads import declare
    from analysis.measures.request import check_period, check_request

    try:
        start, end = check_period(start, end, raw_dir)
    except ValueError as exc:
        raise BuildInputError(str(exc)) from None
    areas = load("areas", raw_dir)
    neighbours = load("neighbours", raw_dir)
    geo = geography(raw_dir)
    queries = [a.la_code for a in geo.existing(start, end)] if all_las else list(las)
    names: dict[str, set[str]] = {}
    for a in geo.authorities.values():
        names.setdefault(a.name.casefold(), set()).add(a.la_code)
    shared_names = {n for n, codes in names.items() if len(codes) > 1}
    targets: dict[str, Target] = {}
    slugs: dict[str, str] = {}
    for query in queries:
        try:
            req = check_request(query, start, end, sn_model, raw_dir)
        except ValueError as exc:
            raise BuildInputError(str(exc)) from None
        area = authority_area(req.authority, end)
        reads = declare(comparators(area, areas, neighbours, req.sn_model).codes())
        slug = re.sub(r"[^a-z0-9]+", "-", area.name.lower()).strip("-")
        if area.name.casefold() in shared_names:  # e.g. Dorset 835 (to 2019) and Dorset 838 (from 2019)
            slug = f"{slug}-{area.la_code}"
        if slugs.setdefault(slug, area.la_code) != area.la_code:
            raise BuildInputError(f"{slugs[slug]} and {area.la_code} would both publish to {slug}/: ask for one")
        targets.setdefault(
            area.la_code,
            Target(
                area.code,
                area.la_code,
                area.name,
                slug,
                reads.areas,
                reads.extracts,
                reads.processed,
                req.sn_model,
                area.all_codes,
            ),
        )
    if not targets:
        raise BuildInputError(f"no local authority existed in {start}-{end}")
    return list(targets.values())


def select_notebooks(
    names: tuple[str, ...], all_las: bool, notebooks_dir: Path, checked: dict[str, Any] | None = None
) -> list[Path]:
    """The notebooks to run, each checked to declare every parameter the build passes.

    ``checked`` (the build cache) remembers each notebook that passed by the digest of its
    bytes, so an unchanged notebook is not inspected again (papermill takes seconds to import).
    """
    if not names:
        names = ALL_LAS_NOTEBOOKS if all_las else tuple(sorted(p.stem for p in notebooks_dir.glob("*.ipynb")))
    checked = {} if checked is None else checked
    found = []
    for name in dict.fromkeys(n.removesuffix(".ipynb") for n in names):
        path = notebooks_dir / f"{name}.ipynb"
        if not path.is_file():
            raise BuildInputError(f"no notebook {path.name} in {notebooks_dir}")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if checked.get(str(path.resolve())) != digest:
            check_notebook(path)
            checked[str(path.resolve())] = digest
        found.append(path)
    if not found:
        raise BuildInputError(f"no notebooks in {notebooks_dir}")
    return found


def check_notebook(path: Path) -> None:
    """Exactly one cell tagged ``parameters``, and papermill finds every parameter the build passes in it.

    papermill only warns when the tag is missing (and then injects at the top); here it is an
    error, found before any kernel starts. The parameters are what ``papermill.inspect_notebook``
    lists (``papermill --help-notebook`` shows the same), which needs the notebook to name its
    kernel (as it must for ``papermill`` without ``-k``).
    """
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as exc:
        raise BuildInputError(f"{path.name} is not a readable notebook: {exc}") from None
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise BuildInputError(f"{path.name} must have exactly one cell tagged 'parameters' (has {len(tagged)})")
    kernelspec = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("kernelspec", {})
    if not kernelspec.get("name"):
        raise BuildInputError(
            f"{path.name} names no kernel (metadata.kernelspec): papermill would need -k; "
            f"give it the project's kernel, {KERNEL!r}"
        )
    import papermill

    try:
        declared = set(papermill.inspect_notebook(path))
    except Exception as exc:  # papermill's own errors (e.g. a parameters cell it cannot parse)
        raise BuildInputError(f"{path.name}: papermill cannot read its parameters ({exc})") from None
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
    request = {
        "las": list(options.las),
        "all_las": options.all_las,
        "start": options.start_year,
        "end": options.end_year,
        "sn_model": options.sn_model,
        "inputs": inputs,
    }
    key = fingerprint(request)
    if cache.get("plan", {}).get("key") == key:
        return [Target.from_json(t) for t in cache["plan"]["targets"]]
    targets = plan_targets(
        options.las, options.all_las, options.start_year, options.end_year, options.sn_model, options.raw_dir
    )
    cache["plan"] = {"key": key, "targets": [t.to_json() for t in targets]}
    return targets
