"""The economics and uncertainty keys of ``summary.json``, as plain JSON-ready dicts.

Each builder returns keys to merge into a block of ``summary.json``: :func:`economics_summary`
and :func:`p_values_summary` into a site's block (and a portfolio block), :func:`gas_summary`
into the ``dispatch`` block. Undefined figures are ``None`` (JSON ``null``), never NaN; where
a figure is undefined for a reason (the IRR) the reason is given in a ``_note`` key. Money is
real USD of the study year; ``*_lifetime_*`` keys are undiscounted sums over the operating
years unless named ``_pv_`` (present value at the real discount rate) or ``_discounted_`` (a
physical quantity discounted at that rate, as in a levelised cost's denominator).
"""

from __future__ import annotations

from typing import Any

from ..config.grid import Gas
from ..units import MCM_PER_BCM
from .gas import GasValue, lifetime_present_value, lifetime_total
from .investor import InvestorView
from .metrics import present_value_usd
from .project import ProjectEconomics, Valuation
from .uncertainty import PValues

__all__ = ["economics_summary", "p_values_summary", "gas_summary", "investor_summary", "INVESTOR_KEYS"]


def economics_summary(project: ProjectEconomics) -> dict[str, Any]:
    """Keys for a site's (or the portfolio's) block.

    Returns
    -------
    dict
        ``capex_usd``, ``discount_rate_real`` [fraction], ``lifetime_years``,
        ``lcoe_usd_per_mwh`` (on net energy), ``lcoe_delivered_usd_per_mwh`` (after
        curtailment), ``revenue_basis`` (``"ppa"``, ``"market"``, ``"own_basis"`` or None),
        ``npv_usd``, ``irr`` [fraction/yr or None], ``irr_note``, ``payback_year`` (calendar
        year, None when not repaid or no commissioning year), ``payback_operating_years``,
        ``npv_ppa_usd``, ``irr_ppa``, ``npv_market_usd``, ``irr_market``,
        ``market_value_usd_per_mwh``: the levelized market value, present value of market
        revenue over present value of delivered energy (the capture price, comparable with
        ``lcoe_delivered_usd_per_mwh``), and ``lcoe_energy_basis``: what the net energy of
        ``lcoe_usd_per_mwh`` is (``ProjectEconomics.lcoe_energy_basis``). For the portfolio,
        ``lifetime_years`` spans the first construction year to the last operating year, less one.
    """
    primary = project.primary
    payback = None if primary is None else primary.payback_year
    market_value = None
    if project.market is not None:
        delivered_pv = present_value_usd(project.delivered_by_year_mwh, project.discount_rate)
        if delivered_pv > 0.0:
            market_value = present_value_usd(project.market.revenue_by_year_usd, project.discount_rate) / delivered_pv
    return {
        "capex_usd": float(project.capex_usd),
        "discount_rate_real": float(project.discount_rate),
        "lifetime_years": project.lifetime_years,
        "lcoe_usd_per_mwh": _float_or_none(project.lcoe_usd_per_mwh),
        "lcoe_delivered_usd_per_mwh": _float_or_none(project.lcoe_delivered_usd_per_mwh),
        "revenue_basis": None if primary is None else primary.basis,
        "npv_usd": _npv(primary),
        "irr": _irr(primary),
        "irr_note": "no revenue given" if primary is None else primary.irr.reason,
        "payback_year": None if payback is None or project.start_year is None else project.start_year + payback,
        "payback_operating_years": payback,
        "npv_ppa_usd": _npv(project.ppa),
        "irr_ppa": _irr(project.ppa),
        "npv_market_usd": _npv(project.market),
        "irr_market": _irr(project.market),
        "market_value_usd_per_mwh": market_value,
        "lcoe_energy_basis": project.lcoe_energy_basis,
    }


def p_values_summary(
    energy: PValues | None = None,
    delivered: PValues | None = None,
    revenue: PValues | None = None,
) -> dict[str, Any]:
    """Keys for the P-values of net energy, delivered energy and revenue.

    Returns
    -------
    dict
        For each given argument: energy ``p50_mwh``, ``p90_mwh``, ``p99_mwh``; delivered
        ``p50_delivered_mwh``, ``p90_delivered_mwh``, ``p99_delivered_mwh``; revenue
        ``p50_revenue_usd``, ``p90_revenue_usd``, ``p99_revenue_usd``; and for each
        ``<kind>_interannual_variability_fraction``, ``<kind>_stack_uncertainty_fraction``,
        ``<kind>_total_uncertainty_fraction`` (kind = energy, delivered, revenue), plus
        ``n_weather_years`` and ``p_value_horizon_years`` of the first given.
    """
    out: dict[str, Any] = {}
    for kind, values, suffix in (
        ("energy", energy, "mwh"),
        ("delivered", delivered, "delivered_mwh"),
        ("revenue", revenue, "revenue_usd"),
    ):
        if values is None:
            continue
        out.update(
            {
                f"p50_{suffix}": float(values.p50),
                f"p90_{suffix}": float(values.p90),
                f"p99_{suffix}": float(values.p99),
                f"{kind}_interannual_variability_fraction": float(values.interannual_fraction),
                f"{kind}_stack_uncertainty_fraction": float(values.stack_fraction),
                f"{kind}_total_uncertainty_fraction": float(values.total_fraction),
            }
        )
        out.setdefault("n_weather_years", values.n_years)
        out.setdefault("p_value_horizon_years", values.horizon_years)
    return out


def gas_summary(
    value: GasValue,
    gas: Gas,
    *,
    lifetime_years: int,
    output_by_year=None,
    discount_rate: float | None = None,
    co2_avoided_per_year_t: float | None = None,
) -> dict[str, Any]:
    """Keys for the gas saved and its value, per year and over the lifetime.

    Parameters
    ----------
    value : GasValue
        One year's saving, from :func:`.gas.value_gas_saved`.
    gas : Gas
        The grid's gas spec; its prices and factors are reported alongside.
    lifetime_years : int
        Years the saving lasts (the portfolio's lifetime) [yr].
    output_by_year : array-like, optional
        Output factors per year (see :func:`.gas.lifetime_total`); default constant.
    discount_rate : float, optional
        Real rate of the present values and discounted quantities [fraction/yr] (the state's
        rate: the run gives ``options.state_discount_rate_real``, else the portfolio's rate).
    co2_avoided_per_year_t : float, optional
        CO2 avoided per year from the dispatch runs [t]; default the CO2 of the saved gas.

    Returns
    -------
    dict
        ``gas_saved_mcm`` [million m3/yr], ``gas_saved_lifetime_bcm``,
        ``gas_saved_domestic_value_usd`` and ``gas_saved_export_value_usd`` [USD/yr],
        ``gas_export_premium_usd`` [USD/yr], ``gas_export_premium_lifetime_usd``,
        ``co2_avoided_t`` [t/yr], ``co2_avoided_lifetime_t`` (lifetime sums undiscounted), the
        inputs ``gas_power_plant_price_usd_per_1000m3``, ``gas_export_value_usd_per_1000m3``,
        ``gas_lower_heating_value_mj_per_m3``, ``co2_factor_t_per_tj``; and at
        ``gas_discount_rate_real`` (each None without a rate), discounted to the year before the
        first operating year (:func:`.gas.lifetime_present_value`): the present values
        ``gas_saved_domestic_value_pv_usd``, ``gas_saved_export_value_pv_usd``,
        ``gas_export_premium_pv_usd`` [USD], and the discounted quantities
        ``gas_saved_lifetime_discounted_bcm`` and ``co2_avoided_lifetime_discounted_t``
        (denominators of a levelised cost per m3 saved or per t avoided, not amounts of gas or CO2).
    """
    years = int(lifetime_years)
    co2 = value.co2_avoided_t if co2_avoided_per_year_t is None else float(co2_avoided_per_year_t)

    def present(first_year: float) -> float | None:
        return None if discount_rate is None else lifetime_present_value(first_year, years, discount_rate,
                                                                         output_by_year)

    saved_discounted_mcm = present(value.gas_saved_mcm)
    return {
        "gas_saved_mcm": value.gas_saved_mcm,
        "gas_saved_lifetime_bcm": lifetime_total(value.gas_saved_mcm, years, output_by_year) / MCM_PER_BCM,
        "gas_saved_domestic_value_usd": value.domestic_value_usd,
        "gas_saved_export_value_usd": value.export_value_usd,
        "gas_export_premium_usd": value.export_premium_usd,
        "gas_export_premium_lifetime_usd": lifetime_total(value.export_premium_usd, years, output_by_year),
        "gas_export_premium_pv_usd": present(value.export_premium_usd),
        "co2_avoided_t": co2,
        "co2_avoided_lifetime_t": lifetime_total(co2, years, output_by_year),
        "gas_power_plant_price_usd_per_1000m3": gas.power_plant_price_usd_per_1000m3,
        "gas_export_value_usd_per_1000m3": gas.export_value_usd_per_1000m3,
        "gas_lower_heating_value_mj_per_m3": gas.lower_heating_value_mj_per_m3,
        "co2_factor_t_per_tj": gas.co2_t_per_tj,
        "gas_discount_rate_real": None if discount_rate is None else float(discount_rate),
        "gas_saved_domestic_value_pv_usd": present(value.domestic_value_usd),
        "gas_saved_export_value_pv_usd": present(value.export_value_usd),
        "gas_saved_lifetime_discounted_bcm": None if saved_discounted_mcm is None
        else saved_discounted_mcm / MCM_PER_BCM,
        "co2_avoided_lifetime_discounted_t": present(co2),
    }


def _float_or_none(value: float | None) -> float | None:
    return None if value is None else float(value)


def _npv(valuation: Valuation | None) -> float | None:
    return None if valuation is None else float(valuation.npv_usd)


def _irr(valuation: Valuation | None) -> float | None:
    return None if valuation is None or valuation.irr.rate is None else float(valuation.irr.rate)


INVESTOR_KEYS = (
    "view",
    "revenue_basis",
    "equity_irr",
    "equity_irr_real",
    "equity_irr_note",
    "project_irr_after_tax",
    "equity_npv_usd",
    "target_equity_irr",
    "ppa_for_target_irr_usd_per_mwh",
    "min_dscr",
    "avg_dscr",
    "debt_usd",
    "equity_usd",
    "debt_fraction",
    "tax_lifetime_usd",
    "inflation_rate",
)


def investor_summary(view: InvestorView | None) -> dict[str, Any]:
    """Keys for a site's ``investor`` block; every key is there, None without a ``financing`` block.

    Returns
    -------
    dict
        ``view`` (what the block is: the equity investor's view, nominal USD after tax and debt,
        beside the state's view of ``dispatch.gas_saved_export_value_usd`` and CO2),
        ``revenue_basis``, ``equity_irr`` and ``project_irr_after_tax`` [fraction/yr, nominal],
        ``equity_irr_real``, ``equity_irr_note`` (why the IRR is undefined, or empty),
        ``equity_npv_usd`` (at ``target_equity_irr``), ``target_equity_irr``,
        ``ppa_for_target_irr_usd_per_mwh`` (real, first operating year; per MWh discharged for a
        store), ``min_dscr`` and
        ``avg_dscr`` over the tenor, ``debt_usd``, ``equity_usd``, ``debt_fraction`` (of capex),
        ``tax_lifetime_usd`` (nominal, undiscounted), ``inflation_rate``.
    """
    if view is None:
        return dict.fromkeys(INVESTOR_KEYS) | {"view": "no financing block: no investor view"}
    capex = view.capex_usd
    return {
        "view": "investor: equity cash flows in nominal USD after profit tax and debt service",
        "revenue_basis": view.revenue_basis,
        "equity_irr": view.equity_irr.rate,
        "equity_irr_real": view.equity_irr_real,
        "equity_irr_note": view.equity_irr.reason,
        "project_irr_after_tax": view.project_irr_after_tax.rate,
        "equity_npv_usd": float(view.equity_npv_usd),
        "target_equity_irr": view.target_equity_irr,
        "ppa_for_target_irr_usd_per_mwh": view.ppa_for_target_irr_usd_per_mwh,
        "min_dscr": view.min_dscr,
        "avg_dscr": view.avg_dscr,
        "debt_usd": float(view.debt.debt_usd),
        "equity_usd": float(view.equity_usd),
        "debt_fraction": float(view.debt.debt_usd / capex) if capex > 0 else None,
        "tax_lifetime_usd": float(view.tax_by_year_usd.sum()),
        "inflation_rate": view.inflation_rate,
    }
