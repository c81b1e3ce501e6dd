"""The run plan: what a portfolio run will compute, before it computes anything."""

from __future__ import annotations

import energy_portfolio as ep
from energy_portfolio.portfolio import plan_run

from ..conftest import SITES


def test_plan_of_the_defaults_lists_every_site_year():
    portfolio = ep.load_portfolio(SITES / "portfolio.yaml")
    plan = plan_run(portfolio)
    year = portfolio.spec.study_year
    assert plan.year == year and len(plan.index) == 8784 and str(plan.index.tz) == portfolio.spec.timezone
    assert [s.spec.id for s in plan.new_sites] == ["caspian_offshore_wind", "fuzuli_solar"]
    # the existing fleet's profiles come from reference sites, each run in the study year
    assert set(plan.reference_sites) == {"existing_solar", "existing_wind"}
    assert all(s.year == year for s in plan.site_years)
    assert [s.spec.id for s in plan.site_years] == [
        "caspian_offshore_wind", "fuzuli_solar", "existing_solar_fleet", "existing_onshore_wind"
    ]
    assert [s.id for s in plan.new_storage] == ["fuzuli_bess"]
    assert list(plan.existing_storage) == ["azerenerji_bess"]
    assert plan.weather_years is None  # one weather year in the shipped portfolio


def test_weather_years_set_when_asked_for():
    portfolio = ep.with_changes(ep.load_portfolio(SITES / "portfolio.yaml"), {"options.weather_years": 3})
    plan = plan_run(portfolio)
    assert plan.weather_years is not None
    assert [s.id for s in plan.weather_years.specs] == ["caspian_offshore_wind", "fuzuli_solar"]
    assert (plan.weather_years.year, plan.weather_years.n_years) == (portfolio.spec.study_year, 3)


def test_a_site_commissioned_after_the_study_year_is_noted():
    portfolio = ep.load_portfolio(SITES / "portfolio.yaml")
    late = ep.with_changes(portfolio, {"sites.fuzuli_solar.commissioning_year": portfolio.spec.study_year + 1})
    plan = plan_run(late)
    assert any("fuzuli_solar" in note and "after the study year" in note for note in plan.notes)
    assert [s.operating_year for s in plan.new_sites if s.spec.id == "fuzuli_solar"] == [1]


def test_pumped_hydro_is_planned_as_storage():
    from energy_portfolio.config import PumpedHydroSite

    plan = plan_run(ep.load_portfolio(SITES / "portfolio_with_pumped_hydro.yaml"))
    assert [s.id for s in plan.new_storage] == ["fuzuli_bess", "kura_pumped_hydro"]
    assert isinstance(plan.new_storage[1], PumpedHydroSite)
    assert "kura_pumped_hydro" not in [s.spec.id for s in plan.new_sites]
