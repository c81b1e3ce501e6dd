"""Specs for the economics tests: the shipped defaults and a hand-sized one."""

from __future__ import annotations

from pathlib import Path

import pytest

from energy_portfolio.config.grid import Gas
from energy_portfolio.config.load import load_grid, load_site
from energy_portfolio.config.site import Economics

SITES = Path(__file__).resolve().parents[2] / "sites"


@pytest.fixture(scope="session")
def solar_site():
    return load_site(SITES / "fuzuli_solar.yaml")


@pytest.fixture(scope="session")
def wind_site():
    return load_site(SITES / "caspian_offshore_wind.yaml")


@pytest.fixture(scope="session")
def battery_site():
    return load_site(SITES / "fuzuli_bess.yaml")


@pytest.fixture(scope="session")
def grid_gas() -> Gas:
    return load_grid(SITES / "azerbaijan_grid.yaml").gas


@pytest.fixture
def small_economics() -> Economics:
    """1 USD/kW capex, 0.01 USD/kW/yr fixed opex, 1 USD/MWh variable opex, 10 % real."""
    return Economics(
        capex_usd_per_kw=1.0,
        fixed_opex_usd_per_kw_year=0.01,
        variable_opex_usd_per_mwh=1.0,
        discount_rate_real=0.10,
    )
