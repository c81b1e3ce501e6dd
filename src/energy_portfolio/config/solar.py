"""Solar PV plant spec. Models are chosen by name; the physics lives in production/solar.py."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from .site import GeneratingSiteBase
from .types import Fraction, MonthlyFractions, PositiveFloat, Spec, cross_field_error

__all__ = [
    "FixedMount",
    "SingleAxisMount",
    "CecModule",
    "PvwattsModule",
    "Bifacial",
    "RowShading",
    "PvwattsInverter",
    "CecInverter",
    "SapmTemperature",
    "PvsystTemperature",
    "FaimanTemperature",
    "SolarLosses",
    "StringDesign",
    "SolarSite",
    "model_choice_problems",
]


class FixedMount(Spec):
    """Fixed-tilt racks in rows."""

    type: Literal["fixed"]
    tilt_deg: float = Field(ge=0, le=90, description="from horizontal [deg]")
    azimuth_deg: float = Field(
        ge=0,
        lt=360,
        description="clockwise from north, south = 180; more than 90 from the equator-facing azimuth (an array "
        "facing the pole) gives a warning [deg]",
    )
    gcr: Fraction | None = Field(None, description="ground coverage ratio (for bifacial gain)")


class SingleAxisMount(Spec):
    """Horizontal single-axis trackers (pvlib.tracking.singleaxis)."""

    type: Literal["single_axis"]
    axis_azimuth_deg: float = Field(ge=0, lt=360, description="axis direction, N-S = 180 [deg]")
    axis_tilt_deg: float = Field(0.0, ge=0, le=45, description="[deg]")
    max_angle_deg: float = Field(gt=0, le=90, description="rotation limit [deg]")
    gcr: Fraction = Field(description="ground coverage ratio")
    backtrack: bool


Mounting = Annotated[Union[FixedMount, SingleAxisMount], Field(discriminator="type")]


class CecModule(Spec):
    """A module from the CEC database that pvlib ships, run with the CEC single-diode model."""

    model: Literal["cec"]
    name: str = Field(min_length=1, description="row name in pvlib's CECMod table")


class PvwattsModule(Spec):
    """A module described by PVWatts parameters."""

    model: Literal["pvwatts"]
    pdc0_w: PositiveFloat = Field(description="STC power of one module [W]")
    gamma_pdc_per_c: float = Field(ge=-0.02, le=0, description="power temperature coefficient [1/C]")
    efficiency: Fraction = Field(description="STC module efficiency (for the temperature model)")


Module = Annotated[Union[CecModule, PvwattsModule], Field(discriminator="model")]


class Bifacial(Spec):
    """Rear-side gain from pvlib.bifacial.infinite_sheds."""

    model: Literal["infinite_sheds"]
    bifaciality: Fraction = Field(description="rear/front efficiency ratio")
    height_m: PositiveFloat = Field(description="height of the module centre (axis) [m]")
    pitch_m: PositiveFloat = Field(description="row-to-row distance [m]")


class RowShading(Spec):
    """Row-to-row effects on the front side: sky masking and ground shading (view factors), beam
    shading between rows and its electrical effect on the strings (production/solar.py)."""

    front_irradiance_model: Literal["infinite_sheds", "unobstructed"] = Field(
        "infinite_sheds",
        description="infinite_sheds: the neighbouring rows mask part of the sky and shade part of the ground "
        "the front sees (pvlib.bifacial.infinite_sheds view factors, the rear side's geometry); unobstructed: "
        "a lone row under the whole sky and an unshaded ground",
    )
    beam_shade_model: Literal["martinez", "linear", "none"] = Field(
        "martinez",
        description="martinez: shaded fraction of the row (pvlib.shading.shaded_fraction1d) and its power "
        "loss on bypass-diode blocks (pvlib.shading.direct_martinez, Martinez-Moreno et al. 2010); linear: "
        "the beam lost on the shaded area only; none: no beam shading between rows",
    )
    blocks_across_row: int = Field(
        ge=1,
        le=100,
        description="bypass-diode blocks that a shadow rising from the row's lower edge crosses one after "
        "another, over the whole collector width (martinez model)",
    )
    height_m: PositiveFloat | None = Field(
        None, description="height of the row centre (axis) [m]; default: bifacial.height_m"
    )
    pitch_m: PositiveFloat | None = Field(None, description="row-to-row distance [m]; default: bifacial.pitch_m")


class PvwattsInverter(Spec):
    """PVWatts inverter model (pvlib.inverter.pvwatts)."""

    model: Literal["pvwatts"]
    nominal_efficiency: Fraction = Field(description="eta_inv_nom")
    unit_capacity_kw: PositiveFloat = Field(description="AC rating of one inverter [kW]")


class CecInverter(Spec):
    """An inverter from the CEC database pvlib ships, run with the Sandia or ADR model."""

    model: Literal["sandia", "adr"]
    name: str = Field(min_length=1, description="row name in pvlib's CECInverter table")


Inverter = Annotated[Union[PvwattsInverter, CecInverter], Field(discriminator="model")]


class SapmTemperature(Spec):
    """Sandia cell temperature model with one of pvlib's named parameter sets."""

    model: Literal["sapm"]
    parameters: Literal[
        "open_rack_glass_glass",
        "close_mount_glass_glass",
        "open_rack_glass_polymer",
        "insulated_back_glass_polymer",
    ]


class PvsystTemperature(Spec):
    """PVsyst cell temperature model."""

    model: Literal["pvsyst"]
    u_c: PositiveFloat = Field(description="constant heat loss factor [W/m2/K]")
    u_v: float = Field(ge=0, description="wind heat loss factor [W/m2/K per m/s]")


class FaimanTemperature(Spec):
    """Faiman (2008) cell temperature model."""

    model: Literal["faiman"]
    u0: PositiveFloat = Field(description="[W/m2/K]")
    u1: float = Field(ge=0, description="[W/m2/K per m/s]")


TemperatureModel = Annotated[Union[SapmTemperature, PvsystTemperature, FaimanTemperature], Field(discriminator="model")]


class SolarLosses(Spec):
    """Loss fractions applied at their stage of the chain (see production/losses.py)."""

    soiling: MonthlyFractions = Field(description="one value or 12 monthly values")
    shading: Fraction
    mismatch: Fraction
    dc_wiring: Fraction
    lid: Fraction = Field(description="light-induced degradation, first year")
    nameplate: Fraction
    ac_wiring: Fraction
    transformer: Fraction


class StringDesign(Spec):
    """Design cell temperatures for string sizing (CEC module on a CEC inverter).

    The string is as long as the inverter's DC voltage limit allows at the coldest cell
    temperature, and must stay above the MPPT lower limit at the hottest.
    """

    min_cell_temp_c: float = Field(ge=-60, le=30, description="coldest cell temperature, for Voc [C]")
    max_cell_temp_c: float = Field(ge=25, le=100, description="hottest cell temperature, for Vmp [C]")


class SolarSite(GeneratingSiteBase):
    """A solar PV plant."""

    kind: Literal["solar"]
    capacity_ac_mw: PositiveFloat = Field(description="inverter AC capacity [MW]")
    dc_ac_ratio: float | None = Field(None, ge=0.8, le=2.0, description="DC/AC ratio")
    capacity_dc_mwp: PositiveFloat | None = Field(None, description="DC capacity [MWp]")
    availability: Fraction = Field(description="energy-based plant availability")
    mounting: Mounting
    module: Module
    bifacial: Bifacial | None = None
    row_shading: RowShading | None = Field(
        None, description="row-to-row front-side effects; none: rows modelled as unobstructed and unshaded"
    )
    inverter: Inverter
    albedo: Fraction
    transposition_model: Literal["perez", "haydavies", "isotropic", "klucher", "reindl"] = "perez"
    aoi_model: Literal["physical", "ashrae", "martin_ruiz", "sapm", "no_loss"]
    spectral_model: Literal["no_loss", "first_solar", "sapm"]
    temperature_model: TemperatureModel
    losses: SolarLosses
    degradation_per_year: Fraction = Field(description="annual power degradation [fraction/yr]")
    string_design: StringDesign | None = Field(
        None, description="design cell temperatures; required for a CEC module on a CEC inverter"
    )

    @model_validator(mode="after")
    def _dc_sizing(self) -> "SolarSite":
        if (self.dc_ac_ratio is None) == (self.capacity_dc_mwp is None):
            raise cross_field_error("dc_ac_ratio", "give exactly one of dc_ac_ratio and capacity_dc_mwp")
        if self.capacity_dc_mwp is not None and not 0.8 <= self.capacity_dc_mwp / self.capacity_ac_mw <= 2.0:
            raise cross_field_error(
                "capacity_dc_mwp",
                "capacity_dc_mwp / capacity_ac_mw = {ratio} is outside the physical range 0.8 to 2.0",
                ratio=f"{self.capacity_dc_mwp / self.capacity_ac_mw:.2f}",
            )
        if self.module.model == "cec" and self.inverter.model != "pvwatts" and self.string_design is None:
            raise cross_field_error(
                "string_design",
                "a CEC module on a CEC inverter needs string_design (min_cell_temp_c, max_cell_temp_c) "
                "to size the strings",
            )
        for field, message in model_choice_problems(self)[:1]:  # one error per validator; the first
            raise cross_field_error(field, message)
        if self.degradation_per_year > 0.05:
            raise cross_field_error(
                "degradation_per_year",
                "expected at most 0.05 per year (modules typically lose 0.004 to 0.007)",
            )
        return self

    @property
    def technology(self) -> str:
        return "solar"

    @property
    def capacity_mw(self) -> float:
        """AC capacity [MW], the figure reported as ``capacity_mw``."""
        return self.capacity_ac_mw

    @property
    def dc_capacity_mwp(self) -> float:
        """DC capacity [MWp], from the ratio or given directly."""
        if self.capacity_dc_mwp is not None:
            return self.capacity_dc_mwp
        return self.capacity_ac_mw * float(self.dc_ac_ratio)


_SANDIA_ONLY = "needs Sandia module coefficients, which CEC and PVWatts modules do not have"


def model_choice_problems(site: SolarSite) -> list[tuple[str, str]]:
    """(field, what is wrong and what was expected) for each model the site names that its other
    choices cannot run; the validator refuses the first, and ``production/solar.py`` re-checks
    specs built without validation (``model_copy``) with the same rules.
    """
    problems = []
    if site.aoi_model == "sapm":
        problems.append(("aoi_model", f"= sapm {_SANDIA_ONLY}; expected physical, ashrae, martin_ruiz or no_loss"))
    if site.spectral_model == "sapm":
        problems.append(("spectral_model", f"= sapm {_SANDIA_ONLY}; expected no_loss or first_solar"))
    if site.spectral_model == "first_solar" and site.module.model == "pvwatts":
        problems.append(("spectral_model", "= first_solar needs the module's cell technology, which a pvwatts module "
                         "does not state; expected a cec module or spectral_model no_loss"))
    if site.inverter.model != "pvwatts" and site.module.model == "pvwatts":
        problems.append(("module", f"model = pvwatts gives no DC voltage, which inverter.model = {site.inverter.model} "
                         "needs; expected a cec module or the pvwatts inverter"))
    if site.bifacial is not None and site.mounting.gcr is None:
        problems.append(("bifacial", "needs mounting.gcr (the ground coverage ratio) for the rear irradiance; "
                         "expected a gcr in mounting, or no bifacial block"))
    rows = site.row_shading
    if rows is not None and site.mounting.gcr is None:
        problems.append(("row_shading", "needs mounting.gcr (the ground coverage ratio) for the row geometry; "
                         "expected a gcr in mounting, or no row_shading block"))
    if rows is not None and rows.front_irradiance_model == "infinite_sheds" and site.bifacial is None and (
        rows.height_m is None or rows.pitch_m is None
    ):
        problems.append(("row_shading", "front_irradiance_model = infinite_sheds needs the row height and pitch; "
                         "expected row_shading.height_m and pitch_m, or a bifacial block that gives them"))
    return problems
