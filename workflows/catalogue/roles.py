"""Roles, and who may act on which task."""

from __future__ import annotations

APPLICANT = "applicant"
FACILITATION_OPERATOR = "facilitation_operator"
DIC_OFFICER = "dic_officer"
GM_DIC = "gm_dic"
DISTRICT_COMMITTEE = "district_committee"
BANK_OFFICER = "bank_officer"
STATE_NODAL = "state_nodal"
STATE_COMMITTEE = "state_committee"
ADMIN = "admin"
# Another system (a bank, the treasury): API tokens only, no pages; may send messages and signals.
INTEGRATION = "integration"

# Lanes in the BPMN name these roles; deploying a flow with any other lane is refused.
LANE_ROLES = (APPLICANT, DIC_OFFICER, GM_DIC, DISTRICT_COMMITTEE, BANK_OFFICER, STATE_NODAL, STATE_COMMITTEE)
OFFICER_ROLES = (DIC_OFFICER, GM_DIC, DISTRICT_COMMITTEE, BANK_OFFICER, STATE_NODAL, STATE_COMMITTEE)
STATE_ROLES = (STATE_NODAL, STATE_COMMITTEE, ADMIN)
ALL_ROLES = (APPLICANT, FACILITATION_OPERATOR, *OFFICER_ROLES, ADMIN, INTEGRATION)
# Roles whose users belong to no district.
DISTRICTLESS_ROLES = (*STATE_ROLES, INTEGRATION)

# Who supervises (and may reassign) the tasks of each lane.
SUPERVISOR = {
    DIC_OFFICER: GM_DIC,
    GM_DIC: GM_DIC,
    DISTRICT_COMMITTEE: GM_DIC,
    BANK_OFFICER: GM_DIC,
    STATE_NODAL: STATE_NODAL,
    STATE_COMMITTEE: STATE_NODAL,
}


def is_state_role(role: str) -> bool:
    return role in STATE_ROLES

# Second escalation (appellate authority) when a breach is still not cured: the state nodal agency
# for district steps, the State Level Committee for state steps.
APPELLATE = {
    DIC_OFFICER: STATE_NODAL,
    GM_DIC: STATE_NODAL,
    DISTRICT_COMMITTEE: STATE_NODAL,
    BANK_OFFICER: STATE_NODAL,
    STATE_NODAL: STATE_COMMITTEE,
    STATE_COMMITTEE: ADMIN,
}
