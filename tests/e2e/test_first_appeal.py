"""An applicant whose application was rejected files a first appeal on the application page; the
first appellate authority (the State nodal agency) allows it from its Appeals page, and the
application is back with the office. Screenshots in test-artifacts/e2e/<test name>/."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Shots
from tests.e2e.test_marketing_assistance_walk import signed_in
from tests.web.conftest import submit_mda
from tests.web.test_dashboards import _decide


def test_first_appeal_against_a_rejection(app: Flask, browser: Browser, live_url: str, shots: Shots) -> None:
    app.config["WTF_CSRF_ENABLED"] = False  # the application is filed and rejected through the test client
    number = submit_mda(app)
    app.config["WTF_CSRF_ENABLED"] = True
    _decide(app, number, "dic.agr", "reject")

    applicant = signed_in(browser, live_url, "applicant1.agr")
    applicant.goto(f"/applications/{number}")
    section = applicant.locator("section.appeal")
    expect(section).to_contain_text("You may file a first appeal with the first appellate authority until")
    applicant.fill("#appeal-grounds", "The bill is in the name of my unit, which I own; the Udyam certificate shows it.")
    shots(applicant, "appeal-form")
    applicant.click("section.appeal button[type=submit]")
    expect(applicant.locator("p.flash")).to_contain_text("Your first appeal was filed with the first appellate authority.")
    expect(section.locator("[data-appeal='1']")).to_contain_text("Application rejected")
    expect(section.locator("[data-appeal-refused]")).to_have_attribute("data-appeal-refused", "pending")
    expect(applicant.locator("ol.timeline")).to_contain_text("First appeal filed with the first appellate authority.")
    shots(applicant, "appeal-filed")

    nodal = signed_in(browser, live_url, "nodal1")
    nodal.click("header.top >> text=Appeals")
    nodal.click(f"text={number}")
    expect(nodal.locator("h1")).to_contain_text("First appeal")
    nodal.check("input[name=outcome][value=approve]")
    nodal.fill("#appeal-order", "The unit is the applicant's own; the bill is valid. Reconsider the claim.")
    shots(nodal, "order")
    nodal.click("button:text('Record the order')")
    expect(nodal.locator("p.flash")).to_contain_text("The order was recorded.")
    expect(nodal.locator("main")).to_contain_text("No appeals are waiting for you.")

    applicant.goto(f"/applications/{number}")
    expect(applicant.locator("[data-status]").first).to_have_attribute("data-status", "in_process")
    expect(applicant.locator("[data-appeal-outcome]")).to_have_attribute("data-appeal-outcome", "allowed")
    expect(applicant.locator("section.step h2")).to_contain_text("DIC verification")
    expect(applicant.locator("ol.timeline")).to_contain_text("The application was reopened by the appellate order")
    expect(applicant.locator("ol.timeline")).not_to_contain_text("nodal1")  # the order started the round, nobody submitted it
    shots(applicant, "reopened")
    applicant.goto(f"/applications/{number}?lang=hi")
    expect(applicant.locator("section.appeal h2")).to_have_text("अपीलें")
    shots(applicant, "reopened-hindi")
