"""Wind farm spec. The physics lives in production/wind.py and production/wakes.py."""

from __future__ import annotations

import math
from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from .site import GeneratingSiteBase
from .types import ExistingFile, Fraction, PositiveFloat, Spec, cross_field_error, within

__all__ = [
    "MAX_TURBINES",
    "MIN_DIRECTION_STEP_DEG",
    "MIN_SPEED_STEP_M_S",
    "WAKE_TABLE_MEMORY_LIMIT_BYTES",
    "wake_table_bytes",
    "WindpowerlibTurbine",
    "TurbineModelsTurbine",
    "FileTurbine",
    "GenericTurbine",
    "GridLayout",
    "CoordinateLayout",
    "PyWakeWakes",
    "WindpowerlibWakes",
    "NoWakes",
    "WindProfile",
    "WindAvailability",
    "WindElectricalLosses",
    "WindSite",
]


MAX_TURBINES = 2_000
"""Most turbines in one site's layout. The largest single offshore farms have a few hundred
(Hornsea 2: 165); the layout's spacing check compares every pair of turbines (n² distances), so
a 90,000-turbine layout would ask for about 60 GiB before any physics is done."""

MIN_DIRECTION_STEP_DEG = 1.0
"""Finest wake-table direction step: hourly wind directions in weather data (ERA5, masts) carry no
finer information, and the table's size grows with 360 / step."""

MIN_SPEED_STEP_M_S = 0.1
"""Finest wake-table speed step: power curves are tabulated in 0.5 m/s bins (IEC 61400-12-1)."""

WAKE_TABLE_MEMORY_LIMIT_BYTES = 4 * 1024**3
"""Largest estimated memory of a PyWake wake table (:func:`wake_table_bytes`) that a config may ask for."""

_WAKE_TABLE_BYTES_PER_CELL = 4.0
"""Measured peak memory of PyWake 2.6's PropagateDownwind per (turbine pair x direction x speed):
about 4 bytes (100 to 400 turbines on a 10 deg x 1 m/s grid, and 100 to 200 on 2 deg x 0.5 m/s)."""

_WAKE_TABLE_SPEED_RANGE_M_S = 25.0
"""Speeds the table computes: cut-in (about 3 m/s) to cut-out (about 25 to 30 m/s)."""


def wake_table_bytes(n_turbines: int, direction_step_deg: float, speed_step_m_s: float) -> float:
    """Estimated peak memory of a PyWake wake table [bytes]: 4 B x turbines² x directions x speeds."""
    directions = max(1, round(360.0 / direction_step_deg))
    speeds = math.ceil(_WAKE_TABLE_SPEED_RANGE_M_S / speed_step_m_s)
    return _WAKE_TABLE_BYTES_PER_CELL * n_turbines**2 * directions * speeds


class WindpowerlibTurbine(Spec):
    """A turbine type from windpowerlib's turbine library (oedb), e.g. ``V164/8000``."""

    source: Literal["windpowerlib"]
    type: str = Field(min_length=1)


class TurbineModelsTurbine(Spec):
    """A turbine from NREL's turbine-models package, e.g. ``IEA_Reference_15MW_240``."""

    source: Literal["turbine_models"]
    name: str = Field(min_length=1)


class FileTurbine(Spec):
    """Power and thrust curves from a CSV file.

    The CSV has columns ``wind_speed_m_s``, ``power_kw`` (or ``power_mw``) and
    ``thrust_coefficient``, ascending in wind speed. Without a thrust column the thrust
    curve is derived from the power curve (momentum theory, see production/wakes.py).
    """

    source: Literal["file"]
    curve: ExistingFile
    rated_power_mw: PositiveFloat
    rotor_diameter_m: PositiveFloat
    cut_out_m_s: PositiveFloat | None = Field(
        None, description="cut-out speed; the curve must reach it. Default: the last speed with power [m/s]"
    )
    name: str | None = None


class GenericTurbine(Spec):
    """A generic curve from rated power, rotor diameter and characteristic speeds.

    The method (constant power coefficient below rated, capped at rated power) is
    documented in production/wind.py.
    """

    source: Literal["generic"]
    rated_power_mw: PositiveFloat
    rotor_diameter_m: PositiveFloat
    cut_in_m_s: PositiveFloat
    rated_wind_speed_m_s: PositiveFloat
    cut_out_m_s: PositiveFloat
    name: str | None = None

    @model_validator(mode="after")
    def _speeds_ordered(self) -> "GenericTurbine":
        if not self.cut_in_m_s < self.rated_wind_speed_m_s < self.cut_out_m_s:
            raise cross_field_error(
                "rated_wind_speed_m_s",
                "expected cut_in_m_s < rated_wind_speed_m_s < cut_out_m_s",
            )
        return self


Turbine = Annotated[
    Union[WindpowerlibTurbine, TurbineModelsTurbine, FileTurbine, GenericTurbine],
    Field(discriminator="source"),
]


class GridLayout(Spec):
    """Rows x columns, spacing in rotor diameters, rotated clockwise from north-aligned columns."""

    type: Literal["grid"]
    rows: int = Field(ge=1)
    columns: int = Field(ge=1)
    n_turbines: int | None = Field(None, ge=1, description="fill the grid row by row up to this")
    row_spacing_rotor_diameters: float = Field(ge=1, le=30)
    column_spacing_rotor_diameters: float = Field(ge=1, le=30)
    rotation_deg: float = Field(ge=-360, le=360, description="clockwise [deg]")

    @model_validator(mode="after")
    def _fits(self) -> "GridLayout":
        if self.n_turbines is not None and self.n_turbines > self.rows * self.columns:
            raise cross_field_error(
                "n_turbines",
                "{n} turbines do not fit in {rows} rows x {columns} columns",
                n=self.n_turbines,
                rows=self.rows,
                columns=self.columns,
            )
        return self

    @property
    def turbine_count(self) -> int:
        return self.n_turbines if self.n_turbines is not None else self.rows * self.columns


class CoordinateLayout(Spec):
    """Explicit turbine positions in metres east (x) and north (y) of a local origin."""

    type: Literal["coordinates"]
    x_m: tuple[float, ...] = Field(min_length=1)
    y_m: tuple[float, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _same_length(self) -> "CoordinateLayout":
        if len(self.x_m) != len(self.y_m):
            raise cross_field_error("y_m", "x_m has {nx} values but y_m has {ny}", nx=len(self.x_m), ny=len(self.y_m))
        return self

    @property
    def turbine_count(self) -> int:
        return len(self.x_m)


Layout = Annotated[Union[GridLayout, CoordinateLayout], Field(discriminator="type")]


class PyWakeWakes(Spec):
    """An engineering wake model run by PyWake, with its superposition model. Its direction x speed
    table may need at most 4 GiB, estimated as 4 bytes x turbines² x directions x speeds (PyWake's
    measured peak): a large farm needs coarser steps.

    Every run also computes the farm under each of PyWake's four engineering models
    (production/wakes.py ``WAKE_RANGE_MODELS``) and reports each wake loss; ``model`` is the one
    the production uses. For large offshore arrays use ``turbopark`` (A = 0.04): Nygaard et al.
    2022 (doi:10.1088/1742-6596/2265/2/022019) validated it against SCADA data of the Walney and
    Anholt clusters, where the older Gaussian and Jensen models under-predict the deep-array
    and cluster wake losses.
    """

    model: Literal["bastankhah_gaussian", "niayifar_gaussian", "turbopark", "noj"]
    superposition: Literal["squared_sum", "linear_sum", "max_sum"]
    direction_step_deg: Annotated[
        float,
        within(MIN_DIRECTION_STEP_DEG, 30, "deg", "weather data carry no finer wind directions, and the table "
               "grows with 360 / step (a 0.001 deg table of a large farm asks for tens of GiB)"),
    ] = Field(
        1.0, description="wake table resolution, 1 to 30 (weather data carry no finer directions) [deg]"
    )
    speed_step_m_s: Annotated[
        float,
        within(MIN_SPEED_STEP_M_S, 2, "m/s", "power curves are tabulated in 0.5 m/s bins (IEC 61400-12-1), "
               "and the table grows with 25 / step"),
    ] = Field(
        0.5, description="wake table resolution, 0.1 to 2 (power curves come in 0.5 m/s bins) [m/s]"
    )


class WindpowerlibWakes(Spec):
    """windpowerlib's wind-farm efficiency curves, a flat function of wind speed."""

    model: Literal["windpowerlib_efficiency"]
    curve: Literal[
        "dena_mean",
        "knorr_mean",
        "dena_extreme1",
        "dena_extreme2",
        "knorr_extreme1",
        "knorr_extreme2",
        "knorr_extreme3",
    ]


class NoWakes(Spec):
    """No wake loss (a single turbine, or for comparisons)."""

    model: Literal["none"]


WakeModel = Annotated[Union[PyWakeWakes, WindpowerlibWakes, NoWakes], Field(discriminator="model")]


class WindProfile(Spec):
    """How wind speed at hub height is found from the measured heights."""

    method: Literal["log_law", "power_law", "linear_interpolation", "log_interpolation"]
    roughness_length_m: float | None = Field(None, gt=0, le=2, description="for log_law [m]")
    shear_exponent: float | None = Field(None, ge=0, le=0.6, description="for power_law")

    @model_validator(mode="after")
    def _parameters(self) -> "WindProfile":
        if self.method == "log_law" and self.roughness_length_m is None:
            raise cross_field_error("roughness_length_m", "log_law needs roughness_length_m")
        if self.method == "power_law" and self.shear_exponent is None:
            raise cross_field_error("shear_exponent", "power_law needs shear_exponent")
        return self


class WindAvailability(Spec):
    """Energy-based availability fractions, multiplied."""

    turbine: Fraction
    balance_of_plant: Fraction
    grid: Fraction


class WindElectricalLosses(Spec):
    """Electrical loss fractions of the energy entering each step."""

    array_cables: Fraction
    export_cable: Fraction
    substation: Fraction


class WindSite(GeneratingSiteBase):
    """A wind farm, onshore or offshore."""

    kind: Literal["wind"]
    offshore: bool
    turbine: Turbine
    hub_height_m: PositiveFloat
    layout: Layout = Field(description="turbine positions; at most 2,000 turbines (split a larger farm into sites)")
    wake_model: WakeModel
    wind_profile: WindProfile
    turbulence_intensity: Fraction = Field(description="ambient, at hub height")
    density_correction: bool = Field(description="IEC 61400-12-1 density-corrected power curve")
    high_wind_restart_m_s: PositiveFloat | None = Field(
        None, description="after a high-wind cut-out, restart only below this speed [m/s]"
    )
    availability: WindAvailability
    electrical_losses: WindElectricalLosses
    degradation_per_year: Fraction = Field(description="annual energy degradation [fraction/yr]")

    @model_validator(mode="after")
    def _resources(self) -> "WindSite":
        n = self.layout.turbine_count
        if n > MAX_TURBINES:
            where = "layout.n_turbines" if getattr(self.layout, "n_turbines", None) else (
                "layout.rows" if isinstance(self.layout, GridLayout) else "layout.x_m")
            raise cross_field_error(
                where,
                "{n} turbines: expected at most {max} in one site's layout (the largest offshore farms have a few "
                "hundred; the spacing check alone compares every pair, {gib} GiB for this layout); split the farm "
                "into several sites",
                n=f"{n:,}", max=f"{MAX_TURBINES:,}", gib=f"{8 * n * n / 1024**3:,.0f}",
            )
        wake = self.wake_model
        if isinstance(wake, PyWakeWakes):
            needed = wake_table_bytes(n, wake.direction_step_deg, wake.speed_step_m_s)
            if needed > WAKE_TABLE_MEMORY_LIMIT_BYTES:
                raise cross_field_error(
                    "wake_model.direction_step_deg",
                    "the wake table of {n} turbines every {step} deg and {speed} m/s needs about {gib} GiB (4 bytes x "
                    "turbines² x directions x speeds, PyWake's measured peak); expected at most {limit} GiB: use a "
                    "coarser direction_step_deg or speed_step_m_s, or split the farm into several sites",
                    n=f"{n:,}", step=f"{wake.direction_step_deg:g}", speed=f"{wake.speed_step_m_s:g}",
                    gib=f"{needed / 1024**3:,.1f}", limit=f"{WAKE_TABLE_MEMORY_LIMIT_BYTES / 1024**3:g}",
                )
        return self

    @model_validator(mode="after")
    def _plausible(self) -> "WindSite":
        if self.turbulence_intensity > 0.5:
            raise cross_field_error("turbulence_intensity", "expected at most 0.5 (offshore is about 0.06)")
        if self.degradation_per_year > 0.05:
            raise cross_field_error("degradation_per_year", "expected at most 0.05 per year")
        rotor = getattr(self.turbine, "rotor_diameter_m", None)
        if rotor is not None and self.hub_height_m <= rotor / 2:
            raise cross_field_error(
                "hub_height_m",
                "hub height {hub} m is not above the blade tip's reach: the rotor radius is {radius} m",
                hub=f"{self.hub_height_m:g}",
                radius=f"{rotor / 2:g}",
            )
        return self

    @property
    def technology(self) -> str:
        return "wind"

    @property
    def n_turbines(self) -> int:
        return self.layout.turbine_count

    @property
    def availability_fraction(self) -> float:
        a = self.availability
        return a.turbine * a.balance_of_plant * a.grid
