"""Real cash flows and energy per year of a project's life.

Every ``*_by_year`` array here has ``lifetime_years + 1`` entries indexed by year ``t``:
``t = 0`` is the construction year (overnight capex, no energy), ``t = 1 .. N`` are the
operating years. This is the layout ``numpy_financial.npv`` discounts (the value at index
``t`` is discounted by ``(1 + r) ** t``). All money is in real (constant) US dollars of the
study year, so it is discounted at the real rate of :class:`~energy_portfolio.config.site.Economics`.
"""

from __future__ import annotations

import numpy as np

from ..config.site import Economics
from ..errors import InputError
from ..units import KW_PER_MW
from ._checks import finite_array, finite_number

__all__ = [
    "degradation_factors",
    "energy_by_year_mwh",
    "capex_usd",
    "cost_by_year_usd",
    "ppa_revenue_by_year_usd",
    "market_revenue_usd",
    "revenue_by_year_usd",
]


def degradation_factors(degradation_per_year: float, lifetime_years: int) -> np.ndarray:
    """Output of each year relative to the first operating year.

    Parameters
    ----------
    degradation_per_year : float
        Annual degradation of output [fraction/yr], 0..1.
    lifetime_years : int
        Operating years N [yr].

    Returns
    -------
    numpy.ndarray
        ``N + 1`` factors: 0 in the construction year, then ``(1 - d) ** (t - 1)`` for
        ``t = 1 .. N`` [fraction].

    References
    ----------
    Geometric (compounding) degradation at a constant rate, the form in which degradation
    rates are reported in D. C. Jordan and S. R. Kurtz, "Photovoltaic degradation rates -
    an analytical review", Prog. Photovolt. 21 (2013) 12-29, doi:10.1002/pip.1182.
    """
    rate = finite_number("degradation_per_year", degradation_per_year, low=0.0, high=1.0)
    years = _lifetime(lifetime_years)
    factors = np.zeros(years + 1)
    factors[1:] = (1.0 - rate) ** np.arange(years)
    return factors


def energy_by_year_mwh(first_year_mwh: float, degradation_per_year: float, lifetime_years: int) -> np.ndarray:
    """Energy of each year of life from the first operating year's energy.

    Parameters
    ----------
    first_year_mwh : float
        Energy in the first operating year [MWh], e.g. the P50 of net or delivered energy.
    degradation_per_year : float
        Annual degradation [fraction/yr].
    lifetime_years : int
        Operating years N [yr].

    Returns
    -------
    numpy.ndarray
        ``N + 1`` values [MWh], 0 in the construction year.

    References
    ----------
    :func:`degradation_factors`.
    """
    first = finite_number("first_year_mwh", first_year_mwh, low=0.0)
    return first * degradation_factors(degradation_per_year, lifetime_years)


def capex_usd(economics: Economics, capacity_mw: float, energy_capacity_mwh: float | None = None) -> float:
    """Overnight capital cost of a site.

    Parameters
    ----------
    economics : Economics
        The site's cost inputs; ``capex_usd_per_kw`` applies to ``capacity_mw`` and
        ``capex_usd_per_kwh`` to ``energy_capacity_mwh``.
    capacity_mw : float
        The site's ``capacity_mw`` [MW] (AC capacity for solar, power rating for a battery).
    energy_capacity_mwh : float, optional
        Storage energy capacity [MWh]; required when ``capex_usd_per_kwh`` is given.

    Returns
    -------
    float
        Capital cost [USD].

    References
    ----------
    Overnight-cost convention, as SAM's simple LCOE (PySAM ``Lcoefcr``, ``capital_cost``):
    all capital is one amount spent in the year before operation starts (``t = 0``).
    """
    capacity_kw = finite_number("capacity_mw", capacity_mw, low=0.0) * KW_PER_MW
    total = (economics.capex_usd_per_kw or 0.0) * capacity_kw
    if economics.capex_usd_per_kwh is not None:
        if energy_capacity_mwh is None:
            raise InputError(
                "economics: capex_usd_per_kwh is given but the site has no energy capacity;"
                " expected energy_capacity_mwh for a storage site"
            )
        energy_kwh = finite_number("energy_capacity_mwh", energy_capacity_mwh, low=0.0) * KW_PER_MW
        total += economics.capex_usd_per_kwh * energy_kwh
    return total


def cost_by_year_usd(
    economics: Economics,
    capacity_mw: float,
    energy_by_year_mwh,
    energy_capacity_mwh: float | None = None,
) -> np.ndarray:
    """All costs of each year of life: capex, fixed and variable opex, decommissioning.

    Parameters
    ----------
    economics : Economics
        The site's cost inputs.
    capacity_mw : float
        Capacity the per-kW figures apply to [MW].
    energy_by_year_mwh : array-like
        ``N + 1`` energies [MWh] that incur the variable opex (index 0 must be 0);
        see :func:`energy_by_year_mwh`.
    energy_capacity_mwh : float, optional
        Storage energy capacity [MWh], for ``capex_usd_per_kwh``.

    Returns
    -------
    numpy.ndarray
        ``N + 1`` costs [USD, real]: capex at ``t = 0``; fixed opex
        (``fixed_opex_usd_per_kw_year * capacity``) plus variable opex
        (``variable_opex_usd_per_mwh * energy``) in each operating year; the decommissioning
        cost (``decommissioning_usd_per_kw * capacity``) added to the last year.

    References
    ----------
    Cost streams of the discounted-cash-flow LCOE in W. Short, D. J. Packey and T. Holt,
    "A Manual for the Economic Evaluation of Energy Efficiency and Renewable Energy
    Technologies", NREL/TP-462-5173 (1995), discounted cash flow of costs.
    """
    energy = finite_array("energy_by_year_mwh", energy_by_year_mwh, min_length=2, non_negative=True)
    if energy[0] != 0.0:
        raise InputError(
            f"economics: energy_by_year_mwh[0] = {energy[0]:g}; expected 0 (index 0 is the construction year)"
        )
    capacity_kw = finite_number("capacity_mw", capacity_mw, low=0.0) * KW_PER_MW
    costs = economics.variable_opex_usd_per_mwh * energy
    costs[0] = capex_usd(economics, capacity_mw, energy_capacity_mwh)
    costs[1:] += economics.fixed_opex_usd_per_kw_year * capacity_kw
    costs[-1] += economics.decommissioning_usd_per_kw * capacity_kw
    return costs


def ppa_revenue_by_year_usd(economics: Economics, delivered_by_year_mwh) -> np.ndarray:
    """Revenue under the site's PPA: the contracted price times the delivered energy.

    Parameters
    ----------
    economics : Economics
        Must give ``ppa_price_usd_per_mwh``; ``ppa_escalation_per_year`` changes the real
        price by ``(1 + e) ** (t - 1)`` in operating year ``t``.
    delivered_by_year_mwh : array-like
        ``N + 1`` delivered energies [MWh] (index 0 is 0). The PPA pays delivered energy
        only: curtailed energy earns nothing (no deemed-energy clause is modelled).

    Returns
    -------
    numpy.ndarray
        ``N + 1`` revenues [USD, real], 0 at ``t = 0``.

    References
    ----------
    A pay-as-delivered PPA, as in the Azerbaijani auction tariffs (FACTS 5.2).
    """
    if economics.ppa_price_usd_per_mwh is None:
        raise InputError("economics: ppa_price_usd_per_mwh is not given; expected a PPA price for PPA revenue")
    delivered = finite_array("delivered_by_year_mwh", delivered_by_year_mwh, min_length=2, non_negative=True)
    years = np.arange(delivered.size)
    price = economics.ppa_price_usd_per_mwh * (1.0 + economics.ppa_escalation_per_year) ** np.maximum(years - 1, 0)
    revenue = price * delivered
    revenue[0] = 0.0
    return revenue


def market_revenue_usd(delivered_mwh, price_usd_per_mwh) -> float:
    """Market revenue of one year: hourly delivered energy times the hourly marginal price.

    Parameters
    ----------
    delivered_mwh : array-like
        Energy delivered to the grid in each hour [MWh]. Negative values (a battery
        charging from the grid) are costs at that hour's price.
    price_usd_per_mwh : array-like
        Marginal price (dual of the energy balance) of the site's zone in the same hours [USD/MWh].

    Returns
    -------
    float
        Revenue [USD].

    References
    ----------
    Market value at the system marginal price: L. Hirth, "The market value of variable
    renewables", Energy Economics 38 (2013) 218-236, doi:10.1016/j.eneco.2013.02.004.
    """
    delivered = finite_array("delivered_mwh", delivered_mwh)
    price = finite_array("price_usd_per_mwh", price_usd_per_mwh)
    if delivered.size != price.size:
        raise InputError(
            f"economics: delivered_mwh has {delivered.size} hours but price_usd_per_mwh has {price.size};"
            " expected one price for every hour"
        )
    return float(np.dot(delivered, price))


def revenue_by_year_usd(first_year_revenue_usd: float, degradation_per_year: float, lifetime_years: int) -> np.ndarray:
    """Revenue of each year of life from the first year's, following the output's degradation.

    Prices are held constant in real terms: the first year's market (the dispatch year) is
    repeated, and revenue falls with output.

    Parameters
    ----------
    first_year_revenue_usd : float
        Revenue of the first operating year [USD], e.g. from :func:`market_revenue_usd`.
    degradation_per_year : float
        Annual degradation of output [fraction/yr].
    lifetime_years : int
        Operating years N [yr].

    Returns
    -------
    numpy.ndarray
        ``N + 1`` revenues [USD, real], 0 at ``t = 0``.

    References
    ----------
    :func:`degradation_factors`.
    """
    first = finite_number("first_year_revenue_usd", first_year_revenue_usd)
    return first * degradation_factors(degradation_per_year, lifetime_years)


def _lifetime(lifetime_years: int) -> int:
    years = finite_number("lifetime_years", lifetime_years, low=1, high=100)
    if years != int(years):
        raise InputError(f"economics: lifetime_years = {years:g}; expected a whole number of years")
    return int(years)
