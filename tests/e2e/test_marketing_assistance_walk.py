"""An applicant claims marketing assistance with the checklist's documents; the DIC returns it,
marking the bills unacceptable; the applicant answers with a clear copy (both files stay listed);
the DIC forwards; the GM sanctions; the DIC records the payment; the applicant sees it approved
with the amount. Every page is screenshotted into test-artifacts/e2e/."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Shots
from tests.files import NEEDED
from tests.web.conftest import MDA_FORM, PDF
from workflows.sample.demo import DEMO_PASSWORD


def signed_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(base_url=base, locale="en-IN").new_page()
    page.goto("/sign-in")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("header.top")).to_contain_text("Sign out")
    return page


def work_task(
    page: Page, shots: Shots, number: str, outcome: str, remarks: str = "", unacceptable: dict[str, str] | None = None, **fields: str
) -> None:
    page.goto("/inbox?view=available")
    shots(page, "inbox")
    page.click(f"text={number}")
    page.click("button:text('Claim')")
    expect(page.locator(".flash")).to_contain_text("The task is yours now")
    expect(page.locator("#diagram")).to_have_attribute("data-ready", "1")
    shots(page, "task")
    page.check(f"input[name=outcome][value={outcome}]")
    for name, value in fields.items():
        page.fill(f"#f-{name}", value)
    if remarks:
        page.fill("#remarks", remarks)
    for kind, reason in (unacceptable or {}).items():  # documents found unacceptable, with the return
        row = page.locator(f"tr[data-item={kind}]")
        row.locator("input[name=unacceptable]").check()
        row.locator("input[name^=unacceptable_reason_]").fill(reason)
    page.click("button:text('Record decision')")
    expect(page.locator(".flash").first).to_contain_text(f"Decision recorded for {number}")
    shots(page, "decided")


def test_walk(browser: Browser, live_url: str, shots: Shots, tmp_path: Path) -> None:
    bills = tmp_path / "bills.pdf"
    bills.write_bytes(PDF)
    clear = tmp_path / "bills-clear-copy.pdf"
    clear.write_bytes(PDF)

    applicant = signed_in(browser, live_url, "applicant1.agr")
    applicant.goto("/apply/MDA")
    for name, value in MDA_FORM.items():
        if name == "fair_type":
            applicant.select_option("#f-fair_type", value)
        elif name == "benefit_in_last_two_years":  # a declaration, ticked only when it is true
            applicant.set_checked(f"input[name={name}]", value == "yes")
        else:
            applicant.fill(f"#f-{name}", value)
    for kind in NEEDED["MDA"]:  # the checklist: an input per document
        applicant.set_input_files(f"#doc-{kind}", str(bills))
    shots(applicant, "apply-form")
    applicant.click("button[value=submit]")  # one click, with the last field still focused
    expect(applicant.locator(".flash")).to_contain_text("Your application number is")
    number = re.search(r"MDA/UP/AGR/\d{4}-\d{2}/\d{6}", applicant.locator(".flash").inner_text()).group(0)
    shots(applicant, "submitted")

    dic = signed_in(browser, live_url, "dic.agr")
    work_task(dic, shots, number, "return", remarks="The freight bill is not legible; upload a clear copy.",
              unacceptable={"bills": "The freight bill is not legible."})

    applicant.goto(f"/applications/{number}")
    expect(applicant.locator("[data-status]")).to_have_text("Returned for clarification")
    expect(applicant.locator("tr[data-item=bills] [data-unacceptable-reason]")).to_contain_text("The freight bill is not legible.")
    shots(applicant, "returned")
    applicant.fill("#answer-remarks", "Clear copy of the freight bill attached.")
    applicant.set_input_files("#doc-bills", str(clear))
    applicant.click("button:text('Resubmit')")
    expect(applicant.locator(".flash")).to_contain_text("Your answer was sent")
    shots(applicant, "answered")

    expect(applicant.locator("tr[data-item=bills]")).to_have_attribute("data-doc-status", "present")
    expect(applicant.locator("tr[data-item=bills]")).to_contain_text("bills-clear-copy.pdf")  # both files kept
    expect(applicant.locator("tr[data-item=bills] [data-unacceptable-reason]")).to_have_count(1)
    work_task(dic, shots, number, "approve")
    gm = signed_in(browser, live_url, "gm.agr")
    work_task(gm, shots, number, "approve")
    work_task(dic, shots, number, "approve", payment_reference="PFMS2025000123")

    applicant.goto(f"/applications/{number}")
    expect(applicant.locator("[data-status]")).to_have_text("Approved")
    expect(applicant.locator("[data-benefit]")).to_have_text("₹\u00a059,900")
    shots(applicant, "approved")
