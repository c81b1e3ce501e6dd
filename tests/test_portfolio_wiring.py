"""The wiring of run_portfolio: the counterfactual dispatch starts before the new sites' production."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import energy_portfolio as ep
from energy_portfolio.errors import InputError
from energy_portfolio.portfolio import prepare_dispatch

from .conftest import SITES


def test_existing_system_handed_out_early_is_the_system_without_the_portfolio():
    """run_portfolio solves the inputs passed to ``on_existing_system`` as the counterfactual, on a
    second thread while production runs; they must be exactly ``inputs.without_new()``."""
    early = []
    prepared = prepare_dispatch(ep.load_portfolio(SITES / "portfolio.yaml"), on_existing_system=early.append)
    assert len(early) == 1
    alone, full = early[0], prepared.inputs.without_new()
    fleet = [u.id for u in prepared.inputs.renewables if not u.new]
    assert [p.id for p in alone.renewables] == [p.id for p in full.renewables] == fleet and len(fleet) == 20
    for a, b in zip(alone.renewables, full.renewables, strict=True):
        np.testing.assert_array_equal(a.available_mw, b.available_mw)
        assert (a.zone, a.connection_mw, a.new) == (b.zone, b.connection_mw, b.new)
    # the grid's existing battery stays in the system without the portfolio
    assert alone.batteries == full.batteries
    assert [(b.id, b.new, b.power_mw, b.energy_mwh) for b in alone.batteries] == [
        ("azerenerji_bess", False, 250 * 0.98, 500), ("acwa_bess", False, 200 * 0.98, 400)
    ]
    pd.testing.assert_frame_equal(alone.demand_mw, full.demand_mw)
    pd.testing.assert_index_equal(alone.index, full.index)
    grid = ("zones", "thermal_units", "hydro", "interconnectors", "lines", "gas", "value_of_lost_load_usd_per_mwh")
    assert [getattr(alone, f) for f in grid] == [getattr(full, f) for f in grid]
    assert (alone.options, alone.hydro_scenario) == (full.options, full.hydro_scenario)
    # and the full problem does hold the portfolio
    assert {p.id for p in prepared.inputs.renewables if p.new} == {"caspian_offshore_wind", "fuzuli_solar"}
    assert [b.id for b in prepared.inputs.batteries] == ["fuzuli_bess", "azerenerji_bess", "acwa_bess"]


def test_existing_storage_must_name_a_standalone_battery_config(project_copy):
    grid = project_copy / "sites" / "azerbaijan_grid.yaml"
    grid.write_text(grid.read_text().replace("site: reference/azerenerji_bess.yaml", "site: fuzuli_bess.yaml"))
    # Loading finishes the configs (DESIGN.md), so the bad reference is refused before any run.
    with pytest.raises(InputError, match=r"azerbaijan_grid.yaml, line \d+: existing_storage\[0\]\(azerenerji_bess\)"
                       r"\.site\n  = .*fuzuli_bess.yaml: coupling ac_coupled .*; expected standalone"):
        ep.load_portfolio(project_copy / "sites" / "portfolio.yaml")
    grid.write_text(grid.read_text().replace("site: fuzuli_bess.yaml", "site: fuzuli_solar.yaml"))
    with pytest.raises(InputError, match=r"a solar config; expected a battery config"):
        ep.load_portfolio(project_copy / "sites" / "portfolio.yaml")
