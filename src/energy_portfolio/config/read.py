"""Reading one config file into a validated spec, with every problem of the file at once.

``read_config`` reads, validates and checks one file (a grid's own ids and zones too);
``ConfigReader`` reads each file a portfolio names once, for the cross-file checks.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import ConfigError, Problem
from .battery import BatterySite
from .climatology import ClimatologySpec
from .grid import GridSpec
from .loaded import LoadedConfig, SiteSpec
from .messages import problem_at, problems_from_validation, suggest
from .plausibility import config_warnings
from .portfolio import PortfolioSpec
from .pumped_hydro import PumpedHydroSite
from .scenario import ScenarioSpec
from .solar import SolarSite
from .sweep import SweepSpec
from .wind import WindSite
from .yamlsource import YamlSource, read_yaml

__all__ = ["KINDS", "SITE_KINDS", "ConfigReader", "display_path", "grid_problems", "load_grid", "load_site",
           "zone_problem",
           "read_config"]

KINDS: dict[str, type] = {
    "solar": SolarSite,
    "wind": WindSite,
    "battery": BatterySite,
    "pumped_hydro": PumpedHydroSite,
    "grid": GridSpec,
    "portfolio": PortfolioSpec,
    "climatology": ClimatologySpec,
    "sweep": SweepSpec,
    "scenario": ScenarioSpec,
}
SITE_KINDS = ("solar", "wind", "battery", "pumped_hydro")


def display_path(path: Path | str) -> str:
    """The path relative to the working directory when it lies below it, else absolute."""
    path = Path(path)
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) else str(path)
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11's resolve)
        return str(path)


def read_config(path: Path | str, expect: tuple[str, ...] | None = None) -> LoadedConfig:
    """Read and validate one config file.

    Parameters
    ----------
    path : path-like
        The YAML file.
    expect : tuple of str, optional
        Allowed kinds (``solar``, ``wind``, ``battery``, ``pumped_hydro``, ``grid``, ``portfolio``).

    Raises
    ------
    ConfigError
        With every problem found in the file.
    """
    path = Path(path)
    source = read_yaml(path, display_path(path))
    problems = list(source.problems)
    data = source.data
    if not isinstance(data, dict):
        raise ConfigError(problems=problems + [problem_at(source, (), "expected a mapping of fields at the top level")])
    kind = data.get("kind")
    allowed = expect or tuple(KINDS)
    if kind is None:
        problems.append(problem_at(source, (), f"required field 'kind' is missing: one of {', '.join(allowed)}"))
        raise ConfigError(problems=problems)
    if kind not in KINDS or kind not in allowed:
        problems.append(
            problem_at(
                source,
                ("kind",),
                f"= {kind!r}: expected one of {', '.join(allowed)}{suggest(str(kind), allowed)}",
            )
        )
        raise ConfigError(problems=problems)
    model = KINDS[kind]
    spec = None
    try:
        spec = model.model_validate(data, context={"base_dir": path.resolve().parent})
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, source, model))
    if isinstance(spec, GridSpec):
        problems.extend(grid_problems(spec, source))
    if problems:
        raise ConfigError(problems=problems)
    return LoadedConfig(spec, path, source, tuple(config_warnings(spec, source)))


def load_site(path: Path | str) -> SiteSpec:
    """Read a solar, wind, battery or pumped-hydro site config."""
    return read_config(path, SITE_KINDS).spec  # type: ignore[return-value]


def load_grid(path: Path | str) -> GridSpec:
    """Read a grid config."""
    return read_config(path, ("grid",)).spec  # type: ignore[return-value]


def grid_problems(grid: GridSpec, source: YamlSource) -> list[Problem]:
    """Ids unique within the grid file; zones named by units and lines exist."""
    problems: list[Problem] = []
    zone_ids = [z.id for z in grid.zones]
    seen: dict[str, str] = {}
    groups: dict[str, tuple[Any, ...]] = {
        "zones": grid.zones,
        "thermal_units": grid.thermal_units,
        "hydro": grid.hydro,
        "existing_renewables": grid.existing_renewables,
        "existing_storage": grid.existing_storage,
        "interconnectors": grid.interconnectors,
        "lines": grid.lines,
    }
    for group, items in groups.items():
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(
                    problem_at(
                        source,
                        (group, i, "id"),
                        f"= '{item.id}': id already used in {seen[item.id]}; ids must be unique in a grid file",
                    )
                )
            seen.setdefault(item.id, group)
    for group in ("thermal_units", "hydro", "existing_renewables", "existing_storage", "interconnectors"):
        for i, item in enumerate(groups[group]):
            problems.extend(zone_problem(source, (group, i, "zone"), item.zone, zone_ids))
    for i, line in enumerate(grid.lines):
        problems.extend(zone_problem(source, ("lines", i, "from_zone"), line.from_zone, zone_ids))
        problems.extend(zone_problem(source, ("lines", i, "to_zone"), line.to_zone, zone_ids))
        if line.from_zone == line.to_zone:
            problems.append(problem_at(source, ("lines", i, "to_zone"), "a line must join two different zones"))
    return problems


def zone_problem(source: YamlSource, path: tuple[Any, ...], zone: str, zone_ids: list[str]) -> list[Problem]:
    if zone in zone_ids:
        return []
    return [
        problem_at(
            source,
            path,
            f"= '{zone}': unknown zone; the grid's zones are {', '.join(zone_ids)}{suggest(zone, zone_ids)}",
        )
    ]


# --------------------------------------------------------------------------------------
# Finishing a portfolio: every file it names, read once and checked against the others.
# --------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _read_once(path: Path, shown: str, modified_ns: int, size: int) -> LoadedConfig:
    """``read_config`` once per content version of a file (scenarios of a sweep re-finish a portfolio)."""
    return read_config(path)


class ConfigReader:
    """Reads each config a portfolio names once; a file's own problems are reported once."""

    def __init__(self) -> None:
        self._loaded: dict[Path, LoadedConfig | list[Problem]] = {}
        self._reported: set[Path] = set()

    def read(self, path: Path | str) -> tuple[LoadedConfig | None, list[Problem]]:
        try:
            key = Path(path).resolve()
        except (OSError, RuntimeError):  # a symlink loop: read_config names it
            key = Path(os.path.abspath(path))
        if key not in self._loaded:
            try:
                stat = key.stat()
                self._loaded[key] = _read_once(key, display_path(key), stat.st_mtime_ns, stat.st_size)
            except ConfigError as exc:
                self._loaded[key] = list(exc.problems)
            except OSError:
                self._loaded[key] = [Problem(display_path(key), "file not found")]
        found = self._loaded[key]
        if isinstance(found, LoadedConfig):
            return found, []
        if key in self._reported:
            return None, []
        self._reported.add(key)
        return None, found
