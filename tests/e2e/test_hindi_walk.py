"""The whole path in Hindi: an applicant applies for margin money (a number out of range first, told
so in Hindi with Indian grouping), the DIC returns it, the applicant resubmits, the district task
force, the bank and the GM DIC approve, the applicant opens the sanction letter and a visitor the
verification page. Every page is screenshotted (test-artifacts/e2e/test_hindi_walk/) and fails on
any English word in its visible text outside a short allow-list."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Shots
from tests.files import NEEDED, PDF
from workflows.sample.demo import DEMO_PASSWORD

# Words that stay in Latin letters on a Hindi page: abbreviations read as such, and the language
# switch ("English", marked lang="en", is taken out before the check).
WALKERS = ("applicant1.agr", "dic.agr", "dtf.agr", "bank.agr", "gm.agr")
DEMO_USERS = Path(__file__).resolve().parents[2] / "workflows" / "data" / "demo_users.csv"
BRANCHES = Path(__file__).resolve().parents[2] / "workflows" / "data" / "bank_branches.csv"
ALLOWED = {"ODOP", "PDF", "pdf", "JPEG", "PNG", "KB", "MB", "IFSC"} | {  # bank and branch names of Agra (proper names)
    word
    for row in csv.DictReader(line for line in BRANCHES.open(encoding="utf-8") if not line.startswith("#"))
    if row["district_code"] == "AGR"
    for word in re.findall(r"[A-Za-z0-9]+", f"{row['bank_name']} {row['branch_name']} {row['ifsc']}")
} | {  # ... and the people of the walk (names, user names)
    word
    for row in csv.DictReader(line for line in DEMO_USERS.open(encoding="utf-8") if not line.startswith("#"))
    if row["username"] in WALKERS
    for word in [*row["full_name"].split(), row["username"]]
}
IDENTIFIER = re.compile(r"\b(?:UPF\d{9}|X{4}\d*)\b")
NUMBER = re.compile(r"\b[A-Z]{2,4}/UP/[A-Z]{3}/\d{4}-\d{2}/\d{6}\b")  # an application number
MM_FORM = {
    "applicant_name": "रमेश कुमार",
    "aadhaar": "234123412346",
    "family_id": "UPF000000321",
    "mobile": "9876543210",
    "date_of_birth": "1990-04-12",
    "unit_address": "12, शाहगंज, आगरा",
    "project_cost": "500000",
}


def english_left(page: Page) -> list[str]:
    """Latin-letter words in the visible text, without application numbers, the allow-list and
    elements marked as English (lang="en": the language switch)."""
    text = page.evaluate(
        """() => { let t = document.body.innerText;
                   for (const e of document.querySelectorAll('body [lang=en]')) t = t.replace(e.innerText, ' ');
                   return t; }"""
    )
    text = IDENTIFIER.sub(" ", NUMBER.sub(" ", text))  # numbers, not words: a Family ID, a masked Aadhaar or account
    words = re.findall(r"[A-Za-z][A-Za-z0-9'’._-]*[A-Za-z0-9]|[A-Za-z]", text)
    return sorted({w for w in words if w not in ALLOWED})


LEFT: dict[str, list[str]] = {}


def check(page: Page, shots: Shots, what: str) -> None:
    """A screenshot, and the English words of the page noted (the test fails at its end, naming all)."""
    shots(page, what)
    left = english_left(page)
    if left:
        LEFT[f"{shots.n:02d}-{what} {page.url.split('/', 3)[-1]}"] = left


def signed_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(base_url=base, locale="hi-IN").new_page()
    page.goto("/sign-in?lang=hi")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.click("header.top a[lang=hi]")  # the language of the account is English: switch
    expect(page.locator("header.top")).to_contain_text("साइन आउट")
    return page


def work_task(page: Page, shots: Shots, number: str, outcome: str, remarks: str = "", **fields: str) -> None:
    page.goto("/inbox?view=available")
    check(page, shots, "inbox")
    page.click(f"text={number}")
    page.click("form[action$='/claim'] button")
    expect(page.locator(".flash").first).to_be_visible()
    expect(page.locator("#diagram")).to_have_attribute("data-ready", "1")
    check(page, shots, "task")
    page.check(f"input[name=outcome][value={outcome}]")
    for name, value in fields.items():
        page.fill(f"#f-{name}", value)
    if remarks:
        page.fill("#remarks", remarks)
    page.click("form.decision button[type=submit]")
    expect(page.locator(".flash").first).to_contain_text(number)
    check(page, shots, "decided")


def test_hindi_walk(browser: Browser, live_url: str, shots: Shots) -> None:
    LEFT.clear()
    applicant = signed_in(browser, live_url, "applicant1.agr")
    check(applicant, shots, "home")
    applicant.goto("/apply")
    check(applicant, shots, "schemes")
    applicant.goto("/apply/MM")
    check(applicant, shots, "apply-form")
    for name, value in {**MM_FORM, "project_cost": "5000"}.items():
        applicant.fill(f"#f-{name}", value)
    applicant.select_option("#f-category", "OBC")
    applicant.select_option("#f-gender", "male")
    applicant.select_option("#f-product", index=1)
    applicant.select_option("#f-bank_ifsc", "SBIN0001735")
    for kind in NEEDED["MM"]:  # the checklist's documents (a caste certificate: OBC is claimed)
        applicant.set_input_files(f"#doc-{kind}", files=[{"name": "1.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    applicant.evaluate("() => document.querySelector('form.apply').noValidate = true")  # the server's check
    applicant.click("button[value=submit]")
    expect(applicant.locator("#project_cost-error")).to_have_text("कम से कम 10,000 दर्ज करें।")
    check(applicant, shots, "apply-refused")
    applicant.fill("#f-project_cost", MM_FORM["project_cost"])
    applicant.fill("#f-aadhaar", MM_FORM["aadhaar"])  # never kept (D70): typed again; the files are kept
    applicant.click("button[value=submit]")
    flash = applicant.locator(".flash").first
    expect(flash).to_contain_text("आवेदन संख्या")
    number = NUMBER.search(flash.inner_text()).group(0)
    check(applicant, shots, "submitted")

    dic = signed_in(browser, live_url, "dic.agr")
    work_task(dic, shots, number, "return", remarks="परियोजना रिपोर्ट संलग्न करें।")

    applicant.goto(f"/applications/{number}")
    expect(applicant.locator("[data-status]")).to_have_attribute("data-status", "returned")
    check(applicant, shots, "returned")
    applicant.fill("#answer-remarks", "परियोजना रिपोर्ट संलग्न है।")
    applicant.click("section.answer button[type=submit]")
    expect(applicant.locator(".flash").first).to_be_visible()
    check(applicant, shots, "answered")

    work_task(dic, shots, number, "approve")
    work_task(signed_in(browser, live_url, "dtf.agr"), shots, number, "approve")
    bank = signed_in(browser, live_url, "bank.agr")
    work_task(bank, shots, number, "approve", loan_amount="375000", loan_account_number="31234567890", sanction_date="2025-07-07")
    work_task(bank, shots, number, "approve", disbursed_amount="375000", disbursement_date="2025-07-07")
    work_task(signed_in(browser, live_url, "gm.agr"), shots, number, "approve")

    applicant.goto(f"/applications/{number}")
    expect(applicant.locator("[data-status]")).to_have_attribute("data-status", "approved")
    check(applicant, shots, "approved")
    letter = applicant.locator("[data-letter=sanction-hi]")
    expect(letter).to_have_attribute("href", re.compile(r"/letters/|letter"))
    response = applicant.request.get(letter.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    visitor = browser.new_context(base_url=live_url, locale="hi-IN").new_page()
    visitor.goto(f"/verify/{number}?lang=hi")
    expect(visitor.locator("h1")).to_have_text("पत्र का सत्यापन")
    check(visitor, shots, "verified")
    assert not LEFT, "English left on pages:\n" + "\n".join(f"{k}: {v}" for k, v in LEFT.items())
