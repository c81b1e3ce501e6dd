"""Sweep spec: a base portfolio and the config fields to vary across scenarios.

Scenarios come from a grid (every combination of the listed values), explicit lists (one
mapping of changes per scenario) and random samples with a seed; ``weather_years`` multiplies
them by the listed ``options.weather_years`` values. Fields are named by their dotted path as
:func:`energy_portfolio.config.changes.with_changes` takes them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, model_validator

from .types import ExistingFile, Identifier, Spec, cross_field_error

__all__ = ["DEFAULT_METRICS", "FieldPath", "RandomParameter", "RandomSamples", "SweepSpec", "Value"]

FieldPath = Annotated[str, Field(pattern=r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$", min_length=1, max_length=200)]
"""A dotted path: ``sites.<site id>.<field>``, ``grid.<field>`` or a portfolio field."""

Value = StrictBool | int | float | str
"""A value a scenario gives a field."""

DEFAULT_METRICS: tuple[str, ...] = (
    "dispatch.gas_saved_mcm",
    "dispatch.co2_avoided_t",
    "dispatch.curtailment_mwh",
    "dispatch.renewable_share",
    "dispatch.unserved_mwh",
    "dispatch.storage.equivalent_full_cycles",
    "portfolio_economics.npv_usd",
    "portfolio_economics.lcoe_usd_per_mwh",
)
"""Metrics (dotted paths into summary.json) a sweep collects unless its spec lists others."""


class RandomParameter(Spec):
    """A field sampled uniformly between two bounds."""

    low: float = Field(description="lower bound, in the field's own unit")
    high: float = Field(description="upper bound, in the field's own unit")
    integer: bool = Field(False, description="round each sample to the nearest whole number")

    @model_validator(mode="after")
    def _ordered(self) -> RandomParameter:
        if self.high <= self.low:
            raise cross_field_error("high", "expected high > low")
        return self


class RandomSamples(Spec):
    """Random scenarios: ``samples`` draws of every parameter, reproducible from ``seed``."""

    samples: int = Field(ge=1, le=100_000, description="number of random scenarios")
    seed: int = Field(ge=0, description="seed of numpy's default generator")
    parameters: dict[FieldPath, RandomParameter] = Field(min_length=1, description="field path -> bounds")


class SweepSpec(Spec):
    """A scenario sweep over a base portfolio."""

    kind: Literal["sweep"]
    name: Identifier = Field(description="names the default output folder sweeps/<name>/")
    description: str = ""
    portfolio: ExistingFile = Field(description="the base portfolio, relative to this file")
    grid: dict[FieldPath, tuple[Value, ...]] = Field(
        default_factory=dict, description="every combination of these values"
    )
    scenarios: tuple[dict[FieldPath, Value], ...] = Field((), description="explicit scenarios, one mapping each")
    random: RandomSamples | None = None
    weather_years: tuple[Annotated[int, Field(ge=1, le=100)], ...] = Field(
        (), description="values of options.weather_years, crossed with every scenario"
    )
    metrics: tuple[FieldPath, ...] = Field(
        DEFAULT_METRICS, min_length=1, description="dotted paths into summary.json, one column each"
    )
    rank_by: FieldPath = Field("dispatch.gas_saved_mcm", description="the metric the report ranks scenarios by")
    rank_order: Literal["highest", "lowest"] = Field("highest", description="which end of rank_by is best")
    best: int = Field(10, ge=1, le=1000, description="how many of the best scenarios the report lists")

    @model_validator(mode="after")
    def _consistent(self) -> SweepSpec:
        for path, values in self.grid.items():
            if not values:
                raise cross_field_error("grid", f"expected at least one value for {path}")
        if self.rank_by not in self.metrics:
            raise cross_field_error("rank_by", f"expected one of the metrics: {', '.join(self.metrics)}")
        if "options.weather_years" in self.grid and self.weather_years:
            raise cross_field_error("weather_years", "options.weather_years is already varied in grid; give it once")
        return self
