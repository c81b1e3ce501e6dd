"""The typed PortfolioResult of a default run: its tables agree with summary.json and with the dispatch.

Tolerances of 1e-12 relative: each comparison is the same figure reached by two paths over the same
arrays (a table column against its summary.json value, a sum by unit against a sum by hour), so only
the order of floating-point summation can differ (about 1e-15 per operation over 8,784 hours).
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

import energy_portfolio as ep
from energy_portfolio.portfolio import SystemFigures, flatten, nest
from energy_portfolio.report.files import report_files
from energy_portfolio.report.summary import summary_document

from ..conftest import SITES

WINDOWS_HEARD: list[tuple[str, int, int]] = []


@pytest.fixture(scope="module")
def result():
    # the screening variant of the default portfolio (seconds): the API is the same for every dispatch mode
    return ep.run_portfolio(ep.load_portfolio(SITES / "portfolio_energy_only.yaml"),
                            on_window=lambda run, done, total: WINDOWS_HEARD.append((run, done, total)))


def test_both_dispatch_solves_report_their_windows(result):
    """One window each (perfect foresight): heard before and after it, named with or without the portfolio."""
    assert sorted(WINDOWS_HEARD) == [("with", 0, 1), ("with", 1, 1), ("without", 0, 1), ("without", 1, 1)]


def test_the_shipped_weather_warns_of_nothing_and_needs_no_proxy(result):
    """Issue 16 item 8, issue 17: every reference site's weather is generated at its own place from its
    region's climatology (within 50 km), so no distance needs accepting and nothing is noted."""
    assert not [w for w in result.warnings if "weather" in w or "climatology" in w]
    assert not [n for n in result.notes if "km from" in n]


def test_summary_json_nests_the_metrics_of_the_result(result):
    document = summary_document(result)
    assert document["schema_version"] == 1
    assert document["period"]["hours"] == len(result.index) == 8784
    # every figure of summary.json is a metric of the result under the same dotted path, and back
    body = {k: v for k, v in document.items() if k not in ("schema_version", "portfolio", "period")}
    assert flatten(body) == result.metrics()
    written = json.loads(report_files(result)["summary.json"])
    assert written["dispatch"]["gas_saved_mcm"] == pytest.approx(result.system().gas_saved_mcm, rel=1e-12)


def test_site_table_is_the_sites_block_of_summary_json(result):
    sites = result.site_table()
    block = summary_document(result)["sites"]
    assert list(sites.index) == list(block) == ["caspian_offshore_wind", "fuzuli_solar", "fuzuli_bess"]
    for site_id, row in sites.iterrows():
        for column in ("capacity_mw", "annual_energy_mwh", "capacity_factor", "delivered_mwh", "npv_usd"):
            assert row[column] == pytest.approx(block[site_id][column], rel=1e-12), (site_id, column)
    assert result.metric("sites.fuzuli_bess.technology") == sites.loc["fuzuli_bess", "technology"] == "battery"
    with pytest.raises(KeyError, match="not a figure"):
        result.metric("sites.fuzuli_bess.no_such_figure")
    # losses as a tidy frame: one row per site and waterfall step
    losses = result.losses_table()
    offshore = losses[losses.site == "caspian_offshore_wind"].set_index("step").loss_fraction
    assert offshore["wakes"] == pytest.approx(block["caspian_offshore_wind"]["losses"]["wakes"], rel=1e-12)


def test_dispatch_tables_add_up_to_the_hourly_dispatch(result):
    d = result.dispatch
    units = result.dispatch_by_unit()
    generation = d.thermal_mw.to_numpy().sum() + d.hydro_mw.to_numpy().sum() + d.renewable_mw.to_numpy().sum()
    kinds = units.groupby("kind").supply_mwh.sum()
    assert kinds[["thermal", "hydro", "renewable"]].sum() == pytest.approx(generation, rel=1e-12)
    assert set(units[units.new].index) == {"caspian_offshore_wind", "fuzuli_solar", "fuzuli_bess"}
    zones = result.dispatch_by_zone()
    assert zones.demand_mwh.sum() == pytest.approx(result.system().demand_mwh, rel=1e-12)
    # storage: one row per asset, the new battery and the existing one never mixed
    storage = result.storage_table()
    assert list(storage.index) == ["fuzuli_bess", "azerenerji_bess", "acwa_bess"]
    assert storage.loc["fuzuli_bess", "new"] and not storage.loc["azerenerji_bess", "new"]
    assert storage.loc["fuzuli_bess", "equivalent_full_cycles"] == pytest.approx(
        result.metric("sites.fuzuli_bess.equivalent_full_cycles"), rel=1e-12
    )
    total = storage.discharge_mwh.sum() / storage.energy_capacity_mwh.sum()
    assert total == pytest.approx(result.system().storage_equivalent_full_cycles, rel=1e-12)
    np.testing.assert_array_equal(result.prices_usd_per_mwh().to_numpy(), d.price_usd_per_mwh.to_numpy())


def test_economics_and_system_are_typed(result):
    economics = result.economics_table()
    assert list(economics.index)[-1] == "portfolio"
    assert economics.loc["portfolio", "npv_usd"] == pytest.approx(result.metric("portfolio_economics.npv_usd"))
    system = result.system()
    assert isinstance(system, SystemFigures)
    without = result.metric("dispatch.gas_burn_without_portfolio_mcm")
    assert system.gas_saved_mcm == pytest.approx(without - system.gas_burn_mcm, rel=1e-12)
    years = result.operating_years()
    study = result.portfolio.spec.study_year
    for site in result.portfolio.sites:
        assert years[site.id] == max(1, study - site.commissioning_year + 1)


def test_moved_attributes_say_where_they_went(result):
    with pytest.raises(AttributeError, match="summary_document"):
        _ = result.summary
    with pytest.raises(AttributeError, match="html_report"):
        _ = result.to_html


def test_flatten_and_nest_are_inverse():
    tree = {"a": {"b": 1.0, "c": {"d": None}}, "e": "text", "f": {}}
    assert flatten(tree) == {"a.b": 1.0, "a.c.d": None, "e": "text", "f": {}}
    assert nest(flatten(tree)) == tree


def test_storage_value_by_hand():
    # Four hours of a 100 MWh store (window 0.1..0.9): charges 50 MW at 20 USD/MWh, sits, then
    # discharges 40 MW at 60 and 5 MW at 80. Revenue = 40 x 60 + 5 x 80 - 50 x 20 = 1,800 USD;
    # throughput 45 MWh, 0.45 cycles; state of charge 90, 90, 50, 10 MWh: two hours at the maximum
    # (90 = 0.9 x 100) and one at the minimum (10); spread = (2,400 + 400) / 45 - 20 = 42.22 USD/MWh.
    from energy_portfolio.portfolio import storage_value

    value = storage_value([50, 0, 0, 0], [0, 0, 40, 5], [90, 90, 50, 10], [20, 30, 60, 80], 100.0, 0.1, 0.9)
    assert value["energy_revenue_usd"] == pytest.approx(1800.0)
    assert value["throughput_mwh"] == pytest.approx(45.0)
    assert value["equivalent_full_cycles"] == pytest.approx(0.45)
    assert value["hours_at_soc_max_h"] == 2 and value["hours_at_soc_min_h"] == 1
    assert value["spread_captured_usd_per_mwh"] == pytest.approx(2800 / 45 - 20)
    assert storage_value([0, 0], [1, 1], [5, 4], [10, 10], 10.0, 0.0, 1.0)["spread_captured_usd_per_mwh"] is None


def test_storage_table_values_what_each_store_did(result):
    table = result.storage_table()
    d = result.dispatch
    for store in ("fuzuli_bess", "azerenerji_bess"):
        price = d.price_usd_per_mwh["az_main"]
        revenue = float(((d.discharge_mw[store] - d.charge_mw[store]) * price).sum())
        assert table.loc[store, "energy_revenue_usd"] == pytest.approx(revenue, rel=1e-12)
        assert table.loc[store, "throughput_mwh"] == pytest.approx(table.loc[store, "discharge_mwh"], rel=1e-12)
        assert 0 <= table.loc[store, "hours_at_soc_min_h"] <= len(d.index)
    block = result.metrics()
    revenue = table.loc["fuzuli_bess", "energy_revenue_usd"]
    assert block["sites.fuzuli_bess.energy_revenue_usd"] == pytest.approx(revenue)
    assert "sites.fuzuli_bess.spread_captured_usd_per_mwh" in block


def test_operations_section_says_what_sets_the_price_and_lists_each_store(result):
    from energy_portfolio.report.build import _operations_section

    # the generated sentence itself is tested on hand-made counts in tests/report/test_narrative.py
    section = _operations_section(result)
    hours = result.dispatch.price_setting_hours()
    assert sum(hours.values()) == len(result.index)  # every hour of the one zone has a label
    first, n = max(hours.items(), key=lambda kv: kv[1])
    assert any(f"{first.replace('_', ' ')} set the price in {n:,} of" in text for text in section.paragraphs)
    assert any("Energy-only dispatch" in text for text in section.paragraphs)  # the shipped default
    stores = [table for table in section.items if "each asset on its own row" in (table.caption or "")]
    assert [row[0] for row in stores[0].rows] == ["fuzuli_bess", "azerenerji_bess", "acwa_bess"]


def test_the_checked_in_metric_paths_are_the_paths_of_a_run(result):
    """config/metrics.py lets validate refuse a sweep metric before any run: it must name what a run gives."""
    from energy_portfolio.config.metrics import metric_paths

    concrete, open_ = metric_paths(result.portfolio)
    keys = set(result.metrics())
    assert set(concrete) <= keys, sorted(set(concrete) - keys)
    assert all(k in concrete or any(p.fullmatch(k) for p in open_) for k in keys), \
        sorted(k for k in keys if k not in concrete and not any(p.fullmatch(k) for p in open_))


def test_each_financed_site_has_its_investor_view_in_summary_report_and_csv(result):
    """Issue 18 item 4: the investor's view beside the real economics; its figures are those of its table.

    Same figures reached two ways (summary.json against the cash-flow table), so 1e-12 relative.
    """
    from energy_portfolio.economics import internal_rate_of_return

    metrics = result.metrics()
    files = report_files(result)
    assert sorted(result.investor) == ["caspian_offshore_wind", "fuzuli_bess", "fuzuli_solar"]
    for site_id in result.investor:
        table = result.cash_flow_table(site_id)
        assert table.index[0] == 0 and table["capex_usd"].iloc[0] > 0
        path = f"sites.{site_id}.investor."
        assert metrics[path + "view"].startswith("investor:")
        assert metrics[path + "min_dscr"] == pytest.approx(table["dscr"].min(), rel=1e-12)
        assert metrics[path + "debt_usd"] == pytest.approx(table["debt_drawn_usd"].sum(), rel=1e-12)
        irr = internal_rate_of_return(table["cash_to_equity_usd"].to_numpy()).rate
        assert metrics[path + "equity_irr"] == pytest.approx(irr, rel=1e-12)
        assert f"cashflow_{site_id}.csv" in files
        assert files[f"cashflow_{site_id}.csv"].splitlines()[0].startswith("year,calendar_year,revenue_usd,")
    # the state's view stays where it was, with its keys
    assert metrics["dispatch.gas_saved_export_value_usd"] is not None
    assert set(result.investor_table().index) == set(result.investor)
    with pytest.raises(KeyError, match="no investor view"):
        result.cash_flow_table("no_such_site")


def test_gas_saved_is_discounted_at_the_portfolio_rate_by_default(result):
    """options.state_discount_rate_real is null in the screening portfolio: the portfolio's rate, stated."""
    block = summary_document(result)["dispatch"]
    rate = result.economics["portfolio"].discount_rate
    years = max(site.lifetime_years for site in result.portfolio.sites)
    annuity = (1 - (1 + rate) ** -years) / rate  # a level saving over the lifetime, discounted to year 0
    assert block["gas_discount_rate_real"] == rate
    assert block["gas_saved_export_value_pv_usd"] == pytest.approx(block["gas_saved_export_value_usd"] * annuity,
                                                                   rel=1e-12)
    assert block["gas_saved_lifetime_discounted_bcm"] == pytest.approx(block["gas_saved_mcm"] / 1000 * annuity,
                                                                       rel=1e-12)
    assert block["co2_avoided_lifetime_discounted_t"] == pytest.approx(block["co2_avoided_t"] * annuity, rel=1e-12)
    system = result.system()
    assert system.gas_saved_lifetime_discounted_bcm == block["gas_saved_lifetime_discounted_bcm"]
    assert system.co2_avoided_lifetime_discounted_t == block["co2_avoided_lifetime_discounted_t"]
    assert system.co2_avoided_lifetime_t == pytest.approx(block["co2_avoided_t"] * years, rel=1e-12)


def test_one_weather_year_states_its_lcoe_basis_and_writes_the_sensitivity(result):
    sites = summary_document(result)["sites"]
    assert sites["fuzuli_solar"]["lcoe_energy_basis"] == "typical_year"  # the study year is the P50
    assert sites["fuzuli_solar"]["p50_mwh"] == sites["fuzuli_solar"]["annual_energy_mwh"]
    assert sites["fuzuli_bess"]["lcoe_energy_basis"] == "dispatch_discharge"
    table = result.sensitivity_table()
    assert list(dict.fromkeys(table["project"])) == ["caspian_offshore_wind", "fuzuli_solar", "fuzuli_bess",
                                                     "portfolio"]
    # the base of every row is the figure the run reports
    economics = result.economics_table()
    for project, rows in table.groupby("project"):
        assert (rows["npv_base_usd"] == economics.loc[project, "npv_usd"]).all()
        assert (rows["lcoe_base_usd_per_mwh"] == economics.loc[project, "lcoe_usd_per_mwh"]).all()
    # one weather year: the portfolio's P90 case puts every site at its own P90 together
    energy = table[table["driver"] == "energy"].set_index("project")["low_input"]
    assert energy["portfolio"] == pytest.approx(energy["caspian_offshore_wind"] + energy["fuzuli_solar"], rel=1e-12)
    files = report_files(result)
    written = pd.read_csv(io.StringIO(files["sensitivity.csv"]))
    assert list(written.columns) == list(table.columns) and len(written) == len(table)
    assert "## Sensitivity of NPV and LCOE" in files["report.md"]


def test_loss_levels_run_from_the_resource_to_the_net_energy(result):
    """The report's loss diagram: solar starts at GHI (the weather's own sum at STC efficiency), wind at the
    gross energy; the changes add up to the net energy; a gain (bifacial) is a positive change."""
    from energy_portfolio.report.build import loss_levels

    for run in result.sites.values():
        label, start_mwh, steps = loss_levels(run)
        # the chain closes on the model's own hourly output: the same numbers summed two ways (float rounding)
        assert start_mwh + sum(change for _, change in steps) == pytest.approx(run.production.annual_energy_mwh,
                                                                              rel=1e-9)
        if run.production.technology == "solar":
            ghi_mwh = run.weather.frame["ghi"].clip(lower=0).sum() * run.production.details["dc_capacity_mwp"] / 1000
            assert label == "GHI at STC efficiency" and start_mwh == pytest.approx(ghi_mwh, rel=1e-12)
            changes = dict(steps)
            assert changes["transposition to the plane of array"] > 0  # a tilted array sees more than the horizontal
            assert changes["bifacial gain"] > 0
        else:
            assert start_mwh == pytest.approx(run.production.details["gross_energy_mwh"], rel=1e-9)
