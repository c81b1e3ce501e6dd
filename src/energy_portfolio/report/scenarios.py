"""The report's section on named scenarios: each headline figure as a range with the central value.

Built from a :class:`~energy_portfolio.portfolio.ranges.ScenarioComparison`; every sentence is
generated from it. A range whose ends differ by less than :data:`SAME_FRACTION` of the central value
is said to be unchanged rather than drawn as a spread of solver noise.
"""

from __future__ import annotations

from typing import Any

from ..portfolio.ranges import ScenarioComparison, ScenarioRange
from .document import Section, Table, rows

__all__ = ["SAME_FRACTION", "scenarios_section"]

SAME_FRACTION = 1e-4
"""Relative spread below which a figure counts as unmoved (the MIP gap of a solve is 5e-3 of the
system cost, so a difference below 1e-4 of a figure is not a difference the model can resolve)."""


def _value(value: float | None, r: ScenarioRange) -> str:
    if value is None:
        return "n/a"
    shown = round(value / r.metric.scale, r.metric.digits) + 0.0  # + 0.0: no "-0" for a value that rounds to zero
    return f"{shown:,.{r.metric.digits}f}"


def _unmoved(r: ScenarioRange) -> bool:
    if r.low is None or r.high is None:
        return True
    reference = max(abs(r.central or 0.0), abs(r.low), abs(r.high), 1e-12)
    return (r.high - r.low) / reference < SAME_FRACTION


def _range_row(r: ScenarioRange) -> tuple[Any, ...]:
    label = f"{r.metric.label} [{r.metric.unit}]"
    if _unmoved(r):
        return (label, _value(r.central, r), "same in every scenario", "", "")
    span = f"{_value(r.low, r)} to {_value(r.high, r)}"
    return (label, _value(r.central, r), span, f"{r.low_scenario} / {r.high_scenario}", r.moved_most_by or "")


def _changes(changes: dict[str, Any]) -> str:
    return "; ".join(f"{path} = {value}" for path, value in changes.items()) or "none (the base portfolio)"


def scenarios_section(comparison: ScenarioComparison) -> Section:
    """The scenarios section: what each scenario assumes, and every headline figure as a range."""
    moved = [r for r in comparison.ranges if not _unmoved(r) and r.moved_most_by]
    counts: dict[str, int] = {}
    for r in moved:
        counts[r.moved_most_by] = counts.get(r.moved_most_by, 0) + 1  # type: ignore[index]
    failed = [c.name for c in comparison.cases if c.status != "ok"]
    text = [
        f"{len(comparison.cases)} scenarios of the same portfolio, each changing one group of assumptions; "
        f"the central case ({comparison.central}) is the portfolio as configured and is the value in the first "
        "column. Each range runs from the lowest to the highest value across the scenarios that finished.",
    ]
    if counts:
        leader = max(counts, key=counts.__getitem__)
        text.append(f"The assumption that moves the most figures furthest is {leader} "
                    f"({counts[leader]} of {len(comparison.ranges)} figures).")
    if failed:
        text.append(f"Scenarios that did not finish (not in the ranges): {', '.join(failed)}.")
    central = "central" if comparison.central == "central" else f"central: {comparison.central}"
    ranges = Table(("figure", central, "range", "lowest / highest in", "moved most by"),
                   rows([_range_row(r) for r in comparison.ranges]), "Headline figures across scenarios")
    cases = Table(("scenario", "assumption", "changes", "status"),
                  rows([(c.name, c.description, _changes(c.changes), c.status if not c.error else
                         f"{c.status}: {c.error}") for c in comparison.cases]), "The scenarios")
    return Section("Scenarios", tuple(text), (ranges, cases))
