"""Bad dispatch inputs are reported with the plant, zone or hour and what was expected."""

from __future__ import annotations

import numpy as np
import pytest

from energy_portfolio.config.load import load_grid
from energy_portfolio.dispatch import renewable_from_capacity_factor
from energy_portfolio.errors import InputError

from . import small
from .default_problem import SITES, default_inputs


def _spec():
    return small.grid(["a"], [small.thermal("gas", "a", 20, 100)])


def test_nan_availability_names_plant_and_hour():
    wind = small.plant("wind", "a", [1.0, np.nan], connection=10.0)
    with pytest.raises(InputError, match=r"renewable plant wind: available_mw: missing .* at 2031-01-01T01:00:00"):
        small.inputs(_spec(), {"a": [1, 1]}, renewables=[wind])


def test_unknown_zone_and_coupling_are_errors():
    with pytest.raises(InputError, match="zone 'b' is not a zone of the grid"):
        small.inputs(_spec(), {"a": [1]}, renewables=[small.plant("wind", "b", [1.0], connection=10.0)])
    with pytest.raises(InputError, match="coupled to 'solar', which is not a renewable plant"):
        small.inputs(_spec(), {"a": [1]}, batteries=[small.battery(coupled_plant="solar", shared_connection_mw=5.0)])


def test_wrong_length_and_negative_demand():
    with pytest.raises(InputError, match=r"\(3,\) available_mw values; expected 2 hours"):
        small.inputs(_spec(), {"a": [1, 1]}, renewables=[small.plant("wind", "a", [1.0, 1, 1], connection=10.0)])
    with pytest.raises(InputError, match="zone a: demand_mw: negative value -5"):
        small.inputs(_spec(), {"a": [1, -5]})


def test_capacity_factor_above_one_is_an_error():
    inputs = default_inputs(hours=slice(0, 48))
    spec = load_grid(SITES / "azerbaijan_grid.yaml").existing_renewables[0]
    import pandas as pd

    cf = pd.Series(0.5, index=inputs.index)
    cf.iloc[3] = 1.7
    with pytest.raises(InputError, match=r"early_solar: capacity factor: 1.7 at 2032-01-01T03:00:00"):
        renewable_from_capacity_factor(spec, cf)


def test_unknown_hydro_scenario():
    from dataclasses import replace

    inputs = default_inputs(hours=slice(0, 24))
    with pytest.raises(InputError, match=r"no scenario .drought.*found \[.dry., .wet.\]"):
        replace(inputs, hydro_scenario="drought")


def test_fingerprint_follows_every_input_a_solve_depends_on():
    spec = small.grid(["a"], [small.thermal("gas", "a", 10, 1000)])
    base = small.inputs(spec, {"a": [100, 200]}, renewables=[small.plant("wind", "a", [50, 60], 80)])
    same = small.inputs(spec, {"a": [100, 200]}, renewables=[small.plant("wind", "a", [50, 60], 80)])
    assert base.fingerprint() == same.fingerprint()
    others = [
        small.inputs(spec, {"a": [100, 201]}, renewables=[small.plant("wind", "a", [50, 60], 80)]),
        small.inputs(spec, {"a": [100, 200]}, renewables=[small.plant("wind", "a", [50, 61], 80)]),
        small.inputs(spec, {"a": [100, 200]}, renewables=[small.plant("wind", "a", [50, 60], 79)]),
        small.inputs(spec, {"a": [100, 200]}, renewables=[small.plant("wind", "a", [50, 60], 80)],
                     batteries=[small.battery()]),
        small.inputs(spec, {"a": [100, 200]}, renewables=[small.plant("wind", "a", [50, 60], 80)],
                     gas_price_basis="export_value"),
        small.inputs(spec, {"a": [100, 200]}, renewables=[small.plant("wind", "a", [50, 60], 80)],
                     start="2031-01-02"),
        small.inputs(small.grid(["a"], [small.thermal("gas", "a", 11, 1000)]), {"a": [100, 200]},
                     renewables=[small.plant("wind", "a", [50, 60], 80)]),
    ]
    prints = {inputs.fingerprint() for inputs in others}
    assert len(prints) == len(others) and base.fingerprint() not in prints
