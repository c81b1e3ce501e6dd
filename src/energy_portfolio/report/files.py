"""The contents of a report folder (DESIGN.md, Report folder) as text, ready for the writer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .build import ProductionCharts, build_document
from .document import render_html, render_markdown
from .summary import hourly_csv, summary_document, summary_json

if TYPE_CHECKING:
    from ..portfolio import PortfolioResult

__all__ = ["report_files", "summary_json", "hourly_csv"]


def report_files(result: PortfolioResult, charts: ProductionCharts | None = None) -> dict[str, str]:
    """summary.json, report.html, report.md and hourly.csv (the manifest is written by the writer, last).

    ``charts``: the production charts when rendered already (see ``build.production_charts``).
    """
    document = build_document(result, charts)
    return {
        "summary.json": summary_json(summary_document(result)),
        "report.html": render_html(document),
        "report.md": render_markdown(document),
        "hourly.csv": hourly_csv(result),
    }
