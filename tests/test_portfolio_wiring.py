"""The wiring of run_portfolio: the counterfactual dispatch starts before the new sites' production."""

from __future__ import annotations

import numpy as np
import pandas as pd

import energy_portfolio as ep
from energy_portfolio.portfolio import prepare_dispatch

from .conftest import SITES


def test_existing_system_handed_out_early_is_the_system_without_the_portfolio():
    """run_portfolio solves the inputs passed to ``on_existing_system`` as the counterfactual, on a
    second thread while production runs; they must be exactly ``inputs.without_new()``."""
    early = []
    prepared = prepare_dispatch(ep.load_portfolio(SITES / "portfolio.yaml"), on_existing_system=early.append)
    assert len(early) == 1
    alone, full = early[0], prepared.inputs.without_new()
    assert [p.id for p in alone.renewables] == [p.id for p in full.renewables] == ["existing_solar", "existing_wind"]
    for a, b in zip(alone.renewables, full.renewables, strict=True):
        np.testing.assert_array_equal(a.available_mw, b.available_mw)
        assert (a.zone, a.connection_mw, a.new) == (b.zone, b.connection_mw, b.new)
    assert alone.batteries == full.batteries == ()
    pd.testing.assert_frame_equal(alone.demand_mw, full.demand_mw)
    pd.testing.assert_index_equal(alone.index, full.index)
    assert (alone.grid, alone.options, alone.hydro_scenario) == (full.grid, full.options, full.hydro_scenario)
    # and the full problem does hold the portfolio
    assert {p.id for p in prepared.inputs.renewables if p.new} == {"caspian_offshore_wind", "fuzuli_solar"}
    assert [b.id for b in prepared.inputs.batteries] == ["fuzuli_bess"]
