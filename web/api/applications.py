"""/api/v1/applications"""

from __future__ import annotations

from flask_login import login_required
from flask_smorest import Blueprint

from web.api.documents import uploads_of
from web.api.schemas import ApplicationDetailOut, ApplicationIn, ApplicationListArgs, ApplicationOut
from web.infra.auth import actor
from web.infra.extensions import document_store, uow
from workflows.readmodels.tracking import application_details, applications_of
from workflows.usecases.submission import submit_application

PATH = "/applications"
blp = Blueprint("api_applications", __name__, description="Applications the caller may see.")


@blp.get("")
@login_required
@blp.arguments(ApplicationListArgs, location="query")
@blp.response(200, ApplicationOut(many=True))
def list_applications(args: dict):  # noqa: ANN201
    with uow() as work:
        return applications_of(work, actor=actor(), status=args.get("status"), page=args["page"]).rows


@blp.post("")
@login_required
@blp.arguments(ApplicationIn)
@blp.response(201, ApplicationOut)
def submit(body: dict):  # noqa: ANN201
    with uow() as work:
        user = work.users.by_username(actor())
        return submit_application(
            work,
            scheme_code=body["scheme"],
            district_code=user.district_code or "",
            data=body["data"],
            actor=actor(),
            applicant=body.get("applicant"),
            documents=uploads_of(body["documents"]),
            store=document_store(),
        )


@blp.get("/<path:number>")
@login_required
@blp.response(200, ApplicationDetailOut)
def get_application(number: str):  # noqa: ANN201
    with uow() as work:
        details = application_details(work, actor=actor(), number=number)
    a = details.application
    return {**{name: getattr(a, name) for name in ApplicationOut().fields}, "current_steps": details.steps}
