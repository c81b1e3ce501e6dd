"""The investor's view of a site: nominal cash flows after tax and debt, DSCR and equity IRR.

The rest of :mod:`energy_portfolio.economics` values a project in real USD without tax or debt
(the view of the whole economy, and with the gas it frees, of the state). An equity investor
sees the cash left after lenders and the tax office are paid, in money of the day. This module
turns the real revenue and opex of :mod:`.project` into that view, for a site whose
``economics.financing`` is given (:class:`~energy_portfolio.config.site.Financing`).

Conventions (each year ``t`` of the arrays: 0 construction, 1..N operating, as :mod:`.cashflow`):

* **Nominal money.** Revenue and opex are the real figures times ``(1 + inflation) ** t``: a
  real price held flat is a nominal price rising with inflation from the construction year's
  money. Capex is spent at ``t = 0`` (factor 1). Debt, interest, depreciation, tax, the equity
  IRR and every rate of ``financing`` are nominal; ``equity_irr_real`` deflates the equity IRR,
  ``(1 + irr) / (1 + inflation) - 1``. The PPA price solved for is given back as the site's
  ``ppa_price_usd_per_mwh`` would be written: real USD/MWh of the first operating year, escalating
  by ``ppa_escalation_per_year`` in real terms.
* **CFADS** (cash flow available for debt service) is EBITDA = revenue - opex, before tax, with
  no reserve accounts and no working capital, as in SAM's Single Owner model. Gatti (2018) deducts
  the tax paid as well; with positive taxable income the DSCR here is accordingly higher.
* **Debt** is drawn in full at ``t = 0`` and repaid over ``debt_tenor_years`` from year 1, its
  debt service following a shape whose present value at the interest rate equals the debt: flat
  (``repayment: annuity``, the level payment ``D r / (1 - (1 + r) ** -n)``) or proportional to the
  CFADS (``sculpted``, a constant DSCR). Sizing: ``gearing`` takes ``debt_fraction`` of capex;
  ``dscr`` the largest debt whose service leaves ``target_dscr`` in every year of the tenor, i.e.
  the present value of ``CFADS / target_dscr`` (sculpted) or ``min(CFADS) / target_dscr`` times the
  annuity factor (annuity), capped at ``debt_fraction`` of capex when given and at the capex
  (Gatti 2018, ch. 5 and 6; SAM's "DSCR" debt option). No fees, closing costs, construction
  interest or reserves.
* **Tax**: ``corporate_tax_rate`` on EBITDA - depreciation - interest; a loss is carried forward
  without limit of time and set against later profit (no tax is ever negative).
  Depreciation: the capex in equal parts over ``depreciation_years`` (straight line, no half-year
  convention) or by the shares of ``depreciation_schedule``; whatever is not depreciated by the
  last operating year is written off in it.
* **Cash to equity** is ``-(capex - debt)`` at ``t = 0``, then CFADS - debt service - tax. The
  project IRR after tax is that of ``-capex`` then CFADS - tax (the tax actually paid, so with
  the interest's tax shield, as SAM's after-tax project return). The equity NPV is discounted at
  ``target_equity_irr``.
* **PPA price for a target IRR**: the flat real price per delivered MWh (escalating as the
  site's PPA) at which the equity NPV at ``target_equity_irr`` is zero, by Brent's method
  (``scipy.optimize.brentq``): the equity IRR then equals the target where the IRR is unique.

References
----------
S. Gatti, "Project Finance in Theory and Practice", 3rd ed., Academic Press (2018): ch. 5
(cash flow available for debt service, DSCR, debt sculpting) and ch. 6 (sizing by cover ratios).
P. Gilman et al., "SAM Photovoltaic Model Technical Reference" and the SAM help's "Single Owner"
financial model (NREL; PySAM ``Singleowner``): CFADS, DSCR debt sizing, IRR target solution mode;
the matched case is ``tests/economics/test_investor_pysam.py``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from ..config.site import Economics, Financing
from ..errors import InputError
from ._checks import finite_array, finite_number
from .cashflow import ppa_revenue_by_year_usd
from .metrics import Irr, internal_rate_of_return, present_value_usd
from .project import ProjectEconomics

__all__ = [
    "DebtSchedule",
    "InvestorView",
    "nominal_by_year",
    "debt_usd",
    "debt_schedule",
    "depreciation_by_year_usd",
    "tax_by_year_usd",
    "investor_cash_flows",
    "ppa_for_target_irr_usd_per_mwh",
    "evaluate_investor",
]

_PRICE_CEILING_USD_PER_MWH = 1.0e5  # the solve gives up above this: no realistic PPA pays more


@dataclass(frozen=True)
class DebtSchedule:
    """A loan drawn at ``t = 0`` and its repayment, per year (index 0 construction).

    Attributes
    ----------
    debt_usd : float
        Amount drawn [USD].
    interest_by_year_usd, principal_by_year_usd : numpy.ndarray
        Interest paid and principal repaid in each year [USD, nominal].
    balance_by_year_usd : numpy.ndarray
        Debt outstanding at the end of each year [USD, nominal]; ``debt_usd`` at index 0.
    """

    debt_usd: float
    interest_by_year_usd: np.ndarray
    principal_by_year_usd: np.ndarray
    balance_by_year_usd: np.ndarray

    @property
    def debt_service_by_year_usd(self) -> np.ndarray:
        return self.interest_by_year_usd + self.principal_by_year_usd


@dataclass(frozen=True)
class InvestorView:
    """One site's cash flows as its equity investor sees them (nominal USD).

    Attributes
    ----------
    start_year : int or None
        Calendar year of index 0 (construction), when known.
    revenue_basis : str
        The revenue the flows use: ``"ppa"`` or ``"market"``.
    inflation_rate, target_equity_irr, corporate_tax_rate : float
        From the site's ``financing`` [fraction/yr; fraction].
    capex_usd : float
        Overnight capex, spent at ``t = 0`` [USD].
    revenue_by_year_usd, opex_by_year_usd : numpy.ndarray
        Nominal revenue and opex (with decommissioning in the last year) [USD].
    depreciation_by_year_usd, taxable_income_by_year_usd, tax_by_year_usd : numpy.ndarray
        Tax depreciation, taxable income (negative: a loss) and tax paid [USD].
    debt : DebtSchedule
        The loan.
    equity_irr, project_irr_after_tax : Irr
        Nominal IRRs of the cash to equity and of the project after tax [fraction/yr].
    equity_npv_usd : float
        NPV of the cash to equity at ``target_equity_irr`` [USD].
    ppa_for_target_irr_usd_per_mwh : float or None
        Real PPA price of the first operating year that gives ``target_equity_irr``
        [USD/MWh]; None when no price up to 100,000 USD/MWh does or none was solved for.
    """

    start_year: int | None
    revenue_basis: str
    inflation_rate: float
    target_equity_irr: float
    corporate_tax_rate: float
    capex_usd: float
    revenue_by_year_usd: np.ndarray
    opex_by_year_usd: np.ndarray
    depreciation_by_year_usd: np.ndarray
    taxable_income_by_year_usd: np.ndarray
    tax_by_year_usd: np.ndarray
    debt: DebtSchedule
    equity_irr: Irr
    project_irr_after_tax: Irr
    equity_npv_usd: float
    ppa_for_target_irr_usd_per_mwh: float | None = None

    @property
    def ebitda_by_year_usd(self) -> np.ndarray:
        """Revenue - opex, which is also the CFADS here [USD, nominal]."""
        return self.revenue_by_year_usd - self.opex_by_year_usd

    @property
    def cfads_by_year_usd(self) -> np.ndarray:
        """Cash flow available for debt service: EBITDA, before tax (module docstring) [USD, nominal]."""
        return self.ebitda_by_year_usd

    @property
    def dscr_by_year(self) -> np.ndarray:
        """CFADS over debt service in the years with debt service, NaN in the others [-]."""
        service = self.debt.debt_service_by_year_usd
        out = np.full(service.size, np.nan)
        paying = service > 0.0
        out[paying] = self.cfads_by_year_usd[paying] / service[paying]
        return out

    @property
    def min_dscr(self) -> float | None:
        """Lowest DSCR over the years with debt service; None without debt [-]."""
        dscr = self.dscr_by_year
        return None if np.isnan(dscr).all() else float(np.nanmin(dscr))

    @property
    def avg_dscr(self) -> float | None:
        """Arithmetic mean of the DSCR over the years with debt service; None without debt [-]."""
        dscr = self.dscr_by_year
        return None if np.isnan(dscr).all() else float(np.nanmean(dscr))

    @property
    def equity_usd(self) -> float:
        """Equity invested at ``t = 0``: capex less debt [USD]."""
        return self.capex_usd - self.debt.debt_usd

    @property
    def cash_to_equity_by_year_usd(self) -> np.ndarray:
        """``-equity`` at ``t = 0``, then CFADS - debt service - tax [USD, nominal]."""
        flows = self.cfads_by_year_usd - self.debt.debt_service_by_year_usd - self.tax_by_year_usd
        flows[0] = -self.equity_usd
        return flows

    @property
    def equity_irr_real(self) -> float | None:
        """The equity IRR without inflation, ``(1 + irr) / (1 + inflation) - 1`` [fraction/yr]."""
        rate = self.equity_irr.rate
        return None if rate is None else (1.0 + rate) / (1.0 + self.inflation_rate) - 1.0

    def cash_flow_table(self) -> pd.DataFrame:
        """One row per year of life (``year``: 0 construction, 1..N operating), nominal USD.

        Columns: ``calendar_year`` (when the commissioning year is known), ``revenue_usd``,
        ``opex_usd``, ``ebitda_usd``, ``depreciation_usd``, ``interest_usd``,
        ``taxable_income_usd``, ``tax_usd``, ``cfads_usd``, ``principal_usd``,
        ``debt_service_usd``, ``debt_balance_usd`` (end of year), ``dscr`` (empty without debt
        service), ``capex_usd``, ``debt_drawn_usd``, ``cash_to_equity_usd``.
        """
        debt = self.debt
        years = np.arange(self.revenue_by_year_usd.size)
        drawn = np.zeros(years.size)
        drawn[0] = debt.debt_usd
        capex = np.zeros(years.size)
        capex[0] = self.capex_usd
        columns = {
            "revenue_usd": self.revenue_by_year_usd,
            "opex_usd": self.opex_by_year_usd,
            "ebitda_usd": self.ebitda_by_year_usd,
            "depreciation_usd": self.depreciation_by_year_usd,
            "interest_usd": debt.interest_by_year_usd,
            "taxable_income_usd": self.taxable_income_by_year_usd,
            "tax_usd": self.tax_by_year_usd,
            "cfads_usd": self.cfads_by_year_usd,
            "principal_usd": debt.principal_by_year_usd,
            "debt_service_usd": debt.debt_service_by_year_usd,
            "debt_balance_usd": debt.balance_by_year_usd,
            "dscr": self.dscr_by_year,
            "capex_usd": capex,
            "debt_drawn_usd": drawn,
            "cash_to_equity_usd": self.cash_to_equity_by_year_usd,
        }
        frame = pd.DataFrame(columns, index=pd.Index(years, name="year"))
        if self.start_year is not None:
            frame.insert(0, "calendar_year", years + self.start_year)
        return frame


def nominal_by_year(real_by_year, inflation_rate: float) -> np.ndarray:
    """Real values per year of life in money of each year: ``value[t] * (1 + i) ** t``.

    Parameters
    ----------
    real_by_year : array-like
        Values per year [USD, real of ``t = 0``], index 0 construction.
    inflation_rate : float
        i [fraction/yr].

    Returns
    -------
    numpy.ndarray
        Nominal values [USD].

    References
    ----------
    Fisher relation between real and nominal money, as in Short, Packey and Holt,
    NREL/TP-462-5173 (1995), current and constant dollars.
    """
    values = finite_array("real_by_year", real_by_year)
    rate = finite_number("inflation_rate", inflation_rate, low=0.0, high=1.0)
    return values * (1.0 + rate) ** np.arange(values.size)


def _discount_factors(rate: float, tenor_years: int) -> np.ndarray:
    return (1.0 + rate) ** -np.arange(1, tenor_years + 1, dtype=float)


def _tenor(financing: Financing, lifetime_years: int) -> int:
    if financing.debt_tenor_years > lifetime_years:
        raise InputError(
            f"economics.financing: debt_tenor_years = {financing.debt_tenor_years}; expected at most the site's"
            f" lifetime_years = {lifetime_years} (the debt is repaid from the operating years)"
        )
    return financing.debt_tenor_years


def debt_usd(cfads_by_year_usd, capex_usd: float, financing: Financing) -> float:
    """The debt the lenders give, by gearing or by the target DSCR.

    Parameters
    ----------
    cfads_by_year_usd : array-like
        CFADS per year [USD, nominal], index 0 construction.
    capex_usd : float
        Capex [USD].
    financing : Financing
        ``debt_sizing``, ``debt_fraction``, ``target_dscr``, ``repayment``, rate and tenor.

    Returns
    -------
    float
        Debt [USD]: ``debt_fraction * capex`` (gearing); or the present value at the interest
        rate of ``CFADS / target_dscr`` over the tenor (sculpted) or of a level
        ``min(CFADS) / target_dscr`` (annuity), negative CFADS taken as 0, at most
        ``debt_fraction * capex`` when that is given and never more than the capex (dscr).

    References
    ----------
    Gatti (2018), ch. 6, debt sizing on the DSCR; SAM Single Owner, "Debt service coverage ratio" option.
    """
    cfads = finite_array("cfads_by_year_usd", cfads_by_year_usd, min_length=2)
    capex = finite_number("capex_usd", capex_usd, low=0.0)
    cap = None if financing.debt_fraction is None else financing.debt_fraction * capex
    if financing.debt_sizing == "gearing":
        return float(cap)
    tenor = _tenor(financing, cfads.size - 1)
    servable = np.maximum(cfads[1 : tenor + 1], 0.0) / financing.target_dscr
    if financing.repayment == "annuity":
        servable = np.full(tenor, servable.min())
    sized = float(np.dot(servable, _discount_factors(financing.debt_interest_rate, tenor)))
    return min(sized, capex if cap is None else cap)  # no lender finances more than the cost


def debt_schedule(debt: float, cfads_by_year_usd, financing: Financing) -> DebtSchedule:
    """Interest, principal and balance of a loan repaid as ``financing.repayment`` says.

    The debt service of year ``t`` in the tenor is ``D * s_t / sum_k(s_k v^k)``, ``v = 1 / (1 + r)``,
    with the shape ``s`` flat (annuity) or the CFADS (sculpted; negative CFADS taken as 0), so
    that the payments' present value at the interest rate is the debt and the balance is 0 at
    the end of the tenor. Interest is ``r`` times the balance at the start of the year.

    Parameters
    ----------
    debt : float
        Amount drawn at ``t = 0`` [USD].
    cfads_by_year_usd : array-like
        CFADS per year [USD, nominal], for the sculpted shape and the number of years.
    financing : Financing
        ``repayment``, ``debt_interest_rate``, ``debt_tenor_years``.

    Returns
    -------
    DebtSchedule

    References
    ----------
    Annuity: the level payment ``-numpy_financial.pmt(r, n, D)``. Sculpting: Gatti (2018), ch. 5.
    """
    cfads = finite_array("cfads_by_year_usd", cfads_by_year_usd, min_length=2)
    amount = finite_number("debt", debt, low=0.0)
    years = cfads.size
    rate = financing.debt_interest_rate
    tenor = _tenor(financing, years - 1)
    shape = np.ones(tenor) if financing.repayment == "annuity" else np.maximum(cfads[1 : tenor + 1], 0.0)
    weight = float(np.dot(shape, _discount_factors(rate, tenor)))
    service = np.zeros(years)
    if amount > 0.0:
        if weight <= 0.0:
            raise InputError(
                "economics.financing: repayment = sculpted but the cash flow available for debt service is"
                " never positive in the tenor; expected some CFADS to repay the debt from"
            )
        service[1 : tenor + 1] = amount * shape / weight
    interest = np.zeros(years)
    principal = np.zeros(years)
    balance = np.zeros(years)
    balance[0] = amount
    for t in range(1, tenor + 1):
        interest[t] = rate * balance[t - 1]
        principal[t] = service[t] - interest[t]
        balance[t] = balance[t - 1] - principal[t]
    balance[tenor] = 0.0  # the payments' present value is the debt: what is left is rounding
    return DebtSchedule(amount, interest, principal, balance)


def depreciation_by_year_usd(capex_usd: float, financing: Financing, lifetime_years: int) -> np.ndarray:
    """Tax depreciation of the capex per year of life.

    Parameters
    ----------
    capex_usd : float
        Depreciable basis [USD], all of the capex.
    financing : Financing
        ``depreciation`` with ``depreciation_years`` or ``depreciation_schedule``.
    lifetime_years : int
        N [yr].

    Returns
    -------
    numpy.ndarray
        ``N + 1`` values [USD]: 0 at ``t = 0``; ``capex / Y`` in years 1..Y (straight line) or
        ``capex * share_t`` (schedule); what remains at year N is written off in year N.

    References
    ----------
    Straight-line and tabulated (MACRS-like) depreciation as SAM's "custom" schedule, which applies
    the given percentages from year 1 with no half-year convention.
    """
    capex = finite_number("capex_usd", capex_usd, low=0.0)
    if financing.depreciation == "straight_line":
        shares = np.full(financing.depreciation_years, 1.0 / financing.depreciation_years)
    else:
        shares = np.asarray(financing.depreciation_schedule, dtype=float)
    out = np.zeros(lifetime_years + 1)
    kept = shares[:lifetime_years]
    out[1 : kept.size + 1] = capex * kept
    out[lifetime_years] += capex - out.sum()
    return out


def tax_by_year_usd(taxable_income_by_year_usd, tax_rate: float) -> np.ndarray:
    """Corporate tax per year with losses carried forward without time limit.

    Parameters
    ----------
    taxable_income_by_year_usd : array-like
        EBITDA - depreciation - interest per year [USD]; negative is a loss.
    tax_rate : float
        Corporate profit tax rate [fraction].

    Returns
    -------
    numpy.ndarray
        Tax paid [USD], never negative: ``rate * max(income - losses brought forward, 0)``.

    References
    ----------
    Loss carry-forward, Gatti (2018), ch. 5 (taxes in the cash flow waterfall).
    """
    income = finite_array("taxable_income_by_year_usd", taxable_income_by_year_usd)
    rate = finite_number("tax_rate", tax_rate, low=0.0, high=1.0)
    tax = np.zeros(income.size)
    losses = 0.0
    for t, value in enumerate(income):
        after_losses = value - losses
        losses = max(-after_losses, 0.0)
        tax[t] = rate * max(after_losses, 0.0)
    return tax


def _financing(economics: Economics) -> Financing:
    if economics.financing is None:
        raise InputError("economics: financing is not given; expected a financing block for the investor view")
    return economics.financing


def investor_cash_flows(
    economics: Economics,
    revenue_by_year_usd,
    opex_by_year_usd,
    capex_usd: float,
    *,
    revenue_basis: str = "ppa",
    start_year: int | None = None,
) -> InvestorView:
    """The investor's cash-flow table from real revenue, opex and capex.

    Parameters
    ----------
    economics : Economics
        The site's economics; its ``financing`` block is required.
    revenue_by_year_usd, opex_by_year_usd : array-like
        ``N + 1`` real values [USD of ``t = 0``], index 0 construction (its opex is ignored:
        capex is given apart); opex includes decommissioning in the last year.
    capex_usd : float
        Overnight capex at ``t = 0`` [USD].
    revenue_basis : str
        Label of the revenue: ``"ppa"`` or ``"market"``.
    start_year : int, optional
        Calendar year of ``t = 0``.

    Returns
    -------
    InvestorView
        Without ``ppa_for_target_irr_usd_per_mwh`` (see :func:`ppa_for_target_irr_usd_per_mwh`).

    References
    ----------
    The module docstring's conventions; Gatti (2018), ch. 5.
    """
    financing = _financing(economics)
    revenue_real = finite_array("revenue_by_year_usd", revenue_by_year_usd, min_length=2)
    opex_real = finite_array("opex_by_year_usd", opex_by_year_usd, min_length=2)
    if revenue_real.size != opex_real.size:
        raise InputError(
            f"economics: revenue_by_year_usd has {revenue_real.size} years but opex_by_year_usd has {opex_real.size};"
            " expected the same years"
        )
    capex = finite_number("capex_usd", capex_usd, low=0.0)
    revenue = nominal_by_year(revenue_real, financing.inflation_rate)
    opex = nominal_by_year(opex_real, financing.inflation_rate)
    revenue[0] = opex[0] = 0.0
    cfads = revenue - opex
    debt = debt_schedule(debt_usd(cfads, capex, financing), cfads, financing)
    depreciation = depreciation_by_year_usd(capex, financing, cfads.size - 1)
    taxable = cfads - depreciation - debt.interest_by_year_usd
    tax = tax_by_year_usd(taxable, financing.corporate_tax_rate)
    project_flows = cfads - tax
    project_flows[0] = -capex
    view = InvestorView(
        start_year=start_year,
        revenue_basis=revenue_basis,
        inflation_rate=financing.inflation_rate,
        target_equity_irr=financing.target_equity_irr,
        corporate_tax_rate=financing.corporate_tax_rate,
        capex_usd=capex,
        revenue_by_year_usd=revenue,
        opex_by_year_usd=opex,
        depreciation_by_year_usd=depreciation,
        taxable_income_by_year_usd=taxable,
        tax_by_year_usd=tax,
        debt=debt,
        equity_irr=Irr(None, "not computed"),
        project_irr_after_tax=internal_rate_of_return(project_flows),
        equity_npv_usd=0.0,
    )
    equity = view.cash_to_equity_by_year_usd
    return dataclasses.replace(
        view,
        equity_irr=internal_rate_of_return(equity),
        equity_npv_usd=present_value_usd(equity, financing.target_equity_irr),
    )


def ppa_for_target_irr_usd_per_mwh(
    economics: Economics,
    delivered_by_year_mwh,
    opex_by_year_usd,
    capex_usd: float,
) -> float | None:
    """The PPA price at which the equity earns ``financing.target_equity_irr``.

    Parameters
    ----------
    economics : Economics
        The site's economics: ``financing`` and ``ppa_escalation_per_year``.
    delivered_by_year_mwh : array-like
        ``N + 1`` delivered energies [MWh], index 0 construction (0).
    opex_by_year_usd : array-like
        ``N + 1`` real opex [USD], as in :func:`investor_cash_flows`.
    capex_usd : float
        Overnight capex [USD].

    Returns
    -------
    float or None
        Real price of the first operating year [USD/MWh] at which the equity NPV at the target
        rate is zero (to 1e-6 USD/MWh); 0 when even a price of 0 meets the target; None when no
        price up to 100,000 USD/MWh does (no energy delivered).

    References
    ----------
    Brent's method, ``scipy.optimize.brentq``; SAM Single Owner's "specify IRR target" solution
    mode solves for the same price (``ppa_soln_mode = 0``, ``flip_target_percent``).
    """
    _financing(economics)  # refused here, before the solve, when missing
    delivered = finite_array("delivered_by_year_mwh", delivered_by_year_mwh, min_length=2, non_negative=True)

    def equity_npv(price: float) -> float:
        contract = economics.model_copy(update={"ppa_price_usd_per_mwh": price})
        revenue = ppa_revenue_by_year_usd(contract, delivered)
        return investor_cash_flows(economics, revenue, opex_by_year_usd, capex_usd).equity_npv_usd

    if equity_npv(0.0) >= 0.0:
        return 0.0
    high = 50.0
    while equity_npv(high) < 0.0:
        high *= 2.0
        if high > _PRICE_CEILING_USD_PER_MWH:
            return None
    return float(brentq(equity_npv, 0.0, high, xtol=1e-6, rtol=1e-12))


def evaluate_investor(project: ProjectEconomics, economics: Economics) -> InvestorView | None:
    """One site's investor view from its real economics, or None without a ``financing`` block.

    Parameters
    ----------
    project : ProjectEconomics
        The site's economics from :func:`.project.evaluate_project`; its primary valuation (PPA,
        else market) gives the revenue, its costs the opex (capex apart).
    economics : Economics
        The site's ``economics``.

    Returns
    -------
    InvestorView or None
        With ``ppa_for_target_irr_usd_per_mwh`` solved on the delivered energy; None when the
        site has no ``financing`` or no revenue.

    References
    ----------
    :func:`investor_cash_flows`, :func:`ppa_for_target_irr_usd_per_mwh`.
    """
    valuation = project.primary
    if economics.financing is None or valuation is None:
        return None
    opex = project.cost_by_year_usd.copy()
    opex[0] = 0.0
    view = investor_cash_flows(
        economics,
        valuation.revenue_by_year_usd,
        opex,
        project.capex_usd,
        revenue_basis=valuation.basis,
        start_year=project.start_year,
    )
    price = ppa_for_target_irr_usd_per_mwh(economics, project.delivered_by_year_mwh, opex, project.capex_usd)
    return dataclasses.replace(view, ppa_for_target_irr_usd_per_mwh=price)
