"""How the report formats config values in its appendix of inputs."""

from __future__ import annotations

import pytest

from energy_portfolio.report.build import input_value


@pytest.mark.parametrize(("field", "value", "shown"), [
    ("economics.capex_usd", "27000000", ("27,000,000", "USD")),
    ("sites.fuzuli.capacity_mw", "240.5", ("240.5", "MW")),
    ("losses.soiling_fraction", "0.02", ("0.02", "fraction")),
    ("options.study_year", "2032", ("2032", "")),  # a year keeps no separator
    ("hub_height_m", "150", ("150", "m")),
    ("turbine", "IEA_Reference_15MW_240", ("IEA_Reference_15MW_240", "")),  # text stays as written
    ("price_usd_per_mwh", "1.5e2", ("150", "USD/MWh")),
])
def test_input_values_are_formatted_with_the_unit_of_their_name(field, value, shown):
    assert input_value(field, value) == shown


def test_cash_flow_chart_per_financed_site_and_a_tornado_per_project():
    from types import SimpleNamespace

    import pandas as pd

    from energy_portfolio.report.build import _cash_flow_items, _tornado_items
    from energy_portfolio.report.document import Chart

    bare = SimpleNamespace(investor={})
    (sentence,) = _cash_flow_items(bare)
    assert sentence.startswith("The investor's cash-flow chart") and sentence.endswith("is not available in this run.")

    # year 0: capex 100, 60 of it debt; year 1: revenue 30, opex 5, tax 2, debt service 10 -> 13 to equity
    flows = pd.DataFrame({"revenue_usd": [0.0, 30e6], "opex_usd": [0.0, 5e6], "tax_usd": [0.0, 2e6],
                          "debt_service_usd": [0.0, 10e6], "capex_usd": [100e6, 0.0], "debt_drawn_usd": [60e6, 0.0],
                          "cash_to_equity_usd": [-40e6, 13e6]}, index=pd.Index([0, 1], name="year"))
    full = SimpleNamespace(investor={"a": None}, cash_flow_table=lambda site: flows)
    (cash,) = _cash_flow_items(full)
    names = [t["name"] for t in cash.figure["data"]]
    assert names == ["revenue", "opex", "profit tax", "debt service", "equity share of capex", "cash to equity",
                     "cumulative cash to equity"]
    assert cash.table.rows[0] == ("0", "0.00", "-0.00", "-0.00", "-0.00", "-40.00", "-40.00")  # M USD
    assert cash.figure["data"][-1]["y"] == [-40.0, -27.0]  # the running sum of the cash to equity

    table = pd.DataFrame({"project": ["p", "p"], "driver": ["capex", "discount_rate"],
                          "npv_base_usd": [10e6, 10e6], "npv_low_usd": [25e6, 14e6], "npv_high_usd": [-5e6, 6e6],
                          "lcoe_base_usd_per_mwh": [50.0, 50.0], "lcoe_low_usd_per_mwh": [40.0, 47.0],
                          "lcoe_high_usd_per_mwh": [60.0, 53.0]})
    npv, lcoe = _tornado_items(SimpleNamespace(sensitivity_table=lambda: table))
    assert isinstance(npv, Chart) and isinstance(lcoe, Chart)
    # bars are changes from the base, the widest swing (capex: 30 M USD) drawn last, i.e. on top
    assert npv.figure["data"][0]["y"] == ["discount_rate", "capex"]
    assert npv.figure["data"][0]["x"] == [4.0, 15.0] and npv.figure["data"][1]["x"] == [-4.0, -15.0]
    assert "M USD<extra>" in npv.figure["data"][0]["hovertemplate"]
    assert lcoe.figure["data"][0]["x"] == [-3.0, -10.0] and "USD/MWh<extra>" in lcoe.figure["data"][0]["hovertemplate"]


def test_unit_of_a_name():
    from energy_portfolio.report.build import unit_of

    assert (unit_of("npv_usd"), unit_of("lcoe_usd_per_mwh"), unit_of("irr")) == ("USD", "USD/MWh", "")
