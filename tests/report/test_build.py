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


def test_economics_hooks_say_one_sentence_without_their_tables_and_draw_with_them():
    from types import SimpleNamespace

    import pandas as pd

    from energy_portfolio.report.build import _cash_flow_items, _tornado_items
    from energy_portfolio.report.document import Chart

    bare = SimpleNamespace(sites={"a": None})
    assert _cash_flow_items(bare) == ["The cash-flow chart per site is not available in this run."]
    assert _tornado_items(bare) == ["The sensitivity (tornado) of NPV and LCOE is not available in this run."]

    flows = pd.DataFrame({"capex_usd": [-100e6, 0.0], "revenue_usd": [0.0, 30e6], "cumulative_usd": [-100e6, -70e6]},
                         index=[2030, 2031])
    sensitivity = pd.DataFrame({"driver": ["capex", "wacc"], "metric": ["npv_usd", "npv_usd"],
                                "base_value": [10e6, 10e6], "low_value": [25e6, 14e6], "high_value": [-5e6, 6e6]})
    full = SimpleNamespace(sites={"a": None}, cash_flow_table=lambda site: flows, sensitivity_table=lambda: sensitivity)
    (cash,) = _cash_flow_items(full)
    assert isinstance(cash, Chart) and [t["name"] for t in cash.figure["data"]] == ["capex", "revenue", "cumulative"]
    assert cash.table.rows[0] == ("2030", "-100.00", "0.00")  # M USD
    (tornado,) = _tornado_items(full)
    # bars are changes from the base, the widest swing (capex: 30 M USD) drawn last, i.e. on top
    assert tornado.figure["data"][0]["y"] == ["wacc", "capex"]
    assert tornado.figure["data"][0]["x"] == [4e6, 15e6] and tornado.figure["data"][1]["x"] == [-4e6, -15e6]
    assert "USD<extra>" in tornado.figure["data"][0]["hovertemplate"]


def test_unit_of_a_name():
    from energy_portfolio.report.build import unit_of

    assert (unit_of("npv_usd"), unit_of("lcoe_usd_per_mwh"), unit_of("irr")) == ("USD", "USD/MWh", "")
