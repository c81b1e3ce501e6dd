"""Several configs side by side: which fields differ, and the key metrics with their deltas.

Pure functions over specs and summaries; running the models is the caller's business
(``run_portfolio`` for portfolios, the production models for single sites).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .config import Portfolio

__all__ = [
    "FieldDifference",
    "MetricRow",
    "flatten_config",
    "config_differences",
    "flatten_summary",
    "metric_table",
    "KEY_METRICS",
    "Comparison",
    "compare_configs",
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
# Running configs for comparison, and rendering the comparison.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Configs side by side: which fields differ, and the key metrics."""

    names: tuple[str, ...]
    differences: tuple[FieldDifference, ...]
    metrics: tuple[MetricRow, ...]


def _config_key(config: BaseModel | Portfolio) -> str:
    return repr(sorted((k, repr(v)) for k, v in flatten_config(config).items()))


def compare_configs(paths: Sequence[Path], progress=None) -> Comparison:
    """Load, run and compare site or portfolio configs.

    Portfolios run in full (production, dispatch, economics); solar and wind sites run their
    production model on their own weather; battery and grid files are compared field by
    field only. Configs with identical inputs (fields and file contents) are run once.

    Raises
    ------
    InputError
        When portfolios are mixed with site files, or a config is invalid.
    """
    from .config import load_portfolio, read_config
    from .config.load import display_path
    from .errors import InputError
    from .portfolio import run_portfolio, run_site

    step = progress or (lambda name: None)
    loaded = [read_config(p) for p in paths]
    kinds = [entry.spec.kind for entry in loaded]
    if "portfolio" in kinds and set(kinds) != {"portfolio"}:
        raise InputError("compare: give only portfolio configs or only site configs, found " + ", ".join(kinds))
    configs: list[BaseModel | Portfolio] = []
    summaries: list[dict[str, Any]] = []
    cache: dict[str, dict[str, Any]] = {}
    for path, entry in zip(paths, loaded, strict=True):
        config = load_portfolio(path) if entry.spec.kind == "portfolio" else entry.spec
        configs.append(config)
        key = _config_key(config)
        if key not in cache:
            step(f"running {display_path(path)}")
            if isinstance(config, Portfolio):
                cache[key] = run_portfolio(config).metrics()
            elif entry.spec.kind in ("solar", "wind"):
                production = run_site(entry.spec).production
                cache[key] = {"site": production.summary()}
            else:
                cache[key] = {}
        summaries.append(cache[key])
    names = tuple(display_path(p) for p in paths)
    return Comparison(names, tuple(config_differences(configs)), tuple(metric_table(summaries)))


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:+.2f} %"


def _metric_rows(comparison: Comparison) -> list[list[str]]:
    out = []
    for row in comparison.metrics:
        cells = [row.path, *(_fmt(v) for v in row.values)]
        for delta, rel in zip(row.deltas, row.relative_deltas, strict=True):
            cells += [_fmt(delta), _pct(rel)]
        out.append(cells)
    return out


def _metric_header(comparison: Comparison) -> list[str]:
    header = ["metric", *comparison.names]
    for name in comparison.names[1:]:
        header += [f"delta {name}", f"delta % {name}"]
    return header


def render_comparison(comparison: Comparison, fmt: str) -> str:
    """The comparison as ``table`` (plain text), ``json``, ``csv`` or ``html``."""
    import csv
    import io
    import json

    if fmt == "json":
        doc = {
            "configs": list(comparison.names),
            "differences": [{"field": d.path, "values": [_json(v) for v in d.values]} for d in comparison.differences],
            "metrics": [
                {
                    "metric": r.path,
                    "values": list(r.values),
                    "deltas": list(r.deltas),
                    "relative_deltas": list(r.relative_deltas),
                }
                for r in comparison.metrics
            ],
        }
        return json.dumps(doc, indent=2, allow_nan=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["section", *_metric_header(comparison)])
        for d in comparison.differences:
            writer.writerow(["field", d.path, *(_fmt(v) for v in d.values)])
        for cells in _metric_rows(comparison):
            writer.writerow(["metric", *cells])
        return buffer.getvalue()
    fields = [[d.path, *(_fmt(v) for v in d.values)] for d in comparison.differences]
    if fmt == "html":
        from .report.document import Document, Section, Table, render_html

        doc = Document(
            "energy-portfolio comparison",
            " vs ".join(comparison.names),
            (
                Section(
                    "Fields that differ",
                    () if fields else ("The configs do not differ.",),
                    (Table(("field", *comparison.names), tuple(map(tuple, fields))),) if fields else (),
                ),
                Section(
                    "Key metrics",
                    ("Differences are against the first config.",),
                    (Table(tuple(_metric_header(comparison)), tuple(map(tuple, _metric_rows(comparison)))),),
                ),
            ),
        )
        return render_html(doc)
    lines = ["Fields that differ:"]
    lines += _text_table(["field", *comparison.names], fields) if fields else ["  (none)"]
    lines += ["", "Key metrics (differences against the first config):"]
    lines += _text_table(_metric_header(comparison), _metric_rows(comparison)) if comparison.metrics else ["  (none)"]
    return "\n".join(lines) + "\n"


def _json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _text_table(header: list[str], body: list[list[str]]) -> list[str]:
    widths = [max(len(str(c)) for c in column) for column in zip(header, *body, strict=False)]

    def line(cells):
        return "  " + "  ".join(
            str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=False))
        )

    return [line(header), "  " + "  ".join("-" * w for w in widths), *(line(r) for r in body)]
