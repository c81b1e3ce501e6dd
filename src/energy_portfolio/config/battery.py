"""Battery energy storage spec. The dispatch LP decides how it is used."""

from __future__ import annotations

import math
from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from .site import SiteBase, WeatherSource
from .types import Fraction, Identifier, PositiveFloat, Spec, cross_field_error

__all__ = ["Standalone", "AcCoupled", "BatteryDegradation", "BatterySite"]


class Standalone(Spec):
    """Connected to the grid on its own."""

    type: Literal["standalone"]


class AcCoupled(Spec):
    """AC-coupled to a generating site behind one shared export limit."""

    type: Literal["ac_coupled"]
    site: Identifier = Field(description="id of the generating site in the same portfolio")
    shared_connection_mw: PositiveFloat = Field(description="limit on plant + battery export [MW]")


Coupling = Annotated[Union[Standalone, AcCoupled], Field(discriminator="type")]


class BatteryDegradation(Spec):
    """Capacity fade per calendar year and per equivalent full cycle, and the end-of-life capacity.

    The economics compound both fades at the dispatch year's cycles per year
    (``economics.storage.storage_fade``) and report the operating year the usable energy reaches
    ``end_of_life_capacity_fraction``.
    """

    calendar_fade_per_year: Fraction = Field(
        description="loss of usable energy per year of operation, compounded in the lifetime economics [fraction/yr]"
    )
    capacity_fade_per_cycle: Fraction = Field(
        0.0, description="loss of usable energy per equivalent full cycle [fraction/cycle]; 0 for none"
    )
    end_of_life_capacity_fraction: Fraction | None = Field(
        None, description="usable energy at which the battery counts as worn out [fraction of energy_mwh]"
    )

    @model_validator(mode="after")
    def _end_of_life(self) -> "BatteryDegradation":
        if self.capacity_fade_per_cycle > 0.001:
            raise cross_field_error(
                "capacity_fade_per_cycle",
                "expected at most 0.001 per cycle (Li-ion loses about 0.00002-0.00005 per cycle); is it a percentage?",
            )
        if self.end_of_life_capacity_fraction is not None and self.end_of_life_capacity_fraction in (0.0, 1.0):
            raise cross_field_error("end_of_life_capacity_fraction", "expected a fraction between 0 and 1")
        return self


class BatterySite(SiteBase):
    """A battery energy storage system."""

    kind: Literal["battery"]
    weather: WeatherSource | None = None
    power_mw: PositiveFloat = Field(description="charge and discharge rating at the AC side [MW]")
    energy_mwh: PositiveFloat = Field(description="usable nameplate energy [MWh]")
    round_trip_efficiency: Fraction | None = Field(None, description="AC to AC")
    charge_efficiency: Fraction | None = None
    discharge_efficiency: Fraction | None = None
    soc_min_fraction: Fraction
    soc_max_fraction: Fraction
    initial_soc: Literal["cyclic"] | Fraction = Field(
        description="'cyclic' (end of period = start) or a fixed state of charge fraction"
    )
    standing_loss_per_hour: Fraction = Field(description="self-discharge [fraction of SoC per h]")
    availability: Fraction
    cycle_limit_per_year: PositiveFloat | None = Field(None, description="equivalent full cycles allowed per year")
    degradation: BatteryDegradation | None = None
    coupling: Coupling

    @model_validator(mode="after")
    def _consistent(self) -> "BatterySite":
        given = (self.charge_efficiency is not None, self.discharge_efficiency is not None)
        if self.round_trip_efficiency is None and not all(given):
            raise cross_field_error(
                "round_trip_efficiency",
                "give round_trip_efficiency, or both charge_efficiency and discharge_efficiency",
            )
        if self.round_trip_efficiency is not None and any(given):
            raise cross_field_error(
                "round_trip_efficiency",
                "give either round_trip_efficiency or charge/discharge efficiencies, not both",
            )
        if self.round_trip_efficiency == 0 or 0 in (self.charge_efficiency, self.discharge_efficiency):
            raise cross_field_error("round_trip_efficiency", "an efficiency of 0 stores nothing")
        if self.soc_min_fraction >= self.soc_max_fraction:
            raise cross_field_error("soc_max_fraction", "expected soc_min_fraction < soc_max_fraction")
        if self.initial_soc != "cyclic" and not (
            self.soc_min_fraction <= float(self.initial_soc) <= self.soc_max_fraction
        ):
            raise cross_field_error("initial_soc", "expected a value between soc_min_fraction and soc_max_fraction")
        if self.standing_loss_per_hour > 0.01:
            raise cross_field_error(
                "standing_loss_per_hour",
                "expected at most 0.01 per hour (Li-ion loses well under 0.001 per hour)",
            )
        return self

    @property
    def technology(self) -> str:
        return "battery"

    @property
    def capacity_mw(self) -> float:
        return self.power_mw

    @property
    def efficiencies(self) -> tuple[float, float]:
        """(charge, discharge) efficiencies; a round trip is split evenly as its square root."""
        if self.round_trip_efficiency is not None:
            one_way = math.sqrt(self.round_trip_efficiency)
            return one_way, one_way
        return float(self.charge_efficiency), float(self.discharge_efficiency)
