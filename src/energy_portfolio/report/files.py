"""The contents of a report folder (DESIGN.md, Report folder) as text, ready for the writer."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from .build import build_document
from .document import render_html, render_markdown

if TYPE_CHECKING:
    from ..portfolio import PortfolioResult

__all__ = ["report_files", "summary_json", "hourly_csv"]


def _clean(value: Any) -> Any:
    """JSON-ready: NaN and infinities become null (JSON has none), numpy scalars plain numbers."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def summary_json(summary: dict[str, Any]) -> str:
    """summary.json text (strict JSON: no NaN)."""
    return json.dumps(_clean(summary), indent=2, allow_nan=False) + "\n"


def hourly_csv(result: PortfolioResult) -> str:
    """hourly.csv: one row per hour (ISO 8601 with offset, interval start), units in the header."""
    frame = result.hourly
    return frame.to_csv(float_format="%.6g", date_format="%Y-%m-%dT%H:%M:%S%z")


def report_files(result: PortfolioResult) -> dict[str, str]:
    """summary.json, report.html, report.md and hourly.csv (the manifest is written by the writer, last)."""
    document = build_document(result)
    return {
        "summary.json": summary_json(result.summary),
        "report.html": render_html(document),
        "report.md": render_markdown(document),
        "hourly.csv": hourly_csv(result),
    }
