"""Notices to applicants (submitted, returned, approved, rejected), written to the engine's outbox
in the same transaction as the change they report."""

from __future__ import annotations

from engine import outbox
from workflows.catalogue.schemes import scheme_of
from workflows.models import Application
from workflows.uow import SchemeUnitOfWork


def notify_applicant(uow: SchemeUnitOfWork, application: Application, template: str, *, key: str, remarks: str = "") -> None:
    user = uow.users.find_by_id(application.applicant_id)
    if user is None:
        return
    params = {
        "number": application.number,
        "scheme": scheme_of(uow.session, application).name,
        "date": uow.clock.now().strftime("%d-%m-%Y"),
        "remarks": remarks,
        "amount": f"{application.benefit_amount:,}" if application.benefit_amount else "",
    }
    common = dict(recipient=user.username, template=template, params=params, language=user.language or "en",
                  instance_id=application.instance_id, key=f"{template}:{application.number}:{key}")
    notes = [dict(channel=outbox.IN_APP, **common)]
    if user.email:
        notes.append(dict(channel=outbox.EMAIL, address=user.email, **common))
    outbox.enqueue_all(uow, notes)
