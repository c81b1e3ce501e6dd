"""The shipped configs load, and the figures derived from them are right."""

from __future__ import annotations

import math
import re

import pytest

from energy_portfolio.config import BatterySite, GridSpec, SolarSite, WindSite, load_portfolio, read_config

from ..conftest import SITES

DEFAULT_FILES = sorted(SITES.glob("*.yaml")) + sorted((SITES / "reference").glob("*.yaml"))


@pytest.mark.parametrize("path", DEFAULT_FILES, ids=lambda p: p.name)
def test_every_default_config_loads(path):
    loaded = read_config(path)
    assert loaded.spec.kind in ("solar", "wind", "battery", "pumped_hydro", "grid", "portfolio")


@pytest.mark.parametrize("path", DEFAULT_FILES, ids=lambda p: p.name)
def test_every_default_figure_says_where_it_comes_from(path):
    """Issue 2: every figure carries a FACTS source or says 'assumption'.

    Every line holding a number must carry a comment.
    """
    undocumented = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        match = re.match(r"\s*-?\s*(\w+):\s*(-?[0-9][0-9.e+-]*)\s*(#.*)?$", line)
        if match and not match.group(3):
            undocumented.append(f"line {number}: {line.strip()}")
    assert not undocumented, "figures without a source or 'assumption:' comment:\n" + "\n".join(undocumented)


def test_default_portfolio_cross_checks_and_kinds():
    portfolio = load_portfolio(SITES / "portfolio.yaml")
    assert isinstance(portfolio.grid, GridSpec)
    kinds = {type(s) for s in portfolio.sites}
    assert kinds == {SolarSite, WindSite, BatterySite}
    assert set(portfolio.zones.values()) <= set(portfolio.grid.zone_ids)
    assert portfolio.site("fuzuli_bess").coupling.site == "fuzuli_solar"


def test_offshore_farm_is_a_1_gw_farm_of_15_mw_class_turbines_at_150_m():
    wind = read_config(SITES / "caspian_offshore_wind.yaml").spec
    # FACTS 3: 67 x 15 MW at 150 m hub height; issue 5: layout at 7 to 8 rotor diameters.
    assert wind.n_turbines == 67
    assert wind.hub_height_m == 150
    assert 7 <= wind.layout.row_spacing_rotor_diameters <= 8
    assert 7 <= wind.layout.column_spacing_rotor_diameters <= 8


def test_derived_figures_follow_from_the_inputs():
    solar = read_config(SITES / "fuzuli_solar.yaml").spec
    assert solar.dc_capacity_mwp == pytest.approx(240 * 1.25)
    battery = read_config(SITES / "fuzuli_bess.yaml").spec
    charge, discharge = battery.efficiencies
    assert charge * discharge == pytest.approx(0.87)
    grid = read_config(SITES / "azerbaijan_grid.yaml").spec
    ccgt = next(u for u in grid.thermal_units if u.id == "mingachevir_ccgt")
    # 1 MWh = 3.6 GJ, so the heat rate is 3.6 / efficiency.
    assert ccgt.heat_rate == pytest.approx(3.6 / 0.546)
    # FACTS 1.6: $109 per 1,000 m3 at 34.2 MJ/m3 is about $3.2/GJ.
    assert grid.gas.power_plant_price_usd_per_gj == pytest.approx(109 / 34.2)
    assert math.isclose(sum(u.capacity_mw for u in grid.thermal_units), 7903, rel_tol=1e-9)


def test_specs_are_frozen():
    solar = read_config(SITES / "fuzuli_solar.yaml").spec
    with pytest.raises(Exception, match="frozen"):
        solar.capacity_ac_mw = 1.0


def test_hydro_plants_add_up_to_the_fleet_of_facts():
    # FACTS 1.1: 1,443.5 MW of hydro (65 HPPs); FACTS 1.2: the fleet's normal, dry and wet years
    # 2.1, 1.5 and 3.0 TWh. The plants of sites/azerbaijan_grid.yaml are that fleet split up.
    grid = read_config(SITES / "azerbaijan_grid.yaml").spec
    assert [h.id for h in grid.hydro] == ["mingachevir", "shamkir", "yenikend", "varvara", "tartar", "small_hydro"]
    assert math.isclose(sum(h.capacity_mw for h in grid.hydro), 1443.5, rel_tol=1e-12)
    assert sum(h.annual_energy_mwh for h in grid.hydro) == pytest.approx(2_100_000, abs=0.5)
    for scenario, total in (("dry", 1_500_000), ("wet", 3_000_000)):
        assert sum(h.scenarios_annual_energy_mwh[scenario] for h in grid.hydro) == pytest.approx(total, abs=0.5)
    # FACTS 1.4: Yenikend 251.8 GWh in 2023, a ~1.7 TWh fleet year, scaled to 2.1 TWh.
    yenikend = next(h for h in grid.hydro if h.id == "yenikend")
    assert yenikend.annual_energy_mwh == pytest.approx(251_800 * 2.1 / 1.7, abs=0.5)
    for plant in grid.hydro:
        assert sum(plant.monthly_shape) == pytest.approx(1.0, abs=1e-9)
        assert sum(plant.monthly_budget_mwh) == pytest.approx(plant.annual_energy_mwh)
        assert plant.ramp_mw_per_h is not None


def test_pumped_hydro_default_and_its_rules():
    from energy_portfolio.config import PumpedHydroSite

    phs = read_config(SITES / "pumped_hydro.yaml").spec
    assert isinstance(phs, PumpedHydroSite)
    # 8 hours at full turbine output; round trip 0.88 x 0.89 = 0.78 (75-80 %, IRENA/IHA).
    assert phs.energy_mwh / phs.turbine_power_mw == 8
    assert phs.pump_efficiency * phs.turbine_efficiency == pytest.approx(0.7832)
    assert sum(phs.inflow.monthly_mwh) == 20000
    data = phs.model_dump()
    with pytest.raises(ValueError, match="a minimum release needs a natural inflow"):
        PumpedHydroSite.model_validate({**data, "inflow": None})
    with pytest.raises(ValueError, match="min_release_mw over month 1 needs more than its inflow of 1200 MWh"):
        PumpedHydroSite.model_validate({**data, "min_release_mw": 2})
