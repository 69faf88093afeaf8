"""The report-set file (config/report_sets.yml): which notebooks, for which areas and period, with which parameters.

One file holds every default the build, the schedules and the notebooks use; ``load_sets``
checks it whole and raises ``ReportSetError`` naming the file, the key and the reason (the CLI
exits 2). No pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.data.groups import COMPARATORS, SN_MODELS
from analysis.data.periods import start_after_end

SETS_FILE = paths.REPO_ROOT / "config" / "report_sets.yml"
ALL = "all"
SETTINGS = ("start_year", "end_year", "sn_model", "comparators", "notebooks")


class ReportSetError(ValueError):
    """The report-set file is unreadable or wrong: ``file: key: reason``."""

    def __init__(self, file: Path, key: str, reason: str):
        self.file, self.key, self.reason = file, key, reason
        super().__init__(f"{_shown(file)}: {key}: {reason}" if key else f"{_shown(file)}: {reason}")


@dataclass(frozen=True)
class ReportSet:
    """One named set: the areas (empty with ``all_las``), period, neighbour model, comparators and notebooks."""

    name: str
    description: str
    areas: tuple[str, ...]
    all_las: bool
    start_year: int
    end_year: int
    sn_model: str
    comparators: tuple[str, ...]
    notebooks: tuple[str, ...]


@dataclass(frozen=True)
class ReportSets:
    """Every set in the file, its defaults and the name of the default set."""

    file: Path
    defaults: dict[str, Any]
    default: str
    sets: dict[str, ReportSet]

    def get(self, name: str | None) -> ReportSet:
        """The set called ``name`` (the default set when None); ReportSetError naming the known ones."""
        name = self.default if name is None else name
        if name not in self.sets:
            raise ReportSetError(self.file, "sets", f"no set named {name!r}; known: {', '.join(self.sets)}")
        return self.sets[name]


def _shown(file: Path) -> str:
    try:
        return str(file.resolve().relative_to(paths.REPO_ROOT))
    except ValueError:
        return str(file)


def load_sets(file: Path | None = None) -> ReportSets:
    """Read and check the whole report-set file. Raises ReportSetError (file, key, reason)."""
    import yaml

    file = Path(file or SETS_FILE)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportSetError(file, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportSetError(file, "", f"not readable: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ReportSetError(file, "", f"{where}not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    _mapping(file, "", data, required=("defaults", "default", "sets"), allowed=("defaults", "default", "sets"))
    _mapping(file, "defaults", data["defaults"], required=SETTINGS, allowed=SETTINGS)
    defaults = {k: _setting(file, f"defaults.{k}", k, v) for k, v in data["defaults"].items()}
    _mapping(file, "sets", data["sets"])
    if not data["sets"]:
        raise ReportSetError(file, "sets", "names no set")
    sets = {}
    for name, body in data["sets"].items():
        key = f"sets.{name}"
        _mapping(file, key, body, required=("description", "areas"), allowed=("description", "areas", *SETTINGS))
        if not isinstance(body["description"], str) or not body["description"].strip():
            raise ReportSetError(file, f"{key}.description", "must be a sentence saying what the set is for")
        settings = defaults | {k: _setting(file, f"{key}.{k}", k, v) for k, v in body.items() if k in SETTINGS}
        if problem := start_after_end(settings["start_year"], settings["end_year"], ("start_year", "end_year")):
            raise ReportSetError(file, key, problem)
        areas = body["areas"]
        if areas == ALL:
            area_list: tuple[str, ...] = ()
        elif (
            isinstance(areas, list)
            and areas
            and all(isinstance(a, str | int) and not isinstance(a, bool) and str(a).strip() for a in areas)
        ):
            area_list = tuple(str(a).strip() for a in areas)
        else:
            raise ReportSetError(
                file,
                f"{key}.areas",
                f'must be `all` or a non-empty list of DfE codes, ONS codes or names (quote codes: "890"), got {areas!r}',
            )
        sets[str(name)] = ReportSet(
            name=str(name), description=body["description"].strip(), areas=area_list, all_las=areas == ALL, **settings
        )
    default = data["default"]
    if default not in sets:
        raise ReportSetError(file, "default", f"names no set: {default!r}; known: {', '.join(sets)}")
    return ReportSets(file=file, defaults=defaults, default=default, sets=sets)


def _mapping(file: Path, key: str, value: Any, required: tuple[str, ...] = (), allowed: tuple[str, ...] = ()) -> None:
    if not isinstance(value, dict):
        raise ReportSetError(file, key or "(top level)", f"must be a mapping of keys to values, got {value!r}")
    missing = [k for k in required if k not in value]
    if missing:
        raise ReportSetError(file, key or "(top level)", f"missing {', '.join(missing)}")
    unknown = [str(k) for k in value if allowed and k not in allowed]
    if unknown:
        raise ReportSetError(
            file, f"{key}.{unknown[0]}" if key else unknown[0], f"unknown key; allowed: {', '.join(allowed)}"
        )


def _setting(file: Path, key: str, name: str, value: Any) -> Any:
    """One checked setting, converted (years to int, lists to tuples)."""
    if name in ("start_year", "end_year"):
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
            raise ReportSetError(file, key, f"must be a year such as 2012, got {value!r}")
        return value
    if name == "sn_model":
        if str(value) not in SN_MODELS or not isinstance(value, str | int) or isinstance(value, bool):
            raise ReportSetError(file, key, f"must be one of {', '.join(SN_MODELS)} (quoted), got {value!r}")
        return str(value)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ReportSetError(file, key, f"must be a non-empty list of names, got {value!r}")
    if name == "comparators":
        unknown = [v for v in value if v not in COMPARATORS]
        if unknown:
            raise ReportSetError(file, key, f"unknown comparator {unknown[0]!r}; choose from {', '.join(COMPARATORS)}")
    if len(set(value)) != len(value):
        raise ReportSetError(file, key, "names one entry twice")
    return tuple(value)
