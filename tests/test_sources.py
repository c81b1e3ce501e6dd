"""Every ``FACTS n.m`` citation in the repository resolves to an entry of docs/sources.md, and every
entry there gives a source for each of its figures (issue 19, item 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "docs" / "sources.md"

# A section number: one digit, then a letter (4a) or a dotted part (1.10); "FACTS 1.2, 2024" cites 1.2 only.
_ID = r"\d(?:[a-z]|\.\d{1,2})?(?!\w)"
CITATION = re.compile(
    r"\b(?:AZERBAIJAN_)?FACTS(?:\.md)?`?(?:'s)?\s+(?:sections?\s+)?"
    rf"(?P<ids>{_ID}(?:\s*(?:,|and|&)\s*{_ID})*)"
)
"""``FACTS 2.6``, ``FACTS 4b``, ``FACTS section 2``, ``FACTS sections 3 and 4b``, ``FACTS 2 and 5.2``,
``FACTS 1.10's``, ``AZERBAIJAN_FACTS 1.3``: every form the configs, code and documents use."""
ANCHOR = re.compile(r'<a id="FACTS-(?P<id>[^"]+)"></a>')
CONFIDENCE = re.compile(r"\b(high|medium|low)\b")
URL = re.compile(r"https?://\S+")

SCANNED = ("sites", "scenarios", "weather", "src", "docs", "examples", "tests", "benchmarks")
SUFFIXES = {".yaml", ".yml", ".csv", ".py", ".md", ".ipynb", ".txt"}


def cited_ids(text: str) -> list[tuple[int, str]]:
    """(line number, section id) of every FACTS citation in ``text``."""
    return [(number, section)
            for number, line in enumerate(text.splitlines(), 1)
            for match in CITATION.finditer(line)
            for section in re.findall(_ID, match["ids"])]


def scanned_files() -> list[Path]:
    files = [ROOT / "README.md"]
    for folder in SCANNED:
        files += sorted(p for p in (ROOT / folder).rglob("*")
                        if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts)
    return [p for p in files if p != Path(__file__).resolve()]


def _head(path: Path) -> str:
    """A CSV's comment header (its data has no citations and may be large); any other file whole."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".csv":
        return text
    return "\n".join(line for line in text.splitlines()[:200] if line.startswith("#"))


def entries(text: str) -> dict[str, str]:
    """Section id -> the text of its entry (to the next anchor or chapter heading)."""
    marks = list(ANCHOR.finditer(text))
    out = {}
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        body = text[mark.end():end]
        chapter = re.search(r"^## ", body, flags=re.M)
        out[mark["id"]] = body[:chapter.start()] if chapter else body
    return out


def figure_rows(entry: str) -> list[list[str]]:
    """The cells of each figure row of an entry's table (header and rule rows left out)."""
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in entry.splitlines() if line.startswith("|")]
    return [r for r in rows if r[0] != "Figure" and not set("".join(r)) <= set("-: ")]


@pytest.mark.parametrize("text, expected", [
    ("capacity_mw: 1280  # FACTS 1.5: CCGT", ["1.5"]),
    ("# FACTS 2 and 5.2: Shafag $200 M", ["2", "5.2"]),
    ("# as FACTS section 2 gives", ["2"]),
    ("# from FACTS sections 3 and 4b, same rules", ["3", "4b"]),
    ("# FACTS 1.10's 6 GW", ["1.10"]),
    ("# FACTS 1.2, 2024: 28,394.1 GWh", ["1.2"]),
    ("# FACTS 2: 100 MW", ["2"]),
    ("Knots from AZERBAIJAN_FACTS 1.3; interpolation", ["1.3"]),
    ("# not in FACTS; an assumption", []),
])
def test_the_citation_pattern_reads_each_form(text, expected):
    assert [s for _, s in cited_ids(text)] == expected


def test_every_citation_resolves_to_an_entry_of_docs_sources():
    known = set(entries(SOURCES.read_text(encoding="utf-8")))
    unresolved = [f"{p.relative_to(ROOT)}:{n}: FACTS {s}"
                  for p in scanned_files() for n, s in cited_ids(_head(p)) if s not in known]
    assert not unresolved, "citations with no entry in docs/sources.md:\n" + "\n".join(unresolved)


def test_the_scan_finds_the_configs_citations():
    """The scan cannot pass by reading nothing: the grid file alone cites a dozen sections."""
    found = {s for _, s in cited_ids((ROOT / "sites" / "azerbaijan_grid.yaml").read_text(encoding="utf-8"))}
    assert {"1.2", "1.3", "1.5", "1.8", "1.9", "2", "2.6", "5.3"} <= found


def test_an_unknown_section_is_reported():
    assert "9.9" not in entries(SOURCES.read_text(encoding="utf-8"))
    assert cited_ids("x: 1  # FACTS 9.9") == [(1, "9.9")]


def test_every_entry_gives_each_figure_a_source_and_a_confidence():
    problems = []
    for section, entry in entries(SOURCES.read_text(encoding="utf-8")).items():
        rows = figure_rows(entry)
        if not rows:
            problems.append(f"FACTS-{section}: no figures")
        if not URL.search(entry):
            problems.append(f"FACTS-{section}: no public address")
        for row in rows:
            if len(row) != 4 or not all(row):
                problems.append(f"FACTS-{section}: row {row[0]!r} lacks a cell (figure, value, source, confidence)")
            elif not CONFIDENCE.search(row[3]):
                problems.append(f"FACTS-{section}: row {row[0]!r}: confidence {row[3]!r}, expected high/medium/low")
            elif not (URL.search(row[2]) or re.search(r"derived|assumption|same|\(see|\[\d", row[2])):
                problems.append(f"FACTS-{section}: row {row[0]!r}: source {row[2]!r} names no reference")
    assert not problems, "\n".join(problems)


def test_each_entry_has_a_heading_that_names_it():
    text = SOURCES.read_text(encoding="utf-8")
    for section in entries(text):
        assert re.search(rf'<a id="FACTS-{re.escape(section)}"></a>\n### FACTS {re.escape(section)}: \S', text), section


def test_no_document_points_outside_the_repository():
    """A clone has no ``../shared/``: the README, the docs and the configs' headers name files of the repository."""
    outside = [f"{p.relative_to(ROOT)}:{n}" for p in scanned_files() if p.suffix != ".csv"
               for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
               if "shared/" in line or "AZERBAIJAN_FACTS.md" in line]
    assert not outside, "references to files outside the repository:\n" + "\n".join(outside)
