"""/api/v1/definitions: deployed process versions; administrators also upload, validate, deploy,
compare, roll back and migrate."""

from __future__ import annotations

from flask import Response, request
from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import ValidationError as MarshmallowError

from engine.definitions import DeployResult
from engine.errors import DefinitionNotFound, Problem
from web.api.schemas import (
    DefinitionOut,
    DeployedOut,
    DiffArgs,
    DiffOut,
    FilesIn,
    MigrateIn,
    MigrationPlanIn,
    MigrationPlanOut,
    MovedOut,
    ValidationOut,
    VersionRef,
)
from web.infra.auth import actor
from web.infra.extensions import uow
from workflows.errors import ValidationFailed
from workflows.readmodels import processes
from workflows.usecases import flows

PATH = "/definitions"
blp = Blueprint("api_definitions", __name__, description="Deployed process versions and their administration.")


@blp.get("")
@login_required
@blp.response(200, DefinitionOut(many=True))
def list_definitions():  # noqa: ANN201
    """Administrators: every version; officers: the processes of their lanes."""
    with uow() as work:
        return processes.definitions(work, actor=actor())


@blp.get("/<key>/<int:version>")
@login_required
@blp.response(200, DefinitionOut)
def get_definition(key: str, version: int):  # noqa: ANN201
    with uow() as work:
        return processes.definition(work, actor=actor(), key=key, version=version)


@blp.get("/<key>/<int:version>/files/<name>")
@login_required
@blp.doc(responses={"200": {"description": "The file as stored.", "content": {"application/xml": {"schema": {"type": "string"}}}}})
def get_file(key: str, version: int, name: str):  # noqa: ANN201
    """One BPMN or DMN file of a version, as stored (administrators)."""
    with uow() as work:
        files = flows.version(work, actor=actor(), key=key, number=version).files
    if name not in files:
        raise DefinitionNotFound(f"Version {version} of '{key}' has no file '{name}' (it has {', '.join(sorted(files))}).")
    return Response(files[name], mimetype="application/xml")


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _uploaded() -> tuple[dict[str, bytes], str, str | None, bool]:
    """Files from a multipart upload (field `files`, repeatable) or from a JSON body; the comment,
    the process id and `confirm_replace` (form field, JSON field or query argument)."""
    if request.files:
        files = {f.filename or "unnamed": f.read() for f in request.files.getlist("files")}
        confirm = _flag(request.form.get("confirm_replace") or request.args.get("confirm_replace"))
        return files, request.form.get("comment", ""), request.form.get("process_id") or None, confirm
    try:
        body = FilesIn().load(request.get_json(silent=True) or {})
    except MarshmallowError as err:
        raise ValidationFailed("Send the files as multipart `files` or as JSON {files: {name: xml}}.", err.messages) from err
    confirm = body["confirm_replace"] or _flag(request.args.get("confirm_replace"))
    return body["files"], body["comment"], request.args.get("process_id") or None, confirm


def _validation(problems: list[Problem]) -> dict:
    return {"valid": not problems, "problems": [p.as_dict() for p in problems]}


def _deployed(result: DeployResult) -> dict:
    return {"created": result.created, "definition": result.definition}


@blp.post("")
@login_required
@blp.response(201, DeployedOut)
@blp.doc(description="Upload and deploy: multipart `files` (one BPMN file and the DMN files it calls), `comment`, "
         "optional `process_id` and `confirm_replace`; or JSON `{files: {name: xml}, comment, confirm_replace}`. "
         "422 lists every problem found; 409 `replace_not_confirmed` when the files share no step or gateway id with "
         "the deployed process of the same id (send `confirm_replace=true` to replace it).")
def deploy():  # noqa: ANN201
    files, comment, process_id, confirm = _uploaded()
    with uow() as work:
        result = flows.deploy_flow(
            work, actor=actor(), files=files, comment=comment, key=process_id, confirm_replace=confirm
        )
    return _deployed(result)


@blp.post("/validate")
@login_required
@blp.response(200, ValidationOut)
@blp.doc(description="Every check deploy makes; nothing is stored. The same bodies as the upload.")
def validate():  # noqa: ANN201
    files, _, process_id, _ = _uploaded()
    with uow() as work:
        problems = flows.validate(work, actor=actor(), files=files, key=process_id)
    return _validation(problems)


@blp.post("/<key>/validate")
@login_required
@blp.arguments(FilesIn)
@blp.response(200, ValidationOut)
def validate_for(body: dict, key: str):  # noqa: ANN201
    with uow() as work:
        problems = flows.validate(work, actor=actor(), files=body["files"], key=key)
    return _validation(problems)


@blp.post("/<key>/versions")
@login_required
@blp.arguments(FilesIn)
@blp.response(201, DeployedOut)
def deploy_for(body: dict, key: str):  # noqa: ANN201
    """Deploy edited files as the newest version of `key` (the editor's Deploy). 409
    `replace_not_confirmed` when they share no step or gateway id with it; resend with
    `confirm_replace: true` to replace it."""
    with uow() as work:
        result = flows.deploy_flow(
            work, actor=actor(), files=body["files"], comment=body["comment"], key=key, confirm_replace=body["confirm_replace"]
        )
    return _deployed(result)


@blp.put("/<key>/draft")
@login_required
@blp.arguments(FilesIn)
@blp.response(204)
def save_draft(body: dict, key: str) -> None:
    with uow() as work:
        flows.save_draft(work, actor=actor(), key=key, files=body["files"], based_on=body["based_on"])


@blp.delete("/<key>/draft")
@login_required
@blp.response(204)
def discard_draft(key: str) -> None:
    with uow() as work:
        flows.discard_draft(work, actor=actor(), key=key)


@blp.get("/<key>/diff")
@login_required
@blp.arguments(DiffArgs, location="query")
@blp.response(200, DiffOut)
def diff(args: dict, key: str):  # noqa: ANN201
    with uow() as work:
        return flows.compare(work, actor=actor(), key=key, old=args["old"], new=args["new"])


@blp.post("/<key>/rollback")
@login_required
@blp.arguments(VersionRef)
@blp.response(201, DeployedOut)
def rollback(body: dict, key: str):  # noqa: ANN201
    with uow() as work:
        result = flows.rollback(work, actor=actor(), key=key, number=body["version"], comment=body["comment"])
    return _deployed(result)


@blp.post("/<key>/migrations/dry-run")
@login_required
@blp.arguments(MigrationPlanIn)
@blp.response(200, MigrationPlanOut)
def plan(body: dict, key: str):  # noqa: ANN201
    with uow() as work:
        return flows.plan_migration(
            work, actor=actor(), key=key, to_version=body["to_version"], from_version=body["from_version"],
            numbers=body["numbers"], limit=body["limit"],
        )


@blp.post("/<key>/migrations")
@login_required
@blp.arguments(MigrateIn)
@blp.response(200, MovedOut(many=True))
def migrate(body: dict, key: str):  # noqa: ANN201
    """Move each application in its own transaction; the answer says which moved and why not."""
    return flows.migrate(uow, actor=actor(), key=key, to_version=body["to_version"], instance_ids=body["instance_ids"])
