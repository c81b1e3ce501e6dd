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
    # the existing fleet's profiles come from reference sites, each run in the study year: every plant in
    # service in the study year, each production once (the generic tranche's steps share their region's site)
    in_service = [u.id for u in portfolio.grid.existing_renewables if u.in_service(year)]
    assert list(plan.reference_sites) == in_service and len(in_service) == 20
    assert all(s.year == year for s in plan.site_years)
    files = {portfolio.reference_sites[u].id for u in in_service}
    assert [s.spec.id for s in plan.site_years][:2] == ["caspian_offshore_wind", "fuzuli_solar"]
    assert sorted(s.spec.id for s in plan.site_years[2:]) == sorted(files) and len(files) == 14
    assert [s.id for s in plan.new_storage] == ["fuzuli_bess"]
    assert list(plan.existing_storage) == ["azerenerji_bess", "acwa_bess"]
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


def test_plan_keeps_only_what_is_in_service_in_the_study_year():
    """A study year before a plant's in_service_year, or from its retirement_year, leaves it out of the plan:
    no production is computed for it, and the plan's grid (what the dispatch is built from) lacks it."""
    portfolio = ep.with_changes(ep.load_portfolio(SITES / "portfolio.yaml"), {
        "study_year": 2027,
        "grid.existing_renewables.early_wind.retirement_year": 2027,
        "grid.thermal_units.azerbaijan_tpp_steam.retirement_year": 2027,
    })
    plan = plan_run(portfolio)
    # 2027: the named plants of FACTS 2 are in, the generic tranche (2028-2032) and the retired early wind are out
    assert list(plan.reference_sites) == ["early_solar", "garadagh_solar", "bilasuvar_solar", "neftchala_solar",
                                          "shafag_solar", "shams_ufug_solar", "gobustan_solar",
                                          "khizi_absheron_wind", "absheron_garadagh_wind"]
    assert "azerbaijan_tpp_steam" not in [u.id for u in plan.grid.thermal_units]
    assert [u.id for u in plan.grid.existing_renewables] == list(plan.reference_sites)
    # the portfolio keeps the whole grid, so the change can be undone by path
    assert len(portfolio.grid.existing_renewables) == 20
