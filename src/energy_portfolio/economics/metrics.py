"""Discounted-cash-flow metrics: present value, LCOE, NPV, IRR, payback, capital recovery.

Inputs are the ``*_by_year`` arrays of :mod:`.cashflow` (index 0 the construction year,
1..N the operating years) in real US dollars, discounted at a real rate. NPV, IRR and the
annuity factor come from ``numpy_financial``; only what it lacks (LCOE, payback, and
telling apart the cases where the IRR is not defined) is written here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy_financial as npf

from ..errors import InputError
from ._checks import finite_array, finite_number

__all__ = [
    "present_value_usd",
    "npv_usd",
    "lcoe_usd_per_mwh",
    "capital_recovery_factor",
    "Irr",
    "internal_rate_of_return",
    "payback_year",
]

_RATE_LOW = -0.99
_RATE_HIGH = 10.0


def present_value_usd(values_by_year, discount_rate: float) -> float:
    """Present value at ``t = 0`` of a yearly series (money [USD] or energy [MWh]).

    Parameters
    ----------
    values_by_year : array-like
        Value at index ``t`` is discounted by ``(1 + r) ** t``.
    discount_rate : float
        Real discount rate r [fraction/yr].

    Returns
    -------
    float
        Sum of ``values[t] / (1 + r) ** t`` (same unit as the values).

    References
    ----------
    ``numpy_financial.npv``.
    """
    values = finite_array("values_by_year", values_by_year)
    rate = finite_number("discount_rate", discount_rate, low=_RATE_LOW, high=_RATE_HIGH)
    return float(npf.npv(rate, values))


def npv_usd(net_by_year_usd, discount_rate: float) -> float:
    """Net present value of a project's net cash flow (revenue minus costs).

    Parameters
    ----------
    net_by_year_usd : array-like
        Net cash flow per year [USD, real], index 0 the construction year.
    discount_rate : float
        Real discount rate [fraction/yr].

    Returns
    -------
    float
        NPV at the start of construction [USD].

    References
    ----------
    ``numpy_financial.npv``.
    """
    return present_value_usd(net_by_year_usd, discount_rate)


def lcoe_usd_per_mwh(cost_by_year_usd, energy_by_year_mwh, discount_rate: float) -> float:
    """Levelized cost of energy: present value of costs over present value of energy.

    Parameters
    ----------
    cost_by_year_usd : array-like
        All costs per year [USD, real] (capex, opex, decommissioning), see
        :func:`.cashflow.cost_by_year_usd`.
    energy_by_year_mwh : array-like
        Energy per year [MWh], the same length; net energy for the LCOE on net energy,
        delivered energy for the LCOE after curtailment.
    discount_rate : float
        Real discount rate [fraction/yr].

    Returns
    -------
    float
        LCOE [USD/MWh, real].

    Raises
    ------
    InputError
        When the arrays differ in length or the discounted energy is not positive.

    References
    ----------
    W. Short, D. J. Packey and T. Holt, "A Manual for the Economic Evaluation of Energy
    Efficiency and Renewable Energy Technologies", NREL/TP-462-5173 (1995), the levelized
    cost of energy in real terms.
    """
    costs = finite_array("cost_by_year_usd", cost_by_year_usd)
    energy = finite_array("energy_by_year_mwh", energy_by_year_mwh, non_negative=True)
    if costs.size != energy.size:
        raise InputError(
            f"economics: cost_by_year_usd has {costs.size} years but energy_by_year_mwh has {energy.size};"
            " expected the same years"
        )
    energy_pv = present_value_usd(energy, discount_rate)
    if energy_pv <= 0.0:
        raise InputError("economics: energy_by_year_mwh sums to 0; the LCOE needs some energy over the lifetime")
    return present_value_usd(costs, discount_rate) / energy_pv


def capital_recovery_factor(discount_rate: float, lifetime_years: int) -> float:
    """Capital recovery factor: the level annual payment that repays 1 over N years.

    ``CRF = r (1 + r)^N / ((1 + r)^N - 1)``, and ``1 / N`` at ``r = 0``. Without taxes,
    depreciation or financing fees it is the fixed charge rate (FCR) of SAM's simple
    LCOE (``LCOE = (FCR * capex + fixed opex) / energy + variable opex``).

    Parameters
    ----------
    discount_rate : float
        Real discount rate r [fraction/yr].
    lifetime_years : int
        N [yr].

    Returns
    -------
    float
        CRF [1/yr].

    References
    ----------
    Short, Packey and Holt, NREL/TP-462-5173 (1995), capital recovery factor; computed as
    ``-numpy_financial.pmt(r, N, 1)``.
    """
    rate = finite_number("discount_rate", discount_rate, low=0.0, high=_RATE_HIGH)
    years = finite_number("lifetime_years", lifetime_years, low=1)
    return float(-npf.pmt(rate, years, 1.0))


@dataclass(frozen=True)
class Irr:
    """The internal rate of return, or why there is none.

    Attributes
    ----------
    rate : float or None
        IRR [fraction/yr, real when the cash flows are real]; ``None`` when not defined.
    reason : str
        Why ``rate`` is None, in words for a report; when ``rate`` is defined, empty, or a
        note that other (negative) roots were set aside.
    """

    rate: float | None
    reason: str = ""

    @property
    def defined(self) -> bool:
        return self.rate is not None


def internal_rate_of_return(net_by_year_usd) -> Irr:
    """The rate at which the NPV of the net cash flow is zero, when there is exactly one.

    The IRR is a root of ``sum_t c_t x^t = 0`` with ``x = 1 / (1 + IRR)``. Descartes' rule
    of signs bounds the number of positive roots ``x`` (rates above -100 %) by the number of
    sign changes of the cash flows. So:

    * no sign change (all outflows or all inflows): no IRR, ``Irr(None, reason)``;
    * one sign change (a conventional project): exactly one IRR, from ``numpy_financial.irr``;
    * several sign changes (e.g. a decommissioning cost at the end): the roots are
      enumerated. With one real root above -100 % it is returned. With several, when exactly
      one is non-negative and the cumulative cash flow changes sign once (Norstrom's
      criterion for a unique non-negative IRR), that one is returned and ``reason`` notes
      the other (negative) roots. Otherwise the IRR is not defined (``numpy_financial.irr``
      would silently pick the root closest to zero) and the reason lists the rates found:
      use the NPV then.

    Parameters
    ----------
    net_by_year_usd : array-like
        Net cash flow per year [USD], index 0 the construction year.

    Returns
    -------
    Irr
        ``Irr(rate, "")`` or ``Irr(None, reason)``. Never raises for a valid series.

    References
    ----------
    ``numpy_financial.irr`` (one root, the one closest to zero); Descartes' rule of signs
    for the number of positive roots; ``numpy.roots`` to enumerate them; C. J. Norstrom,
    "A sufficient condition for a unique nonnegative internal rate of return", Journal of
    Financial and Quantitative Analysis 7 (1972) 1835-1839.
    """
    flows = finite_array("net_by_year_usd", net_by_year_usd, min_length=2)
    signs = np.sign(flows[flows != 0.0])
    changes = int(np.count_nonzero(signs[1:] != signs[:-1]))
    if changes == 0:
        kind = "zero" if signs.size == 0 else ("outflows" if signs[0] < 0 else "inflows")
        return Irr(None, f"the cash flows are all {kind}, so no discount rate makes the NPV zero")
    rates = _irr_candidates(flows)
    if changes == 1 or rates.size == 1:
        rate = float(npf.irr(flows))
        if np.isfinite(rate) and (rates.size == 0 or np.isclose(rate, rates, rtol=1e-6, atol=1e-9).any()):
            return Irr(rate)
        if rates.size == 1:
            return Irr(float(rates[0]))
    if rates.size == 0:
        return Irr(None, f"the cash flows change sign {changes} times but no real rate above -100 % makes the NPV zero")
    listed = ", ".join(f"{r:.2%}" for r in rates)
    non_negative = rates[rates >= 0.0]
    cumulative = np.sign(np.cumsum(flows))
    cumulative = cumulative[cumulative != 0.0]
    if non_negative.size == 1 and np.count_nonzero(cumulative[1:] != cumulative[:-1]) == 1:
        return Irr(
            float(non_negative[0]),
            f"the only non-negative IRR (the cumulative cash flow changes sign once); the NPV is also zero at"
            f" {listed}, negative rates without economic meaning here",
        )
    return Irr(
        None,
        f"the cash flows change sign {changes} times and several rates make the NPV zero ({listed});"
        " the IRR is ambiguous, use the NPV",
    )


def _irr_candidates(flows: np.ndarray) -> np.ndarray:
    """Distinct real rates above -100 % that make the NPV zero, in increasing order."""
    roots = np.roots(flows[::-1])
    real = roots[(np.abs(roots.imag) <= 1e-9 * np.maximum(1.0, np.abs(roots))) & (roots.real > 0.0)].real
    rates = np.sort(1.0 / real - 1.0)
    if rates.size > 1:
        rates = rates[np.concatenate(([True], np.diff(rates) > 1e-7 * np.maximum(1.0, np.abs(rates[1:]))))]
    return rates


def payback_year(net_by_year_usd, discount_rate: float = 0.0) -> int | None:
    """First operating year from whose end on the cumulative cash flow is no longer negative.

    Parameters
    ----------
    net_by_year_usd : array-like
        Net cash flow per year [USD], index 0 the construction year.
    discount_rate : float, optional
        0 (default) for the simple payback; the real rate for the discounted payback.

    Returns
    -------
    int or None
        Operating year t (1..N; 0 when nothing is invested) whose end sees the cumulative
        (discounted) cash flow reach 0; ``None`` when it never does within the lifetime.
        The calendar year is ``commissioning_year + t - 1``.

    References
    ----------
    Short, Packey and Holt, NREL/TP-462-5173 (1995), simple and discounted payback.
    """
    flows = finite_array("net_by_year_usd", net_by_year_usd, min_length=2)
    rate = finite_number("discount_rate", discount_rate, low=0.0, high=_RATE_HIGH)
    cumulative = np.cumsum(flows / (1.0 + rate) ** np.arange(flows.size))
    # A late negative year (decommissioning) can pull the total back below 0 after it was
    # reached; payback is the year from which it stays repaid.
    negative = np.flatnonzero(cumulative < 0.0)
    first = 0 if negative.size == 0 else int(negative[-1]) + 1
    return first if first < flows.size else None
