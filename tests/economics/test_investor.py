"""The investor view (economics/investor.py) against closed forms and hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from energy_portfolio.config.site import Economics, Financing
from energy_portfolio.economics.cashflow import ppa_revenue_by_year_usd
from energy_portfolio.economics.investor import (
    debt_schedule,
    debt_usd,
    depreciation_by_year_usd,
    investor_cash_flows,
    nominal_by_year,
    ppa_for_target_irr_usd_per_mwh,
    tax_by_year_usd,
)
from energy_portfolio.errors import InputError

BASE = dict(
    debt_sizing="gearing",
    debt_fraction=0.5,
    repayment="annuity",
    debt_interest_rate=0.10,
    debt_tenor_years=2,
    corporate_tax_rate=0.20,
    depreciation="straight_line",
    depreciation_years=3,
    inflation_rate=0.0,
    target_equity_irr=0.12,
)


def financing(**changes) -> Financing:
    return Financing.model_validate({**BASE, **changes})


def economics(**changes) -> Economics:
    return Economics.model_validate(
        dict(
            capex_usd_per_kw=1000.0,
            fixed_opex_usd_per_kw_year=0.0,
            variable_opex_usd_per_mwh=0.0,
            discount_rate_real=0.08,
            financing=financing(**changes).model_dump(),
        )
    )


def test_annuity_debt_service_is_the_level_payment():
    # D r / (1 - (1 + r)^-n) = 1000 * 0.05 / (1 - 1.05^-3) = 367.2085646 (closed form).
    flows = np.r_[0.0, np.full(5, 500.0)]
    schedule = debt_schedule(1000.0, flows, financing(debt_interest_rate=0.05, debt_tenor_years=3))
    service = schedule.debt_service_by_year_usd
    assert service[1:4] == pytest.approx([367.2085646] * 3, rel=1e-9)
    assert service[4:].tolist() == [0.0, 0.0]
    assert schedule.interest_by_year_usd[1] == pytest.approx(50.0, rel=1e-12)  # 5 % of the opening balance
    assert schedule.principal_by_year_usd.sum() == pytest.approx(1000.0, rel=1e-12)
    assert schedule.balance_by_year_usd[3:].tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("repayment", ["annuity", "sculpted"])
def test_dscr_sizing_with_flat_cfads(repayment):
    # Flat CFADS 100 and a target DSCR 1.25: the debt service is 80 a year, the debt its present value
    # 80 (1 - 1.06^-10) / 0.06 = 588.8070 at 6 % over 10 years, and the DSCR is 1.25 in every year.
    # With flat CFADS the sculpted and the annuity repayment are the same.
    fin = financing(debt_sizing="dscr", debt_fraction=None, target_dscr=1.25, repayment=repayment,
                    debt_interest_rate=0.06, debt_tenor_years=10)
    cfads = np.r_[0.0, np.full(12, 100.0)]
    debt = debt_usd(cfads, 1.0e4, fin)
    assert debt == pytest.approx(80.0 * (1 - 1.06**-10) / 0.06, rel=1e-12)
    service = debt_schedule(debt, cfads, fin).debt_service_by_year_usd
    assert service[1:11] == pytest.approx([80.0] * 10, rel=1e-12)
    # the cap: debt_fraction of capex, when lower, wins
    capped = fin.model_copy(update={"debt_fraction": 0.05})
    assert debt_usd(cfads, 1.0e4, capped) == pytest.approx(500.0)
    # and never more than the capex, however much the cash flow could serve
    assert debt_usd(cfads, 100.0, fin) == pytest.approx(100.0)


def test_three_year_equity_irr_by_hand():
    # Capex 100, half debt at 10 % over 2 years (annuity 28.8095238 = 50 * 0.1 / (1 - 1.1^-2)), EBITDA 50
    # a year, depreciation 100/3, profit tax 20 %:
    #   tax_1 = 0.2 (50 - 33.3333 - 5.0000) = 2.3333, tax_2 = 0.2 (50 - 33.3333 - 2.6190) = 2.8095,
    #   tax_3 = 0.2 (50 - 33.3333) = 3.3333;
    #   cash to equity: -50, 18.857143, 18.380952, 46.666667, whose IRR is 25.8520 % (solved by hand
    #   to 1e-6 and checked: the NPV of these flows at 25.8520 % is below 1e-4).
    econ = economics()
    revenue = np.array([0.0, 60.0, 60.0, 60.0])
    opex = np.array([0.0, 10.0, 10.0, 10.0])
    view = investor_cash_flows(econ, revenue, opex, 100.0)
    assert view.cash_to_equity_by_year_usd == pytest.approx([-50.0, 18.857143, 18.380952, 46.666667], abs=1e-6)
    assert view.tax_by_year_usd == pytest.approx([0.0, 2.333333, 2.809524, 3.333333], abs=1e-6)
    assert view.equity_irr.rate == pytest.approx(0.258520, abs=1e-6)
    assert view.min_dscr == pytest.approx(50.0 / 28.8095238, rel=1e-9)
    table = view.cash_flow_table()
    assert list(table.index) == [0, 1, 2, 3]
    assert table["debt_service_usd"].iloc[3] == 0.0 and np.isnan(table["dscr"].iloc[3])
    # the project after tax: -100, then EBITDA less the tax paid
    flows = [-100.0, 50 - 2.333333, 50 - 2.809524, 50 - 3.333333]
    assert np.sum(flows / (1 + view.project_irr_after_tax.rate) ** np.arange(4)) == pytest.approx(0.0, abs=1e-4)


def test_losses_are_carried_forward():
    # income -10, 4, 20: no tax in year 1 or 2 (6 of loss left), 20 % of 14 in year 3.
    assert tax_by_year_usd([0.0, -10.0, 4.0, 20.0], 0.2) == pytest.approx([0.0, 0.0, 0.0, 2.8])


def test_depreciation_written_off_in_the_last_year():
    dep = depreciation_by_year_usd(100.0, financing(depreciation_years=5), 3)
    assert dep == pytest.approx([0.0, 20.0, 20.0, 60.0])
    schedule = financing(depreciation="schedule", depreciation_years=None, depreciation_schedule=(0.5, 0.3, 0.2))
    assert depreciation_by_year_usd(100.0, schedule, 4) == pytest.approx([0.0, 50.0, 30.0, 20.0, 0.0])


def test_inflation_makes_real_flows_nominal():
    assert nominal_by_year([1.0, 1.0, 1.0], 0.1) == pytest.approx([1.0, 1.1, 1.21])


def test_ppa_for_target_irr_meets_the_target():
    econ = economics(inflation_rate=0.02, debt_tenor_years=3)
    delivered = np.array([0.0, 1.0, 1.0, 1.0, 1.0])
    opex = np.array([0.0, 5.0, 5.0, 5.0, 5.0])
    price = ppa_for_target_irr_usd_per_mwh(econ, delivered, opex, 100.0)
    contract = econ.model_copy(update={"ppa_price_usd_per_mwh": price})
    view = investor_cash_flows(econ, ppa_revenue_by_year_usd(contract, delivered), opex, 100.0)
    assert view.equity_irr.rate == pytest.approx(0.12, abs=1e-8)
    assert view.equity_irr_real == pytest.approx(1.12 / 1.02 - 1, abs=1e-8)


def test_bad_financing_is_refused():
    with pytest.raises(ValidationError, match="debt_fraction"):
        financing(debt_fraction=None)
    with pytest.raises(ValidationError, match="target_dscr"):
        financing(debt_sizing="dscr")
    with pytest.raises(ValidationError, match="summing to 1"):
        financing(depreciation="schedule", depreciation_years=None, depreciation_schedule=(0.5, 0.4))
    with pytest.raises(ValidationError, match="gearing takes no target_dscr"):
        financing(target_dscr=1.3)
    with pytest.raises(InputError, match="debt_tenor_years = 2; expected at most the site's lifetime_years = 1"):
        investor_cash_flows(economics(), [0.0, 1.0], [0.0, 0.0], 10.0)
