"""Executing a run plan: specs + weather -> production -> dispatch -> economics -> PortfolioResult.

This module wires the layers together (DESIGN.md). It holds no physics, computes no report
figures and opens no file itself: the weather readers, the production models, the dispatch LP
and the economics functions do the work; this module passes plain specs, frames and arrays
between them, in the order a :class:`~.plan.RunPlan` gives.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..config import BatterySite, FileWeather, Location, Portfolio, PumpedHydroSite
from ..config.grid import SyntheticDemand
from ..config.plausibility import warning_line
from ..dispatch import (
    Battery,
    DispatchInputs,
    DispatchResult,
    battery_from_site,
    build_inputs,
    file_demand_mw,
    renewable_from_capacity_factor,
    renewable_from_power,
    solve,
    storage_from_site,
    synthetic_demand_mw,
)
from ..economics import (
    WAKE_MODEL_SPREAD_COMPONENT,
    InvestorView,
    ProjectEconomics,
    ProjectInputs,
    Sensitivity,
    combined_stack_fraction,
    economics_summary,
    energy_range,
    evaluate_investor,
    evaluate_portfolio,
    evaluate_project,
    market_revenue_usd,
    p_values_from_fractions,
    p_values_of_samples,
    p_values_summary,
    quadrature,
    sensitivity,
    site_uncertainty_stack,
)
from ..weather import WeatherData, load_climatology, load_weather, read_hourly_column, read_weather_file
from .plan import RunPlan, plan_run
from .result import PortfolioResult, WeatherYears, storage_fade_of
from .sites import (
    ProductionCache,
    SiteRun,
    WeatherYearsProduction,
    naming_config_files,
    operating_year_in,
    run_site_in_year,
    site_config_files,
    weather_years_production,
)

__all__ = [
    "WEATHER_YEARS",
    "WITHOUT_PORTFOLIO",
    "WITH_PORTFOLIO",
    "PreparedDispatch",
    "p_values_by_site",
    "prepare_dispatch",
    "run_portfolio",
    "run_weather_years",
    "site_alone_metrics",
]

WITH_PORTFOLIO, WITHOUT_PORTFOLIO, WEATHER_YEARS = "with", "without", "weather years"
"""The ``run`` an ``on_window`` callback hears: the dispatch with and without the portfolio, the weather years."""

WindowCallback = Callable[[str, int, int], None]
"""``on_window(run, done, total)``: solve windows done of ``total`` in ``run``."""


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
            notes.extend(f"zone '{zone.id}' demand: {w}" for w in weather.meta.warnings)  # the file is in w
            columns[zone.id] = synthetic_demand_mw(spec, temp_c.tz_convert(index.tz), zone.id,
                                                   portfolio.spec.options.demand_path)
        else:
            series = read_hourly_column(spec.path, spec.column, str(index.tz), index[0].year, notes)
            columns[zone.id] = file_demand_mw(spec, series, index, zone.id)
    return pd.DataFrame(columns, index=index)



def _trade_references(portfolio: Portfolio, index: pd.DatetimeIndex, notes: list[str]) -> dict[str, pd.Series]:
    """The hourly reference price of each interconnector whose market reference is a CSV column [USD/MWh]."""
    out = {}
    for link in portfolio.study_grid.interconnectors:
        market = link.opportunistic
        if market is not None and market.basis == "market_reference" and market.path is not None:
            series = read_hourly_column(market.path, market.column, str(index.tz), index[0].year, notes)
            out[link.id] = series.tz_convert(index.tz)
    return out


def _existing_renewables(
    plan: RunPlan, cache: ProductionCache | None = None, notes: list[str] | None = None
) -> tuple[list, dict[str, SiteRun]]:
    """The existing wind and solar fleet as dispatch plants, with the reference-site runs that scale them."""
    index = plan.index
    plants, runs = [], {}
    for unit in plan.grid.existing_renewables:
        reference = plan.reference_sites.get(unit.id)
        if reference is not None:
            run = run_site_in_year(reference.spec, reference.year, cache)
            runs[unit.id] = run
            capacity_factor = run.production.net_mw / run.production.capacity_mw
        else:
            profile = unit.profile
            capacity_factor = read_hourly_column(profile.path, profile.column, str(index.tz), index[0].year, notes)
        plants.append(renewable_from_capacity_factor(unit, capacity_factor.tz_convert(index.tz), index))
    return plants, runs


def _inflow_mw(
    site: BatterySite | PumpedHydroSite, index: pd.DatetimeIndex, notes: list[str] | None = None
) -> pd.Series | None:
    """The hourly natural inflow of a pumped-hydro site with a file inflow [MWh per hour], else None."""
    inflow = getattr(site, "inflow", None)
    if inflow is None or inflow.source != "file":
        return None
    return read_hourly_column(inflow.path, inflow.column, str(index.tz), index[0].year, notes).tz_convert(index.tz)


def _existing_batteries(plan: RunPlan) -> list[Battery]:
    """The grid's existing storage as dispatch batteries (kept in the system without the portfolio)."""
    options = plan.portfolio.spec.options.dispatch
    return [
        dataclasses.replace(battery_from_site(plan.existing_storage[unit.id], unit.zone, options, new=False),
                            id=unit.id)
        for unit in plan.grid.existing_storage
    ]


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
    plan: RunPlan | None = None,
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
    plan : RunPlan, optional
        The run's plan; by default :func:`~.plan.plan_run` of ``portfolio``.
    """
    step = progress or (lambda name: None)
    plan = plan_run(portfolio) if plan is None else plan
    index = plan.index
    notes: list[str] = [warning_line(w) for w in portfolio.warnings]
    timings: dict[str, float] = {}
    options = portfolio.spec.options

    step("demand and the existing fleet")
    clock = time.perf_counter()
    existing, reference_runs = _existing_renewables(plan, production_cache, notes)
    timings["production"] = time.perf_counter() - clock

    clock = time.perf_counter()
    demand = _zone_demand_mw(portfolio, index, notes)

    existing_batteries = _existing_batteries(plan)

    references = _trade_references(portfolio, index, notes)

    def inputs_with(new_renewables: list, new_batteries: list) -> DispatchInputs:
        plants, batteries = new_renewables + existing, new_batteries + existing_batteries
        return build_inputs(plan.grid, demand, plants, batteries, options.dispatch, options.hydro_scenario, index,
                            trade_reference_usd_per_mwh=references)

    if on_existing_system is not None:
        on_existing_system(inputs_with([], []))
    timings["demand"] = time.perf_counter() - clock

    step("weather and production")
    clock = time.perf_counter()
    notes.extend(plan.notes)
    runs = {}
    for site in plan.new_sites:  # each site's own seconds too, ``production:<id>`` (the CLI's --verbose log)
        site_clock = time.perf_counter()
        runs[site.spec.id] = run_site_in_year(site.spec, site.year, production_cache)
        timings[f"production:{site.spec.id}"] = time.perf_counter() - site_clock
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
        storage_from_site(site, portfolio.zones[site.id], options.dispatch, index, _inflow_mw(site, index, notes))
        for site in plan.new_storage
    ]
    inputs = inputs_with(renewables, batteries)
    timings["production"] += time.perf_counter() - clock
    for run in list(runs.values()) + list(reference_runs.values()):
        notes.extend(run.warnings)
    return PreparedDispatch(inputs, runs, reference_runs, tuple(dict.fromkeys(notes)), timings)



def run_weather_years(
    plan: RunPlan,
    prepared: PreparedDispatch,
    notes: list[str],
    production_cache: ProductionCache | None = None,
    on_window: WindowCallback | None = None,
) -> WeatherYears:
    """Production and dispatch of the new sites in ``n_years`` distinct, correlated weather years.

    The production comes from :func:`weather_years_production` (through ``production_cache``
    when one is given: one entry for all the new generating sites). The grid (demand, existing
    fleet) keeps the study year's typical weather. Every year is dispatched with the portfolio,
    so delivered energy and revenue carry curtailment and prices through. ``on_window`` hears
    ``("weather years", done, total)`` with the solve windows of all years together.
    """
    portfolio = plan.portfolio
    assert plan.weather_years is not None, "run_weather_years needs a plan with weather years"
    sites, year, n_years = list(plan.weather_years.specs), plan.weather_years.year, plan.weather_years.n_years

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
        def report(done: int, total: int, i: int = i) -> None:
            if on_window is not None:
                on_window(WEATHER_YEARS, i * total + done, n_years * total)

        result = solve(dataclasses.replace(prepared.inputs, renewables=tuple(plants + existing)), on_window=report)
        for site in sites:
            delivered = result.renewable_mw[site.id].to_numpy()
            price = result.price_usd_per_mwh[portfolio.zones[site.id]].to_numpy()
            delivered_mwh[site.id].append(float(delivered.sum()))
            revenue_usd[site.id].append(market_revenue_usd(delivered, price))
    energy_mwh = {s.id: list(production.energy_mwh[s.id]) for s in sites}
    return WeatherYears(n_years, energy_mwh, delivered_mwh, revenue_usd)


def resource_data_kind(run: SiteRun) -> str:
    """What the site's resource is made from (``config.site.DATA_KINDS``): its weather's irradiance or wind kind."""
    meta = run.weather.meta
    return meta.irradiance_kind if run.spec.kind == "solar" else meta.wind_kind


def p_values_by_site(
    portfolio: Portfolio, runs: dict[str, SiteRun], years: WeatherYears | None, notes: list[str]
) -> dict[str, dict[str, Any]]:
    """P50/P90/P99 keys per new generating site and for the portfolio (key ``"portfolio"``).

    With several weather years: year-to-year variability of energy, delivered energy and
    revenue combined with the site's uncertainty stack (economics.uncertainty). With one
    year: the stack alone, said in ``notes`` (a run lists it in ``PortfolioResult.notes``: the
    config chose one weather year, and the report says what that means). A wind site with a
    PyWake wake range gains the wake-model spread (``economics.site_uncertainty_stack``),
    reported as ``wake_model_spread_fraction``. The stack follows the kind of the site's weather
    data (``resource_data_kind``: on-site measurement, satellite, reanalysis, synthetic...),
    reported as ``resource_data_kind``; weather of unknown origin gets the cautious stack and a note.
    """
    out: dict[str, dict[str, Any]] = {}
    stacks = {}
    for site_id, run in runs.items():
        site = run.spec
        data_kind = resource_data_kind(run)
        if data_kind == "unknown" and site.energy_uncertainty is None:
            notes.append(
                f"site '{site_id}': its weather does not say what it is made from (irradiance_kind/wind_kind "
                "unknown), so P90/P99 use the stack for data of unknown origin; state it in the weather file's "
                "header or the site's weather.data_kind (e.g. on_site_measurement, satellite, reanalysis)"
            )
        stack = site_uncertainty_stack(
            site.kind, site.energy_uncertainty, run.production.wake_loss_fraction_by_model,
            run.production.details.get("wake_loss_fraction", 0.0), data_kind,
        )
        stacks[site_id] = stack
        about_stack = {"resource_data_kind": data_kind} | (
            {"wake_model_spread_fraction": stack.get(WAKE_MODEL_SPREAD_COMPONENT)} if site.kind == "wind" else {}
        )
        if years is None:
            notes.append(
                f"site '{site_id}': P90/P99 from the uncertainty stack only; one weather year carries no "
                "year-to-year variability (set options.weather_years >= 2 for it)"
            )
            out[site_id] = p_values_summary(
                energy=p_values_from_fractions(run.production.annual_energy_mwh, 0.0, stack)
            ) | about_stack
        else:
            out[site_id] = p_values_summary(**p_values_of_samples(
                stack, energy_mwh=years.energy_mwh[site_id], delivered_mwh=years.delivered_mwh[site_id],
                revenue_usd=years.revenue_usd[site_id],
            )) | about_stack
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
    on_window: WindowCallback | None = None,
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
    on_window : callable, optional
        Called as ``on_window(run, done, total)`` as the dispatch solves progress, ``run`` being
        :data:`WITH_PORTFOLIO`, :data:`WITHOUT_PORTFOLIO` (the two run side by side, on worker
        threads) or :data:`WEATHER_YEARS`, with the windows solved and their number
        (:func:`~energy_portfolio.dispatch.solve`'s ``on_window``): the CLI's estimate of the time left.

    Returns
    -------
    PortfolioResult
        Deterministic for the same inputs.
    """
    step = progress or (lambda name: None)
    heard = on_window or (lambda run, done, total: None)

    def solve_reporting(inputs: DispatchInputs, run: str) -> DispatchResult:
        return solve(inputs, on_window=lambda done, total: heard(run, done, total))

    plan = plan_run(portfolio)
    # The system without the portfolio is solved on a worker thread while the new sites'
    # production is computed, and the portfolio's solve on another while ``on_production``
    # runs here (HiGHS releases the GIL while it solves).
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="highs") as pool:
        counterfactual: list[Future[DispatchResult]] = []

        def start_counterfactual(inputs: DispatchInputs) -> None:
            if production_cache is None:
                counterfactual.append(pool.submit(solve_reporting, inputs, WITHOUT_PORTFOLIO))
            else:
                counterfactual.append(pool.submit(production_cache.dispatch, inputs,
                                                  lambda: solve_reporting(inputs, WITHOUT_PORTFOLIO)))

        prepared = prepare_dispatch(portfolio, step, production_cache, start_counterfactual, plan)
        timings = dict(prepared.timings_s)
        notes = list(prepared.notes)

        step("dispatch (with and without the portfolio)")
        clock = time.perf_counter()
        with_portfolio = pool.submit(solve_reporting, prepared.inputs, WITH_PORTFOLIO)
        if on_production is not None:
            on_production(prepared.sites)
        dispatch = with_portfolio.result().with_counterfactual(counterfactual[0].result())
        timings["dispatch"] = time.perf_counter() - clock

    runs = prepared.sites
    years = None
    if plan.weather_years is not None:
        step(f"P50/P90 over {plan.weather_years.n_years} weather years")
        clock = time.perf_counter()
        years = run_weather_years(plan, prepared, notes, production_cache, on_window)
        timings["weather_years"] = time.perf_counter() - clock

    step("economics")
    clock = time.perf_counter()
    method_notes: list[str] = list(plan.setup)  # how the figures were made, as the config chose: notes, not warnings
    p_values = p_values_by_site(portfolio, runs, years, method_notes)
    inputs = _project_inputs(portfolio, runs, dispatch, p_values, years is not None)
    economics = _economics(portfolio, inputs)
    investor = _investor(portfolio, economics)
    sensitivities = _sensitivity(portfolio, inputs, p_values)
    timings["economics"] = time.perf_counter() - clock
    all_runs = list(runs.values()) + list(prepared.reference_sites.values())
    corrections = [c for run in all_runs for c in run.corrections]
    weather_notes = [n for run in all_runs for n in run.weather.meta.notes] + method_notes
    files = site_config_files(portfolio)  # each site's messages name its config file too
    return PortfolioResult(
        portfolio=portfolio,
        sites=runs,
        reference_sites=prepared.reference_sites,
        dispatch=dispatch,
        economics=economics,
        investor=investor,
        p_values=p_values,
        warnings=tuple(dict.fromkeys(naming_config_files(notes, files))),
        corrections=tuple(dict.fromkeys(naming_config_files(corrections, files))),
        input_files=tuple(portfolio.files),
        timings_s=timings,
        weather_years=years,
        notes=tuple(dict.fromkeys(naming_config_files(weather_notes, files))),
        sensitivity=sensitivities,
    )


def _project_inputs(
    portfolio: Portfolio,
    runs: dict[str, SiteRun],
    dispatch: DispatchResult,
    p_values: dict[str, dict[str, Any]],
    weather_years: bool,
) -> dict[str, ProjectInputs]:
    """What each site's economics are computed from: the P50 net energy, the dispatch's delivered energy and
    marginal prices.

    The net energy of a generating site is its reported P50 (``p50_mwh``: over the weather years when
    they are run, else the study year's production, which is then the P50), so the LCOE on net energy
    rests on the same energy as the P50 (``lcoe_energy_basis``); delivered energy and market revenue
    are the study year's dispatch. Energy of the study year is brought back to the first operating
    year (the economics layer compounds degradation from there).
    """
    year = portfolio.spec.study_year
    out: dict[str, ProjectInputs] = {}
    for site in portfolio.sites:
        price = dispatch.price_usd_per_mwh[portfolio.zones[site.id]].to_numpy()
        if site.id in runs:
            production = runs[site.id].production
            to_first_year = (1.0 - site.degradation_per_year) ** (operating_year_in(site, year) - 1)
            delivered = dispatch.renewable_mw[site.id].to_numpy()
            out[site.id] = ProjectInputs(
                site.economics,
                capacity_mw=production.capacity_mw,
                lifetime_years=site.lifetime_years,
                degradation_per_year=site.degradation_per_year,
                net_energy_mwh=p_values[site.id]["p50_mwh"] / to_first_year,
                delivered_mwh=float(delivered.sum()) / to_first_year,
                market_revenue_usd=market_revenue_usd(delivered, price) / to_first_year,
                commissioning_year=site.commissioning_year,
                energy_basis="p50_weather_years" if weather_years else "typical_year",
            )
        elif isinstance(site, (BatterySite, PumpedHydroSite)):
            discharge = dispatch.discharge_mw[site.id].to_numpy()
            net = discharge - dispatch.charge_mw[site.id].to_numpy()
            fade = storage_fade_of(site, float(discharge.sum()))
            out[site.id] = ProjectInputs(
                site.economics,
                capacity_mw=site.capacity_mw,
                lifetime_years=site.lifetime_years,
                degradation_per_year=fade.annual_fade,
                net_energy_mwh=float(discharge.sum()),
                delivered_mwh=float(discharge.sum()),
                market_revenue_usd=market_revenue_usd(net, price),
                energy_capacity_mwh=site.energy_mwh,
                commissioning_year=site.commissioning_year,
                energy_basis="dispatch_discharge",
            )
    return out


def _investor(portfolio: Portfolio, economics: dict[str, ProjectEconomics]) -> dict[str, InvestorView]:
    """The investor view of each site with a ``financing`` block, on its own revenue basis."""
    views = {site.id: evaluate_investor(economics[site.id], site.economics) for site in portfolio.sites}
    return {site_id: view for site_id, view in views.items() if view is not None}


def _storage_ids(portfolio: Portfolio) -> list[str]:
    """The storage sites, whose discharge the portfolio's energy does not count again."""
    return [site.id for site in portfolio.sites if isinstance(site, (BatterySite, PumpedHydroSite))]


def _economics(portfolio: Portfolio, inputs: dict[str, ProjectInputs]) -> dict[str, ProjectEconomics]:
    """Lifetime economics of each site (from its inputs) and of the portfolio (key ``"portfolio"``)."""
    out = {site_id: case.evaluate() for site_id, case in inputs.items()}
    out["portfolio"] = evaluate_portfolio(out, exclude_energy_of=_storage_ids(portfolio))
    return out


def _sensitivity(
    portfolio: Portfolio, inputs: dict[str, ProjectInputs], p_values: dict[str, dict[str, Any]]
) -> Sensitivity:
    """NPV and LCOE with each driver of ``options.sensitivity`` moved one at a time (cash flows re-priced).

    The energy range of each generating site and of the portfolio (when it has P-values) is its P50 and
    total uncertainty at the configured exceedance level (``economics.energy_range``).
    """
    options = portfolio.spec.options.sensitivity

    def energy_of(block: dict[str, Any]):
        return energy_range(block["p50_mwh"], block["energy_total_uncertainty_fraction"],
                            options.energy_exceedance_probability)

    energy = {site_id: energy_of(p_values[site_id]) for site_id in inputs if site_id in p_values}
    whole = energy_of(p_values["portfolio"]) if "portfolio" in p_values else None
    return sensitivity(inputs, options, energy, whole, exclude_energy_of=_storage_ids(portfolio))


def site_alone_metrics(run: SiteRun) -> dict[str, Any]:
    """A solar or wind site's figures without a grid: its production block and its economics.

    Without a dispatch there is no curtailment and no price: every MWh of net energy counts as
    delivered, and the site is valued at its PPA price (no NPV without one). Energy of the run's
    operating year is brought back to the first (the economics compound degradation from there),
    as in a portfolio run. Keys as in a site's summary.json block.
    """
    site, production = run.spec, run.production
    to_first_year = (1.0 - site.degradation_per_year) ** (production.operating_year - 1)
    energy_mwh = production.annual_energy_mwh / to_first_year
    economics = evaluate_project(
        site.economics,
        capacity_mw=production.capacity_mw,
        lifetime_years=site.lifetime_years,
        degradation_per_year=site.degradation_per_year,
        net_energy_mwh=energy_mwh,
        delivered_mwh=energy_mwh,
        commissioning_year=site.commissioning_year,
    )
    return production.summary() | economics_summary(economics)
