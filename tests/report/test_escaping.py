"""Config text in the report is text, never markup (issue 16 item 4 of the messages).

A portfolio description and a source comment carrying table pipes, heading and emphasis marks,
backticks, a script element and a newline: report.md keeps every table intact and report.html
holds no element the config wrote.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser

import pytest

from energy_portfolio.cli import run
from energy_portfolio.report.document import Document, Section, markdown_text, render_markdown

PAYLOAD = "| # * <script>alert(1)</script> `code` [x](javascript:alert(2)) _em_"


def test_markdown_text_escapes_markup_and_line_breaks():
    text = markdown_text(PAYLOAD + "\n| a | b |\n# heading")
    assert "\n" not in text and "<" not in text
    assert re.search(r"(?<!\\)[|*#`_]", text) is None  # every markup character escaped
    assert re.search(r"(?<!\\)\](?=\()", text) is None  # no link
    assert markdown_text("site_id capacity [MW] P50/P90") == "site_id capacity [MW] P50/P90"  # plain text unchanged


def test_a_paragraph_of_config_text_cannot_start_a_list_or_break():
    doc = Document("t", "s", (Section("s", ("- item", "1. first", "---", "> quote", "AT&T &amp; O&M")),))
    text = render_markdown(doc)
    assert "\\- item" in text and "1\\. first" in text and "\\---" in text and "\\> quote" in text
    assert "AT&T &amp;amp; O&M" in text  # an ampersand is escaped only where it would make an entity


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")


def _table_rows(markdown: str) -> list[list[str]]:
    """Consecutive table lines of report.md, as lists of lines."""
    tables, current = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables + ([current] if current else [])


def test_report_of_a_portfolio_with_markup_in_its_texts(project_copy, monkeypatch, capsys):
    portfolio = project_copy / "sites" / "portfolio_energy_only.yaml"
    text = portfolio.read_text()
    description = next(line for line in text.splitlines() if line.startswith("description:"))
    escaped = PAYLOAD.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace(description, f'description: "{escaped}\\n## injected heading\\n| a | b |"')
    text = text.replace("timezone: Asia/Baku", f"timezone: Asia/Baku  # {PAYLOAD}")
    portfolio.write_text(text)
    monkeypatch.setattr(sys, "argv", ["energy-portfolio", "report", str(portfolio), "--out", "out"])
    with pytest.raises(SystemExit) as exit_info:
        run()
    assert exit_info.value.code in (0, None), capsys.readouterr().err
    markdown = (project_copy / "out" / "report.md").read_text()
    assert "\n## injected heading" not in markdown and "<script" not in markdown
    assert "&lt;script>alert(1)&lt;/script>" in markdown
    for table in _table_rows(markdown):
        pipes = {len(re.findall(r"(?<!\\)\|", line)) for line in table}
        assert len(pipes) == 1, table  # the same number of cells in every row
    page = (project_copy / "out" / "report.html").read_text()
    parser = _Elements()
    parser.feed(page)
    # the report's own two scripts (plotly.js, the figures) and table-of-contents links only
    assert parser.tags.count("script") == 2 and "<script>alert(1)" not in page
    assert parser.links and all(href.startswith("#") for href in parser.links)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
