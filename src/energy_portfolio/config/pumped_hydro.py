"""Pumped-hydro storage spec: pumps, turbines, a reservoir, optional natural inflow. The dispatch decides its use."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from .grid import DAYS_IN_MONTH_LEAP
from .site import SiteBase
from .types import ExistingFile, Fraction, NonNegativeFloat, PositiveFloat, Spec, cross_field_error

__all__ = ["MonthlyInflow", "FileInflow", "PumpedHydroSite"]


class MonthlyInflow(Spec):
    """Natural inflow per calendar month, spread evenly over the month's hours."""

    source: Literal["monthly"]
    monthly_mwh: tuple[NonNegativeFloat, ...] = Field(
        min_length=12, max_length=12,
        description="inflow into the upper reservoir per calendar month, January first, as stored energy "
        "(at the turbine inlet, before the turbine efficiency) [MWh]",
    )


class FileInflow(Spec):
    """Natural inflow per hour from a CSV in the canonical time format (a ``time`` column)."""

    source: Literal["file"]
    path: ExistingFile
    column: str = Field(min_length=1, description="column with the inflow [MWh per hour, as stored energy]")


Inflow = Annotated[Union[MonthlyInflow, FileInflow], Field(discriminator="source")]


class PumpedHydroSite(SiteBase):
    """A pumped-hydro storage plant: pumps charge the upper reservoir, turbines discharge it.

    The reservoir is counted in the energy the turbines make of it (MWh at the turbine inlet,
    before the turbine efficiency), like a battery's state of charge; a natural inflow adds to it
    and what cannot be stored is spilled.
    """

    kind: Literal["pumped_hydro"]
    pump_power_mw: PositiveFloat = Field(description="electrical input of the pumps at full load [MW]")
    turbine_power_mw: PositiveFloat = Field(description="electrical output of the turbines at full load [MW]")
    energy_mwh: PositiveFloat = Field(description="usable upper-reservoir energy at the turbine inlet [MWh]")
    pump_efficiency: Fraction = Field(description="stored energy per MWh drawn by the pumps [fraction]")
    turbine_efficiency: Fraction = Field(description="MWh sent out per MWh of stored energy [fraction]")
    soc_min_fraction: Fraction = Field(description="lowest usable reservoir level [fraction of energy_mwh]")
    soc_max_fraction: Fraction = Field(description="highest usable reservoir level [fraction of energy_mwh]")
    initial_soc: Literal["cyclic"] | Fraction = Field(
        description="'cyclic' (end of period = start) or a fixed reservoir level fraction"
    )
    standing_loss_per_hour: Fraction = Field(
        description="evaporation and seepage [fraction of the stored energy per h]"
    )
    availability: Fraction = Field(description="derating of pump and turbine power for outages and maintenance")
    inflow: Inflow | None = Field(None, description="natural inflow into the upper reservoir; none for a closed loop")
    min_release_mw: NonNegativeFloat = Field(
        0.0, description="water the plant must pass downstream every hour, through the turbines or spilled, as "
        "stored energy (at the turbine inlet) [MW]; needs an inflow"
    )

    @model_validator(mode="after")
    def _consistent(self) -> "PumpedHydroSite":
        if self.pump_efficiency == 0 or self.turbine_efficiency == 0:
            raise cross_field_error("pump_efficiency", "an efficiency of 0 stores nothing")
        if self.soc_min_fraction >= self.soc_max_fraction:
            raise cross_field_error("soc_max_fraction", "expected soc_min_fraction < soc_max_fraction")
        if self.initial_soc != "cyclic" and not (
            self.soc_min_fraction <= float(self.initial_soc) <= self.soc_max_fraction
        ):
            raise cross_field_error("initial_soc", "expected a value between soc_min_fraction and soc_max_fraction")
        if self.min_release_mw > 0 and self.inflow is None:
            raise cross_field_error("min_release_mw", "a minimum release needs a natural inflow to release")
        if self.min_release_mw > self.turbine_power_mw:
            raise cross_field_error("min_release_mw", "expected min_release_mw <= turbine_power_mw")
        if isinstance(self.inflow, MonthlyInflow):
            for month, (energy, days) in enumerate(zip(self.inflow.monthly_mwh, DAYS_IN_MONTH_LEAP, strict=True), 1):
                if energy < self.min_release_mw * 24 * days - 1e-6:
                    raise cross_field_error(
                        "min_release_mw",
                        "min_release_mw over month {month} needs more than its inflow of {energy} MWh",
                        month=month, energy=f"{energy:g}",
                    )
        return self

    @property
    def technology(self) -> str:
        return "pumped_hydro"

    @property
    def capacity_mw(self) -> float:
        """The turbine rating [MW] (what the plant can send out)."""
        return self.turbine_power_mw

    @property
    def efficiencies(self) -> tuple[float, float]:
        """(charge, discharge) efficiencies: the pumps' and the turbines'."""
        return float(self.pump_efficiency), float(self.turbine_efficiency)
