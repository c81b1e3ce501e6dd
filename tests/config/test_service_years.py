"""Grid components by year: in_service_year and retirement_year, the study year's grid, and its checks."""

from __future__ import annotations

import pandas as pd
import pytest

import energy_portfolio as ep
from energy_portfolio.config.grid import IN_SERVICE_GROUPS, ExistingRenewable
from energy_portfolio.config.load import load_grid
from energy_portfolio.config.metrics import unknown_metric
from energy_portfolio.config.portfolio import DispatchOptions
from energy_portfolio.dispatch import build_inputs
from energy_portfolio.errors import ConfigError
from energy_portfolio.timeseries import hourly_year

from ..conftest import SITES


def _unit(**years) -> ExistingRenewable:
    return ExistingRenewable.model_validate({
        "id": "plant", "zone": "z", "technology": "solar", "capacity_mw": 10.0,
        "profile": {"source": "file", "path": str(SITES / "portfolio.yaml"), "column": "cf"}, **years,
    })


@pytest.mark.parametrize(
    ("years", "in_service"),
    [
        ({}, {1990: True, 2100: True}),  # no years: always in service
        ({"in_service_year": 2026}, {2025: False, 2026: True, 2100: True}),
        ({"retirement_year": 2030}, {2029: True, 2030: False}),
        ({"in_service_year": 2026, "retirement_year": 2030}, {2025: False, 2026: True, 2029: True, 2030: False}),
    ],
)
def test_in_service_from_the_first_year_to_the_year_before_retirement(years, in_service):
    unit = _unit(**years)
    assert {year: unit.in_service(year) for year in in_service} == in_service


@pytest.mark.parametrize("retirement", [2026, 2020])
def test_retirement_not_after_the_first_year_is_refused(retirement):
    with pytest.raises(ValueError, match=rf"= {retirement}: not after in_service_year = 2026"):
        _unit(in_service_year=2026, retirement_year=retirement)


def test_a_retirement_before_service_is_a_config_error_naming_the_field():
    portfolio = ep.load_portfolio(SITES / "portfolio.yaml")
    with pytest.raises(ConfigError, match=r"grid.*existing_renewables.*retirement_year.*not after in_service_year"):
        ep.with_changes(portfolio, {"grid.existing_renewables.bilasuvar_solar.retirement_year": 2025})


def test_in_year_keeps_the_components_in_service_and_the_rest_of_the_grid():
    grid = load_grid(SITES / "azerbaijan_grid.yaml")
    assert grid.in_year(2032) is grid  # everything in the file is in service in 2032
    early = grid.in_year(2024)
    # 2024: before the new Mingachevir CCGT (FACTS 1.5: 2025), the batteries and the contracted plants
    assert "mingachevir_ccgt" not in [u.id for u in early.thermal_units]
    assert [u.id for u in early.existing_renewables] == ["early_solar", "garadagh_solar", "early_wind"]
    assert early.existing_storage == ()
    # and before the Black Sea corridor (FACTS 1.9: planned 2032)
    assert [u.id for u in early.interconnectors] == ["georgia", "iran", "russia"]
    assert (early.zones, early.hydro, early.reserves, early.gas) == (grid.zones, grid.hydro, grid.reserves, grid.gas)


def test_the_portfolio_keeps_the_whole_grid_and_a_change_of_years_works_by_path():
    portfolio = ep.load_portfolio(SITES / "portfolio.yaml")
    later = ep.with_changes(portfolio, {"grid.existing_renewables.bilasuvar_solar.in_service_year": 2033})
    assert "bilasuvar_solar" in [u.id for u in later.grid.existing_renewables]
    assert "bilasuvar_solar" not in [u.id for u in later.study_grid.existing_renewables]
    assert sum(u.capacity_mw for u in later.study_grid.existing_renewables) == pytest.approx(8000 - 445)
    assert "bilasuvar_solar" in later.reference_sites  # its file is still checked


def test_dispatch_conversion_takes_the_grid_of_its_hours_year():
    grid = load_grid(SITES / "azerbaijan_grid.yaml")
    options = DispatchOptions(mode="perfect_foresight", hold_reserves=False)
    for year, has_ccgt in ((2024, False), (2025, True)):
        index = hourly_year(year, "Asia/Baku")[:24]
        inputs = build_inputs(grid, {"az_main": pd.Series(3000.0, index=index)}, [], [], options, index=index)
        assert ("mingachevir_ccgt" in [u.id for u in inputs.thermal_units]) is has_ccgt


def _retire_everything(portfolio, year: int, groups=IN_SERVICE_GROUPS) -> dict[str, int]:
    """Changes that take every component of ``groups`` out of service from ``year`` on (those that
    would start in ``year`` or later start after the study year instead)."""
    changes = {}
    for group in groups:
        for c in getattr(portfolio.grid, group):
            late = c.in_service_year is not None and c.in_service_year >= year
            field = "in_service_year" if late else "retirement_year"
            changes[f"grid.{group}.{c.id}.{field}"] = 2099 if late else year
    return changes


def test_a_study_year_that_leaves_a_zone_without_supply_is_a_config_error():
    portfolio = ep.load_portfolio(SITES / "portfolio.yaml")
    with pytest.raises(ConfigError) as caught:
        ep.with_changes(portfolio, _retire_everything(portfolio, 2031))
    problems = [p for p in caught.value.problems if p.field == "study_year"]
    assert len(problems) == 1
    assert "zone 'az_main'" in problems[0].message and "nothing in service in 2032" in problems[0].message
    assert "mingachevir_ccgt (in service 2025 to 2030)" in problems[0].message


def test_reserves_are_checked_against_the_fleet_in_service():
    """Without thermal, hydro and storage in 2032 the grid's reserves cannot be held by anyone: interconnectors
    may not provide them (the grid file), and wind and solar provide only downward reserve."""
    portfolio = ep.load_portfolio(SITES / "portfolio.yaml")
    changes = _retire_everything(portfolio, 2031, ("thermal_units", "hydro", "existing_storage"))
    with pytest.raises(ConfigError, match=r"reserve.*in service in 2032"):
        ep.with_changes(portfolio, {**changes, "sites.fuzuli_bess.power_mw": 1.0})


def test_a_metric_of_a_unit_not_in_service_is_refused():
    portfolio = ep.load_portfolio(SITES / "portfolio.yaml")
    path = "dispatch.thermal.mingachevir_ccgt.starts"
    assert unknown_metric(path, portfolio) is None
    before = ep.with_changes(portfolio, {"study_year": 2024})
    assert "not a figure of this portfolio's results" in unknown_metric(path, before)
