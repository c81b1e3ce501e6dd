"""Portfolio spec: which sites, which grid, which year, and run options."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .types import ExistingFile, Fraction, Identifier, Spec, TimeZone, Year, cross_field_error

__all__ = ["SiteEntry", "DispatchOptions", "SensitivityOptions", "PortfolioOptions", "PortfolioSpec"]


class SiteEntry(Spec):
    """A site config file and the grid zone it connects to."""

    file: ExistingFile
    zone: Identifier


def _refuse_removed(data: Any, field: str, message: str) -> Any:
    """``data`` unchanged, or a specific error when it still has ``field``, a field removed with ``message``."""
    if isinstance(data, dict) and field in data:
        raise cross_field_error(field, message)
    return data


class DispatchOptions(Spec):
    """How the hourly dispatch is solved."""

    mode: Literal["perfect_foresight", "rolling_horizon"]
    window_h: int = Field(48, ge=2, le=8784, description="rolling horizon window [h]")
    step_h: int = Field(24, ge=1, le=8784, description="rolling horizon step [h]")
    operations: Literal["unit_commitment", "energy_only"] = Field(
        "energy_only",
        description="energy_only: thermal groups dispatched as one linear block at the full-load heat rate; "
        "unit_commitment: units online, starts, minimum stable levels, minimum up and down times, ramps and "
        "part-load fuel (a MILP per window, then an LP with the commitment fixed for the prices)",
    )
    commitment: Literal["integer", "relaxed"] = Field(
        "integer", description="units online as integers, or relaxed to continuous 0..unit_count (an LP)"
    )
    lookahead_commitment: Literal["relaxed", "integer"] = Field(
        "relaxed",
        description="with integer commitment on a rolling horizon: units online in a window's look-ahead hours "
        "(after the step_h hours it keeps) relaxed to continuous, or integer as in the kept hours; relaxed halves "
        "the integer variables of each window, and the kept hours are always integer",
    )
    mip_rel_gap: float = Field(
        0.005, gt=0, le=0.1, description="MIP gap at which each unit-commitment window stops, as a fraction of its "
        "objective or of the cost of its demand at the cheapest thermal unit, whichever is reached first [fraction]"
    )
    hold_reserves: bool = Field(
        True,
        description="hold the grid file's reserve products (co-optimised with energy); false dispatches energy "
        "only, with no reserve held",
    )
    gas_price_basis: Literal["tariff", "export_value"] = Field(
        "tariff",
        description="gas price in the thermal units' marginal cost: the regulated tariff power plants pay "
        "(the grid's gas.power_plant_price_usd_per_1000m3) or the gas's export value, its opportunity cost "
        "(gas.export_value_usd_per_1000m3)",
    )
    storage_wear_cost_usd_per_mwh: float = Field(
        1.0,
        gt=0,
        le=100,
        description="cost per MWh a battery discharges, added to its variable O&M; above 0 so that idle cycling "
        "and simultaneous charge and discharge never pay [USD/MWh]",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_unit_commitment_flag(cls, data: Any) -> Any:
        return _refuse_removed(
            data,
            "unit_commitment",
            "options.dispatch.unit_commitment was replaced by operations: unit_commitment | energy_only "
            "(with commitment: integer | relaxed and mip_rel_gap); write operations: energy_only for false "
            "and operations: unit_commitment for true",
        )

    @model_validator(mode="after")
    def _step_within_window(self) -> "DispatchOptions":
        if self.step_h > self.window_h:
            raise cross_field_error("step_h", "expected step_h <= window_h")
        return self


class SensitivityOptions(Spec):
    """How far each driver of the one-at-a-time sensitivity of NPV and LCOE moves from the base case."""

    capex_fraction: float = Field(
        0.2, gt=0, lt=1,
        description="capital cost moved down and up by this fraction of each site's capex [fraction]; default 0.2: "
        "the Azerbaijani project costs of FACTS 5.2 spread about +-10 % around their middle, and the offshore "
        "figure (confidence L) differs by 15 % from IRENA's",
    )
    discount_rate_points: float = Field(
        0.02, gt=0, le=0.1,
        description="each site's real discount rate moved down and up by this many points [fraction]; default "
        "0.02: FACTS 5.3 gives 8 % real with a range of 6-10 %",
    )
    energy_exceedance_probability: float = Field(
        0.9, gt=0.5, lt=1,
        description="the energy case: net energy at this exceedance level (0.9: the P90) and at its mirror "
        "(the P10), from the run's P-values [fraction]",
    )
    price_fraction: float = Field(
        0.2, gt=0, lt=1,
        description="the price received moved down and up by this fraction: the PPA price and the revenue at "
        "the dispatch's marginal prices [fraction]; default 0.2, an assumption wider than the 12 % of one "
        "revision of the gas tariff in FACTS 1.6 that drives the marginal price",
    )


class PortfolioOptions(Spec):
    """Run options."""

    dispatch: DispatchOptions
    hydro_scenario: Identifier | None = Field(
        None, description="a key of a hydro plant's scenarios_annual_energy_mwh, or none for the base"
    )
    weather_years: int = Field(1, ge=1, le=100, description="weather years for P50/P90")
    demand_path: Literal["low", "central", "high"] = Field(
        "central",
        description="the growth path of every synthetic zone demand (the grid's growth_paths): energy and peak "
        "in the study year grown from their base years at this path's rates",
    )
    state_discount_rate_real: Fraction | None = Field(
        None,
        description="real rate at which the state discounts the gas saved, its value and the CO2 avoided over "
        "the portfolio's life [fraction]; null: the portfolio's rate (the capex-weighted mean of the sites' "
        "discount_rate_real)",
    )
    sensitivity: SensitivityOptions = Field(
        default_factory=SensitivityOptions,
        description="the ranges of the one-at-a-time sensitivity of NPV and LCOE (sensitivity.csv)",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_operating_year(cls, data: Any) -> Any:
        return _refuse_removed(
            data,
            "operating_year",
            "options.operating_year was removed: it was read nowhere. The operating year is derived per site "
            "from study_year and the site's commissioning_year (study_year - commissioning_year + 1, at "
            "least 1), and degradation follows from it; delete this line",
        )


class PortfolioSpec(Spec):
    """A portfolio of new sites added to a grid for one study year."""

    kind: Literal["portfolio"]
    name: Identifier
    description: str = ""
    grid: ExistingFile
    sites: tuple[SiteEntry, ...] = Field(min_length=1)
    study_year: Year
    timezone: TimeZone
    options: PortfolioOptions
