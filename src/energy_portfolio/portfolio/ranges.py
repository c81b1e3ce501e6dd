"""Headline figures across named scenarios: each as a range with the central value and what moves it most.

Pure functions over the figures of finished runs (their ``summary.json`` paths); the sweep layer runs
the scenarios (:mod:`energy_portfolio.sweep.scenario_set`) and the report shows the ranges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..config import Portfolio

__all__ = ["HeadlineMetric", "ScenarioCase", "ScenarioComparison", "ScenarioRange", "headline_metrics",
           "scenario_ranges"]


@dataclass(frozen=True)
class HeadlineMetric:
    """A headline figure shown as a range: its summary.json path, label, unit and display scale."""

    path: str
    label: str
    unit: str
    scale: float = 1.0
    digits: int = 0


def headline_metrics(portfolio: Portfolio) -> tuple[HeadlineMetric, ...]:
    """The figures a scenario comparison gives as ranges (issue 17): gas, CO2, storage, curtailment,
    trade, capture prices and NPV, with the portfolio's own site ids filled in."""
    out = [
        HeadlineMetric("dispatch.gas_saved_mcm", "gas saved", "million m3/yr"),
        HeadlineMetric("dispatch.gas_saved_m3_per_mwh", "gas saved per MWh of the portfolio", "m3/MWh"),
        HeadlineMetric("dispatch.co2_avoided_t", "CO2 avoided", "kt/yr", 1e3),
        HeadlineMetric("dispatch.curtailment_mwh", "curtailment", "GWh/yr", 1e3),
        HeadlineMetric("dispatch.export_mwh", "exports", "GWh/yr", 1e3),
        HeadlineMetric("dispatch.import_mwh", "imports", "GWh/yr", 1e3),
    ]
    for site in portfolio.sites:
        if site.kind in ("solar", "wind"):
            out.append(HeadlineMetric(f"sites.{site.id}.capture_price_usd_per_mwh", f"{site.id}: capture price",
                                      "USD/MWh", 1.0, 1))
        else:
            out.append(HeadlineMetric(f"sites.{site.id}.equivalent_full_cycles", f"{site.id}: full cycles",
                                      "cycles/yr"))
            out.append(HeadlineMetric(f"sites.{site.id}.energy_revenue_usd", f"{site.id}: energy revenue",
                                      "k USD/yr", 1e3))
    out.append(HeadlineMetric("portfolio_economics.npv_usd", "portfolio NPV", "M USD", 1e6, 1))
    return tuple(out)


@dataclass(frozen=True)
class ScenarioRange:
    """One headline figure across the scenarios (values in the metric's own unit, not scaled).

    Attributes
    ----------
    metric : HeadlineMetric
    central : float or None
    low, high : float or None
        The smallest and largest value across every scenario that finished, the central one included.
    low_scenario, high_scenario : str or None
        The scenarios at ``low`` and ``high``.
    moved_most_by : str or None
        The scenario furthest from the central value (None when nothing moves it).
    """

    metric: HeadlineMetric
    central: float | None
    low: float | None
    high: float | None
    low_scenario: str | None
    high_scenario: str | None
    moved_most_by: str | None


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return None
    return float(value)


def scenario_ranges(
    metrics: tuple[HeadlineMetric, ...], values: pd.DataFrame, central: str
) -> tuple[ScenarioRange, ...]:
    """Each metric's range across the scenarios, the central value and what moves it most.

    Parameters
    ----------
    metrics : tuple of HeadlineMetric
    values : pandas.DataFrame
        One row per finished scenario (index: scenario name), one column per metric path.
    central : str
        The central scenario's name (a row of ``values``).
    """
    out = []
    for metric in metrics:
        column = {name: _number(v) for name, v in values[metric.path].items()}
        known = {name: v for name, v in column.items() if v is not None}
        mid = column.get(central)
        if not known:
            out.append(ScenarioRange(metric, mid, None, None, None, None, None))
            continue
        low_name = min(known, key=known.__getitem__)
        high_name = max(known, key=known.__getitem__)
        moved = None
        if mid is not None:
            distance = {n: abs(v - mid) for n, v in known.items() if n != central}
            if distance and max(distance.values()) > 0:
                moved = max(distance, key=distance.__getitem__)
        out.append(ScenarioRange(metric, mid, known[low_name], known[high_name], low_name, high_name, moved))
    return tuple(out)


@dataclass(frozen=True)
class ScenarioCase:
    """One scenario as the report lists it: name, assumption, changes and how its run ended."""

    name: str
    description: str
    changes: dict[str, Any]
    status: str
    error: str | None = None


@dataclass(frozen=True)
class ScenarioComparison:
    """Headline figures of named scenarios of one base portfolio.

    Attributes
    ----------
    central : str
        The central scenario's name (the base portfolio).
    cases : tuple of ScenarioCase
        Every scenario, the central one first.
    values : pandas.DataFrame
        One row per finished scenario (index: name), one column per headline metric path.
    ranges : tuple of ScenarioRange
        One per headline metric, in :func:`headline_metrics` order.
    """

    central: str
    cases: tuple[ScenarioCase, ...]
    values: pd.DataFrame
    ranges: tuple[ScenarioRange, ...]

    @classmethod
    def of(cls, central: str, cases: tuple[ScenarioCase, ...], values: pd.DataFrame,
           metrics: tuple[HeadlineMetric, ...]) -> ScenarioComparison:
        """The comparison with its ranges computed from ``values``."""
        return cls(central, cases, values, scenario_ranges(metrics, values, central))

    def summary(self) -> dict[str, Any]:
        """The ``scenarios`` block of summary.json: the central name, each scenario, each figure's range."""
        return {
            "central": self.central,
            "cases": [{"name": c.name, "description": c.description, "changes": c.changes, "status": c.status,
                       "error": c.error} for c in self.cases],
            "ranges": {r.metric.path: {"central": r.central, "low": r.low, "high": r.high,
                                       "low_scenario": r.low_scenario, "high_scenario": r.high_scenario,
                                       "moved_most_by": r.moved_most_by} for r in self.ranges},
        }

    def table(self) -> pd.DataFrame:
        """Every scenario's headline figures, one row each in display units (the scenarios.csv of a report)."""
        frame = self.values[[r.metric.path for r in self.ranges]].copy()
        for r in self.ranges:
            frame[r.metric.path] = frame[r.metric.path].map(_number).astype(float) / r.metric.scale
        frame.columns = [f"{r.metric.label} [{r.metric.unit}]" for r in self.ranges]
        frame.index.name = "scenario"
        return frame
