"""A report as data (sections of text, tables and figures) and its HTML and Markdown renderings.

Both renderings come from the same ``Document``, so report.md carries every figure's numbers
as tables and report.html the same tables plus the charts. The HTML is self-contained and makes
no external request: inline CSS, a table of contents, plotly.js inlined once in the head
(``interactive.plotly_js``) and each interactive chart's figure as inline JSON; a chart's
matplotlib PNG (when it has one) is inlined too and replaces the interactive chart in print.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Table", "Chart", "Section", "Document", "anchor_of", "markdown_text", "render_html", "render_markdown",
           "script_json"]


@dataclass(frozen=True)
class Table:
    """A table: header cells and rows of already formatted cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart with the table of the numbers it shows (for report.md).

    ``png`` is a static rendering (matplotlib; in HTML it is what prints), ``figure`` an interactive
    one (a JSON-ready plotly figure, ``{"data": [...], "layout": {...}}``, see ``interactive.py``);
    a chart has at least one of them. ``source`` says where its numbers come from; ``half`` charts
    stand two to a row on a wide screen (a pair to compare, e.g. with and without the portfolio).
    """

    png: bytes | None
    caption: str
    table: Table | None = None
    figure: Mapping[str, Any] | None = None
    source: str = ""
    half: bool = False


@dataclass(frozen=True)
class Section:
    """A titled section: generated sentences first, then tables and charts.

    ``collapsible`` sections are folded (``<details>``) in HTML; ``anchor`` is the HTML id the
    table of contents links to (default: made from the title).
    """

    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[Table | Chart, ...] = ()
    collapsible: bool = False
    anchor: str = ""


@dataclass(frozen=True)
class Document:
    """A report: title, subtitle, ``facts`` about the run shown at the top (run date, tool version...),
    an optional ``provenance`` table (the input files and their hashes) and the sections."""

    title: str
    subtitle: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    facts: tuple[tuple[str, str], ...] = ()
    provenance: Table | None = None


_CSS = """
body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0 auto;max-width:1180px;
padding:1.2rem 1.6rem;color:#1d2733;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #dfe6ee;
padding-bottom:.2rem}.subtitle{color:#5b6b7c;margin-top:0}
.facts{display:flex;flex-wrap:wrap;gap:.3rem 1.4rem;font-size:.85rem;color:#3d4b5a;margin:.4rem 0}
.facts b{font-weight:600}
nav.toc{background:#f6f8fa;border:1px solid #e3e8ee;padding:.4rem 1rem;margin:1rem 0;font-size:.9rem}
nav.toc ol{columns:2;margin:.3rem 0}nav.toc a{color:#1f5f99;text-decoration:none}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.9rem;display:block;overflow-x:auto;max-width:100%}
th,td{padding:.25rem .6rem;border-bottom:1px solid #e3e8ee;text-align:right}
th:first-child,td:first-child{text-align:left}
th{background:#f3f6f9}caption{caption-side:top;text-align:left;font-weight:600;padding:.3rem 0}
figure{margin:.8rem 0 1.4rem;break-inside:avoid}figure img{max-width:100%;height:auto}
figure .plot{width:100%;min-height:380px}figure img.print{display:none}
figcaption{color:#5b6b7c;font-size:.85rem}.source{font-style:italic}
@media screen and (min-width:900px){figure.half{display:inline-block;width:49%;vertical-align:top;margin-right:1%}}
details>summary{cursor:pointer;font-weight:600;margin:.4rem 0}
@media print{body{max-width:none;padding:0}nav.toc{display:none}h2{break-after:avoid}
figure,table{break-inside:avoid}figure.static .plot{display:none}figure.static img.print{display:block}
.modebar{display:none!important}details{display:block}details>*{display:block}}
"""


def anchor_of(section: Section, taken: set[str]) -> str:
    """The HTML id of a section: its ``anchor`` or its title made a slug, unique in the document."""
    base = section.anchor or re.sub(r"[^a-z0-9]+", "-", section.title.lower()).strip("-") or "section"
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    caption = f"<caption>{html.escape(table.caption)}</caption>" if table.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _html_chart(chart: Chart, number: int | None) -> str:
    alt = html.escape(chart.caption)
    parts = []
    if number is not None:
        parts.append(f"<div class='plot' id='plot-{number}' role='img' aria-label='{alt}'></div>")
    if chart.png is not None:
        data = base64.b64encode(chart.png).decode("ascii")
        kind = "print" if number is not None else "still"
        parts.append(f"<img class='{kind}' src='data:image/png;base64,{data}' alt='{alt}'>")
    source = f" <span class='source'>Source: {html.escape(chart.source)}</span>" if chart.source else ""
    kind = "static" if (number is not None and chart.png is not None) else "chart"
    kind += " half" if chart.half else ""
    return f"<figure class='{kind}'>{''.join(parts)}<figcaption>{alt}{source}</figcaption></figure>"


_PLOT_CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False}


def render_html(doc: Document) -> str:
    """Self-contained HTML: inline styles, plotly.js inlined once, figures as inline JSON, no external resource."""
    figures: list[Mapping[str, Any]] = []
    taken: set[str] = set()
    anchors = [anchor_of(section, taken) for section in doc.sections]
    body = [f"<h1>{html.escape(doc.title)}</h1><p class='subtitle'>{html.escape(doc.subtitle)}</p>"]
    if doc.facts:
        body.append("<div class='facts'>" + "".join(
            f"<span><b>{html.escape(k)}:</b> {html.escape(v)}</span>" for k, v in doc.facts) + "</div>")
    if doc.provenance is not None:
        body.append(f"<details><summary>{html.escape(doc.provenance.caption or 'Inputs')}</summary>"
                    f"{_html_table(doc.provenance)}</details>")
    if len(doc.sections) > 1:
        body.append("<nav class='toc' aria-label='Contents'><b>Contents</b><ol>" + "".join(
            f"<li><a href='#{a}'>{html.escape(s.title)}</a></li>" for s, a in zip(doc.sections, anchors, strict=True))
            + "</ol></nav>")
    for section, anchor in zip(doc.sections, anchors, strict=True):
        inner = [f"<p>{html.escape(p)}</p>" for p in section.paragraphs]
        for item in section.items:
            if isinstance(item, Table):
                inner.append(_html_table(item))
            else:
                number = None
                if item.figure is not None:
                    number = len(figures)
                    figures.append(item.figure)
                inner.append(_html_chart(item, number))
        title = html.escape(section.title)
        if section.collapsible:
            body.append(f"<section id='{anchor}'><h2>{title}</h2><details><summary>Show</summary>"
                        f"{''.join(inner)}</details></section>")
        else:
            body.append(f"<section id='{anchor}'><h2>{title}</h2>{''.join(inner)}</section>")
    head = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(doc.title)}</title><style>{_CSS}</style>",
    ]
    tail = []
    if figures:
        from .interactive import plotly_js

        head.append(f"<script>{plotly_js()}</script>")
        tail.append(
            f"<script>const FIGURES={script_json(figures)};const CONFIG={script_json(_PLOT_CONFIG)};"
            "FIGURES.forEach((f,i)=>Plotly.newPlot('plot-'+i,f.data,f.layout,CONFIG));</script>"
        )
    return "\n".join([*head, "</head><body>", *body, *tail, "</body></html>"]) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"[\\`*#|<]|&(?=#?\w+;)|_+|~+|\](?=[(\[:])")


def _escape_markup(match: re.Match) -> str:
    """One markup character (or run of ``_`` or ``~``) of :func:`markdown_text`, escaped where it acts."""
    mark, text = match[0], match.string
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    if mark[0] == "_" and before.isalnum() and after.isalnum():
        return mark  # inside a word (site_id): no emphasis
    if mark[0] == "~" and before.isspace():
        return mark  # ~400: can only open a strikethrough, and every tilde that could close one is escaped
    if mark in ("<", "&"):
        return "&lt;" if mark == "<" else "&amp;"
    return "".join("\\" + c for c in mark)


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown: markup escaped, line breaks made spaces.

    Every text of a :class:`Document` is plain text, and config text (names, descriptions, ids,
    file paths, the comments of the inputs) reaches it: a ``|`` cannot split a table cell, a
    newline cannot start a heading or a table row, ``*``, ``_``, ``~``, `` ` ``, ``#``, ``[..](..)``
    make no emphasis, code or link, and ``<script>`` stays text (``<`` as ``&lt;``, ``&`` as ``&amp;``
    where it would start an entity). Characters that cannot act where they stand stay as written
    (``site_id``, ``~400 MW``, ``O&M``, ``[MW]``, ``>= 2``), so the file reads as before. The HTML
    rendering escapes the same texts with :func:`html.escape`.
    """
    return _MARKDOWN_SPECIAL.sub(_escape_markup, " ".join(str(text).splitlines()))


def _md_paragraph(text: str) -> str:
    """A paragraph of :func:`markdown_text` that cannot start a list, a quote, a thematic break or a code block."""
    text = markdown_text(text).strip()
    return re.sub(r"^(\d{1,9})([.)])|^([-+=>])", lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def _md_table(table: Table) -> list[str]:
    lines = [f"**{markdown_text(table.caption)}**", ""] if table.caption else []
    lines.append("| " + " | ".join(markdown_text(c) for c in table.header) + " |")
    lines.append("|" + "|".join("---" for _ in table.header) + "|")
    lines.extend("| " + " | ".join(markdown_text(c) for c in row) + " |" for row in table.rows)
    return lines + [""]


def render_markdown(doc: Document) -> str:
    """Markdown with every table, and each chart's numbers as a table under its caption.

    Every text goes through :func:`markdown_text`: the document's texts are plain text, never markup.
    """
    lines = [f"# {markdown_text(doc.title)}", "", f"_{markdown_text(doc.subtitle.strip())}_", ""]
    if doc.facts:
        lines += ["; ".join(f"{markdown_text(k)}: {markdown_text(v)}" for k, v in doc.facts), ""]
    if doc.provenance is not None:
        lines += _md_table(doc.provenance)
    for section in doc.sections:
        lines += [f"## {markdown_text(section.title)}", ""]
        for paragraph in section.paragraphs:
            lines += [_md_paragraph(paragraph), ""]
        for item in section.items:
            if isinstance(item, Table):
                lines += _md_table(item)
            else:
                lines += [f"*Chart: {markdown_text(item.caption)}*", ""]
                if item.table is not None:
                    lines += _md_table(item.table)
    return "\n".join(lines).rstrip() + "\n"


def rows(records: Sequence[Sequence[object]]) -> tuple[tuple[str, ...], ...]:
    """Cells as strings (helper for building tables)."""
    return tuple(tuple(str(c) for c in r) for r in records)
