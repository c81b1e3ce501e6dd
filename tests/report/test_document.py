"""HTML is self-contained; Markdown carries every chart's numbers as a table."""

import re

from energy_portfolio.report.document import Chart, Document, Section, Table, render_html, render_markdown

PNG = b"\x89PNG\r\n\x1a\nfake"


def _doc():
    table = Table(("site", "energy [GWh]"), (("wind", "4,000"), ("a|b", "1")), "Energy")
    chart = Chart(PNG, "Monthly energy [GWh]", Table(("month", "GWh"), (("Jan", "300"),)))
    return Document("Title <x>", "sub", (Section("Key figures", ("Some & text",), (table, chart)),))


def test_html_is_self_contained_and_escaped():
    text = render_html(_doc())
    assert "data:image/png;base64," in text
    assert not re.search(r"(src|href)=['\"]https?:", text)
    assert "<script" not in text
    assert "Title &lt;x&gt;" in text and "Some &amp; text" in text


def test_markdown_has_the_chart_numbers_as_a_table():
    text = render_markdown(_doc())
    assert "| Jan | 300 |" in text
    assert "a\\|b" in text
    assert "*Chart: Monthly energy [GWh]*" in text
