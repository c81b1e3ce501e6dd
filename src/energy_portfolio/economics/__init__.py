"""Economics and uncertainty: cash flows, LCOE/NPV/IRR, gas and CO2 value, P50/P90.

Pure functions over specs and arrays; no file I/O, and no imports of the production,
dispatch or weather layers (the portfolio wiring passes their results in). Money is in real
US dollars of the study year, discounted at the real rate of each site's ``economics``.

Modules
-------
cashflow     energy, costs and revenue per year of life (index 0 construction, 1..N operating)
metrics      present value, LCOE, NPV and IRR (numpy-financial), payback, capital recovery
gas          gas saved, its value at the domestic and export prices, CO2 avoided
uncertainty  P50/P90/P99 from weather-year samples and an uncertainty stack
project      one site's or the portfolio's economics from first-year figures
investor     the equity investor's nominal cash flows after tax and debt: DSCR, equity IRR, PPA for a target IRR
sensitivity  NPV and LCOE with capex, discount rate, energy and price moved one at a time
summary      the summary.json keys
"""

from .cashflow import (
    capex_usd,
    cost_by_year_usd,
    degradation_factors,
    energy_by_year_mwh,
    market_revenue_usd,
    ppa_revenue_by_year_usd,
    revenue_by_year_usd,
)
from .gas import (
    GasValue,
    co2_avoided_t,
    co2_from_gas_t,
    gas_saved_mcm,
    gas_value_usd,
    lifetime_gas_saved_bcm,
    lifetime_present_value,
    lifetime_total,
    value_gas_saved,
)
from .investor import (
    DebtSchedule,
    InvestorView,
    evaluate_investor,
    investor_cash_flows,
    ppa_for_target_irr_usd_per_mwh,
)
from .metrics import (
    Irr,
    capital_recovery_factor,
    internal_rate_of_return,
    lcoe_usd_per_mwh,
    npv_usd,
    payback_year,
    present_value_usd,
)
from .project import ProjectEconomics, ProjectInputs, Valuation, evaluate_portfolio, evaluate_project
from .sensitivity import EnergyRange, Sensitivity, energy_range, sensitivity
from .storage import StorageFade, storage_fade
from .summary import INVESTOR_KEYS, economics_summary, gas_summary, investor_summary, p_values_summary
from .uncertainty import (
    PV_UNCERTAINTY_STACK,
    WAKE_MODEL_SPREAD_COMPONENT,
    WIND_UNCERTAINTY_STACK,
    PValues,
    combined_stack_fraction,
    default_uncertainty_stack,
    exceedance_level,
    interannual_variability_fraction,
    p_values,
    p_values_from_fractions,
    p_values_of_samples,
    quadrature,
    site_uncertainty_stack,
    total_uncertainty_fraction,
    uncertainty_stack,
    wake_model_spread_fraction,
)

__all__ = [
    "StorageFade",
    "storage_fade",
    "capex_usd",
    "cost_by_year_usd",
    "degradation_factors",
    "energy_by_year_mwh",
    "market_revenue_usd",
    "ppa_revenue_by_year_usd",
    "revenue_by_year_usd",
    "GasValue",
    "co2_avoided_t",
    "co2_from_gas_t",
    "gas_saved_mcm",
    "gas_value_usd",
    "lifetime_gas_saved_bcm",
    "lifetime_total",
    "lifetime_present_value",
    "value_gas_saved",
    "Irr",
    "capital_recovery_factor",
    "internal_rate_of_return",
    "lcoe_usd_per_mwh",
    "npv_usd",
    "payback_year",
    "present_value_usd",
    "ProjectEconomics",
    "ProjectInputs",
    "EnergyRange",
    "Sensitivity",
    "energy_range",
    "sensitivity",
    "Valuation",
    "evaluate_portfolio",
    "evaluate_project",
    "economics_summary",
    "investor_summary",
    "INVESTOR_KEYS",
    "DebtSchedule",
    "InvestorView",
    "evaluate_investor",
    "investor_cash_flows",
    "ppa_for_target_irr_usd_per_mwh",
    "gas_summary",
    "p_values_summary",
    "PV_UNCERTAINTY_STACK",
    "WIND_UNCERTAINTY_STACK",
    "PValues",
    "combined_stack_fraction",
    "default_uncertainty_stack",
    "exceedance_level",
    "interannual_variability_fraction",
    "p_values",
    "p_values_from_fractions",
    "p_values_of_samples",
    "quadrature",
    "total_uncertainty_fraction",
    "uncertainty_stack",
    "WAKE_MODEL_SPREAD_COMPONENT",
    "wake_model_spread_fraction",
    "site_uncertainty_stack",
]
