"""What was typed is never lost: an application form sent after the session ended (the cookie gone,
or the session ended on the server) comes back filled in after signing in again; a file that is too
large is refused in the browser before sending, and when the server refuses a request that is too
large (413) its page leads back to the filled-in form."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Shots
from tests.files import NEEDED
from tests.web.conftest import MDA_FORM, PDF
from workflows.models import Application, User
from workflows.sample.demo import DEMO_PASSWORD
from workflows.uow import SchemeUnitOfWork

TYPED = {**MDA_FORM, "unit_name": "Kept Leather Works 4711", "fair_location": "Pragati Maidan, New Delhi"}


def _sign_in(page: Page, username: str) -> None:
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")


def _submit(page: Page) -> None:
    # One click, with the last field still focused: its change must not move the button (D92).
    page.click("button[value=submit]")


def _fill(page: Page) -> None:
    for name, value in TYPED.items():
        if name == "fair_type":
            page.select_option("#f-fair_type", value)
        elif name == "benefit_in_last_two_years":  # a declaration (checkbox), ticked only when true
            page.set_checked(f"input[name={name}]", value == "yes")
        else:
            page.fill(f"#f-{name}", value)


def _attach(page: Page, tmp_path: Path, **files: Path) -> None:
    """A file in each input of the checklist (the browser asks for the required ones before sending)."""
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(PDF)
    for kind in NEEDED["MDA"]:
        page.set_input_files(f"#doc-{kind}", str(files.get(kind, pdf)))


def _expect_filled(page: Page) -> None:
    expect(page.locator("form[data-keep]")).to_have_attribute("data-restored", re.compile(r"^[1-9]\d*$"))
    for name, value in TYPED.items():
        if name == "fair_type":
            expect(page.locator("#f-fair_type")).to_have_value(value)
        elif name == "benefit_in_last_two_years":
            box = expect(page.locator(f"input[name={name}]"))
            box.to_be_checked() if value == "yes" else box.not_to_be_checked()
        elif name == "aadhaar":  # never kept in the browser's storage (D70): typed again
            expect(page.locator("#f-aadhaar")).to_have_value("")
        else:
            expect(page.locator(f"#f-{name}")).to_have_value(value)
    expect(page.locator("[data-kept-note]")).to_be_visible()


def _count_applications(app: Flask) -> int:
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        return uow.session.query(Application).count()


def _start(browser: Browser, live_url: str) -> Page:
    page = browser.new_context(base_url=live_url, locale="en-IN").new_page()
    page.goto("/apply/MDA")
    _sign_in(page, "applicant1.agr")
    expect(page).to_have_url(f"{live_url}/apply/MDA")
    _fill(page)
    return page


@pytest.mark.parametrize("how", ["cookie gone", "ended on the server"])
def test_an_expired_session_keeps_the_typed_form(
    app: Flask, browser: Browser, live_url: str, shots: Shots, tmp_path: Path, how: str
) -> None:
    page = _start(browser, live_url)
    _attach(page, tmp_path)
    shots(page, "filled")
    if how == "cookie gone":  # the browser was closed, or the cookie expired: no session, no form token
        page.context.clear_cookies()
    else:  # signed out elsewhere, or idle too long: the server no longer accepts the session
        with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
            uow.session.query(User).filter_by(username="applicant1.agr").update({"session_generation": 41})
            uow.commit()
    _submit(page)
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.locator(".flash.error").first).to_contain_text("Sign in again")
    shots(page, "sign-in-again")
    assert _count_applications(app) == 0
    _sign_in(page, "applicant1.agr")
    expect(page).to_have_url(f"{live_url}/apply/MDA")
    _expect_filled(page)
    shots(page, "form-back")
    page.fill("#f-aadhaar", TYPED["aadhaar"])  # the Aadhaar number is never kept: typed again
    _attach(page, tmp_path)  # files are not kept: chosen again
    _submit(page)
    expect(page.locator(".flash").first).to_contain_text("Your application number is")
    assert _count_applications(app) == 1
    page.goto("/apply/MDA")
    expect(page.locator("#f-unit_name")).to_have_value(""), "an accepted form is forgotten"


def test_another_user_does_not_get_the_kept_form(browser: Browser, live_url: str, tmp_path: Path) -> None:
    page = _start(browser, live_url)
    _attach(page, tmp_path)
    page.context.clear_cookies()
    _submit(page)
    expect(page.locator("h1")).to_have_text("Sign in")
    _sign_in(page, "applicant2.agr")
    expect(page).to_have_url(f"{live_url}/apply/MDA")
    expect(page.locator("#f-unit_name")).to_have_value("")
    expect(page.locator("[data-kept-note]")).to_have_count(0)


def test_a_too_large_file_keeps_the_typed_form(app: Flask, browser: Browser, live_url: str, shots: Shots, tmp_path: Path) -> None:
    page = _start(browser, live_url)
    big = tmp_path / "scan.pdf"
    big.write_bytes(PDF + b"%" * (6 * 1024 * 1024))
    _attach(page, tmp_path, bills=big)
    expect(page.locator("#doc-bills-size")).to_contain_text("larger than 5 MB")
    _submit(page)
    expect(page).to_have_url(f"{live_url}/apply/MDA")  # not sent
    expect(page.locator("#f-unit_name")).to_have_value(TYPED["unit_name"])
    shots(page, "checked-in-the-browser")

    # Past the browser's check (an old browser, scripts off): the server refuses the request.
    huge = tmp_path / "huge.pdf"
    huge.write_bytes(PDF + b"%" * (13 * 1024 * 1024))
    page.evaluate("(el => { el.removeAttribute('data-max-bytes'); el.setCustomValidity(''); })(document.getElementById('doc-bills'))")
    page.set_input_files("#doc-bills", str(huge))
    _submit(page)
    expect(page.locator("h1")).to_have_text("The form was not sent")
    expect(page.locator(".flash.error")).to_contain_text("larger than 12 MB")
    shots(page, "refused-by-the-server")
    assert _count_applications(app) == 0
    page.click("#back-to-form")
    assert urlsplit(page.url).path == "/apply/MDA"
    _expect_filled(page)
    shots(page, "form-back")
