"""The sweep report: how many scenarios completed, the best ones, metrics against parameters.

Built from the sweep's results table (one row per scenario, the varied fields and the metrics
as columns, ``status`` and ``error``), so it needs nothing from the sweep machinery itself.
Totals and rankings only ever cover the completed scenarios, and the report says how many of
how many those are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import plots
from .document import Chart, Document, Section, Table

__all__ = ["SweepReportInputs", "sweep_document"]

_MAX_GROUPS = 8


@dataclass(frozen=True)
class SweepReportInputs:
    """What the sweep report shows.

    Attributes
    ----------
    name, description : str
        The sweep's name and description.
    table : pandas.DataFrame
        The results table.
    parameters, metrics : sequence of str
        Column names of the varied fields and of the metrics.
    rank_by : str
        The metric the best scenarios are ranked by; ``highest`` or ``lowest`` first as ``rank_order`` says.
    best : int
        How many scenarios the ranking lists.
    """

    name: str
    description: str
    table: pd.DataFrame
    parameters: Sequence[str]
    metrics: Sequence[str]
    rank_by: str
    rank_order: str
    best: int


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def _frame_table(frame: pd.DataFrame, caption: str) -> Table:
    return Table(tuple(frame.columns), tuple(tuple(_cell(v) for v in row) for row in frame.itertuples(index=False)),
                 caption)


def status_line(table: pd.DataFrame) -> str:
    """``N of M scenarios complete`` with the number failed."""
    complete = int((table["status"] == "ok").sum())
    failed = int((table["status"] == "failed").sum())
    return f"{complete} of {len(table)} scenarios complete" + (f", {failed} failed" if failed else "")


def _status_section(inputs: SweepReportInputs) -> Section:
    table = inputs.table
    failed = table[table["status"] != "ok"]
    paragraphs = [status_line(table) + "."]
    items: tuple[Table, ...] = ()
    if len(failed):
        paragraphs.append("Failed scenarios are left out of every chart and ranking below; their errors:")
        items = (_frame_table(failed[["scenario_id", *inputs.parameters, "error"]], "Failed scenarios"),)
    return Section("Scenarios", tuple(paragraphs), items)


def _best_section(inputs: SweepReportInputs, ok: pd.DataFrame) -> Section:
    ranked = ok.dropna(subset=[inputs.rank_by]).sort_values(
        inputs.rank_by, ascending=inputs.rank_order == "lowest", kind="stable"
    )
    top = ranked.head(inputs.best)[["scenario_id", *inputs.parameters, *inputs.metrics]]
    text = (f"The {len(top)} best of the {len(ok)} completed scenarios by {inputs.rank_by} "
            f"({inputs.rank_order} first).")
    return Section(f"Best scenarios by {inputs.rank_by}", (text,), (_frame_table(top, "Best scenarios"),))


def _numeric(frame: pd.DataFrame, column: str) -> bool:
    return pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])


def _charts(inputs: SweepReportInputs, ok: pd.DataFrame) -> list[Chart]:
    varied = [p for p in inputs.parameters if ok[p].nunique() > 1]
    charts = []
    for x in [p for p in varied if _numeric(ok, p)]:
        others = [p for p in varied if p != x and ok[p].nunique() <= _MAX_GROUPS]
        group = others[0] if len(others) == 1 else None
        for metric in inputs.metrics:
            if ok[metric].notna().sum() == 0:
                continue
            columns = [x, *([group] if group else []), metric]
            fig = plots.sweep_chart(ok, x, metric, group)
            charts.append(Chart(plots.figure_png(fig), f"{metric} against {x}",
                                _frame_table(ok[columns].sort_values(columns[:-1]), f"{metric} against {x}")))
    return charts


def sweep_document(inputs: SweepReportInputs) -> Document:
    """The sweep report as a Document (render with ``render_html`` / ``render_markdown``)."""
    ok = inputs.table[inputs.table["status"] == "ok"].copy()
    for metric in inputs.metrics:
        ok[metric] = pd.to_numeric(ok[metric], errors="coerce")
    sections = [_status_section(inputs)]
    if len(ok):
        sections.append(_best_section(inputs, ok))
        charts = _charts(inputs, ok)
        note = ("Each point is a completed scenario; where two fields vary, one line per value of the "
                "second." if charts else "No numeric field takes more than one value among the completed scenarios.")
        sections.append(Section("Metrics against parameters", (note,), tuple(charts)))
    subtitle = f"{inputs.description} ({status_line(inputs.table)})" if inputs.description else status_line(
        inputs.table)
    return Document(f"Sweep {inputs.name}", subtitle, tuple(sections))
