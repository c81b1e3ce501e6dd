"""Wiring of the layers: a run as plan -> execute -> typed result.

- :mod:`.plan`: what a run needs (site-years, weather-year sets, storage), from the loaded configs;
- :mod:`.sites`: one site's weather and production (and the weather-years production);
- :mod:`.run`: executes the plan: production, dispatch with and without the portfolio, economics;
- :mod:`.shared`: sub-results several runs in one process share (``compare``), computed once;
- :mod:`.result`: :class:`PortfolioResult`, typed, with tidy tables and figures by summary.json path.

This package connects the layers (DESIGN.md); the report layer writes files from its result.
"""

from .plan import RunPlan, SiteYear, WeatherYearsSet, generating_sites, plan_run
from .result import PortfolioResult, SystemFigures, WeatherYears, flatten, nest, storage_value
from .run import (
    PreparedDispatch,
    p_values_by_site,
    prepare_dispatch,
    run_portfolio,
    run_weather_years,
    site_alone_metrics,
)
from .shared import SharedRuns
from .sites import (
    ProductionCache,
    SiteRun,
    WeatherYearsProduction,
    check_weather_for_site,
    naming_config_files,
    operating_year_in,
    run_site,
    run_site_in_year,
    simulate_site,
    site_weather,
    site_weather_problems,
    weather_years_production,
)

__all__ = [
    "PortfolioResult",
    "PreparedDispatch",
    "ProductionCache",
    "RunPlan",
    "SharedRuns",
    "SiteRun",
    "SiteYear",
    "SystemFigures",
    "WeatherYears",
    "WeatherYearsProduction",
    "WeatherYearsSet",
    "check_weather_for_site",
    "naming_config_files",
    "site_weather_problems",
    "flatten",
    "generating_sites",
    "nest",
    "storage_value",
    "operating_year_in",
    "p_values_by_site",
    "plan_run",
    "prepare_dispatch",
    "run_portfolio",
    "run_site",
    "run_site_in_year",
    "run_weather_years",
    "simulate_site",
    "site_alone_metrics",
    "site_weather",
    "weather_years_production",
]
