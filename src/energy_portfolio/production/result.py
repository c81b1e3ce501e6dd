"""The result every production model returns, and the figures derived from it.

``SiteProduction`` holds the hourly net power at the grid connection and the loss
waterfall; the figures of the ``sites.<id>`` block of summary.json (annual and monthly
energy, capacity factor) are computed from them here, once, for solar and wind alike.
Model-specific quantities (DC power, cell temperature, gross wind power, the power curve
used...) go in ``hourly`` (extra columns) and ``details`` (JSON-ready scalars and lists).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .losses import Waterfall
from .wakes import BLOCKAGE_MODEL, WAKE_RANGE_MODELS

__all__ = ["SiteProduction"]


@dataclass(frozen=True)
class SiteProduction:
    """Hourly production of one site.

    Attributes
    ----------
    site_id : str
    technology : str
        ``"solar"`` or ``"wind"``.
    capacity_mw : float
        Rated capacity used for the capacity factor: AC capacity for PV, turbines x
        rated power for wind [MW].
    net_mw : pandas.Series
        Hourly mean net AC power at the grid connection, after every loss and the
        connection limit, before dispatch curtailment [MW]. Time-zone-aware index,
        labels at interval start.
    waterfall : Waterfall
        Loss chain whose final energy equals ``net_mw.sum()``.
    hourly : pandas.DataFrame
        Further hourly quantities, column names with units (``dc_mw``, ``poa_w_m2``...).
    details : dict
        JSON-ready model-specific figures (sizing, power curve, hub height...).
    operating_year : int
        Year of operation the result is for (1 = first year; degradation applied).
    wake_loss_fraction_by_model : dict
        Wind farms with a PyWake wake model: the wake loss (1 - waked over gross energy) under
        each model of ``wakes.WAKE_RANGE_MODELS`` [fraction]; empty otherwise.
    turbine_wake_loss : pandas.DataFrame
        Wind farms with a PyWake wake model: one row per turbine (index ``turbine``, 1 to n in
        layout order) with its position ``x_m``, ``y_m`` [m] east and north of the farm centre
        and ``wake_loss_fraction``, its energy with wakes over its energy without under the
        model used, on the hours of the result [fraction]; the mean over turbines is the farm's
        ``details["wake_loss_fraction"]``. Empty otherwise.
    """

    site_id: str
    technology: str
    capacity_mw: float
    net_mw: pd.Series
    waterfall: Waterfall
    hourly: pd.DataFrame = field(default_factory=pd.DataFrame)
    details: dict[str, Any] = field(default_factory=dict)
    operating_year: int = 1
    wake_loss_fraction_by_model: dict[str, float] = field(default_factory=dict)
    turbine_wake_loss: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def hours(self) -> int:
        return len(self.net_mw)

    @property
    def annual_energy_mwh(self) -> float:
        """Net energy over the period (hourly means x 1 h) [MWh]."""
        return float(self.net_mw.sum())

    @property
    def monthly_energy_mwh(self) -> pd.Series:
        """Net energy per calendar month, January first, 12 values [MWh]."""
        by_month = self.net_mw.groupby(self.net_mw.index.month).sum()
        return by_month.reindex(range(1, 13), fill_value=0.0).rename("energy_mwh")

    @property
    def capacity_factor(self) -> float:
        """annual_energy_mwh / (capacity_mw x hours)."""
        return self.annual_energy_mwh / (self.capacity_mw * self.hours)

    @property
    def full_load_hours(self) -> float:
        """annual_energy_mwh / capacity_mw [h]."""
        return self.annual_energy_mwh / self.capacity_mw

    def summary(self) -> dict[str, Any]:
        """The production part of the site's summary.json block (DESIGN.md)."""
        out: dict[str, Any] = {
            "technology": self.technology,
            "capacity_mw": self.capacity_mw,
            "annual_energy_mwh": self.annual_energy_mwh,
            "capacity_factor": self.capacity_factor,
            "losses": self.waterfall.fractions(),
        }
        if self.technology == "wind":
            # every wind site has the paths (config/metrics.py); None where no PyWake range was run
            out["wake_loss_fraction_by_model"] = {
                model: self.wake_loss_fraction_by_model.get(model) for model in (*WAKE_RANGE_MODELS, BLOCKAGE_MODEL)
            }
        if "specific_yield_kwh_per_kwp" in self.details:
            out["specific_yield_kwh_per_kwp"] = self.details["specific_yield_kwh_per_kwp"]
        return out

    def yield_json(self) -> dict[str, Any]:
        """The ``yield --format json`` document: the summary block plus monthly energy and details."""
        return {
            **self.summary(),
            "monthly_energy_mwh": [float(v) for v in self.monthly_energy_mwh],
            "full_load_hours": self.full_load_hours,
            "operating_year": self.operating_year,
            **self.details,
        }
