"""Tiny grids for hand-solved dispatch cases.

Gas is priced at 1 USD/GJ (36 USD per 1,000 m3 at an LHV of 36 MJ/m3), so a unit's marginal cost
is its heat rate [GJ/MWh] plus its variable O&M [USD/MWh]: costs are set exactly in the cases.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from energy_portfolio.config.grid import GridSpec
from energy_portfolio.config.portfolio import DispatchOptions
from energy_portfolio.dispatch import DispatchInputs, RenewablePlant, Storage, build_inputs

ROOT = Path(__file__).resolve().parents[2]
CLIMATOLOGY = ROOT / "weather" / "absheron_offshore_climatology.yaml"


def zone(zone_id: str) -> dict:
    demand = {
        "type": "synthetic",
        "energy_base_year": 2031,
        "base_annual_energy_mwh": 1000,
        "peak_base_year": 2031,
        "base_peak_mw": 1,
        "growth_paths": {path: {"energy_growth_fraction_per_year": 0.0, "peak_growth_fraction_per_year": 0.0}
                         for path in ("low", "central", "high")},
        "peak_hour": 15,
        "night_minimum_fraction": 0.6,
        "evening_shoulder_hour": 20,
        "evening_shoulder_fraction": 0.9,
        "weekend_factor": 0.9,
        "cooling_threshold_c": 22,
        "heating_threshold_c": 10,
        "weather": {"source": "synthetic", "climatology": str(CLIMATOLOGY), "seed": 1},
    }
    return {"id": zone_id, "name": zone_id, "demand": demand}


def thermal(unit_id: str, zone_id: str, cost: float, capacity: float, min_stable: float = 0.0, **units) -> dict:
    """A gas unit whose marginal cost is ``cost`` USD/MWh (heat rate 10 GJ/MWh at 1 USD/GJ + O&M).

    By default one unit of ``capacity`` with a flat fuel curve (10 GJ/MWh at every load, so no
    no-load fuel), no start costs, no minimum times and ramps that never bind; ``units``
    overrides any unit field (``unit_count``, ``unit_size_mw``, ``part_load``, ...).
    """
    efficiency = 0.36  # 3.6 / 10 GJ/MWh
    spec = {
        "id": unit_id,
        "zone": zone_id,
        "capacity_mw": capacity,
        "heat_rate_gj_per_mwh": 10.0,
        "fuel": "gas",
        "variable_om_usd_per_mwh": cost - 10.0,
        "min_stable_fraction": min_stable,
        "availability": 1.0,
        "unit_type": "ccgt",
        "unit_count": 1,
        "unit_size_mw": capacity,
        "min_up_h": 0,
        "min_down_h": 0,
        "ramp_up_fraction_per_min": 1.0,
        "ramp_down_fraction_per_min": 1.0,
        "start_fuel_gj_per_mw": 0.0,
        "start_wear_usd_per_mw": 0.0,
        "part_load": {"load_fractions": [min_stable, 1.0], "efficiencies": [efficiency, efficiency]},
    }
    spec.update(units)
    return spec


def grid(zones, thermal_units, hydro=(), interconnectors=(), lines=(), voll=1000.0) -> GridSpec:
    return GridSpec.model_validate(
        {
            "kind": "grid",
            "name": "test grid",
            "zones": [zone(z) for z in zones],
            "thermal_units": list(thermal_units),
            "hydro": list(hydro),
            "interconnectors": list(interconnectors),
            "lines": list(lines),
            "gas": {
                "power_plant_price_usd_per_1000m3": 36.0,
                "export_value_usd_per_1000m3": 100.0,
                "lower_heating_value_mj_per_m3": 36.0,
                "co2_t_per_tj": 56.1,
            },
            "value_of_lost_load_usd_per_mwh": voll,
        }
    )


def battery(battery_id: str = "bess", zone_id: str = "a", **overrides) -> Storage:
    """A battery-like store; ``power_mw`` sets both the charge and the discharge limit."""
    fields = {
        "id": battery_id,
        "zone": zone_id,
        "power_mw": 50.0,
        "energy_mwh": 50.0,
        "charge_efficiency": 0.9,
        "discharge_efficiency": 0.9,
        "soc_min_fraction": 0.0,
        "soc_max_fraction": 1.0,
        "initial_soc_fraction": 0.0,
        "standing_loss_per_hour": 0.0,
        "cycle_limit_per_year": None,
        "discharge_cost_usd_per_mwh": 1.0,
    }
    fields.update(overrides)
    power = fields.pop("power_mw")
    fields.setdefault("charge_power_mw", power)
    fields.setdefault("discharge_power_mw", power)
    return Storage(**fields)


def plant(plant_id: str, zone_id: str, available, connection: float, new: bool = True) -> RenewablePlant:
    return RenewablePlant(plant_id, zone_id, "wind", np.asarray(available, dtype=float), connection, new)


def inputs(
    spec: GridSpec,
    demand: dict[str, list[float]],
    renewables=(),
    batteries=(),
    start: str = "2031-01-01",
    allow_unserved: bool = True,
    **options,
) -> DispatchInputs:
    n = len(next(iter(demand.values())))
    index = pd.date_range(start, periods=n, freq="h", tz="Asia/Baku", name="time")
    return build_inputs(
        spec,
        pd.DataFrame({z: np.asarray(v, dtype=float) for z, v in demand.items()}, index=index),
        renewables,
        batteries,
        DispatchOptions(mode=options.pop("mode", "perfect_foresight"), **options),
        allow_unserved=allow_unserved,
    )
