"""Dispatch results: hourly frames, curtailment by cause, gas, CO2, prices and the summary.

Curtailment of a plant in an hour (available - dispatched) is split by cause in this order:

1. **connection**: the part above the plant's own connection limit (``available - connection``),
   and for a plant behind a shared connection with a battery, all of it in hours when that
   shared connection is at its limit;
2. **congestion**: the rest, in hours when a line out of the plant's zone is at its limit in the
   outward direction and the price at its far end is higher than the zone's (by more than
   0.01 USD/MWh): the energy had a buyer the network could not reach;
3. **oversupply**: the rest: the whole system had no use for it at any price above zero.

Every row family's duals are kept by name (``DispatchResult.row_duals``, hourly over the study;
see :mod:`.solve` for the sign convention): e.g. ``-result.dual("shared_connection:fuzuli_bess")``
is the hourly rent of the shared connection [USD/MWh] and ``result.duals("budget")`` the shadow
prices of the energy budgets.

Gas burn is fuel energy converted with the gas lower heating value (``units.gas_mcm_from_gj``);
CO2 is fuel energy x the gas emission factor [t/TJ]. Energy only, the fuel is output x full-load
heat rate [GJ/MWh]. With unit commitment it is split into no-load fuel (per online unit),
incremental fuel (the fuel curve's segments, including the output up to the minimum stable
level) and start-up fuel (per start), as priced in the LP (:mod:`.components.commitment`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..units import gas_mcm_from_gj
from .components.reserves import POOLED_KINDS, provider_ids, provision_block, requirement_family, split_pooled
from .inputs import DispatchInputs
from .marginal import price_setters
from .system import thermal_unit_size_mw

__all__ = ["DispatchResult", "LinkTrade", "WindowStats", "build_result", "trade_by_link",
           "PRICE_TOLERANCE_USD_PER_MWH", "FLOW_TOLERANCE_MW"]

PRICE_TOLERANCE_USD_PER_MWH = 0.01
FLOW_TOLERANCE_MW = 1e-6


@dataclass(frozen=True)
class WindowStats:
    """One solve window: its first study hour, length and hours kept, the MIP gap reached and seconds.

    Attributes
    ----------
    start_hour, hours, kept_hours : int
    gap : float
        Relative MIP gap HiGHS reached (0 for an LP) [fraction].
    seconds : float
        Wall-clock seconds of the window's solve (MILP and LP re-solve).
    mip_seconds : float
        Of which the MILP [s].
    gap_usd : float
        The gap reached in dollars: ``gap`` x the MILP's objective [USD].
    abs_gap_usd : float
        The absolute gap at which the MILP may stop (:func:`~.solve.mip_abs_gap_usd`) [USD]; a window
        is within its tolerance when ``gap`` is within ``mip_rel_gap`` or ``gap_usd`` within this.
    """

    start_hour: int
    hours: int
    kept_hours: int
    gap: float
    seconds: float
    mip_seconds: float = 0.0
    gap_usd: float = 0.0
    abs_gap_usd: float = 0.0


@dataclass(frozen=True)
class LinkTrade:
    """One interconnector's trade over the study.

    Attributes
    ----------
    link : str
    price_basis : str
        How opportunistic trade was priced (``fixed`` or ``market_reference: <market>``).
    carries : str
        ``any``, ``renewables`` or ``sites``: what the link may export.
    export_firm_mwh, export_opportunistic_mwh : float
        Exports under the firm contract and above it [MWh].
    import_mwh : float
        Imports [MWh], all opportunistic (no firm import contracts).
    firm_revenue_usd, opportunistic_revenue_usd : float
        Firm band x contract price and opportunistic sales x the hour's export price [USD].
    import_cost_usd : float
        Purchases x the hour's import price [USD].
    eligible_output_mwh : float or None
        For a link that carries only renewables or named sites: the output its plants dispatched,
        which bounds its exports hour by hour [MWh]; None for ``carries: any``.
    """

    link: str
    price_basis: str
    carries: str
    export_firm_mwh: float
    export_opportunistic_mwh: float
    import_mwh: float
    firm_revenue_usd: float
    opportunistic_revenue_usd: float
    import_cost_usd: float
    eligible_output_mwh: float | None = None

    @property
    def export_mwh(self) -> float:
        """Firm and opportunistic exports [MWh]."""
        return self.export_firm_mwh + self.export_opportunistic_mwh

    @property
    def export_revenue_usd(self) -> float:
        """Firm and opportunistic export revenue [USD]."""
        return self.firm_revenue_usd + self.opportunistic_revenue_usd

    @property
    def eligible_export_share(self) -> float | None:
        """Exports / the output of the plants the link may carry [fraction]; None for ``carries: any``
        or when they produced nothing."""
        if not self.eligible_output_mwh:
            return None
        return self.export_mwh / self.eligible_output_mwh

    def summary(self) -> dict:
        """The link's block of ``dispatch.trade`` in summary.json."""
        return {
            "price_basis": self.price_basis,
            "carries": self.carries,
            "export_mwh": self.export_mwh,
            "export_firm_mwh": self.export_firm_mwh,
            "export_opportunistic_mwh": self.export_opportunistic_mwh,
            "import_mwh": self.import_mwh,
            "export_revenue_usd": self.export_revenue_usd,
            "firm_revenue_usd": self.firm_revenue_usd,
            "opportunistic_revenue_usd": self.opportunistic_revenue_usd,
            "import_cost_usd": self.import_cost_usd,
            "eligible_output_mwh": self.eligible_output_mwh,
            "eligible_export_share": self.eligible_export_share,
        }


def trade_by_link(inputs: DispatchInputs, values: dict[str, np.ndarray]) -> dict[str, LinkTrade]:
    """Each link's exports (firm and opportunistic), imports, revenue and cost from solution arrays."""
    out = {}
    hours = inputs.hours
    for k, link in enumerate(inputs.interconnectors):
        firm, sales, purchases = values["export_firm"][k], values["export"][k], values["import"][k]
        eligible = None
        if link.carries != "any":
            plants = link.eligible(inputs.renewables)
            eligible = float(values["renewable"][plants].sum()) if plants else 0.0
        out[link.id] = LinkTrade(
            link=link.id, price_basis=link.price_basis, carries=link.carries,
            export_firm_mwh=float(firm.sum()), export_opportunistic_mwh=float(sales.sum()),
            import_mwh=float(purchases.sum()),
            firm_revenue_usd=float(firm.sum()) * link.firm_price_usd_per_mwh,
            opportunistic_revenue_usd=float(sales @ link.hourly("export_price_usd_per_mwh", hours)),
            import_cost_usd=float(purchases @ link.hourly("import_price_usd_per_mwh", hours)),
            eligible_output_mwh=eligible,
        )
    return out


@dataclass(frozen=True)
class DispatchResult:
    """The hourly dispatch of every unit and its summary.

    Frames are on the study index, one column per unit id (per zone id for demand, prices and
    unserved energy); units are in the names. ``charge_mw``, ``discharge_mw``, ``soc_mwh`` and
    ``energy_capacity_mwh`` have one column per store, ``spill_mw`` one per store with a natural
    inflow; ``technology`` labels every renewable plant and store (``"wind"``, ``"battery"``, ...).

    Reserves (empty frames without reserve products): ``reserve_price_usd_per_mw_h`` and
    ``reserve_requirement_mw`` have one column per product and direction (``"fcr:up"``); the
    price is minus the sum of the duals of the product's requirement rows [USD/MW/h], the
    requirement the static part or the largest infeed as dispatched [MW]. ``reserve_mw`` maps
    each ``"<product>:<direction>"`` to the provision of every provider [MW], columns a
    (kind, provider) MultiIndex (kinds ``thermal``, ``hydro``, ``storage``, ``interconnector``).

    ``flexible_load_mw`` has one column per flexible load (an electric-bus fleet's charging, on
    the generation basis), drawn on top of ``demand_mw``; ``technology`` labels it too.
    """

    index: pd.DatetimeIndex
    demand_mw: pd.DataFrame
    thermal_mw: pd.DataFrame
    hydro_mw: pd.DataFrame
    renewable_mw: pd.DataFrame
    available_mw: pd.DataFrame
    curtailment_connection_mw: pd.DataFrame
    curtailment_congestion_mw: pd.DataFrame
    curtailment_oversupply_mw: pd.DataFrame
    charge_mw: pd.DataFrame
    discharge_mw: pd.DataFrame
    soc_mwh: pd.DataFrame
    soc_initial_mwh: pd.Series
    export_mw: pd.DataFrame
    import_mw: pd.DataFrame
    line_flow_mw: pd.DataFrame
    unserved_mw: pd.DataFrame
    price_usd_per_mwh: pd.DataFrame
    gas_burn_mcm: pd.DataFrame
    co2_t: pd.DataFrame
    objective_usd: float
    solver_objective_usd: float
    solver_status: str
    solver_seconds: float
    solver_method: str
    energy_capacity_mwh: pd.Series
    technology: pd.Series
    plant_zone: dict[str, str]
    new_plants: tuple[str, ...]
    gas_saved_mcm: float | None = None
    co2_avoided_t: float | None = None
    counterfactual: DispatchResult | None = None
    timings_s: dict[str, float] = field(default_factory=dict)
    n_windows: int = 1
    spill_mw: pd.DataFrame | None = None
    row_duals: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    online_units: pd.DataFrame | None = None
    starts: pd.DataFrame | None = None
    shutdowns: pd.DataFrame | None = None
    fuel_no_load_gj: pd.DataFrame | None = None
    fuel_incremental_gj: pd.DataFrame | None = None
    fuel_start_up_gj: pd.DataFrame | None = None
    at_min_stable: pd.DataFrame | None = None
    windows: tuple[WindowStats, ...] = ()
    price_setter: pd.DataFrame | None = None
    flexible_load_mw: pd.DataFrame | None = None

    def reserve_revenue_usd(self, kind: str, provider: str) -> dict[str, float]:
        """Revenue of one provider from each reserve product and direction: sum over hours of the MW it
        holds x the product's price [USD], keyed ``<product>:<direction>`` (empty without reserves)."""
        out = {}
        for key, frame in self.reserve_mw.items():
            if (kind, provider) in frame.columns and self.reserve_price_usd_per_mw_h is not None:
                held = frame[(kind, provider)].to_numpy()
                out[key] = float(held @ np.nan_to_num(self.reserve_price_usd_per_mw_h[key].to_numpy()))
        return out

    def price_setting_hours(self) -> dict[str, int]:
        """Hours (zone-hours with several zones) in which each technology sets the price (:mod:`.marginal`)."""
        if self.price_setter is None:
            return {}
        counts = pd.Series(self.price_setter.to_numpy().ravel()).value_counts()
        return {str(label): int(n) for label, n in counts.items()}

    def fuel_table(self) -> pd.DataFrame:
        """Fuel per thermal plant split into no-load, incremental and start-up [GJ and million m3].

        Energy only, all of it is incremental (output x full-load heat rate). The volumes are the
        plant's gas burn split in proportion to the energy (the conversion is linear).
        """
        parts = {"no_load": self.fuel_no_load_gj, "incremental": self.fuel_incremental_gj,
                 "start_up": self.fuel_start_up_gj}
        rows = {}
        for plant in self.thermal_mw.columns:
            row = {f"{name}_gj": float(frame[plant].sum()) if frame is not None else 0.0
                   for name, frame in parts.items()}
            fuel = sum(row.values())
            mcm = float(self.gas_burn_mcm[plant].sum())
            row["total_gj"] = fuel
            for name in parts:
                row[f"{name}_mcm"] = row[f"{name}_gj"] / fuel * mcm if fuel > 0 else 0.0
            row["total_mcm"] = mcm
            rows[plant] = row
        return pd.DataFrame.from_dict(rows, orient="index")
    reserve_price_usd_per_mw_h: pd.DataFrame | None = None
    reserve_requirement_mw: pd.DataFrame | None = None
    reserve_mw: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    export_firm_mw: pd.DataFrame | None = None
    trade: dict[str, LinkTrade] = field(default_factory=dict)

    @property
    def export_opportunistic_mw(self) -> pd.DataFrame:
        """Exports above the firm band per link [MW]."""
        return self.export_mw if self.export_firm_mw is None else self.export_mw - self.export_firm_mw

    def dual(self, name: str) -> pd.Series:
        """Hourly duals of the row family ``name`` (e.g. ``balance:az_main``, ``soc:fuzuli_bess``,
        ``shared_connection:fuzuli_bess``, ``budget:hydro:mingachevir:2032-07``).

        The change of the objective [USD] per unit increase of the row's right-hand side: a zone
        balance gives its price [USD/MWh]; a ``<=`` row gives a value <= 0 (minus its rent). A
        budget (one row per period) shows its dual in the hours it covers and NaN elsewhere.
        """
        if name not in self.row_duals:
            raise KeyError(f"no row family {name!r}; the LP has {sorted(self.row_duals)}")
        return pd.Series(self.row_duals[name], index=self.index, name=name)

    def duals(self, kind: str | None = None) -> pd.DataFrame:
        """Hourly duals of every row family of ``kind`` (the name before the first ``:``, e.g.
        ``"shared_connection"``, ``"budget"``, ``"soc"``), or of all families; one column each."""
        names = [n for n in self.row_duals if kind is None or n.split(":", 1)[0] == kind]
        return pd.DataFrame({n: self.row_duals[n] for n in names}, index=self.index)

    @property
    def storage_technology(self) -> dict[str, str]:
        """Technology label of each store (e.g. ``{"fuzuli_bess": "battery"}``)."""
        return {s: str(self.technology[s]) for s in self.soc_mwh.columns}

    def electric_bus_mw(self) -> pd.Series:
        """Hourly charging of every electric-bus fleet together, generation basis [MW] (0 without)."""
        frame = self.flexible_load_mw
        if frame is None:
            return pd.Series(0.0, index=self.index, name="electric_bus_mw")
        buses = [c for c in frame.columns if self.technology.get(c) == "electric_bus"]
        return frame[buses].sum(axis=1).rename("electric_bus_mw")

    @property
    def curtailment_mw(self) -> pd.DataFrame:
        """Total curtailment per plant [MW]."""
        return self.curtailment_connection_mw + self.curtailment_congestion_mw + self.curtailment_oversupply_mw

    def hourly_frame(self) -> pd.DataFrame:
        """One row per hour, one column per quantity and unit or zone, units in the names.

        Column names are ``<quantity>_<unit>:<id>``, e.g. ``thermal_mw:shimal_ccgt`` or
        ``price_usd_per_mwh:az_main`` (for the report's hourly.csv).
        """
        parts = {
            "demand_mw": self.demand_mw,
            "thermal_mw": self.thermal_mw,
            "hydro_mw": self.hydro_mw,
            "available_mw": self.available_mw,
            "renewable_mw": self.renewable_mw,
            "curtailment_mw": self.curtailment_mw,
            "charge_mw": self.charge_mw,
            "discharge_mw": self.discharge_mw,
            "soc_mwh": self.soc_mwh,
            "spill_mw": self.spill_mw if self.spill_mw is not None else pd.DataFrame(index=self.index),
            "flexible_load_mw": self.flexible_load_mw if self.flexible_load_mw is not None
            else pd.DataFrame(index=self.index),
            "export_mw": self.export_mw,
            "export_firm_mw": pd.DataFrame(index=self.index) if self.export_firm_mw is None else self.export_firm_mw,
            "import_mw": self.import_mw,
            "line_flow_mw": self.line_flow_mw,
            "unserved_mw": self.unserved_mw,
            "price_usd_per_mwh": self.price_usd_per_mwh,
            "gas_burn_mcm": self.gas_burn_mcm,
            "co2_t": self.co2_t,
        }
        if self.online_units is not None and self.starts is not None:
            parts.update({"online_units": self.online_units, "starts": self.starts})
        for name in ("reserve_requirement_mw", "reserve_price_usd_per_mw_h"):
            frame = getattr(self, name)
            if frame is not None:
                parts[name] = frame
        frames = [frame.add_prefix(f"{name}:") for name, frame in parts.items() if frame.shape[1]]
        return pd.concat(frames, axis=1)

    def with_counterfactual(self, without_new: DispatchResult) -> DispatchResult:
        """This result with gas saved and CO2 avoided against ``without_new`` (no new portfolio)."""
        return replace(
            self,
            gas_saved_mcm=float(without_new.gas_burn_mcm.to_numpy().sum() - self.gas_burn_mcm.to_numpy().sum()),
            co2_avoided_t=float(without_new.co2_t.to_numpy().sum() - self.co2_t.to_numpy().sum()),
            counterfactual=without_new,
        )

    def _thermal_summary(self) -> dict:
        return _thermal_summary_of(self)

    def market_value(self) -> pd.DataFrame:
        """Capture price and capture rate of each renewable plant.

        Capture price = sum(dispatched x zone price) / sum(dispatched) [USD/MWh]; capture rate =
        capture price / time-weighted mean price of the zone [fraction]. NaN when a plant delivers
        nothing or its zone's mean price is zero.
        """
        rows = {}
        for plant in self.renewable_mw.columns:
            zone = self.plant_zone[plant]
            delivered = self.renewable_mw[plant].to_numpy()
            price = self.price_usd_per_mwh[zone].to_numpy()
            energy = delivered.sum()
            capture = float(delivered @ price / energy) if energy > 0 else math.nan
            mean = float(price.mean())
            rows[plant] = {
                "delivered_mwh": float(energy),
                "capture_price_usd_per_mwh": capture,
                "capture_rate": capture / mean if mean > 0 else math.nan,
            }
        return pd.DataFrame.from_dict(rows, orient="index")

    def reserve_summary(self) -> dict:
        """Per product and direction: mean requirement [MW], mean price [USD/MW/h] and the share of
        the provision held by each provider kind [fraction] (empty without reserve products)."""
        out = {}
        for key, provided in self.reserve_mw.items():
            by_kind = provided.T.groupby(level="kind").sum().T.sum()
            total = float(by_kind.sum())
            out[key] = {
                "mean_requirement_mw": float(self.reserve_requirement_mw[key].mean()),
                "mean_price_usd_per_mw_h": float(self.reserve_price_usd_per_mw_h[key].mean()),
                "share_by_provider_kind": {str(k): float(v) / total if total > 0 else 0.0 for k, v in by_kind.items()},
            }
        return out

    def summary(self) -> dict:
        """The ``dispatch`` block of summary.json (DESIGN.md) plus per-plant market value.

        ``renewable_share`` is (wind + solar + hydro delivered) / (thermal + hydro + wind + solar
        delivered); imports and battery flows are not generation. ``demand_mwh`` is the zones'
        demand; ``electric_bus_mwh`` the electric-bus charging drawn on top of it and
        ``electric_bus_share`` its share of both together (generation basis).
        """
        thermal = float(self.thermal_mw.to_numpy().sum())
        hydro = float(self.hydro_mw.to_numpy().sum())
        renewable = float(self.renewable_mw.to_numpy().sum())
        generation = thermal + hydro + renewable
        discharge = float(self.discharge_mw.to_numpy().sum())
        energy = float(self.energy_capacity_mwh.sum())
        value = self.market_value()
        demand = float(self.demand_mw.to_numpy().sum())
        buses = float(self.electric_bus_mw().sum())
        flexible = float(self.flexible_load_mw.to_numpy().sum()) if self.flexible_load_mw is not None else 0.0
        return {
            "demand_mwh": demand,
            "electric_bus_mwh": buses,
            "electric_bus_share": buses / (demand + flexible) if demand + flexible > 0 else 0.0,
            "renewable_share": (hydro + renewable) / generation if generation > 0 else 0.0,
            "curtailment_mwh": float(self.curtailment_mw.to_numpy().sum()),
            "curtailment_by_cause_mwh": {
                "connection": float(self.curtailment_connection_mw.to_numpy().sum()),
                "congestion": float(self.curtailment_congestion_mw.to_numpy().sum()),
                "oversupply": float(self.curtailment_oversupply_mw.to_numpy().sum()),
            },
            "unserved_mwh": float(self.unserved_mw.to_numpy().sum()),
            "export_mwh": float(self.export_mw.to_numpy().sum()),
            "import_mwh": float(self.import_mw.to_numpy().sum()),
            "trade": {link: trade.summary() for link, trade in self.trade.items()},
            "gas_burn_mcm": float(self.gas_burn_mcm.to_numpy().sum()),
            "gas_saved_mcm": self.gas_saved_mcm,
            "co2_t": float(self.co2_t.to_numpy().sum()),
            "co2_avoided_t": self.co2_avoided_t,
            "objective_usd": self.objective_usd,
            "storage": {
                "charge_mwh": float(self.charge_mw.to_numpy().sum()),
                "discharge_mwh": discharge,
                "equivalent_full_cycles": discharge / energy if energy > 0 else 0.0,
            },
            "reserves": self.reserve_summary(),
            "solver": {"status": self.solver_status, "seconds": self.solver_seconds, "method": self.solver_method},
            "mean_price_usd_per_mwh": {z: float(self.price_usd_per_mwh[z].mean()) for z in self.price_usd_per_mwh},
            "thermal": self._thermal_summary(),
            "price_setting_hours": self.price_setting_hours(),
            "plants": {
                plant: {
                    "delivered_mwh": float(row.delivered_mwh),
                    "curtailed_mwh": float(self.curtailment_mw[plant].sum()),
                    "capture_price_usd_per_mwh": _finite_or_none(row.capture_price_usd_per_mwh),
                    "capture_rate": _finite_or_none(row.capture_rate),
                }
                for plant, row in value.iterrows()
            },
        }


def _thermal_summary_of(result: DispatchResult) -> dict:
    """Per thermal plant: starts, hours at the minimum stable level, fuel by part, average efficiency."""
    table = result.fuel_table()
    out = {}
    for plant in result.thermal_mw.columns:
        output = float(result.thermal_mw[plant].sum())
        fuel = float(table.loc[plant, "total_gj"])
        out[plant] = {
            "starts": float(result.starts[plant].sum()) if result.starts is not None else None,
            "hours_at_min_stable": (
                int(result.at_min_stable[plant].sum()) if result.at_min_stable is not None else None
            ),
            "fuel_no_load_gj": float(table.loc[plant, "no_load_gj"]),
            "fuel_incremental_gj": float(table.loc[plant, "incremental_gj"]),
            "fuel_start_up_gj": float(table.loc[plant, "start_up_gj"]),
            "average_efficiency": output * 3.6 / fuel if fuel > 0 else None,
        }
    return out


def _finite_or_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _frame(values: np.ndarray, index: pd.DatetimeIndex, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        np.asarray(values, dtype=float).reshape(len(columns), len(index)).T, index=index, columns=columns
    )


def _curtailment_causes(
    inputs: DispatchInputs, values: dict[str, np.ndarray], prices: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split curtailment (R, T) into connection, congestion and oversupply (rule in the module docstring)."""
    zones = {z: i for i, z in enumerate(inputs.zones)}
    available = np.array([p.available_mw for p in inputs.renewables]).reshape(len(inputs.renewables), inputs.hours)
    dispatched = values["renewable"]
    curtailed = np.maximum(available - dispatched, 0.0)
    connection = np.array([p.connection_mw for p in inputs.renewables]).reshape(-1, 1)
    own = np.minimum(curtailed, np.maximum(available - connection, 0.0))
    plant_index = {p.id: i for i, p in enumerate(inputs.renewables)}
    for b, battery in enumerate(inputs.storage):
        if battery.coupled_plant is None:
            continue
        r = plant_index[battery.coupled_plant]
        export = dispatched[r] + values["discharge"][b] - values["charge"][b]
        at_limit = export >= battery.shared_connection_mw - FLOW_TOLERANCE_MW * max(1.0, battery.shared_connection_mw)
        own[r] = np.where(at_limit, curtailed[r], own[r])
    rest = curtailed - own
    congested = np.zeros((len(zones), inputs.hours), dtype=bool)
    for k, line in enumerate(inputs.lines):
        flow = values["line"][k]
        a, b = zones[line.from_zone], zones[line.to_zone]
        limit = line.capacity_mw - FLOW_TOLERANCE_MW * max(1.0, line.capacity_mw)
        congested[a] |= (flow >= limit) & (prices[b] > prices[a] + PRICE_TOLERANCE_USD_PER_MWH)
        congested[b] |= (flow <= -limit) & (prices[a] > prices[b] + PRICE_TOLERANCE_USD_PER_MWH)
    plant_zone = np.array([zones[p.zone] for p in inputs.renewables], dtype=int)
    by_congestion = congested[plant_zone] if len(plant_zone) else np.zeros_like(rest, dtype=bool)
    congestion = np.where(by_congestion, rest, 0.0)
    return own, congestion, rest - congestion


def _reserve_frames(inputs: DispatchInputs, values: dict[str, np.ndarray], duals: dict[str, np.ndarray]):
    """Reserve prices, requirements and provisions (see :class:`DispatchResult`)."""
    index, prices, requirements, provided = inputs.index, {}, {}, {}
    for product in inputs.reserves:
        requirement = inputs.reserve_requirement_mw(product)
        if product.largest_infeed:
            sizes = [thermal_unit_size_mw(u) for u in inputs.thermal_units]
            requirement = np.maximum(requirement, max(sizes, default=0.0))
        for direction in product.directions:
            key, family = f"{product.id}:{direction}", requirement_family(product, direction)
            names = [n for n in duals if n == family or n.startswith(family + ":")]
            prices[key] = 0.0 - np.sum([duals[n] for n in names], axis=0) if names else np.full(len(index), np.nan)
            requirements[key] = requirement
            if product.largest_infeed and direction == "up":  # a new plant's output is an infeed it can lose
                new = [values["renewable"][k] for k, p in enumerate(inputs.renewables) if p.new]
                requirements[key] = np.max(np.vstack([requirement, *new]), axis=0)
            columns = {}
            for kind, ids in provider_ids(inputs, product, direction).items():
                held = values[provision_block(product, direction, kind)] if ids else np.zeros((0, len(index)))
                if kind in POOLED_KINDS and ids:
                    held = split_pooled(inputs, kind, direction, held[0], values[kind])
                columns.update({(kind, unit_id): held[u] for u, unit_id in enumerate(ids)})
            frame = pd.DataFrame(columns, index=index, dtype=float)
            frame.columns = pd.MultiIndex.from_tuples(list(columns), names=["kind", "provider"])
            provided[key] = frame
    return pd.DataFrame(prices, index=index), pd.DataFrame(requirements, index=index), provided


def build_result(
    inputs: DispatchInputs,
    values: dict[str, np.ndarray],
    prices: np.ndarray,
    soc_initial_mwh: np.ndarray,
    objective_usd: float,
    solver_objective_usd: float,
    status: str,
    seconds: float,
    method: str,
    duals: dict[str, np.ndarray] | None = None,
) -> DispatchResult:
    """Turn solution arrays (block -> (units, hours)) and row duals (family -> hours) into a :class:`DispatchResult`."""
    index = inputs.index
    plants = [p.id for p in inputs.renewables]
    batteries = [b.id for b in inputs.storage]
    thermal_ids = [u.id for u in inputs.thermal_units]
    ic_ids = [i.id for i in inputs.interconnectors]
    zones = list(inputs.zones)
    no_load, incremental, start_up = _fuel_split(inputs, values)
    fuel_gj = no_load + incremental + start_up
    gas = gas_mcm_from_gj(fuel_gj, inputs.gas.lower_heating_value_mj_per_m3)
    co2 = fuel_gj / 1000.0 * inputs.gas.co2_t_per_tj
    connection, congestion, oversupply = _curtailment_causes(inputs, values, prices)
    available = np.array([p.available_mw for p in inputs.renewables]).reshape(len(plants), len(index))
    unserved = values["unserved"] if values["unserved"].size else np.zeros((len(zones), len(index)))
    technology = pd.Series(
        {**{p.id: p.technology for p in inputs.renewables}, **{s.id: s.technology for s in inputs.storage},
         **{f.id: f.technology for f in inputs.flexible_loads}},
        dtype=object,
    )
    spill_ids = [s.id for s in inputs.storage if s.inflow_mw is not None]
    spill = values.get("spill", np.zeros((0, len(index))))
    reserve_price, reserve_requirement, reserve_mw = _reserve_frames(inputs, values, duals or {})
    return DispatchResult(
        index=index,
        demand_mw=inputs.demand_mw.copy(),
        thermal_mw=_frame(values["thermal"], index, thermal_ids),
        hydro_mw=_frame(values["hydro"], index, [h.id for h in inputs.hydro]),
        renewable_mw=_frame(values["renewable"], index, plants),
        available_mw=_frame(available, index, plants),
        curtailment_connection_mw=_frame(connection, index, plants),
        curtailment_congestion_mw=_frame(congestion, index, plants),
        curtailment_oversupply_mw=_frame(oversupply, index, plants),
        charge_mw=_frame(values["charge"], index, batteries),
        discharge_mw=_frame(values["discharge"], index, batteries),
        soc_mwh=_frame(values["soc"], index, batteries),
        soc_initial_mwh=pd.Series(soc_initial_mwh, index=batteries, dtype=float),
        export_mw=_frame(values["export"] + values["export_firm"], index, ic_ids),
        export_firm_mw=_frame(values["export_firm"], index, ic_ids),
        trade=trade_by_link(inputs, values),
        import_mw=_frame(values["import"], index, ic_ids),
        line_flow_mw=_frame(values["line"], index, [ln.id for ln in inputs.lines]),
        unserved_mw=_frame(unserved, index, zones),
        price_usd_per_mwh=_frame(prices, index, zones),
        gas_burn_mcm=_frame(gas, index, thermal_ids),
        co2_t=_frame(co2, index, thermal_ids),
        objective_usd=float(objective_usd),
        solver_objective_usd=float(solver_objective_usd),
        solver_status=status,
        solver_seconds=float(seconds),
        solver_method=method,
        energy_capacity_mwh=pd.Series({b.id: b.energy_mwh for b in inputs.storage}, dtype=float),
        technology=technology,
        plant_zone={p.id: p.zone for p in inputs.renewables},
        new_plants=tuple(p.id for p in inputs.renewables if p.new) + tuple(b.id for b in inputs.storage if b.new),
        spill_mw=_frame(spill, index, spill_ids),
        row_duals=dict(duals or {}),
        fuel_no_load_gj=_frame(no_load, index, thermal_ids),
        fuel_incremental_gj=_frame(incremental, index, thermal_ids),
        fuel_start_up_gj=_frame(start_up, index, thermal_ids),
        **_commitment_frames(inputs, values),
        price_setter=pd.DataFrame(price_setters(inputs, values, prices).T, index=index, columns=zones),
        flexible_load_mw=_frame(values.get("flexible_load", np.zeros((0, len(index)))), index,
                                [f.id for f in inputs.flexible_loads]),
        reserve_price_usd_per_mw_h=reserve_price,
        reserve_requirement_mw=reserve_requirement,
        reserve_mw=reserve_mw,
    )


def _fuel_split(inputs: DispatchInputs, values: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """No-load, incremental and start-up fuel per thermal plant and hour [GJ], shape (G, T) each."""
    units = inputs.thermal_units
    thermal = values["thermal"]
    zeros = np.zeros_like(thermal)
    if not inputs.options.unit_commitment:
        heat_rate = np.array([u.heat_rate_gj_per_mwh for u in units]).reshape(-1, 1)
        return zeros, thermal * heat_rate, zeros.copy()
    online, starts = values["online"], values["start"]
    no_load = online * np.array([u.no_load_gj_per_h * u.availability for u in units]).reshape(-1, 1)
    incremental = online * np.array([u.heat_rates[0] * u.unit_min_mw for u in units]).reshape(-1, 1)
    for k in range(max((len(u.heat_rates) for u in units), default=0)):
        members = [g for g, u in enumerate(units) if len(u.heat_rates) > k]
        segment = values[f"thermal_segment_{k + 1}"]
        for row, g in enumerate(members):
            incremental[g] += segment[row] * units[g].heat_rates[k]
    start_up = starts * np.array([u.start_fuel_gj for u in units]).reshape(-1, 1)
    return no_load, incremental, start_up


def _commitment_frames(inputs: DispatchInputs, values: dict[str, np.ndarray]) -> dict[str, pd.DataFrame]:
    """Units online, starts, shutdowns and hours at the minimum stable level (unit commitment only)."""
    if not inputs.options.unit_commitment:
        return {}
    ids = [u.id for u in inputs.thermal_units]
    p_min = np.array([u.unit_min_mw for u in inputs.thermal_units]).reshape(-1, 1)
    online = values["online"]
    at_min = (online > 1e-6) & (values["thermal"] <= p_min * online + FLOW_TOLERANCE_MW * np.maximum(1.0, p_min))
    return {
        "online_units": _frame(online, inputs.index, ids),
        "starts": _frame(values["start"], inputs.index, ids),
        "shutdowns": _frame(values["shutdown"], inputs.index, ids),
        "at_min_stable": _frame(at_min.astype(float), inputs.index, ids),
    }
