"""Issue 16 in a browser: a facilitation centre registers a walk-in artisan and files margin money
for them with the checklist's documents; the DIC and the district task force forward it; the
officer of the bank branch the artisan chose records the loan's sanction and then its
disbursement; the GM releases the margin money, seeing the loan; a second margin-money
application for the same family is refused, naming the first one. Screenshots in
test-artifacts/e2e/test_walk_in_to_release_and_one_per_family/."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Shots
from tests.e2e.test_marketing_assistance_walk import signed_in
from tests.files import NEEDED, PDF
from tests.identities import aadhaar

MOBILE = "9811100042"
FAMILY = "UPF123456789"
BRANCH, BANK_OFFICER = "SBIN0001735", "bank.agr"  # demo data: bank.agr works at this Agra branch


def _file_margin_money(page: Page, tmp_path: Path, shots: Shots, number_of_aadhaar: str) -> None:
    page.goto("/apply/MM")
    page.fill("#f-applicant", MOBILE)
    page.fill("#f-applicant_name", "Ramvati Devi")
    page.fill("#f-aadhaar", number_of_aadhaar)
    page.fill("#f-family_id", FAMILY)
    page.fill("#f-mobile", MOBILE)
    page.fill("#f-date_of_birth", "1988-02-14")
    page.select_option("#f-category", "GEN")
    page.select_option("#f-gender", "female")
    page.select_option("#f-product", index=1)
    page.fill("#f-unit_address", "14, Hing ki Mandi, Agra")
    page.fill("#f-project_cost", "1500000")
    page.select_option("#f-bank_ifsc", BRANCH)
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(PDF)
    for kind in NEEDED["MM"]:
        if kind != "caste_certificate":  # a general-category applicant claims no reserved category
            page.set_input_files(f"#doc-{kind}", str(pdf))
    shots(page, "apply-filled")
    page.click("button[value=submit]")


def _decide(page: Page, shots: Shots, number: str, **fields: str) -> None:
    page.goto("/inbox?view=available")
    page.click(f"text={number}")
    page.click("button:text('Claim')")
    expect(page.locator(".flash")).to_contain_text("The task is yours now")
    page.check("input[name=outcome][value=approve]")
    for name, value in fields.items():
        page.fill(f"#f-{name}", value)
    shots(page, "decision")
    page.click("button:text('Record decision')")
    expect(page.locator(".flash").first).to_contain_text(f"Decision recorded for {number}")


def test_walk_in_to_release_and_one_per_family(browser: Browser, live_url: str, shots: Shots, tmp_path: Path) -> None:
    centre = signed_in(browser, live_url, "fc.agr")
    centre.goto("/walk-in")
    centre.fill("#w-full_name", "Ramvati Devi")
    centre.fill("#w-mobile", MOBILE)
    shots(centre, "walk-in")
    centre.click("main button[type=submit]")
    expect(centre.locator(".flash").first).to_contain_text(f"user name {MOBILE}")

    first_aadhaar = aadhaar()
    _file_margin_money(centre, tmp_path, shots, first_aadhaar)
    expect(centre.locator(".flash").first).to_contain_text("Your application number is")
    number = centre.locator(".flash").first.inner_text().split("Your application number is")[1].strip().rstrip(".")
    shots(centre, "submitted")
    assert first_aadhaar not in centre.content()  # shown masked only (D70)

    for officer in ("dic.agr", "dtf.agr"):
        _decide(signed_in(browser, live_url, officer), shots, number)

    other_branch = signed_in(browser, live_url, "bank2.agr")  # a bank officer of another branch
    other_branch.goto("/inbox?view=available")
    expect(other_branch.locator("main")).not_to_contain_text(number)

    bank = signed_in(browser, live_url, BANK_OFFICER)
    _decide(bank, shots, number, loan_amount="1200000", loan_account_number="31234567890", sanction_date="2025-07-07")
    _decide(bank, shots, number, disbursed_amount="1200000", disbursement_date="2025-07-07")

    gm = signed_in(browser, live_url, "gm.agr")
    gm.goto("/inbox?view=available")
    gm.click(f"text={number}")
    expect(gm.locator("[data-loan-sanctioned]")).to_contain_text("12,00,000")
    expect(gm.locator("[data-loan-account]")).to_have_text("XXXX7890")
    expect(gm.locator("[data-loan-disbursed]")).to_contain_text("07-07-2025")
    shots(gm, "release-with-loan")
    _decide(gm, shots, number)
    centre.goto(f"/applications/{number}")
    expect(centre.locator("main")).to_contain_text("Approved")
    shots(centre, "approved")

    # The same family again (another member's Aadhaar): refused, naming the first application.
    _file_margin_money(centre, tmp_path, shots, aadhaar())
    expect(centre.locator("main")).to_contain_text(number)
    shots(centre, "second-refused")
