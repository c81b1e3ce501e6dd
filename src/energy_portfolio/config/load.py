"""Loading a portfolio: its files read into specs and checked together, every problem at once.

``read_config`` (from :mod:`.read`) reads and validates one file. ``load_portfolio`` finishes a portfolio: it reads
the portfolio with its grid and site files and every file they name (reference sites of the
existing fleet, existing storage, weather and climatology files, hourly CSVs), and runs every
cross-file check (:mod:`.crossfile`), so that ``validate`` and a run accept the same inputs (``validate`` itself is
:mod:`.validate`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import ConfigError, Problem
from .crossfile import (
    commitment_problems,
    demand_problems,
    grid_references,
    hydro_problems,
    portfolio_problems,
    reserve_problems,
    service_problems,
    site_problems,
    timezone_problems,
    trade_problems,
)
from .grid import GridSpec
from .loaded import AnySpec, FrozenMap, LoadedConfig, Portfolio, SiteSpec
from .messages import problem_at
from .metrics import unknown_metric
from .paths import field_value
from .plausibility import config_warnings
from .portfolio import PortfolioOptions, PortfolioSpec
from .read import KINDS, SITE_KINDS, ConfigReader, display_path, load_grid, load_site, read_config
from .types import spec_files
from .yamlsource import YamlSource

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
    "finish_portfolio",
    "finish_site",
    "sweep_path_problems",
    "display_path",
]


def _files(portfolio_path: Path, spec: PortfolioSpec, grid: GridSpec, sites: tuple[SiteSpec, ...],
           named: dict[Path, BaseModel]) -> tuple[Path, ...]:
    """Every file a run reads: the configs, then every file they name, recursively, each once.

    ``named`` maps the config files the grid names (reference sites, existing storage) to their
    specs, whose own files are walked in turn.
    """
    files = [portfolio_path.resolve(), Path(spec.grid), *(Path(entry.file) for entry in spec.sites)]
    specs: list[Any] = [grid, *sites]
    seen: set[Path] = set()
    while specs:
        for path in spec_files(specs.pop()):
            if path in seen:
                continue
            seen.add(path)
            files.append(path)
            if path in named:
                specs.append(named[path])
    return tuple(dict.fromkeys(files))


def _finish(
    reader: ConfigReader, portfolio: LoadedConfig, grid: LoadedConfig, sites: list[LoadedConfig]
) -> Portfolio:
    """Resolve what the grid and sites name and run every cross-file check (ConfigError on any problem)."""
    spec: PortfolioSpec = portfolio.spec  # type: ignore[assignment]
    grid_spec: GridSpec = grid.spec  # type: ignore[assignment]
    problems = portfolio_problems(portfolio, grid_spec, sites)
    for site in sites:
        problems.extend(site_problems(reader, site))
    references, storage, grid_problems_ = grid_references(reader, grid)
    problems.extend(grid_problems_)
    located = [(site, "a site of the portfolio") for site in sites]
    located += [(cfg, f"reference site of existing_renewables '{unit_id}' in {grid.source.file}")
                for unit_id, cfg in references.items()]
    located += [(cfg, f"existing_storage '{unit_id}' in {grid.source.file}") for unit_id, cfg in storage.items()]
    problems.extend(timezone_problems(portfolio, located))
    problems.extend(hydro_problems(portfolio, grid))
    problems.extend(commitment_problems(portfolio, grid))
    problems.extend(demand_problems(portfolio, grid))
    problems.extend(service_problems(portfolio, grid))
    problems.extend(reserve_problems(grid, storage, sites, spec.study_year, spec.options.demand_path))
    problems.extend(trade_problems(grid, sites, spec.study_year))
    if problems:
        raise ConfigError(problems=_unique(problems))
    site_specs = tuple(s.spec for s in sites)
    named = {cfg.path.resolve(): cfg.spec for cfg in [*references.values(), *storage.values()]}
    warnings = [w for cfg in [portfolio, grid, *sites, *references.values(), *storage.values()] for w in cfg.warnings]
    return Portfolio(
        spec=spec,
        grid=grid_spec,
        sites=site_specs,  # type: ignore[arg-type]
        zones={site.id: entry.zone for site, entry in zip(site_specs, spec.sites, strict=True)},
        path=portfolio.path,
        reference_sites=FrozenMap((k, v.spec) for k, v in references.items()),  # type: ignore[misc]
        existing_storage=FrozenMap((k, v.spec) for k, v in storage.items()),  # type: ignore[misc]
        files=_files(portfolio.path, spec, grid_spec, site_specs, named),  # type: ignore[arg-type]
        warnings=tuple(_unique(warnings)),
    )


def _unique(problems: list[Problem]) -> list[Problem]:
    """Problems without repeats (a file two entries name is reported once)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        key = (p.file, p.line, p.field, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def load_portfolio(path: Path | str) -> Portfolio:
    """Read a portfolio config with every file it names, and check them together.

    The result is finished: the reference sites of the existing fleet and the existing storage
    are loaded (:attr:`Portfolio.reference_sites`, :attr:`Portfolio.existing_storage`), every
    file a run reads is listed (:attr:`Portfolio.files`), and a run raises no error that the
    configs alone could have shown.

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
        grid = read_config(spec.grid, ("grid",))
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
    return _finish(ConfigReader(), loaded, grid, sites)  # type: ignore[arg-type]


def finish_site(path: Path | str) -> LoadedConfig:
    """Read a site config and check what it names, as ``validate`` does: its weather and climatology
    files and its hardware in the catalogs (what a run of the site alone, ``yield``, reads).

    Raises
    ------
    ConfigError
        With every problem of the file and of the files and catalog entries it names.
    """
    loaded = read_config(path, SITE_KINDS)
    problems = _unique(site_problems(ConfigReader(), loaded))
    if problems:
        raise ConfigError(problems=problems)
    return loaded


def _in_memory(spec: AnySpec, path: Path) -> LoadedConfig:
    """A spec changed in memory as a LoadedConfig: problems name its file and field, without a line."""
    source = YamlSource(display_path(path), spec.model_dump(mode="json"))
    return LoadedConfig(spec, path, source, tuple(config_warnings(spec, source)))


def finish_portfolio(portfolio: Portfolio) -> Portfolio:
    """Re-run the resolution and every cross-file check of :func:`load_portfolio` on changed specs.

    Used after fields were changed in memory (:func:`~.changes.with_changes`): the files the
    changed specs name are read again, and problems name the file and field (no line, since the
    values no longer come from the file).

    Raises
    ------
    ConfigError
    """
    spec = portfolio.spec
    loaded = _in_memory(spec, portfolio.path)
    grid = _in_memory(portfolio.grid, Path(spec.grid))
    sites = [_in_memory(site, Path(entry.file)) for site, entry in zip(portfolio.sites, spec.sites, strict=True)]
    return _finish(ConfigReader(), loaded, grid, sites)


def _upper_bound(name: str) -> int:
    """The ``le`` bound of a field of the portfolio's options (the one place the bound is stated)."""
    field_info = PortfolioOptions.model_fields[name]
    return min(int(m.le) for m in field_info.metadata if getattr(m, "le", None) is not None)


MAX_WEATHER_YEARS = _upper_bound("weather_years")
"""The most ``options.weather_years`` a run takes (each weather year is another dispatch of the year)."""


def weather_years_problems(loaded: LoadedConfig) -> list[Problem]:
    """``options.weather_years`` values above :data:`MAX_WEATHER_YEARS`, at their lines in the sweep file."""
    spec = loaded.spec
    name, bound = "options.weather_years", MAX_WEATHER_YEARS
    found = [(("grid", name, i), v) for i, v in enumerate(spec.grid.get(name, ()))]
    found += [(("scenarios", i, name), s[name]) for i, s in enumerate(spec.scenarios) if name in s]
    if spec.random is not None and name in spec.random.parameters:
        found.append((("random", "parameters", name, "high"), spec.random.parameters[name].high))
    return [problem_at(loaded.source, location, f"{value} weather years: expected at most {bound} (each weather year "
                       f"is another dispatch of the year, for P50/P90); refused before anything is computed")
            for location, value in found if isinstance(value, (int, float)) and not isinstance(value, bool)
            and value > bound]


def sweep_path_problems(loaded: LoadedConfig) -> tuple[Portfolio, dict[str, Any], list[Problem]]:
    """Check every field path a sweep spec varies, and every metric it collects or ranks by, against its
    base portfolio (:func:`~.metrics.unknown_metric`).

    Returns
    -------
    portfolio : Portfolio
        The base portfolio.
    base : dict
        Field path -> its value in the base portfolio, for the paths that name a field.
    problems : list of Problem
        One per path that names nothing and per metric the results will not have, at its line in the
        sweep file.
    """
    spec = loaded.spec
    portfolio = load_portfolio(spec.portfolio)  # type: ignore[union-attr]
    located = [(("grid", p), p) for p in spec.grid]  # type: ignore[union-attr]
    located += [(("scenarios", i, p), p) for i, s in enumerate(spec.scenarios) for p in s]  # type: ignore[union-attr]
    if spec.random is not None:  # type: ignore[union-attr]
        located += [(("random", "parameters", p), p) for p in spec.random.parameters]  # type: ignore[union-attr]
    base: dict[str, Any] = {}
    problems: list[Problem] = []
    for location, path in located:
        try:
            base[path] = field_value(portfolio, path)
        except ConfigError as exc:
            problems.append(problem_at(loaded.source, location, str(exc), key=True))
    for i, metric in enumerate(spec.metrics):  # type: ignore[union-attr]  # rank_by is one of them (SweepSpec)
        unknown = unknown_metric(metric, portfolio)
        if unknown is not None:
            problems.append(problem_at(loaded.source, ("metrics", i), unknown))
    return portfolio, base, problems + weather_years_problems(loaded)
