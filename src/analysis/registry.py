"""Every extract the project commits, in load order (sources and areas first)."""

from __future__ import annotations

import importlib

from analysis.schema import ExtractSpec

# Modules under analysis.extracts; each exposes SPECS (and derive() for official families).
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
    "local",
)


def extract_modules() -> list:
    return [importlib.import_module(f"analysis.extracts.{m}") for m in MODULES]


def all_specs() -> dict[str, ExtractSpec]:
    specs: dict[str, ExtractSpec] = {}
    for module in extract_modules():
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
