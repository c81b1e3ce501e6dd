"""The contents of a report folder (DESIGN.md, Report folder) as text, ready for the writer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .build import ProductionCharts, build_document
from .document import render_html, render_markdown
from .summary import hourly_csv, summary_document, summary_json

if TYPE_CHECKING:
    from ..portfolio import PortfolioResult
    from ..portfolio.ranges import ScenarioComparison

__all__ = ["report_files", "summary_json", "hourly_csv"]


def report_files(
    result: PortfolioResult, charts: ProductionCharts | None = None, scenarios: ScenarioComparison | None = None
) -> dict[str, str]:
    """summary.json, report.html, report.md, hourly.csv, sensitivity.csv and ``cashflow_<site>.csv`` files.

    The manifest is written by the writer, last. ``cashflow_<site>.csv`` is the investor's cash-flow
    table of each site with an ``economics.financing`` block (``PortfolioResult.cash_flow_table``),
    one row per year of life, nominal USD.

    ``charts``: the production charts when rendered already (see ``build.production_charts``).
    ``scenarios``: named scenarios of the portfolio (``report --scenarios``); they add a section, a
    ``scenarios`` block to summary.json and ``scenarios.csv`` (one row per scenario, display units).
    """
    document = build_document(result, charts, scenarios)
    summary = summary_document(result)
    files = {
        f"cashflow_{site_id}.csv": result.cash_flow_table(site_id).to_csv(float_format="%.6g")
        for site_id in result.investor
    }
    if scenarios is not None:
        summary["scenarios"] = scenarios.summary()
        files["scenarios.csv"] = scenarios.table().to_csv(float_format="%.6g")
    if result.sensitivity is not None:  # one row per project and driver, the units in the column names
        files["sensitivity.csv"] = result.sensitivity_table().to_csv(index=False, float_format="%.10g")
    return {
        "summary.json": summary_json(summary),
        "report.html": render_html(document),
        "report.md": render_markdown(document),
        "hourly.csv": hourly_csv(result),
        **files,
    }
