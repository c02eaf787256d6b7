"""Notices about an application to every party of it, written to the engine's outbox in the same
transaction as the change they report (receipt, return, sanction, each release, the decision).

The parties (D83): the applicant's account (in-app; e-mail and SMS where it has an address and a
mobile number); the facilitation centre that filed it, when one did (in-app and e-mail); and the
mobile number given on the form (a CFC's SPV contact, say) by SMS when it is not the account's.
Each in their own language, or the applicant's for the form's number; each once per event.
"""

from __future__ import annotations

from typing import Any

from engine import outbox
from engine.clock import IST
from workflows.catalogue.schemes import scheme_of
from workflows.mobile import normalise_mobile
from workflows.models import Application, User
from workflows.uow import SchemeUnitOfWork


def _channels(user: User, common: dict[str, Any], *, sms: bool) -> list[dict[str, Any]]:
    mine = dict(common, recipient=user.username, language=user.language or "en")
    notes = [dict(channel=outbox.IN_APP, **mine)]
    if user.email:
        notes.append(dict(channel=outbox.EMAIL, address=user.email, **mine))
    mobile = normalise_mobile(user.phone)
    if sms and mobile:
        notes.append(dict(channel=outbox.SMS, address=mobile, **mine))
    return notes


def notify_applicant(
    uow: SchemeUnitOfWork, application: Application, template: str, *, key: str, remarks: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    user = uow.users.find_by_id(application.applicant_id)
    if user is None:
        return
    scheme = scheme_of(uow.session, application)
    params = {
        "number": application.number,
        "scheme": scheme.name,
        "scheme_hi": scheme.name_in("hi"),
        "date": uow.clock.now().astimezone(IST).strftime("%d-%m-%Y"),
        "remarks": remarks,
        "amount": application.benefit_amount,
        **(extra or {}),
    }
    common = dict(template=template, params=params, instance_id=application.instance_id,
                  key=f"{template}:{application.number}:{key}")
    notes = _channels(user, common, sms=True)
    if application.filed_by_id != application.applicant_id:
        centre = uow.users.find_by_id(application.filed_by_id)
        if centre is not None and centre.active:
            notes += _channels(centre, common, sms=False)
    contact = normalise_mobile(str((application.data or {}).get("mobile") or ""))
    if contact and contact != normalise_mobile(user.phone):
        notes.append(dict(common, channel=outbox.SMS, recipient=f"mobile:{contact}", address=contact,
                          language=user.language or "en"))
    outbox.enqueue_all(uow, notes)
