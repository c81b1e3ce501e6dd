"""Report charts with matplotlib, drawn on ``Figure`` objects (no pyplot state, no display).

Each function takes plain frames or series with units in their names and returns a Figure
whose axes are labelled with units. ``figure_png`` turns a figure into PNG bytes for inlining.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..production.losses import Waterfall

__all__ = [
    "figure_png",
    "monthly_energy_chart",
    "waterfall_chart",
    "loss_diagram_chart",
    "month_hour_heatmap",
    "duration_curve_chart",
    "dispatch_stack_chart",
    "state_of_charge_chart",
    "curtailment_chart",
    "exceedance_chart",
    "sweep_chart",
    "delta_chart",
]

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_PALETTE = {
    "wind": "#2b7bb9",
    "solar": "#f2b701",
    "battery": "#7a4fa3",
    "hydro": "#3aa17e",
    "gas": "#9a9a9a",
    "import": "#c45a5a",
    "export": "#e08a3c",
    "unserved": "#000000",
}


def figure_png(fig: Figure, dpi: int = 90) -> bytes:
    """PNG bytes of a figure."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)  # constrained layout already fits; "tight" would draw twice
    return buffer.getvalue()


def _figure(width: float = 8.0, height: float = 3.6) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def monthly_energy_chart(monthly_gwh: pd.DataFrame, title: str) -> Figure:
    """Grouped bars of monthly energy; ``monthly_gwh`` has 12 rows (months) and a column per site [GWh]."""
    fig, ax = _figure()
    n = max(len(monthly_gwh.columns), 1)
    width = 0.8 / n
    x = np.arange(12)
    for i, column in enumerate(monthly_gwh.columns):
        ax.bar(x + (i - (n - 1) / 2) * width, monthly_gwh[column].to_numpy(), width, label=str(column))
    ax.set_xticks(x, _MONTHS)
    ax.set_ylabel("energy [GWh]")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize="small")
    ax.grid(axis="y", alpha=0.3)
    return fig


def waterfall_chart(waterfall: Waterfall, title: str) -> Figure:
    """Loss waterfall: the reference energy, each step's loss (or gain), the final energy [GWh]."""
    fig, ax = _figure(8.0, 3.8)
    labels = [waterfall.reference] + [s.name for s in waterfall.steps] + ["net"]
    level = waterfall.reference_mwh / 1000.0
    bottoms, heights, colours = [0.0], [level], ["#4c78a8"]
    for step in waterfall.steps:
        change = -step.loss_mwh / 1000.0
        bottoms.append(level + min(change, 0.0))
        heights.append(abs(change))
        colours.append("#e45756" if change < 0 else "#54a24b")
        level += change
    bottoms.append(0.0)
    heights.append(level)
    colours.append("#4c78a8")
    x = np.arange(len(labels))
    ax.bar(x, heights, bottom=bottoms, color=colours)
    ax.set_xticks(x, labels, rotation=45, ha="right", fontsize="small")
    ax.set_ylabel("energy [GWh]")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    return fig


def loss_diagram_chart(labels: list[str], levels_mwh: list[float], title: str) -> Figure:
    """A PVsyst-style loss diagram for print: horizontal bars from the resource (``levels_mwh[0]``) to the
    grid (``levels_mwh[-1]``), each step between as its change (losses red, gains green) labelled with
    its share of the start; the axis starts near the smallest level, not at zero [GWh].

    ``labels`` has one more entry than ``levels_mwh`` has steps: the start, each step, the end.
    """
    levels = np.asarray(levels_mwh, dtype=float) / 1000.0
    fig, ax = _figure(8.0, max(2.6, 0.28 * len(labels) + 1.0))
    start = levels[0]
    y = np.arange(len(labels))
    ax.barh(y[0], levels[0], color="#4c78a8")
    for i in range(1, len(levels)):
        before, after = levels[i - 1], levels[i]
        ax.barh(y[i], after - before, left=before, color="#e45756" if after < before else "#54a24b")
        share = (after - before) / start if start else 0.0
        ax.text(max(before, after), y[i], f" {after - before:+,.1f} ({share:+.1%})", va="center", fontsize="x-small")
    ax.barh(y[-1], levels[-1], color="#4c78a8")
    ax.text(levels[0], y[0], f" {levels[0]:,.1f}", va="center", fontsize="x-small")
    ax.text(levels[-1], y[-1], f" {levels[-1]:,.1f} ({levels[-1] / start:.1%})" if start else "", va="center",
            fontsize="x-small")
    low, high = float(levels.min()), float(levels.max())
    pad = (high - low) * 0.15 or high * 0.05
    ax.set_xlim(max(low - pad, 0.0), high + pad * 2.0)
    ax.set_yticks(y, labels, fontsize="small")
    ax.invert_yaxis()
    ax.set_xlabel("energy [GWh]")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    return fig


def month_hour_heatmap(power_mw: pd.Series, title: str) -> Figure:
    """Mean power by month (rows) and local hour of day (columns) [MW]."""
    table = power_mw.groupby([power_mw.index.month, power_mw.index.hour]).mean().unstack()
    table = table.reindex(index=range(1, 13), columns=range(24))
    fig, ax = _figure(8.0, 3.8)
    image = ax.imshow(table.to_numpy(), aspect="auto", cmap="viridis", origin="upper")
    ax.set_yticks(range(12), _MONTHS)
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)])
    ax.set_xlabel(f"hour of day [{power_mw.index.tz}]")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label="mean power [MW]")
    return fig


def duration_curve_chart(series: pd.Series, ylabel: str, title: str) -> Figure:
    """Values sorted from highest to lowest against the share of hours."""
    values = np.sort(series.to_numpy(dtype=float))[::-1]
    fig, ax = _figure()
    ax.plot(np.linspace(0, 100, len(values)), values, color="#4c78a8")
    ax.set_xlabel("share of hours [%]")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    return fig


def dispatch_stack_chart(supply_mw: pd.DataFrame, demand_mw: pd.Series, title: str) -> Figure:
    """Stacked supply by group with the demand line, for a window of hours [MW].

    ``supply_mw`` columns are supply groups (positive); battery charging and exports may be
    given as negative columns and are stacked below zero.
    """
    fig, ax = _figure(8.5, 3.8)
    x = supply_mw.index
    positive = supply_mw.clip(lower=0.0)
    negative = supply_mw.clip(upper=0.0)
    fallback = iter(["#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"] * 4)
    colours = [_PALETTE.get(c.split("_")[0]) or next(fallback) for c in supply_mw.columns]
    ax.stackplot(x, positive.T.to_numpy(), labels=list(supply_mw.columns), colors=colours, alpha=0.9)
    if (negative < 0).any().any():
        ax.stackplot(x, negative.T.to_numpy(), colors=colours, alpha=0.5)
    ax.plot(x, demand_mw.to_numpy(), color="black", linewidth=1.2, label="demand")
    ax.set_ylabel("power [MW]")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    return fig


def state_of_charge_chart(soc_mwh: pd.DataFrame, title: str) -> Figure:
    """State of charge of each battery over the year [MWh] (daily min, mean and max bands)."""
    fig, ax = _figure()
    for column in soc_mwh.columns:
        daily = soc_mwh[column].resample("D")
        ax.fill_between(daily.min().index, daily.min().to_numpy(), daily.max().to_numpy(), alpha=0.25)
        ax.plot(daily.mean().index, daily.mean().to_numpy(), label=f"{column} (daily mean)")
    ax.set_ylabel("state of charge [MWh]")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize="small")
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    return fig


def curtailment_chart(curtailed_gwh: pd.DataFrame, title: str) -> Figure:
    """Stacked bars of curtailed energy per plant (rows) by cause (columns) [GWh]."""
    fig, ax = _figure()
    bottom = np.zeros(len(curtailed_gwh.index))
    for cause in curtailed_gwh.columns:
        values = curtailed_gwh[cause].to_numpy(dtype=float)
        ax.bar(range(len(bottom)), values, bottom=bottom, label=str(cause))
        bottom += values
    ax.set_xticks(range(len(bottom)), [str(i) for i in curtailed_gwh.index], rotation=20, ha="right")
    ax.set_ylabel("curtailed energy [GWh]")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize="small")
    ax.grid(axis="y", alpha=0.3)
    return fig


def exceedance_chart(samples: pd.DataFrame, ylabel: str, title: str) -> Figure:
    """Exceedance curves: for each column, the value exceeded with each probability."""
    fig, ax = _figure()
    for column in samples.columns:
        values = np.sort(samples[column].dropna().to_numpy(dtype=float))[::-1]
        probability = (np.arange(1, len(values) + 1) - 0.5) / len(values) * 100.0
        ax.plot(probability, values, marker="o", markersize=3, label=str(column))
    ax.set_xlabel("probability of exceedance [%]")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False, fontsize="small")
    ax.grid(alpha=0.3)
    return fig


def sweep_chart(
    points: pd.DataFrame,
    x: str,
    y: str,
    group: str | None = None,
    *,
    x_label: str | None = None,
    y_label: str | None = None,
    group_label: str | None = None,
    min_span: float = 0.0,
) -> Figure:
    """A metric against a varied parameter over a sweep's scenarios, one line per value of ``group``.

    ``points`` has a column per parameter and metric (the sweep table). Axes are titled with
    ``x_label`` / ``y_label`` (names and units) and written in plain numbers, never with an offset
    (``+9.4465e2``); the y axis spans at least ``min_span`` around the values, so that differences
    below a metric's tolerance are drawn flat rather than as a peak.
    """
    fig, ax = _figure(6.4, 3.4)
    groups = [(None, points)] if group is None else list(points.groupby(group, sort=True))
    name = group_label or group
    for value, part in groups:
        part = part.sort_values(x)
        label = None if group is None else f"{name} = {value:g}" if isinstance(value, float) else f"{name} = {value}"
        ax.plot(part[x].to_numpy(dtype=float), part[y].to_numpy(dtype=float), marker="o", markersize=4, label=label)
    values = points[y].to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if len(values) and values.max() - values.min() < min_span:
        middle = (values.max() + values.min()) / 2
        ax.set_ylim(middle - min_span / 2, middle + min_span / 2)
    ax.ticklabel_format(style="plain", useOffset=False)
    ax.set_xlabel(x_label or x)
    ax.set_ylabel(y_label or y)
    ax.set_title(f"{y_label or y} against {x_label or x}", fontsize="medium")
    if group is not None:
        ax.legend(frameon=False, fontsize="small")
    ax.grid(alpha=0.3)
    return fig


def delta_chart(changes_pct: pd.Series, title: str) -> Figure:
    """Horizontal bars of relative changes [%], one per figure (``changes_pct`` indexed by label).

    Increases in green, decreases in red, the value written at the end of each bar; the axis in
    plain numbers (no offset or scientific notation).
    """
    fig, ax = _figure(8.0, 0.6 + 0.32 * max(len(changes_pct), 1))
    values = changes_pct.to_numpy(dtype=float)
    y = np.arange(len(values))[::-1]
    ax.barh(y, values, color=["#54a24b" if v >= 0 else "#e45756" for v in values])
    for yi, value in zip(y, values, strict=True):
        ax.annotate(f"{value:+.3g} %", (value, yi), xytext=(3 if value >= 0 else -3, 0), textcoords="offset points",
                    ha="left" if value >= 0 else "right", va="center", fontsize="small")
    ax.set_yticks(y, [str(label) for label in changes_pct.index], fontsize="small")
    ax.axvline(0.0, color="#555555", linewidth=0.8)
    ax.set_xlabel("change against the first config [%]")
    ax.set_title(title)
    ax.ticklabel_format(axis="x", style="plain", useOffset=False)
    ax.margins(x=0.2)
    ax.grid(axis="x", alpha=0.3)
    return fig
