"""Interactive report charts as plotly figures, written as plain JSON-ready dicts.

Why plotly: its JavaScript library is one file shipped inside the Python package (so it is
inlined from the installed package, no network and no CDN), it is actively maintained, it draws
zoomable and hoverable SVG with units in the hover text, and it has the chart types the report needs
(stacked areas, waterfalls, polar bars for wind roses, heatmaps). The figures are built as dicts rather
than ``plotly.graph_objects`` to keep the report fast (no per-trace validation in Python); plotly.js
checks them when it draws. This module is the only one that knows plotly (``plotly_js``).

Every function takes frames or series with units in their names and returns ``{"data", "layout"}``;
every trace has a ``hovertemplate`` that shows the value with its unit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "plotly_js",
    "values",
]

Figure = dict[str, Any]


@cache
def plotly_js() -> str:
    """plotly.js (minified) from the installed plotly package, to be inlined once per HTML file."""
    return (resources.files("plotly") / "package_data" / "plotly.min.js").read_text(encoding="utf-8")


def values(data: Sequence[float] | np.ndarray | pd.Series, digits: int = 3) -> list[float | None]:
    """Numbers as a JSON-ready list, rounded to ``digits`` decimals, NaN as null (a gap)."""
    array = np.asarray(data, dtype=float)
    return [None if not math.isfinite(v) else v for v in np.round(array, digits).tolist()]


def _layout(title: str, x_title: str = "", y_title: str = "", **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "title": {"text": title, "font": {"size": 15}},
        "margin": {"l": 60, "r": 20, "t": 45, "b": 50},
        "height": 400,
        "hovermode": "closest",
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True, "separatethousands": True},
        "legend": {"orientation": "h", "y": -0.2},
        "template": None,
        "font": {"family": "-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif", "size": 12},
        "plot_bgcolor": "#ffffff",
    }
    for axis in ("xaxis", "yaxis"):
        layout[axis].update({"gridcolor": "#e6eaef", "zerolinecolor": "#b8c2cc"})
    layout.update(extra)
    return layout


_COLOURS = {
    "gas": "#9a9a9a", "hydro": "#3aa17e", "wind": "#8fb8de", "solar": "#f6d66b", "import": "#c45a5a",
    "export": "#e08a3c", "discharge": "#7a4fa3", "charge": "#d6a5f0", "unserved": "#000000",
}
_NEW_COLOURS = ["#1f5f99", "#e6a100", "#0b8a6b", "#b03a7e", "#5a3d99", "#7f4f24"]
_LIGHT_COLOURS = ["#9fc2e3", "#f5d78a", "#8fd1bf", "#e3a6c9", "#bfb0e0", "#d6b89a"]


def paired_colours(names: Sequence[str], first: str, second: str) -> dict[str, str]:
    """Colours for ``"<name> <first>"`` (light) and ``"<name> <second>"`` (strong), one hue per name
    (each store's charge light and discharge strong)."""
    out = {}
    for i, name in enumerate(names):
        out[f"{name} {first}"] = _LIGHT_COLOURS[i % len(_LIGHT_COLOURS)]
        out[f"{name} {second}"] = _NEW_COLOURS[i % len(_NEW_COLOURS)]
    return out


def _colour(name: str, new_index: int | None = None) -> str:
    if new_index is not None:
        return _NEW_COLOURS[new_index % len(_NEW_COLOURS)]
    for key, colour in _COLOURS.items():
        if key in name:
            return colour
    return "#8c564b"


def _x(index: pd.Index) -> list[str]:
    if isinstance(index, pd.DatetimeIndex):
        return index.strftime("%Y-%m-%d %H:%M").tolist()
    return [str(i) for i in index]


def monthly_bars(monthly: pd.DataFrame, unit: str, quantity: str, title: str) -> Figure:
    """One bar trace per column over 12 month labels (the index) [``unit``]."""
    data = [{"type": "bar", "name": str(c), "x": list(map(str, monthly.index)), "y": values(monthly[c], 3),
             "hovertemplate": f"%{{x}}: %{{y:,.2f}} {unit}<extra>{c}</extra>"} for c in monthly.columns]
    return {"data": data, "layout": _layout(title, "month", f"{quantity} [{unit}]", barmode="group")}


def loss_diagram(labels: Sequence[str], levels_gwh: Sequence[float], title: str) -> Figure:
    """A PVsyst-style loss diagram: a horizontal waterfall from the resource to the grid.

    ``levels_gwh`` is the energy at the start and after each step [GWh]; ``labels`` names the start,
    each step and the end (one more than the levels). Start and end are totals, each step its change,
    losses red and gains green, each with its value and its share of the starting energy. The axis
    starts near the smallest level, not at zero.
    """
    start = levels_gwh[0]
    measure, x, text = ["absolute"], [start], [f"{start:,.1f} GWh"]
    for before, after in pairwise(levels_gwh):
        change = after - before
        measure.append("relative")
        x.append(change)
        text.append(f"{change:+,.1f} GWh ({change / start:+.1%})" if start else f"{change:+,.1f} GWh")
    measure.append("total")
    x.append(levels_gwh[-1])
    text.append(f"{levels_gwh[-1]:,.1f} GWh ({levels_gwh[-1] / start:.1%})" if start else "")
    low, high = min(levels_gwh), max(levels_gwh)
    pad = (high - low) * 0.15 or high * 0.05
    trace = {
        "type": "waterfall", "orientation": "h", "y": list(labels), "x": values(x), "measure": measure,
        "text": text, "textposition": "outside", "cliponaxis": False,
        "decreasing": {"marker": {"color": "#e45756"}}, "increasing": {"marker": {"color": "#54a24b"}},
        "totals": {"marker": {"color": "#4c78a8"}}, "connector": {"line": {"color": "#9aa7b4", "width": 1}},
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    layout = _layout(title, "energy [GWh]", "", height=max(320, 26 * len(labels) + 90), showlegend=False)
    layout["xaxis"]["range"] = [max(low - pad, 0.0), high + pad * 2.0]
    layout["yaxis"].update({"autorange": "reversed"})
    layout["margin"]["l"] = 210
    return {"data": [trace], "layout": layout}


def wind_rose(direction_deg: pd.Series, speed_m_s: pd.Series, title: str) -> Figure:
    """Share of hours by 16 direction sectors and speed class (barpolar) [%]."""
    sectors = ((direction_deg.to_numpy(dtype=float) + 11.25) % 360 // 22.5).astype(int)
    edges = [(0, 4), (4, 8), (8, 12), (12, 16), (16, 99)]
    speed = speed_m_s.to_numpy(dtype=float)
    total = max(len(speed), 1)
    data = []
    for low, high in edges:
        inside = (speed >= low) & (speed < high)
        counts = np.bincount(sectors[inside], minlength=16)[:16] / total * 100.0
        name = f"{low}-{high} m/s" if high < 99 else f">= {low} m/s"
        data.append({"type": "barpolar", "name": name, "r": values(counts, 3),
                     "theta": [i * 22.5 for i in range(16)],
                     "hovertemplate": f"%{{theta}}°, {name}: %{{r:.1f}} % of hours<extra></extra>"})
    layout = _layout(title)
    layout["polar"] = {"angularaxis": {"rotation": 90, "direction": "clockwise"}, "radialaxis": {"ticksuffix": " %"}}
    layout["legend"] = {"orientation": "v"}
    return {"data": data, "layout": layout}


def speed_distribution(speed_m_s: pd.Series, curve_speed_m_s: Sequence[float], curve_power_mw: Sequence[float],
                       title: str) -> Figure:
    """Hours per 1 m/s speed bin at hub height, with the turbine's power curve on a second axis."""
    speed = speed_m_s.to_numpy(dtype=float)
    top = int(np.ceil(max(np.nanmax(speed) if len(speed) else 1.0, max(curve_speed_m_s, default=1.0)))) + 1
    counts, edges = np.histogram(speed, bins=np.arange(0, top + 1))
    data = [
        {"type": "bar", "name": "hours", "x": values(edges[:-1] + 0.5), "y": counts.tolist(),
         "hovertemplate": "%{x} m/s: %{y:,} h<extra></extra>", "marker": {"color": "#8fb8de"}},
        {"type": "scatter", "mode": "lines", "name": "power curve", "x": values(curve_speed_m_s),
         "y": values(curve_power_mw), "yaxis": "y2", "line": {"color": "#1f5f99"},
         "hovertemplate": "%{x:.1f} m/s: %{y:,.2f} MW<extra>power curve</extra>"},
    ]
    layout = _layout(title, "wind speed at hub height [m/s]", "hours [h]")
    layout["yaxis2"] = {"title": {"text": "turbine power [MW]"}, "overlaying": "y", "side": "right",
                        "rangemode": "tozero", "showgrid": False}
    return {"data": data, "layout": layout}


def farm_layout(x_m: Sequence[float], y_m: Sequence[float], labels: Sequence[str], title: str,
                wake_loss_fraction: Sequence[float] | None = None) -> Figure:
    """Turbine positions [km], equal axes; with ``wake_loss_fraction`` [fraction] each turbine is
    coloured by its wake loss (colour bar in %, shown in the hover)."""
    x_km, y_km = np.asarray(x_m, dtype=float) / 1000, np.asarray(y_m, dtype=float) / 1000
    trace = {"type": "scatter", "mode": "markers", "x": values(x_km), "y": values(y_km),
             "text": list(labels), "marker": {"size": 9, "color": "#1f5f99"},
             "hovertemplate": "%{text}: x %{x:.2f} km, y %{y:.2f} km<extra></extra>"}
    if wake_loss_fraction is not None:
        loss_pct = values(np.asarray(wake_loss_fraction, dtype=float) * 100, 2)
        trace["marker"] = {"size": 11, "color": loss_pct, "colorscale": "Viridis", "reversescale": True,
                           "showscale": True, "colorbar": {"title": {"text": "wake loss [%]"}},
                           "line": {"width": 0.5, "color": "#333333"}}
        trace["customdata"] = loss_pct
        trace["hovertemplate"] = ("%{text}: x %{x:.2f} km, y %{y:.2f} km, wake loss %{customdata:.1f} %"
                                  "<extra></extra>")
    layout = _layout(title, "east [km]", "north [km]", height=480, showlegend=False)
    layout["yaxis"].update({"scaleanchor": "x", "scaleratio": 1})
    return {"data": [trace], "layout": layout}


def site_map(points: pd.DataFrame, title: str) -> Figure:
    """Sites on longitude and latitude (no map tiles: works offline); ``points`` has ``longitude_deg``,
    ``latitude_deg``, ``capacity_mw`` and ``group`` columns, its index the names."""
    data = []
    for group, part in points.groupby("group", sort=False):
        size = np.clip(np.sqrt(part["capacity_mw"].to_numpy(dtype=float)) * 1.5, 8, 40)
        data.append({"type": "scatter", "mode": "markers+text", "name": str(group),
                     "x": values(part["longitude_deg"], 4), "y": values(part["latitude_deg"], 4),
                     "text": list(map(str, part.index)),
                     "textposition": "top center", "customdata": values(part["capacity_mw"], 1),
                     "marker": {"size": values(size, 1), "opacity": 0.8},
                     "hovertemplate": "%{text}: %{customdata:,.0f} MW at %{y:.2f}° N, %{x:.2f}° E<extra></extra>"})
    layout = _layout(title, "longitude [° E]", "latitude [° N]", height=480)
    mean_lat = float(points["latitude_deg"].mean()) if len(points) else 40.0
    layout["yaxis"].update({"scaleanchor": "x", "scaleratio": 1 / max(math.cos(math.radians(mean_lat)), 0.1)})
    return {"data": data, "layout": layout}


def dispatch_stack(supply_mw: pd.DataFrame, demand_mw: pd.Series, new: Sequence[str], title: str,
                   y_range_mw: tuple[float, float] | None = None) -> Figure:
    """Stacked hourly supply [MW]: positive columns above zero, charge and export (negative) below,
    each new site in its own strong colour, the demand as a line; ``y_range_mw`` gives charts to be
    compared the same axis."""
    x = _x(supply_mw.index)
    data = []
    for column in supply_mw.columns:
        series = supply_mw[column]
        if not (series.abs() > 1e-6).any():
            continue
        negative = bool((series < -1e-6).any())
        colour = _colour(column, list(new).index(column) if column in new else None)
        data.append({"type": "scatter", "mode": "lines", "name": column, "x": x, "y": values(series, 1),
                     "stackgroup": "below" if negative else "above", "line": {"width": 0.5, "color": colour},
                     "fillcolor": colour, "hovertemplate": f"%{{y:,.0f}} MW<extra>{column}</extra>"})
    data.append({"type": "scatter", "mode": "lines", "name": "demand", "x": x, "y": values(demand_mw, 1),
                 "line": {"color": "#000000", "width": 1.5}, "hovertemplate": "%{y:,.0f} MW<extra>demand</extra>"})
    layout = _layout(title, "", "power [MW]", height=430, hovermode="x unified")
    if y_range_mw is not None:
        layout["yaxis"]["range"] = list(y_range_mw)
    return {"data": data, "layout": layout}


def duration_curves(curves: Mapping[str, pd.Series], unit: str, quantity: str, title: str, points: int = 400) -> Figure:
    """Each series sorted from highest to lowest against the share of hours, sampled at ``points`` shares."""
    data = []
    shares = np.linspace(0, 100, points)
    for name, series in curves.items():
        ordered = np.sort(series.to_numpy(dtype=float))[::-1]
        if not len(ordered):
            continue
        sampled = ordered[np.minimum((shares / 100 * (len(ordered) - 1)).round().astype(int), len(ordered) - 1)]
        data.append({"type": "scatter", "mode": "lines", "name": name, "x": values(shares, 2), "y": values(sampled, 2),
                     "hovertemplate": f"%{{x:.1f}} % of hours above %{{y:,.1f}} {unit}<extra>{name}</extra>"})
    return {"data": data, "layout": _layout(title, "share of hours [%]", f"{quantity} [{unit}]", hovermode="x unified")}


def daily_bands(frame: pd.DataFrame, unit: str, quantity: str, title: str) -> Figure:
    """Daily mean of each column with its daily min-max band [``unit``]."""
    data = []
    for i, column in enumerate(frame.columns):
        daily = frame[column].resample("D")
        low, mean, high = daily.min(), daily.mean(), daily.max()
        colour = _NEW_COLOURS[i % len(_NEW_COLOURS)]
        x = _x(mean.index)
        data += [
            {"type": "scatter", "mode": "lines", "x": x, "y": values(high, 1), "line": {"width": 0},
             "showlegend": False, "hoverinfo": "skip", "legendgroup": column},
            {"type": "scatter", "mode": "lines", "x": x, "y": values(low, 1), "line": {"width": 0}, "fill": "tonexty",
             "fillcolor": colour + "1a", "showlegend": False, "hoverinfo": "skip", "legendgroup": column},
            {"type": "scatter", "mode": "lines", "name": f"{column} (daily mean)", "x": x, "y": values(mean, 1),
             "line": {"color": colour}, "legendgroup": column,
             "hovertemplate": f"%{{x|%d %b}}: %{{y:,.0f}} {unit}<extra>{column}</extra>"},
        ]
    return {"data": data, "layout": _layout(title, "", f"{quantity} [{unit}]")}


def stacked_bars(frame: pd.DataFrame, unit: str, quantity: str, title: str, horizontal: bool = False,
                 colours: Mapping[str, str] | None = None) -> Figure:
    """Bars per index entry, one stacked trace per column (negative values below zero) [``unit``]."""
    data = []
    for column in frame.columns:
        trace = {"type": "bar", "name": str(column), "hovertemplate": f"%{{{'y' if horizontal else 'x'}}}: "
                 f"%{{{'x' if horizontal else 'y'}:,.2f}} {unit}<extra>{column}</extra>"}
        if colours and column in colours:
            trace["marker"] = {"color": colours[column]}
        labels, numbers = list(map(str, frame.index)), values(frame[column], 4)
        trace.update({"orientation": "h", "y": labels, "x": numbers} if horizontal else {"x": labels, "y": numbers})
        data.append(trace)
    axis = f"{quantity} [{unit}]"
    layout = _layout(title, axis if horizontal else "", "" if horizontal else axis, barmode="relative")
    return {"data": data, "layout": layout}


def heatmap(table: pd.DataFrame, unit: str, x_title: str, title: str) -> Figure:
    """A heatmap of ``table`` (rows on y, columns on x) [``unit``]."""
    trace = {"type": "heatmap", "z": [values(r, 1) for r in table.to_numpy()], "x": list(map(str, table.columns)),
             "y": list(map(str, table.index)), "colorscale": "Viridis", "colorbar": {"title": {"text": unit}},
             "hovertemplate": f"%{{y}}, %{{x}}: %{{z:,.0f}} {unit}<extra></extra>"}
    layout = _layout(title, x_title, "")
    layout["yaxis"]["autorange"] = "reversed"
    return {"data": [trace], "layout": layout}


def lines(frame: pd.DataFrame, unit: str, quantity: str, x_title: str, title: str, markers: bool = False) -> Figure:
    """One line per column against the index [``unit``]."""
    x = _x(frame.index) if isinstance(frame.index, pd.DatetimeIndex) else values(frame.index.to_numpy(dtype=float), 3)
    data = [{"type": "scatter", "mode": "lines+markers" if markers else "lines", "name": str(c), "x": x,
             "y": values(frame[c], 3), "hovertemplate": f"%{{x}}: %{{y:,.2f}} {unit}<extra>{c}</extra>"}
            for c in frame.columns]
    return {"data": data, "layout": _layout(title, x_title, f"{quantity} [{unit}]", hovermode="x unified")}
