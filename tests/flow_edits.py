"""Edits of the shipped flows that the flow-administration tests deploy."""

from __future__ import annotations

from web.infra.config import ROOT

SITE_VISIT = """    <bpmn:userTask id="site_visit" name="Site visit">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="time_limit_days" value="5" />
          <spiffworkflow:property name="outcomes" value="approve,reject" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="gw_site_visit" name="Site visit outcome?" />
    <bpmn:endEvent id="end_rejected_site_visit" name="Rejected after the site visit" />
    <bpmn:sequenceFlow id="flow_site_visit_to_gw" sourceRef="site_visit" targetRef="gw_site_visit" />
    <bpmn:sequenceFlow id="flow_gw_site_visit_to_dtf" sourceRef="gw_site_visit" targetRef="dtf_committee">
      <bpmn:conditionExpression>outcome == "approve"</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="flow_gw_site_visit_to_end" sourceRef="gw_site_visit" targetRef="end_rejected_site_visit">
      <bpmn:conditionExpression>outcome == "reject"</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
"""


def margin_money_files() -> dict[str, str]:
    return {
        name: (ROOT / "bpmn" / name).read_text(encoding="utf-8")
        for name in ("margin_money.bpmn", "margin_money_benefit.dmn")
    }


def with_site_visit(files: dict[str, str]) -> dict[str, str]:
    """Margin money with a DIC site visit between scrutiny and the district task force."""
    bpmn = files["margin_money.bpmn"]
    bpmn = bpmn.replace(
        "<bpmn:flowNodeRef>gw_scrutiny</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>gw_scrutiny</bpmn:flowNodeRef>\n        <bpmn:flowNodeRef>site_visit</bpmn:flowNodeRef>"
        "\n        <bpmn:flowNodeRef>gw_site_visit</bpmn:flowNodeRef>"
        "\n        <bpmn:flowNodeRef>end_rejected_site_visit</bpmn:flowNodeRef>",
    )
    bpmn = bpmn.replace(
        'sourceRef="gw_scrutiny" targetRef="dtf_committee"', 'sourceRef="gw_scrutiny" targetRef="site_visit"'
    )
    bpmn = bpmn.replace("  </bpmn:process>", SITE_VISIT + "  </bpmn:process>")
    return {**files, "margin_money.bpmn": bpmn}


def shipped_scheme_rules() -> dict:
    """What `workflows.usecases.scheme_admin.scheme_rules` asks of a flow when the shipped bundles are
    published: lanes are roles, conditions read only names the bundles' forms hold (or the model sets)."""
    from workflows.catalogue import roles
    from workflows.catalogue.bundles import data_names, load_folder

    folders = sorted(p for p in (ROOT / "bpmn" / "schemes").iterdir() if (p / "scheme.json").is_file())
    names = set().union(*(data_names(load_folder(p)) for p in folders))
    return {"known_lanes": roles.LANE_ROLES, "known_names": names}
