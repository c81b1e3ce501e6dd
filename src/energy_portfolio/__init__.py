"""energy-portfolio: renewable portfolios and what they do to a national grid.

The public API is listed in ``__all__``; docs/architecture.md gives the layers. The model
layers (pvlib, windpowerlib, PyWake, HiGHS) are imported on first use of ``run_portfolio``,
``run_site`` or ``compare_configs``, so ``import energy_portfolio`` and the CLI start fast.
In IPython, a :class:`PortfolioResult` is shown as its key figures
(``energy_portfolio.report.register_notebook_display``).
"""

import sys

from .config import Portfolio, load_portfolio, load_site, read_config, validate_file
from .config.changes import with_changes
from .errors import ConfigError, DispatchError, InputError, WeatherError

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "DispatchError",
    "InputError",
    "Portfolio",
    "PortfolioResult",
    "WeatherError",
    "__version__",
    "compare_configs",
    "load_portfolio",
    "load_site",
    "read_config",
    "run_portfolio",
    "run_site",
    "validate_file",
    "with_changes",
]

_LAZY = {
    "run_portfolio": "portfolio",
    "run_site": "portfolio",
    "PortfolioResult": "portfolio",
    "compare_configs": "compare",
}


def _register_notebook_display() -> None:
    if "IPython" in sys.modules:
        from .report.notebook import register_notebook_display

        register_notebook_display()


_register_notebook_display()


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'energy_portfolio' has no attribute {name!r}")
