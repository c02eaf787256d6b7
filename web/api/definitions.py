"""/api/v1/definitions (read only)"""

from __future__ import annotations

from flask_login import login_required
from flask_smorest import Blueprint

from web.api.schemas import DefinitionOut
from web.extensions import uow

PATH = "/definitions"
blp = Blueprint("api_definitions", __name__, description="Deployed process versions.")


@blp.get("")
@login_required
@blp.response(200, DefinitionOut(many=True))
def list_definitions():  # noqa: ANN201
    with uow() as work:
        return work.definitions.list()


@blp.get("/<key>/<int:version>")
@login_required
@blp.response(200, DefinitionOut)
def get_definition(key: str, version: int):  # noqa: ANN201
    with uow() as work:
        return work.definitions.by_version(key, version)
