"""Wiring of the layers: specs + weather -> production -> dispatch -> economics -> result.

This is the one module that connects the layers (DESIGN.md). It holds no physics and reads
no files itself: weather readers, the production models, the dispatch LP and the economics
functions do the work; this module passes plain specs, frames and arrays between them.

Production can come from a :class:`ProductionCache` (scenario sweeps): a site's weather and
production in the study year (:class:`SiteRun`), and the net output of all the new generating
sites in the weather years of a P50/P90 run (:class:`WeatherYearsProduction`, one entry for
them all, since their synthetic weather years are generated together).
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from .config import BatterySite, FileWeather, Location, Portfolio, SiteSpec, SolarSite, WindSite, load_site
from .config.battery import Standalone
from .config.grid import SiteProfile, SyntheticDemand
from .config.types import spec_files
from .dispatch import (
    Battery,
    DispatchInputs,
    DispatchResult,
    battery_from_site,
    build_inputs,
    file_demand_mw,
    renewable_from_capacity_factor,
    renewable_from_power,
    solve,
    synthetic_demand_mw,
)
from .economics import (
    ProjectEconomics,
    combined_stack_fraction,
    economics_summary,
    evaluate_portfolio,
    evaluate_project,
    gas_summary,
    market_revenue_usd,
    p_values_from_fractions,
    p_values_of_samples,
    p_values_summary,
    quadrature,
    uncertainty_stack,
    value_gas_saved,
)
from .errors import InputError
from .production.result import SiteProduction
from .production.solar import simulate_solar
from .production.wind import simulate_wind
from .timeseries import INTERVAL_LABEL, hourly_year
from .weather import (
    WeatherData,
    load_climatology,
    load_weather,
    load_weather_years,
    read_hourly_column,
    read_weather_file,
)

__all__ = [
    "PortfolioResult",
    "PreparedDispatch",
    "ProductionCache",
    "WeatherYears",
    "WeatherYearsProduction",
    "p_values_by_site",
    "run_weather_years",
    "prepare_dispatch",
    "SiteRun",
    "build_summary",
    "generating_sites",
    "hourly_frame",
    "operating_year_in",
    "portfolio_files",
    "run_portfolio",
    "run_site",
    "run_site_in_year",
    "simulate_site",
    "site_weather",
    "weather_years_production",
]

_PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class SiteRun:
    """One site's weather and production, with every warning raised on the way."""

    spec: SiteSpec
    weather: WeatherData
    production: SiteProduction
    warnings: tuple[str, ...] = field(default_factory=tuple)


def simulate_site(spec: SiteSpec, weather: WeatherData, operating_year: int = 1) -> SiteProduction:
    """Run the production model the site's kind names (solar: pvlib chain; wind: windpowerlib + PyWake)."""
    return _model(spec)(spec, weather.frame, operating_year)


def _model(spec: SiteSpec):
    if isinstance(spec, SolarSite):
        return simulate_solar
    if isinstance(spec, WindSite):
        return simulate_wind
    raise InputError(
        f"site '{spec.id}' is a {spec.kind} site: it has no weather-driven production model; "
        "yield works on solar and wind sites (a battery's use comes from the dispatch)"
    )


def site_weather(spec: SiteSpec, year: int, weather_file: Path | None = None, weather_format: str = "canonical"):
    """The site's weather for a calendar year: its own ``weather:`` source or a file given instead."""
    if weather_file is not None:
        source = FileWeather(source="file", path=Path(weather_file).resolve(), format=weather_format)
    else:
        source = getattr(spec, "weather", None)
        if source is None:
            raise InputError(f"site '{spec.id}' names no weather source; give one with --weather FILE")
    hub_height_m = spec.hub_height_m if isinstance(spec, WindSite) else None
    return load_weather(source, spec.location, year, hub_height_m)


def run_site(
    spec: SiteSpec,
    *,
    operating_year: int = 1,
    weather_file: Path | None = None,
    weather_format: str = "canonical",
) -> SiteRun:
    """Weather and production of one site for one operating year.

    The weather is laid onto the calendar year ``commissioning_year + operating_year - 1``.
    Warnings from the weather and the models are collected in ``SiteRun.warnings`` for the
    caller to show (the CLI prints them; the report's manifest lists them).
    """
    _model(spec)  # refuse a battery before reading any weather
    year = spec.commissioning_year + operating_year - 1
    return _site_run(spec, year, operating_year, weather_file, weather_format)


def _site_run(
    spec: SiteSpec, year: int, operating_year: int, weather_file: Path | None = None, weather_format: str = "canonical"
) -> SiteRun:
    """Weather of calendar ``year`` and production in ``operating_year``, with our own warnings collected."""

    def compute() -> tuple[WeatherData, SiteProduction]:
        weather = site_weather(spec, year, weather_file, weather_format)
        return weather, simulate_site(spec, weather, operating_year)

    (weather, production), ours = _with_our_warnings(compute)
    return SiteRun(spec, weather, production, tuple(dict.fromkeys(list(weather.meta.warnings) + ours)))


def _with_our_warnings(compute: Callable[[], Any]) -> tuple[Any, list[str]]:
    """``compute()`` and the messages of the warnings our own package raised during it (not re-raised)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = compute()
    return value, [str(w.message) for w in caught if _PACKAGE_DIR in Path(w.filename).resolve().parents]


# --------------------------------------------------------------------------------------
# The whole portfolio: production of every site, dispatch with and without it, economics.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeatherYears:
    """Per-weather-year samples of each new generating site and of the portfolio.

    Attributes
    ----------
    n_years : int
    energy_mwh, delivered_mwh, revenue_usd : dict
        Site id -> one value per weather year: net energy before dispatch [MWh], energy
        delivered after the year's dispatch [MWh], revenue at that dispatch's hourly marginal
        prices [USD].
    """

    n_years: int
    energy_mwh: dict[str, list[float]]
    delivered_mwh: dict[str, list[float]]
    revenue_usd: dict[str, list[float]]


@dataclass(frozen=True)
class PortfolioResult:
    """Everything one portfolio run computed.

    Attributes
    ----------
    portfolio : Portfolio
        The loaded configs.
    sites : dict
        Site id -> SiteRun of each new solar and wind site.
    reference_sites : dict
        Existing-fleet id -> SiteRun of the reference site its profile comes from.
    dispatch : DispatchResult
        The hourly dispatch with the portfolio; ``dispatch.counterfactual`` without it.
    economics : dict
        Site id (and ``"portfolio"``) -> ProjectEconomics.
    summary : dict
        The summary.json document (DESIGN.md, schema_version 1).
    hourly : pandas.DataFrame
        One row per hour, one column per quantity, units in the names.
    warnings, corrections : tuple of str
        Every warning raised and every weather correction made during the run.
    input_files : tuple of Path
        Every file read.
    timings_s : dict
        Seconds per stage.
    """

    portfolio: Portfolio
    sites: dict[str, SiteRun]
    reference_sites: dict[str, SiteRun]
    dispatch: DispatchResult
    economics: dict[str, ProjectEconomics]
    summary: dict[str, Any]
    hourly: pd.DataFrame
    warnings: tuple[str, ...]
    corrections: tuple[str, ...]
    input_files: tuple[Path, ...]
    timings_s: dict[str, float]
    weather_years: WeatherYears | None = None

    def to_html(self) -> str:
        """The self-contained HTML report (as report.html)."""
        from .report.build import build_document
        from .report.document import render_html

        return render_html(build_document(self))

    def _repr_html_(self) -> str:
        from .report.build import key_figures_html

        return key_figures_html(self)


def generating_sites(portfolio: Portfolio) -> list[SiteSpec]:
    """The portfolio's new sites with a weather-driven production model (solar and wind), in its order."""
    return [site for site in portfolio.sites if site.kind in ("solar", "wind")]


def operating_year_in(spec: SiteSpec, study_year: int) -> int:
    """Year of operation of a site in the study year (1 = commissioning year; at least 1)."""
    return max(1, study_year - spec.commissioning_year + 1)


@dataclass(frozen=True)
class WeatherYearsProduction:
    """Net output of each new generating site in each of ``n_years`` weather years.

    Only what the weather-years dispatch and the P-values need (no weather frames, no loss
    waterfalls), so that a cache entry stays small.

    Attributes
    ----------
    net_mw : dict
        Site id -> one hourly series of net AC power per weather year [MW].
    energy_mwh : dict
        Site id -> one annual net energy per weather year [MWh].
    warnings : tuple of str
        Warnings of the weather and of the production models, in the order raised.
    """

    net_mw: dict[str, list[pd.Series]]
    energy_mwh: dict[str, list[float]]
    warnings: tuple[str, ...]


def weather_years_production(sites: Sequence[SiteSpec], year: int, n_years: int) -> WeatherYearsProduction:
    """Production of solar and wind ``sites`` in ``n_years`` distinct weather years laid on calendar ``year``.

    Each site's ``weather_years`` source (default its ``weather``) gives the years; synthetic
    sources of all ``sites`` are generated together so their weather stays correlated: a site's
    year ``i`` depends on the sources and locations of every site given, not on its own alone.
    Each site runs in its operating year of ``year``.
    """
    sources = {s.id: s.weather_years or s.weather for s in sites}
    weather = load_weather_years(sources, {s.id: s.location for s in sites}, [year] * n_years)
    net_mw: dict[str, list[pd.Series]] = {s.id: [] for s in sites}
    energy_mwh: dict[str, list[float]] = {s.id: [] for s in sites}
    notes: list[str] = []
    for i in range(n_years):
        for site in sites:
            data = weather[site.id][i]
            notes.extend(data.meta.warnings)
            production, ours = _with_our_warnings(
                lambda site=site, data=data: simulate_site(site, data, operating_year_in(site, year))
            )
            notes.extend(ours)
            net_mw[site.id].append(production.net_mw)
            energy_mwh[site.id].append(production.annual_energy_mwh)
    return WeatherYearsProduction(net_mw, energy_mwh, tuple(notes))


class ProductionCache(Protocol):
    """Where a run may find production computed before (scenario sweeps).

    ``site_run`` returns the stored :class:`SiteRun` of ``spec`` in calendar ``year`` when it
    has one, else calls ``compute()``, stores and returns its result. ``weather_years`` does
    the same for the :class:`WeatherYearsProduction` of the generating sites ``specs`` (all of
    a portfolio's, in its order: their weather years are correlated) in ``n_years`` weather
    years of calendar ``year``. ``dispatch`` does the same for the dispatch of ``inputs`` (the
    system without the portfolio, which every scenario of a sweep over the new sites shares).
    """

    def site_run(self, spec: SiteSpec, year: int, compute: Callable[[], SiteRun]) -> SiteRun: ...

    def dispatch(self, inputs: DispatchInputs, compute: Callable[[], DispatchResult]) -> DispatchResult: ...

    def weather_years(
        self,
        specs: Sequence[SiteSpec],
        year: int,
        n_years: int,
        compute: Callable[[], WeatherYearsProduction],
    ) -> WeatherYearsProduction: ...


def run_site_in_year(spec: SiteSpec, year: int, production_cache: ProductionCache | None = None) -> SiteRun:
    """Weather and production of a site in calendar ``year``, as a portfolio run of that study year makes them."""
    operating_year = operating_year_in(spec, year)
    if production_cache is not None:
        return production_cache.site_run(spec, year, lambda: _site_run(spec, year, operating_year))
    return _site_run(spec, year, operating_year)


def _demand_temperature_c(source, timezone: str, year: int) -> tuple[pd.Series, WeatherData]:
    """Hourly air temperature for a synthetic demand shape, from its weather source."""
    if isinstance(source, FileWeather):
        data, _ = read_weather_file(source.path, source.format)
        meta = data.meta
        location = Location(
            latitude=meta.latitude, longitude=meta.longitude, elevation_m=meta.elevation_m, timezone=timezone
        )
    else:
        location = load_climatology(source.climatology).location.model_copy(update={"timezone": timezone})
    weather = load_weather(source, location, year)
    return weather.frame["temp_air"], weather


def _zone_demand_mw(portfolio: Portfolio, index: pd.DatetimeIndex, notes: list[str]) -> pd.DataFrame:
    columns = {}
    for zone in portfolio.grid.zones:
        spec = zone.demand
        if isinstance(spec, SyntheticDemand):
            temp_c, weather = _demand_temperature_c(spec.weather, str(index.tz), index[0].year)
            notes.extend(weather.meta.warnings)
            columns[zone.id] = synthetic_demand_mw(spec, temp_c.tz_convert(index.tz), zone.id)
        else:
            series = read_hourly_column(spec.path, spec.column, str(index.tz), index[0].year)
            columns[zone.id] = file_demand_mw(spec, series, index, zone.id)
    return pd.DataFrame(columns, index=index)


def _existing_renewables(
    portfolio: Portfolio, index: pd.DatetimeIndex, cache: ProductionCache | None = None
) -> tuple[list, dict[str, SiteRun]]:
    plants, runs = [], {}
    for unit in portfolio.grid.existing_renewables:
        profile = unit.profile
        if isinstance(profile, SiteProfile):
            reference = load_site(profile.site)
            run = run_site_in_year(reference, index[0].year, cache)
            runs[unit.id] = run
            capacity_factor = run.production.net_mw / run.production.capacity_mw
        else:
            capacity_factor = read_hourly_column(profile.path, profile.column, str(index.tz), index[0].year)
        plants.append(renewable_from_capacity_factor(unit, capacity_factor.tz_convert(index.tz), index))
    return plants, runs


def _existing_batteries(portfolio: Portfolio) -> list[Battery]:
    """The grid's existing storage as dispatch batteries (kept in the system without the portfolio)."""
    batteries = []
    for i, unit in enumerate(portfolio.grid.existing_storage):
        spec = load_site(unit.site)
        where = f"{portfolio.spec.grid}: existing_storage[{i}]({unit.id}).site = {unit.site}"
        if not isinstance(spec, BatterySite):
            raise InputError(f"{where}: a {spec.kind} config; expected a battery config (kind: battery)")
        if not isinstance(spec.coupling, Standalone):
            raise InputError(f"{where}: coupling {spec.coupling.type}; expected standalone for grid storage")
        battery = battery_from_site(spec, unit.zone, portfolio.spec.options.dispatch, new=False)
        batteries.append(dataclasses.replace(battery, id=unit.id))
    return batteries


@dataclass(frozen=True)
class PreparedDispatch:
    """The dispatch problem of a portfolio with the production runs it was built from."""

    inputs: DispatchInputs
    sites: dict[str, SiteRun]
    reference_sites: dict[str, SiteRun]
    notes: tuple[str, ...]
    timings_s: dict[str, float]


def prepare_dispatch(
    portfolio: Portfolio,
    progress: Callable[[str], None] | None = None,
    production_cache: ProductionCache | None = None,
    on_existing_system: Callable[[DispatchInputs], None] | None = None,
) -> PreparedDispatch:
    """Weather and production of every site, demand, and the dispatch inputs of the study year.

    Parameters
    ----------
    production_cache : ProductionCache, optional
        Each site's weather and production come from it when stored.
    on_existing_system : callable, optional
        Called with the dispatch inputs of the system without the new portfolio (demand and the
        existing fleet; identical to ``inputs.without_new()``) as soon as they are ready, before
        the new sites' production is computed: :func:`run_portfolio` starts the counterfactual
        solve there, so it runs beside the production models.
    """
    step = progress or (lambda name: None)
    spec = portfolio.spec
    year = spec.study_year
    index = hourly_year(year, spec.timezone)
    notes: list[str] = []
    timings: dict[str, float] = {}
    options = spec.options

    step("demand and the existing fleet")
    clock = time.perf_counter()
    existing, reference_runs = _existing_renewables(portfolio, index, production_cache)
    timings["production"] = time.perf_counter() - clock

    clock = time.perf_counter()
    demand = _zone_demand_mw(portfolio, index, notes)

    existing_batteries = _existing_batteries(portfolio)

    def inputs_with(new_renewables: list, new_batteries: list) -> DispatchInputs:
        plants, batteries = new_renewables + existing, new_batteries + existing_batteries
        return build_inputs(portfolio.grid, demand, plants, batteries, options.dispatch, options.hydro_scenario, index)

    if on_existing_system is not None:
        on_existing_system(inputs_with([], []))
    timings["demand"] = time.perf_counter() - clock

    step("weather and production")
    clock = time.perf_counter()
    runs: dict[str, SiteRun] = {}
    for site in generating_sites(portfolio):
        if site.commissioning_year > year:
            notes.append(
                f"site '{site.id}' is commissioned in {site.commissioning_year}, after the "
                f"study year {year}; it is modelled as if operating"
            )
        runs[site.id] = run_site_in_year(site, year, production_cache)
    renewables = [
        renewable_from_power(
            site_id,
            portfolio.zones[site_id],
            run.spec.kind,
            run.production.net_mw.tz_convert(index.tz),
            run.spec.grid_connection_mw,
            True,
            index,
        )
        for site_id, run in runs.items()
    ]
    batteries = [
        battery_from_site(site, portfolio.zones[site.id], options.dispatch)
        for site in portfolio.sites
        if isinstance(site, BatterySite)
    ]
    inputs = inputs_with(renewables, batteries)
    timings["production"] += time.perf_counter() - clock
    for run in list(runs.values()) + list(reference_runs.values()):
        notes.extend(run.warnings)
    return PreparedDispatch(inputs, runs, reference_runs, tuple(dict.fromkeys(notes)), timings)


def run_weather_years(
    portfolio: Portfolio,
    prepared: PreparedDispatch,
    n_years: int,
    notes: list[str],
    production_cache: ProductionCache | None = None,
) -> WeatherYears:
    """Production and dispatch of the new sites in ``n_years`` distinct, correlated weather years.

    The production comes from :func:`weather_years_production` (through ``production_cache``
    when one is given: one entry for all the new generating sites). The grid (demand, existing
    fleet) keeps the study year's typical weather. Every year is dispatched with the portfolio,
    so delivered energy and revenue carry curtailment and prices through.
    """
    year = portfolio.spec.study_year
    sites = [s for s in portfolio.sites if s.id in prepared.sites]

    def compute() -> WeatherYearsProduction:
        return weather_years_production(sites, year, n_years)

    production = compute() if production_cache is None else production_cache.weather_years(
        sites, year, n_years, compute
    )
    notes.extend(production.warnings)
    existing = [p for p in prepared.inputs.renewables if not p.new]
    index = prepared.inputs.index
    delivered_mwh: dict[str, list[float]] = {s.id: [] for s in sites}
    revenue_usd: dict[str, list[float]] = {s.id: [] for s in sites}
    for i in range(n_years):
        plants = [
            renewable_from_power(site.id, portfolio.zones[site.id], site.kind,
                                 production.net_mw[site.id][i].tz_convert(index.tz), site.grid_connection_mw, True,
                                 index)
            for site in sites
        ]
        result = solve(dataclasses.replace(prepared.inputs, renewables=tuple(plants + existing)))
        for site in sites:
            delivered = result.renewable_mw[site.id].to_numpy()
            price = result.price_usd_per_mwh[portfolio.zones[site.id]].to_numpy()
            delivered_mwh[site.id].append(float(delivered.sum()))
            revenue_usd[site.id].append(market_revenue_usd(delivered, price))
    energy_mwh = {s.id: list(production.energy_mwh[s.id]) for s in sites}
    return WeatherYears(n_years, energy_mwh, delivered_mwh, revenue_usd)


def p_values_by_site(
    portfolio: Portfolio, runs: dict[str, SiteRun], years: WeatherYears | None, notes: list[str]
) -> dict[str, dict[str, Any]]:
    """P50/P90/P99 keys per new generating site and for the portfolio (key ``"portfolio"``).

    With several weather years: year-to-year variability of energy, delivered energy and
    revenue combined with the site's uncertainty stack (economics.uncertainty). With one
    year: the stack alone, said in a warning.
    """
    out: dict[str, dict[str, Any]] = {}
    stacks = {}
    for site_id, run in runs.items():
        site = run.spec
        stack = uncertainty_stack(site.kind, site.energy_uncertainty)
        stacks[site_id] = stack
        if years is None:
            notes.append(
                f"site '{site_id}': P90/P99 from the uncertainty stack only; one weather year carries no "
                "year-to-year variability (set options.weather_years >= 2 for it)"
            )
            out[site_id] = p_values_summary(
                energy=p_values_from_fractions(run.production.annual_energy_mwh, 0.0, stack)
            )
        else:
            out[site_id] = p_values_summary(**p_values_of_samples(
                stack, energy_mwh=years.energy_mwh[site_id], delivered_mwh=years.delivered_mwh[site_id],
                revenue_usd=years.revenue_usd[site_id],
            ))
    if years is not None and runs:
        totals = {k: [sum(v[s][i] for s in runs) for i in range(years.n_years)]
                  for k, v in (("energy_mwh", years.energy_mwh), ("delivered_mwh", years.delivered_mwh),
                               ("revenue_usd", years.revenue_usd))}
        ids = list(runs)
        p50 = [float(np.mean(years.energy_mwh[s])) for s in ids]
        combined = combined_stack_fraction(p50, [quadrature(list(stacks[s].values())) for s in ids])
        out["portfolio"] = p_values_summary(**p_values_of_samples([combined], **totals))
    return out


def run_portfolio(
    portfolio: Portfolio,
    progress: Callable[[str], None] | None = None,
    production_cache: ProductionCache | None = None,
    on_production: Callable[[dict[str, SiteRun]], None] | None = None,
) -> PortfolioResult:
    """Run production, dispatch (with and without the portfolio) and economics for a portfolio.

    Parameters
    ----------
    portfolio : Portfolio
        From :func:`energy_portfolio.load_portfolio`.
    progress : callable, optional
        Called with the name of each stage as it starts (the CLI's progress display).
    production_cache : ProductionCache, optional
        Stored production of sites run before (scenario sweeps): each site's study year, and
        with ``options.weather_years >= 2`` the weather years of all new generating sites
        together; also the dispatch of the system without the portfolio. None by default.
    on_production : callable, optional
        Called with the new sites' runs (``PortfolioResult.sites``) while the dispatch solves
        run on worker threads: the CLI renders the report's production charts there.

    Returns
    -------
    PortfolioResult
        Deterministic for the same inputs.
    """
    step = progress or (lambda name: None)
    # The system without the portfolio is solved on a worker thread while the new sites'
    # production is computed, and the portfolio's solve on another while ``on_production``
    # runs here (HiGHS releases the GIL while it solves).
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="highs") as pool:
        counterfactual: list[Future[DispatchResult]] = []

        def start_counterfactual(inputs: DispatchInputs) -> None:
            if production_cache is None:
                counterfactual.append(pool.submit(solve, inputs))
            else:
                counterfactual.append(pool.submit(production_cache.dispatch, inputs, lambda: solve(inputs)))

        prepared = prepare_dispatch(portfolio, step, production_cache, start_counterfactual)
        timings = dict(prepared.timings_s)
        notes = list(prepared.notes)

        step("dispatch (with and without the portfolio)")
        clock = time.perf_counter()
        with_portfolio = pool.submit(solve, prepared.inputs)
        if on_production is not None:
            on_production(prepared.sites)
        dispatch = with_portfolio.result().with_counterfactual(counterfactual[0].result())
        timings["dispatch"] = time.perf_counter() - clock

    runs = prepared.sites
    years = None
    n_years = portfolio.spec.options.weather_years
    if n_years >= 2:
        step(f"P50/P90 over {n_years} weather years")
        clock = time.perf_counter()
        years = run_weather_years(portfolio, prepared, n_years, notes, production_cache)
        timings["weather_years"] = time.perf_counter() - clock

    step("economics")
    clock = time.perf_counter()
    economics = _economics(portfolio, runs, dispatch)
    p_values = p_values_by_site(portfolio, runs, years, notes)
    summary = build_summary(portfolio, runs, dispatch, economics, p_values)
    timings["economics"] = time.perf_counter() - clock
    all_runs = list(runs.values()) + list(prepared.reference_sites.values())
    corrections = [c for run in all_runs for c in run.weather.meta.corrections]
    return PortfolioResult(
        portfolio=portfolio,
        sites=runs,
        reference_sites=prepared.reference_sites,
        dispatch=dispatch,
        economics=economics,
        summary=summary,
        hourly=hourly_frame(runs, dispatch),
        warnings=tuple(dict.fromkeys(notes)),
        corrections=tuple(dict.fromkeys(corrections)),
        input_files=tuple(portfolio_files(portfolio)),
        timings_s=timings,
        weather_years=years,
    )


def _economics(portfolio: Portfolio, runs: dict[str, SiteRun], dispatch: DispatchResult) -> dict[str, ProjectEconomics]:
    """Lifetime economics of each site at the dispatch's delivered energy and marginal prices.

    Energy of the study year is brought back to the first operating year (the economics
    layer compounds degradation from there).
    """
    year = portfolio.spec.study_year
    out: dict[str, ProjectEconomics] = {}
    batteries = []
    for site in portfolio.sites:
        price = dispatch.price_usd_per_mwh[portfolio.zones[site.id]].to_numpy()
        if site.id in runs:
            production = runs[site.id].production
            to_first_year = (1.0 - site.degradation_per_year) ** (operating_year_in(site, year) - 1)
            delivered = dispatch.renewable_mw[site.id].to_numpy()
            out[site.id] = evaluate_project(
                site.economics,
                capacity_mw=production.capacity_mw,
                lifetime_years=site.lifetime_years,
                degradation_per_year=site.degradation_per_year,
                net_energy_mwh=production.annual_energy_mwh / to_first_year,
                delivered_mwh=float(delivered.sum()) / to_first_year,
                market_revenue_usd=market_revenue_usd(delivered, price) / to_first_year,
                commissioning_year=site.commissioning_year,
            )
        elif isinstance(site, BatterySite):
            batteries.append(site.id)
            discharge = dispatch.discharge_mw[site.id].to_numpy()
            net = discharge - dispatch.charge_mw[site.id].to_numpy()
            out[site.id] = evaluate_project(
                site.economics,
                capacity_mw=site.power_mw,
                lifetime_years=site.lifetime_years,
                degradation_per_year=site.degradation.calendar_fade_per_year if site.degradation else 0.0,
                net_energy_mwh=float(discharge.sum()),
                delivered_mwh=float(discharge.sum()),
                market_revenue_usd=market_revenue_usd(net, price),
                energy_capacity_mwh=site.energy_mwh,
                commissioning_year=site.commissioning_year,
            )
    out["portfolio"] = evaluate_portfolio(out, exclude_energy_of=batteries)
    return out


def build_summary(
    portfolio: Portfolio,
    runs: dict[str, SiteRun],
    dispatch: DispatchResult,
    economics: dict[str, ProjectEconomics],
    p_values: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """The summary.json document of DESIGN.md (schema_version 1) with the extra keys of issues 6 and 8."""
    index = dispatch.index
    hours = len(index)
    dispatch_summary = dispatch.summary()
    plants = dispatch_summary.get("plants", {})
    sites: dict[str, Any] = {}
    for site in portfolio.sites:
        if site.id in runs:
            production = runs[site.id].production
            block = production.summary()
            block.update(p_values[site.id])
            block["delivered_mwh"] = plants[site.id]["delivered_mwh"]
            block["curtailed_mwh"] = plants[site.id]["curtailed_mwh"]
            block["capture_price_usd_per_mwh"] = plants[site.id]["capture_price_usd_per_mwh"]
            block["capture_rate"] = plants[site.id]["capture_rate"]
        else:
            discharge = float(dispatch.discharge_mw[site.id].sum())
            charge = float(dispatch.charge_mw[site.id].sum())
            block = {
                "technology": dispatch.technology[site.id],
                "capacity_mw": site.capacity_mw,
                "energy_capacity_mwh": site.energy_mwh,
                "annual_energy_mwh": discharge,
                "capacity_factor": discharge / (site.capacity_mw * hours),
                "losses": {"round_trip_and_standing": (charge - discharge) / charge if charge > 0 else 0.0},
                "p50_mwh": None,
                "p90_mwh": None,
                "delivered_mwh": discharge,
                "curtailed_mwh": 0.0,
                "charge_mwh": charge,
                "equivalent_full_cycles": discharge / site.energy_mwh,
            }
        block.update(economics_summary(economics[site.id]))
        sites[site.id] = block
    gas = portfolio.grid.gas
    lifetime = max(s.lifetime_years for s in portfolio.sites)
    dispatch_summary.pop("plants", None)
    dispatch_summary.update(
        gas_summary(
            value_gas_saved(dispatch.gas_saved_mcm or 0.0, gas),
            gas,
            lifetime_years=lifetime,
            co2_avoided_per_year_t=dispatch.co2_avoided_t,
        )
    )
    dispatch_summary["gas_saved_mcm"] = dispatch.gas_saved_mcm
    dispatch_summary["co2_avoided_t"] = dispatch.co2_avoided_t
    dispatch_summary["gas_price_basis"] = portfolio.spec.options.dispatch.gas_price_basis
    if dispatch.counterfactual is not None:
        without = dispatch.counterfactual
        dispatch_summary["gas_burn_without_portfolio_mcm"] = float(without.gas_burn_mcm.to_numpy().sum())
        dispatch_summary["co2_without_portfolio_t"] = float(without.co2_t.to_numpy().sum())
    return {
        "schema_version": 1,
        "portfolio": portfolio.name,
        "period": {
            "start": index[0].isoformat(),
            "end": (index[-1] + pd.Timedelta(hours=1)).isoformat(),
            "hours": hours,
            "interval_label": INTERVAL_LABEL,
        },
        "sites": sites,
        "dispatch": dispatch_summary,
        "portfolio_economics": economics_summary(economics["portfolio"]),
        **({"portfolio_p_values": p_values["portfolio"]} if "portfolio" in p_values else {}),
    }


def hourly_frame(runs: dict[str, SiteRun], dispatch: DispatchResult) -> pd.DataFrame:
    """hourly.csv: the dispatch's hourly frame (``<quantity>_<unit>:<id>`` columns) on a ``time`` index.

    ``available_mw:<site>`` is each new site's net production before dispatch curtailment,
    ``renewable_mw:<site>`` what the grid took.
    """
    frame = dispatch.hourly_frame()
    frame.index.name = "time"
    return frame


def portfolio_files(portfolio: Portfolio) -> list[Path]:
    """Every file a run reads: the configs and every file they name, recursively."""
    files = [portfolio.path.resolve(), Path(portfolio.spec.grid)]
    files += [Path(entry.file) for entry in portfolio.spec.sites]
    specs: list[Any] = [portfolio.grid, *portfolio.sites]
    seen: set[Path] = set()
    while specs:
        for path in spec_files(specs.pop()):
            if path in seen:
                continue
            seen.add(path)
            files.append(path)
            if path.suffix in (".yaml", ".yml") and path.parent.name != "weather":
                try:
                    specs.append(load_site(path))
                except InputError:
                    pass  # a climatology or another non-site file: hashed, not walked
    return list(dict.fromkeys(files))
