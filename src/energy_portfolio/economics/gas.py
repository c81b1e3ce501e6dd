"""Gas and carbon accounting: gas the portfolio saves, what it is worth, CO2 avoided.

Gas saved is the difference of two dispatch runs' gas burn: the grid without the portfolio
(the counterfactual) minus the grid with it. In Azerbaijan the power plants buy gas at a
regulated price far below what the same gas earns when exported (FACTS 1.6), so saved gas
is valued twice: at the domestic power-plant price (what the power sector saves) and at the
export value (what the country earns when the gas is exported instead), both given in the
grid's :class:`~energy_portfolio.config.grid.Gas` spec in USD per 1000 m3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config.grid import Gas
from ..errors import InputError
from ..units import M3_PER_MCM, MCM_PER_BCM
from ._checks import finite_array, finite_number
from .metrics import present_value_usd

__all__ = [
    "gas_saved_mcm",
    "gas_value_usd",
    "co2_from_gas_t",
    "co2_avoided_t",
    "GasValue",
    "value_gas_saved",
    "lifetime_gas_saved_bcm",
    "lifetime_total",
    "lifetime_present_value",
]

_M3_PER_THOUSAND_M3 = 1_000.0


def gas_saved_mcm(gas_burn_counterfactual_mcm, gas_burn_with_portfolio_mcm):
    """Gas saved: burn without the portfolio minus burn with it.

    Parameters
    ----------
    gas_burn_counterfactual_mcm : float or array-like
        Gas burnt by the power plants without the portfolio [million m3], per year or per
        weather year.
    gas_burn_with_portfolio_mcm : float or array-like
        Gas burnt with the portfolio in the same years [million m3].

    Returns
    -------
    float or numpy.ndarray
        Gas saved [million m3]; exactly the difference (negative if the portfolio makes the
        fleet burn more).

    References
    ----------
    Counterfactual (with/without) accounting as in the official project statements of
    FACTS 1.7 (gas saved per MWh of renewables).
    """
    without = finite_array("gas_burn_counterfactual_mcm", gas_burn_counterfactual_mcm, non_negative=True)
    with_portfolio = finite_array("gas_burn_with_portfolio_mcm", gas_burn_with_portfolio_mcm, non_negative=True)
    _same_length("gas_burn_counterfactual_mcm", without, "gas_burn_with_portfolio_mcm", with_portfolio)
    saved = without - with_portfolio
    return float(saved[0]) if np.ndim(gas_burn_counterfactual_mcm) == 0 else saved


def gas_value_usd(gas_mcm, price_usd_per_1000m3: float):
    """Value of a gas volume at a price per 1000 m3.

    Parameters
    ----------
    gas_mcm : float or array-like
        Volume [million m3].
    price_usd_per_1000m3 : float
        Price [USD per 1000 m3].

    Returns
    -------
    float or numpy.ndarray
        Value [USD]: ``gas_mcm * 1e6 / 1000 * price``.

    References
    ----------
    Unit conversion only (:data:`energy_portfolio.units.M3_PER_MCM`).
    """
    volume_m3 = np.asarray(gas_mcm, dtype=float) * M3_PER_MCM
    return _float_if_scalar(volume_m3 / _M3_PER_THOUSAND_M3 * price_usd_per_1000m3)


def co2_from_gas_t(gas_mcm, gas: Gas):
    """CO2 from burning a gas volume, with the LHV and emission factor of the Gas spec.

    Parameters
    ----------
    gas_mcm : float or array-like
        Volume [million m3].
    gas : Gas
        ``lower_heating_value_mj_per_m3`` [MJ/m3] and ``co2_t_per_tj`` [t/TJ].

    Returns
    -------
    float or numpy.ndarray
        CO2 [t]: ``gas_mcm * LHV`` is the fuel energy in TJ (1e6 m3 x MJ/m3 = TJ), times
        the emission factor.

    References
    ----------
    2006 IPCC Guidelines for National Greenhouse Gas Inventories, vol. 2 (Energy), ch. 2,
    table 2.2: default CO2 emission factor of natural gas 56 100 kg/TJ (FACTS 1.7).
    """
    energy_tj = np.asarray(gas_mcm, dtype=float) * gas.lower_heating_value_mj_per_m3
    return _float_if_scalar(energy_tj * gas.co2_t_per_tj)


def co2_avoided_t(co2_counterfactual_t, co2_with_portfolio_t):
    """CO2 avoided: emissions without the portfolio minus emissions with it.

    Parameters
    ----------
    co2_counterfactual_t : float or array-like
        Power-sector CO2 without the portfolio [t].
    co2_with_portfolio_t : float or array-like
        The same with the portfolio [t].

    Returns
    -------
    float or numpy.ndarray
        CO2 avoided [t], exactly the difference.

    References
    ----------
    Same counterfactual accounting as :func:`gas_saved_mcm`.
    """
    without = finite_array("co2_counterfactual_t", co2_counterfactual_t, non_negative=True)
    with_portfolio = finite_array("co2_with_portfolio_t", co2_with_portfolio_t, non_negative=True)
    _same_length("co2_counterfactual_t", without, "co2_with_portfolio_t", with_portfolio)
    avoided = without - with_portfolio
    return float(avoided[0]) if np.ndim(co2_counterfactual_t) == 0 else avoided


@dataclass(frozen=True)
class GasValue:
    """Gas saved in a year and what it is worth.

    Attributes
    ----------
    gas_saved_mcm : float
        [million m3 per year].
    domestic_value_usd : float
        At the regulated power-plant price: the power sector's fuel bill saving [USD/yr].
    export_value_usd : float
        At the export value: what the country earns exporting the saved gas [USD/yr].
    export_premium_usd : float
        ``export_value_usd - domestic_value_usd``: the value of exporting the gas rather
        than burning it at home, beyond the fuel bill [USD/yr].
    co2_avoided_t : float
        CO2 from burning the saved gas at the Gas spec's factor [t/yr].
    """

    gas_saved_mcm: float
    domestic_value_usd: float
    export_value_usd: float
    export_premium_usd: float
    co2_avoided_t: float


def value_gas_saved(gas_saved_per_year_mcm: float, gas: Gas) -> GasValue:
    """Value one year's gas saving at the domestic price and at the export value.

    Parameters
    ----------
    gas_saved_per_year_mcm : float
        Gas saved in a year [million m3], from :func:`gas_saved_mcm`.
    gas : Gas
        Prices [USD per 1000 m3], LHV [MJ/m3] and CO2 factor [t/TJ] (FACTS 1.6, 1.7).

    Returns
    -------
    GasValue
        The saving, its two values and the CO2 of burning it.

    References
    ----------
    FACTS 1.6 (modelling note: domestic about 3 USD/GJ, export about 8-10 USD/GJ);
    :func:`co2_from_gas_t` for CO2.
    """
    saved = finite_number("gas_saved_per_year_mcm", gas_saved_per_year_mcm)
    domestic = float(gas_value_usd(saved, gas.power_plant_price_usd_per_1000m3))
    export = float(gas_value_usd(saved, gas.export_value_usd_per_1000m3))
    return GasValue(
        gas_saved_mcm=saved,
        domestic_value_usd=domestic,
        export_value_usd=export,
        export_premium_usd=export - domestic,
        co2_avoided_t=float(co2_from_gas_t(saved, gas)),
    )


def lifetime_total(first_year_value: float, lifetime_years: int, output_by_year=None) -> float:
    """Total over the operating years of a yearly figure that scales with output.

    Parameters
    ----------
    first_year_value : float
        The figure in the first operating year (gas [million m3], CO2 [t], ...).
    lifetime_years : int
        Operating years N [yr].
    output_by_year : array-like, optional
        ``N + 1`` output factors relative to the first year (index 0 the construction
        year), e.g. :func:`.cashflow.degradation_factors`; default: the first year repeated.

    Returns
    -------
    float
        Sum over years 1..N (undiscounted), in the unit of ``first_year_value``.

    References
    ----------
    Assumes the gas (or CO2) saving scales with the portfolio's output and the rest of the
    grid stays as in the dispatch year; a stated simplification, not a model of grid growth.
    """
    first = finite_number("first_year_value", first_year_value)
    return first * float(_output_factors(lifetime_years, output_by_year)[1:].sum())


def lifetime_present_value(
    first_year_value: float, lifetime_years: int, discount_rate: float, output_by_year=None
) -> float:
    """Present value of a yearly figure over the operating years, discounted to the construction year.

    ``sum_{t=1..N} v f_t / (1 + r) ** t``: the same stream as :func:`lifetime_total`, each
    operating year ``t`` discounted by ``(1 + r) ** t`` to ``t = 0``, as the projects' NPVs are.
    For money [USD] it is the present value. For a physical quantity (gas [million m3], CO2
    [t]) it is a *discounted quantity*, the denominator of a levelised cost (USD per m3 saved
    or per t avoided = PV of cost / discounted quantity), not an amount of gas or CO2.

    Parameters
    ----------
    first_year_value : float
        The figure in the first operating year.
    lifetime_years : int
        Operating years N [yr].
    discount_rate : float
        Real discount rate r [fraction/yr].
    output_by_year : array-like, optional
        As in :func:`lifetime_total`.

    Returns
    -------
    float
        In the unit of ``first_year_value``; a level stream gives ``v (1 - (1 + r) ** -N) / r``
        (the annuity factor times ``v``).

    References
    ----------
    :func:`.metrics.present_value_usd` (``numpy_financial.npv``); the discounted energy or
    quantity of a levelised cost as in Short, Packey and Holt, NREL/TP-462-5173 (1995).
    """
    first = finite_number("first_year_value", first_year_value)
    stream = first * _output_factors(lifetime_years, output_by_year)
    stream[0] = 0.0  # the construction year saves nothing, as in lifetime_total
    return present_value_usd(stream, discount_rate)


def _output_factors(lifetime_years: int, output_by_year=None) -> np.ndarray:
    """``N + 1`` output factors (index 0 the construction year, 0 when defaulted): given, or 1 in every year."""
    years = finite_number("lifetime_years", lifetime_years, low=1, high=100)
    if years != int(years):
        raise InputError(f"economics: lifetime_years = {years:g}; expected a whole number of years")
    if output_by_year is None:
        return np.r_[0.0, np.ones(int(years))]
    factors = finite_array("output_by_year", output_by_year, min_length=2, non_negative=True)
    if factors.size != years + 1:
        raise InputError(
            f"economics: output_by_year has {factors.size} values; expected lifetime_years + 1 = {years + 1:g}"
        )
    return factors


def lifetime_gas_saved_bcm(gas_saved_per_year_mcm: float, lifetime_years: int, output_by_year=None) -> float:
    """Gas saved over the lifetime [bcm] from one year's saving [million m3].

    See :func:`lifetime_total` for the arguments and the assumption behind it.
    """
    return lifetime_total(gas_saved_per_year_mcm, lifetime_years, output_by_year) / MCM_PER_BCM


def _same_length(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    if a.size != b.size:
        raise InputError(f"economics: {name_a} has {a.size} values but {name_b} has {b.size}; expected the same years")


def _float_if_scalar(values: np.ndarray):
    return float(values) if values.ndim == 0 else values
