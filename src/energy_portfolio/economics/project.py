"""One site's or the portfolio's economics from first-year energies and revenues.

This is the layer the portfolio wiring calls: it turns the specs and the figures of one
production and dispatch year into lifetime cash flows (:mod:`.cashflow`) and the metrics of
:mod:`.metrics`, under stated conventions:

* year 0 is construction (overnight capex), years 1..N operate; real USD, real discount rate;
* output (net and delivered energy, market revenue) falls with ``degradation_per_year``;
  market prices stay those of the dispatch year in real terms;
* variable opex is paid on delivered energy for cash flows and the delivered-energy LCOE,
  on net energy for the net-energy LCOE;
* a site with a PPA price is valued at the PPA (``revenue_basis = "ppa"``), otherwise at the
  hourly marginal prices of the dispatch (``"market"``); both are kept when both are known.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields

import numpy as np

from ..config.site import Economics
from ..errors import InputError
from ._checks import finite_number
from .cashflow import (
    capex_usd,
    cost_by_year_usd,
    degradation_factors,
    ppa_revenue_by_year_usd,
    revenue_by_year_usd,
)
from .metrics import Irr, internal_rate_of_return, lcoe_usd_per_mwh, npv_usd, payback_year

__all__ = ["Valuation", "ProjectEconomics", "ProjectInputs", "evaluate_project", "evaluate_portfolio"]


@dataclass(frozen=True)
class Valuation:
    """A project valued against one revenue stream.

    Attributes
    ----------
    basis : str
        ``"ppa"``, ``"market"`` or (portfolio) ``"own_basis"``.
    revenue_by_year_usd, net_by_year_usd : numpy.ndarray
        Revenue and revenue minus costs per year [USD, real], index 0 construction.
    npv_usd : float
        Net present value at the real discount rate [USD].
    irr : Irr
        Internal rate of return [fraction/yr, real] or why it is undefined.
    payback_year : int or None
        Operating year (1-based) from whose end the cumulative cash flow stays non-negative.
    """

    basis: str
    revenue_by_year_usd: np.ndarray
    net_by_year_usd: np.ndarray
    npv_usd: float
    irr: Irr
    payback_year: int | None


@dataclass(frozen=True)
class ProjectEconomics:
    """Lifetime economics of a site or of the portfolio.

    Attributes
    ----------
    start_year : int or None
        Calendar year of index 0 (construction); the first operating year is
        ``start_year + 1``. None when no commissioning year was given.
    discount_rate : float
        Real discount rate [fraction/yr].
    capex_usd : float
        Overnight capital cost [USD].
    cost_by_year_usd : numpy.ndarray
        All costs per year [USD], variable opex on delivered energy.
    net_energy_by_year_mwh, delivered_by_year_mwh : numpy.ndarray
        Energy per year [MWh] at the connection before and after dispatch curtailment.
    lcoe_usd_per_mwh, lcoe_delivered_usd_per_mwh : float
        LCOE on net and on delivered energy [USD/MWh].
    ppa, market : Valuation or None
        Valuation at the PPA price and at the hourly marginal prices, when known.
    own_basis : Valuation or None
        Portfolio only: each site valued on its own basis (its PPA if it has one, else
        the market) and added up.
    lcoe_energy_basis : str
        What the net energy of ``lcoe_usd_per_mwh`` is, as the caller stated it (the run:
        ``p50_weather_years``, ``typical_year`` or, for storage, ``dispatch_discharge``; the
        portfolio: its sites' basis when they share one, else ``mixed``).
    """

    start_year: int | None
    discount_rate: float
    capex_usd: float
    cost_by_year_usd: np.ndarray
    net_energy_by_year_mwh: np.ndarray
    delivered_by_year_mwh: np.ndarray
    lcoe_usd_per_mwh: float | None
    lcoe_delivered_usd_per_mwh: float | None
    ppa: Valuation | None
    market: Valuation | None
    own_basis: Valuation | None = None
    lcoe_energy_basis: str = "given"

    @property
    def lifetime_years(self) -> int:
        return int(self.cost_by_year_usd.size - 1)

    @property
    def primary(self) -> Valuation | None:
        """The valuation reported as ``npv_usd``: PPA, else own basis (portfolio), else market."""
        for valuation in (self.ppa, self.own_basis, self.market):
            if valuation is not None:
                return valuation
        return None


def evaluate_project(
    economics: Economics,
    *,
    capacity_mw: float,
    lifetime_years: int,
    degradation_per_year: float,
    net_energy_mwh: float,
    delivered_mwh: float,
    market_revenue_usd: float | None = None,
    energy_capacity_mwh: float | None = None,
    commissioning_year: int | None = None,
    energy_basis: str = "given",
) -> ProjectEconomics:
    """Lifetime cash flows, LCOE, NPV, IRR and payback of one site.

    Parameters
    ----------
    economics : Economics
        The site's ``economics`` block.
    capacity_mw : float
        The site's ``capacity_mw`` [MW] (AC for solar, power rating for a battery).
    lifetime_years : int
        ``lifetime_years`` of the site [yr].
    degradation_per_year : float
        Annual output degradation [fraction/yr] (``degradation_per_year`` of a solar or
        wind site; for a battery e.g. its calendar fade, or 0).
    net_energy_mwh : float
        First-year net energy at the connection before dispatch [MWh] (a battery: its
        discharge), e.g. the P50.
    delivered_mwh : float
        First-year energy delivered after curtailment [MWh], at most ``net_energy_mwh``
        for a generator.
    market_revenue_usd : float, optional
        First-year revenue at the hourly marginal prices [USD], from
        :func:`.cashflow.market_revenue_usd`.
    energy_capacity_mwh : float, optional
        Storage energy [MWh], needed with ``capex_usd_per_kwh``.
    commissioning_year : int, optional
        First operating year, to place the project in calendar years.
    energy_basis : str, optional
        What ``net_energy_mwh`` is (e.g. ``p50_weather_years``), kept as
        ``ProjectEconomics.lcoe_energy_basis``.

    Returns
    -------
    ProjectEconomics

    References
    ----------
    :mod:`.cashflow` and :mod:`.metrics`.
    """
    rate = economics.discount_rate_real
    factors = degradation_factors(degradation_per_year, lifetime_years)
    years = factors.size - 1
    net_energy = finite_number("net_energy_mwh", net_energy_mwh, low=0.0) * factors
    delivered = finite_number("delivered_mwh", delivered_mwh, low=0.0) * factors
    costs = cost_by_year_usd(economics, capacity_mw, delivered, energy_capacity_mwh)
    costs_net_basis = cost_by_year_usd(economics, capacity_mw, net_energy, energy_capacity_mwh)
    ppa = None
    if economics.ppa_price_usd_per_mwh is not None:
        ppa = _valuation("ppa", ppa_revenue_by_year_usd(economics, delivered), costs, rate)
    market = None
    if market_revenue_usd is not None:
        revenue = revenue_by_year_usd(market_revenue_usd, degradation_per_year, years)
        market = _valuation("market", revenue, costs, rate)
    return ProjectEconomics(
        start_year=None if commissioning_year is None else int(commissioning_year) - 1,
        discount_rate=rate,
        capex_usd=capex_usd(economics, capacity_mw, energy_capacity_mwh),
        cost_by_year_usd=costs,
        net_energy_by_year_mwh=net_energy,
        delivered_by_year_mwh=delivered,
        lcoe_usd_per_mwh=_lcoe_or_none(costs_net_basis, net_energy, rate),
        lcoe_delivered_usd_per_mwh=_lcoe_or_none(costs, delivered, rate),
        ppa=ppa,
        market=market,
        lcoe_energy_basis=energy_basis,
    )


def _lcoe_or_none(costs: np.ndarray, energy: np.ndarray, rate: float) -> float | None:
    """The LCOE, or None when no energy is produced over the lifetime (a battery that never
    discharges, a plant curtailed to zero): a cost per MWh of nothing is undefined, not infinite."""
    if not np.any(energy > 0.0):
        return None
    return lcoe_usd_per_mwh(costs, energy, rate)


def evaluate_portfolio(
    projects: Mapping[str, ProjectEconomics],
    *,
    discount_rate: float | None = None,
    exclude_energy_of: Collection[str] = (),
) -> ProjectEconomics:
    """The portfolio as one project: the sites' cash flows added year by calendar year.

    Parameters
    ----------
    projects : Mapping[str, ProjectEconomics]
        Each site's economics by site id. Sites with a ``start_year`` are placed in
        calendar years; if any lacks one, all are taken to start together.
    discount_rate : float, optional
        Real rate for the portfolio [fraction/yr]; default the capex-weighted mean of the
        sites' rates (a weighted cost of capital).
    exclude_energy_of : collection of str
        Site ids whose energy is not counted in the portfolio's energy (a battery, whose
        discharge is energy the generators already produced); their costs and revenues count.

    Returns
    -------
    ProjectEconomics
        ``start_year`` the earliest site's; LCOE on the summed energies; ``ppa`` None;
        ``market`` every site at the hourly marginal prices (when every site has a market
        valuation); ``own_basis`` each site on its own primary basis (its PPA if it has
        one, else the market), when every site has one.

    References
    ----------
    Additivity of cash flows; LCOE as in :func:`.metrics.lcoe_usd_per_mwh`.
    """
    if not projects:
        raise InputError("economics: the portfolio has no sites to evaluate")
    unknown = set(exclude_energy_of) - set(projects)
    if unknown:
        raise InputError(f"economics: exclude_energy_of names {sorted(unknown)}, which are not sites of the portfolio")
    items = list(projects.items())
    calendar = all(p.start_year is not None for _, p in items)
    starts = {name: (p.start_year if calendar else 0) for name, p in items}
    first = min(starts.values())
    length = max(starts[name] - first + p.cost_by_year_usd.size for name, p in items)

    def total(pick, names) -> np.ndarray:
        out = np.zeros(length)
        for name, project in items:
            if name in names:
                offset = starts[name] - first
                values = pick(project)
                out[offset : offset + values.size] += values
        return out

    everyone = set(projects)
    counted = everyone - set(exclude_energy_of)
    costs = total(lambda p: p.cost_by_year_usd, everyone)
    net_energy = total(lambda p: p.net_energy_by_year_mwh, counted)
    delivered = total(lambda p: p.delivered_by_year_mwh, counted)
    if discount_rate is None:
        capex = np.array([p.capex_usd for _, p in items])
        rates = np.array([p.discount_rate for _, p in items])
        rate = float(np.average(rates, weights=capex)) if capex.sum() > 0 else float(rates.mean())
    else:
        rate = finite_number("discount_rate", discount_rate, low=0.0, high=1.0)
    market = None
    if all(p.market is not None for _, p in items):
        market = _valuation("market", total(lambda p: p.market.revenue_by_year_usd, everyone), costs, rate)
    own_basis = None
    if all(p.primary is not None for _, p in items):
        own_basis = _valuation("own_basis", total(lambda p: p.primary.revenue_by_year_usd, everyone), costs, rate)
    bases = {p.lcoe_energy_basis for name, p in items if name in counted}
    return ProjectEconomics(
        start_year=first if calendar else None,
        discount_rate=rate,
        capex_usd=float(sum(p.capex_usd for _, p in items)),
        cost_by_year_usd=costs,
        net_energy_by_year_mwh=net_energy,
        delivered_by_year_mwh=delivered,
        lcoe_usd_per_mwh=_lcoe_or_none(costs, net_energy, rate),
        lcoe_delivered_usd_per_mwh=_lcoe_or_none(costs, delivered, rate),
        ppa=None,
        market=market,
        own_basis=own_basis,
        lcoe_energy_basis=_shared_basis(bases),
    )


def _shared_basis(bases: set[str]) -> str:
    """The basis the counted sites share, ``mixed`` when they differ, ``given`` when none is counted."""
    if len(bases) == 1:
        return next(iter(bases))
    return "mixed" if bases else "given"


def _valuation(basis: str, revenue: np.ndarray, costs: np.ndarray, rate: float) -> Valuation:
    net = revenue - costs
    return Valuation(
        basis=basis,
        revenue_by_year_usd=revenue,
        net_by_year_usd=net,
        npv_usd=npv_usd(net, rate),
        irr=internal_rate_of_return(net),
        payback_year=payback_year(net),
    )


@dataclass(frozen=True)
class ProjectInputs:
    """The arguments of :func:`evaluate_project` for one site, kept so that a case can be re-priced.

    Attributes are those of :func:`evaluate_project`, with the same units; :meth:`evaluate`
    calls it with them. The run builds each site's inputs and evaluates them; the
    sensitivity (:mod:`.sensitivity`) re-prices changed copies of them.
    """

    economics: Economics
    capacity_mw: float
    lifetime_years: int
    degradation_per_year: float
    net_energy_mwh: float
    delivered_mwh: float
    market_revenue_usd: float | None = None
    energy_capacity_mwh: float | None = None
    commissioning_year: int | None = None
    energy_basis: str = "given"

    def evaluate(self) -> ProjectEconomics:
        """:func:`evaluate_project` of these inputs."""
        arguments = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "economics"}
        return evaluate_project(self.economics, **arguments)
