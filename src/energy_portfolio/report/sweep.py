"""The sweep report: how many scenarios completed, the best ones, metrics against parameters.

Built from the sweep's results table (one row per scenario, the varied fields and the metrics
as columns, ``status`` and ``error``), so it needs nothing from the sweep machinery itself.
Totals and rankings only ever cover the completed scenarios, and the report says how many of
how many those are. Metrics are shown with the labels, units and display scale of
``config/metrics.py`` (the registry ``compare`` uses too); the ranking treats scenarios whose
``rank_by`` differs by less than its numerical tolerance (``MetricInfo.tolerance``) as tied and
says so, so solver noise is never presented as a finding; tables are split so that they fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config.metrics import LP_TOLERANCE, MetricInfo, Tolerance, format_shown, metric_info
from . import plots
from .document import Chart, Document, Section, Table

__all__ = ["SweepReportInputs", "parameter_title", "rank_with_ties", "sweep_document"]

_MAX_GROUPS = 8
_METRICS_PER_TABLE = 4
"""Metric columns per table: with the scenario and up to three parameters, a table fits a page."""


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
    dispatch_tolerance : Tolerance
        Of the base portfolio's dispatch: an LP's by default, the MIP gap with unit commitment.
    """

    name: str
    description: str
    table: pd.DataFrame
    parameters: Sequence[str]
    metrics: Sequence[str]
    rank_by: str
    rank_order: str
    best: int
    dispatch_tolerance: Tolerance = LP_TOLERANCE
    """Tolerance of the dispatch's figures in the base portfolio (``config.metrics.dispatch_tolerance``)."""


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def _frame_table(frame: pd.DataFrame, caption: str) -> Table:
    return Table(tuple(frame.columns), tuple(tuple(_cell(v) for v in row) for row in frame.itertuples(index=False)),
                 caption)


def _info(path: str) -> MetricInfo:
    return metric_info(path)


def _shown(ok: pd.DataFrame, metric: str) -> pd.Series:
    """A metric's column in its display unit (GWh, %, million USD)."""
    return ok[metric] * _info(metric).scale


def parameter_title(path: str) -> str:
    """A varied field as words: ``sites.fuzuli_bess.energy_mwh`` -> ``fuzuli_bess: energy [MWh]``."""
    parts = path.split(".")
    leaf = parts[-1]
    suffix, unit = next(((s, u) for s, u in _FIELD_UNITS if leaf.endswith(s) and len(leaf) > len(s)), ("", ""))
    words = (leaf[: -len(suffix)] if suffix else leaf).replace("_", " ")
    owner = parts[1] if parts[0] == "sites" and len(parts) > 2 else ".".join(parts[:-1])
    label = words + (f" [{unit}]" if unit else "")
    return f"{owner}: {label}" if owner else label


_FIELD_UNITS = (("_usd_per_kwh", "USD/kWh"), ("_usd_per_kw_year", "USD/kW/yr"), ("_usd_per_kw", "USD/kW"),
                ("_usd_per_mwh", "USD/MWh"), ("_mwh", "MWh"), ("_mw", "MW"), ("_usd", "USD"), ("_years", "years"),
                ("_year", ""), ("_m", "m"), ("_h", "h"))


def _shown_table(frame: pd.DataFrame, parameters: Sequence[str], metrics: Sequence[str], caption: str,
                 lead: Sequence[str] = ("scenario_id",)) -> Table:
    """Scenario rows with parameters and metrics titled in words and units, metrics in their display unit."""
    header = (*lead, *(parameter_title(p) for p in parameters), *(_info(m).title for m in metrics))
    rows = []
    for _, row in frame.iterrows():
        cells = [_cell(row[c]) for c in lead] + [_cell(row[p]) for p in parameters]
        for m in metrics:
            info, value = _info(m), row[m]
            cells.append("-" if value is None or pd.isna(value) else format_shown(float(value) * info.scale,
                                                                                   info.decimals))
        rows.append(tuple(cells))
    return Table(header, tuple(rows), caption)


def _split_tables(frame: pd.DataFrame, parameters: Sequence[str], metrics: Sequence[str], caption: str,
                  lead: Sequence[str] = ("scenario_id",)) -> list[Table]:
    """The same rows as tables of at most :data:`_METRICS_PER_TABLE` metrics each, so that each fits."""
    chunks = [metrics[i:i + _METRICS_PER_TABLE] for i in range(0, len(metrics), _METRICS_PER_TABLE)] or [[]]
    return [_shown_table(frame, parameters, chunk, caption + (f" ({i + 1} of {len(chunks)})" if len(chunks) > 1
                                                               else ""), lead)
            for i, chunk in enumerate(chunks)]


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


def rank_with_ties(values: pd.Series, highest_first: bool, tolerance: Tolerance) -> pd.Series:
    """Ranks 1, 2, ... of ``values`` (best first), equal for values within ``tolerance`` of each other.

    Sorted best first, a value starts a new rank only when it differs from the first value of the
    current rank by more than the tolerance (``Tolerance.same``): differences below it are solver
    noise, and noise ranks nobody above anybody. Ranks are dense (1, 1, 2, ...).
    """
    ordered = values.sort_values(ascending=not highest_first, kind="stable")
    ranks, rank, head = {}, 0, None
    for index, value in ordered.items():
        if head is None or not tolerance.same(float(head), float(value)):
            rank, head = rank + 1, value
        ranks[index] = rank
    return pd.Series(ranks, dtype=int).reindex(ordered.index)


def _tolerance_words(tolerance: Tolerance) -> str:
    return f"{tolerance.rel:.0e} relative" if tolerance.rel < 1e-3 else f"{tolerance.rel:.2%} relative"


def _best_section(inputs: SweepReportInputs, ok: pd.DataFrame) -> Section:
    info = _info(inputs.rank_by)
    tolerance = info.tolerance(inputs.dispatch_tolerance)
    ranked = ok.dropna(subset=[inputs.rank_by])
    ranks = rank_with_ties(ranked[inputs.rank_by].astype(float), inputs.rank_order == "highest", tolerance)
    ranked = ranked.loc[ranks.index].assign(rank=ranks.to_numpy())
    tied = int((ranked["rank"] == 1).sum())
    top = ranked.head(max(inputs.best, tied))
    text = [f"The {len(top)} best of the {len(ok)} completed scenarios by {info.label} "
            f"({inputs.rank_order} first)."]
    rule = (f"Scenarios whose {info.label} differs by less than its numerical tolerance "
            f"({_tolerance_words(tolerance)}: the solver's round-off or MIP gap) share a rank: such a "
            "difference is noise, not a finding.")
    if tied > 1:
        text.append(f"{tied} scenarios tie for best within that tolerance; none of them is better than the others. "
                    + rule)
    else:
        text.append(rule)
    metrics = [inputs.rank_by, *[m for m in inputs.metrics if m != inputs.rank_by]]
    tables = _split_tables(top, inputs.parameters, metrics, "Best scenarios", ("rank", "scenario_id"))
    return Section(f"Best scenarios by {info.label}", tuple(text), tuple(tables))


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
            info = _info(metric)
            shown = ok.assign(**{metric: _shown(ok, metric)})
            values = shown[metric].dropna().abs()
            # the y axis spans at least the tolerance around the values: noise is drawn flat, not as a peak
            min_span = 2 * info.tolerance(inputs.dispatch_tolerance).rel * float(values.max()) if len(values) else 0.0
            columns = [x, *([group] if group else []), metric]
            fig = plots.sweep_chart(shown, x, metric, group, x_label=parameter_title(x), y_label=info.title,
                                    group_label=parameter_title(group) if group else None, min_span=min_span)
            caption = f"{info.label} against {parameter_title(x)}"
            charts.append(Chart(plots.figure_png(fig), caption,
                                _shown_table(ok[columns].sort_values(columns[:-1]), columns[:-1], [metric], caption,
                                             ())))
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
