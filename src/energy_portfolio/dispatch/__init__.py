"""Hourly least-cost dispatch of the grid with the new portfolio, on scipy's HiGHS.

Public API: :func:`build_inputs` and its helpers (:mod:`.inputs`), :func:`synthetic_demand_mw`
and :func:`file_demand_mw` (:mod:`.demand`), :func:`solve` and :func:`solve_with_counterfactual`
(:mod:`.solve`) returning a :class:`DispatchResult` (:mod:`.result`), and
:func:`~energy_portfolio.dispatch.pypsa_export.to_pypsa` (imports PyPSA lazily).
"""

from .demand import file_demand_mw, synthetic_demand_mw
from .inputs import (
    Battery,
    DispatchInputs,
    RenewablePlant,
    battery_from_site,
    build_inputs,
    renewable_from_capacity_factor,
    renewable_from_power,
)
from .result import DispatchResult
from .solve import solve, solve_with_counterfactual

__all__ = [
    "Battery",
    "DispatchInputs",
    "DispatchResult",
    "RenewablePlant",
    "battery_from_site",
    "build_inputs",
    "file_demand_mw",
    "renewable_from_capacity_factor",
    "renewable_from_power",
    "solve",
    "solve_with_counterfactual",
    "synthetic_demand_mw",
]
