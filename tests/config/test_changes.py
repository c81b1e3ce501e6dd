"""with_changes: fields changed by path, re-validated, the original untouched."""

import pytest

from energy_portfolio.config import load_portfolio
from energy_portfolio.config.changes import with_changes
from energy_portfolio.errors import ConfigError

from ..conftest import SITES


@pytest.fixture(scope="module")
def portfolio():
    return load_portfolio(SITES / "portfolio.yaml")


def test_changes_apply_to_sites_grid_and_portfolio(portfolio):
    changed = with_changes(portfolio, {
        "sites.fuzuli_bess.energy_mwh": 1000,
        "grid.thermal_units.janub_ccgt.capacity_mw": 900,
        "grid.thermal_units.janub_ccgt.unit_size_mw": 450,
        "options.dispatch.mode": "rolling_horizon",
    })
    assert changed.site("fuzuli_bess").energy_mwh == 1000
    assert next(u for u in changed.grid.thermal_units if u.id == "janub_ccgt").capacity_mw == 900
    assert changed.spec.options.dispatch.mode == "rolling_horizon"
    assert portfolio.site("fuzuli_bess").energy_mwh == 250  # the original is unchanged


def test_bad_changes_are_refused_clearly(portfolio):
    with pytest.raises(ConfigError, match="no site 'nope'"):
        with_changes(portfolio, {"sites.nope.energy_mwh": 1})
    with pytest.raises(ConfigError, match="no field 'energy_mwhh'"):
        with_changes(portfolio, {"sites.fuzuli_bess.energy_mwhh": 1})
    with pytest.raises(ConfigError, match="round_trip_efficiency"):
        with_changes(portfolio, {"sites.fuzuli_bess.round_trip_efficiency": 87})
