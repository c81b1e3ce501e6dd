"""energy-portfolio: renewable portfolios and what they do to a national grid.

The public API is listed in ``__all__``; see ../shared/DESIGN.md for the layers.
"""

from .config import Portfolio, load_portfolio, load_site, read_config, validate_file
from .errors import ConfigError, DispatchError, InputError, WeatherError

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "DispatchError",
    "InputError",
    "Portfolio",
    "WeatherError",
    "__version__",
    "load_portfolio",
    "load_site",
    "read_config",
    "validate_file",
]
