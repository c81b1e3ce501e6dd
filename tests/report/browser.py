"""Open an HTML file in headless Chromium (Debian's package) through Playwright.

Used by the report tests: collects console errors, every request the page makes, whether
each image decoded, and writes a screenshot. Locally without Chromium the tests skip with
the reason; CI installs Chromium and treats a skip as a failure.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The flags the workplace's probe uses: no background networking, no first-run, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def skip_reason() -> str | None:
    """Why a browser test cannot run here, or None."""
    if CHROMIUM is None:
        return "Chromium is not installed (Debian package 'chromium'; .ci/run installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (test extra)"
    return None


@dataclass(frozen=True)
class PageReport:
    console_errors: list[str]
    requests: list[str]
    images: int
    broken_images: int
    title: str


def open_page(html_file: Path, screenshot: Path) -> PageReport:
    """Load ``html_file`` from disk, record what happened, save a full-page screenshot."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(html_file.resolve().as_uri(), wait_until="load")
            images = page.evaluate("document.images.length")
            broken = page.evaluate(
                "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length"
            )
            title = page.title()
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return PageReport(errors, requests, images, broken, title)
