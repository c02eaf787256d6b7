"""An administrator adds a site visit to margin money in the browser editor (dragged from the
palette onto the flow after DIC scrutiny) and deploys it; a new
application passes through it, older ones keep the old path until they are moved, then finish on
the new version. Also: the corpus diagrams that deploy render in the viewer."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from engine.errors import DefinitionInvalid
from tests.e2e.conftest import Shots
from tests.e2e.test_marketing_assistance_walk import signed_in
from tests.files import checklist_documents
from tests.integration.scheme_helpers import DISBURSED, LOAN, fresh
from tests.web.test_flow_admin_api import CORPUS_FILES, UNRELATED
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import flows
from workflows.usecases.decisions import claim, decide
from workflows.usecases.submission import submit_application

ACTORS = {"dic_officer": "dic.agr", "district_committee": "dtf.agr", "bank_officer": "bank.agr", "gm_dic": "gm.agr"}

# Where an element is on the screen: a connection's first segment at `t`, a shape's point at (t, t).
ON_SCREEN = """([id, t]) => {
  const m = window.flowEditor.modeler, e = m.get("elementRegistry").get(id);
  const vb = m.get("canvas").viewbox(), box = m.get("canvas").getContainer().getBoundingClientRect();
  const [x, y] = e.waypoints
    ? [e.waypoints[0].x + t * (e.waypoints[1].x - e.waypoints[0].x), e.waypoints[0].y + t * (e.waypoints[1].y - e.waypoints[0].y)]
    : [e.x + t * e.width, e.y + t * e.height];
  return [box.left + (x - vb.x) * vb.scale, box.top + (y - vb.y) * vb.scale];
}"""


def _click(page: Page, element_id: str, t: float = 0.5) -> None:
    x, y = page.evaluate(ON_SCREEN, [element_id, t])
    page.mouse.click(x, y)


# The elements of a type that the Forward flow now leads to.
ON_FORWARD = """(type) => window.flowEditor.modeler.get("elementRegistry")
  .filter((e) => e.type === type && e.incoming.some((c) => c.id === "flow_gw_scrutiny_to_dtf_committee"))
  .map((e) => e.id)"""


def _add_site_visit(page: Page) -> str:
    """Drag a task from the palette onto the Forward flow (the modeler splits the flow), name it,
    and make it a user task with the context pad's Change type menu."""
    x, y = page.evaluate(ON_SCREEN, ["flow_gw_scrutiny_to_dtf_committee", 0.85])  # near the bend, clear of the label
    entry = page.locator(".djs-palette [data-action='create.task']").bounding_box()
    page.mouse.move(entry["x"] + entry["width"] / 2, entry["y"] + entry["height"] / 2)
    page.mouse.down()
    page.mouse.move(x - 30, y + 10, steps=10)
    page.mouse.move(x, y, steps=10)
    page.mouse.up()
    page.keyboard.type("Site visit")  # the new task opens selected, with its label being edited
    page.keyboard.press("Enter")
    page.locator(".djs-context-pad [data-action='replace']").click()
    page.locator(".djs-popup [data-id='replace-with-user-task']").click()
    (new_id,) = page.evaluate(ON_FORWARD, "bpmn:UserTask")
    return new_id


def _runtime(app: Flask):  # noqa: ANN202
    return app.extensions["odop.runtime"]


def _submit(app: Flask) -> str:
    with SchemeUnitOfWork(_runtime(app)) as uow:
        data = fresh("MM")
        return submit_application(
            uow, scheme_code="MM", district_code="AGR", data=data, actor="applicant1.agr", **checklist_documents(uow, "MM", data)
        ).number


def _open_step(app: Flask, number: str) -> tuple[str, str, str]:
    with SchemeUnitOfWork(_runtime(app)) as uow:
        application = uow.applications.by_number(number)
        (task,) = uow.tasks.open_for_instance(application.instance_id)
        return task.id, task.name, task.lane


def _approve(app: Flask, number: str, **fields: object) -> str:
    """Approve the open step; returns its name."""
    task_id, name, lane = _open_step(app, number)
    with SchemeUnitOfWork(_runtime(app)) as uow:
        claim(uow, [task_id], actor=ACTORS[lane])
    with SchemeUnitOfWork(_runtime(app)) as uow:
        decide(uow, task_id, actor=ACTORS[lane], outcome="approve", fields=fields)
    return name


def _finish(app: Flask, number: str) -> list[str]:
    names = []
    while True:
        with SchemeUnitOfWork(_runtime(app)) as uow:
            application = uow.applications.by_number(number)
            if application.status != "in_process":
                return names
        names.append(_approve(app, number, **LOAN, **DISBURSED))  # each step reads its own form's fields


def _version_of(app: Flask, number: str) -> int:
    with SchemeUnitOfWork(_runtime(app)) as uow:
        instance = uow.instances.get(uow.applications.by_number(number).instance_id)
        return uow.definitions.get(instance.definition_id).version


def _editor(page: Page) -> None:
    page.goto("/admin/flows/margin_money/edit")
    page.wait_for_selector("#editor[data-ready='1']")


def test_add_a_site_visit_deploy_and_migrate(app: Flask, browser: Browser, live_url: str, shots: Shots) -> None:
    moved_later, at_committee = _submit(app), _submit(app)
    assert _approve(app, at_committee) == "DIC scrutiny"
    page = signed_in(browser, live_url, "admin")
    page.goto("/admin/flows")
    expect(page.locator("table")).to_contain_text("margin_money")
    shots(page, "flows")
    page.set_viewport_size({"width": 1600, "height": 1000})
    _editor(page)
    new_id = _add_site_visit(page)
    expect(page.locator("#odop-settings")).to_contain_text("Site visit")
    expect(page.locator("#odop-settings")).to_contain_text("dic_officer")
    # Validation first: the new step has no time limit, so nothing can be deployed yet.
    page.click("#validate")
    problem = page.locator("#problems li", has_text="no time limit")
    expect(problem).to_contain_text(new_id)
    expect(page.locator(f".editor-canvas [data-element-id='{new_id}'].problem-element")).to_have_count(1)
    shots(page, "editor-problem")
    problem.click()
    page.fill("#odop-time-limit", "5")
    page.fill("#odop-outcomes", "approve")
    page.press("#odop-outcomes", "Tab")
    page.click("#save-draft")
    expect(page.locator("#editor-status")).to_have_text("Draft saved.")
    page.click("#validate")
    expect(page.locator("#editor-status")).to_have_text("No problems found: the flow can be deployed.")
    page.fill("#deploy-comment", "Site visit after DIC scrutiny")
    page.click("#deploy")
    expect(page.locator("#editor-status")).to_have_text("Deployed as version 2.")
    shots(page, "editor-deployed")

    with SchemeUnitOfWork(_runtime(app)) as uow:
        step = uow.definitions.by_version("margin_money", 2).user_tasks[new_id]
    assert (step["name"], step["lane"], step["properties"]) == (
        "Site visit", "dic_officer", {"time_limit_days": "5", "outcomes": "approve"},
    )

    # A new application passes through the site visit; the older ones stay on version 1.
    new = _submit(app)
    assert _approve(app, new) == "DIC scrutiny"
    assert _open_step(app, new)[1:] == ("Site visit", "dic_officer")
    assert _open_step(app, at_committee)[1] == "District task force interview"  # the old path
    assert (_version_of(app, new), _version_of(app, moved_later), _version_of(app, at_committee)) == (2, 1, 1)

    page.goto("/admin/flows/margin_money")
    expect(page.locator("#versions")).to_contain_text("Site visit after DIC scrutiny")
    page.click("text=Compare with 1")
    page.wait_for_selector(".flow-diagram[data-side='new'][data-ready='1']")
    expect(page.locator(f".flow-diagram[data-side='new'] [data-element-id='{new_id}'].diff-added")).to_have_count(1)
    expect(page.locator("#changes")).to_contain_text("Site visit")
    shots(page, "compare")

    page.goto("/admin/flows/margin_money/migrate")
    page.select_option("#to-version", "2")
    page.select_option("#from-version", "1")
    page.click("button[value='dry_run']")
    expect(page.locator("#plan caption")).to_contain_text("2 can move to version 2")
    shots(page, "dry-run")
    page.click("button[value='migrate']")
    expect(page.locator("#moved")).to_contain_text(moved_later)
    expect(page.locator(".flash").first).to_contain_text("2 of 2 applications moved to version 2")
    shots(page, "migrated")

    assert (_version_of(app, moved_later), _version_of(app, at_committee)) == (2, 2)
    assert _finish(app, moved_later) == [
        "DIC scrutiny", "Site visit", "District task force interview", "Bank appraisal and loan sanction",
        "Loan disbursement", "GM DIC sanction and release",
    ]
    assert _finish(app, at_committee) == [
        "District task force interview", "Bank appraisal and loan sanction", "Loan disbursement",
        "GM DIC sanction and release",
    ]
    with SchemeUnitOfWork(_runtime(app)) as uow:
        assert uow.applications.by_number(moved_later).status == "approved"


def test_deployed_corpus_diagrams_render(app: Flask, browser: Browser, live_url: str, shots: Shots) -> None:
    deployed = []
    for path in CORPUS_FILES:
        with SchemeUnitOfWork(_runtime(app)) as uow:
            try:
                result = flows.deploy_flow(uow, actor="admin", files={path.name: path.read_bytes()}, comment=f"corpus {path.name}")
            except DefinitionInvalid:
                continue
            deployed.append((Path(path).name, result.definition.key, result.definition.version))
    assert deployed, "no corpus file deployed"
    page = signed_in(browser, live_url, "admin")
    for name, key, version in deployed:
        page.goto(f"/admin/flows/{key}/versions/{version}")
        page.wait_for_selector(".flow-diagram[data-ready='1']")
        assert page.locator(".flow-diagram .djs-element").count() > 3, name
        shots(page, f"corpus-{Path(name).stem}")


def test_edit_a_benefit_table(app: Flask, browser: Browser, live_url: str, shots: Shots) -> None:
    page = signed_in(browser, live_url, "admin")
    _editor(page)
    page.click(".editor-tabs button[data-file='margin_money_benefit.dmn']")
    cell = page.locator(".tjs-table td.annotation").first
    expect(cell).to_contain_text("Up to 25 lakh")
    cell.click()
    page.keyboard.press("End")
    page.keyboard.type(" (revised)")
    page.click("h1")  # leave the cell
    shots(page, "dmn-edited")
    page.fill("#deploy-comment", "Annotation of the first slab")
    page.click("#deploy")
    expect(page.locator("#editor-status")).to_have_text("Deployed as version 2.")
    with SchemeUnitOfWork(_runtime(app)) as uow:
        files = uow.definitions.by_version("margin_money", 2).files
    dmn = files["margin_money_benefit.dmn"].replace("\u00a0", " ")  # the browser types a trailing space as nbsp
    assert "<description>Up to 25 lakh: 25% of the cost (revised)</description>" in dmn, dmn[:1500]
    assert "site_visit" not in files["margin_money.bpmn"]


def test_conditions_and_lanes_in_the_settings_panel(app: Flask, browser: Browser, live_url: str, shots: Shots) -> None:
    page = signed_in(browser, live_url, "admin")
    page.set_viewport_size({"width": 1600, "height": 1000})
    _editor(page)
    _click(page, "flow_gw_scrutiny_to_end_rejected_scrutiny")
    expect(page.locator("#odop-condition")).to_have_value('outcome == "reject"')
    page.fill("#odop-condition", 'outcome == "reject" or earlier_benefit')
    _click(page, "lane_bank_officer", 0.1)
    expect(page.locator("#odop-lane-role")).to_have_value("bank_officer")
    page.select_option("#odop-lane-role", "district_committee")
    shots(page, "lane-role")
    page.click("#validate")
    # Two district committee lanes are allowed; the changed condition reads a field the form holds.
    expect(page.locator("#editor-status")).to_have_text("No problems found: the flow can be deployed.")
    _click(page, "flow_gw_scrutiny_to_end_rejected_scrutiny")
    page.fill("#odop-condition", "outcome == refused")
    page.click("#validate")
    expect(page.locator("#problems li", has_text="reads 'refused'")).to_contain_text("flow_gw_scrutiny_to_end_rejected_scrutiny")
    page.click("#save-draft")
    expect(page.locator("#editor-status")).to_have_text("Draft saved.")
    with SchemeUnitOfWork(_runtime(app)) as uow:
        draft = flows.flow(uow, actor="admin", key="margin_money").draft
    assert "outcome == refused" in draft.files["margin_money.bpmn"]
    assert '<bpmn:lane id="lane_bank_officer" name="district_committee">' in draft.files["margin_money.bpmn"]


def test_replacing_a_flow_with_an_unrelated_diagram_asks_first(app: Flask, browser: Browser, live_url: str, shots: Shots) -> None:
    page = signed_in(browser, live_url, "admin")
    _editor(page)
    page.evaluate("(xml) => window.flowEditor.modeler.importXML(xml)", UNRELATED)
    page.fill("#deploy-comment", "A different flow under the same id")
    asked: list[str] = []

    def answer(accept: bool):  # noqa: ANN202
        def handle(dialog) -> None:  # noqa: ANN001
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()
        return handle

    page.once("dialog", answer(False))
    page.click("#deploy")
    expect(page.locator("#editor-status")).to_contain_text("share none of its steps")
    assert "'margin_money' already exists" in asked[0] and "replacing the process" in asked[0]
    with SchemeUnitOfWork(_runtime(app)) as uow:
        assert uow.definitions.latest("margin_money").version == 1, "declining deploys nothing"
    page.once("dialog", answer(True))
    page.click("#deploy")
    expect(page.locator("#editor-status")).to_have_text("Deployed as version 2.")
    with SchemeUnitOfWork(_runtime(app)) as uow:
        assert "Activity_1" in uow.definitions.by_version("margin_money", 2).user_tasks
