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

import re
from typing import Any

__all__ = ["METRIC_PATTERNS", "metric_paths", "unknown_metric"]

METRIC_PATTERNS: tuple[str, ...] = (
    "sites.<wind>.technology",
    "sites.<wind>.capacity_mw",
    "sites.<wind>.annual_energy_mwh",
    "sites.<wind>.capacity_factor",
    "sites.<wind>.losses.wakes",
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
    "sites.<solar>.technology",
    "sites.<solar>.capacity_mw",
    "sites.<solar>.annual_energy_mwh",
    "sites.<solar>.capacity_factor",
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
    "dispatch.demand_mwh",
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
    "portfolio_p_values.<...>",
)


def metric_paths(portfolio: Any) -> tuple[list[str], list[re.Pattern[str]]]:
    """The paths a run of ``portfolio`` gives: concrete paths, and patterns for the open ones."""
    ids: dict[str, list[str]] = {
        "solar": [s.id for s in portfolio.sites if s.kind == "solar"],
        "wind": [s.id for s in portfolio.sites if s.kind == "wind"],
        "storage": [s.id for s in portfolio.sites if s.kind in ("battery", "pumped_hydro")],
        "thermal": [u.id for u in portfolio.grid.thermal_units],
        "zone": list(portfolio.grid.zone_ids),
        "interconnector": [i.id for i in portfolio.grid.interconnectors],
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
