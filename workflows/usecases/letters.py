"""Letters an applicant holds in hand, and the public check that one is genuine.

An acknowledgement exists once an application is submitted, a sanction letter once it is approved.
Who may download one is who may see the application (`access.may_see_application`); the letter
itself is rendered by `workflows.printing.letter_pdf`. The verification read (`verification`) is public and
returns only what a letter's reader needs to trust it: scheme, district, status and the sanctioned
amount, never a name, a contact or a document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from engine.errors import NotFound
from engine.messages import Text
from workflows import access
from workflows.catalogue.schemes import scheme_of
from workflows.errors import DomainError, NotAllowed, ValidationFailed
from workflows.models import Application, ApplicationStatus
from workflows.printing.letter_pdf import LANGUAGES, Letter, render
from workflows.readmodels.tracking import CalendarFor
from workflows.uow import SchemeUnitOfWork

ACKNOWLEDGEMENT = "acknowledgement"
SANCTION = "sanction"
KINDS = (ACKNOWLEDGEMENT, SANCTION)


class UnknownApplication(DomainError, NotFound):
    code = "unknown_application"


class LetterNotAvailable(DomainError, NotFound):
    code = "letter_not_available"


@dataclass(frozen=True)
class Verification:
    """What the public verification page shows: nothing that identifies a person."""

    number: str
    scheme_code: str
    scheme_name: str
    district: str
    status: str
    sanctioned_amount: int | None
    decided_at: datetime | None
    scheme_name_hi: str = ""


@dataclass(frozen=True)
class LetterFile:
    filename: str
    content: bytes


def available_letters(application: Application) -> tuple[str, ...]:
    """The letters an application has: an acknowledgement from submission, a sanction once approved."""
    if application.status == ApplicationStatus.APPROVED:
        return KINDS
    return (ACKNOWLEDGEMENT,)


def letter_pdf(
    uow: SchemeUnitOfWork,
    *,
    actor: str,
    number: str,
    kind: str,
    language: str,
    verify_url: Callable[[str], str],
    calendar_for: CalendarFor | None = None,
) -> LetterFile:
    """The letter as PDF, for someone who may see the application; `verify_url(number)` is printed
    and put in the QR code. With a calendar, the acknowledgement says by when a decision is due."""
    problems = {}
    if kind not in KINDS:
        problems["kind"] = [f"One of: {', '.join(KINDS)}."]
    if language not in LANGUAGES:
        problems["lang"] = [f"One of: {', '.join(LANGUAGES)}."]
    if problems:
        raise ValidationFailed("There is no such letter.", problems)
    user = uow.users.by_username(actor)
    application = uow.applications.by_number(number)
    if not access.may_see_application(user, application):
        raise NotAllowed(Text("cannot_see", f"You cannot see {number}.", number=number))
    if kind not in available_letters(application):
        raise LetterNotAvailable(f"{number} has no sanction letter: it is not approved.")
    letter = _letter(uow, application, kind, calendar_for)
    content = render(letter, language, verify_url(application.number))
    return LetterFile(filename=f"{kind}-{_safe(application.number)}-{language}.pdf", content=content)


def verification(uow: SchemeUnitOfWork, number: str) -> Verification:
    """The public facts of an application, for `/verify/<number>`; an unknown number is not found."""
    application = uow.session.scalars(select(Application).where(Application.number == number)).first()
    if application is None:
        raise UnknownApplication(f"There is no application {number}.")
    approved = application.status == ApplicationStatus.APPROVED
    return Verification(
        number=application.number,
        scheme_code=application.scheme_code,
        scheme_name=scheme_of(uow.session, application).name,
        scheme_name_hi=scheme_of(uow.session, application).name_in("hi"),
        district=uow.districts.get(application.district_code).name,
        status=application.status,
        sanctioned_amount=application.benefit_amount if approved else None,
        decided_at=application.decided_at,
    )


def _letter(uow: SchemeUnitOfWork, application: Application, kind: str, calendar_for: CalendarFor | None) -> Letter:
    scheme = scheme_of(uow.session, application)
    submitted = application.submitted_at
    due = calendar_for(uow, submitted.year).add_working_days(submitted, scheme.time_limit_days) if calendar_for else None
    return Letter(
        kind=kind,
        number=application.number,
        scheme_code=scheme.code,
        scheme_name=scheme.name,
        district=uow.districts.get(application.district_code).name,
        applicant_name=application.applicant_name,
        submitted_at=application.submitted_at,
        decided_at=application.decided_at,
        amount=application.benefit_amount,
        time_limit_days=scheme.time_limit_days,
        due_at=due,
    )


def _safe(number: str) -> str:
    return "".join(c if c.isalnum() or c == "-" else "_" for c in number)
