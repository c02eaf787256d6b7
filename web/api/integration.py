"""/api/v1: messages to one application and signals to every waiting instance (administrators and
`integration` accounts; D26)."""

from __future__ import annotations

from flask_login import login_required
from flask_smorest import Blueprint

from web.api.schemas import EventIn, MessageOut, SignalOut
from web.infra.auth import actor
from web.infra.extensions import uow
from workflows.usecases import integration

PATH = ""
blp = Blueprint("api_integration", __name__, description="Messages and signals from other systems (a bank, the treasury).")

# The only endpoints an `integration` account may reach (web/infra/auth.py refuses it everything else).
INTEGRATION_ENDPOINTS = frozenset({"api_integration.send_message", "api_integration.send_signal"})


@blp.post("/applications/<path:number>/messages")
@login_required
@blp.arguments(EventIn)
@blp.response(200, MessageOut)
@blp.alt_response(409, description="Nothing in the application waits for this message; `waiting` names what does.")
def send_message(body: dict, number: str):  # noqa: ANN201
    """Deliver a message to application `number` (correlated by the number and the message's name)."""
    with uow() as work:
        return integration.deliver_message(work, actor=actor(), number=number, name=body["name"], payload=body["payload"])


@blp.post("/signals")
@login_required
@blp.arguments(EventIn)
@blp.response(200, SignalOut)
def send_signal(body: dict):  # noqa: ANN201
    """Broadcast a signal to every instance waiting for it, each in its own transaction."""
    return integration.signal(uow, actor=actor(), name=body["name"], payload=body["payload"])
