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
