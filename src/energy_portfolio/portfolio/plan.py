"""What a portfolio run needs, worked out from the loaded configs before anything is computed.

A :class:`RunPlan` lists the study hours, every site production the run needs (the new
generating sites and the reference sites of the existing fleet, each in the study year), the
weather-years set of a P50/P90 run, and the storage in the system. :func:`run_portfolio` executes
it; a scenario sweep computes the same site productions ahead of its scenarios from the same
plan, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..config import BatterySite, GridSpec, Portfolio, PumpedHydroSite, SiteSpec
from ..timeseries import hourly_year
from .sites import operating_year_in

__all__ = ["RunPlan", "SiteYear", "WeatherYearsSet", "generating_sites", "plan_run"]


@dataclass(frozen=True)
class SiteYear:
    """A site's production in one calendar year.

    Attributes
    ----------
    spec : SiteSpec
        A solar or wind site.
    year : int
        The calendar year of its weather and hours.
    """

    spec: SiteSpec
    year: int

    @property
    def operating_year(self) -> int:
        """Year of operation in ``year`` (1 = commissioning year; at least 1)."""
        return operating_year_in(self.spec, self.year)


@dataclass(frozen=True)
class WeatherYearsSet:
    """The new generating sites of a P50/P90 run, over ``n_years`` correlated weather years of ``year``."""

    specs: tuple[SiteSpec, ...]
    year: int
    n_years: int


@dataclass(frozen=True)
class RunPlan:
    """Everything a portfolio run will compute, before it computes anything.

    Attributes
    ----------
    portfolio : Portfolio
    grid : GridSpec
        The grid of the study year (:attr:`Portfolio.study_grid`): only the components in service
        then. Everything a run builds from the grid is built from this one.
    index : pandas.DatetimeIndex
        The study hours, in the portfolio's time zone, labels at interval start.
    new_sites : tuple of SiteYear
        The portfolio's solar and wind sites in the study year, in portfolio order.
    reference_sites : Mapping[str, SiteYear]
        Existing-renewable id -> the reference site whose profile scales it, in the study year; only
        the units in service then (no production is computed for the others).
    new_storage : tuple of BatterySite or PumpedHydroSite
        The portfolio's storage sites (batteries and pumped hydro), in portfolio order.
    existing_storage : Mapping[str, BatterySite]
        Grid storage id -> its battery config (kept in the system without the portfolio), for the
        storage in service in the study year.
    weather_years : WeatherYearsSet or None
        The weather-years production of a P50/P90 run (``options.weather_years >= 2``), else None.
    notes : tuple of str
        What the plan had to assume (e.g. a site commissioned after the study year): the run's warnings.
    setup : tuple of str
        How the run is set up as the configs chose it (e.g. a grid plant studied as the portfolio's
        site): the run's notes, not warnings.
    """

    portfolio: Portfolio
    grid: GridSpec
    index: pd.DatetimeIndex
    new_sites: tuple[SiteYear, ...]
    reference_sites: Mapping[str, SiteYear]
    new_storage: tuple[BatterySite | PumpedHydroSite, ...]
    existing_storage: Mapping[str, BatterySite]
    weather_years: WeatherYearsSet | None
    notes: tuple[str, ...]
    setup: tuple[str, ...] = ()

    @property
    def year(self) -> int:
        """The study year."""
        return int(self.index[0].year)

    @property
    def site_years(self) -> tuple[SiteYear, ...]:
        """Every site production the run needs: the new sites, then the reference sites (each once)."""
        out = list(self.new_sites)
        for site_year in self.reference_sites.values():
            if site_year not in out:
                out.append(site_year)
        return tuple(out)


def generating_sites(portfolio: Portfolio) -> list[SiteSpec]:
    """The portfolio's new sites with a weather-driven production model (solar and wind), in its order."""
    return [site for site in portfolio.sites if site.kind in ("solar", "wind")]


def plan_run(portfolio: Portfolio) -> RunPlan:
    """The plan of a run of ``portfolio`` in its study year.

    Parameters
    ----------
    portfolio : Portfolio
        From :func:`energy_portfolio.load_portfolio` (every file it names resolved and checked).

    Returns
    -------
    RunPlan
    """
    spec = portfolio.spec
    year = spec.study_year
    new_sites = tuple(SiteYear(site, year) for site in generating_sites(portfolio))
    notes = tuple(
        f"site '{s.spec.id}' is commissioned in {s.spec.commissioning_year}, after the study year {year}; "
        "it is modelled as if operating"
        for s in new_sites
        if s.spec.commissioning_year > year
    )
    setup = tuple(
        f"the grid's existing plant '{unit_id}' is the portfolio's site '{site_id}' (the same site file): it is "
        "counted once, as the portfolio's, and the run without the portfolio is the system without it"
        for unit_id, site_id in portfolio.grid_plants_in_portfolio.items()
    )
    grid = portfolio.study_grid
    renewables = [u.id for u in grid.existing_renewables if u.id in portfolio.reference_sites]
    n_years = spec.options.weather_years
    weather_years = None
    if n_years >= 2 and new_sites:
        weather_years = WeatherYearsSet(tuple(s.spec for s in new_sites), year, n_years)
    return RunPlan(
        portfolio=portfolio,
        grid=grid,
        index=hourly_year(year, spec.timezone),
        new_sites=new_sites,
        reference_sites={unit_id: SiteYear(portfolio.reference_sites[unit_id], year) for unit_id in renewables},
        new_storage=tuple(s for s in portfolio.sites if isinstance(s, (BatterySite, PumpedHydroSite))),
        existing_storage={u.id: portfolio.existing_storage[u.id] for u in grid.existing_storage},
        weather_years=weather_years,
        notes=notes,
        setup=setup,
    )
