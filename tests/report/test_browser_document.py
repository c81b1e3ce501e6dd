"""A rendered document with real charts opens in headless Chromium cleanly and offline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy_portfolio.report import plots
from energy_portfolio.report.document import Chart, Document, Section, Table, render_html
from energy_portfolio.timeseries import hourly_year

from .browser import open_page, skip_reason

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


def test_document_renders_in_chromium_with_no_errors_and_no_network(tmp_path):
    index = hourly_year(2030, "Asia/Baku")
    power = pd.Series(np.clip(np.sin((index.hour - 6) / 12 * np.pi), 0, None) * 100.0, index=index)
    charts = [
        Chart(plots.figure_png(plots.month_hour_heatmap(power, "heatmap"), dpi=50), "heatmap [MW]"),
        Chart(plots.figure_png(plots.duration_curve_chart(power, "power [MW]", "duration"), dpi=50), "duration"),
    ]
    doc = Document("Test report", "sub", (Section("Figures", ("text",), (Table(("a",), (("1",),)), *charts)),))
    page = tmp_path / "report.html"
    page.write_text(render_html(doc))
    result = open_page(page, tmp_path / "screenshot.png")
    assert result.console_errors == []
    assert result.images == 2 and result.broken_images == 0
    assert all(url.startswith(("file:", "data:")) for url in result.requests), result.requests
    assert (tmp_path / "screenshot.png").stat().st_size > 1000
