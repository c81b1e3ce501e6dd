"""Reading config files into specs, with every problem reported at once.

``read_config`` reads and validates one file. ``load_portfolio`` finishes a portfolio: it reads
the portfolio with its grid and site files and every file they name (reference sites of the
existing fleet, existing storage, weather and climatology files, hourly CSVs), and runs every
cross-file check, so that ``validate`` and a run accept the same inputs. ``validate_file`` does
what the ``validate`` command needs and never raises for bad input.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ConfigError, Problem
from .battery import AcCoupled, BatterySite, Standalone
from .climatology import ClimatologySpec
from .grid import FileDemand, FileProfile, GridSpec, SiteProfile, SyntheticDemand
from .headers import csv_columns, weather_header
from .loaded import AnySpec, FrozenMap, LoadedConfig, Portfolio, SiteSpec
from .messages import problem_at, problems_from_validation, suggest
from .paths import field_value
from .portfolio import PortfolioSpec
from .site import FileWeather, SyntheticWeather
from .solar import SolarSite
from .sweep import SweepSpec
from .types import spec_files
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
    "finish_portfolio",
    "sweep_path_problems",
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


# --------------------------------------------------------------------------------------
# Finishing a portfolio: every file it names, read once and checked against the others.
# --------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _read_once(path: Path, shown: str, modified_ns: int, size: int) -> LoadedConfig:
    """``read_config`` once per content version of a file (scenarios of a sweep re-finish a portfolio)."""
    return read_config(path)


class _Reader:
    """Reads each config a portfolio names once; a file's own problems are reported once."""

    def __init__(self) -> None:
        self._loaded: dict[Path, LoadedConfig | list[Problem]] = {}
        self._reported: set[Path] = set()

    def read(self, path: Path | str) -> tuple[LoadedConfig | None, list[Problem]]:
        key = Path(path).resolve()
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


def _shown(path: Path | str) -> str:
    return display_path(path)


def _invalid_reference(source: YamlSource, where: tuple[Any, ...], path: Path, what: str) -> Problem:
    return problem_at(
        source, where, f"= {_shown(path)}: {what} has problems of its own (listed under its name); fix them first"
    )


def _weather_problems(
    reader: _Reader,
    source: YamlSource,
    where: tuple[Any, ...],
    weather: FileWeather | SyntheticWeather,
    columns: tuple[str, ...] = (),
) -> list[Problem]:
    """A weather file's header fits its format (and has ``columns``); a climatology is a climatology."""
    if isinstance(weather, FileWeather):
        problem, found = weather_header(weather.path, weather.format)
        if problem is not None:
            shown = f"= {_shown(weather.path)} (format {weather.format}): {problem}"
            return [problem_at(source, (*where, "path"), shown)]
        missing = [c for c in columns if found is not None and c not in found]
        if missing:
            return [
                problem_at(
                    source,
                    (*where, "path"),
                    f"= {_shown(weather.path)}: no column {', '.join(missing)} (found {', '.join(found or ())}); "
                    f"expected {', '.join(columns)} here",
                )
            ]
        return []
    loaded, problems = reader.read(weather.climatology)
    at = (*where, "climatology")
    if loaded is None:
        return [_invalid_reference(source, at, weather.climatology, "this climatology file"), *problems]
    if not isinstance(loaded.spec, ClimatologySpec):
        return [
            problem_at(
                source,
                at,
                f"= {_shown(weather.climatology)}: a {loaded.spec.kind} config; expected a climatology config "
                "(kind: climatology), the monthly statistics the typical-year generator reads",
            )
        ]
    return []


def _csv_problems(source: YamlSource, where: tuple[Any, ...], path: Path, column: str, what: str) -> list[Problem]:
    """An hourly CSV has a ``time`` column and ``column`` in its header line."""
    found, problem = csv_columns(path)
    if problem is not None:
        return [problem_at(source, (*where, "path"), f"= {_shown(path)}: {problem}; expected an hourly CSV of {what}")]
    missing = [c for c in ("time", column) if c not in (found or ())]
    if not missing:
        return []
    field = "column" if column in missing else "path"
    return [
        problem_at(
            source,
            (*where, field),
            f"= {column if field == 'column' else _shown(path)}: {_shown(path)} has no column "
            f"{', '.join(repr(m) for m in missing)} (found {', '.join(found or ())}){suggest(column, found or ())}; "
            f"expected a 'time' column and a column of {what}",
        )
    ]


def _site_problems(reader: _Reader, site: LoadedConfig) -> list[Problem]:
    """The files a site names: its weather files and climatologies."""
    problems: list[Problem] = []
    for name in ("weather", "weather_years"):
        weather = getattr(site.spec, name, None)
        if weather is not None:
            problems.extend(_weather_problems(reader, site.source, (name,), weather))
    return problems


def _grid_references(
    reader: _Reader, grid: LoadedConfig
) -> tuple[dict[str, LoadedConfig], dict[str, LoadedConfig], list[Problem]]:
    """Resolve the files a grid names.

    Returns
    -------
    reference_sites, existing_storage : dict
        Unit id -> the loaded reference site (solar or wind) or battery (standalone).
    problems : list of Problem
    """
    spec: GridSpec = grid.spec  # type: ignore[assignment]
    source = grid.source
    problems: list[Problem] = []
    for i, zone in enumerate(spec.zones):
        demand = zone.demand
        where = ("zones", i, "demand")
        if isinstance(demand, SyntheticDemand):
            problems.extend(_weather_problems(reader, source, (*where, "weather"), demand.weather, ("temp_air",)))
        elif isinstance(demand, FileDemand):
            problems.extend(_csv_problems(source, where, demand.path, demand.column, "hourly demand [MW]"))
    references: dict[str, LoadedConfig] = {}
    for i, unit in enumerate(spec.existing_renewables):
        profile = unit.profile
        where = ("existing_renewables", i, "profile")
        if isinstance(profile, FileProfile):
            problems.extend(_csv_problems(source, where, profile.path, profile.column, "hourly capacity factors"))
            continue
        if not isinstance(profile, SiteProfile):  # pragma: no cover - the union has two members
            continue
        loaded, own = reader.read(profile.site)
        if loaded is None:
            problems.extend([_invalid_reference(source, (*where, "site"), profile.site, "this reference site"), *own])
            continue
        if loaded.spec.kind != unit.technology:
            problems.append(
                problem_at(
                    source,
                    (*where, "site"),
                    f"= {_shown(profile.site)}: a {loaded.spec.kind} config; expected a {unit.technology} site config "
                    f"(kind: {unit.technology}), since this unit's technology is {unit.technology}: its production "
                    "per MW gives the unit's hourly profile",
                )
            )
            continue
        references[unit.id] = loaded
        problems.extend(_site_problems(reader, loaded))
    storage: dict[str, LoadedConfig] = {}
    for i, unit in enumerate(spec.existing_storage):
        where = ("existing_storage", i, "site")
        loaded, own = reader.read(unit.site)
        if loaded is None:
            problems.extend([_invalid_reference(source, where, unit.site, "this battery config"), *own])
            continue
        battery = loaded.spec
        if not isinstance(battery, BatterySite):
            problems.append(
                problem_at(
                    source,
                    where,
                    f"= {_shown(unit.site)}: a {battery.kind} config; expected a battery config (kind: battery) "
                    "with coupling type standalone",
                )
            )
            continue
        if not isinstance(battery.coupling, Standalone):
            problems.append(
                problem_at(
                    source,
                    where,
                    f"= {_shown(unit.site)}: coupling {battery.coupling.type} (line "
                    f"{loaded.source.line_of(('coupling', 'type'))} of that file); expected standalone for grid "
                    "storage, which has no plant of its own to share a connection with",
                )
            )
            continue
        storage[unit.id] = loaded
    return references, storage, problems


def _timezone_problems(
    portfolio: LoadedConfig, located: list[tuple[LoadedConfig, str]]
) -> list[Problem]:
    """Every site, reference site and existing battery is in the portfolio's study time zone.

    ``located`` pairs each config with what it is to the portfolio (for the message). When the
    files all agree on one zone and the portfolio names another, the portfolio's ``timezone``
    is reported once; otherwise each file that differs is.
    """
    study = portfolio.spec.timezone  # type: ignore[union-attr]
    port_file = portfolio.source.file
    port_line = portfolio.source.line_of(("timezone",))
    zones = {cfg.spec.location.timezone for cfg, _ in located}  # type: ignore[union-attr]
    if not located or zones == {study}:
        return []
    why = ("the run lays every hourly series on the study year in the portfolio's time zone, so a site in "
           "another zone loses or shifts hours")
    if len(zones) == 1 and len(located) > 1:
        (zone,) = zones
        files = ", ".join(dict.fromkeys(cfg.source.file for cfg, _ in located))
        return [
            problem_at(
                portfolio.source,
                ("timezone",),
                f"= '{study}': the study time zone of {port_file} differs from time zone '{zone}' of every site "
                f"file it uses ({files}); expected '{zone}' here, or every location.timezone changed to '{study}': "
                f"{why}",
            )
        ]
    problems = []
    for cfg, role in located:
        zone = cfg.spec.location.timezone  # type: ignore[union-attr]
        if zone != study:
            problems.append(
                problem_at(
                    cfg.source,
                    ("location", "timezone"),
                    f"= '{zone}': time zone of {cfg.source.file} ({role}) differs from the study time zone "
                    f"'{study}' of portfolio {port_file} (line {port_line}); expected '{study}': {why}",
                )
            )
    return problems


def _hydro_problems(portfolio: LoadedConfig, grid: LoadedConfig) -> list[Problem]:
    """A hydro scenario named in the options exists in every hydro plant of the grid."""
    scenario = portfolio.spec.options.hydro_scenario  # type: ignore[union-attr]
    if scenario is None:
        return []
    problems = []
    for i, hydro in enumerate(grid.spec.hydro):  # type: ignore[union-attr]
        known = sorted(hydro.scenarios_annual_energy_mwh)
        if scenario not in known:
            line = grid.source.line_of(("hydro", i, "scenarios_annual_energy_mwh"), key=True)
            problems.append(
                problem_at(
                    portfolio.source,
                    ("options", "hydro_scenario"),
                    f"= '{scenario}': hydro plant '{hydro.id}' of grid {grid.source.file} (line {line}) has no "
                    f"scenario '{scenario}' in scenarios_annual_energy_mwh; expected one of "
                    f"{', '.join(known) or '(none: give null for the base budget)'}{suggest(scenario, known)}",
                )
            )
    return problems


def _portfolio_problems(loaded: LoadedConfig, grid: GridSpec, sites: list[LoadedConfig]) -> list[Problem]:
    """Site ids unique and distinct from the grid's, zones known, AC coupling to a plant of the same zone."""
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
        site_id = site.spec.id  # type: ignore[union-attr]
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
    generating = {s.spec.id: s.spec for s in sites if s.spec.kind in ("solar", "wind")}  # type: ignore[union-attr]
    zone_of = {s.spec.id: e.zone for s, e in zip(sites, spec.sites, strict=True)}  # type: ignore[union-attr]
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
        if zone_of[coupling.site] != zone_of[site.spec.id]:  # type: ignore[union-attr]
            problems.append(
                problem_at(
                    site.source,
                    where,
                    f"= '{coupling.site}': a coupled battery must be in the zone of its plant "
                    f"({zone_of[coupling.site]}), but the portfolio puts it in {zone_of[site.spec.id]}",  # type: ignore[union-attr]
                )
            )
    return problems


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
    reader: _Reader, portfolio: LoadedConfig, grid: LoadedConfig, sites: list[LoadedConfig]
) -> Portfolio:
    """Resolve what the grid and sites name and run every cross-file check (ConfigError on any problem)."""
    spec: PortfolioSpec = portfolio.spec  # type: ignore[assignment]
    grid_spec: GridSpec = grid.spec  # type: ignore[assignment]
    problems = _portfolio_problems(portfolio, grid_spec, sites)
    for site in sites:
        problems.extend(_site_problems(reader, site))
    references, storage, grid_problems_ = _grid_references(reader, grid)
    problems.extend(grid_problems_)
    located = [(site, "a site of the portfolio") for site in sites]
    located += [(cfg, f"reference site of existing_renewables '{unit_id}' in {grid.source.file}")
                for unit_id, cfg in references.items()]
    located += [(cfg, f"existing_storage '{unit_id}' in {grid.source.file}") for unit_id, cfg in storage.items()]
    problems.extend(_timezone_problems(portfolio, located))
    problems.extend(_hydro_problems(portfolio, grid))
    if problems:
        raise ConfigError(problems=_unique(problems))
    site_specs = tuple(s.spec for s in sites)
    named = {cfg.path.resolve(): cfg.spec for cfg in [*references.values(), *storage.values()]}
    return Portfolio(
        spec=spec,
        grid=grid_spec,
        sites=site_specs,  # type: ignore[arg-type]
        zones={site.id: entry.zone for site, entry in zip(site_specs, spec.sites, strict=True)},
        path=portfolio.path,
        reference_sites=FrozenMap((k, v.spec) for k, v in references.items()),  # type: ignore[misc]
        existing_storage=FrozenMap((k, v.spec) for k, v in storage.items()),  # type: ignore[misc]
        files=_files(portfolio.path, spec, grid_spec, site_specs, named),  # type: ignore[arg-type]
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
    return _finish(_Reader(), loaded, grid, sites)  # type: ignore[arg-type]


def _in_memory(spec: AnySpec, path: Path) -> LoadedConfig:
    """A spec changed in memory as a LoadedConfig: problems name its file and field, without a line."""
    return LoadedConfig(spec, path, YamlSource(display_path(path), spec.model_dump(mode="json")))


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
    return _finish(_Reader(), loaded, grid, sites)


def sweep_path_problems(loaded: LoadedConfig) -> tuple[Portfolio, dict[str, Any], list[Problem]]:
    """Check every field path a sweep spec varies against its base portfolio.

    Returns
    -------
    portfolio : Portfolio
        The base portfolio.
    base : dict
        Field path -> its value in the base portfolio, for the paths that name a field.
    problems : list of Problem
        One per path that names nothing, at its line in the sweep file.
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
    return portfolio, base, problems


def validate_file(path: Path | str) -> tuple[str | None, list[Problem]]:
    """Validate one file as the ``validate`` command does.

    A portfolio file is validated as :func:`load_portfolio` finishes it (with every file it
    names and the cross-file checks); a grid with the files it names (reference sites, existing
    storage, weather and hourly CSVs); a site with its weather and climatology files; a sweep
    spec with its base portfolio and the field paths it varies.

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
    kind = loaded.spec.kind
    if kind == "portfolio":
        try:
            load_portfolio(path)
        except ConfigError as exc:
            return kind, exc.problems
    elif kind == "grid":
        return kind, _unique(_grid_references(_Reader(), loaded)[2])
    elif kind in SITE_KINDS:
        return kind, _unique(_site_problems(_Reader(), loaded))
    elif kind == "sweep":
        try:
            return kind, sweep_path_problems(loaded)[2]
        except ConfigError as exc:
            return kind, exc.problems
    return kind, []
