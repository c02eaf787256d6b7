"""Dashboards fit a 1,366 x 768 screen (D92): the page never scrolls sideways, a wide table scrolls
inside its frame with its key column kept in view, the key figures are on screen, and a sum of money
in a summary box stays on one line."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser

from tests.e2e.conftest import Shots
from tests.e2e.test_public_dashboard import _advance, _submit


def test_the_dashboard_fits_a_1366_screen(app: Flask, browser: Browser, live_url: str, shots: Shots) -> None:
    number = _submit(app)
    _advance(app, number, "dic.agr")
    page = browser.new_context(base_url=live_url, viewport={"width": 1366, "height": 768}).new_page()
    page.goto("/public")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    table = page.locator('table[data-table="summary_by_scheme"]')
    frame = page.locator('.table-wrap:has(table[data-table="summary_by_scheme"])')
    frame_box = frame.bounding_box()
    assert frame_box and frame_box["x"] + frame_box["width"] <= 1366
    # The benefit columns come before the rest of the distribution, so they are in the frame.
    released = table.locator("thead th", has_text="Benefit released").bounding_box()
    assert released and released["x"] + released["width"] <= frame_box["x"] + frame_box["width"]
    # Scrolled to its far end, the table keeps the scheme column in view.
    frame.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    key = table.locator("tbody th[scope=row]").first.bounding_box()
    assert key and frame_box["x"] - 1 <= key["x"] <= frame_box["x"] + 1
    shots(page, "by-scheme-scrolled")
    # Money in a summary box: one line, however long the number.
    page.evaluate("document.querySelector('[data-figure=\"benefit_released\"]').textContent = '₹\u00a012,34,56,78,901'")
    figure = page.locator('[data-figure="benefit_released"]')
    height = figure.evaluate("el => el.getBoundingClientRect().height")
    line = figure.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || el.getBoundingClientRect().height")
    assert height <= line * 1.5
