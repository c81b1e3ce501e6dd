"""The typed result of a portfolio run, with tidy accessors.

:class:`PortfolioResult` holds what the run computed (site runs, the dispatch with and without
the portfolio, each project's economics, P-values) and derives every table a reader needs from
them, in the spirit of PyPSA's ``statistics``: one row per site, unit, zone or storage asset,
one column per quantity, units in the column names. :meth:`PortfolioResult.metrics` gives every
headline figure by the dotted path it has in ``summary.json`` (which ``report.summary`` writes
from it); scenario sweeps and ``compare`` read figures by that path.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..config import BatterySite, Portfolio, PumpedHydroSite
from ..dispatch import DispatchResult
from ..economics import (
    INVESTOR_KEYS,
    InvestorView,
    ProjectEconomics,
    Sensitivity,
    StorageFade,
    economics_summary,
    gas_summary,
    investor_summary,
    storage_fade,
    value_gas_saved,
)
from .sites import SiteRun, operating_year_in

__all__ = ["PortfolioResult", "SystemFigures", "WeatherYears", "flatten", "nest", "storage_fade_of", "storage_value"]


def storage_fade_of(site: BatterySite | PumpedHydroSite, discharge_mwh: float) -> StorageFade:
    """A storage site's calendar and cycle fade at the dispatch year's equivalent full cycles
    (discharge / energy); none for a store without a ``degradation`` block (pumped hydro)."""
    degradation = getattr(site, "degradation", None)
    if degradation is None:
        return storage_fade(0.0, 0.0, 0.0, site.lifetime_years)
    return storage_fade(
        degradation.calendar_fade_per_year,
        degradation.capacity_fade_per_cycle,
        discharge_mwh / site.energy_mwh,
        site.lifetime_years,
        degradation.end_of_life_capacity_fraction,
    )


def storage_value(
    charge_mw,
    discharge_mw,
    soc_mwh,
    price_usd_per_mwh,
    energy_mwh: float,
    soc_min_fraction: float,
    soc_max_fraction: float,
) -> dict[str, float | None]:
    """What a store did with energy in the dispatch year (hourly arrays of one store and its zone).

    Returns
    -------
    dict
        ``energy_revenue_usd`` = sum over hours of (discharge - charge) x zone price [USD];
        ``throughput_mwh`` = sum of discharge [MWh]; ``equivalent_full_cycles`` = throughput /
        energy_mwh; ``hours_at_soc_min_h`` and ``hours_at_soc_max_h``, hours whose end-of-hour state
        of charge is within 1e-6 x energy_mwh of ``soc_min_fraction x energy_mwh`` or of
        ``soc_max_fraction x energy_mwh`` [h]; ``spread_captured_usd_per_mwh`` = discharge-weighted
        mean price - charge-weighted mean price [USD/MWh], None when the store never charged or
        never discharged (e.g. pumped hydro that only turbines its inflow).

    References
    ----------
    The arbitrage value of storage at marginal prices, e.g. Sioshansi et al. (2009), "Estimating
    the value of electricity storage in PJM", Energy Economics 31(2), doi:10.1016/j.eneco.2008.10.005.
    """
    charge, discharge = np.asarray(charge_mw, dtype=float), np.asarray(discharge_mw, dtype=float)
    soc, price = np.asarray(soc_mwh, dtype=float), np.asarray(price_usd_per_mwh, dtype=float)
    tolerance = 1e-6 * max(energy_mwh, 1.0)
    charged, throughput = float(charge.sum()), float(discharge.sum())
    spread = None
    if charged > 0 and throughput > 0:
        spread = float(discharge @ price) / throughput - float(charge @ price) / charged
    return {
        "energy_revenue_usd": float((discharge - charge) @ price),
        "throughput_mwh": throughput,
        "equivalent_full_cycles": throughput / energy_mwh if energy_mwh > 0 else 0.0,
        "hours_at_soc_min_h": float(np.sum(soc <= soc_min_fraction * energy_mwh + tolerance)),
        "hours_at_soc_max_h": float(np.sum(soc >= soc_max_fraction * energy_mwh - tolerance)),
        "spread_captured_usd_per_mwh": spread,
    }


WITHOUT_PORTFOLIO_KEYS = ("price_setting_hours", "thermal", "reserves", "storage", "import_mwh", "export_mwh",
                          "trade", "mean_price_usd_per_mwh")
"""The operations figures of the dispatch without the portfolio in ``summary.json``'s
``dispatch.without_portfolio`` block (the same keys as the dispatch block's own)."""

@dataclass(frozen=True)
class WeatherYears:
    """Per-weather-year samples of each new generating site and of the portfolio.

    Attributes
    ----------
    n_years : int
    energy_mwh, delivered_mwh, revenue_usd : dict
        Site id -> one value per weather year: net energy before dispatch [MWh], energy
        delivered after the year's dispatch [MWh], revenue at that dispatch's hourly marginal
        prices [USD].
    """

    n_years: int
    energy_mwh: dict[str, list[float]]
    delivered_mwh: dict[str, list[float]]
    revenue_usd: dict[str, list[float]]


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Leaves of a nested mapping by dotted path (an empty mapping is kept as a leaf)."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            out.update(flatten(value, path))
        else:
            out[path] = value
    return out


def nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """The nested mapping whose :func:`flatten` is ``flat`` (inverse of :func:`flatten`)."""
    out: dict[str, Any] = {}
    for path, value in flat.items():
        *parents, leaf = path.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


@dataclass(frozen=True)
class SystemFigures:
    """The power system's annual figures in the dispatch with the portfolio, against the one without.

    Attributes
    ----------
    demand_mwh, curtailment_mwh, unserved_mwh, export_mwh, import_mwh : float
        Annual energy [MWh]; ``demand_mwh`` is the zones' demand without the electric buses.
    electric_bus_mwh : float
        Electric-bus depot charging on top of the zones' demand, generation basis [MWh].
    electric_bus_share : float
        Its share of the zones' demand and the flexible loads together [fraction].
    renewable_share : float
        (wind + solar + hydro) / generation [fraction].
    gas_burn_mcm, gas_saved_mcm : float or None
        Gas burnt by the fleet, and saved against the system without the portfolio [million m3].
    gas_saved_lifetime_bcm : float or None
        Gas saved over the portfolio's life, undiscounted [bcm].
    gas_saved_domestic_value_usd, gas_saved_export_value_usd : float or None
        Annual value of the gas saved at the power-plant tariff and at the export price [USD].
    gas_discount_rate_real : float
        The state's real rate of the present values below [fraction/yr]
        (``options.state_discount_rate_real``, else the portfolio's rate).
    gas_saved_domestic_value_pv_usd, gas_saved_export_value_pv_usd : float or None
        Present value of the gas saved over the portfolio's life at those prices [USD].
    gas_saved_lifetime_discounted_bcm : float or None
        Gas saved over the life, discounted at the same rate: a discounted quantity (the
        denominator of a cost per m3 saved), not an amount of gas [bcm].
    co2_t, co2_avoided_t : float or None
        Emissions of the fleet and those avoided against the system without the portfolio [t].
    co2_avoided_lifetime_t, co2_avoided_lifetime_discounted_t : float or None
        CO2 avoided over the portfolio's life, undiscounted and discounted at ``gas_discount_rate_real``
        (a discounted quantity, the denominator of a cost per t avoided) [t].
    co2_factor_t_per_tj : float
        Emission factor of gas [t/TJ].
    objective_usd : float
        Cost of the dispatch [USD].
    storage_charge_mwh, storage_discharge_mwh, storage_equivalent_full_cycles : float
        Totals over every storage asset (new and existing) [MWh, cycles].
    gas_price_basis : str
        ``tariff`` or ``export_value``: the gas price the dispatch saw.
    solver_status, solver_method : str
    solver_seconds : float
    """

    demand_mwh: float
    electric_bus_mwh: float
    electric_bus_share: float
    renewable_share: float
    curtailment_mwh: float
    unserved_mwh: float
    export_mwh: float
    import_mwh: float
    gas_burn_mcm: float
    gas_saved_mcm: float | None
    gas_saved_lifetime_bcm: float | None
    gas_saved_domestic_value_usd: float | None
    gas_saved_export_value_usd: float | None
    gas_discount_rate_real: float
    gas_saved_domestic_value_pv_usd: float | None
    gas_saved_export_value_pv_usd: float | None
    gas_saved_lifetime_discounted_bcm: float | None
    co2_t: float
    co2_avoided_t: float | None
    co2_avoided_lifetime_t: float | None
    co2_avoided_lifetime_discounted_t: float | None
    co2_factor_t_per_tj: float
    objective_usd: float
    storage_charge_mwh: float
    storage_discharge_mwh: float
    storage_equivalent_full_cycles: float
    gas_price_basis: str
    solver_status: str
    solver_method: str
    solver_seconds: float


@dataclass(frozen=True)
class PortfolioResult:
    """Everything one portfolio run computed.

    Attributes
    ----------
    portfolio : Portfolio
        The loaded configs.
    sites : dict
        Site id -> SiteRun of each new solar and wind site (its weather and production).
    reference_sites : dict
        Existing-fleet id -> SiteRun of the reference site its profile comes from.
    dispatch : DispatchResult
        The hourly dispatch with the portfolio; ``dispatch.counterfactual`` without it.
    economics : dict
        Site id (and ``"portfolio"``) -> ProjectEconomics.
    p_values : dict
        Site id (and ``"portfolio"`` with several weather years) -> P50/P90/P99 figures
        (``economics.p_values_summary``).
    warnings, corrections : tuple of str
        Every warning raised and every weather correction made during the run.
    notes : tuple of str
        Facts about the inputs that need no action, e.g. a proxy's weather distance that a
        site config accepts (``weather.accepted_distance_km``).
    input_files : tuple of Path
        Every file read.
    timings_s : dict
        Seconds per stage (``production``, ``demand``, ``dispatch``, ``weather_years``, ``economics``) and
        per new site (``production:<site id>``, inside ``production``).
    weather_years : WeatherYears or None
        Per-weather-year samples of a P50/P90 run.
    investor : dict
        Site id -> InvestorView of each site with a ``financing`` block (economics/investor.py).
    sensitivity : Sensitivity or None
        NPV and LCOE of each site and of the portfolio with capex, discount rate, energy and price
        moved one at a time (``economics.sensitivity``); :meth:`sensitivity_table`.
    """

    portfolio: Portfolio
    sites: dict[str, SiteRun]
    reference_sites: dict[str, SiteRun]
    dispatch: DispatchResult
    economics: dict[str, ProjectEconomics]
    p_values: dict[str, dict[str, Any]]
    warnings: tuple[str, ...]
    corrections: tuple[str, ...]
    input_files: tuple[Path, ...]
    timings_s: dict[str, float]
    weather_years: WeatherYears | None = None
    notes: tuple[str, ...] = ()
    investor: dict[str, InvestorView] = field(default_factory=dict)
    sensitivity: Sensitivity | None = None

    def __getattr__(self, name: str) -> Any:
        moved = {
            "summary": "energy_portfolio.report.summary_document(result) (the summary.json document), "
            "result.metrics() (every figure by its summary.json path) or the tables site_table(), "
            "storage_table(), economics_table()",
            "hourly": "result.hourly() (or energy_portfolio.report.hourly_table(result) for hourly.csv)",
            "to_html": "energy_portfolio.report.html_report(result)",
        }
        if name in moved:
            raise AttributeError(f"PortfolioResult.{name} has moved: use {moved[name]}")
        raise AttributeError(f"'PortfolioResult' object has no attribute {name!r}")

    # ----------------------------------------------------------------------------------
    # Hourly frames
    # ----------------------------------------------------------------------------------

    @property
    def index(self) -> pd.DatetimeIndex:
        """The study hours (portfolio time zone, labels at interval start)."""
        return self.dispatch.index

    def production_mw(self) -> pd.DataFrame:
        """Net AC output of each new generating site before dispatch curtailment [MW], one column per site."""
        return pd.DataFrame(
            {site_id: run.production.net_mw.tz_convert(self.index.tz) for site_id, run in self.sites.items()},
            index=self.index,
        )

    def prices_usd_per_mwh(self) -> pd.DataFrame:
        """Hourly marginal price of each zone [USD/MWh] (dual of its energy balance)."""
        return self.dispatch.price_usd_per_mwh

    def hourly(self) -> pd.DataFrame:
        """One row per hour, one column per quantity and unit or zone (``<quantity>_<unit>:<id>``)."""
        frame = self.dispatch.hourly_frame()
        frame.index.name = "time"
        return frame

    # ----------------------------------------------------------------------------------
    # Tables (one row per site, unit, zone or storage asset; units in the column names)
    # ----------------------------------------------------------------------------------

    def site_table(self) -> pd.DataFrame:
        """One row per new site: production, P-values, dispatch and economics figures (scalars only)."""
        rows = {
            site.id: {k: v for k, v in self._site_block(site.id).items() if not isinstance(v, Mapping)}
            for site in self.portfolio.sites
        }
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("site")

    def losses_table(self) -> pd.DataFrame:
        """Tidy loss waterfall steps: ``site``, ``step``, ``loss_fraction`` (of the energy entering the step)."""
        rows = [
            (site.id, step, fraction)
            for site in self.portfolio.sites
            for step, fraction in self._site_block(site.id)["losses"].items()
        ]
        return pd.DataFrame(rows, columns=["site", "step", "loss_fraction"])

    def dispatch_by_unit(self) -> pd.DataFrame:
        """Annual energy of every unit in the dispatch with the portfolio.

        Columns: ``kind`` (thermal, hydro, renewable, storage, interconnector), ``technology``,
        ``zone``, ``new`` (part of the portfolio), ``supply_mwh`` (generation, discharge or
        import) and ``withdrawal_mwh`` (charge or export).
        """
        d = self.dispatch
        grid = self.portfolio.study_grid
        rows = []
        for unit in grid.thermal_units:
            rows.append((unit.id, "thermal", "gas", unit.zone, False, d.thermal_mw[unit.id].sum(), 0.0))
        for hydro in grid.hydro:
            rows.append((hydro.id, "hydro", "hydro", hydro.zone, False, d.hydro_mw[hydro.id].sum(), 0.0))
        for plant in d.renewable_mw.columns:
            rows.append((plant, "renewable", d.technology.get(plant), d.plant_zone[plant], plant in d.new_plants,
                         d.renewable_mw[plant].sum(), 0.0))
        for store in d.discharge_mw.columns:
            rows.append((store, "storage", d.technology.get(store), d.plant_zone.get(store), store in d.new_plants,
                         d.discharge_mw[store].sum(), d.charge_mw[store].sum()))
        for link in grid.interconnectors:
            rows.append((link.id, "interconnector", "trade", link.zone, False, d.import_mw[link.id].sum(),
                         d.export_mw[link.id].sum()))
        columns = ["unit", "kind", "technology", "zone", "new", "supply_mwh", "withdrawal_mwh"]
        frame = pd.DataFrame(rows, columns=columns).set_index("unit")
        return frame.astype({"supply_mwh": float, "withdrawal_mwh": float})

    def trade_table(self) -> pd.DataFrame:
        """One row per interconnector: its neighbour, price basis and what it carries, exports split into
        firm and opportunistic, imports (all opportunistic) [MWh], revenue and import cost [USD], and for a
        restricted link the output of the plants it may carry [MWh] and the share of it exported."""
        neighbours = {link.id: link.neighbour for link in self.portfolio.grid.interconnectors}
        rows = {link: {"neighbour": neighbours.get(link), **trade.summary()}
                for link, trade in self.dispatch.trade.items()}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("interconnector")

    def dispatch_by_zone(self) -> pd.DataFrame:
        """Annual figures per zone: ``demand_mwh``, ``unserved_mwh``, ``mean_price_usd_per_mwh``."""
        d = self.dispatch
        return pd.DataFrame(
            {
                "demand_mwh": d.demand_mw.sum(),
                "unserved_mwh": d.unserved_mw.sum().reindex(d.demand_mw.columns, fill_value=0.0),
                "mean_price_usd_per_mwh": d.price_usd_per_mwh.mean(),
            }
        ).rename_axis("zone")

    def storage_table(self) -> pd.DataFrame:
        """One row per storage asset (new and existing), never mixed.

        Columns: ``technology``, ``new``, ``energy_capacity_mwh``, ``charge_mwh``,
        ``discharge_mwh``, ``equivalent_full_cycles`` (discharge / energy capacity),
        ``loss_fraction`` ((charge - discharge) / charge), and what the store did for the system
        (:func:`storage_value`): ``energy_revenue_usd``, ``throughput_mwh``,
        ``hours_at_soc_min_h``, ``hours_at_soc_max_h`` and ``spread_captured_usd_per_mwh``
        (NaN when it never charged or never discharged).
        """
        d = self.dispatch
        rows = {}
        for store in d.discharge_mw.columns:
            charge, discharge = float(d.charge_mw[store].sum()), float(d.discharge_mw[store].sum())
            energy = float(d.energy_capacity_mwh[store])
            rows[store] = {
                "technology": d.technology.get(store),
                "new": store in d.new_plants,
                "energy_capacity_mwh": energy,
                "charge_mwh": charge,
                "discharge_mwh": discharge,
                "equivalent_full_cycles": discharge / energy if energy > 0 else 0.0,
                "loss_fraction": (charge - discharge) / charge if charge > 0 else 0.0,
            }
            value = self._storage_value(store)
            value.pop("equivalent_full_cycles")
            rows[store].update({k: (np.nan if v is None else v) for k, v in value.items()})
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("storage")

    def system(self) -> SystemFigures:
        """The power system's annual figures (typed)."""
        b = self._dispatch_block()
        names = [f.name for f in dataclasses.fields(SystemFigures)]
        plain = {name: b.get(name) for name in names}
        plain.update(
            storage_charge_mwh=b["storage"]["charge_mwh"],
            storage_discharge_mwh=b["storage"]["discharge_mwh"],
            storage_equivalent_full_cycles=b["storage"]["equivalent_full_cycles"],
            solver_status=b["solver"]["status"],
            solver_method=b["solver"]["method"],
            solver_seconds=b["solver"]["seconds"],
        )
        return SystemFigures(**plain)

    def economics_table(self) -> pd.DataFrame:
        """One row per site and one for the portfolio (``"portfolio"``): LCOE, NPV, IRR, payback."""
        rows = {key: economics_summary(project) for key, project in self.economics.items()}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("project")

    def investor_table(self) -> pd.DataFrame:
        """One row per site with a ``financing`` block: the ``sites.<id>.investor`` figures of summary.json."""
        rows = {site_id: investor_summary(view) for site_id, view in self.investor.items()}
        return pd.DataFrame.from_dict(rows, orient="index", columns=list(INVESTOR_KEYS)).rename_axis("site")

    def cash_flow_table(self, site_id: str) -> pd.DataFrame:
        """The investor's cash-flow table of a site, one row per year of life, nominal USD.

        See :meth:`~energy_portfolio.economics.InvestorView.cash_flow_table`; a KeyError names the
        sites that have one (those with ``economics.financing``).
        """
        if site_id not in self.investor:
            raise KeyError(
                f"site {site_id!r} has no investor view; the sites with an economics.financing block are"
                f" {sorted(self.investor)}"
            )
        return self.investor[site_id].cash_flow_table()
    def sensitivity_table(self) -> pd.DataFrame:
        """One row per project (each site, then ``"portfolio"``) and driver (capex, discount_rate, energy,
        price): the inputs of the low and high case and the NPV [USD] and LCOE [USD/MWh] of the base and of
        each (``economics.Sensitivity.table``; the cash flows re-priced, the dispatch not re-run)."""
        if self.sensitivity is None:
            raise ValueError("this result was made without a sensitivity (PortfolioResult(sensitivity=None))")
        return self.sensitivity.table.copy()

    def operating_years(self) -> pd.Series:
        """Year of operation of each new site in the study year (1 = commissioning year)."""
        year = self.portfolio.spec.study_year
        return pd.Series(
            {site.id: operating_year_in(site, year) for site in self.portfolio.sites}, name="operating_year"
        ).rename_axis("site")

    # ----------------------------------------------------------------------------------
    # Figures by summary.json path
    # ----------------------------------------------------------------------------------

    def metrics(self) -> dict[str, Any]:
        """Every figure of the run by its dotted ``summary.json`` path (e.g. ``dispatch.gas_saved_mcm``).

        Values are numbers, text or None (an undefined figure); ``report.summary`` nests them
        into summary.json (DESIGN.md, schema_version 1).
        """
        tree: dict[str, Any] = {
            "sites": {site.id: self._site_block(site.id) for site in self.portfolio.sites},
            "dispatch": self._dispatch_block(),
            "portfolio_economics": economics_summary(self.economics["portfolio"]),
        }
        if "portfolio" in self.p_values:
            tree["portfolio_p_values"] = self.p_values["portfolio"]
        return flatten(tree)

    def metric(self, path: str) -> Any:
        """One figure by its dotted summary.json path; KeyError names the path when there is none."""
        metrics = self.metrics()
        if path not in metrics:
            raise KeyError(f"'{path}' is not a figure of this result (paths are those of summary.json)")
        return metrics[path]

    def _site_block(self, site_id: str) -> dict[str, Any]:
        site = self.portfolio.site(site_id)
        plants = self._plants()
        if site_id in self.sites:
            block = self.sites[site_id].production.summary()
            block.update(self.p_values[site_id])
            for key in ("delivered_mwh", "curtailed_mwh", "capture_price_usd_per_mwh", "capture_rate"):
                block[key] = plants[site_id][key]
        else:
            block = self._storage_block(site)
        block.update(economics_summary(self.economics[site_id]))
        block["investor"] = investor_summary(self.investor.get(site_id))
        return block

    def _storage_specs(self) -> dict[str, BatterySite | PumpedHydroSite]:
        """Every store's config by dispatch id: the new storage sites and the grid's existing storage."""
        specs = {s.id: s for s in self.portfolio.sites if isinstance(s, (BatterySite, PumpedHydroSite))}
        specs.update(self.portfolio.existing_storage)
        return specs

    def _storage_value(self, store: str) -> dict[str, float | None]:
        d = self.dispatch
        spec = self._storage_specs()[store]
        zones = {unit.id: unit.zone for unit in self.portfolio.grid.existing_storage} | dict(self.portfolio.zones)
        zone = zones[store]
        value = storage_value(
            d.charge_mw[store].to_numpy(), d.discharge_mw[store].to_numpy(), d.soc_mwh[store].to_numpy(),
            d.price_usd_per_mwh[zone].to_numpy(), float(d.energy_capacity_mwh[store]),
            spec.soc_min_fraction, spec.soc_max_fraction,
        )
        # The revenue stack: energy arbitrage and each reserve product held, at the dispatch's prices.
        reserves = d.reserve_revenue_usd("storage", store)
        value.update({f"reserve_revenue_usd:{key}": usd for key, usd in reserves.items()})
        value["total_revenue_usd"] = value["energy_revenue_usd"] + sum(reserves.values())
        return value

    def _storage_block(self, site: BatterySite | PumpedHydroSite) -> dict[str, Any]:
        d = self.dispatch
        discharge = float(d.discharge_mw[site.id].sum())
        charge = float(d.charge_mw[site.id].sum())
        value = self._storage_value(site.id)
        value.pop("equivalent_full_cycles")
        fade = storage_fade_of(site, discharge)
        value.update(
            annual_capacity_fade=fade.annual_fade,
            end_of_life_operating_year=fade.end_of_life_operating_year,
            end_of_life_within_lifetime=fade.end_of_life_within_lifetime,
            usable_energy_fraction_final_year=float(fade.usable_energy_fraction_by_year[-1]),
        )
        return value | {
            "technology": d.technology[site.id],
            "capacity_mw": site.capacity_mw,
            "energy_capacity_mwh": site.energy_mwh,
            "annual_energy_mwh": discharge,
            "capacity_factor": discharge / (site.capacity_mw * len(d.index)),
            "losses": {"round_trip_and_standing": (charge - discharge) / charge if charge > 0 else 0.0},
            "p50_mwh": None,
            "p90_mwh": None,
            "delivered_mwh": discharge,
            "curtailed_mwh": 0.0,
            "charge_mwh": charge,
            "equivalent_full_cycles": discharge / site.energy_mwh,
        }

    @cached_property
    def _dispatch_summary(self) -> dict[str, Any]:
        return self.dispatch.summary()

    def _plants(self) -> dict[str, dict[str, Any]]:
        return self._dispatch_summary.get("plants", {})

    def _dispatch_block(self) -> dict[str, Any]:
        d = self.dispatch
        block = {k: v for k, v in self._dispatch_summary.items() if k != "plants"}
        gas = self.portfolio.grid.gas
        lifetime = max(s.lifetime_years for s in self.portfolio.sites)
        state_rate = self.portfolio.spec.options.state_discount_rate_real
        block.update(
            gas_summary(
                value_gas_saved(d.gas_saved_mcm or 0.0, gas),
                gas,
                lifetime_years=lifetime,
                discount_rate=self.economics["portfolio"].discount_rate if state_rate is None else state_rate,
                co2_avoided_per_year_t=d.co2_avoided_t,
            )
        )
        block["gas_saved_mcm"] = d.gas_saved_mcm
        block["co2_avoided_t"] = d.co2_avoided_t
        delivered_mwh = sum(self._plants()[site_id]["delivered_mwh"] for site_id in self.sites)
        if d.gas_saved_mcm is not None and delivered_mwh > 0:  # per MWh the portfolio delivers
            block["gas_saved_m3_per_mwh"] = d.gas_saved_mcm * 1e6 / delivered_mwh
            block["co2_avoided_t_per_mwh"] = d.co2_avoided_t / delivered_mwh
        else:
            block["gas_saved_m3_per_mwh"] = block["co2_avoided_t_per_mwh"] = None
        block["gas_price_basis"] = self.portfolio.spec.options.dispatch.gas_price_basis
        if d.counterfactual is not None:
            without = d.counterfactual
            block["gas_burn_without_portfolio_mcm"] = float(without.gas_burn_mcm.to_numpy().sum())
            block["co2_without_portfolio_t"] = float(without.co2_t.to_numpy().sum())
            summary = without.summary()
            block["without_portfolio"] = {key: summary[key] for key in WITHOUT_PORTFOLIO_KEYS}
        return block

