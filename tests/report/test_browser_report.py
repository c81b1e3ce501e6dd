"""The interactive report of the energy-only portfolio in headless Chromium: offline, no console error,
every chart drawn, hover shows a value with its unit, zoom changes the axis range, the table of
contents resolves; a screenshot of each section is saved in the test's temporary folder.

One report and one browser page for the module (the run takes ~10 s, so the module is slow).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, skip_reason

pytestmark = [pytest.mark.slow, pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")]

ROOT = Path(__file__).resolve().parents[2]
# a number followed by a unit the report's charts use (the hover text of every chart carries one)
VALUE_WITH_UNIT = re.compile(r"\d[\d,.]*\s*(%|GWh|MWh|MW|USD/MWh|M USD|kWh/m2|m/s|h\b|km|°)")


@pytest.fixture(scope="module")
def report_html(tmp_path_factory):
    import energy_portfolio as ep
    from energy_portfolio.report.build import build_document
    from energy_portfolio.report.document import render_html

    result = ep.run_portfolio(ep.load_portfolio(ROOT / "sites" / "portfolio_energy_only.yaml"))
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(build_document(result)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def page(report_html):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.errors, page.requests = [], []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto(report_html.as_uri(), wait_until="load")
        page.wait_for_function("document.querySelectorAll('.plot').length > 0 && "
                               "[...document.querySelectorAll('.plot')].every(d => d._fullLayout)")
        yield page
        browser.close()


def test_offline_and_without_console_errors(page):
    assert page.errors == []
    assert page.requests and all(url.startswith(("file:", "data:")) for url in page.requests), page.requests


def test_run_facts_and_input_hashes_at_the_top(page):
    facts = page.inner_text(".facts")
    assert "run:" in facts and "energy-portfolio:" in facts
    cells = page.evaluate("[...document.querySelectorAll('details:first-of-type td')].map(td => td.textContent)")
    assert any(re.fullmatch(r"[0-9a-f]{64}", cell) for cell in cells), "no SHA-256 of an input file"


def test_every_chart_renders(page):
    counts = page.evaluate("""[...document.querySelectorAll('.plot')].map(d => ({
        id: d.id, traces: d._fullData.length, height: d.getBoundingClientRect().height,
        marks: d.querySelectorAll('.trace, .point, .bars path, .heatmaplayer image, .barlayer path').length}))""")
    assert len(counts) >= 15
    empty = [c for c in counts if c["traces"] == 0 or c["height"] < 100 or c["marks"] == 0]
    assert empty == []


# the screen position of the middle point of the chart's first trace (cartesian scatter), or null
_POINT = """id => { const gd = document.getElementById(id), t = gd._fullData[0];
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    if (!xa || !ya || t.type !== 'scatter' || !t.x || !t.x.length) return null;
    const r = gd.getBoundingClientRect(), i = Math.floor(t.x.length / 2);
    return [r.left + xa._offset + xa.l2p(xa.d2l(t.x[i])), r.top + ya._offset + ya.l2p(ya.d2l(t.y[i]))]; }"""


def _hover_text(page, plot_id: str) -> str:
    """Move the mouse onto a data point of the chart (or over a grid of points until a tooltip shows); its text."""
    element = page.locator(f"#{plot_id}")
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    read = f"(document.querySelector('#{plot_id} .hoverlayer') || {{}}).textContent || ''"
    point = page.evaluate(_POINT, plot_id)
    if point is not None:
        page.mouse.move(*point)
        if page.evaluate(read).strip():
            return page.evaluate(read)
    for fy in (0.5, 0.35, 0.65, 0.2, 0.8):
        for fx in (0.5, 0.3, 0.7, 0.15, 0.85, 0.4, 0.6):
            page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
            text = page.evaluate(read)
            if text.strip():
                return text
    return ""


def test_hovering_shows_a_value_with_its_unit(page):
    ids = page.evaluate("[...document.querySelectorAll('.plot')].map(d => d.id)")
    texts = {plot_id: _hover_text(page, plot_id) for plot_id in ids}
    without_unit = {k: t for k, t in texts.items() if not VALUE_WITH_UNIT.search(t)}
    assert without_unit == {}


def test_zoom_changes_the_axis_range(page):
    ids = page.evaluate("[...document.querySelectorAll('.plot')].filter(d => d._fullLayout.xaxis"
                        " && d._fullData[0].type !== 'barpolar').map(d => d.id)")
    unchanged = []
    for plot_id in ids[:6]:  # one of each kind is enough: duration, stack, bars, waterfall, heatmap, layout
        element = page.locator(f"#{plot_id} .nsewdrag").first
        element.scroll_into_view_if_needed()
        box = element.bounding_box()
        before = page.evaluate(f"document.getElementById('{plot_id}')._fullLayout.xaxis.range.slice()")
        page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.7, steps=5)
        page.mouse.up()
        after = page.evaluate(f"document.getElementById('{plot_id}')._fullLayout.xaxis.range.slice()")
        if after == before:
            unchanged.append(plot_id)
        page.mouse.dblclick(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)  # back to the start
        restored = page.evaluate(f"document.getElementById('{plot_id}')._fullLayout.xaxis.range.slice()")
        assert restored == pytest.approx(before), plot_id
    assert ids and unchanged == []


def test_table_of_contents_links_resolve_and_sections_screenshot(page, tmp_path):
    links = page.evaluate("[...document.querySelectorAll('nav.toc a')].map(a => a.getAttribute('href'))")
    assert len(links) >= 10
    missing = [h for h in links if page.evaluate(f"document.getElementById({h[1:]!r}) === null")]
    assert missing == []
    assert any(h.startswith("#site-") for h in links)  # a section per site
    for i, href in enumerate(links):
        page.click(f"nav.toc a[href='{href}']")
        top = page.evaluate(f"document.getElementById({href[1:]!r}).getBoundingClientRect().top")
        assert -5 < top < 1000  # in view (at the top, or lower for the last sections of the page)
        path = tmp_path / f"section-{i:02d}-{href[1:]}.png"
        page.locator(href).screenshot(path=str(path))
        assert path.stat().st_size > 2_000
