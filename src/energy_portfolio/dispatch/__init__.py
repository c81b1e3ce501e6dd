"""Hourly least-cost dispatch of the grid with the new portfolio, on HiGHS.

Public API: the component dataclasses (:mod:`.system`: :class:`ThermalUnit`, :class:`HydroPlant`,
:class:`Interconnector`, :class:`Line`, :class:`Gas`, :class:`RenewablePlant`, :class:`Storage`
with its former name :class:`Battery`, :class:`SolveOptions`), :class:`DispatchInputs`
(:mod:`.inputs`), the conversion from config specs :func:`build_inputs`,
:func:`storage_from_battery_site` (former name :func:`battery_from_site`) and
:func:`renewable_from_capacity_factor` (:mod:`.convert`), :func:`renewable_from_power`,
:func:`synthetic_demand_mw` and :func:`file_demand_mw` (:mod:`.demand`), :func:`solve` and
:func:`solve_with_counterfactual` (:mod:`.solve`) returning a :class:`DispatchResult`
(:mod:`.result`), and :func:`~energy_portfolio.dispatch.pypsa_export.to_pypsa` (imports PyPSA
lazily). The LP is assembled by one builder function per component kind (:mod:`.components`)
on an :class:`~.lp.LpBuilder`.
"""

from .convert import (
    battery_from_site,
    build_inputs,
    renewable_from_capacity_factor,
    storage_from_battery_site,
    storage_from_pumped_hydro_site,
    storage_from_site,
)
from .demand import file_demand_mw, synthetic_demand_mw
from .inputs import DispatchInputs, renewable_from_power
from .result import DispatchResult
from .solve import solve, solve_with_counterfactual
from .system import (
    Battery,
    Gas,
    HydroPlant,
    Interconnector,
    Line,
    RenewablePlant,
    ReserveProduct,
    SolveOptions,
    Storage,
    ThermalUnit,
)

__all__ = [
    "Battery",
    "DispatchInputs",
    "DispatchResult",
    "Gas",
    "HydroPlant",
    "Interconnector",
    "Line",
    "RenewablePlant",
    "ReserveProduct",
    "SolveOptions",
    "Storage",
    "ThermalUnit",
    "battery_from_site",
    "build_inputs",
    "file_demand_mw",
    "renewable_from_capacity_factor",
    "renewable_from_power",
    "solve",
    "solve_with_counterfactual",
    "storage_from_battery_site",
    "storage_from_pumped_hydro_site",
    "storage_from_site",
    "synthetic_demand_mw",
]
