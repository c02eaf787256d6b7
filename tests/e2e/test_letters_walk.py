"""An applicant, in Hindi, downloads the sanction letter of an approved application from its page;
the letter's QR code leads a signed-out visitor to the verification page, which shows the sanctioned
amount and no personal data. Screenshots in test-artifacts/e2e/."""

from __future__ import annotations

import io

import pypdf
import zxingcpp
from flask import Flask
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Shots
from tests.e2e.test_marketing_assistance_walk import signed_in
from tests.web.conftest import submit_mda
from tests.web.test_dashboards import _decide, _personal_data


def test_letter_to_verification(app: Flask, browser: Browser, live_url: str, shots: Shots) -> None:
    app.config["WTF_CSRF_ENABLED"] = False  # the application is filed through the test client
    number = submit_mda(app)
    app.config["WTF_CSRF_ENABLED"] = True
    _decide(app, number, "dic.agr", "approve")
    _decide(app, number, "gm.agr", "approve")
    _decide(app, number, "dic.agr", "approve", payment_reference="PFMS-123")

    applicant = signed_in(browser, live_url, "applicant1.agr")
    applicant.goto(f"/applications/{number}?lang=hi")
    letters = applicant.locator("section.letters")
    expect(letters).to_contain_text("स्वीकृति पत्र")
    shots(applicant, "application-letters")
    with applicant.expect_download() as download:
        applicant.click("[data-letter=sanction-hi]")
    pdf = download.value.path().read_bytes()
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    (url,) = [code.text for image in page.images for code in zxingcpp.read_barcodes(image.image)]
    assert url == f"{live_url}/verify/{number}"

    visitor = browser.new_context(locale="hi-IN").new_page()
    visitor.goto(url)
    expect(visitor.locator("h1")).to_have_text("पत्र का सत्यापन")
    expect(visitor.locator("[data-amount]")).to_have_text("₹\u00a059,900")
    expect(visitor.locator("[data-status]")).to_have_attribute("data-status", "approved")
    text = visitor.locator("body").inner_text()
    assert not [p for p in _personal_data() if p in text]
    shots(visitor, "verified")
