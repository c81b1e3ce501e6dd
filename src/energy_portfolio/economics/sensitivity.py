"""One-at-a-time sensitivity of NPV and LCOE to capex, discount rate, energy and price (tornado data).

Each driver moves from the base case on its own, down and up, and every site and the portfolio
are valued again with :func:`.project.evaluate_project` and :func:`.project.evaluate_portfolio`
on changed copies of the base case's :class:`.project.ProjectInputs`:

* ``capex``: each site's capex per kW and per kWh times ``1 -+ capex_fraction``;
* ``discount_rate``: each site's real rate ``-+ discount_rate_points`` (kept within 0..1); the
  portfolio's rate, the capex-weighted mean of the sites', moves by the same points;
* ``energy``: each generating site's first-year net energy, delivered energy and market revenue
  times ``P90 / P50`` and ``P10 / P50`` (at ``energy_exceedance_probability`` and its mirror).
  The portfolio's case scales every generating site by the portfolio's own ratio when it has
  P-values (several weather years); otherwise each site by its own ratio, all sites at their
  P90 together (perfect correlation: a lower bound on the portfolio's P90). Storage is unchanged;
* ``price``: the PPA price and the revenue at the dispatch's marginal prices times
  ``1 -+ price_fraction``.

These re-price the cash flows only: production and dispatch are not run again. So a case keeps
the study year's dispatch: at another energy the dispatch would curtail a different share and
the marginal prices (so the capture price) would move with it; a changed price or capex would
not change the dispatch, which prices energy at marginal cost. NPV and LCOE are linear in capex
and NPV is linear in price and in the energy factor, so those rows are exact for these
cash-flow models; the energy row is the cash-flow effect of the energy alone.

References
----------
One-at-a-time ("tornado") sensitivity as in W. Short, D. J. Packey and T. Holt, "A Manual for
the Economic Evaluation of Energy Efficiency and Renewable Energy Technologies",
NREL/TP-462-5173 (1995), ch. 7 (sensitivity analysis).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config.portfolio import SensitivityOptions
from ..errors import InputError
from ._checks import finite_number
from .project import ProjectEconomics, ProjectInputs, evaluate_portfolio
from .uncertainty import exceedance_level

__all__ = [
    "PORTFOLIO",
    "SENSITIVITY_COLUMNS",
    "EnergyRange",
    "Sensitivity",
    "energy_range",
    "sensitivity",
    "with_capex",
    "with_discount_rate",
    "with_energy",
    "with_price",
]

PORTFOLIO = "portfolio"
"""The project name of the portfolio's rows (as in ``PortfolioResult.economics``)."""

SENSITIVITY_COLUMNS = (
    "project",
    "driver",
    "input_unit",
    "low_case",
    "high_case",
    "low_input",
    "high_input",
    "npv_base_usd",
    "npv_low_usd",
    "npv_high_usd",
    "lcoe_base_usd_per_mwh",
    "lcoe_low_usd_per_mwh",
    "lcoe_high_usd_per_mwh",
)
"""Columns of :attr:`Sensitivity.table`: ``low_*`` is the case with the lower input, not the lower figure."""


@dataclass(frozen=True)
class EnergyRange:
    """A project's annual net energy at the base (P50) and at the low and high exceedance levels [MWh/yr].

    Attributes
    ----------
    p50_mwh, low_mwh, high_mwh : float
        Net energy of the same year at the P50, at the low level (e.g. the P90) and at the
        high level (e.g. the P10) [MWh/yr].
    low_case, high_case : str
        Their names, e.g. ``"P90"`` and ``"P10"``.
    """

    p50_mwh: float
    low_mwh: float
    high_mwh: float
    low_case: str = "P90"
    high_case: str = "P10"

    @property
    def factors(self) -> tuple[float, float]:
        """``(low / P50, high / P50)``."""
        return self.low_mwh / self.p50_mwh, self.high_mwh / self.p50_mwh


def energy_range(p50_mwh: float, total_uncertainty_fraction: float, exceedance_probability: float) -> EnergyRange:
    """The energy at an exceedance level and at its mirror, under the normal approximation of the P-values.

    Parameters
    ----------
    p50_mwh : float
        The P50 [MWh/yr], positive.
    total_uncertainty_fraction : float
        The 1-sigma total uncertainty of the P-values [fraction of the P50].
    exceedance_probability : float
        The low case's exceedance probability, in (0.5, 1) (0.9: the P90); the high case is
        ``1 - exceedance_probability`` (the P10).

    Returns
    -------
    EnergyRange
        The low level is at least 0 (a normal approximation can fall below 0 only with an
        uncertainty above 78 % at the P90).

    References
    ----------
    :func:`.uncertainty.exceedance_level` (IEA-PVPS T13-12:2018, ch. 3).
    """
    p50 = finite_number("p50_mwh", p50_mwh)
    if p50 <= 0.0:
        raise InputError(f"economics: p50_mwh = {p50:g}; the energy range needs a positive P50")
    probability = finite_number("exceedance_probability", exceedance_probability, low=0.5, high=1.0)
    low = max(0.0, exceedance_level(p50, total_uncertainty_fraction, probability))
    high = exceedance_level(p50, total_uncertainty_fraction, 1.0 - probability)
    return EnergyRange(p50, low, high, f"P{100 * probability:g}", f"P{100 * (1.0 - probability):g}")


def with_capex(inputs: ProjectInputs, factor: float) -> ProjectInputs:
    """The inputs with capex per kW and per kWh times ``factor``."""
    economics = inputs.economics
    scaled = {name: None if value is None else value * factor
              for name, value in (("capex_usd_per_kw", economics.capex_usd_per_kw),
                                  ("capex_usd_per_kwh", economics.capex_usd_per_kwh))}
    return dataclasses.replace(inputs, economics=economics.model_copy(update=scaled))


def with_discount_rate(inputs: ProjectInputs, shift: float) -> ProjectInputs:
    """The inputs with the real discount rate moved by ``shift`` [fraction], kept within 0..1."""
    rate = min(1.0, max(0.0, inputs.economics.discount_rate_real + shift))
    return dataclasses.replace(inputs, economics=inputs.economics.model_copy(update={"discount_rate_real": rate}))


def with_energy(inputs: ProjectInputs, factor: float) -> ProjectInputs:
    """The inputs with net energy, delivered energy and market revenue times ``factor`` (prices unchanged)."""
    revenue = None if inputs.market_revenue_usd is None else inputs.market_revenue_usd * factor
    return dataclasses.replace(inputs, net_energy_mwh=inputs.net_energy_mwh * factor,
                               delivered_mwh=inputs.delivered_mwh * factor, market_revenue_usd=revenue)


def with_price(inputs: ProjectInputs, factor: float) -> ProjectInputs:
    """The inputs with the PPA price and the market revenue times ``factor`` (energy unchanged)."""
    economics = inputs.economics
    ppa = economics.ppa_price_usd_per_mwh
    revenue = None if inputs.market_revenue_usd is None else inputs.market_revenue_usd * factor
    return dataclasses.replace(
        inputs,
        economics=economics.model_copy(update={"ppa_price_usd_per_mwh": None if ppa is None else ppa * factor}),
        market_revenue_usd=revenue,
    )


@dataclass(frozen=True)
class Sensitivity:
    """The sensitivity of every site and of the portfolio.

    Attributes
    ----------
    table : pandas.DataFrame
        Tidy, one row per project and driver, columns :data:`SENSITIVITY_COLUMNS`: ``project``
        (a site id or ``"portfolio"``), ``driver`` (``capex``, ``discount_rate``, ``energy``,
        ``price``), ``input_unit`` and the ``low_input`` / ``high_input`` of the two cases
        (``capex``: overnight capex [USD]; ``discount_rate``: the real rate [fraction/yr];
        ``energy``: net energy of the study year [MWh/yr]; ``price``: the factor on the base
        prices [fraction]), ``low_case`` / ``high_case`` (their names, e.g. ``-20 %``,
        ``P90``), the NPV [USD] and the LCOE on net energy [USD/MWh] of the base and of each case
        (NaN where undefined: no revenue, no energy).
    """

    table: pd.DataFrame

    def of(self, project: str) -> pd.DataFrame:
        """One project's rows, indexed by driver."""
        rows = self.table[self.table["project"] == project]
        if rows.empty:
            raise KeyError(f"'{project}' has no sensitivity rows (projects: {sorted(set(self.table['project']))})")
        return rows.drop(columns="project").set_index("driver")


def sensitivity(
    inputs: Mapping[str, ProjectInputs],
    options: SensitivityOptions,
    energy: Mapping[str, EnergyRange],
    portfolio_energy: EnergyRange | None = None,
    exclude_energy_of: Collection[str] = (),
) -> Sensitivity:
    """NPV and LCOE of every site and of the portfolio with each driver moved down and up, one at a time.

    Parameters
    ----------
    inputs : Mapping[str, ProjectInputs]
        The base case of each site, by site id (what the run evaluated).
    options : SensitivityOptions
        The ranges (``options.sensitivity`` of the portfolio).
    energy : Mapping[str, EnergyRange]
        The energy range of each generating site (from its P-values, in the units of its P50);
        sites without one (storage) have no ``energy`` row and keep their energy in every case.
    portfolio_energy : EnergyRange, optional
        The portfolio's own range (its P-values over weather years); without it the portfolio
        case puts every site at its own low and high level together, and its inputs are the sums.
    exclude_energy_of : collection of str
        Sites whose energy the portfolio does not count (storage), as in
        :func:`.project.evaluate_portfolio`.

    Returns
    -------
    Sensitivity
        Rows by project (the sites in the order given, then ``"portfolio"``) and driver.

    References
    ----------
    See the module docstring: cash flows re-priced, production and dispatch not re-run.
    """
    if not inputs:
        raise InputError("economics: the sensitivity has no sites to evaluate")
    unknown = set(energy) - set(inputs)
    if unknown:
        raise InputError(f"economics: energy ranges name {sorted(unknown)}, which are not sites of the portfolio")

    def evaluate(changed: Mapping[str, ProjectInputs]) -> dict[str, ProjectEconomics]:
        projects = {site: case.evaluate() for site, case in changed.items()}
        return projects | {PORTFOLIO: evaluate_portfolio(projects, exclude_energy_of=exclude_energy_of)}

    def moved(change: Callable[[ProjectInputs, float], ProjectInputs], amount: float) -> dict[str, ProjectEconomics]:
        return evaluate({site: change(case, amount) for site, case in inputs.items()})

    base = evaluate(inputs)
    capex, points, price = options.capex_fraction, options.discount_rate_points, options.price_fraction
    drivers = {
        "capex": ("USD", [_case(_signed(sign * capex, " %"), moved(with_capex, 1.0 + sign * capex),
                                lambda economics: economics.capex_usd) for sign in (-1, 1)]),
        "discount_rate": ("fraction/yr", [_case(_signed(sign * points, " points"),
                                                moved(with_discount_rate, sign * points),
                                                lambda economics: economics.discount_rate) for sign in (-1, 1)]),
    }
    if energy:
        drivers["energy"] = ("MWh/yr", _energy_cases(inputs, energy, portfolio_energy, evaluate))
    drivers["price"] = ("fraction", [_case(_signed(sign * price, " %"), moved(with_price, 1.0 + sign * price),
                                           lambda economics, f=1.0 + sign * price: f) for sign in (-1, 1)])
    rows = [_row(project, driver, unit, base[project], low, high)
            for project in [*inputs, PORTFOLIO]
            for driver, (unit, (low, high)) in drivers.items() if project in low.economics]
    return Sensitivity(pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS)))


@dataclass(frozen=True)
class _Case:
    """One side of one driver: each project's name of the case, its input and its economics."""

    name: dict[str, str]
    value: dict[str, float]
    economics: dict[str, ProjectEconomics]


def _case(name: str, economics: dict[str, ProjectEconomics], value: Callable[[ProjectEconomics], float]) -> _Case:
    """A case named alike for every project, its input read from each project's economics."""
    return _Case({p: name for p in economics}, {p: float(value(e)) for p, e in economics.items()}, economics)


def _energy_cases(inputs, energy, portfolio_energy, evaluate) -> list[_Case]:
    """The low and high ``energy`` cases: each site at its own range; the portfolio at its own range, else
    every site at its own level together (the portfolio's range then the sums of the sites')."""
    together = portfolio_energy is None
    if together:
        sums = [sum(getattr(r, name) for r in energy.values()) for name in ("p50_mwh", "low_mwh", "high_mwh")]
        first = next(iter(energy.values()))
        portfolio_energy = EnergyRange(*sums, first.low_case, first.high_case)
    ranges = {**energy, PORTFOLIO: portfolio_energy}
    cases = []
    for side in (0, 1):
        own = {site: r.factors[side] for site, r in energy.items()}
        by_site = evaluate({site: with_energy(case, own.get(site, 1.0)) for site, case in inputs.items()})
        portfolio = by_site if together else evaluate(
            {site: with_energy(case, portfolio_energy.factors[side] if site in energy else 1.0)
             for site, case in inputs.items()})
        cases.append(_Case(
            {p: (r.low_case, r.high_case)[side] for p, r in ranges.items()},
            {p: (r.low_mwh, r.high_mwh)[side] for p, r in ranges.items()},
            {site: by_site[site] for site in energy} | {PORTFOLIO: portfolio[PORTFOLIO]},
        ))
    return cases


def _row(project: str, driver: str, unit: str, base: ProjectEconomics, low: _Case, high: _Case) -> dict:
    return {
        "project": project,
        "driver": driver,
        "input_unit": unit,
        "low_case": low.name[project],
        "high_case": high.name[project],
        "low_input": low.value[project],
        "high_input": high.value[project],
        "npv_base_usd": _npv(base),
        "npv_low_usd": _npv(low.economics[project]),
        "npv_high_usd": _npv(high.economics[project]),
        "lcoe_base_usd_per_mwh": _lcoe(base),
        "lcoe_low_usd_per_mwh": _lcoe(low.economics[project]),
        "lcoe_high_usd_per_mwh": _lcoe(high.economics[project]),
    }


def _signed(fraction: float, unit: str) -> str:
    """``-0.2, " %"`` -> ``"-20 %"`` (printed text: percentages and points)."""
    return f"{fraction * 100:+g}{unit}"


def _npv(economics: ProjectEconomics) -> float:
    return np.nan if economics.primary is None else float(economics.primary.npv_usd)


def _lcoe(economics: ProjectEconomics) -> float:
    return np.nan if economics.lcoe_usd_per_mwh is None else float(economics.lcoe_usd_per_mwh)
