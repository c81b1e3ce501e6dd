"""Each reference site of the wind and solar fleet yields what FACTS section 2 gives for its plant.

The sites run in their first operating year (no degradation), as the developers' figures are stated.
The tolerances come from the inputs, not the results:

- solar: FACTS 4a rates the GHI behind the climatologies L-M. The Fuzuli proxy is the midpoint of the
  Mingachevir (1,433 kWh/m2) and Nakhchivan (1,723) stations, so the stations' half-range over the
  mean, 145 / 1,578 = 9.2 %, is the proxy's own spread; yield scales about linearly with GHI. The
  DC/AC ratios FACTS gives (1.2-1.33) add about 4 % where a plant's own ratio is not given. 13 % in all.
- wind: the mean speed at 100 m is derived from the Absheron masts' 7.9-8.1 m/s at 30-40 m (FACTS 4b)
  with a 1/7 shear: 9.0 to 9.6 m/s, +-3 % about the 9.3 used. At these speeds a 283 W/m2 turbine's
  energy moves about 1.5 % per 1 % of speed, so +-5 % about FACTS's range.
"""

from __future__ import annotations

import pytest

import energy_portfolio as ep
from energy_portfolio.portfolio.sites import run_site

from ..conftest import SITES

SOLAR_TOLERANCE = 0.092 + 0.04
WIND_TOLERANCE = 0.05


def _energy_gwh(name: str, operating_year: int = 1) -> float:
    site = ep.load_site(SITES / "reference" / f"{name}.yaml")
    return run_site(site, operating_year=operating_year).production.annual_energy_mwh / 1e3


@pytest.mark.parametrize(
    ("name", "facts_gwh"),
    [
        ("garadagh_solar", 500),  # FACTS 2: 500 GWh/yr design (model 519, +4 %)
        # FACTS 2: about 500 GWh/yr (model 551, +10 %: the Fuzuli proxy GHI, as for the portfolio Fuzuli plant)
        ("shafag_solar", 500),
        ("shams_ufug_solar", 206),  # FACTS 2: 206 GWh/yr (model 229, +11 %, the same climatology)
        ("gobustan_solar", 260),  # FACTS 2: about 260 GWh/yr (model 248, -5 %)
    ],
)
def test_solar_plant_yields_its_facts_figure(name, facts_gwh):
    assert _energy_gwh(name) == pytest.approx(facts_gwh, rel=SOLAR_TOLERANCE)


def test_garadagh_specific_yield_in_its_facts_range():
    # FACTS 2: about 2,080-2,170 kWh/kWac (design 2,170; actual about 2,015 at 23 %)
    specific = _energy_gwh("garadagh_solar") * 1e3 / 230
    assert 2080 * (1 - SOLAR_TOLERANCE) <= specific <= 2170 * (1 + SOLAR_TOLERANCE)


def test_khizi_yields_its_facts_range():
    # FACTS 2: 0.9-1.0 TWh/yr, capacity factor 43-48 % on 240 MW (model 1.04 TWh, 49.6 %: the upper end,
    # with the climatology's 9.3 m/s above FACTS's ">9 m/s")
    energy = _energy_gwh("khizi_absheron_wind")
    assert 900 * (1 - WIND_TOLERANCE) <= energy <= 1000 * (1 + WIND_TOLERANCE)
    capacity_factor = energy * 1e3 / (240 * 8760)
    assert 0.43 * (1 - WIND_TOLERANCE) <= capacity_factor <= 0.48 * (1 + WIND_TOLERANCE)


def test_the_2024_solar_fleet_yields_the_published_2024_solar_generation():
    """FACTS 1.2: 556.3 GWh of solar in 2024, Garadagh's first full year (operating year 2) and the older
    plants (operating year 6 of 2019); model about 596 GWh, +7 %."""
    modelled = _energy_gwh("garadagh_solar", 2) + _energy_gwh("early_solar", 6)
    assert modelled == pytest.approx(556.3, rel=SOLAR_TOLERANCE)
