"""Reading config files into specs, with every problem reported at once.

``read_config`` reads and validates one file; ``load_portfolio`` reads a portfolio with
its grid and site files and runs the cross-file checks; ``validate_file`` does what the
``validate`` command needs and never raises for bad input.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from pydantic import ValidationError

from ..errors import ConfigError, Problem
from .battery import AcCoupled, BatterySite
from .climatology import ClimatologySpec
from .grid import GridSpec
from .messages import problem_at, problems_from_validation, suggest
from .portfolio import PortfolioSpec
from .solar import SolarSite
from .sweep import SweepSpec
from .wind import WindSite
from .yamlsource import YamlSource, read_yaml

__all__ = [
    "KINDS",
    "SiteSpec",
    "AnySpec",
    "LoadedConfig",
    "Portfolio",
    "read_config",
    "load_site",
    "load_grid",
    "load_portfolio",
    "validate_file",
    "display_path",
]

KINDS: dict[str, type] = {
    "solar": SolarSite,
    "wind": WindSite,
    "battery": BatterySite,
    "grid": GridSpec,
    "portfolio": PortfolioSpec,
    "climatology": ClimatologySpec,
    "sweep": SweepSpec,
}
SITE_KINDS = ("solar", "wind", "battery")

SiteSpec = Union[SolarSite, WindSite, BatterySite]
AnySpec = Union[SolarSite, WindSite, BatterySite, GridSpec, PortfolioSpec]


@dataclass(frozen=True)
class LoadedConfig:
    """A validated spec with the file it came from (for line numbers in later checks)."""

    spec: AnySpec
    path: Path
    source: YamlSource


@dataclass(frozen=True)
class Portfolio:
    """A portfolio spec with its grid and sites loaded and cross-checked.

    Attributes
    ----------
    spec : PortfolioSpec
    grid : GridSpec
    sites : tuple
        Site specs in the order of ``spec.sites``.
    zones : dict
        Site id -> grid zone id.
    path : Path
        The portfolio file.
    files : dict
        Every file read (portfolio, grid, sites, and the files they name) -> path.
    """

    spec: PortfolioSpec
    grid: GridSpec
    sites: tuple[SiteSpec, ...]
    zones: dict[str, str]
    path: Path

    @property
    def name(self) -> str:
        return self.spec.name

    def site(self, site_id: str) -> SiteSpec:
        for site in self.sites:
            if site.id == site_id:
                return site
        raise KeyError(site_id)


def display_path(path: Path | str) -> str:
    """The path relative to the working directory when it lies below it, else absolute."""
    path = Path(path)
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def read_config(path: Path | str, expect: tuple[str, ...] | None = None) -> LoadedConfig:
    """Read and validate one config file.

    Parameters
    ----------
    path : path-like
        The YAML file.
    expect : tuple of str, optional
        Allowed kinds (``solar``, ``wind``, ``battery``, ``grid``, ``portfolio``).

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
    return LoadedConfig(spec, path, source)


def load_site(path: Path | str) -> SiteSpec:
    """Read a solar, wind or battery site config."""
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
            problems.extend(_zone_problem(source, (group, i, "zone"), item.zone, zone_ids))
    for i, line in enumerate(grid.lines):
        problems.extend(_zone_problem(source, ("lines", i, "from_zone"), line.from_zone, zone_ids))
        problems.extend(_zone_problem(source, ("lines", i, "to_zone"), line.to_zone, zone_ids))
        if line.from_zone == line.to_zone:
            problems.append(problem_at(source, ("lines", i, "to_zone"), "a line must join two different zones"))
    return problems


def _zone_problem(source: YamlSource, path: tuple[Any, ...], zone: str, zone_ids: list[str]) -> list[Problem]:
    if zone in zone_ids:
        return []
    return [
        problem_at(
            source,
            path,
            f"= '{zone}': unknown zone; the grid's zones are {', '.join(zone_ids)}{suggest(zone, zone_ids)}",
        )
    ]


def load_portfolio(path: Path | str) -> Portfolio:
    """Read a portfolio config with its grid and site files and check them together.

    Raises
    ------
    ConfigError
        With every problem found in any of the files and across them.
    """
    loaded = read_config(path, ("portfolio",))
    spec: PortfolioSpec = loaded.spec  # type: ignore[assignment]
    problems: list[Problem] = []
    grid = None
    try:
        grid = read_config(spec.grid, ("grid",)).spec
    except ConfigError as exc:
        problems.extend(exc.problems)
    sites: list[LoadedConfig] = []
    for entry in spec.sites:
        try:
            sites.append(read_config(entry.file, SITE_KINDS))
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems=problems)
    problems.extend(_portfolio_problems(loaded, grid, sites))  # type: ignore[arg-type]
    if problems:
        raise ConfigError(problems=problems)
    zones = {site.spec.id: entry.zone for site, entry in zip(sites, spec.sites, strict=True)}
    return Portfolio(spec, grid, tuple(s.spec for s in sites), zones, loaded.path)  # type: ignore[arg-type]


def _portfolio_problems(loaded: LoadedConfig, grid: GridSpec, sites: list[LoadedConfig]) -> list[Problem]:
    spec: PortfolioSpec = loaded.spec  # type: ignore[assignment]
    source = loaded.source
    problems: list[Problem] = []
    first_file: dict[str, str] = {}
    grid_ids = {
        item.id
        for group in (
            grid.thermal_units, grid.hydro, grid.existing_renewables, grid.existing_storage, grid.interconnectors
        )
        for item in group
    }
    for i, (entry, site) in enumerate(zip(spec.sites, sites, strict=True)):
        site_id = site.spec.id
        if site_id in first_file:
            problems.append(
                problem_at(
                    source,
                    ("sites", i, "file"),
                    f"site id '{site_id}' of {site.source.file} is also the id of {first_file[site_id]}; "
                    "site ids must be unique in a portfolio",
                )
            )
        first_file.setdefault(site_id, site.source.file)
        if site_id in grid_ids:
            problems.append(
                problem_at(
                    source,
                    ("sites", i, "file"),
                    f"site id '{site_id}' is also the id of a unit in the grid file; ids must be unique",
                )
            )
        if entry.zone not in grid.zone_ids:
            problems.extend(_zone_problem(source, ("sites", i, "zone"), entry.zone, list(grid.zone_ids)))
    generating = {s.spec.id: s.spec for s in sites if s.spec.kind in ("solar", "wind")}
    zone_of = {s.spec.id: e.zone for s, e in zip(sites, spec.sites, strict=True)}
    for site in sites:
        coupling = getattr(site.spec, "coupling", None)
        if not isinstance(coupling, AcCoupled):
            continue
        where = ("coupling", "site")
        if coupling.site not in generating:
            known = sorted(generating)
            problems.append(
                problem_at(
                    site.source,
                    where,
                    f"= '{coupling.site}': no solar or wind site with this id in portfolio "
                    f"{loaded.source.file}; its generating sites are {', '.join(known) or 'none'}"
                    f"{suggest(coupling.site, known)}",
                )
            )
            continue
        if zone_of[coupling.site] != zone_of[site.spec.id]:
            problems.append(
                problem_at(
                    site.source,
                    where,
                    f"= '{coupling.site}': a coupled battery must be in the zone of its plant "
                    f"({zone_of[coupling.site]}), but the portfolio puts it in {zone_of[site.spec.id]}",
                )
            )
    return problems


def validate_file(path: Path | str) -> tuple[str | None, list[Problem]]:
    """Validate one file as the ``validate`` command does.

    A portfolio file is validated with its grid and site files and the cross-file checks; a
    sweep spec with its base portfolio and the field paths it varies.

    Returns
    -------
    kind : str or None
        The file's kind when it could be read.
    problems : list of Problem
        Empty when the file is valid.
    """
    try:
        loaded = read_config(path)
    except ConfigError as exc:
        return None, exc.problems
    if loaded.spec.kind == "portfolio":
        try:
            load_portfolio(path)
        except ConfigError as exc:
            return "portfolio", exc.problems
    if loaded.spec.kind == "sweep":
        from .changes import sweep_path_problems  # changes imports this module

        try:
            return "sweep", sweep_path_problems(loaded)[2]
        except ConfigError as exc:
            return "sweep", exc.problems
    return loaded.spec.kind, []
