"""Several configs side by side: which fields differ, and what changes in their results.

:func:`compare_configs` loads and runs the configs (portfolios through ``run_portfolio``, sharing
what they have in common; solar and wind sites through their production model and their economics
alone) and returns a :class:`Comparison`: the fields that differ and a tidy frame of every figure
(:func:`compare_metrics`), each with its label, unit and group from ``config/metrics.py`` and
judged changed or not against its numerical tolerance (``MetricInfo.tolerance``). The terminal
tables are here (:func:`comparison_tables`); the HTML page is ``report/comparison.py``'s, which
takes the same frame (the CLI hands it over: report and compare do not import each other).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from .config import Portfolio
from .config.metrics import LP_TOLERANCE, Tolerance, dispatch_tolerance, format_change, format_shown, metric_info

__all__ = [
    "FieldDifference",
    "MetricRow",
    "flatten_config",
    "config_differences",
    "flatten_summary",
    "metric_table",
    "KEY_METRICS",
    "COLUMNS",
    "Comparison",
    "compare_configs",
    "compare_metrics",
    "comparison_tables",
    "render_comparison",
]

KEY_METRICS = (
    "annual_energy_mwh",
    "capacity_factor",
    "specific_yield_kwh_per_kwp",
    "p50_mwh",
    "p90_mwh",
    "delivered_mwh",
    "curtailed_mwh",
    "lcoe_usd_per_mwh",
    "npv_usd",
    "demand_mwh",
    "renewable_share",
    "curtailment_mwh",
    "unserved_mwh",
    "export_mwh",
    "gas_burn_mcm",
    "gas_saved_mcm",
    "co2_t",
    "co2_avoided_t",
    "objective_usd",
    "charge_mwh",
    "discharge_mwh",
    "equivalent_full_cycles",
)
"""Summary keys shown by ``compare`` (wherever they occur in the summary tree)."""


@dataclass(frozen=True)
class FieldDifference:
    """A config field whose value differs between configs (``values`` in config order)."""

    path: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class MetricRow:
    """One metric across configs, with differences against the first config."""

    path: str
    values: tuple[float | None, ...]

    @property
    def deltas(self) -> tuple[float | None, ...]:
        base = self.values[0]
        return tuple(None if base is None or v is None else v - base for v in self.values[1:])

    @property
    def relative_deltas(self) -> tuple[float | None, ...]:
        """Differences as fractions of the first value; None where it is 0 or missing."""
        base = self.values[0]
        return tuple(None if base in (None, 0) or d is None else d / abs(base) for d in self.deltas)


@lru_cache(maxsize=256)
def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _plain(value: Any) -> Any:
    """Paths become ``name (sha256 prefix)``, so moving a file is no difference, editing it is."""
    if isinstance(value, Path):
        return f"{value.name} ({_file_digest(value)})" if value.is_file() else value.name
    return value


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _flatten(getattr(value, name), f"{prefix}.{name}" if prefix else name, out)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, (tuple, list)) and any(isinstance(v, (BaseModel, Mapping)) for v in value):
        for i, item in enumerate(value):
            label = getattr(item, "id", None)
            _flatten(item, f"{prefix}[{label if label is not None else i}]", out)
    else:
        out[prefix] = _plain(value) if not isinstance(value, (tuple, list)) else tuple(_plain(v) for v in value)


def flatten_config(config: BaseModel | Portfolio) -> dict[str, Any]:
    """Dotted field paths -> values of a spec or of a whole portfolio.

    A portfolio is flattened as ``portfolio.*`` (its own fields, site entries by site id
    and zone), ``grid.*`` and ``sites.<id>.*`` (each site's spec), so two portfolios that
    point to different files with the same content do not differ.
    """
    out: dict[str, Any] = {}
    if isinstance(config, Portfolio):
        spec = config.spec
        for name in type(spec).model_fields:
            if name in ("sites", "grid"):
                continue
            _flatten(getattr(spec, name), f"portfolio.{name}", out)
        for site in config.sites:
            out[f"portfolio.sites[{site.id}].zone"] = config.zones[site.id]
            _flatten(site, f"sites.{site.id}", out)
        _flatten(config.grid, "grid", out)
    else:
        _flatten(config, "", out)
    return out


def _differ(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return not math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    return a != b


def config_differences(configs: Sequence[BaseModel | Portfolio]) -> list[FieldDifference]:
    """Fields whose values are not the same in every config (missing fields shown as None)."""
    flats = [flatten_config(c) for c in configs]
    paths: list[str] = []
    for flat in flats:
        paths.extend(p for p in flat if p not in paths)
    diffs = []
    for path in paths:
        values = tuple(flat.get(path) for flat in flats)
        if any(_differ(values[0], v) for v in values[1:]):
            diffs.append(FieldDifference(path, values))
    return diffs


def flatten_summary(summary: Mapping[str, Any], keys: Sequence[str] = KEY_METRICS) -> dict[str, float]:
    """Numeric leaves of a summary whose key is in ``keys``, by dotted path."""
    out: dict[str, float] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, Mapping):
            for key, item in node.items():
                walk(item, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            if prefix.rsplit(".", 1)[-1] in keys:
                out[prefix] = float(node)

    walk(summary, "")
    return out


def metric_table(summaries: Sequence[Mapping[str, Any]], keys: Sequence[str] = KEY_METRICS) -> list[MetricRow]:
    """Key metrics of several summaries side by side, in the order of the first summary."""
    flats = [flatten_summary(s, keys) for s in summaries]
    paths: list[str] = []
    for flat in flats:
        paths.extend(p for p in flat if p not in paths)
    return [MetricRow(path, tuple(flat.get(path) for flat in flats)) for path in paths]


# --------------------------------------------------------------------------------------
# Every figure of several runs, judged against its tolerance.
# --------------------------------------------------------------------------------------

COLUMNS = ("group", "metric", "label", "unit", "decimals", "against", "a", "b", "delta", "relative", "changed",
           "status")
"""Columns of :attr:`Comparison.table`: one row per figure and config after the first (``against``).

``a`` (the first config) and ``b`` are in ``unit`` (as shown: GWh, %, million USD), text for a text
figure; ``delta = b - a`` in ``unit``; ``relative = delta / |a|`` (a fraction, NaN where ``a`` is 0 or
text); ``changed`` is False when the two are the same within the figure's tolerance; ``status`` is
``changed``, ``no change``, ``only in a``, ``only in b`` or ``not compared`` (the solver's seconds).
"""

_GROUP_ORDER = {"system": 1, "economics": 2}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _row(path: str, a: Any, b: Any, against: str, site_kinds: Mapping[str, str], dispatch: Tolerance) -> dict:
    info = metric_info(path, site_kinds)
    tolerance = info.tolerance(dispatch)
    base = {"group": info.group, "metric": path, "label": info.label, "unit": info.unit, "decimals": info.decimals,
            "against": against}
    if _number(a) and _number(b):
        delta = float(b) - float(a)
        relative = delta / abs(float(a)) if a != 0 else math.nan
        same = tolerance.same(float(a), float(b))
        status = "not compared" if not tolerance.compared else "no change" if same else "changed"
        return base | {"a": info.shown(float(a)), "b": info.shown(float(b)), "delta": info.shown(delta),
                       "relative": relative, "changed": not same, "status": status}
    if (a is None) != (b is None):  # missing, or undefined (an IRR of a project never repaid), in one run
        status = "only in a" if b is None else "only in b"
    else:
        status = "no change" if a == b else "changed"
    shown = [info.shown(float(v)) if _number(v) else v for v in (a, b)]
    return base | {"a": shown[0], "b": shown[1], "delta": math.nan, "relative": math.nan,
                   "changed": status != "no change", "status": status}


def compare_metrics(
    metrics: Sequence[Mapping[str, Any]],
    names: Sequence[str],
    site_kinds: Mapping[str, str] | None = None,
    dispatch: Tolerance | None = None,
) -> pd.DataFrame:
    """Every figure of several runs against the first, as a tidy frame of :data:`COLUMNS`.

    Parameters
    ----------
    metrics : sequence of mapping
        Each run's figures by dotted summary.json path (``PortfolioResult.metrics()``).
    names : sequence of str
        The runs' names, in the same order.
    site_kinds : mapping, optional
        Site id -> kind, which tells a storage site's figures (from the dispatch) from a generating
        site's (from its production model): ``metric_info``.
    dispatch : Tolerance, optional
        The tolerance of dispatch figures (``config.metrics.dispatch_tolerance``); by default that of
        an LP.

    Rows go site by site (in the order the first run lists them), then the system, then the
    portfolio's economics; within a group in summary.json order.
    """
    tolerance = dispatch or LP_TOLERANCE
    kinds = dict(site_kinds or {})
    paths: list[str] = []
    for flat in metrics:
        paths.extend(p for p in flat if p not in paths)
    rows = [_row(path, metrics[0].get(path), other.get(path), name, kinds, tolerance)
            for other, name in zip(metrics[1:], names[1:], strict=True) for path in paths]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = frame.astype({"changed": bool, "delta": float, "relative": float, "decimals": int})
    sites = list(dict.fromkeys(g for g in frame["group"] if g.startswith("site ")))
    order = frame["group"].map(lambda g: (0, sites.index(g)) if g in sites else (_GROUP_ORDER.get(g, 3), 0))
    return frame.iloc[sorted(range(len(frame)), key=lambda i: order.iloc[i])].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Running configs for comparison.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Configs side by side.

    Attributes
    ----------
    names : tuple of str
        The configs as given (display paths).
    differences : tuple of FieldDifference
        The config fields that differ.
    table : pandas.DataFrame
        Every figure, :data:`COLUMNS`.
    tolerance_note : str
        The tolerances applied, in words (what "no change" means).
    computed, reused : dict
        Sub-results computed and handed out again instead of being computed (``SharedRuns``):
        kind -> count.
    """

    names: tuple[str, ...]
    differences: tuple[FieldDifference, ...]
    table: pd.DataFrame
    tolerance_note: str
    computed: Mapping[str, int]
    reused: Mapping[str, int]

    @property
    def changed(self) -> pd.DataFrame:
        """The rows of figures that change."""
        return self.table[self.table["changed"]].reset_index(drop=True)

    @property
    def metrics(self) -> tuple[MetricRow, ...]:
        """The numeric figures as :class:`MetricRow` (values in the stored units of summary.json)."""
        rows = []
        for path, part in self.table.groupby("metric", sort=False):
            info = metric_info(str(path))
            first = part.iloc[0]
            values = [first["a"], *part["b"]]
            if all(v is None or _number(v) for v in values):
                rows.append(MetricRow(str(path), tuple(None if v is None else v / info.scale for v in values)))
        return tuple(rows)


def _config_key(config: BaseModel | Portfolio) -> str:
    return repr(sorted((k, repr(v)) for k, v in flatten_config(config).items()))


def _tolerance_note(tolerance: Tolerance) -> str:
    from .config.metrics import DISPATCH_LP_REL_TOL, PRODUCTION_TOLERANCE

    dispatch = (f"{tolerance.rel:.2%} relative for the dispatch's figures (the MIP gap of its unit commitment)"
                if tolerance.rel > DISPATCH_LP_REL_TOL else
                f"{tolerance.rel:.0e} relative for the dispatch's figures (LP round-off)")
    return (f"A figure counts as changed when it differs by more than {dispatch}, "
            f"{PRODUCTION_TOLERANCE.rel:.0e} relative for the production models' figures, and at all for figures "
            "taken from the inputs; below that it shows as no change.")


def _run_portfolios(portfolios: Sequence[Portfolio], step) -> tuple[list[dict[str, Any]], Any]:
    """Each portfolio's metrics, the runs side by side on threads sharing their common sub-results."""
    from concurrent.futures import ThreadPoolExecutor

    from .portfolio import SharedRuns, run_portfolio

    shared = SharedRuns()
    step(f"running {len(portfolios)} portfolio{'s' if len(portfolios) > 1 else ''} side by side "
         "(shared production and dispatch without the portfolio computed once)")
    with ThreadPoolExecutor(max_workers=len(portfolios), thread_name_prefix="compare") as pool:
        futures = [pool.submit(run_portfolio, p, production_cache=shared) for p in portfolios]
        return [f.result().metrics() for f in futures], shared


def compare_configs(paths: Sequence[Path], progress=None) -> Comparison:
    """Load, run and compare site or portfolio configs.

    Portfolios run in full (production, dispatch, economics), side by side, sharing what they have
    in common (:class:`~.portfolio.SharedRuns`: the production of an unchanged site, the dispatch
    without the portfolio when its inputs are the same); solar and wind sites run their production
    model on their own weather and their economics alone (``site_alone_metrics``), under the first
    config's site id; battery and grid files are compared field by field only. Configs with
    identical inputs (fields and file contents) are run once.

    Raises
    ------
    InputError
        When portfolios are mixed with site files, or a config is invalid.
    """
    from .config import load_portfolio, read_config
    from .config.load import display_path
    from .errors import InputError
    from .portfolio import run_site, site_alone_metrics

    step = progress or (lambda name: None)
    loaded = [read_config(p) for p in paths]
    kinds = [entry.spec.kind for entry in loaded]
    if "portfolio" in kinds and set(kinds) != {"portfolio"}:
        raise InputError("compare: give only portfolio configs or only site configs, found " + ", ".join(kinds))
    configs = [load_portfolio(path) if entry.spec.kind == "portfolio" else entry.spec
               for path, entry in zip(paths, loaded, strict=True)]
    keys = [_config_key(c) for c in configs]
    unique = {key: config for key, config in zip(keys, configs, strict=True)}
    computed: Mapping[str, int] = {}
    reused: Mapping[str, int] = {}
    site_kinds: dict[str, str] = {}
    tolerance = LP_TOLERANCE
    if kinds[0] == "portfolio":
        runs, shared = _run_portfolios(list(unique.values()), step)
        by_key = dict(zip(unique, runs, strict=True))
        computed, reused = dict(shared.computed), dict(shared.reused)
        for portfolio in configs:
            site_kinds.update({s.id: s.kind for s in portfolio.sites})
            candidate = dispatch_tolerance(portfolio.spec.options.dispatch)
            tolerance = candidate if candidate.rel > tolerance.rel else tolerance
    else:
        site_id = configs[0].id
        by_key = {}
        for key, spec in unique.items():
            step(f"running site {spec.id}")
            block = site_alone_metrics(run_site(spec)) if spec.kind in ("solar", "wind") else {}
            by_key[key] = {f"sites.{site_id}.{k}": v for k, v in _flat(block).items()}
        site_kinds[site_id] = configs[0].kind
    names = tuple(display_path(p) for p in paths)
    metrics = [by_key[key] for key in keys]
    table = compare_metrics(metrics, names, site_kinds, tolerance)
    return Comparison(names, tuple(config_differences(configs)), table, _tolerance_note(tolerance), computed, reused)


def _flat(block: Mapping[str, Any]) -> dict[str, Any]:
    from .portfolio import flatten

    return flatten(block)


# --------------------------------------------------------------------------------------
# Rendering.
# --------------------------------------------------------------------------------------


def _shown_cell(value: Any, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return format_shown(value, decimals) if _number(value) else str(value)


def _change_cells(row: Any) -> tuple[str, str]:
    """The delta and relative change of a row as shown, or ``no change``."""
    if row.status != "changed":
        return (row.status, "")
    if isinstance(row.delta, float) and math.isnan(row.delta):
        return ("changed", "")
    relative = "" if math.isnan(row.relative) else f"{row.relative * 100:+.3g} %"
    return (format_change(row.delta, row.decimals), relative)


def _rows(comparison: Comparison, show_all: bool) -> pd.DataFrame:
    table = comparison.table
    return table if show_all else table[table["changed"]]


def comparison_tables(comparison: Comparison, show_all: bool = False) -> list[Any]:
    """rich tables: the fields that differ, then per group (site, system, economics) the figures.

    Only the figures that change unless ``show_all``; each with its unit; a change within the
    figure's tolerance shows as ``no change``.
    """
    from rich.table import Table

    out: list[Any] = []
    fields = Table(title="Fields that differ", title_justify="left")
    fields.add_column("field", overflow="fold")
    for name in comparison.names:
        fields.add_column(name, overflow="fold")
    for d in comparison.differences:
        fields.add_row(d.path, *(_fmt(v) for v in d.values))
    if not comparison.differences:
        fields.add_row("(none: the configs are the same)", *("" for _ in comparison.names))
    out.append(fields)
    rows = _rows(comparison, show_all)
    single = len(comparison.names) == 2
    for group, part in rows.groupby("group", sort=False):
        table = Table(title=str(group), title_justify="left")
        table.add_column("figure", overflow="fold")
        table.add_column("unit")
        table.add_column(comparison.names[0], justify="right")
        if not single:
            table.add_column("against")
        table.add_column("other" if not single else comparison.names[1], justify="right")
        table.add_column("change", justify="right")
        table.add_column("%", justify="right")
        for row in part.itertuples(index=False):
            change, relative = _change_cells(row)
            cells = [row.label, row.unit, _shown_cell(row.a, row.decimals)]
            cells += [] if single else [str(row.against)]
            style = "bold" if row.status == "changed" else "dim"
            table.add_row(*cells, _shown_cell(row.b, row.decimals), change, relative, style=style)
        out.append(table)
    if rows.empty:
        out.append("No figure changes beyond its tolerance.")
    hidden = int((~comparison.table["changed"]).sum())
    if hidden and not show_all:
        out.append(f"{hidden} figures show no change and are not listed (--all lists every one).")
    out.append(comparison.tolerance_note)
    return out


def render_comparison(comparison: Comparison, fmt: str, show_all: bool = False) -> str:
    """The comparison as ``table`` (plain text of :func:`comparison_tables`), ``json`` or ``csv``.

    JSON and CSV carry every figure (``changed`` says which change; the CSV's first rows, of group
    ``config field``, are the fields that differ); the HTML page is ``report.comparison``'s.
    """
    import io
    import json

    if fmt == "json":
        doc = {
            "configs": list(comparison.names),
            "differences": [{"field": d.path, "values": [_json(v) for v in d.values]} for d in comparison.differences],
            "tolerance": comparison.tolerance_note,
            "metrics": [{k: _json_cell(v) for k, v in row.items()} for row in comparison.table.to_dict("records")],
        }
        return json.dumps(doc, indent=2, allow_nan=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        fields = pd.DataFrame([{"group": "config field", "metric": d.path, "against": name, "a": _fmt(d.values[0]),
                                "b": _fmt(value), "changed": True, "status": "changed"}
                               for d in comparison.differences
                               for name, value in zip(comparison.names[1:], d.values[1:], strict=True)],
                              columns=list(COLUMNS))
        frame = comparison.table if fields.empty else pd.concat([fields, comparison.table], ignore_index=True)
        frame.to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue()
    from rich.console import Console

    console = Console(record=True, width=110, file=io.StringIO(), highlight=False)
    for item in comparison_tables(comparison, show_all):
        console.print(item)
    return console.export_text()


def _json_cell(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return _json(value)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def _json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
