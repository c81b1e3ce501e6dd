"""Shared fixtures of the weather tests: climatologies and generated years (generated once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from energy_portfolio.weather import load_climatology
from energy_portfolio.weather.generator import SiteRequest, generate_year

ROOT = Path(__file__).resolve().parents[2]
WEATHER = ROOT / "weather"
CLIMATOLOGIES = {
    "fuzuli": WEATHER / "fuzuli_climatology.yaml",
    "offshore": WEATHER / "absheron_offshore_climatology.yaml",
}
N_YEARS = 12


@pytest.fixture(scope="session")
def climatologies():
    return {name: load_climatology(path) for name, path in CLIMATOLOGIES.items()}


@pytest.fixture(scope="session")
def typical_years(climatologies):
    """Realisation 0 (the typical year) of both sites generated together, on 2032."""
    sites = [SiteRequest(n, c, c.location, 7) for n, c in climatologies.items()]
    return generate_year(sites, 2032, 0, 7)


@pytest.fixture(scope="session")
def many_years(climatologies):
    """Realisations 1..N_YEARS of both sites generated together, on 2033..."""
    sites = [SiteRequest(n, c, c.location, 11) for n, c in climatologies.items()]
    years = [generate_year(sites, 2033 + i, i + 1, 11) for i in range(N_YEARS)]
    return {name: [y[name] for y in years] for name in climatologies}
