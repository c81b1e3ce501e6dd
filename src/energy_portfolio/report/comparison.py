"""The comparison of configs as a page: the fields that differ, the figures that change, a chart.

Built from the comparison's tidy frame (``compare.COLUMNS``: group, metric, label, unit, decimals,
against, a, b, delta, relative, changed, status) and the fields that differ, so it needs nothing
from ``compare`` itself (report and compare are siblings that do not import each other; the CLI
hands the frame over). The same ``Document`` components as the run report: sections, tables, charts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..config.metrics import format_change, format_shown
from . import interactive, plots
from .document import Chart, Document, Section, Table

__all__ = ["ComparisonInputs", "comparison_document", "KEY_DELTAS"]

KEY_DELTAS = 12
"""How many changed figures the chart shows (the largest relative changes)."""


@dataclass(frozen=True)
class ComparisonInputs:
    """What the comparison page shows.

    Attributes
    ----------
    names : tuple of str
        The configs, the first being the one the others are compared against.
    differences : tuple
        ``(field path, (value per config, as text))`` of every config field that differs.
    table : pandas.DataFrame
        Every figure, ``compare.COLUMNS``.
    tolerance_note : str
        What "no change" means, in words.
    show_all : bool
        List the figures that do not change too.
    """

    names: tuple[str, ...]
    differences: tuple[tuple[str, tuple[str, ...]], ...]
    table: pd.DataFrame
    tolerance_note: str
    show_all: bool = False


def _cell(value: Any, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_shown(float(value), int(decimals))
    return str(value)


def _change(row: Any) -> str:
    """``▲ +12.3`` / ``▼ -4.5`` for a changed number, the status otherwise."""
    if row.status != "changed" or (isinstance(row.delta, float) and math.isnan(row.delta)):
        return row.status
    return ("▲ " if row.delta > 0 else "▼ ") + format_change(float(row.delta), int(row.decimals))


def _relative(row: Any) -> str:
    return "" if row.status != "changed" or math.isnan(row.relative) else f"{row.relative * 100:+.3g} %"


def _figure_table(part: pd.DataFrame, names: tuple[str, ...], caption: str) -> Table:
    several = len(names) > 2
    header = ("figure", "unit", names[0], *(("against",) if several else ()), "other" if several else names[1],
              "change", "change %")
    rows = tuple(
        (row.label, row.unit, _cell(row.a, row.decimals), *((str(row.against),) if several else ()),
         _cell(row.b, row.decimals), _change(row), _relative(row))
        for row in part.itertuples(index=False)
    )
    return Table(header, rows, caption)


def _group_section(group: str, part: pd.DataFrame, inputs: ComparisonInputs) -> Section:
    changed = part[part["changed"]]
    items: list[Table | Chart] = []
    if len(changed):
        items.append(_figure_table(changed, inputs.names, f"{group}: figures that change"))
    if inputs.show_all and len(changed) < len(part):
        items.append(_figure_table(part[~part["changed"]], inputs.names, f"{group}: figures with no change"))
    text = (f"{len(changed)} of {len(part)} figures change." if len(changed) else
            f"No figure changes ({len(part)} compared).")
    return Section(group[0].upper() + group[1:], (text,), tuple(items))


def _chart(table: pd.DataFrame, names: tuple[str, ...]) -> Chart | None:
    numeric = table[table["changed"] & table["relative"].notna()]
    if numeric.empty:
        return None
    top = numeric.reindex(numeric["relative"].abs().sort_values(ascending=False).index).head(KEY_DELTAS)
    labels = [f"{row.group}: {row.label}" + (f" ({row.against})" if len(names) > 2 else "")
              for row in top.itertuples(index=False)]
    pct = pd.Series((top["relative"] * 100).to_numpy(), index=labels)
    caption = f"The {len(top)} largest relative changes against {names[0]}"
    chart_table = Table(("figure", "change %"), tuple((label, f"{value:+.3g} %") for label, value in pct.items()))
    figure = interactive.stacked_bars(pct.iloc[::-1].to_frame("change"), "%", "relative change", caption,
                                      horizontal=True)
    return Chart(plots.figure_png(plots.delta_chart(pct, caption)), caption, chart_table, figure,
                 "the figures of each config's run")


def comparison_document(inputs: ComparisonInputs) -> Document:
    """The comparison as a Document (render with ``render_html`` / ``render_markdown``)."""
    table = inputs.table[inputs.table["status"] != "not compared"]
    fields = Table(("field", *inputs.names), tuple((path, *values) for path, values in inputs.differences),
                   "Config fields that differ")
    changed = int(table["changed"].sum())
    summary = [f"{changed} of {len(table)} figures change beyond their numerical tolerance; "
               + ("every figure is listed below." if inputs.show_all else "only those are listed below."),
               inputs.tolerance_note]
    chart = _chart(table, inputs.names)
    sections = [Section("What differs", tuple(summary) if inputs.differences else
                        ("The configs do not differ.", *summary),
                        (fields,) if inputs.differences else ()),
                Section("Largest changes", () if chart else ("No figure changes.",), (chart,) if chart else ())]
    sections += [_group_section(str(group), part, inputs) for group, part in table.groupby("group", sort=False)]
    return Document("energy-portfolio comparison", " vs ".join(inputs.names), tuple(sections))
