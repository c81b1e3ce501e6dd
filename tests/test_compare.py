"""compare: exactly the fields that differ, and deltas against the first config."""

from __future__ import annotations

import re

import pytest

from energy_portfolio.compare import config_differences, metric_table
from energy_portfolio.config import load_portfolio, read_config


def test_two_site_files_differing_in_one_field_list_exactly_that_field(project_copy):
    base = project_copy / "sites" / "fuzuli_bess.yaml"
    other = project_copy / "sites" / "fuzuli_bess_big.yaml"
    other.write_text(base.read_text().replace("energy_mwh: 250", "energy_mwh: 500"))
    diffs = config_differences([read_config(base).spec, read_config(other).spec])
    assert [(d.path, d.values) for d in diffs] == [("energy_mwh", (250.0, 500.0))]


def test_portfolios_pointing_at_copies_differ_only_in_the_changed_field(project_copy):
    sites = project_copy / "sites"
    (sites / "fuzuli_bess_big.yaml").write_text(
        (sites / "fuzuli_bess.yaml").read_text().replace("energy_mwh: 250", "energy_mwh: 500")
    )
    (sites / "portfolio_big.yaml").write_text(
        (sites / "portfolio.yaml").read_text().replace("file: fuzuli_bess.yaml", "file: fuzuli_bess_big.yaml")
    )
    diffs = config_differences([load_portfolio(sites / "portfolio.yaml"), load_portfolio(sites / "portfolio_big.yaml")])
    assert [d.path for d in diffs] == ["sites.fuzuli_bess.energy_mwh"]


def test_identical_configs_have_no_differences(project_copy):
    spec = read_config(project_copy / "sites" / "fuzuli_solar.yaml").spec
    assert config_differences([spec, spec]) == []


def test_metric_rows_give_absolute_and_relative_differences_against_the_first():
    a = {"sites": {"s": {"annual_energy_mwh": 100.0, "technology": "wind"}}, "dispatch": {"gas_saved_mcm": 0.0}}
    b = {"sites": {"s": {"annual_energy_mwh": 110.0, "technology": "wind"}}, "dispatch": {"gas_saved_mcm": 5.0}}
    rows = {r.path: r for r in metric_table([a, b])}
    energy = rows["sites.s.annual_energy_mwh"]
    assert energy.deltas == (pytest.approx(10.0),)
    assert energy.relative_deltas == (pytest.approx(0.10),)
    assert rows["dispatch.gas_saved_mcm"].relative_deltas == (None,)  # no percentage of zero


def test_compare_command_lists_exactly_the_changed_field(project_copy):
    import json

    from typer.testing import CliRunner

    from energy_portfolio.cli import app

    sites = project_copy / "sites"
    (sites / "fuzuli_bess_big.yaml").write_text(
        (sites / "fuzuli_bess.yaml").read_text().replace("energy_mwh: 250", "energy_mwh: 500")
    )
    result = CliRunner().invoke(app, ["compare", "sites/fuzuli_bess.yaml", "sites/fuzuli_bess_big.yaml",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["differences"] == [{"field": "energy_mwh", "values": [250.0, 500.0]}]
    for fmt in ("table", "csv", "html"):
        out = project_copy / f"cmp.{fmt}"
        result = CliRunner().invoke(app, ["compare", "sites/fuzuli_bess.yaml", "sites/fuzuli_bess_big.yaml",
                                          "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "energy_mwh" in out.read_text()


def test_identical_inputs_are_run_once(project_copy, monkeypatch):
    import energy_portfolio.portfolio as portfolio_module
    from energy_portfolio.compare import compare_configs

    sites = project_copy / "sites"
    (sites / "solar_copy.yaml").write_text((sites / "fuzuli_solar.yaml").read_text())
    calls = []
    real = portfolio_module.run_site

    def counting(spec, **kwargs):
        calls.append(spec.id)
        return real(spec, **kwargs)

    monkeypatch.setattr(portfolio_module, "run_site", counting)
    comparison = compare_configs([sites / "fuzuli_solar.yaml", sites / "solar_copy.yaml"])
    assert calls == ["fuzuli_solar"]
    assert comparison.differences == ()
    energy = next(r for r in comparison.metrics if r.path == "sites.fuzuli_solar.annual_energy_mwh")
    assert energy.deltas == (0.0,)
    assert comparison.changed.empty


# ------------------------------------------------------------------------------------------
# Issue 19 item 4: only what changes, with units, grouped, and noise shown as no change.
# ------------------------------------------------------------------------------------------


def _frame(a: dict, b: dict, kinds=None, dispatch=None):
    from energy_portfolio.compare import compare_metrics

    frame = compare_metrics([a, b], ["a", "b"], kinds or {}, dispatch)
    return frame.set_index("metric")


def test_a_relative_difference_of_1e_7_in_a_dispatch_figure_is_no_change():
    """LP tolerance 1e-5 relative (config/metrics.py: DISPATCH_LP_REL_TOL): 1e-7 is below it, 1e-3 above."""
    a = {"dispatch.gas_saved_mcm": 944.65, "dispatch.renewable_share": 0.3}
    b = {"dispatch.gas_saved_mcm": 944.65 * (1 + 1e-7), "dispatch.renewable_share": 0.3 * (1 + 1e-3)}
    frame = _frame(a, b)
    assert frame.loc["dispatch.gas_saved_mcm", "status"] == "no change"
    assert not frame.loc["dispatch.gas_saved_mcm", "changed"]
    assert frame.loc["dispatch.renewable_share", "status"] == "changed"
    # shown in its unit: a share in %, the delta in percentage points
    assert frame.loc["dispatch.renewable_share", "unit"] == "%"
    assert frame.loc["dispatch.renewable_share", "delta"] == pytest.approx(0.03)


def test_a_production_figure_is_held_to_its_own_tighter_tolerance():
    """The production models are deterministic (1e-9): a 1e-7 change of a site's energy is a change."""
    a = {"sites.s.annual_energy_mwh": 1_000_000.0}
    b = {"sites.s.annual_energy_mwh": 1_000_000.0 * (1 + 1e-7)}
    row = _frame(a, b, {"s": "solar"}).loc["sites.s.annual_energy_mwh"]
    assert row["changed"] and row["group"] == "site s" and row["unit"] == "GWh"
    assert row["a"] == pytest.approx(1000.0)  # MWh shown in GWh


def test_unit_commitment_runs_are_compared_to_their_mip_gap():
    from types import SimpleNamespace

    from energy_portfolio.config.metrics import dispatch_tolerance

    uc = dispatch_tolerance(SimpleNamespace(operations="unit_commitment", commitment="integer", mip_rel_gap=0.005))
    lp = dispatch_tolerance(SimpleNamespace(operations="energy_only", commitment="integer", mip_rel_gap=0.005))
    assert (uc.rel, lp.rel) == (0.005, 1e-5)
    a, b = {"dispatch.co2_t": 1e7}, {"dispatch.co2_t": 1e7 * 1.004}  # 0.4 % apart: inside a 0.5 % gap
    assert _frame(a, b, dispatch=uc).loc["dispatch.co2_t", "status"] == "no change"
    assert _frame(a, b, dispatch=lp).loc["dispatch.co2_t", "status"] == "changed"


def test_the_solver_time_is_never_a_change_and_text_changes_are():
    a = {"dispatch.solver.seconds": 3.0, "sites.s.revenue_basis": "ppa"}
    b = {"dispatch.solver.seconds": 9.0, "sites.s.revenue_basis": "market"}
    frame = _frame(a, b)
    assert frame.loc["dispatch.solver.seconds", "status"] == "not compared"
    assert frame.loc["sites.s.revenue_basis", "status"] == "changed"


def test_every_checked_in_metric_has_a_unit_label_and_group():
    """The registry (config/metrics.py) describes every path a run gives: a number has a unit or is a count."""
    from energy_portfolio.config.metrics import METRIC_PATTERNS, metric_info

    for pattern in METRIC_PATTERNS:
        info = metric_info(pattern.replace("<...>", "x_mw"))
        assert info.group in ("system", "economics") or info.group.startswith("site "), pattern
        assert info.label and "_" not in re.sub(r"<[^>]*>", "", info.label), (pattern, info.label)
        if pattern.endswith(("_mwh", "_usd", "_mcm", "_t", "_fraction", "_share", "_mw")):
            assert info.unit, pattern


def test_a_change_that_passes_its_tolerance_never_prints_as_zero():
    from energy_portfolio.config.metrics import format_change

    assert format_change(0.0031, 2) == "+0.0031"
    assert format_change(-1234.567, 1) == "-1,234.6"


@pytest.mark.slow
def test_a_battery_change_shows_exactly_the_figures_that_change_and_shares_the_rest(project_copy):
    """Battery energy 250 -> 500 MWh in the energy-only portfolio: the battery's and the system's figures
    change; the wind and solar sites' production shows no change; their production and the dispatch
    without the portfolio are computed once for both runs."""
    from energy_portfolio.compare import compare_configs, render_comparison

    sites = project_copy / "sites"
    (sites / "bess_500.yaml").write_text((sites / "fuzuli_bess.yaml").read_text().replace(
        "energy_mwh: 250", "energy_mwh: 500"))
    (sites / "big.yaml").write_text((sites / "portfolio_energy_only.yaml").read_text().replace(
        "file: fuzuli_bess.yaml", "file: bess_500.yaml"))
    comparison = compare_configs([sites / "portfolio_energy_only.yaml", sites / "big.yaml"])
    assert [d.path for d in comparison.differences] == ["sites.fuzuli_bess.energy_mwh"]
    changed = comparison.changed.set_index("metric")
    assert {"sites.fuzuli_bess.energy_capacity_mwh", "sites.fuzuli_bess.annual_energy_mwh",
            "dispatch.storage.discharge_mwh"} <= set(changed.index)
    for site in ("fuzuli_solar", "caspian_offshore_wind"):
        production = comparison.table[(comparison.table["group"] == f"site {site}")
                                      & comparison.table["metric"].str.contains(r"annual_energy|losses\.")]
        assert len(production) > 1
        assert list(production.loc[production["changed"], "metric"]) == []
        assert (production["status"] == "no change").all()
    # the dispatch without the portfolio (the one solve through the shared cache) solved once for both runs;
    # every site run (new sites and the existing fleet's reference sites) computed once and handed out twice
    assert (comparison.computed["dispatch"], comparison.reused["dispatch"]) == (1, 1)
    assert comparison.reused["site run"] >= comparison.computed["site run"] > 2
    text = render_comparison(comparison, "table")
    assert "sites.fuzuli_solar" not in text and "no change" in text  # labels, not paths; unchanged ones counted


def test_the_html_page_lists_what_changes_with_a_chart_and_counts_the_rest():
    from energy_portfolio.compare import compare_metrics
    from energy_portfolio.report.comparison import ComparisonInputs, comparison_document
    from energy_portfolio.report.document import Chart, render_html, render_markdown

    a = {"sites.s.annual_energy_mwh": 1e6, "dispatch.gas_saved_mcm": 900.0, "portfolio_economics.npv_usd": -1.5e9}
    b = {"sites.s.annual_energy_mwh": 1.01e6, "dispatch.gas_saved_mcm": 900.0 * (1 + 1e-7),
         "portfolio_economics.npv_usd": -1.4e9}
    frame = compare_metrics([a, b], ["a.yaml", "b.yaml"], {"s": "solar"})
    inputs = ComparisonInputs(("a.yaml", "b.yaml"), (("sites.s.soiling", ("0.03", "0.02")),), frame, "tolerances")
    doc = comparison_document(inputs)
    text = render_markdown(doc)
    assert "| annual energy | GWh | 1,000.00 | 1,010.00 | ▲ +10.00 | +1 % |" in text
    assert "gas saved" not in text  # within tolerance: not listed without show_all
    assert "2 of 3 figures change" in text
    charts = [item for section in doc.sections for item in section.items if isinstance(item, Chart)]
    assert len(charts) == 1 and charts[0].png.startswith(b"\x89PNG")
    # the interactive chart of the report: the two relative changes, largest on top, with the unit in the hover
    bars = charts[0].figure["data"][0]
    # the NPV rises from -1.5 to -1.4 bn USD: +6.67 % of its magnitude
    assert bars["x"] == pytest.approx([1.0, 100 * 0.1 / 1.5], rel=1e-3) and "%<extra>" in bars["hovertemplate"]
    assert "Plotly" in render_html(doc)  # plotly.js inlined, as in the run's report
    every = render_html(comparison_document(
        ComparisonInputs(inputs.names, inputs.differences, frame, "t", show_all=True)))
    assert "gas saved" in every and "no change" in every
