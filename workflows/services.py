"""The scheme layer's start-up wiring: service-task operators (send a notice to the applicant, D27)
and the Aadhaar hashing key the entry point passes in (D70)."""

from __future__ import annotations

from engine.runtime import Runtime
from engine.services import ServiceCall, ServiceFailed
from workflows import identity
from workflows.applicant_notices import notify_applicant
from workflows.errors import DomainError

NOTIFY_APPLICANT = "notify_applicant"


def install(runtime: Runtime, *, aadhaar_key: bytes = b"") -> None:
    if aadhaar_key:
        identity.install_key(runtime, aadhaar_key)

    def notify(call: ServiceCall) -> dict[str, str]:
        text = str(call.param("text") or "").strip()
        if not text:
            raise ServiceFailed("The notice has no text (parameter 'text').")
        applications = getattr(call.uow, "applications", None)
        if applications is None or call.instance_id is None:
            raise ServiceFailed("A notice can only be sent for an application.")
        try:
            application = applications.by_instance(call.instance_id)
        except DomainError as err:
            raise ServiceFailed(str(err)) from None
        key = str(call.params.get("key") or text[:60])
        notify_applicant(call.uow, application, "process_notice", key=f"service:{key}", remarks=text[:1000])
        return {"sent_to": "applicant", "number": application.number}

    runtime.services.register(
        NOTIFY_APPLICANT, notify, params=("text", "key"),
        description="Send the applicant an in-app notice with `text` (and an email and an SMS where they have an address and a mobile number).",
    )
