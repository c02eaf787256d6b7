"""Flow administration on both databases: validation, drafts, deploy, diff, rollback, instance_migration."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import DefinitionInvalid, MigrationRefused
from engine.models import AuditEvent
from engine.runtime import Runtime
from tests.flow_edits import margin_money_files, with_site_visit
from tests.integration.scheme_helpers import DISBURSED, LOAN, open_task, set_up, submit, walk
from workflows.errors import NotAllowed, ValidationFailed
from workflows.models import FlowDraft
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import flows


@pytest.fixture
def rt(runtime: Runtime) -> Runtime:
    set_up(runtime)
    return runtime


def _uow(rt: Runtime) -> SchemeUnitOfWork:
    return SchemeUnitOfWork(rt)


def _deploy_site_visit(rt: Runtime) -> int:
    with _uow(rt) as uow:
        result = flows.deploy_flow(
            uow, actor="admin", files=with_site_visit(margin_money_files()), comment="Site visit after scrutiny",
            key="margin_money",
        )
        return result.definition.version


def _events(rt: Runtime, kind: str) -> list[AuditEvent]:
    with _uow(rt) as uow:
        return list(uow.session.scalars(select(AuditEvent).where(AuditEvent.kind == kind)))


def test_only_administrators_manage_flows(rt: Runtime) -> None:
    with _uow(rt) as uow, pytest.raises(NotAllowed):
        flows.flows(uow, actor="nodal1")
    with _uow(rt) as uow, pytest.raises(NotAllowed):
        flows.deploy_flow(uow, actor="dic.agr", files=margin_money_files(), comment="x", key="margin_money")


def test_versions_listed_with_author_comment_and_running_count(rt: Runtime) -> None:
    submit(rt, "MM")
    _deploy_site_visit(rt)
    with _uow(rt) as uow:
        mm = flows.flow(uow, actor="admin", key="margin_money")
    assert mm.scheme == "MM"
    assert [(v.version, v.running, v.deployed_by) for v in mm.versions] == [(2, 0, "admin"), (1, 1, "admin")]
    assert mm.latest.comment == "Site visit after scrutiny"
    assert _events(rt, "definition_deployed")[-1].payload["version"] == 2


def test_validation_lists_problems_and_deploys_nothing(rt: Runtime) -> None:
    files = with_site_visit(margin_money_files())
    broken = files["margin_money.bpmn"].replace('<bpmn:lane id="lane_dic_officer" name="dic_officer">', '<bpmn:lane id="lane_dic_officer" name="site_inspector">')
    broken = broken.replace('<spiffworkflow:property name="time_limit_days" value="5" />', "")
    broken = broken.replace('targetRef="end_rejected_site_visit">\n      <bpmn:conditionExpression>outcome == "reject"</bpmn:conditionExpression>', 'targetRef="end_rejected_site_visit">\n      <bpmn:conditionExpression>outcome == </bpmn:conditionExpression>')
    bad = {**files, "margin_money.bpmn": broken}
    with _uow(rt) as uow:
        problems = flows.validate(uow, actor="admin", files=bad, key="margin_money")
    by_element = {(p.element_id, p.message.split(" (")[0]) for p in problems}
    assert ("site_visit", "The lane 'site_inspector' is not a known role") in by_element
    assert ("site_visit", "The user task has no time limit") in by_element
    assert any(p.element_id == "flow_gw_site_visit_to_end" and "not valid Python" in p.message for p in problems)
    with _uow(rt) as uow, pytest.raises(DefinitionInvalid):
        flows.deploy_flow(uow, actor="admin", files=bad, comment="broken", key="margin_money")
    with _uow(rt) as uow:
        assert uow.definitions.require_latest("margin_money").version == 1


def test_deploy_needs_a_comment_and_the_same_process(rt: Runtime) -> None:
    with _uow(rt) as uow, pytest.raises(ValidationFailed) as err:
        flows.deploy_flow(uow, actor="admin", files=with_site_visit(margin_money_files()), comment=" ", key="margin_money")
    assert "comment" in err.value.fields
    with _uow(rt) as uow, pytest.raises(DefinitionInvalid, match="no executable process 'cfc'"):
        flows.deploy_flow(uow, actor="admin", files=margin_money_files(), comment="wrong", key="cfc")


def test_drafts_are_kept_and_removed_on_deploy(rt: Runtime) -> None:
    with _uow(rt) as uow:
        flows.save_draft(uow, actor="admin", key="margin_money", files=with_site_visit(margin_money_files()), based_on=1)
    with _uow(rt) as uow:
        assert flows.flow(uow, actor="admin", key="margin_money").draft.based_on_version == 1
    with _uow(rt) as uow, pytest.raises(DefinitionInvalid, match="DOCTYPE"):
        flows.save_draft(uow, actor="admin", key="margin_money", files={"x.bpmn": '<!DOCTYPE x [<!ENTITY e "e">]><x/>'})
    with _uow(rt) as uow:
        assert uow.session.get(FlowDraft, "margin_money").files["margin_money.bpmn"].count("site_visit") > 1
    _deploy_site_visit(rt)
    with _uow(rt) as uow:
        assert uow.session.get(FlowDraft, "margin_money") is None
    assert [e.payload["key"] for e in _events(rt, "flow_draft_saved")] == ["margin_money"]


def test_diff_names_added_removed_and_changed_elements(rt: Runtime) -> None:
    _deploy_site_visit(rt)
    with _uow(rt) as uow:
        d = flows.compare(uow, actor="admin", key="margin_money", old=1, new=2)
        back = flows.compare(uow, actor="admin", key="margin_money", old=2, new=1)
    assert {c.id for c in d.added} == {
        "site_visit", "gw_site_visit", "end_rejected_site_visit", "flow_site_visit_to_gw", "flow_gw_site_visit_to_dtf",
        "flow_gw_site_visit_to_end",
    }
    assert d.removed == []
    assert [(c.id, c.what) for c in d.changed] == [("flow_gw_scrutiny_to_dtf_committee", ["targetRef"])]
    assert {c.id for c in back.removed} == {c.id for c in d.added}
    with _uow(rt) as uow:
        assert flows.compare(uow, actor="admin", key="margin_money", old=1, new=1).empty


def test_rollback_deploys_the_old_version_again(rt: Runtime) -> None:
    _deploy_site_visit(rt)
    with _uow(rt) as uow:
        result = flows.rollback(uow, actor="admin", key="margin_money", number=1, comment="Site visits paused")
    assert result.created and result.definition.version == 3
    with _uow(rt) as uow:
        assert uow.definitions.by_version("margin_money", 3).files == uow.definitions.by_version("margin_money", 1).files
        assert flows.compare(uow, actor="admin", key="margin_money", old=1, new=3).empty
    assert _events(rt, "definition_rolled_back")[0].payload == {
        "key": "margin_money", "from_version": 2, "to_version": 1, "new_version": 3,
    }
    with _uow(rt) as uow, pytest.raises(ValidationFailed):
        flows.rollback(uow, actor="admin", key="margin_money", number=3, comment="again")


def test_running_applications_stay_then_migrate(rt: Runtime) -> None:
    old = submit(rt, "MM")
    _deploy_site_visit(rt)
    new = submit(rt, "MM")
    # The new application passes through the site visit; the old one keeps the old path.
    walk(rt, new, [("dic_scrutiny", "approve"), ("site_visit", "approve"), ("dtf_committee", "approve")])
    walk(rt, old, [("dic_scrutiny", "return")])
    with _uow(rt) as uow:
        plan = flows.plan_migration(uow, actor="admin", key="margin_money", to_version=2)
    assert [(c.business_key, c.movable, c.current_steps) for c in plan.checks] == [(old, True, ["provide_clarification"])]
    assert (plan.total, plan.movable) == (1, 1)
    walk(rt, old, [("provide_clarification", "submit")])
    with _uow(rt) as uow:
        instance_id = uow.applications.by_number(old).instance_id
    moved = flows.migrate(lambda: _uow(rt), actor="admin", key="margin_money", to_version=2, instance_ids=[instance_id])
    assert moved == [flows.Moved(instance_id, old, True)]
    application = walk(
        rt, old,
        [("dic_scrutiny", "approve"), ("site_visit", "approve"), ("dtf_committee", "approve"),
         ("bank_appraisal", "approve", LOAN), ("bank_disbursement", "approve", DISBURSED),
         ("gm_release", "approve")],
    )
    assert application.status == "approved" and application.benefit_amount == 625_000
    event = _events(rt, "instance_migrated")[0]
    assert (event.actor, event.payload["from_version"], event.payload["to_version"]) == ("admin", 1, 2)
    with _uow(rt) as uow:
        assert flows.plan_migration(uow, actor="admin", key="margin_money", to_version=2) == flows.MigrationPlan([], 0)


def test_dry_run_says_why_an_application_cannot_move(rt: Runtime) -> None:
    _deploy_site_visit(rt)
    at_visit = submit(rt, "MM")
    walk(rt, at_visit, [("dic_scrutiny", "approve")])
    assert open_task(rt, at_visit).bpmn_id == "site_visit"
    with _uow(rt) as uow:
        plan = flows.plan_migration(uow, actor="admin", key="margin_money", to_version=1, numbers=[at_visit])
        instance_id = uow.applications.by_number(at_visit).instance_id
    assert len(plan.checks) == 1 and not plan.checks[0].movable
    assert plan.checks[0].reasons == ["Version 1 has no step 'Site visit' (site_visit), which the application has reached."]
    moved = flows.migrate(lambda: _uow(rt), actor="admin", key="margin_money", to_version=1, instance_ids=[instance_id])
    assert not moved[0].moved and "Site visit" in moved[0].reason
    assert open_task(rt, at_visit).bpmn_id == "site_visit"  # untouched
    with _uow(rt) as uow, pytest.raises(MigrationRefused):
        from engine import instance_migration

        instance_migration.migrate(uow, uow.instances.get(instance_id), uow.definitions.by_version("margin_money", 1), actor="admin")


def test_dry_run_reports_missing_data(rt: Runtime) -> None:
    files = with_site_visit(margin_money_files())
    bpmn = files["margin_money.bpmn"].replace(
        '<bpmn:conditionExpression>outcome == "approve"</bpmn:conditionExpression>\n    </bpmn:sequenceFlow>\n    <bpmn:sequenceFlow id="flow_gw_site_visit_to_end"',
        '<bpmn:conditionExpression>outcome == "approve" and loan_amount &gt; 0</bpmn:conditionExpression>\n    </bpmn:sequenceFlow>\n    <bpmn:sequenceFlow id="flow_gw_site_visit_to_end"',
    )
    assert "loan_amount &gt; 0" in bpmn
    number = submit(rt, "MM")
    with _uow(rt) as uow:
        flows.deploy_flow(uow, actor="admin", files={**files, "margin_money.bpmn": bpmn}, comment="needs area", key="margin_money")
    with _uow(rt) as uow:
        plan = flows.plan_migration(uow, actor="admin", key="margin_money", to_version=2, from_version=1)
    assert [c.business_key for c in plan.checks] == [number]
    # The bank records the loan amount later: an application at scrutiny does not hold it yet.
    assert plan.checks[0].reasons == ["Version 2 decides on 'loan_amount', which the application's data does not hold."]


def test_a_dry_run_checks_at_most_its_limit(rt: Runtime) -> None:
    numbers = [submit(rt, "MM") for _ in range(3)]
    _deploy_site_visit(rt)
    with _uow(rt) as uow:
        plan = flows.plan_migration(uow, actor="admin", key="margin_money", to_version=2, limit=2)
    assert plan.total == 3 and [c.business_key for c in plan.checks] == numbers[:2]
