"""Climatology files (``kind: climatology``): the inputs of the offline typical-year generator.

A climatology holds monthly means and a few statistics of one place. The generator in
``energy_portfolio.weather.generator`` turns it into hourly years; ``weather/README.md`` says
how each figure of the shipped files was sourced.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from .site import Location
from .types import Fraction, PositiveFloat, Spec, cross_field_error

__all__ = [
    "DECOMPOSITION_MODELS",
    "ClimatologySolar",
    "ClimatologyTemperature",
    "ClimatologyWind",
    "ClimatologySpec",
]

DECOMPOSITION_MODELS = ("erbs", "erbs_driesse", "orgill_hollands", "louche")
"""pvlib.irradiance functions that split GHI into DNI and DHI from GHI, zenith and date alone."""


def _twelve(values: tuple[float, ...]) -> tuple[float, ...]:
    if len(values) != 12:
        raise ValueError(f"expected 12 monthly values (January to December), found {len(values)}")
    return values


Monthly = Annotated[tuple[float, ...], AfterValidator(_twelve)]
MonthlyPositive = Annotated[tuple[PositiveFloat, ...], AfterValidator(_twelve)]


class ClimatologySolar(Spec):
    """Monthly irradiation and how the generator turns it into hourly components."""

    monthly_ghi_kwh_m2: MonthlyPositive = Field(
        description="global horizontal irradiation of each month, January first [kWh/m2]"
    )
    decomposition: Literal[DECOMPOSITION_MODELS] = Field(  # type: ignore[valid-type]
        description="pvlib.irradiance model that splits GHI into DNI and DHI"
    )
    interannual_cv: Fraction = Field(description="standard deviation of annual GHI between years / its mean [fraction]")


class ClimatologyTemperature(Spec):
    """Monthly air temperature with its daily swing and weather noise."""

    monthly_mean_c: Monthly = Field(description="monthly mean air temperature at 2 m [C]")
    monthly_diurnal_range_c: Annotated[tuple[Annotated[float, Field(ge=0, le=30)], ...], AfterValidator(_twelve)] = (
        Field(description="mean daily maximum minus daily minimum of each month [C]")
    )
    noise_std_c: PositiveFloat = Field(description="standard deviation of the weather anomaly [C]")
    noise_autocorrelation_hourly: Fraction = Field(
        description="lag-1 autocorrelation of the hourly temperature anomaly [-]"
    )


class ClimatologyWind(Spec):
    """Wind at a reference height: monthly Weibull, diurnal cycle, persistence, direction, shear."""

    reference_height_m: PositiveFloat = Field(description="height of the monthly means [m]")
    monthly_mean_m_s: MonthlyPositive = Field(description="monthly mean wind speed at the reference height [m/s]")
    weibull_k: float = Field(gt=1.0, le=5.0, description="Weibull shape of the hourly speeds within a month [-]")
    hourly_autocorrelation: float = Field(
        gt=0.5, lt=1.0, description="lag-1 autocorrelation of the hourly wind speed [-]"
    )
    diurnal_amplitude_fraction: Fraction = Field(
        description="half the daily max-min swing of the mean speed / the mean [fraction]"
    )
    diurnal_peak_hour: float = Field(ge=0, lt=24, description="local hour of the daily wind maximum [h]")
    shear_exponent: float = Field(ge=0.0, le=0.6, description="power-law exponent to other heights [-]")
    direction_sector_frequencies: tuple[Fraction, ...] = Field(
        min_length=4,
        description="share of hours from each sector; sectors of equal width centred on 0 deg, clockwise [fraction]",
    )
    interannual_cv: Fraction = Field(
        description="standard deviation of the annual mean speed between years / its mean [fraction]"
    )
    output_heights_m: tuple[PositiveFloat, ...] = Field(
        min_length=1, description="heights written to the weather file; 10 m gives `wind_speed` [m]"
    )

    @model_validator(mode="after")
    def _sectors_sum_to_one(self) -> "ClimatologyWind":
        total = sum(self.direction_sector_frequencies)
        if abs(total - 1.0) > 0.01:
            raise cross_field_error(
                "direction_sector_frequencies", "sector shares sum to {total}; expected 1", total=f"{total:.3f}"
            )
        if 10.0 not in self.output_heights_m:
            raise cross_field_error(
                "output_heights_m", "expected 10 among the heights: the canonical `wind_speed` column is at 10 m"
            )
        return self


class ClimatologySpec(Spec):
    """Monthly climatology of one place, the input of the offline typical-year generator."""

    kind: Literal["climatology"]
    name: str = Field(min_length=1)
    location: Location
    solar: ClimatologySolar
    temperature: ClimatologyTemperature
    wind: ClimatologyWind
    surface_pressure_pa: float = Field(ge=50_000, le=110_000, description="mean surface air pressure [Pa]")
    pressure_std_pa: float = Field(ge=0, le=5_000, description="standard deviation of synoptic pressure swings [Pa]")
    relative_humidity_percent: Annotated[tuple[Annotated[float, Field(gt=0, le=100)], ...], AfterValidator(_twelve)] = (
        Field(description="monthly mean relative humidity [%]")
    )
    regional_weather_correlation: Fraction = Field(
        description=(
            "correlation of this place's weather anomalies with the regional weather shared by sites "
            "generated together; two sites correlate by the product of their values [-]"
        )
    )
