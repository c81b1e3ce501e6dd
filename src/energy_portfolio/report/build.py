"""Build the report document (sections, tables, charts) from a PortfolioResult.

The same Document renders as report.html (with charts) and report.md (charts as tables),
see document.py. Figures are formatted here; numbers come from the result unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..config.annotations import read_annotations
from . import plots
from .document import Chart, Document, Section, Table, rows
from .scenarios import scenarios_section

if TYPE_CHECKING:
    from ..portfolio import PortfolioResult, SiteRun
    from ..portfolio.ranges import ScenarioComparison

__all__ = [
    "ProductionCharts",
    "build_document",
    "key_figures",
    "link_basis_sentence",
    "production_charts",
    "summary_week_starts",
]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _num(value: Any, digits: int = 0, scale: float = 1.0, unit: str = "") -> str:
    if _missing(value):
        return "n/a"
    text = f"{value / scale:,.{digits}f}"
    return f"{text} {unit}".rstrip()


def _pct(value: Any, digits: int = 1) -> str:
    return "n/a" if _missing(value) else f"{value * 100:.{digits}f} %"


def key_figures(result: PortfolioResult) -> list[tuple[str, str]]:
    """(label, formatted value) pairs shown first in the report and in notebooks."""
    d = result.system()
    out = []
    for site_id, site in result.site_table().iterrows():
        if site_id not in result.sites:  # a store has no energy of its own
            continue
        out.append((f"{site_id}: net energy", _num(site["annual_energy_mwh"], 0, 1000, "GWh")))
        out.append((f"{site_id}: capacity factor", _pct(site["capacity_factor"])))
    out += [
        ("renewable share of generation (incl. hydro)", _pct(d.renewable_share)),
        ("curtailment", _num(d.curtailment_mwh, 1, 1000, "GWh")),
        ("storage equivalent full cycles", _num(d.storage_equivalent_full_cycles, 0)),
        ("gas saved", _num(d.gas_saved_mcm, 0, 1, "million m3")),
        ("value of the gas saved at the export price", _num(d.gas_saved_export_value_usd, 1, 1e6, "M USD")),
        ("CO2 avoided", _num(d.co2_avoided_t, 0, 1000, "kt")),
        ("unserved energy", _num(d.unserved_mwh, 0, 1, "MWh")),
    ]
    return out


def summary_week_starts(index: pd.DatetimeIndex) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Mondays starting the summer week (containing 15 July) and the winter week (containing 15 January)."""

    def monday(month: int) -> pd.Timestamp:
        day = pd.Timestamp(year=index[0].year, month=month, day=15, tz=index.tz)
        return (day - pd.Timedelta(days=day.weekday())).normalize()

    return monday(7), monday(1)


def _chart(fig, caption: str, table: Table | None = None) -> Chart:
    return Chart(plots.figure_png(fig), caption, table)


def _key_section(result: PortfolioResult) -> Section:
    table = Table(("figure", "value"), rows(key_figures(result)))
    text = (
        f"Study year {result.index[0].year}, {len(result.index)} hours, times in "
        f"{result.portfolio.spec.timezone} (labels at the start of each hour). Gas saved and CO2 avoided "
        "are the difference between dispatch runs with and without the new portfolio."
    )
    return Section("Key figures", (text,), (table,))


def _sites_section(result: PortfolioResult, charts: ProductionCharts) -> Section:
    sites = result.site_table()
    header = (
        "site",
        "technology",
        "capacity [MW]",
        "net energy [GWh]",
        "capacity factor",
        "P90 [GWh]",
        "delivered [GWh]",
        "curtailed [GWh]",
        "LCOE [USD/MWh]",
        "NPV [M USD]",
    )
    table = Table(
        header,
        rows(
            [
                (
                    k,
                    v["technology"],
                    _num(v["capacity_mw"], 1),
                    _num(v["annual_energy_mwh"], 1, 1000),
                    _pct(v["capacity_factor"]),
                    _num(v.get("p90_mwh"), 1, 1000),
                    _num(v["delivered_mwh"], 1, 1000),
                    _num(v["curtailed_mwh"], 1, 1000),
                    _num(v.get("lcoe_usd_per_mwh"), 1),
                    _num(v.get("npv_usd"), 1, 1e6),
                )
                for k, v in sites.iterrows()
            ]
        ),
        "Sites",
    )
    return Section("Energy per site", (), (table, *_wake_range_tables(result), charts.monthly,
                                           *charts.waterfalls.values()))


def _wake_range_tables(result: PortfolioResult) -> list[Table]:
    """One table per wind site with a PyWake wake range: one line per model, the one used marked."""
    tables = []
    for site_id, run in result.sites.items():
        production = run.production
        if not production.wake_loss_fraction_by_model:
            continue
        used = production.details.get("wake_model")
        tables.append(Table(
            ("wake model", "wake loss", "used"),
            rows([(model, _pct(loss), "yes" if model == used else "")
                  for model, loss in production.wake_loss_fraction_by_model.items()]),
            f"{site_id}: farm wake loss under each PyWake engineering model (the spread enters P90 as "
            f"wake_model_spread, {_pct(result.p_values[site_id].get('wake_model_spread_fraction'))})",
        ))
    return tables


@dataclass(frozen=True)
class ProductionCharts:
    """The charts that need only the new sites' production: monthly energy, loss waterfalls, heatmap."""

    monthly: Chart
    waterfalls: dict[str, Chart]
    heatmap: Chart


def production_charts(sites: dict[str, SiteRun]) -> ProductionCharts:
    """Render the production charts of the new sites (``PortfolioResult.sites``).

    They depend on nothing the dispatch computes, so ``energy-portfolio report`` renders them
    while the dispatch solves run (``run_portfolio(on_production=...)``).
    """
    monthly = pd.DataFrame(
        {k: run.production.monthly_energy_mwh.to_numpy() / 1000 for k, run in sites.items()}, index=_MONTHS
    )
    monthly_chart = _chart(
        plots.monthly_energy_chart(monthly.reset_index(drop=True), "Monthly net energy"),
        "Monthly net energy of each site [GWh]",
        Table(("month", *monthly.columns), rows([(m, *(f"{v:,.1f}" for v in r)) for m, r in monthly.iterrows()])),
    )
    waterfalls = {}
    for site_id, run in sites.items():
        waterfall = run.production.waterfall
        waterfalls[site_id] = _chart(
            plots.waterfall_chart(waterfall, f"{site_id}: loss waterfall"),
            f"{site_id}: loss waterfall from {waterfall.reference} to net energy [GWh]",
            Table(
                ("step", "energy in [MWh]", "loss", "energy out [MWh]"),
                rows([(n, f"{a:,.0f}", f"{f * 100:+.2f} %", f"{b:,.0f}") for n, a, f, b in waterfall.rows()]),
            ),
        )
    new_output = sum(run.production.net_mw for run in sites.values())
    table = new_output.groupby([new_output.index.month, new_output.index.hour]).mean().unstack()
    heatmap = _chart(
        plots.month_hour_heatmap(new_output, "New portfolio generation"),
        "Mean net generation of the new sites by month and hour of day [MW]",
        Table(
            ("month", *(f"{h:02d}" for h in range(24))),
            rows([(_MONTHS[m - 1], *(f"{v:,.0f}" for v in r)) for m, r in table.iterrows()]),
        ),
    )
    return ProductionCharts(monthly_chart, waterfalls, heatmap)


def _system_section(result: PortfolioResult) -> Section:
    d = result.dispatch
    demand = d.demand_mw.sum(axis=1)
    net_load = demand - d.available_mw.sum(axis=1)
    price = d.price_usd_per_mwh.mean(axis=1)
    quantiles = [0.0, 0.01, 0.1, 0.5, 0.9, 0.99, 1.0]
    qtable = Table(
        ("share of hours above", "net load [MW]", "price [USD/MWh]"),
        rows(
            [
                (f"{q * 100:.0f} %", f"{net_load.quantile(1 - q):,.0f}", f"{price.quantile(1 - q):,.2f}")
                for q in quantiles
            ]
        ),
    )
    items: list[Table | Chart] = [
        _chart(
            plots.duration_curve_chart(net_load, "net load [MW]", "Net load duration curve"),
            "Net load (demand less available wind and solar) sorted from highest hour [MW]",
            qtable,
        ),
        _chart(
            plots.duration_curve_chart(price, "marginal price [USD/MWh]", "Price duration curve"),
            "Hourly marginal price from the dispatch duals, sorted [USD/MWh]",
        ),
    ]
    summer, winter = summary_week_starts(d.index)
    for label, start in (("summer", summer), ("winter", winter)):
        window = slice(start, start + pd.Timedelta(hours=167))
        supply = _supply_groups(result).loc[window]
        daily = supply.resample("D").sum() / 1000
        items.append(
            _chart(
                plots.dispatch_stack_chart(supply, demand.loc[window], f"{label.title()} week from {start.date()}"),
                f"Hourly dispatch by group, {label} week from {start.date()} [MW]",
                Table(
                    ("day", *daily.columns),
                    rows([(str(i.date()), *(f"{v:,.1f}" for v in r)) for i, r in daily.iterrows()]),
                    "daily energy [GWh]",
                ),
            )
        )
    return Section("The power system", (), tuple(items))


def _supply_groups(result: PortfolioResult) -> pd.DataFrame:
    d = result.dispatch
    groups = {"gas": d.thermal_mw.sum(axis=1), "hydro": d.hydro_mw.sum(axis=1)}
    for technology in ("wind", "solar"):
        plants = [p for p in d.renewable_mw.columns if d.technology.get(p) == technology]
        groups[technology] = d.renewable_mw[plants].sum(axis=1)
    by_technology: dict[str, list[str]] = {}
    for store, technology in d.storage_technology.items():
        by_technology.setdefault(technology, []).append(store)
    for technology, stores in by_technology.items():
        groups[f"{technology}_discharge"] = d.discharge_mw[stores].sum(axis=1)
    if not by_technology:
        groups["battery_discharge"] = d.discharge_mw.sum(axis=1)
    groups["import"] = d.import_mw.sum(axis=1)
    for technology, stores in by_technology.items():
        groups[f"{technology}_charge"] = -d.charge_mw[stores].sum(axis=1)
    if not by_technology:
        groups["battery_charge"] = -d.charge_mw.sum(axis=1)
    groups["export"] = -d.export_mw.sum(axis=1)
    return pd.DataFrame(groups, index=d.index)


def link_basis_sentence(link: Any) -> str:
    """How one interconnector of the grid file trades, in one sentence (its firm contract, the basis of
    its opportunistic prices and what it may carry)."""
    parts = [f"{link.id} ({link.neighbour}, {link.export_capacity_mw:,.0f} MW out, "
             f"{link.import_capacity_mw:,.0f} MW in):"]
    firm = link.firm_export
    if firm is not None:
        parts.append(f"a firm export contract of {sum(firm.monthly_mwh) / 1000:,.0f} GWh a year, a flat band within "
                     f"each month, at {firm.price_usd_per_mwh:g} USD/MWh (revenue only);")
    market = link.opportunistic
    if market is not None and market.basis == "market_reference":
        source = "12 monthly values" if market.monthly_price_usd_per_mwh is not None else f"hourly, {market.path.name}"
        parts.append(f"opportunistic trade at the market reference {market.market} ({source}) less "
                     f"{market.export_discount_usd_per_mwh:g} USD/MWh for sales and plus "
                     f"{market.import_premium_usd_per_mwh:g} for purchases;")
    else:
        sale, purchase = link.fixed_prices_usd_per_mwh
        parts.append(f"opportunistic trade at fixed prices, {sale:g} USD/MWh for sales and {purchase:g} for purchases;")
    carries = {"any": "it may export any power", "renewables": "its exports in each hour are at most the wind and "
               "solar output of that hour"}.get(link.carries_kind, "its exports in each hour are at most the output "
                                                 f"of {', '.join(link.carried_sites)} in that hour")
    return " ".join(parts) + f" {carries}."


def _trade_section(result: PortfolioResult) -> Section:
    table = result.trade_table()
    header = ("link", "exports [GWh]", "firm [GWh]", "opportunistic [GWh]", "imports [GWh]",
              "export revenue [M USD]", "share of its plants' output exported")
    body = [(link, _num(r["export_mwh"], 1, 1000), _num(r["export_firm_mwh"], 1, 1000),
             _num(r["export_opportunistic_mwh"], 1, 1000), _num(r["import_mwh"], 1, 1000),
             _num(r["export_revenue_usd"], 1, 1e6),
             "" if r["carries"] == "any" else _pct(r["eligible_export_share"]))
            for link, r in table.iterrows()]
    text = ("How each interconnector trades: firm contracts are fixed bands the dispatch serves; opportunistic "
            "trade above them follows the link's own price basis, independent of the gas price basis. Imports "
            "are all opportunistic.")
    sentences = tuple(link_basis_sentence(link) for link in result.portfolio.study_grid.interconnectors)
    return Section("Trade", (text, *sentences), (Table(header, rows(body)),))


def _storage_section(result: PortfolioResult) -> Section:
    d = result.dispatch
    if d.soc_mwh.empty:
        return Section("Battery", ("The portfolio has no battery.",))
    technologies = sorted(set(d.storage_technology.values()))
    name = technologies[0].capitalize() if len(technologies) == 1 else "Storage"
    system = result.system()
    monthly = pd.DataFrame({"charge [MWh]": d.charge_mw.sum(axis=1), "discharge [MWh]": d.discharge_mw.sum(axis=1)})
    monthly = monthly.groupby(monthly.index.month).sum()
    table = Table(
        ("month", *monthly.columns), rows([(_MONTHS[m - 1], *(f"{v:,.0f}" for v in r)) for m, r in monthly.iterrows()])
    )
    text = (
        f"Charged {system.storage_charge_mwh:,.0f} MWh, discharged {system.storage_discharge_mwh:,.0f} MWh: "
        f"{system.storage_equivalent_full_cycles:,.0f} equivalent full cycles."
    )
    chart = _chart(
        plots.state_of_charge_chart(d.soc_mwh, f"{name} state of charge"),
        "State of charge, daily range and mean [MWh]",
        table,
    )
    return Section(name, (text,), (chart,))


def _price_setter_sentence(hours: dict[str, int], total: int, label: str) -> str:
    """One generated sentence: which technologies set the price and in how many hours."""
    if not hours:
        return ""
    ranked = sorted(hours.items(), key=lambda item: -item[1])
    parts = ", ".join(f"{name.replace('_', ' ')} in {n:,} h ({n / total:.0%})" for name, n in ranked[:4])
    return f"{label}, the price was set by {parts}."


def _operations_section(result: PortfolioResult) -> Section:
    """What sets the price, how the gas fleet is committed, which reserves are held by whom, and each
    store's revenue stack, with and without the portfolio: sentences and tables from the result."""
    d, without = result.dispatch, result.dispatch.counterfactual
    hours = len(d.index) * max(1, d.price_usd_per_mwh.shape[1])
    texts = [_price_setter_sentence(d.price_setting_hours(), hours, "With the portfolio")]
    if without is not None:
        texts.append(_price_setter_sentence(without.price_setting_hours(), hours, "Without it"))
    tables = []
    fuel = d.fuel_table()
    if d.starts is not None:
        def with_and_without(frame_of, plant: str) -> str:
            mine = _num(float(frame_of(d)[plant].sum()), 0)
            if without is None or frame_of(without) is None:
                return mine
            return f"{mine} / {_num(float(frame_of(without)[plant].sum()), 0)}"

        rows_ = [(plant, with_and_without(lambda r: r.starts, plant),
                  with_and_without(lambda r: r.at_min_stable, plant),
                  _num(fuel.loc[plant, "no_load_mcm"], 1), _num(fuel.loc[plant, "incremental_mcm"], 1),
                  _num(fuel.loc[plant, "start_up_mcm"], 2))
                 for plant in d.thermal_mw.columns]
        tables.append(Table(("plant", "starts (with / without)", "hours at minimum stable level (with / without)",
                             "no-load gas [million m3]", "incremental gas [million m3]", "start-up gas [million m3]"),
                            rows(rows_), "Unit commitment of the gas fleet: starts and hours at the minimum stable "
                            "level with / without the portfolio, gas with it"))
    else:
        texts.append("Energy-only dispatch: gas plants run without unit commitment (no starts, no minimum "
                     "stable level, full-load heat rates), and no reserve is held.")
    reserves = d.reserve_summary()
    if reserves:
        reserves_without = without.reserve_summary() if without is not None else {}

        def held_by(summary: dict) -> str:
            shares = sorted(summary["share_by_provider_kind"].items(), key=lambda kv: -kv[1])
            return ", ".join(f"{kind} {share:.0%}" for kind, share in shares if share >= 0.005)

        rows_ = []
        for key, v in reserves.items():
            other = reserves_without.get(key)
            rows_.append((key, _num(v["mean_requirement_mw"], 0), _num(max(v["mean_price_usd_per_mw_h"], 0.0), 2),
                          held_by(v), _num(other["mean_requirement_mw"], 0) if other else "",
                          held_by(other) if other else ""))
        tables.append(Table(("product", "mean requirement [MW]", "mean price [USD/MW/h]", "held by",
                             "without the portfolio: mean requirement [MW]", "held by"), rows(rows_),
                            "Reserves held with and without the portfolio"))
    storage = result.storage_table()
    if not storage.empty:
        reserve_columns = [c for c in storage.columns if str(c).startswith("reserve_revenue_usd:")]
        rows_ = [(store, row["technology"], _num(row["equivalent_full_cycles"], 0),
                  _num(row["energy_revenue_usd"], 1, 1e3), _num(row[reserve_columns].sum() if reserve_columns else 0.0,
                                                                1, 1e3),
                  _num(row["total_revenue_usd"], 1, 1e3))
                 for store, row in storage.iterrows()]
        tables.append(Table(("store", "technology", "equivalent full cycles", "energy revenue [k USD]",
                             "reserve revenue [k USD]", "total [k USD]"), rows(rows_),
                            "What each store earns (each asset on its own row)"))
    return Section("Operations: prices, commitment, reserves, storage value", tuple(t for t in texts if t),
                   tuple(tables))


def _curtailment_section(result: PortfolioResult) -> Section:
    d = result.dispatch
    causes = (
        pd.DataFrame(
            {
                "own connection": d.curtailment_connection_mw.sum(),
                "line congestion": d.curtailment_congestion_mw.sum(),
                "system oversupply": d.curtailment_oversupply_mw.sum(),
            }
        )
        / 1000
    )
    table = Table(("plant", *causes.columns), rows([(i, *(f"{v:,.2f}" for v in r)) for i, r in causes.iterrows()]))
    chart = _chart(
        plots.curtailment_chart(causes, "Curtailment by cause"), "Curtailed energy by plant and cause [GWh]", table
    )
    return Section("Curtailment by cause", (), (chart,))


def _economics_section(result: PortfolioResult) -> Section:
    header = (
        "",
        "capex [M USD]",
        "LCOE net [USD/MWh]",
        "LCOE delivered [USD/MWh]",
        "market value [USD/MWh]",
        "NPV [M USD]",
        "IRR",
        "basis",
    )
    entries = list(result.economics_table().iterrows())
    table = Table(
        header,
        rows(
            [
                (
                    k,
                    _num(v.get("capex_usd"), 1, 1e6),
                    _num(v.get("lcoe_usd_per_mwh"), 1),
                    _num(v.get("lcoe_delivered_usd_per_mwh"), 1),
                    _num(v.get("market_value_usd_per_mwh"), 1),
                    _num(v.get("npv_usd"), 1, 1e6),
                    _pct(v.get("irr")),
                    v.get("revenue_basis") or "",
                )
                for k, v in entries
            ]
        ),
        "Lifetime economics (real USD)",
    )
    d = result.system()
    gas = Table(
        ("the state's view: gas and carbon", "value"),
        rows(
            [
                ("gas saved per year", _num(d.gas_saved_mcm, 1, 1, "million m3")),
                ("gas saved over the lifetime", _num(d.gas_saved_lifetime_bcm, 2, 1, "bcm")),
                (
                    "value at the domestic power-plant price",
                    _num(d.gas_saved_domestic_value_usd, 1, 1e6, "M USD/yr"),
                ),
                ("value at the export price", _num(d.gas_saved_export_value_usd, 1, 1e6, "M USD/yr")),
                (
                    f"present value over the lifetime at {_pct(d.gas_discount_rate_real)} real, domestic price",
                    _num(d.gas_saved_domestic_value_pv_usd, 1, 1e6, "M USD"),
                ),
                (
                    f"present value over the lifetime at {_pct(d.gas_discount_rate_real)} real, export price",
                    _num(d.gas_saved_export_value_pv_usd, 1, 1e6, "M USD"),
                ),
                (
                    "gas saved over the lifetime, discounted (a levelised-cost denominator, not an amount)",
                    _num(d.gas_saved_lifetime_discounted_bcm, 2, 1, "bcm"),
                ),
                ("CO2 avoided per year", _num(d.co2_avoided_t, 0, 1000, "kt")),
                ("CO2 avoided over the lifetime", _num(d.co2_avoided_lifetime_t, 2, 1e6, "Mt")),
                (
                    "CO2 avoided over the lifetime, discounted (a levelised-cost denominator, not an amount)",
                    _num(d.co2_avoided_lifetime_discounted_t, 2, 1e6, "Mt"),
                ),
                ("CO2 factor of gas", _num(d.co2_factor_t_per_tj, 1, 1, "t/TJ")),
            ]
        ),
    )
    return Section("Economics, gas and carbon", (), (table, _investor_table(result), gas))


def _investor_table(result: PortfolioResult) -> Table:
    """The investor's view of each financed site, beside the real economics above and the state's gas below."""
    entries = list(result.investor_table().iterrows())
    return Table(
        ("", "equity IRR", "equity IRR real", "project IRR after tax", "min DSCR", "avg DSCR", "debt [M USD]",
         "PPA for target IRR [USD/MWh]", "target IRR", "basis"),
        rows(
            [
                (
                    k,
                    _pct(v.get("equity_irr")),
                    _pct(v.get("equity_irr_real")),
                    _pct(v.get("project_irr_after_tax")),
                    _num(v.get("min_dscr"), 2),
                    _num(v.get("avg_dscr"), 2),
                    _num(v.get("debt_usd"), 1, 1e6),
                    _num(v.get("ppa_for_target_irr_usd_per_mwh"), 1),
                    _pct(v.get("target_equity_irr")),
                    v.get("revenue_basis") or "",
                )
                for k, v in entries
            ]
        ),
        "The investor's view: nominal USD after profit tax and debt service (cashflow_<site>.csv)",
    )


def _sensitivity_section(result: PortfolioResult) -> Section:
    """The one-at-a-time sensitivity as a table (sensitivity.csv has every column at full precision)."""
    if result.sensitivity is None:
        return Section("Sensitivity of NPV and LCOE", ("No sensitivity was computed for this result.",))
    header = ("", "driver", "cases", "NPV low [M USD]", "NPV base [M USD]", "NPV high [M USD]",
              "LCOE low [USD/MWh]", "LCOE base [USD/MWh]", "LCOE high [USD/MWh]")
    table = Table(header, rows([
        (r.project, r.driver, f"{r.low_case} / {r.high_case}", _num(r.npv_low_usd, 1, 1e6),
         _num(r.npv_base_usd, 1, 1e6), _num(r.npv_high_usd, 1, 1e6), _num(r.lcoe_low_usd_per_mwh, 1),
         _num(r.lcoe_base_usd_per_mwh, 1), _num(r.lcoe_high_usd_per_mwh, 1))
        for r in result.sensitivity_table().itertuples()
    ]), "Each driver moved down (low) and up (high) from the base case, one at a time (real USD)")
    text = (
        "Capex, each site's real discount rate, net energy (at the P-values of the uncertainty section) and the "
        "price received (the PPA price and the revenue at the dispatch's marginal prices) are moved one at a "
        "time, and the cash flows priced again. Production and dispatch are not run again: a case keeps the "
        "study year's curtailment and marginal prices, which another energy would move. Without P-values of "
        "its own, the portfolio's energy case puts every site at its own P90 (or P10) together."
    )
    return Section("Sensitivity of NPV and LCOE", (text,), (table,))


def _uncertainty_section(result: PortfolioResult) -> Section:
    years = result.weather_years
    header = ("", "P50 [GWh]", "P90 [GWh]", "P99 [GWh]", "P90 delivered [GWh]", "P90 revenue [M USD]",
              "year-to-year", "stack", "total", "stack for data")
    entries = [(k, v) for k, v in result.p_values.items() if v.get("p50_mwh") is not None]
    table = Table(header, rows([
        (k, _num(v.get("p50_mwh"), 1, 1000), _num(v.get("p90_mwh"), 1, 1000), _num(v.get("p99_mwh"), 1, 1000),
         _num(v.get("p90_delivered_mwh"), 1, 1000), _num(v.get("p90_revenue_usd"), 1, 1e6),
         _pct(v.get("energy_interannual_variability_fraction")), _pct(v.get("energy_stack_uncertainty_fraction")),
         _pct(v.get("energy_total_uncertainty_fraction")), str(v.get("resource_data_kind", "")).replace("_", " "))
        for k, v in entries
    ]), "Exceedance levels of net energy (normal approximation); each site's stack follows what its weather is "
        "made from (measured on site, station, satellite, reanalysis or synthetic from a climatology)")
    if years is None:
        text = ("One weather year: P90 and P99 combine the uncertainty stack only, with no year-to-year "
                "variability. Set options.weather_years to 2 or more for P-values over generated years, "
                "carried through the dispatch to delivered energy and revenue.")
        return Section("Uncertainty: P50, P90, P99", (text,), (table,))
    samples = pd.DataFrame(years.energy_mwh) / 1000
    samples["portfolio"] = samples.sum(axis=1)
    text = (f"{years.n_years} weather years, "
            "each dispatched with the portfolio: delivered energy and revenue include curtailment and prices.")
    chart = _chart(plots.exceedance_chart(samples, "net energy [GWh]", "Annual energy by weather year"),
                   "Annual net energy of each weather year against its probability of exceedance [GWh]",
                   Table(("year", *samples.columns),
                         rows([(str(i + 1), *(f"{v:,.1f}" for v in r)) for i, r in samples.iterrows()])))
    return Section("Uncertainty: P50, P90, P99", (text,), (table, chart))


def _inputs_section(result: PortfolioResult) -> Section:
    items = []
    for path in result.input_files:
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        notes = read_annotations(path)
        if notes:
            items.append(
                Table(
                    ("field", "value", "source or assumption"),
                    rows([(a.field, a.value, a.note) for a in notes]),
                    path.name,
                )
            )
    text = (
        "Every figure of the configs with the comment that gives its source or says it is an assumption and "
        "why. A source FACTS n.m is the entry FACTS-n.m of docs/sources.md in the tool's repository, with the "
        "public reference of each figure."
    )
    notes = (
        tuple(f"Warning: {w}" for w in result.warnings)
        + tuple(f"Data correction: {c}" for c in result.corrections)
        + tuple(f"Note: {n}" for n in result.notes)
    )
    return Section("Inputs and assumptions", (text, *notes), tuple(items))


def build_document(
    result: PortfolioResult, charts: ProductionCharts | None = None, scenarios: ScenarioComparison | None = None
) -> Document:
    """The whole report as a Document.

    ``charts`` are the production charts when rendered already (:func:`production_charts`);
    ``scenarios``, named scenarios of this portfolio (``report --scenarios``), add their section after the key figures.
    """
    if charts is None:
        charts = production_charts(result.sites)
    spec = result.portfolio.spec
    subtitle = spec.description or f"Portfolio {spec.name}, study year {spec.study_year}"
    return Document(
        f"energy-portfolio report: {spec.name}",
        subtitle,
        (
            _key_section(result),
            *((scenarios_section(scenarios),) if scenarios is not None else ()),
            _sites_section(result, charts),
            Section("When the portfolio generates", (), (charts.heatmap,)),
            _system_section(result),
            _trade_section(result),
            _storage_section(result),
            _operations_section(result),
            _curtailment_section(result),
            _economics_section(result),
            _sensitivity_section(result),
            _uncertainty_section(result),
            _inputs_section(result),
        ),
    )
