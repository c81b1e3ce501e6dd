"""Fields every site shares: location, weather source, economics, lifetime."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Field, model_validator

from .types import (
    ExistingFile,
    Fraction,
    Identifier,
    NonNegativeFloat,
    PositiveFloat,
    Spec,
    TimeZone,
    Year,
    cross_field_error,
)

__all__ = [
    "Location",
    "FileWeather",
    "SyntheticWeather",
    "WeatherSource",
    "WEATHER_FORMATS",
    "Financing",
    "Economics",
    "SiteBase",
    "GeneratingSiteBase",
]

WEATHER_FORMATS = (
    "canonical",
    "epw",
    "pvgis_csv",
    "pvgis_json",
    "tmy3",
    "era5_csv",
    "era5_netcdf",
    "windpowerlib_csv",
    "plain_csv",
)


DATA_KINDS = (
    "on_site_measurement",
    "ground_station",
    "satellite",
    "reanalysis",
    "synthetic_climatology",
    "unknown",
)
"""What a weather resource (irradiance or wind) is made from, in the categories the uncertainty
stack of ``economics.uncertainty`` distinguishes: measured at the site (a mast, lidar or
pyranometer), observed at a meteorological station away from the site (and typical years built
from its record, EPW and TMY3), derived from satellite images (PVGIS-SARAH, NSRDB), a reanalysis
(ERA5, MERRA-2), generated from a monthly climatology (``weather.generator``), or not stated."""


class Location(Spec):
    """Where the site is."""

    latitude: float = Field(ge=-90, le=90, description="degrees north [deg]")
    longitude: float = Field(ge=-180, le=180, description="degrees east [deg]")
    elevation_m: float = Field(ge=-450, le=9000, description="above mean sea level [m]")
    timezone: TimeZone = Field(description="IANA time zone of the site, e.g. Asia/Baku")


def _accepted_distance() -> Any:
    return Field(
        None,
        description="distance between the weather's location and the site that this config accepts [km]; weather "
        "more than 50 km from the site is refused unless this states it (a proxy chosen on purpose: say why in a "
        "comment); null: 50 km",
    )


class FileWeather(Spec):
    """Weather from a file: the canonical CSV of DESIGN.md or a format a reader converts."""

    source: Literal["file"]
    path: ExistingFile
    format: Literal[WEATHER_FORMATS] = "canonical"  # type: ignore[valid-type]
    accepted_distance_km: PositiveFloat | None = _accepted_distance()
    data_kind: Literal[DATA_KINDS] | None = Field(  # type: ignore[valid-type]
        None,
        description="what the file's irradiance and wind are made from (on_site_measurement, ground_station, "
        "satellite, reanalysis, synthetic_climatology, unknown); replaces the reader's default for its format and "
        "the file header's irradiance_kind/wind_kind; the P50/P90 uncertainty stack follows it; null: the file's own",
    )


class SyntheticWeather(Spec):
    """A typical year generated offline from a climatology file (see weather/README.md)."""

    source: Literal["synthetic"]
    climatology: ExistingFile
    seed: int = Field(ge=0, description="random seed; the same seed gives the same year")
    accepted_distance_km: PositiveFloat | None = _accepted_distance()


WeatherSource = Annotated[Union[FileWeather, SyntheticWeather], Field(discriminator="source")]


class Financing(Spec):
    """How an investor finances the site: debt, corporate tax, depreciation, inflation, equity target.

    The rest of the economics is in real USD; the investor's cash flows
    (``economics/investor.py``) are nominal: revenue and opex are the real figures inflated by
    ``(1 + inflation_rate) ** t`` from the construction year ``t = 0``, while debt, interest,
    depreciation, tax and every rate here are nominal.
    """

    debt_sizing: Literal["gearing", "dscr"] = Field(
        description="gearing: debt is debt_fraction of capex; dscr: the largest debt whose service leaves"
        " target_dscr in every year of the tenor (capped at debt_fraction of capex when that is given)"
    )
    debt_fraction: Fraction | None = Field(
        None, description="debt as a share of capex: the debt (gearing) or its cap (dscr) [fraction]"
    )
    target_dscr: float | None = Field(
        None,
        ge=1.0,
        le=5.0,
        description="cash flow available for debt service over debt service the lenders require in every"
        " year of the tenor, for debt_sizing: dscr [-]",
    )
    repayment: Literal["annuity", "sculpted"] = Field(
        description="annuity: level debt service; sculpted: debt service in proportion to the cash flow"
        " available for it (a constant DSCR)"
    )
    debt_interest_rate: Fraction = Field(description="nominal interest rate of the debt [fraction/yr]")
    debt_tenor_years: int = Field(ge=1, le=40, description="years of repayment from the first operating year [yr]")
    corporate_tax_rate: Fraction = Field(description="profit tax on taxable income [fraction]")
    depreciation: Literal["straight_line", "schedule"] = Field(
        description="straight_line: capex in equal parts over depreciation_years; schedule: the shares of"
        " depreciation_schedule"
    )
    depreciation_years: int | None = Field(
        None, ge=1, le=60, description="tax life for straight_line depreciation [yr]"
    )
    depreciation_schedule: tuple[Fraction, ...] | None = Field(
        None,
        min_length=1,
        max_length=60,
        description="share of capex depreciated in each operating year from the first, summing to 1"
        " (a MACRS-like table) [fraction]",
    )
    inflation_rate: float = Field(
        ge=0.0,
        le=0.2,
        description="inflation of the USD prices of revenue and opex, real to nominal [fraction/yr]",
    )
    target_equity_irr: Fraction = Field(
        description="nominal after-tax equity IRR the investor requires: the hurdle of the equity NPV and"
        " the target of the PPA price solved for [fraction/yr]"
    )

    @model_validator(mode="after")
    def _complete(self) -> "Financing":
        if self.debt_sizing == "gearing" and self.debt_fraction is None:
            raise cross_field_error("debt_fraction", "debt_sizing: gearing needs debt_fraction (debt over capex)")
        if self.debt_sizing == "dscr" and self.target_dscr is None:
            raise cross_field_error("target_dscr", "debt_sizing: dscr needs target_dscr, e.g. 1.3")
        if self.depreciation == "straight_line" and self.depreciation_years is None:
            raise cross_field_error("depreciation_years", "depreciation: straight_line needs depreciation_years")
        if self.debt_sizing == "gearing" and self.target_dscr is not None:
            raise cross_field_error(
                "target_dscr",
                "debt_sizing: gearing takes no target_dscr (the debt is debt_fraction of capex); remove it or use"
                " debt_sizing: dscr",
            )
        if self.depreciation == "straight_line" and self.depreciation_schedule is not None:
            raise cross_field_error("depreciation_schedule", "depreciation: straight_line takes depreciation_years, not"
                                    " depreciation_schedule; remove it or use depreciation: schedule")
        if self.depreciation == "schedule":
            if self.depreciation_years is not None:
                raise cross_field_error("depreciation_years", "depreciation: schedule takes depreciation_schedule, not"
                                        " depreciation_years; remove it or use depreciation: straight_line")
            if self.depreciation_schedule is None:
                raise cross_field_error("depreciation_schedule", "depreciation: schedule needs depreciation_schedule")
            total = sum(self.depreciation_schedule)
            if abs(total - 1.0) > 1e-6:
                raise cross_field_error(
                    "depreciation_schedule", "expected shares summing to 1, found {total}", total=f"{total:g}"
                )
        return self


class Economics(Spec):
    """Cost and finance inputs in real (constant) US dollars of the study year."""

    capex_usd_per_kw: NonNegativeFloat | None = Field(
        None, description="overnight capital cost per kW of capacity [USD/kW]"
    )
    capex_usd_per_kwh: NonNegativeFloat | None = Field(
        None, description="capital cost per kWh of storage energy capacity [USD/kWh]"
    )
    fixed_opex_usd_per_kw_year: NonNegativeFloat = Field(description="[USD/kW/yr]")
    variable_opex_usd_per_mwh: NonNegativeFloat = Field(description="[USD/MWh]")
    discount_rate_real: Fraction = Field(description="real discount rate (WACC) [fraction]")
    ppa_price_usd_per_mwh: NonNegativeFloat | None = Field(
        None, description="contracted price, when the site sells under a PPA [USD/MWh]"
    )
    ppa_escalation_per_year: float = Field(
        0.0,
        ge=-0.05,
        le=0.05,
        description="real change of the PPA price per operating year, 0 for a flat real price [fraction/yr]",
    )
    decommissioning_usd_per_kw: float = Field(
        0.0,
        ge=-1000,
        le=2000,
        description="decommissioning cost net of salvage, paid in the last operating year;"
        " negative for a net salvage value [USD/kW]",
    )
    financing: Financing | None = Field(
        None, description="debt, tax and depreciation for the investor's view (equity IRR, DSCR); null: none"
    )

    @model_validator(mode="after")
    def _some_capex(self) -> "Economics":
        if self.capex_usd_per_kw is None and self.capex_usd_per_kwh is None:
            raise cross_field_error("capex_usd_per_kw", "give capex_usd_per_kw, capex_usd_per_kwh, or both")
        return self


class SiteBase(Spec):
    """Fields common to solar, wind and battery sites."""

    id: Identifier
    name: str = Field(min_length=1)
    location: Location
    commissioning_year: Year
    lifetime_years: int = Field(ge=1, le=60, description="operating life; `yield --year` takes 1 to this [yr]")
    economics: Economics
    grid_connection_mw: PositiveFloat = Field(description="export limit at the point of connection [MW]")
    energy_uncertainty: dict[Identifier, Fraction] | None = Field(
        None,
        description="1-sigma uncertainties of annual energy by source (e.g. resource_measurement: 0.05)"
        " [fraction of P50], combined in quadrature with the year-to-year variability for P90;"
        " null for the technology default of the economics layer",
    )

    @model_validator(mode="after")
    def _debt_within_life(self) -> "SiteBase":
        financing = self.economics.financing
        if financing is not None and financing.debt_tenor_years > self.lifetime_years:
            raise cross_field_error(
                "economics.financing.debt_tenor_years",
                "expected at most the site's lifetime_years ({lifetime}): the debt is repaid from the operating years",
                lifetime=self.lifetime_years,
            )
        return self


class GeneratingSiteBase(SiteBase):
    """Fields of weather-driven sites (solar and wind): the weather of the study year and of P50/P90."""

    weather: WeatherSource
    weather_years: WeatherSource | None = Field(
        None,
        description="source of several distinct weather years for P50/P90 (a climatology to generate "
        "them, or a multi-year file); default: weather",
    )
