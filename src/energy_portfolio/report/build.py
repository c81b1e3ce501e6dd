"""Build the report document (sections, tables, charts) from a PortfolioResult.

The same Document renders as report.html (with charts) and report.md (charts as tables),
see document.py. Figures are formatted here; numbers come from the result unchanged.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..config.annotations import read_annotations
from ..provenance import code_fingerprint, package_version
from . import interactive, narrative, plots
from .document import Chart, Document, Section, Table, rows
from .manifest import file_sha256
from .scenarios import scenarios_section

if TYPE_CHECKING:
    from ..portfolio import PortfolioResult, SiteRun
    from ..portfolio.ranges import ScenarioComparison

__all__ = [
    "ProductionCharts",
    "build_document",
    "key_figures",
    "link_basis_sentence",
    "loss_levels",
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
        out.append((f"{site_id}: net energy", _num(site["annual_energy_mwh"], 0, 1000, "GWh/yr")))
        out.append((f"{site_id}: capacity factor", _pct(site["capacity_factor"])))
        out.append((f"{site_id}: LCOE", _num(site.get("lcoe_usd_per_mwh"), 1, 1, "USD/MWh")))
        out.append((f"{site_id}: NPV", _num(site.get("npv_usd"), 1, 1e6, "M USD")))
    storage = result.storage_table()
    out += [(f"{store}: equivalent full cycles ({row['technology']})", _num(row["equivalent_full_cycles"], 0, 1,
                                                                           "/yr"))
            for store, row in storage.iterrows()]
    out += [
        ("renewable share of generation (incl. hydro)", _pct(d.renewable_share)),
        ("curtailment", _num(d.curtailment_mwh, 1, 1000, "GWh/yr")),
        ("gas saved", _num(d.gas_saved_mcm, 0, 1, "million m3/yr")),
        ("value of the gas saved at the export price", _num(d.gas_saved_export_value_usd, 1, 1e6, "M USD/yr")),
        ("CO2 avoided", _num(d.co2_avoided_t, 0, 1000, "kt/yr")),
        ("unserved energy", _num(d.unserved_mwh, 0, 1, "MWh/yr")),
    ]
    return out


def summary_week_starts(index: pd.DatetimeIndex) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Mondays starting the summer week (containing 15 July) and the winter week (containing 15 January)."""

    def monday(month: int) -> pd.Timestamp:
        day = pd.Timestamp(year=index[0].year, month=month, day=15, tz=index.tz)
        return (day - pd.Timedelta(days=day.weekday())).normalize()

    return monday(7), monday(1)


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
        "net energy [GWh/yr]",
        "capacity factor",
        "P90 [GWh/yr]",
        "delivered [GWh/yr]",
        "curtailed [GWh/yr]",
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
    points = _site_points(result)
    stores = len(sites) - len(result.sites)
    text = (f"{len(result.sites)} new wind and solar sites and {stores} {'store' if stores == 1 else 'stores'} in the "
            f"portfolio; the map also shows the {len(result.reference_sites)} reference sites whose weather gives the "
            "existing wind and solar fleet its hourly profile (sites at one place share a marker). Marker area "
            "follows the capacity modelled at the site.")
    chart = Chart(None, "Sites by longitude and latitude (no map tiles, so the file works offline)",
                  Table(("site", "group", "latitude [deg N]", "longitude [deg E]", "capacity [MW]"),
                        rows([(k, r["group"], f"{r['latitude_deg']:.3f}", f"{r['longitude_deg']:.3f}",
                               _num(r["capacity_mw"], 0)) for k, r in points.iterrows()])),
                  interactive.site_map(points, "Sites of the portfolio and of the existing fleet"),
                  "site configs (location), site_table()")
    return Section("Energy per site", (text,), (table, chart, *_wake_range_tables(result)))


def _site_points(result: PortfolioResult) -> pd.DataFrame:
    """Longitude, latitude, capacity and group of every new site, store and reference site."""
    records = {}
    capacity = result.site_table()["capacity_mw"]
    for site in result.portfolio.sites:
        location = getattr(site, "location", None)
        if location is None:
            continue
        technology = result.site_table().loc[site.id, "technology"] if site.id in capacity.index else "site"
        records[site.id] = (location.latitude, location.longitude, float(capacity.get(site.id, 0.0)),
                            f"new {technology}")
    for site_id, run in result.reference_sites.items():
        location = run.spec.location
        records.setdefault(site_id, (location.latitude, location.longitude, run.production.capacity_mw,
                                     f"existing fleet: {run.production.technology} reference"))
    frame = pd.DataFrame.from_dict(records, orient="index",
                                   columns=["latitude_deg", "longitude_deg", "capacity_mw", "group"])
    # sites at the same place and of the same group share one marker, named by all of them
    frame = frame.rename_axis("site").reset_index()
    merged = frame.groupby(["latitude_deg", "longitude_deg", "group"], sort=False).agg(
        site=("site", ", ".join), capacity_mw=("capacity_mw", "sum")).reset_index()
    return merged.set_index("site")[["latitude_deg", "longitude_deg", "capacity_mw", "group"]]


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
class SiteCharts:
    """One site's production figures: generated sentences and charts (resource, layout, monthly energy, losses)."""

    paragraphs: tuple[str, ...]
    items: tuple[Table | Chart, ...]


@dataclass(frozen=True)
class ProductionCharts:
    """The charts that need only the new sites' production: each site's figures and the heatmap."""

    sites: dict[str, SiteCharts]
    heatmap: Chart
    timing: str = ""


def _words(name: str) -> str:
    return name.replace("_", " ")


def loss_levels(run: SiteRun) -> tuple[str, float, list[tuple[str, float]]]:
    """A site's chain from the resource to the grid: (start label, start [MWh], [(step, change [MWh])]).

    For solar the chain starts at the global horizontal irradiation converted at the array's STC
    efficiency (the waterfall's own reference is the plane of array; the step between them is the
    transposition gain), for wind at the gross energy without wakes. Steps of no effect are left out;
    gains are positive changes.
    """
    waterfall = run.production.waterfall
    steps = [(_words(s.name), -s.loss_mwh) for s in waterfall.steps if abs(s.loss_mwh) > 1e-6]
    if run.production.technology == "solar" and "ghi" in run.weather.frame:
        to_mwh = run.production.details["dc_capacity_mwp"] / 1000.0  # [W/m2 x h] -> MWh at STC efficiency
        ghi_mwh = float(run.weather.frame["ghi"].clip(lower=0).sum()) * to_mwh
        return ("GHI at STC efficiency", ghi_mwh,
                [("transposition to the plane of array", waterfall.reference_mwh - ghi_mwh), *steps])
    return (_words(waterfall.reference), waterfall.reference_mwh, steps)


def _loss_chart(run: SiteRun) -> Chart:
    site_id = run.production.site_id
    start_label, start_mwh, steps = loss_levels(run)
    levels = [start_mwh]
    for _, change in steps:
        levels.append(levels[-1] + change)
    labels = [start_label, *(n for n, _ in steps), "net at the grid"]
    table = Table(("step", "change [MWh]", "share of the start", "energy after [MWh]"),
                  rows([(start_label, "", "", f"{start_mwh:,.0f}")] +
                       [(n, f"{c:+,.0f}", f"{c / start_mwh:+.2%}" if start_mwh else "", f"{level:,.0f}")
                        for (n, c), level in zip(steps, levels[1:], strict=True)]))
    return Chart(
        plots.figure_png(plots.loss_diagram_chart(labels, levels, f"{site_id}: from the resource to the grid")),
        f"{site_id}: loss diagram from {start_label} to the net energy at the grid [GWh]; losses red, gains green, "
        "each with its share of the starting energy; steps of no effect left out",
        table,
        interactive.loss_diagram(labels, [v / 1000 for v in levels], f"{site_id}: from the resource to the grid"),
        "production model waterfall (SiteProduction.waterfall) and the site's weather",
    )


def _monthly_chart(run: SiteRun) -> Chart:
    site_id = run.production.site_id
    monthly = pd.DataFrame({"net energy": run.production.monthly_energy_mwh.to_numpy() / 1000}, index=_MONTHS)
    return Chart(
        None,  # plotly's bars print as they are; a matplotlib copy would only add time
        f"{site_id}: monthly net energy [GWh]",
        Table(("month", "net energy [GWh]"), rows([(m, f"{v:,.1f}") for m, v in monthly["net energy"].items()])),
        interactive.monthly_bars(monthly, "GWh", "net energy", f"{site_id}: monthly net energy"),
        "SiteProduction.monthly_energy_mwh",
    )


def _wind_figures(run: SiteRun) -> tuple[list[str], list[Table | Chart]]:
    production, site_id = run.production, run.production.site_id
    hourly, details = production.hourly, production.details
    texts: list[str] = []
    items: list[Table | Chart] = []
    if {"hub_wind_speed_m_s", "hub_wind_direction_deg"} <= set(hourly.columns):
        speed, direction = hourly["hub_wind_speed_m_s"], hourly["hub_wind_direction_deg"]
        sectors = ((direction.to_numpy(dtype=float) + 11.25) % 360 // 22.5).astype(int)
        counts = pd.Series(sectors).value_counts()
        curve = details.get("power_curve") or {}
        curve_speed = list(curve.get("wind_speed_m_s", []))
        curve_power = _curve_power_mw(curve)
        rated = details.get("rated_power_mw")
        rated_speed = next((v for v, p in zip(curve_speed, curve_power, strict=False)
                            if rated and p >= 0.995 * rated), None)
        above = float((speed >= rated_speed).mean()) if rated_speed is not None else 0.0
        texts.append(narrative.wind_resource_sentence(float(speed.mean()), float(details.get("hub_height_m", 0.0)),
                                                      float(counts.index[0]) * 22.5, float(counts.iloc[0]) / len(speed),
                                                      above, rated_speed))
        items.append(Chart(None, f"{site_id}: wind rose at hub height, share of hours by direction and speed [%]",
                           None, interactive.wind_rose(direction, speed, f"{site_id}: wind rose at hub height"),
                           "site weather, SiteProduction.hourly"))
        items.append(Chart(None, f"{site_id}: hours per 1 m/s of wind speed at hub height, and the power curve [MW]",
                           None, interactive.speed_distribution(speed, curve_speed, curve_power,
                                                                f"{site_id}: wind speed distribution and power curve"),
                           "site weather, the turbine's power curve (details.power_curve)"))
    x_m, y_m = details.get("layout_x_m"), details.get("layout_y_m")
    turbines = production.turbine_wake_loss
    if len(turbines):
        items.append(_farm_layout_chart(site_id, turbines, details.get("wake_loss_fraction")))
    elif x_m and y_m:
        loss = details.get("wake_loss_fraction")
        items.append(Chart(
            None, f"{site_id}: farm layout, {len(x_m)} turbines [km]; the wake model gives no loss per turbine; the "
            f"farm's wake loss is {_pct(loss)}.",
            None, interactive.farm_layout(x_m, y_m, [f"T{i + 1}" for i in range(len(x_m))], f"{site_id}: layout"),
            "site config layout (details.layout_x_m, layout_y_m)"))
    return texts, items


TURBINES_LISTED = 12
"""Farms with up to this many turbines list each turbine's wake loss in the layout's table; larger
ones give the turbines of least, median and most loss."""


def _farm_layout_chart(site_id: str, turbines: pd.DataFrame, farm_loss_fraction: float | None) -> Chart:
    """The layout coloured by each turbine's wake loss (``SiteProduction.turbine_wake_loss``), its
    caption with the farm's loss and the range across turbines, and the table of losses."""
    loss = turbines["wake_loss_fraction"]
    labels = [f"T{i}" for i in turbines.index]
    ordered = loss.sort_values(kind="stable")
    if len(turbines) <= TURBINES_LISTED:
        picked = [(f"T{i}", i) for i in turbines.index]
    else:
        picked = [("least", ordered.index[0]), ("median", ordered.index[(len(ordered) - 1) // 2]),
                  ("most", ordered.index[-1])]
    table = Table(("turbine", "x [km]", "y [km]", "wake loss"),
                  rows([(name if name.startswith("T") else f"{name}: T{i}", f"{turbines.at[i, 'x_m'] / 1000:.2f}",
                         f"{turbines.at[i, 'y_m'] / 1000:.2f}", _pct(loss.at[i])) for name, i in picked]))
    caption = (f"{site_id}: farm layout, {len(turbines)} turbines [km], each coloured by its wake loss over the year "
               f"(its energy with wakes over its energy without); the farm's wake loss is {_pct(farm_loss_fraction)}, "
               f"from {_pct(ordered.iloc[0])} (T{ordered.index[0]}) to {_pct(ordered.iloc[-1])} "
               f"(T{ordered.index[-1]}) across turbines.")
    return Chart(None, caption, table,
                 interactive.farm_layout(turbines["x_m"], turbines["y_m"], labels, f"{site_id}: layout and wake loss",
                                         loss),
                 "site config layout and the wake model's turbine table (SiteProduction.turbine_wake_loss)")


def _curve_power_mw(curve: dict) -> list[float]:
    """The power curve of the production details (``power_kw``) in MW."""
    return [float(v) / 1000.0 for v in curve.get("power_kw", [])]


def _solar_figures(run: SiteRun) -> tuple[list[str], list[Table | Chart]]:
    production, site_id = run.production, run.production.site_id
    hourly, frame = production.hourly, run.weather.frame
    if "poa_w_m2" not in hourly or "ghi" not in frame:
        return [], []
    dc_mwp = production.details["dc_capacity_mwp"]
    ghi = frame["ghi"].clip(lower=0).reindex(hourly.index)
    months = pd.DataFrame({"GHI": ghi.groupby(ghi.index.month).sum() / 1000,
                           "plane of array": hourly["poa_w_m2"].groupby(hourly.index.month).sum() / 1000})
    months = months.reindex(range(1, 13), fill_value=0.0)
    net = production.monthly_energy_mwh.to_numpy()
    pr = np.where(months["plane of array"] > 0, net / (months["plane of array"].to_numpy() * dc_mwp), np.nan)
    months.index = list(_MONTHS)
    table = Table(("month", "GHI [kWh/m2]", "plane of array [kWh/m2]", "net energy [MWh]", "performance ratio"),
                  rows([(m, f"{r['GHI']:,.1f}", f"{r['plane of array']:,.1f}", f"{e:,.0f}", _pct(q))
                        for (m, r), e, q in zip(months.iterrows(), net, pr, strict=True)]),
                  f"{site_id}: monthly irradiation and performance ratio (net AC energy over plane-of-array "
                  "irradiation times the DC capacity)")
    ranked = pd.Series(pr, index=months.index).dropna()
    text = narrative.solar_resource_sentence(float(months["GHI"].sum()), float(months["plane of array"].sum()),
                                             float(production.details.get("performance_ratio", float("nan"))),
                                             str(ranked.idxmax()), str(ranked.idxmin()))
    chart = Chart(None, f"{site_id}: monthly irradiation on the horizontal and on the array [kWh/m2]", None,
                  interactive.monthly_bars(months, "kWh/m2", "irradiation", f"{site_id}: monthly irradiation"),
                  "site weather (GHI) and the transposition of the production model")
    return [text], [chart, table]


def _site_charts(run: SiteRun) -> SiteCharts:
    """One site's sentences and charts: resource, layout, monthly energy and the loss diagram."""
    if run.production.technology == "wind":
        texts, items = _wind_figures(run)
    else:
        texts, items = _solar_figures(run)
    start_label, start_mwh, steps = loss_levels(run)
    texts.append(narrative.loss_sentence(start_label, start_mwh, [(n, -c) for n, c in steps],
                                         run.production.annual_energy_mwh))
    return SiteCharts(tuple(t for t in texts if t), (*items, _monthly_chart(run), _loss_chart(run)))


def production_charts(sites: dict[str, SiteRun]) -> ProductionCharts:
    """Render the production charts of the new sites (``PortfolioResult.sites``).

    They depend on nothing the dispatch computes, so ``energy-portfolio report`` renders them
    while the dispatch solves run (``run_portfolio(on_production=...)``).
    """
    per_site = {site_id: _site_charts(run) for site_id, run in sites.items()}
    new_output = sum(run.production.net_mw for run in sites.values())
    table = new_output.groupby([new_output.index.month, new_output.index.hour]).mean().unstack()
    table = table.reindex(index=range(1, 13), columns=range(24))
    table.index = list(_MONTHS)
    table.columns = [f"{h:02d}" for h in range(24)]
    heatmap = Chart(
        plots.figure_png(plots.month_hour_heatmap(new_output, "New portfolio generation")),
        "Mean net generation of the new sites by month and hour of day [MW]",
        Table(("month", *table.columns), rows([(m, *(f"{v:,.0f}" for v in r)) for m, r in table.iterrows()])),
        interactive.heatmap(table, "MW", f"hour of day [{new_output.index.tz}]", "New portfolio generation"),
        "SiteProduction.net_mw of each new site",
    )
    timing = narrative.generation_timing_sentence(
        {(month, int(hour)): float(v) for (month, hour), v in table.stack().items()})
    return ProductionCharts(per_site, heatmap, timing)


def _site_section(result: PortfolioResult, site_id: str, charts: SiteCharts) -> Section:
    """One new site: its sentences, resource and layout, monthly energy, losses and P-values."""
    values = result.p_values.get(site_id, {})
    items: list[Table | Chart] = list(charts.items)
    paragraphs = list(charts.paragraphs)
    if values.get("p50_mwh") is not None:
        paragraphs.append(f"P50 {values['p50_mwh'] / 1000:,.1f} GWh/yr, P90 {values.get('p90_mwh', 0) / 1000:,.1f} "
                          f"GWh/yr: a total uncertainty of {_pct(values.get('energy_total_uncertainty_fraction'))} "
                          "of the annual energy (one standard deviation).")
    return Section(f"Site: {site_id}", tuple(paragraphs), tuple(items), anchor=f"site-{site_id}")


def _net_load_mw(d: Any) -> pd.Series:
    """Demand less the available wind and solar of a dispatch [MW]."""
    return d.demand_mw.sum(axis=1) - d.available_mw.sum(axis=1)


def _total(frame: pd.DataFrame) -> float:
    return float(frame.to_numpy().sum())


def _system_section(result: PortfolioResult) -> Section:
    d, without = result.dispatch, result.dispatch.counterfactual
    demand = d.demand_mw.sum(axis=1)
    net_load = _net_load_mw(d)
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
    supply = _supply_groups(result, d)
    energy = {k: float(v.clip(lower=0).sum()) for k, v in supply.items()}
    texts = [narrative.supply_sentence(energy, float(demand.sum()))]
    net_curves, price_curves = {"with the portfolio": net_load}, {"with the portfolio": price}
    if without is not None:
        net_without = _net_load_mw(without)
        net_curves["without"] = net_without
        price_curves["without"] = without.price_usd_per_mwh.mean(axis=1)
        texts.append(narrative.portfolio_effect_sentence(
            float(d.gas_saved_mcm or 0.0), _total(d.curtailment_mw) - _total(without.curtailment_mw),
            _total(d.export_mw) - _total(without.export_mw)))
        texts.append(narrative.net_load_sentence(float(net_load.max()), float(net_without.max()),
                                                 float(net_load.min()), int((net_load < 0).sum())))
    items: list[Table | Chart] = [
        Chart(
            None,
            "Net load (demand less available wind and solar) sorted from highest hour, with and without the "
            "portfolio [MW]",
            qtable,
            interactive.duration_curves(net_curves, "MW", "net load", "Net load duration"),
            "dispatch: demand_mw, available_mw", half=True,
        ),
        Chart(
            None,
            "Hourly marginal price from the dispatch duals, sorted, with and without the portfolio [USD/MWh]",
            None, interactive.duration_curves(price_curves, "USD/MWh", "price", "Price duration"),
            "dispatch: balance duals (price_usd_per_mwh)", half=True,
        ),
    ]
    summer, winter = summary_week_starts(d.index)
    for label, start in (("summer", summer), ("winter", winter)):
        window = slice(start, start + pd.Timedelta(hours=167))
        cases = [(case, run, _supply_groups(result, run).loc[window])
                 for case, run in (("with the portfolio", d), ("without it", without)) if run is not None]
        low = min(float(week.clip(upper=0).sum(axis=1).min()) for _, _, week in cases)
        high = max(max(float(week.clip(lower=0).sum(axis=1).max()),
                       float(run.demand_mw.sum(axis=1).loc[window].max())) for _, run, week in cases)
        y_range = (low * 1.05, high * 1.05)
        for case, run, week in cases:
            week_demand = run.demand_mw.sum(axis=1).loc[window]
            daily = week.resample("D").sum() / 1000
            title = f"{label.title()} week from {start.date()}, {case}"
            items.append(Chart(
                None, f"Hourly dispatch, {label} week from {start.date()}, {case} [MW]: each new site on its own, "
                "storage charge and exports below zero",
                Table(("day", *daily.columns), rows([(str(i.date()), *(f"{v:,.1f}" for v in r))
                                                     for i, r in daily.iterrows()]), f"daily energy, {case} [GWh]"),
                interactive.dispatch_stack(week, week_demand, list(result.sites), title, y_range),
                "dispatch: hourly output by unit", half=without is not None))
    return Section("The power system", tuple(t for t in texts if t), tuple(items))


def _supply_groups(result: PortfolioResult, d: Any = None) -> pd.DataFrame:
    """Hourly supply by group [MW]: gas, hydro, existing wind and solar, each new site on its own,
    storage discharge and imports above zero; storage charge and exports as negative columns."""
    d = result.dispatch if d is None else d
    groups = {"gas": d.thermal_mw.sum(axis=1), "hydro": d.hydro_mw.sum(axis=1)}
    new = [p for p in d.renewable_mw.columns if p in result.sites]
    for technology in ("wind", "solar"):
        plants = [p for p in d.renewable_mw.columns if d.technology.get(p) == technology and p not in new]
        groups[f"existing {technology}"] = d.renewable_mw[plants].sum(axis=1)
    for plant in new:
        groups[plant] = d.renewable_mw[plant]
    groups["storage discharge"] = d.discharge_mw.sum(axis=1)
    groups["import"] = d.import_mw.sum(axis=1)
    groups["storage charge"] = -d.charge_mw.sum(axis=1)
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


def _store_uses(result: PortfolioResult) -> list[narrative.StoreUse]:
    table = result.storage_table()
    return [narrative.StoreUse(store, str(r["technology"]), store in result.site_table().index,
                               float(r["equivalent_full_cycles"]), float(result.dispatch.discharge_mw[store].sum()),
                               float(r["total_revenue_usd"]), _float_or_none(r.get("spread_captured_usd_per_mwh")),
                               float(r.get("hours_at_soc_min_h", 0.0)), float(r.get("hours_at_soc_max_h", 0.0)))
            for store, r in table.iterrows()]


def _float_or_none(value: Any) -> float | None:
    return None if _missing(value) else float(value)


def _storage_section(result: PortfolioResult) -> Section:
    d = result.dispatch
    if d.soc_mwh.empty:
        return Section("Storage", ("The system has no storage.",))
    texts = [narrative.storage_sentence(use) for use in _store_uses(result)]
    stores = list(d.soc_mwh.columns)
    flows = (("charge", -1.0, d.charge_mw), ("discharge", 1.0, d.discharge_mw))
    monthly = pd.DataFrame({f"{s} {kind}": sign * frame[s] for s in stores for kind, sign, frame in flows})
    monthly = monthly.groupby(monthly.index.month).sum().reindex(range(1, 13), fill_value=0.0) / 1000
    monthly.index = list(_MONTHS)
    table = Table(("month", *(f"{c} [GWh]" for c in monthly.columns)),
                  rows([(m, *(f"{v:,.2f}" for v in r)) for m, r in monthly.iterrows()]))
    soc = Chart(
        plots.figure_png(plots.state_of_charge_chart(d.soc_mwh, "Storage state of charge")),
        "State of charge of each store (its own line), daily range and mean [MWh]", None,
        interactive.daily_bands(d.soc_mwh, "MWh", "state of charge", "State of charge of each store"),
        "dispatch: soc_mwh", half=True)
    use = Chart(None, "Monthly charge (below zero) and discharge of each store [GWh]", table,
                interactive.stacked_bars(monthly, "GWh", "energy", "Monthly charge and discharge by store",
                                         colours=interactive.paired_colours(stores, "charge", "discharge")),
                "dispatch: charge_mw, discharge_mw", half=True)
    return Section("Storage", tuple(texts), (soc, use))


def _operations_section(result: PortfolioResult) -> Section:
    """What sets the price, how the gas fleet is committed, which reserves are held by whom, and each
    store's revenue stack, with and without the portfolio: sentences and tables from the result."""
    d, without = result.dispatch, result.dispatch.counterfactual
    hours = len(d.index) * max(1, d.price_usd_per_mwh.shape[1])
    texts = [narrative.price_setter_sentence(d.price_setting_hours(), hours, "With the portfolio")]
    if without is not None:
        texts.append(narrative.price_setter_sentence(without.price_setting_hours(), hours, "Without it"))
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
    causes = pd.DataFrame(
        {
            "own connection": d.curtailment_connection_mw.sum(),
            "line congestion": d.curtailment_congestion_mw.sum(),
            "system oversupply": d.curtailment_oversupply_mw.sum(),
        }
    )
    text = narrative.curtailment_sentence(causes.to_dict(orient="index"), _total(d.available_mw))
    if text == narrative.NO_CURTAILMENT:
        return Section("Curtailment by cause", (text,))
    gwh = causes[causes.sum(axis=1) >= narrative.CURTAILMENT_FLOOR_MWH] / 1000
    table = Table(("plant", *(f"{c} [GWh]" for c in gwh.columns)),
                  rows([(i, *(f"{v:,.2f}" for v in r)) for i, r in gwh.iterrows()]))
    chart = Chart(
        plots.figure_png(plots.curtailment_chart(gwh, "Curtailment by cause")),
        "Curtailed energy by plant and cause [GWh]", table,
        interactive.stacked_bars(gwh, "GWh", "curtailed energy", "Curtailment by cause", horizontal=True),
        "dispatch: curtailment by cause")
    return Section("Curtailment by cause", (text,), (chart,))


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
    sentences = [narrative.economics_sentence(k, _float_or_none(v.get("lcoe_usd_per_mwh")),
                                              _float_or_none(v.get("market_value_usd_per_mwh")),
                                              _float_or_none(v.get("npv_usd"))) for k, v in entries]
    cash_flows = _cash_flow_items(result)
    return Section("Economics, gas and carbon",
                   tuple(h for h in [*sentences, *cash_flows] if isinstance(h, str) and h),
                   (table, _investor_table(result), gas, *(h for h in cash_flows if not isinstance(h, str))))


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


def _cash_flow_items(result: PortfolioResult) -> list[str | Chart]:
    """The investor's cash flows of each financed site as a chart, else the one sentence.

    Bars: revenue up; opex, profit tax, debt service and the equity's share of capex (capex less the
    debt drawn) down; the line is the cash to equity and its running sum, nominal M USD
    (``PortfolioResult.cash_flow_table``).
    """
    if not result.investor:
        return [narrative.not_available("investor's cash-flow chart (no site has an economics.financing block)")]
    items: list[str | Chart] = []
    for site_id in result.investor:
        frame = result.cash_flow_table(site_id)
        flows = pd.DataFrame({
            "revenue": frame["revenue_usd"],
            "opex": -frame["opex_usd"],
            "profit tax": -frame["tax_usd"],
            "debt service": -frame["debt_service_usd"],
            "equity share of capex": -(frame["capex_usd"] - frame["debt_drawn_usd"]),
        }) / 1e6
        equity = frame["cash_to_equity_usd"] / 1e6
        figure = interactive.stacked_bars(flows, "M USD", "cash flow, nominal", f"{site_id}: investor's cash flow")
        figure["layout"]["hovermode"] = "x unified"  # a year's flows together, wherever the pointer is in its column
        for name, series in (("cash to equity", equity), ("cumulative cash to equity", equity.cumsum())):
            figure["data"].append({"type": "scatter", "mode": "lines", "name": name, "x": list(map(str, frame.index)),
                                   "y": interactive.values(series, 4),
                                   "hovertemplate": f"year %{{x}}: %{{y:,.1f}} M USD<extra>{name}</extra>"})
        table = Table(("year", *(f"{c} [M USD]" for c in flows.columns), "cash to equity [M USD]"),
                      rows([(str(y), *(f"{v:,.2f}" for v in r), f"{equity[y]:,.2f}") for y, r in flows.iterrows()]))
        items.append(Chart(None, f"{site_id}: the investor's cash flow by year of life, year 0 construction "
                           "[M USD, nominal]", table, figure, f"cashflow_{site_id}.csv"))
    return items


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
    return Section("Sensitivity of NPV and LCOE", (text,), (table, *_tornado_items(result)))


def _tornado_items(result: PortfolioResult) -> list[Chart]:
    """A tornado of NPV and one of LCOE per project: the change from the base with each driver low and high."""
    frame = result.sensitivity_table()
    items: list[Chart] = []
    for project, part in frame.groupby("project", sort=False):
        for metric, unit, scale in (("npv", "M USD", 1e6), ("lcoe", "USD/MWh", 1.0)):
            suffix = "_usd" if metric == "npv" else "_usd_per_mwh"
            low, high, base = (part[f"{metric}_{case}{suffix}"] for case in ("low", "high", "base"))
            if low.isna().all() or high.isna().all():
                continue
            bars = pd.DataFrame({"low case": ((low - base) / scale).to_numpy(),
                                 "high case": ((high - base) / scale).to_numpy()}, index=part["driver"].to_numpy())
            bars = bars.loc[(bars["high case"] - bars["low case"]).abs().sort_values().index]
            label = "NPV" if metric == "npv" else "LCOE"
            figure = interactive.stacked_bars(bars, unit, f"change of {label}", f"{project}: sensitivity of {label}",
                                              horizontal=True)
            figure["layout"]["barmode"] = "overlay"
            items.append(Chart(None, f"{project}: change of {label} from its base {float(base.iloc[0]) / scale:,.1f} "
                               f"{unit} with each driver at its low and high case", Table(
                                   ("driver", f"low case [{unit}]", f"high case [{unit}]"),
                                   rows([(str(d), f"{r['low case']:,.2f}", f"{r['high case']:,.2f}")
                                         for d, r in bars.iterrows()])), figure, "sensitivity.csv"))
    return items


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
    exceedance = pd.DataFrame({c: np.sort(samples[c].to_numpy(dtype=float))[::-1] for c in samples.columns},
                              index=(np.arange(1, len(samples) + 1) - 0.5) / len(samples) * 100.0)
    png = plots.figure_png(plots.exceedance_chart(samples, "net energy [GWh]", "Annual energy by weather year"))
    chart = Chart(png,
                  "Annual net energy of each weather year against its probability of exceedance [GWh]",
                  Table(("year", *samples.columns),
                        rows([(str(i + 1), *(f"{v:,.1f}" for v in r)) for i, r in samples.iterrows()])),
                  interactive.lines(exceedance, "GWh", "net energy", "probability of exceedance [%]",
                                    "Annual energy by weather year", markers=True),
                  "weather-years runs (WeatherYears.energy_mwh)")
    return Section("Uncertainty: P50, P90, P99", (text,), (table, chart))


_UNIT_SUFFIXES = (
    ("_usd_per_kw", "USD/kW"), ("_usd_per_kwh", "USD/kWh"), ("_usd_per_mwh", "USD/MWh"), ("_usd_per_mw", "USD/MW"),
    ("_usd", "USD"), ("_mwh", "MWh"), ("_mw", "MW"), ("_kw", "kW"), ("_gwh", "GWh"), ("_m_s", "m/s"), ("_deg", "deg"),
    ("_km", "km"), ("_m", "m"), ("_c", "°C"), ("_h", "h"), ("_years", "years"), ("_year", ""), ("_mcm", "million m3"),
    ("_bcm", "bcm"), ("_w_m2", "W/m2"), ("_fraction", "fraction"), ("_share", "fraction"), ("_pct", "%"),
)
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def unit_of(name: str) -> str:
    """The unit a name carries in its suffix (``capex_usd`` -> ``USD``, ``lcoe_usd_per_mwh`` -> ``USD/MWh``)."""
    return next((unit for suffix, unit in _UNIT_SUFFIXES if name.endswith(suffix)), "")


def input_value(field_path: str, value: str) -> tuple[str, str]:
    """A config value as shown in the appendix: numbers with thousands separators, and the unit its field's
    name carries (``capex_usd: 27000000`` -> ``27,000,000``, ``USD``)."""
    name = field_path.rsplit(".", 1)[-1]
    unit = unit_of(name)
    text = value.strip()
    if _NUMBER.fullmatch(text):
        number = float(text)
        if name.endswith("_year") or name == "year":
            return text, unit
        text = f"{number:,.0f}" if number == int(number) and abs(number) < 1e15 else f"{number:,.6g}"
    return text, unit


def _inputs_section(result: PortfolioResult) -> Section:
    items = []
    for path in result.input_files:
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        notes = read_annotations(path)
        if notes:
            items.append(
                Table(
                    ("field", "value", "unit", "source or assumption"),
                    rows([(a.field, *input_value(a.field, a.value), a.note) for a in notes]),
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
    return Section("Inputs and assumptions", (text, *notes), tuple(items), collapsible=True)


def _input_hashes(result: PortfolioResult) -> Table:
    """Each input file with its size and SHA-256 (the manifest's inputs), shown at the top of the report."""
    root = Path.cwd().resolve()
    files = sorted({Path(p).resolve() for p in result.input_files if Path(p).is_file()})

    def shown(path: Path) -> str:
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    return Table(("input file", "bytes", "SHA-256"),
                 rows([(shown(p), f"{p.stat().st_size:,}", file_sha256(p)) for p in files]),
                 f"Input files ({len(files)}) and their SHA-256")


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
    facts = (("run", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
             ("energy-portfolio", package_version("energy-portfolio") or "run from source, not installed"),
             ("code fingerprint", code_fingerprint()[:12]),
             ("study year", str(result.index[0].year)),
             ("dispatch", result.dispatch.solver_method or ""))
    return Document(
        f"energy-portfolio report: {spec.name}",
        subtitle,
        (
            _key_section(result),
            *((scenarios_section(scenarios),) if scenarios is not None else ()),
            _sites_section(result, charts),
            *(_site_section(result, site_id, site) for site_id, site in charts.sites.items()),
            Section("When the portfolio generates", (charts.timing,), (charts.heatmap,)),
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
        facts=tuple((k, v) for k, v in facts if v),
        provenance=_input_hashes(result),
    )
