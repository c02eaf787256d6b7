"""Marshmallow schemas of the API's requests and responses."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from web.api.documents import DocumentIn, UnacceptableIn
from web.infra.errors import codes
from web.infra.input_checks import INT_MAX
from workflows.readmodels.inbox import SLA_STATES, SORTS, VIEWS

# Ids and version numbers: what a database `integer` column holds.
NUMBER = validate.Range(min=1, max=INT_MAX)
PAGE = validate.Range(min=1, max=100_000)


class ApplicationOut(Schema):
    number = fields.String()
    scheme_code = fields.String()
    district_code = fields.String()
    applicant_name = fields.String()
    status = fields.String()
    benefit_amount = fields.Integer(allow_none=True, metadata={"description": "Whole rupees."})
    submitted_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    remarks = fields.String(allow_none=True)
    bank_ifsc = fields.String(allow_none=True, metadata={"description": "The bank branch the application is routed to (IFSC)."})
    data = fields.Dict()


class ApplicationIn(Schema):
    scheme = fields.String(required=True, metadata={"example": "MDA"})
    data = fields.Dict(required=True)
    applicant = fields.String(metadata={"description": "Username of the applicant (facilitation centres only)."})
    documents = fields.List(
        fields.Nested(DocumentIn), load_default=list, validate=validate.Length(max=30),
        metadata={"description": "The scheme's checklist documents (several files per type allowed); required ones must be sent."},
    )


class ApplicationListArgs(Schema):
    status = fields.String(validate=validate.OneOf(["in_process", "returned", "approved", "rejected"]))
    page = fields.Integer(load_default=1, validate=PAGE)


class StepOut(Schema):
    task_id = fields.String()
    name = fields.String()
    office = fields.String()
    received = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    sla = fields.String(allow_none=True)


class ApplicationDetailOut(ApplicationOut):
    current_steps = fields.List(fields.Nested(StepOut))


class TaskListArgs(Schema):
    view = fields.String(load_default="available", validate=validate.OneOf(VIEWS))
    scheme = fields.String()
    step = fields.String()
    sla = fields.String(validate=validate.OneOf(SLA_STATES))
    q = fields.String(metadata={"description": "Application number or applicant name contains this."})
    sort = fields.String(load_default="due", validate=validate.OneOf(SORTS))
    page = fields.Integer(load_default=1, validate=PAGE)
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=200))


class TaskOut(Schema):
    task_id = fields.String()
    number = fields.String()
    scheme = fields.String()
    applicant = fields.String()
    district = fields.String()
    step = fields.String()
    step_id = fields.String()
    received = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    sla = fields.String(allow_none=True)
    claimed_by = fields.String(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)
    outcome = fields.String(allow_none=True)


class TaskPageOut(Schema):
    tasks = fields.List(fields.Nested(TaskOut))
    page = fields.Integer()
    per_page = fields.Integer()
    has_next = fields.Boolean()


class CountsOut(Schema):
    available = fields.Integer()
    mine = fields.Integer()
    completed = fields.Integer()
    team = fields.Integer(metadata={"description": "Open tasks of the lanes you supervise."})


class ClaimIn(Schema):
    task_ids = fields.List(fields.String(), required=True, validate=validate.Length(min=1, max=200))


class CompleteIn(Schema):
    outcome = fields.String(required=True, metadata={"example": "approve"})
    remarks = fields.String(load_default="")
    fields_ = fields.Dict(data_key="fields", load_default=dict, metadata={"description": "e.g. loan_amount"})
    expected_version = fields.Integer(validate=NUMBER, metadata={"description": "The instance version you read; 409 if it changed."})
    unacceptable_documents = fields.List(
        fields.Nested(UnacceptableIn), load_default=list, validate=validate.Length(max=100),
        metadata={"description": "With a return: documents found unacceptable, each with the reason the applicant sees."},
    )


class ReassignIn(Schema):
    task_ids = fields.List(fields.String(), required=True, validate=validate.Length(min=1, max=200))
    to = fields.String(allow_none=True, load_default=None)
    reason = fields.String(required=True)


class TaskStateOut(Schema):
    task_id = fields.String(attribute="id")
    state = fields.String()
    assignee = fields.String(allow_none=True)


class DefinitionOut(Schema):
    key = fields.String()
    version = fields.Integer()
    name = fields.String()
    checksum = fields.String()
    deployed_by = fields.String()
    deployed_at = fields.DateTime()
    comment = fields.String()
    user_tasks = fields.Dict()


class ProblemOut(Schema):
    message = fields.String()
    file = fields.String(allow_none=True)
    element_id = fields.String(allow_none=True)
    element_name = fields.String(allow_none=True)
    line = fields.Integer(allow_none=True)


class ValidationOut(Schema):
    valid = fields.Boolean()
    problems = fields.List(fields.Nested(ProblemOut))


class DeployedOut(Schema):
    created = fields.Boolean(metadata={"description": "False when the files equal the newest version's."})
    definition = fields.Nested(DefinitionOut)


class FilesIn(Schema):
    files = fields.Dict(
        keys=fields.String(), values=fields.String(), required=True,
        metadata={"description": "File name -> XML text: one BPMN file and the DMN files it calls."},
    )
    comment = fields.String(load_default="", validate=validate.Length(max=500))
    based_on = fields.Integer(load_default=None, allow_none=True, validate=NUMBER)
    confirm_replace = fields.Boolean(
        load_default=False,
        metadata={"description": "Deploy even though the files share no step or gateway id with the deployed process "
                  "of the same id (otherwise 409 replace_not_confirmed)."},
    )


class VersionRef(Schema):
    version = fields.Integer(required=True, validate=NUMBER)
    comment = fields.String(load_default="", validate=validate.Length(max=500))


class ChangeOut(Schema):
    id = fields.String()
    kind = fields.String()
    name = fields.String(allow_none=True)
    what = fields.List(fields.String())


class DiffOut(Schema):
    added = fields.List(fields.Nested(ChangeOut))
    removed = fields.List(fields.Nested(ChangeOut))
    changed = fields.List(fields.Nested(ChangeOut))


class DiffArgs(Schema):
    old = fields.Integer(required=True, validate=NUMBER)
    new = fields.Integer(required=True, validate=NUMBER)


class MigrationPlanIn(Schema):
    to_version = fields.Integer(required=True, validate=NUMBER)
    from_version = fields.Integer(load_default=None, allow_none=True, validate=NUMBER)
    numbers = fields.List(fields.String(), load_default=None, allow_none=True)
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=1000))


class MigrationCheckOut(Schema):
    instance_id = fields.Integer()
    business_key = fields.String()
    from_version = fields.Integer()
    to_version = fields.Integer()
    current_steps = fields.List(fields.String())
    movable = fields.Boolean()
    reasons = fields.List(fields.String())


class MigrationPlanOut(Schema):
    total = fields.Integer(metadata={"description": "Running applications picked; at most 1,000 are checked per dry run."})
    checks = fields.List(fields.Nested(MigrationCheckOut))


class MigrateIn(Schema):
    to_version = fields.Integer(required=True, validate=NUMBER)
    instance_ids = fields.List(fields.Integer(validate=NUMBER), required=True, validate=validate.Length(min=1, max=5000))


class MovedOut(Schema):
    instance_id = fields.Integer()
    business_key = fields.String()
    moved = fields.Boolean()
    reason = fields.String()


class EventIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={"example": "loan_sanctioned"})
    payload = fields.Dict(
        keys=fields.String(), load_default=dict,
        metadata={"description": "Merged into the process data of the step that catches it.",
                  "example": {"loan_amount": 250000}},
    )


class MessageOut(Schema):
    number = fields.String()
    message = fields.String()
    status = fields.String(metadata={"description": "The process instance's status after the message."})
    open_steps = fields.List(fields.String(), metadata={"description": "The steps the application waits at now."})


class SignalOut(Schema):
    signal = fields.String()
    reached = fields.Integer(metadata={"description": "How many instances caught the signal."})
    failed = fields.Integer(metadata={"description": "Instances where it failed; each is an incident to retry."})
    incidents = fields.List(fields.Integer())


class ErrorDetail(Schema):
    code = fields.String(required=True, validate=validate.OneOf(codes()), metadata={"description": "See docs/decisions.md, D40."})
    message = fields.String(required=True, metadata={"description": "What is wrong, for the person who sent the request."})
    fields_ = fields.Dict(
        data_key="fields", keys=fields.String(), values=fields.List(fields.String()),
        metadata={"description": "With validation_failed: what is wrong with each field."},
    )
    problems = fields.List(fields.Nested(ProblemOut), metadata={"description": "With definition_invalid: every problem found."})
    waiting = fields.List(
        fields.String(), metadata={"description": "With message_not_expected: the messages the instance does wait for."}
    )


class ErrorOut(Schema):
    """Every error answer: {"error": {"code", "message", "fields"?, "problems"?}} (web/infra/errors.py)."""

    error = fields.Nested(ErrorDetail, required=True)
