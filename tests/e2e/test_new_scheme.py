"""Issue 15's acceptance: an administrator creates a new scheme entirely in the browser (a form with
fields and a cross-field rule in the form-js editor, a checklist with one required document, a flow
from a template with its DMN benefit table), validates (a wrong field name is listed), publishes;
an applicant applies (form and checklist enforced in the browser, and again by the server, also
through the API); officers decide; the public dashboard lists the scheme and the application.
No Python file knows the scheme."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Shots
from tests.e2e.test_marketing_assistance_walk import signed_in
from tests.web.conftest import PDF
from workflows.models import Application
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.accounts import create_token
from workflows.usecases.decisions import claim, decide

OFFICERS = {"dic_officer": "dic.agr", "gm_dic": "gm.agr"}
SAVED = "JSON.stringify(window.schemeForms.editor.saveSchema())"


def _open_group(page: Page, title: str) -> None:
    header = page.locator("#form-editor .bio-properties-panel-group-header", has_text=title).first
    if "open" not in (header.get_attribute("class") or ""):
        header.click()


def _add_number(page: Page, key: str, label: str, minimum: int) -> None:
    """Drag a number field from the palette onto the form, then set it in the properties panel."""
    count = "window.schemeForms.editor.saveSchema().components.length"
    before = page.evaluate(f"() => {count}")
    for _attempt in range(3):  # a drag the editor did not take (the page still moving) is tried again
        page.evaluate("() => document.getElementById('form-editor').scrollIntoView()")
        entry = page.locator(".fjs-palette-field[data-field-type='number']").bounding_box()
        target = page.locator("#form-editor .fjs-form .fjs-drop-container-vertical").first.bounding_box()
        page.mouse.move(entry["x"] + 10, entry["y"] + 10)
        page.mouse.down()
        page.mouse.move(entry["x"] + 20, entry["y"] + 20, steps=3)
        page.mouse.move(target["x"] + 50, target["y"] + 60, steps=15)
        page.mouse.move(target["x"] + 60, target["y"] + 62, steps=5)
        page.mouse.up()
        if page.evaluate(f"() => {count}") > before:
            break
    _open_group(page, "General")
    page.fill("#bio-properties-panel-key", key)
    page.click("#bio-properties-panel-label")
    page.keyboard.type(label)
    _open_group(page, "Appearance")
    page.fill("#bio-properties-panel-undefined-decimalDigits", "0")
    _open_group(page, "Validation")
    page.check("#bio-properties-panel-required")
    page.fill("#bio-properties-panel-min", str(minimum))
    page.click("#form-choice")  # leave the panel's last input
    page.wait_for_function(f"() => {SAVED}.includes('\"min\":{minimum}') && {SAVED}.includes('\"{key}\"')")


def _flow_cell(page: Page, process: str, text: str) -> None:
    """In the flow editor, set the benefit table's output cell and save the flow's draft."""
    page.goto(f"/admin/flows/{process}/edit")
    page.wait_for_selector("#editor[data-ready='1']")
    page.click(f".editor-tabs button[data-file='{process}_benefit.dmn']")
    cell = page.locator(".tjs-table td.output-cell").first
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.click("h1")
    page.click("#save-draft")
    expect(page.locator("#editor-status")).to_have_text("Draft saved.")


def _decide_all(app: Flask, number: str) -> str:
    runtime = app.extensions["odop.runtime"]
    while True:
        with SchemeUnitOfWork(runtime) as uow:
            application = uow.applications.by_number(number)
            if application.status != "in_process":
                return application.status
            (task,) = uow.tasks.open_for_instance(application.instance_id)
        officer = OFFICERS[task.lane]
        with SchemeUnitOfWork(runtime) as uow:
            claim(uow, [task.id], actor=officer)
        with SchemeUnitOfWork(runtime) as uow:
            decide(uow, task.id, actor=officer, outcome="approve")


def test_a_new_scheme_made_in_the_browser(app: Flask, browser: Browser, live_url: str, shots: Shots) -> None:
    admin = signed_in(browser, live_url, "admin")
    admin.set_viewport_size({"width": 1600, "height": 1100})
    admin.goto("/admin/schemes")
    admin.fill("#new-code", "WSH")
    admin.fill("#new-process", "women_shg")
    admin.fill("#new-name_en", "Women SHG Support")
    admin.fill("#new-name_hi", "महिला स्वयं सहायता समूह सहायता")
    admin.click("text=Create scheme")
    admin.wait_for_selector("#form-editor[data-ready='1']")
    admin.fill("#s-eligibility_en", "A registered women's self-help group making the district's ODOP product.")
    admin.fill("#s-eligibility_hi", "जनपद का ओडीओपी उत्पाद बनाने वाला पंजीकृत महिला स्वयं सहायता समूह।")
    # The form: two numbers in the form-js editor; the live preview shows them as the applicant will.
    _add_number(admin, "members", "Members", 10)
    _add_number(admin, "women_members", "Women members", 0)
    expect(admin.locator("#form-preview")).to_contain_text("Women members")
    # One cross-field rule and one required document.
    admin.fill("[name='rule-0-field']", "women_members")
    admin.fill("[name='rule-0-check']", "women_members * 2 >= members")
    admin.fill("[name='rule-0-message_en']", "At least half the members must be women.")
    admin.fill("[name='rule-0-message_hi']", "कम से कम आधे सदस्य महिलाएँ हों।")
    admin.select_option("[name='doc-0-type']", "member_list")
    admin.fill("[name='doc-0-label_en']", "List of members")
    admin.fill("[name='doc-0-label_hi']", "सदस्यों की सूची")
    admin.check("[name='doc-0-required']")
    shots(admin, "scheme-form")
    admin.click("button[value='save']")
    expect(admin.locator(".flash")).to_contain_text("Draft saved.")
    # The flow from the template: its benefit table reads a misspelt field ...
    _flow_cell(admin, "women_shg", "member * 1000")
    admin.goto("/admin/schemes/WSH")
    admin.wait_for_selector("#form-editor[data-ready='1']")
    admin.click("button[value='validate']")
    expect(admin.locator("#problems")).to_contain_text("reads 'member', which no form asks for and the flow does not set")
    shots(admin, "validation-problems")
    # ... which the administrator corrects; now the scheme validates and is published.
    _flow_cell(admin, "women_shg", "members * 1000")
    admin.goto("/admin/schemes/WSH")
    admin.wait_for_selector("#form-editor[data-ready='1']")
    admin.click("button[value='validate']")
    expect(admin.locator("#problems")).to_contain_text("No problems found")
    admin.fill("#publish-comment", "New scheme for women's self-help groups")
    admin.click("button[value='publish']")
    expect(admin.locator(".flash")).to_contain_text("Published as version 1.")
    shots(admin, "published")

    # The applicant: the browser enforces the form and the checklist ...
    page = signed_in(browser, live_url, "applicant1.agr")
    page.goto("/apply")
    page.click("text=Women SHG Support")
    page.fill("#f-applicant_name", "Gulabo Devi SHG")
    page.click("button[value='submit']")
    assert page.locator("#f-members").evaluate("e => e.validity.valueMissing")
    assert page.locator("#doc-member_list").evaluate("e => e.validity.valueMissing")
    page.fill("#f-members", "5")
    assert page.locator("#f-members").evaluate("e => e.validity.rangeUnderflow")
    # ... and the server the cross-field rule.
    page.fill("#f-members", "20")
    page.fill("#f-women_members", "6")
    page.set_input_files("#doc-member_list", files=[{"name": "members.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("button[value='submit']")
    expect(page.locator("#women_members-error")).to_have_text("At least half the members must be women.")
    shots(page, "rule-refused")
    page.fill("#f-women_members", "14")
    page.set_input_files("#doc-member_list", files=[{"name": "members.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("button[value='submit']")
    expect(page.locator(".flash")).to_contain_text("Your application number is WSH/UP/AGR/")
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        (number,) = [a.number for a in uow.session.query(Application) if a.scheme_code == "WSH"]
    shots(page, "submitted")

    # The same checks through the API: the rule and the checklist together, then the checklist.
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        token = create_token(uow, actor="applicant1.agr", name="e2e").secret
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    body = {"scheme": "WSH", "data": {"applicant_name": "Second SHG", "members": 12, "women_members": 3}}
    refused = client.post("/api/v1/applications", json=body)
    assert refused.status_code == 422 and refused.get_json()["error"]["fields"] == {  # all problems at once
        "women_members": ["At least half the members must be women."], "member_list": ["List of members is required."],
    }
    body["data"]["women_members"] = 6
    refused = client.post("/api/v1/applications", json=body)
    assert refused.status_code == 422 and refused.get_json()["error"]["fields"] == {"member_list": ["List of members is required."]}

    # Officers decide; the benefit comes from the table the administrator edited.
    assert _decide_all(app, number) == "approved"
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        assert uow.applications.by_number(number).benefit_amount == 20_000

    public = browser.new_context(base_url=live_url).new_page()
    public.goto("/public")
    expect(public.locator("main")).to_contain_text("Women SHG Support")
    public.goto("/public/applications?scheme=WSH")
    expect(public.locator("main")).to_contain_text(number)
    shots(public, "public")
