"""The figures a portfolio run gives, by their dotted ``summary.json`` path, known before any run.

``PortfolioResult.metrics()`` names its figures by path; a sweep's ``metrics:`` and ``rank_by:`` name
them the same way. :data:`METRIC_PATTERNS` lists every path with placeholders for the ids of the
portfolio it is run on; :func:`metric_paths` fills them in from a finished
:class:`~.loaded.Portfolio`, so ``validate`` and ``load_sweep`` refuse a metric the results will not
have before any scenario runs. The list was taken from a run of ``sites/portfolio_energy_only.yaml``
and ``tests/portfolio/test_result.py`` keeps it equal to what a run gives.

Placeholders: ``<solar>``, ``<wind>``, ``<storage>`` (a battery or pumped-hydro site), ``<thermal>``
(a thermal unit of the grid), ``<zone>`` (a zone of the grid), ``<interconnector>`` (a link of the
grid), ``<any>`` (one path segment whose names
the dispatch decides: the technologies that set the price), ``<...>`` (any path below: reserve
products, P-values of a weather-years run).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DISPATCH_LP_REL_TOL",
    "LP_TOLERANCE",
    "METRIC_PATTERNS",
    "MetricInfo",
    "Tolerance",
    "dispatch_tolerance",
    "format_change",
    "format_shown",
    "metric_info",
    "metric_paths",
    "unknown_metric",
]

METRIC_PATTERNS: tuple[str, ...] = (
    "sites.<wind>.technology",
    "sites.<wind>.capacity_mw",
    "sites.<wind>.annual_energy_mwh",
    "sites.<wind>.capacity_factor",
    "sites.<wind>.losses.wakes",
    "sites.<wind>.wake_loss_fraction_by_model.bastankhah_gaussian",
    "sites.<wind>.wake_loss_fraction_by_model.niayifar_gaussian",
    "sites.<wind>.wake_loss_fraction_by_model.turbopark",
    "sites.<wind>.wake_loss_fraction_by_model.noj",
    "sites.<wind>.wake_loss_fraction_by_model.turbopark_blockage",
    "sites.<wind>.wake_model_spread_fraction",
    "sites.<wind>.resource_data_kind",
    "sites.<wind>.losses.high_wind_hysteresis",
    "sites.<wind>.losses.availability_turbine",
    "sites.<wind>.losses.availability_balance_of_plant",
    "sites.<wind>.losses.availability_grid",
    "sites.<wind>.losses.electrical_array_cables",
    "sites.<wind>.losses.electrical_export_cable",
    "sites.<wind>.losses.electrical_substation",
    "sites.<wind>.losses.degradation",
    "sites.<wind>.losses.grid_connection_limit",
    "sites.<wind>.p50_mwh",
    "sites.<wind>.p90_mwh",
    "sites.<wind>.p99_mwh",
    "sites.<wind>.energy_interannual_variability_fraction",
    "sites.<wind>.energy_stack_uncertainty_fraction",
    "sites.<wind>.energy_total_uncertainty_fraction",
    "sites.<wind>.n_weather_years",
    "sites.<wind>.p_value_horizon_years",
    "sites.<wind>.delivered_mwh",
    "sites.<wind>.curtailed_mwh",
    "sites.<wind>.capture_price_usd_per_mwh",
    "sites.<wind>.capture_rate",
    "sites.<wind>.capex_usd",
    "sites.<wind>.discount_rate_real",
    "sites.<wind>.lifetime_years",
    "sites.<wind>.lcoe_usd_per_mwh",
    "sites.<wind>.lcoe_delivered_usd_per_mwh",
    "sites.<wind>.revenue_basis",
    "sites.<wind>.npv_usd",
    "sites.<wind>.irr",
    "sites.<wind>.irr_note",
    "sites.<wind>.payback_year",
    "sites.<wind>.payback_operating_years",
    "sites.<wind>.npv_ppa_usd",
    "sites.<wind>.irr_ppa",
    "sites.<wind>.npv_market_usd",
    "sites.<wind>.irr_market",
    "sites.<wind>.market_value_usd_per_mwh",
    "sites.<wind>.investor.view",
    "sites.<wind>.investor.revenue_basis",
    "sites.<wind>.investor.equity_irr",
    "sites.<wind>.investor.equity_irr_real",
    "sites.<wind>.investor.equity_irr_note",
    "sites.<wind>.investor.project_irr_after_tax",
    "sites.<wind>.investor.equity_npv_usd",
    "sites.<wind>.investor.target_equity_irr",
    "sites.<wind>.investor.ppa_for_target_irr_usd_per_mwh",
    "sites.<wind>.investor.min_dscr",
    "sites.<wind>.investor.avg_dscr",
    "sites.<wind>.investor.debt_usd",
    "sites.<wind>.investor.equity_usd",
    "sites.<wind>.investor.debt_fraction",
    "sites.<wind>.investor.tax_lifetime_usd",
    "sites.<wind>.investor.inflation_rate",
    "sites.<wind>.lcoe_energy_basis",
    "sites.<solar>.technology",
    "sites.<solar>.capacity_mw",
    "sites.<solar>.annual_energy_mwh",
    "sites.<solar>.capacity_factor",
    "sites.<solar>.losses.row_sky_masking",
    "sites.<solar>.losses.row_beam_shading",
    "sites.<solar>.losses.row_shading_electrical",
    "sites.<solar>.losses.soiling",
    "sites.<solar>.losses.shading",
    "sites.<solar>.losses.iam",
    "sites.<solar>.losses.spectral",
    "sites.<solar>.losses.bifacial_gain",
    "sites.<solar>.losses.irradiance_temperature",
    "sites.<solar>.losses.mismatch",
    "sites.<solar>.losses.lid",
    "sites.<solar>.losses.nameplate",
    "sites.<solar>.losses.dc_wiring",
    "sites.<solar>.losses.degradation",
    "sites.<solar>.losses.inverter_clipping",
    "sites.<solar>.losses.inverter_efficiency",
    "sites.<solar>.losses.ac_wiring",
    "sites.<solar>.losses.transformer",
    "sites.<solar>.losses.grid_limit",
    "sites.<solar>.losses.availability",
    "sites.<solar>.specific_yield_kwh_per_kwp",
    "sites.<solar>.p50_mwh",
    "sites.<solar>.p90_mwh",
    "sites.<solar>.p99_mwh",
    "sites.<solar>.energy_interannual_variability_fraction",
    "sites.<solar>.energy_stack_uncertainty_fraction",
    "sites.<solar>.energy_total_uncertainty_fraction",
    "sites.<solar>.n_weather_years",
    "sites.<solar>.resource_data_kind",
    "sites.<solar>.p_value_horizon_years",
    "sites.<solar>.delivered_mwh",
    "sites.<solar>.curtailed_mwh",
    "sites.<solar>.capture_price_usd_per_mwh",
    "sites.<solar>.capture_rate",
    "sites.<solar>.capex_usd",
    "sites.<solar>.discount_rate_real",
    "sites.<solar>.lifetime_years",
    "sites.<solar>.lcoe_usd_per_mwh",
    "sites.<solar>.lcoe_delivered_usd_per_mwh",
    "sites.<solar>.revenue_basis",
    "sites.<solar>.npv_usd",
    "sites.<solar>.irr",
    "sites.<solar>.irr_note",
    "sites.<solar>.payback_year",
    "sites.<solar>.payback_operating_years",
    "sites.<solar>.npv_ppa_usd",
    "sites.<solar>.irr_ppa",
    "sites.<solar>.npv_market_usd",
    "sites.<solar>.irr_market",
    "sites.<solar>.market_value_usd_per_mwh",
    "sites.<solar>.investor.view",
    "sites.<solar>.investor.revenue_basis",
    "sites.<solar>.investor.equity_irr",
    "sites.<solar>.investor.equity_irr_real",
    "sites.<solar>.investor.equity_irr_note",
    "sites.<solar>.investor.project_irr_after_tax",
    "sites.<solar>.investor.equity_npv_usd",
    "sites.<solar>.investor.target_equity_irr",
    "sites.<solar>.investor.ppa_for_target_irr_usd_per_mwh",
    "sites.<solar>.investor.min_dscr",
    "sites.<solar>.investor.avg_dscr",
    "sites.<solar>.investor.debt_usd",
    "sites.<solar>.investor.equity_usd",
    "sites.<solar>.investor.debt_fraction",
    "sites.<solar>.investor.tax_lifetime_usd",
    "sites.<solar>.investor.inflation_rate",
    "sites.<solar>.lcoe_energy_basis",
    "sites.<storage>.energy_revenue_usd",
    "sites.<storage>.throughput_mwh",
    "sites.<storage>.hours_at_soc_min_h",
    "sites.<storage>.hours_at_soc_max_h",
    "sites.<storage>.spread_captured_usd_per_mwh",
    "sites.<storage>.total_revenue_usd",
    "sites.<storage>.annual_capacity_fade",
    "sites.<storage>.end_of_life_operating_year",
    "sites.<storage>.end_of_life_within_lifetime",
    "sites.<storage>.usable_energy_fraction_final_year",
    "sites.<storage>.technology",
    "sites.<storage>.capacity_mw",
    "sites.<storage>.energy_capacity_mwh",
    "sites.<storage>.annual_energy_mwh",
    "sites.<storage>.capacity_factor",
    "sites.<storage>.losses.round_trip_and_standing",
    "sites.<storage>.p50_mwh",
    "sites.<storage>.p90_mwh",
    "sites.<storage>.delivered_mwh",
    "sites.<storage>.curtailed_mwh",
    "sites.<storage>.charge_mwh",
    "sites.<storage>.equivalent_full_cycles",
    "sites.<storage>.capex_usd",
    "sites.<storage>.discount_rate_real",
    "sites.<storage>.lifetime_years",
    "sites.<storage>.lcoe_usd_per_mwh",
    "sites.<storage>.lcoe_delivered_usd_per_mwh",
    "sites.<storage>.revenue_basis",
    "sites.<storage>.npv_usd",
    "sites.<storage>.irr",
    "sites.<storage>.irr_note",
    "sites.<storage>.payback_year",
    "sites.<storage>.payback_operating_years",
    "sites.<storage>.npv_ppa_usd",
    "sites.<storage>.irr_ppa",
    "sites.<storage>.npv_market_usd",
    "sites.<storage>.irr_market",
    "sites.<storage>.market_value_usd_per_mwh",
    "sites.<storage>.investor.view",
    "sites.<storage>.investor.revenue_basis",
    "sites.<storage>.investor.equity_irr",
    "sites.<storage>.investor.equity_irr_real",
    "sites.<storage>.investor.equity_irr_note",
    "sites.<storage>.investor.project_irr_after_tax",
    "sites.<storage>.investor.equity_npv_usd",
    "sites.<storage>.investor.target_equity_irr",
    "sites.<storage>.investor.ppa_for_target_irr_usd_per_mwh",
    "sites.<storage>.investor.min_dscr",
    "sites.<storage>.investor.avg_dscr",
    "sites.<storage>.investor.debt_usd",
    "sites.<storage>.investor.equity_usd",
    "sites.<storage>.investor.debt_fraction",
    "sites.<storage>.investor.tax_lifetime_usd",
    "sites.<storage>.investor.inflation_rate",
    "sites.<storage>.lcoe_energy_basis",
    "dispatch.demand_mwh",
    "dispatch.electric_bus_mwh",
    "dispatch.electric_bus_share",
    "dispatch.renewable_share",
    "dispatch.curtailment_mwh",
    "dispatch.curtailment_by_cause_mwh.connection",
    "dispatch.curtailment_by_cause_mwh.congestion",
    "dispatch.curtailment_by_cause_mwh.oversupply",
    "dispatch.unserved_mwh",
    "dispatch.export_mwh",
    "dispatch.import_mwh",
    "dispatch.trade.<interconnector>.price_basis",
    "dispatch.trade.<interconnector>.carries",
    "dispatch.trade.<interconnector>.export_mwh",
    "dispatch.trade.<interconnector>.export_firm_mwh",
    "dispatch.trade.<interconnector>.export_opportunistic_mwh",
    "dispatch.trade.<interconnector>.import_mwh",
    "dispatch.trade.<interconnector>.export_revenue_usd",
    "dispatch.trade.<interconnector>.firm_revenue_usd",
    "dispatch.trade.<interconnector>.opportunistic_revenue_usd",
    "dispatch.trade.<interconnector>.import_cost_usd",
    "dispatch.trade.<interconnector>.eligible_output_mwh",
    "dispatch.trade.<interconnector>.eligible_export_share",
    "dispatch.gas_burn_mcm",
    "dispatch.gas_saved_mcm",
    "dispatch.co2_t",
    "dispatch.co2_avoided_t",
    "dispatch.objective_usd",
    "dispatch.storage.charge_mwh",
    "dispatch.storage.discharge_mwh",
    "dispatch.storage.equivalent_full_cycles",
    "dispatch.reserves",
    "dispatch.reserves.<...>",
    "dispatch.solver.status",
    "dispatch.solver.seconds",
    "dispatch.solver.method",
    "dispatch.mean_price_usd_per_mwh.<zone>",
    "dispatch.thermal.<thermal>.starts",
    "dispatch.thermal.<thermal>.hours_at_min_stable",
    "dispatch.thermal.<thermal>.fuel_no_load_gj",
    "dispatch.thermal.<thermal>.fuel_incremental_gj",
    "dispatch.thermal.<thermal>.fuel_start_up_gj",
    "dispatch.thermal.<thermal>.average_efficiency",
    "dispatch.price_setting_hours.<any>",
    "dispatch.gas_saved_m3_per_mwh",
    "dispatch.co2_avoided_t_per_mwh",
    "dispatch.gas_saved_lifetime_bcm",
    "dispatch.gas_saved_domestic_value_usd",
    "dispatch.gas_saved_export_value_usd",
    "dispatch.gas_export_premium_usd",
    "dispatch.gas_export_premium_lifetime_usd",
    "dispatch.gas_export_premium_pv_usd",
    "dispatch.co2_avoided_lifetime_t",
    "dispatch.gas_power_plant_price_usd_per_1000m3",
    "dispatch.gas_export_value_usd_per_1000m3",
    "dispatch.gas_lower_heating_value_mj_per_m3",
    "dispatch.co2_factor_t_per_tj",
    "dispatch.gas_discount_rate_real",
    "dispatch.gas_saved_domestic_value_pv_usd",
    "dispatch.gas_saved_export_value_pv_usd",
    "dispatch.gas_saved_lifetime_discounted_bcm",
    "dispatch.co2_avoided_lifetime_discounted_t",
    "dispatch.gas_price_basis",
    "dispatch.gas_burn_without_portfolio_mcm",
    "dispatch.co2_without_portfolio_t",
    "dispatch.without_portfolio.price_setting_hours.<any>",
    "dispatch.without_portfolio.thermal.<thermal>.starts",
    "dispatch.without_portfolio.thermal.<thermal>.hours_at_min_stable",
    "dispatch.without_portfolio.thermal.<thermal>.fuel_no_load_gj",
    "dispatch.without_portfolio.thermal.<thermal>.fuel_incremental_gj",
    "dispatch.without_portfolio.thermal.<thermal>.fuel_start_up_gj",
    "dispatch.without_portfolio.thermal.<thermal>.average_efficiency",
    "dispatch.without_portfolio.reserves",
    "dispatch.without_portfolio.reserves.<...>",
    "dispatch.without_portfolio.storage.charge_mwh",
    "dispatch.without_portfolio.storage.discharge_mwh",
    "dispatch.without_portfolio.storage.equivalent_full_cycles",
    "dispatch.without_portfolio.import_mwh",
    "dispatch.without_portfolio.export_mwh",
    "dispatch.without_portfolio.trade.<interconnector>.price_basis",
    "dispatch.without_portfolio.trade.<interconnector>.carries",
    "dispatch.without_portfolio.trade.<interconnector>.export_mwh",
    "dispatch.without_portfolio.trade.<interconnector>.export_firm_mwh",
    "dispatch.without_portfolio.trade.<interconnector>.export_opportunistic_mwh",
    "dispatch.without_portfolio.trade.<interconnector>.import_mwh",
    "dispatch.without_portfolio.trade.<interconnector>.export_revenue_usd",
    "dispatch.without_portfolio.trade.<interconnector>.firm_revenue_usd",
    "dispatch.without_portfolio.trade.<interconnector>.opportunistic_revenue_usd",
    "dispatch.without_portfolio.trade.<interconnector>.import_cost_usd",
    "dispatch.without_portfolio.trade.<interconnector>.eligible_output_mwh",
    "dispatch.without_portfolio.trade.<interconnector>.eligible_export_share",
    "dispatch.without_portfolio.mean_price_usd_per_mwh.<zone>",
    "portfolio_economics.capex_usd",
    "portfolio_economics.discount_rate_real",
    "portfolio_economics.lifetime_years",
    "portfolio_economics.lcoe_usd_per_mwh",
    "portfolio_economics.lcoe_delivered_usd_per_mwh",
    "portfolio_economics.revenue_basis",
    "portfolio_economics.npv_usd",
    "portfolio_economics.irr",
    "portfolio_economics.irr_note",
    "portfolio_economics.payback_year",
    "portfolio_economics.payback_operating_years",
    "portfolio_economics.npv_ppa_usd",
    "portfolio_economics.irr_ppa",
    "portfolio_economics.npv_market_usd",
    "portfolio_economics.irr_market",
    "portfolio_economics.market_value_usd_per_mwh",
    "portfolio_economics.lcoe_energy_basis",
    "portfolio_p_values.<...>",
)


def metric_paths(portfolio: Any) -> tuple[list[str], list[re.Pattern[str]]]:
    """The paths a run of ``portfolio`` gives: concrete paths, and patterns for the open ones."""
    ids: dict[str, list[str]] = {
        "solar": [s.id for s in portfolio.sites if s.kind == "solar"],
        "wind": [s.id for s in portfolio.sites if s.kind == "wind"],
        "storage": [s.id for s in portfolio.sites if s.kind in ("battery", "pumped_hydro")],
        "thermal": [u.id for u in portfolio.study_grid.thermal_units],
        "zone": list(portfolio.grid.zone_ids),
        "interconnector": [i.id for i in portfolio.study_grid.interconnectors],
    }
    concrete: list[str] = []
    open_: list[re.Pattern[str]] = []
    for pattern in METRIC_PATTERNS:
        expanded = [pattern]
        for name, values in ids.items():
            expanded = [p.replace(f"<{name}>", v) for p in expanded for v in values] if f"<{name}>" in pattern \
                else expanded
        for path in expanded:
            if "<any>" in path or "<...>" in path:
                regex = re.escape(path).replace(re.escape("<any>"), r"[^.]+").replace(re.escape("<...>"), r".+")
                open_.append(re.compile(regex))
            else:
                concrete.append(path)
    return concrete, open_


def unknown_metric(path: str, portfolio: Any) -> str | None:
    """None when a run of ``portfolio`` gives the figure ``path``; else what was expected, with the closest paths."""
    import difflib

    concrete, open_ = metric_paths(portfolio)
    if path in concrete or any(p.fullmatch(path) for p in open_):
        return None
    close = difflib.get_close_matches(path, concrete, n=3, cutoff=0.6)
    hint = f"; closest: {', '.join(close)}" if close else ""
    return (f"= {path!r}: not a figure of this portfolio's results; expected a dotted summary.json path such as "
            f"dispatch.gas_saved_mcm or sites.<site id>.annual_energy_mwh{hint}")


# --------------------------------------------------------------------------------------
# What each figure is: label, unit, display format, group, and which computation makes it
# (which sets the numerical tolerance below which two runs' values are the same figure).
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    """How a stored unit is shown: ``display = stored * scale`` in ``name`` with ``decimals``."""

    name: str
    scale: float
    decimals: int


_PERCENT = _Unit("%", 100.0, 2)
_TEXT = _Unit("", 1.0, 0)
_COUNT = _Unit("", 1.0, 3)  # a number the path gives no unit for
# By the unit suffix of a path segment (architecture.md: units in names), longest first.
_SUFFIX_UNITS: tuple[tuple[str, _Unit], ...] = (
    ("_usd_per_1000m3", _Unit("USD/1000 m³", 1.0, 0)),
    ("_kwh_per_kwp", _Unit("kWh/kWp", 1.0, 0)),
    ("_usd_per_mwh", _Unit("USD/MWh", 1.0, 2)),
    ("_m3_per_mwh", _Unit("m³/MWh", 1.0, 1)),
    ("_t_per_mwh", _Unit("t/MWh", 1.0, 4)),
    ("_mj_per_m3", _Unit("MJ/m³", 1.0, 2)),
    ("_t_per_tj", _Unit("t/TJ", 1.0, 2)),
    ("_fraction", _PERCENT),
    ("_share", _PERCENT),
    ("_years", _Unit("years", 1.0, 0)),
    ("_year", _Unit("", 1.0, 0)),  # a calendar year
    ("_mwh", _Unit("GWh", 1e-3, 2)),
    ("_usd", _Unit("million USD", 1e-6, 2)),
    ("_mcm", _Unit("million m³", 1.0, 2)),
    ("_bcm", _Unit("billion m³", 1.0, 3)),
    ("_gj", _Unit("TJ", 1e-3, 1)),
    ("_mw", _Unit("MW", 1.0, 1)),
    ("_h", _Unit("h", 1.0, 0)),
    ("_t", _Unit("kt", 1e-3, 1)),
)
# Segments without a unit suffix, by name.
_NAMED_UNITS: dict[str, _Unit] = {
    "capacity_factor": _PERCENT,
    "capture_rate": _PERCENT,
    "renewable_share": _PERCENT,
    "discount_rate_real": _PERCENT,
    "average_efficiency": _PERCENT,
    "annual_capacity_fade": _PERCENT,
    "irr": _PERCENT,
    "irr_ppa": _PERCENT,
    "irr_market": _PERCENT,
    "losses": _PERCENT,
    "starts": _Unit("starts", 1.0, 0),
    "equivalent_full_cycles": _Unit("cycles", 1.0, 1),
    "n_weather_years": _Unit("years", 1.0, 0),
    "seconds": _Unit("s", 1.0, 1),
    "price_setting_hours": _Unit("h", 1.0, 0),
    "end_of_life_operating_year": _Unit("operating year", 1.0, 0),
    "usable_energy_fraction_final_year": _PERCENT,
    "wake_loss_fraction_by_model": _PERCENT,
    "hours_at_min_stable": _Unit("h", 1.0, 0),
    "payback_operating_years": _Unit("years", 1.0, 0),
}
_TEXT_LEAVES = frozenset({
    "technology", "revenue_basis", "irr_note", "price_basis", "carries", "status", "method", "gas_price_basis",
    "end_of_life_within_lifetime",
})
# Human labels of leaves whose words alone would not say it.
_LABELS: dict[str, str] = {
    "lcoe_usd_per_mwh": "LCOE (net energy)",
    "lcoe_delivered_usd_per_mwh": "LCOE (delivered energy)",
    "npv_usd": "NPV",
    "npv_ppa_usd": "NPV at the PPA price",
    "npv_market_usd": "NPV at market prices",
    "irr": "IRR",
    "irr_ppa": "IRR at the PPA price",
    "irr_market": "IRR at market prices",
    "irr_note": "IRR note",
    "capex_usd": "capex",
    "co2_t": "CO₂ emitted",
    "co2_avoided_t": "CO₂ avoided",
    "co2_avoided_t_per_mwh": "CO₂ avoided per MWh delivered",
    "co2_avoided_lifetime_t": "CO₂ avoided over the lifetime",
    "co2_without_portfolio_t": "CO₂ emitted without the portfolio",
    "co2_factor_t_per_tj": "CO₂ factor of gas",
    "p50_mwh": "P50 energy",
    "p90_mwh": "P90 energy",
    "p99_mwh": "P99 energy",
    "objective_usd": "dispatch cost (objective)",
    "discount_rate_real": "discount rate (real)",
    "capacity_mw": "capacity",
    "annual_energy_mwh": "annual energy",
    "unserved_mwh": "unserved energy",
    "without_portfolio": "without the portfolio",
    "gas_saved_m3_per_mwh": "gas saved per MWh delivered",
    "wake_loss_fraction_by_model": "wake loss by model",
    "wake_model_spread_fraction": "wake-model spread",
    "n_weather_years": "weather years",
    "p_value_horizon_years": "P-value horizon",
    "payback_year": "payback (calendar year)",
    "payback_operating_years": "payback",
}

DISPATCH_LP_REL_TOL = 1e-5
"""Relative tolerance of a figure the dispatch LP makes (energy-only or relaxed commitment) [fraction].

HiGHS stops at primal and dual feasibility tolerances of 1e-7 per (scaled) row, and a year's LP has
8,784 hourly balance rows and many optimal vertices of nearly equal cost: two LPs that differ in one
asset land on different ones. Issue 19 measured that noise at 2e-6 relative between LP solves (the
renewable share of a battery change, the gas saved of two sweep scenarios); 1e-5 leaves a factor 5 over
it and is 250 MWh of the default grid's 25 TWh, below anything an annual planning study can claim.
"""


@dataclass(frozen=True)
class Tolerance:
    """Two values ``a``, ``b`` are the same figure when ``|b - a| <= rel * max(|a|, |b|) + abs_``.

    ``compared`` False: the figure is never reported as a change (the solver's seconds).
    """

    rel: float
    abs_: float = 1e-9
    compared: bool = True

    def same(self, a: float, b: float) -> bool:
        return not self.compared or abs(b - a) <= self.rel * max(abs(a), abs(b)) + self.abs_


LP_TOLERANCE = Tolerance(DISPATCH_LP_REL_TOL, 1e-6)
"""The tolerance of dispatch figures from an LP (:func:`dispatch_tolerance`)."""


def dispatch_tolerance(dispatch_options: Any) -> Tolerance:
    """The tolerance of dispatch figures for a portfolio's ``options.dispatch``.

    A unit-commitment MILP (``operations: unit_commitment`` with integer commitment) stops within
    ``mip_rel_gap`` of the optimum of each window, so two runs' figures are only known to that
    gap; an LP to :data:`DISPATCH_LP_REL_TOL`. ``abs_`` 1e-6 in the stored unit (1 Wh, 1e-6 USD, a
    share of 1e-6) keeps a figure of zero in one run and LP round-off in the other the same.
    """
    milp = dispatch_options.operations == "unit_commitment" and dispatch_options.commitment == "integer"
    return Tolerance(max(dispatch_options.mip_rel_gap, DISPATCH_LP_REL_TOL), 1e-6) if milp else LP_TOLERANCE


INPUT_TOLERANCE = Tolerance(1e-12, 0.0)
"""Figures the run echoes from its inputs (capacity, capex, rates): equal to the last bits."""
PRODUCTION_TOLERANCE = Tolerance(1e-9, 1e-9)
"""Figures of the production models (deterministic: the same inputs give the same bits; 1e-9 absorbs
a different order of summation in another process or library version)."""
_INPUT_LEAVES = frozenset({
    "technology", "capacity_mw", "energy_capacity_mwh", "capex_usd", "discount_rate_real", "lifetime_years",
    "n_weather_years", "p_value_horizon_years", "price_basis", "carries", "gas_power_plant_price_usd_per_1000m3",
    "gas_export_value_usd_per_1000m3", "gas_lower_heating_value_mj_per_m3", "co2_factor_t_per_tj",
    "gas_price_basis",
})
_PRODUCTION_LEAVES = frozenset({
    "annual_energy_mwh", "capacity_factor", "specific_yield_kwh_per_kwp", "wake_model_spread_fraction",
    "p50_mwh", "p90_mwh", "p99_mwh", "energy_interannual_variability_fraction", "energy_stack_uncertainty_fraction",
    "energy_total_uncertainty_fraction", "lcoe_usd_per_mwh",
})


@dataclass(frozen=True)
class MetricInfo:
    """What one figure is, for people: how ``compare``, the sweep report and tables show it.

    Attributes
    ----------
    path : str
        The dotted summary.json path.
    group : str
        ``site <id>``, ``system`` (the dispatch) or ``economics`` (the portfolio as one project).
    label : str
        Words, without the unit (``wake loss (noj)``, ``LCOE (net energy)``).
    unit : str
        The unit shown, after ``scale`` ("" for text and counts without a unit).
    scale : float
        Shown value = stored value x scale (MWh shown in GWh: 1e-3; a fraction in %: 100).
    decimals : int
        Decimals of the shown value.
    source : str
        ``input`` (echoed from the configs), ``production`` (the production models, deterministic),
        ``dispatch`` (the dispatch solve and what follows from it: solver tolerance), ``timing`` (not a
        result) or ``text``.
    """

    path: str
    group: str
    label: str
    unit: str
    scale: float
    decimals: int
    source: str

    @property
    def numeric(self) -> bool:
        return self.source != "text"

    @property
    def title(self) -> str:
        """``label [unit]``: an axis or column title."""
        return f"{self.label} [{self.unit}]" if self.unit else self.label

    def tolerance(self, dispatch: Tolerance) -> Tolerance:
        """The tolerance of this figure, given that of the dispatch (:func:`dispatch_tolerance`)."""
        return {"input": INPUT_TOLERANCE, "production": PRODUCTION_TOLERANCE, "timing": Tolerance(0.0, 0.0, False),
                "text": INPUT_TOLERANCE}.get(self.source, dispatch)

    def shown(self, value: float) -> float:
        return value * self.scale


def _words(segment: str) -> str:
    if segment in _LABELS:
        return _LABELS[segment]
    for suffix, _ in _SUFFIX_UNITS:
        if suffix == "_share":  # the word says what the number is: "renewable share"
            continue
        if segment.endswith(suffix) and len(segment) > len(suffix):
            segment = segment[: -len(suffix)]
            break
    return segment.replace("_", " ")


def _unit_of(segments: list[str]) -> _Unit | None:
    """The unit of a path: its leaf's, else that of the nearest segment above that names one (a map by zone)."""
    for segment in reversed(segments):
        if segment in _NAMED_UNITS:
            return _NAMED_UNITS[segment]
        for suffix, unit in _SUFFIX_UNITS:
            if segment.endswith(suffix):
                return unit
    return None


def metric_info(path: str, site_kinds: Mapping[str, str] | None = None) -> MetricInfo:
    """The label, unit, group and source of the figure at ``path`` (any summary.json path).

    Parameters
    ----------
    path : str
        A dotted path of :data:`METRIC_PATTERNS` with its placeholders filled in.
    site_kinds : mapping, optional
        Site id -> kind (``solar``, ``wind``, ``battery``, ``pumped_hydro``): a storage site's
        energy and LCOE come from the dispatch, a generating site's from its production model.
        Without it a site is taken to generate.
    """
    segments = path.split(".")
    leaf = segments[-1]
    kinds = site_kinds or {}
    if segments[0] == "sites" and len(segments) > 2:
        group, rest = f"site {segments[1]}", segments[2:]
        storage = kinds.get(segments[1]) in ("battery", "pumped_hydro")
        generating = not storage
    else:
        group = "system" if segments[0] == "dispatch" else "economics"
        rest, generating = segments[1:] or segments, False
    if rest[0] == "losses" and len(rest) == 2:
        label = f"loss: {rest[1].replace('_', ' ')}"
    elif rest[0] == "wake_loss_fraction_by_model" and len(rest) == 2:
        label = f"wake loss ({rest[1].replace('_', ' ')})"
    elif rest[0] == "price_setting_hours" or rest[-2:-1] == ["price_setting_hours"]:
        label = ", ".join(_words(s) for s in rest[:-2]) + (", " if len(rest) > 2 else "") + \
            f"hours {rest[-1].replace('_', ' ')} set the price"
    else:
        label = ", ".join(_words(s) for s in rest)
    unit = _unit_of(rest)
    if leaf in _TEXT_LEAVES:
        source, unit = "text", _TEXT
    elif leaf == "seconds":
        source = "timing"
    elif leaf in _INPUT_LEAVES:
        source = "input"
    elif generating and (leaf in _PRODUCTION_LEAVES or rest[0] in ("losses", "wake_loss_fraction_by_model")):
        source = "production"
    else:
        source = "dispatch"
    unit = unit or _COUNT
    return MetricInfo(path, group, label, unit.name, unit.scale, unit.decimals, source)


def format_shown(value: float, decimals: int) -> str:
    """A shown value (already in its display unit) with thousands separators: ``1,234.56``."""
    return f"{value:,.{decimals}f}"


def format_change(delta: float, decimals: int) -> str:
    """A signed difference in its display unit, with at least two significant digits (``+0.0031``),
    so that a change that passed its tolerance never prints as ``+0.00``."""
    if delta == 0:
        return "0"
    needed = max(decimals, 1 - math.floor(math.log10(abs(delta))))
    return f"{delta:+,.{min(needed, 12)}f}"
