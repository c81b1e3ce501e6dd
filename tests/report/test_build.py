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


def test_farm_layout_is_coloured_by_each_turbines_wake_loss():
    import pandas as pd

    from energy_portfolio.report.build import TURBINES_LISTED, _farm_layout_chart

    # three turbines in a row: losses 0 %, 12.5 %, 8 %; farm loss their mean, 6.83 %
    small = pd.DataFrame({"x_m": [0.0, 1200.0, 2400.0], "y_m": [0.0, 0.0, 0.0],
                          "wake_loss_fraction": [0.0, 0.125, 0.08]}, index=pd.RangeIndex(1, 4, name="turbine"))
    chart = _farm_layout_chart("farm", small, 0.205 / 3)
    (trace,) = chart.figure["data"]
    assert trace["marker"]["color"] == [0.0, 12.5, 8.0] and trace["customdata"] == [0.0, 12.5, 8.0]
    assert trace["marker"]["colorbar"]["title"]["text"] == "wake loss [%]"
    assert trace["x"] == [0.0, 1.2, 2.4] and trace["text"] == ["T1", "T2", "T3"]
    assert "wake loss %{customdata:.1f} %" in trace["hovertemplate"] and "km" in trace["hovertemplate"]
    assert "farm's wake loss is 6.8 %, from 0.0 % (T1) to 12.5 % (T2) across turbines" in chart.caption
    assert chart.table.rows == (("T1", "0.00", "0.00", "0.0 %"), ("T2", "1.20", "0.00", "12.5 %"),
                                ("T3", "2.40", "0.00", "8.0 %"))

    # a long farm gives the turbines of least, median and most loss
    n = TURBINES_LISTED + 3  # 15 turbines, losses 1 %, 2 % ... 15 % from west to east: median 8 % (T8)
    large = pd.DataFrame({"x_m": [1000.0 * i for i in range(n)], "y_m": [0.0] * n,
                          "wake_loss_fraction": [(i + 1) / 100 for i in range(n)]},
                         index=pd.RangeIndex(1, n + 1, name="turbine"))
    rows = _farm_layout_chart("farm", large, 0.08).table.rows
    assert [r[0] for r in rows] == ["least: T1", "median: T8", "most: T15"]
    assert [r[3] for r in rows] == ["1.0 %", "8.0 %", "15.0 %"]
