"""Config specs (frozen pydantic models) and YAML loading with file:line errors."""

from .battery import AcCoupled, BatterySite, Standalone
from .grid import GridSpec
from .load import (
    KINDS,
    LoadedConfig,
    Portfolio,
    SiteSpec,
    load_grid,
    load_portfolio,
    load_site,
    read_config,
)
from .portfolio import PortfolioSpec
from .pumped_hydro import PumpedHydroSite
from .site import Economics, FileWeather, Financing, Location, SyntheticWeather
from .solar import SolarSite
from .validate import validate_file
from .wind import WindSite

__all__ = [
    "AcCoupled",
    "BatterySite",
    "Economics",
    "Financing",
    "FileWeather",
    "GridSpec",
    "KINDS",
    "LoadedConfig",
    "Location",
    "Portfolio",
    "PortfolioSpec",
    "PumpedHydroSite",
    "SiteSpec",
    "SolarSite",
    "Standalone",
    "SyntheticWeather",
    "WindSite",
    "load_grid",
    "load_portfolio",
    "load_site",
    "read_config",
    "validate_file",
]
