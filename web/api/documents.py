"""/api/v1/applications/{number}/documents: an application's document checklist (D73), and its
document schemas: documents sent with an application (base64) and an officer's marks on a return."""

from __future__ import annotations

import base64
import binascii

from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from web.infra.auth import actor
from web.infra.extensions import uow
from workflows.catalogue.document_types import KINDS
from workflows.readmodels.tracking import application_details
from workflows.usecases.documents import MAX_BYTES, Upload

PATH = "/applications"
blp = Blueprint("api_documents", __name__, description="The documents of an application the caller may see.")


class Base64Bytes(fields.String):
    """Bytes sent as standard base64 text."""

    def _deserialize(self, value, attr, data, **kwargs) -> bytes:  # type: ignore[no-untyped-def, override]  # noqa: ANN001
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as err:
            raise ValidationError("Not valid base64.") from err


class DocumentIn(Schema):
    type = fields.String(required=True, validate=validate.OneOf(KINDS), metadata={"description": "A type of the scheme's checklist, or other."})
    filename = fields.String(required=True, validate=validate.Length(min=1, max=200))
    content_base64 = Base64Bytes(
        required=True, metadata={"description": f"The file, base64 (PDF, JPEG or PNG; at most {MAX_BYTES // 1048576} MB)."}
    )


def uploads_of(items: list[dict]) -> list[Upload]:
    return [Upload(d["type"], d["filename"], d["content_base64"]) for d in items]


class UnacceptableIn(Schema):
    document_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    reason = fields.String(required=True, validate=validate.Length(max=500))


class FileOut(Schema):
    id = fields.Integer(attribute="document.id")
    filename = fields.String(attribute="document.original_name")
    content_type = fields.String(attribute="document.content_type")
    size = fields.Integer(attribute="document.size")
    uploaded_at = fields.DateTime(attribute="document.uploaded_at")
    acceptable = fields.Boolean()
    unacceptable_reason = fields.Function(lambda f: f.review.reason if f.review else None, allow_none=True)


class ChecklistItemOut(Schema):
    type = fields.String(attribute="kind")
    label = fields.Function(lambda it: it.label_in("en"))
    label_hi = fields.Function(lambda it: it.label_in("hi"))
    needed = fields.Boolean(metadata={"description": "Required for this application's answers."})
    status = fields.String(metadata={"description": "present, missing, unacceptable or optional"})
    files = fields.List(fields.Nested(FileOut))


@blp.get("/<path:number>/documents")
@login_required
@blp.response(200, ChecklistItemOut(many=True))
def checklist(number: str):  # noqa: ANN201
    with uow() as work:
        return application_details(work, actor=actor(), number=number).checklist
