"""Every extract the project commits, in load order (sources and areas first)."""

from __future__ import annotations

import importlib

from analysis.data.schema import ExtractSpec

# Modules under analysis.data.specs, each exposing SPECS; the official families also have a parser
# module of the same name under analysis.data.official with derive(). Declarations import no pandas.
MODULES: tuple[str, ...] = (
    "sources",
    "areas",
    "cin_cp",
    "population",
    "looked_after",
    "workforce",
    "neighbours",
    "ofsted",
    "historic",
    "deprivation",
    "adoptions",
    "workforce_lait",
    "spending",
    "assessments",
    "cla_outcomes",
    "local",
)


OFFICIAL: tuple[str, ...] = tuple(m for m in MODULES if m not in ("sources", "local"))


def spec_modules() -> list:
    """The declaration modules, in load order (cheap: no pandas)."""
    return [importlib.import_module(f"analysis.data.specs.{m}") for m in MODULES]


def parser_modules() -> list:
    """The parsers of official files, each with ``derive()`` (imports pandas)."""
    return [importlib.import_module(f"analysis.data.official.{m}") for m in OFFICIAL]


def all_specs() -> dict[str, ExtractSpec]:
    specs: dict[str, ExtractSpec] = {}
    for module in spec_modules():
        for spec in module.SPECS:
            if spec.name in specs:
                raise ValueError(f"two extracts named {spec.name}")
            specs[spec.name] = spec
    return specs


def spec(name: str) -> ExtractSpec:
    try:
        return all_specs()[name]
    except KeyError:
        raise KeyError(f"no extract named {name!r}; known: {', '.join(all_specs())}") from None
