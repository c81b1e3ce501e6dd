"""The cross-file checks of a portfolio: referenced files exist and are of the expected kind,
time zones agree, scenarios and couplings name what exists.

Each function returns :class:`~energy_portfolio.errors.Problem` entries naming file, line, field,
the value found and what was expected; :func:`~.load.load_portfolio` runs them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import Problem
from ..timeseries import hours_in_year
from .battery import AcCoupled, BatterySite, Standalone
from .catalogs import hardware_errors
from .climatology import ClimatologySpec
from .grid import IN_SERVICE_GROUPS, FileDemand, FileProfile, GridSpec, SiteProfile, SyntheticDemand
from .headers import csv_columns, weather_header
from .loaded import LoadedConfig
from .messages import problem_at, suggest
from .portfolio import PortfolioSpec
from .read import ConfigReader, display_path, zone_problem
from .site import FileWeather, SyntheticWeather
from .yamlsource import YamlSource

__all__ = [
    "commitment_problems",
    "grid_references",
    "hydro_problems",
    "portfolio_problems",
    "demand_problems",
    "reserve_problems",
    "service_problems",
    "site_problems",
    "timezone_problems",
    "trade_problems",
]


def _shown(path: Path | str) -> str:
    return display_path(path)


def _invalid_reference(source: YamlSource, where: tuple[Any, ...], path: Path, what: str) -> Problem:
    return problem_at(
        source, where, f"= {_shown(path)}: {what} has problems of its own (listed under its name); fix them first"
    )


def _weather_problems(
    reader: ConfigReader,
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
        return [problem_at(source, at, f"= {_shown(weather.climatology)}: not a readable climatology config (its "
                           "problems are listed under its name); expected a climatology config (kind: climatology), "
                           "the monthly statistics the typical-year generator reads"), *problems]
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


def site_problems(reader: ConfigReader, site: LoadedConfig) -> list[Problem]:
    """The files a site names (its weather files and climatologies, a pumped-hydro inflow CSV) and the
    hardware it names in the catalogs (:func:`~.catalogs.hardware_errors`: CEC module and inverter,
    turbine and its curve, hub height against the rotor, restart against cut-out)."""
    problems = [problem_at(site.source, err.path, err.detail) for err in hardware_errors(site.spec)]
    for name in ("weather", "weather_years"):
        weather = getattr(site.spec, name, None)
        if weather is not None:
            problems.extend(_weather_problems(reader, site.source, (name,), weather))
    inflow = getattr(site.spec, "inflow", None)
    if inflow is not None and getattr(inflow, "source", None) == "file":
        problems.extend(_csv_problems(site.source, ("inflow",), inflow.path, inflow.column, "inflow [MWh per hour]"))
    return problems


def grid_references(
    reader: ConfigReader, grid: LoadedConfig
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
    for i, link in enumerate(spec.interconnectors):
        market = link.opportunistic
        if market is not None and market.basis == "market_reference" and market.path is not None:
            problems.extend(_csv_problems(source, ("interconnectors", i, "opportunistic"), market.path,
                                          market.column or "", "hourly reference prices [USD/MWh]"))
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
        problems.extend(site_problems(reader, loaded))
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


def timezone_problems(
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


def hydro_problems(portfolio: LoadedConfig, grid: LoadedConfig) -> list[Problem]:
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


def _same_plant(grid: GridSpec, unit_id: str, site_file: Path) -> bool:
    """Whether the grid's existing renewable ``unit_id`` takes its profile from ``site_file``: the portfolio
    studies that plant itself (``Portfolio.grid_plants_in_portfolio``), so the shared id names one plant."""
    return any(
        unit.id == unit_id and getattr(unit.profile, "source", None) == "site"
        and unit.profile.site.resolve() == Path(site_file).resolve()
        for unit in grid.existing_renewables
    )


def portfolio_problems(loaded: LoadedConfig, grid: GridSpec, sites: list[LoadedConfig]) -> list[Problem]:
    """Site ids unique and distinct from the grid's (unless the site is a grid plant's own reference site
    file, the plant the portfolio studies), zones known, AC coupling to a plant of the same zone."""
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
        if site_id in grid_ids and not _same_plant(grid, site_id, entry.file):
            problems.append(
                problem_at(
                    source,
                    ("sites", i, "file"),
                    f"site id '{site_id}' is also the id of a unit in the grid file; ids must be unique",
                )
            )
        if entry.zone not in grid.zone_ids:
            problems.extend(zone_problem(source, ("sites", i, "zone"), entry.zone, list(grid.zone_ids)))
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


def _supply_ids(grid: GridSpec, zone: str) -> list[str]:
    """Ids of what can supply ``zone``: its thermal units, hydro, existing wind and solar and storage,
    interconnectors that may import, and lines to it."""
    ids = [c.id for name in IN_SERVICE_GROUPS for c in getattr(grid, name)
           if c.zone == zone and getattr(c, "import_capacity_mw", 1.0) > 0]
    return ids + [line.id for line in grid.lines if zone in (line.from_zone, line.to_zone)]


def service_problems(portfolio: LoadedConfig, grid: LoadedConfig) -> list[Problem]:
    """The study year leaves every zone that the grid file supplies with some supply in service.

    A zone whose every unit, store, import link and line is retired or not yet in service in the
    study year (``in_service_year`` / ``retirement_year``) could only shed its load: that is a
    wrong year or wrong service years, not a study.
    """
    year = portfolio.spec.study_year  # type: ignore[union-attr]
    full: GridSpec = grid.spec  # type: ignore[assignment]
    study = full.in_year(year)
    problems = []
    for zone in full.zone_ids:
        ever = _supply_ids(full, zone)
        if ever and not _supply_ids(study, zone):
            years = {c.id: (c.in_service_year, c.retirement_year)
                     for name in IN_SERVICE_GROUPS for c in getattr(full, name)}
            listed = ", ".join(f"{i} ({_service_years(*years[i])})" for i in ever if i in years)
            problems.append(problem_at(
                portfolio.source, ("study_year",),
                f"= {year}: zone '{zone}' of grid {grid.source.file} has nothing in service in {year} to supply it "
                f"({listed}); expected a study year in which every zone has a unit, store, import link or line in "
                "service, or the in_service_year / retirement_year of these changed"))
    return problems


def _service_years(start: int | None, end: int | None) -> str:
    """``in service 2026-2039`` style text of a component's years in service."""
    if start is None and end is None:
        return "always in service"
    return f"in service {start or '...'} to {end - 1 if end else '...'}"


def trade_problems(grid: LoadedConfig, sites: list[LoadedConfig], year: int) -> list[Problem]:
    """Every plant a ``carries: [ids]`` link in service in the study ``year`` names is a solar or wind
    site of the portfolio or an existing renewable of the grid in service that year."""
    spec: GridSpec = grid.spec  # type: ignore[assignment]
    known = [s.spec.id for s in sites if s.spec.kind in ("solar", "wind")]  # type: ignore[union-attr]
    known += [unit.id for unit in spec.in_year(year).existing_renewables]
    problems = []
    for i, link in enumerate(spec.interconnectors):
        if not link.in_service(year):
            continue
        for k, site in enumerate(link.carried_sites):
            if site not in known:
                problems.append(problem_at(
                    grid.source, ("interconnectors", i, "carries", k),
                    f"= '{site}': interconnector {link.id} may carry only the output of the plants it names, but no "
                    f"solar or wind site of the portfolio or existing renewable of the grid has this id (found "
                    f"{', '.join(known) or 'none'}){suggest(site, known)}",
                ))
    return problems


def commitment_problems(portfolio: LoadedConfig, grid: LoadedConfig) -> list[Problem]:
    """With unit commitment on a rolling horizon, every minimum up and down time fits in one window.

    A window cannot see a constraint longer than itself: a unit started in its last hours would
    have to stay on beyond it, which the next window then inherits unchecked.
    """
    options = portfolio.spec.options.dispatch  # type: ignore[union-attr]
    if options.operations != "unit_commitment" or options.mode != "rolling_horizon":
        return []
    problems = []
    window_line = portfolio.source.line_of(("options", "dispatch", "window_h"))
    for i, unit in enumerate(grid.spec.thermal_units):  # type: ignore[union-attr]
        for name in ("min_up_h", "min_down_h"):
            hours = getattr(unit, name)
            if hours > options.window_h:
                problems.append(
                    problem_at(
                        grid.source,
                        ("thermal_units", i, name),
                        f"= {hours}: longer than the rolling-horizon window options.dispatch.window_h = "
                        f"{options.window_h} h of {portfolio.source.file} (line {window_line}); expected at most "
                        f"{options.window_h} h, or a longer window",
                    )
                )
    return problems


def _storage_mw(battery: BatterySite) -> float:
    """What a battery can hold in one direction at most: its charge plus its discharge power [MW]."""
    return 2.0 * min(battery.power_mw, battery.grid_connection_mw) * battery.availability


def demand_problems(portfolio: LoadedConfig, grid: LoadedConfig) -> list[Problem]:
    """Every synthetic zone demand's peak in the study year, on the portfolio's growth path, is above
    its mean load (the synthetic shape needs a peak above the mean to scale to)."""
    path = portfolio.spec.options.demand_path  # type: ignore[union-attr]
    year = portfolio.spec.study_year  # type: ignore[union-attr]
    problems = []
    for i, zone in enumerate(grid.spec.zones):  # type: ignore[union-attr]
        if not isinstance(zone.demand, SyntheticDemand):
            continue
        energy, peak = zone.demand.in_year(year, path)
        mean = energy / hours_in_year(year)
        if peak <= mean:
            problems.append(problem_at(
                grid.source, ("zones", i, "demand", "growth_paths", path, "peak_growth_fraction_per_year"),
                f"= {getattr(zone.demand.growth_paths, path).peak_growth_fraction_per_year:g}: the {path} path "
                f"(options.demand_path of portfolio {portfolio.source.file}) grows zone '{zone.id}' to a peak of "
                f"{peak:.0f} MW and a mean load of {mean:.0f} MW in the study year {year}; expected a peak above "
                "the mean load (a peak growth nearer the energy growth)",
            ))
    return problems


def reserve_problems(
    grid: LoadedConfig, storage: dict[str, LoadedConfig], sites: list[LoadedConfig], year: int, demand_path: str
) -> list[Problem]:
    """The up and the down reserve requirements (summed over products, at the peak of synthetic
    demand in the study ``year`` on the ``demand_path``; the largest thermal unit for
    ``largest_infeed``) fit in what every provider in service in ``year`` together can hold: thermal
    capacity x availability, hydro capacity - minimum, charge + discharge power of every battery, and
    interconnector capacity where a product allows it."""
    spec: GridSpec = grid.spec.in_year(year)  # type: ignore[union-attr]
    in_service = {u.id for u in spec.existing_storage}
    peak = sum(z.demand.in_year(year, demand_path)[1] for z in spec.zones if isinstance(z.demand, SyntheticDemand))
    batteries = [c.spec for k, c in storage.items() if k in in_service]
    batteries += [s.spec for s in sites if isinstance(s.spec, BatterySite)]
    fleet = sum(u.capacity_mw * u.availability for u in spec.thermal_units)
    fleet += sum(h.capacity_mw - h.min_output_mw for h in spec.hydro) + sum(map(_storage_mw, batteries))
    largest = max((u.unit_size_mw * u.availability for u in spec.thermal_units), default=0.0)
    problems = []
    for direction in ("up", "down"):
        total, links = 0.0, 0.0
        for i, product in enumerate(spec.reserves):
            if product.direction not in (direction, "symmetric"):
                continue
            if product.interconnectors_may_provide:
                links = sum(c.import_capacity_mw if direction == "up" else c.export_capacity_mw
                            for c in spec.interconnectors)
            need = largest if product.sizing == "largest_infeed" else (product.demand_share or 0.0) * peak
            total += need
            if total > fleet + links:
                field = "sizing" if product.sizing == "largest_infeed" else "demand_share"
                problems.append(problem_at(
                    grid.source, ("reserves", i, field),
                    f"= {getattr(product, field)}: the {direction} reserve of '{product.id}' and the products before "
                    f"it "
                    f"need {total:.0f} MW (at the {peak:g} MW demand peak; the largest thermal unit {largest:.0f} MW) "
                    f"but all providers together can hold {fleet + links:.0f} MW (thermal, hydro, storage"
                    f"{', interconnectors' if links else ''}{f' in service in {year}' if year else ''}); expected a "
                    "requirement the fleet can meet"))
                break
    return problems
