"""/api/v1/tasks"""

from __future__ import annotations

from flask_login import login_required
from flask_smorest import Blueprint

from web.api.schemas import (
    ClaimIn,
    CompleteIn,
    CountsOut,
    ReassignIn,
    TaskListArgs,
    TaskPageOut,
    TaskStateOut,
)
from web.infra.auth import actor
from web.infra.extensions import uow
from workflows.readmodels.inbox import InboxQuery, inbox_counts, inbox_page
from workflows.usecases import decisions

PATH = "/tasks"
blp = Blueprint("api_tasks", __name__, description="The caller's task lists and the commands on tasks.")


def _query(args: dict) -> InboxQuery:
    return InboxQuery(
        view=args["view"], scheme=args.get("scheme"), step=args.get("step"), sla=args.get("sla"),
        search=args.get("q"), sort=args["sort"], page=args["page"], per_page=args["per_page"],
    )


@blp.get("")
@login_required
@blp.arguments(TaskListArgs, location="query")
@blp.response(200, TaskPageOut)
def list_tasks(args: dict):  # noqa: ANN201
    with uow() as work:
        page = inbox_page(work, actor=actor(), query=_query(args))
    return {"tasks": page.rows, "page": page.page, "per_page": page.per_page, "has_next": page.has_next}


@blp.get("/counts")
@login_required
@blp.arguments(TaskListArgs, location="query")
@blp.response(200, CountsOut)
def counts(args: dict):  # noqa: ANN201
    with uow() as work:
        return inbox_counts(work, actor=actor(), query=_query(args))


@blp.post("/claim")
@login_required
@blp.arguments(ClaimIn)
@blp.response(200, TaskStateOut(many=True))
def claim(body: dict):  # noqa: ANN201
    with uow() as work:
        return decisions.claim(work, body["task_ids"], actor=actor())


@blp.post("/<task_id>/unclaim")
@login_required
@blp.response(200, TaskStateOut)
def unclaim(task_id: str):  # noqa: ANN201
    with uow() as work:
        return decisions.unclaim(work, task_id, actor=actor())


@blp.post("/<task_id>/complete")
@login_required
@blp.arguments(CompleteIn)
@blp.response(200, TaskStateOut)
def complete(body: dict, task_id: str):  # noqa: ANN201
    with uow() as work:
        decisions.decide(
            work, task_id, actor=actor(), outcome=body["outcome"], remarks=body["remarks"],
            fields=body["fields_"], expected_version=body.get("expected_version"),
            unacceptable={m["document_id"]: m["reason"] for m in body["unacceptable_documents"]},
        )
        return work.tasks.get(task_id)


@blp.post("/reassign")
@login_required
@blp.arguments(ReassignIn)
@blp.response(200, TaskStateOut(many=True))
def reassign(body: dict):  # noqa: ANN201
    with uow() as work:
        return decisions.reassign(work, body["task_ids"], actor=actor(), to=body["to"], reason=body["reason"])
