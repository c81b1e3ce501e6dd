"""A report as data (sections of text, tables and figures) and its HTML and Markdown renderings.

Both renderings come from the same ``Document``, so report.md carries every figure's numbers
as tables and report.html the same tables plus the charts. The HTML is self-contained:
inline CSS, charts as inline base64 PNG, no script and no external request.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Table", "Chart", "Section", "Document", "markdown_text", "render_html", "render_markdown"]


@dataclass(frozen=True)
class Table:
    """A table: header cells and rows of already formatted cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart as PNG bytes, with the table of the numbers it shows (for report.md)."""

    png: bytes
    caption: str
    table: Table | None = None


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[Table | Chart, ...] = ()


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    sections: tuple[Section, ...] = field(default_factory=tuple)


_CSS = """
body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0 auto;max-width:1100px;
padding:1.2rem 1.6rem;color:#1d2733;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #dfe6ee;
padding-bottom:.2rem}.subtitle{color:#5b6b7c;margin-top:0}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.9rem}th,td{padding:.25rem .6rem;
border-bottom:1px solid #e3e8ee;text-align:right}th:first-child,td:first-child{text-align:left}
th{background:#f3f6f9}caption{caption-side:top;text-align:left;font-weight:600;padding:.3rem 0}
figure{margin:.8rem 0 1.4rem;break-inside:avoid}figure img{max-width:100%;height:auto}
figcaption{color:#5b6b7c;font-size:.85rem}
.keyfigures{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:.6rem}
@media print{body{max-width:none;padding:0}h2{break-after:avoid}figure,table{break-inside:avoid}}
"""


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    caption = f"<caption>{html.escape(table.caption)}</caption>" if table.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(doc: Document) -> str:
    """Self-contained HTML: inline styles and images, no scripts, no external resources."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(doc.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(doc.title)}</h1><p class='subtitle'>{html.escape(doc.subtitle)}</p>",
    ]
    for section in doc.sections:
        parts.append(f"<section><h2>{html.escape(section.title)}</h2>")
        parts.extend(f"<p>{html.escape(p)}</p>" for p in section.paragraphs)
        for item in section.items:
            if isinstance(item, Table):
                parts.append(_html_table(item))
            else:
                data = base64.b64encode(item.png).decode("ascii")
                alt = html.escape(item.caption)
                parts.append(
                    f"<figure><img src='data:image/png;base64,{data}' alt='{alt}'>"
                    f"<figcaption>{alt}</figcaption></figure>"
                )
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


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
