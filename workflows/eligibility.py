"""Eligibility against the records: the rules a scheme lists in `eligibility_rules` (D71).

- `one_per_family`: one application of the scheme per UP Family ID while one is open or approved;
- `one_open_per_applicant`: one open application per applicant and scheme, the applicant known by
  their Aadhaar number, the enterprise's Udyam number or (CFC) the SPV's registration number;
- `not_within_years` (`years`): none within that many years of the last approved one for the same
  Aadhaar number or Udyam number;
- `district_product` (`field`): the product is one of the district's notified ODOP products.

At submission `claim` decides at write time: the first two rules insert one `eligibility_claims`
row per (rule, key) with INSERT … ON CONFLICT DO NOTHING, so of two submissions for the same
family at once the second finds the first one's row (PostgreSQL waits for the first transaction)
and is refused with its number, unless that application no longer holds it (decided; for the
family rule, rejected): then the row is taken over by a conditional UPDATE on the holder as read,
so nothing has to be released on the decision's path. The history rule is read after the
claims, so an approval committed meanwhile is seen. At the first office step `findings` checks
the same rules again against the applications themselves, for the DIC officer to see, and an
approval there is refused while any holds (decisions.decide).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, union, update

from engine.db import insert_unless_present
from engine.messages import Text
from workflows.catalogue.numbering import IST
from workflows.catalogue.schemes import Scheme
from workflows.errors import NotEligible, bilingual
from workflows.models import Application, ApplicationStatus, District, EligibilityClaim
from workflows.uow import SchemeUnitOfWork

OPEN = (ApplicationStatus.IN_PROCESS, ApplicationStatus.RETURNED)


@dataclass(frozen=True)
class Finding:
    """A rule the application breaks: which, on which field, the earlier application's number."""

    rule: str
    field: str
    message: Text
    earlier: str | None = None


def form_choices(uow: SchemeUnitOfWork, scheme: Scheme, district_code: str | None) -> dict[str, list[str]]:
    """Fields the form offers as a choice of the district's products (`district_product`), with them."""
    district = uow.session.get(District, district_code) if district_code else None
    if district is None:
        return {}
    return {
        str(r.get("field") or "product"): district.products
        for r in scheme.eligibility_rules if r.get("rule") == "district_product"
    }


def identity_keys(application: Application) -> list[tuple[str, str]]:
    """(field, key) by which the applicant is known; the account when the form has no identity."""
    keys = []
    if application.aadhaar_hash:
        keys.append(("aadhaar", f"aadhaar:{application.aadhaar_hash}"))
    if application.udyam_number:
        keys.append(("udyam_number", f"udyam:{application.udyam_number}"))
    registration = str(application.data.get("registration_number") or "").strip().upper()
    if registration:
        keys.append(("registration_number", f"registration:{registration[:100]}"))
    return keys or [("applicant", f"account:{application.applicant_id}")]


def claim(uow: SchemeUnitOfWork, scheme: Scheme, application: Application) -> None:
    """Take the application's claims and check the rules; ValidationFailed naming each broken rule
    and the earlier application. Needs the application flushed (its id); does not commit."""
    uow.session.execute(delete(EligibilityClaim).where(EligibilityClaim.application_id == application.id))
    found: list[Finding] = []
    for rule in scheme.eligibility_rules:
        kind = rule.get("rule")
        if kind == "one_per_family" and application.family_id:
            holder = _take(uow, application, f"family:{scheme.code}", f"family:{application.family_id}",
                           (ApplicationStatus.REJECTED,))
            if holder:
                found.append(_family(scheme, application, holder))
        elif kind == "one_open_per_applicant":
            for field, key in identity_keys(application):
                holder = _take(uow, application, f"open:{scheme.code}", key, ApplicationStatus.FINAL)
                if holder:
                    found.append(_open(scheme, field, holder))
                    break
    for rule in scheme.eligibility_rules:  # after the claims: an approval committed meanwhile is seen
        found += _history(uow, scheme, application, rule)
    refuse(scheme, found)


def findings(uow: SchemeUnitOfWork, scheme: Scheme, application: Application) -> list[Finding]:
    """The rules the application breaks against the records as they are now (the DIC's check):
    one query for the other applications of the same family, person or unit, one for the district."""
    kinds = {str(r.get("rule")): r for r in scheme.eligibility_rules}
    found: list[Finding] = []
    same = [c == v for c, v in (
        (Application.family_id, application.family_id), (Application.aadhaar_hash, application.aadhaar_hash),
        (Application.udyam_number, application.udyam_number),
    ) if v]
    # One SELECT per identity joined by UNION, each answered by its own column's index, and the
    # scheme compared here: with an OR of them, or the scheme in the WHERE clause, SQLite walked the
    # scheme's index instead (a second per decision at 1,000,000 applications).
    others = sorted((row for row in uow.session.execute(union(*(
        select(Application.id, Application.scheme_code, Application.number, Application.status, Application.family_id,
               Application.aadhaar_hash, Application.udyam_number, Application.decided_at)
        .where(key, Application.id != application.id)
        for key in same
    ))) if row.scheme_code == scheme.code), key=lambda row: row.id) if same and {
        "one_per_family", "one_open_per_applicant", "not_within_years"} & set(kinds) else []
    family = [o for o in others if application.family_id and o.family_id == application.family_id
              and o.status != ApplicationStatus.REJECTED]
    if "one_per_family" in kinds and family:
        found.append(_family(scheme, application, family[0].number))
    if "one_open_per_applicant" in kinds:
        for o in others:
            field = ("aadhaar" if application.aadhaar_hash and o.aadhaar_hash == application.aadhaar_hash
                     else "udyam_number" if application.udyam_number and o.udyam_number == application.udyam_number else "")
            if field and o.status not in ApplicationStatus.FINAL:
                found.append(_open(scheme, field, o.number))
                break
    if "not_within_years" in kinds:
        years = int(kinds["not_within_years"].get("years") or 2)
        since = _years_before(uow.clock.now(), years)
        recent = [o for o in others if o.status == ApplicationStatus.APPROVED and o.decided_at and o.decided_at >= since
                  and (o.aadhaar_hash == application.aadhaar_hash or o.udyam_number == application.udyam_number)]
        if recent:
            last = max(recent, key=lambda o: o.decided_at)
            found.append(_within(scheme, application, years, last.number, last.decided_at, last.udyam_number))
    if "district_product" in kinds:
        found += _product(uow, application, kinds["district_product"])
    return found


def refuse(scheme: Scheme, found: list[Finding], *, at: str = "submitted") -> None:
    if not found:
        return
    fields: dict[str, list[str]] = {}
    for f in found:
        fields.setdefault(f.field, []).append(f.message)
    text = " ".join(f.message for f in found)
    raise NotEligible(f"The {scheme.name} application cannot be {at}: {text}", fields)


def _take(uow: SchemeUnitOfWork, application: Application, rule: str, key: str, frees: tuple[str, ...]) -> str | None:
    """Claim (rule, key) for the application; the number of the application holding it, if another.

    A holder whose status is one of `frees` (decided; for a family claim, rejected) no longer
    holds it: the row is taken over by a conditional UPDATE on the holder as read, so of two
    applications taking it over at once only one succeeds (a decided status never changes)."""
    key = key[:128]
    values = {
        "rule": rule, "key": key, "application_id": application.id,
        "application_number": application.number, "created_at": uow.clock.now(),
    }
    if insert_unless_present(uow.session, EligibilityClaim.__table__, values, unique=["rule", "key"]):
        return None
    holder = uow.session.execute(
        select(EligibilityClaim.application_id, EligibilityClaim.application_number, Application.status)
        .join(Application, Application.id == EligibilityClaim.application_id)
        .where(EligibilityClaim.rule == rule, EligibilityClaim.key == key)
    ).first()
    if holder is None or holder.application_id == application.id:
        return None
    if holder.status in frees:
        taken = uow.session.execute(
            update(EligibilityClaim)
            .where(EligibilityClaim.rule == rule, EligibilityClaim.key == key,
                   EligibilityClaim.application_id == holder.application_id)
            .values(application_id=application.id, application_number=application.number, created_at=values["created_at"])
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            return None
        return uow.session.scalar(
            select(EligibilityClaim.application_number).where(EligibilityClaim.rule == rule, EligibilityClaim.key == key)
        )
    return holder.application_number


def _history(uow: SchemeUnitOfWork, scheme: Scheme, application: Application, rule: Mapping[str, Any]) -> list[Finding]:
    kind = rule.get("rule")
    if kind == "district_product":
        return _product(uow, application, rule)
    if kind != "not_within_years":
        return []
    years = int(rule.get("years") or 2)
    since = _years_before(uow.clock.now(), years)
    matches = [c == v for c, v in (
        (Application.aadhaar_hash, application.aadhaar_hash), (Application.udyam_number, application.udyam_number),
    ) if v]
    if not matches:
        return []
    # One SELECT per identity (each by its own index, the scheme compared here, as in `findings`),
    # the latest approval of all.
    rows = [row for row in uow.session.execute(union(*(
        select(Application.decided_at, Application.number, Application.udyam_number, Application.scheme_code).where(
            key, Application.id != application.id, Application.status == ApplicationStatus.APPROVED,
            Application.decided_at >= since,
        ) for key in matches
    ))) if row.scheme_code == scheme.code]
    if not rows:
        return []
    decided_at, number, udyam, _ = max(rows)
    return [_within(scheme, application, years, number, decided_at, udyam)]


def _product(uow: SchemeUnitOfWork, application: Application, rule: Mapping[str, Any]) -> list[Finding]:
    field = str(rule.get("field") or "product")
    district = uow.session.get(District, application.district_code)
    products = district.products if district else []
    if application.data.get(field) in products:
        return []
    return [Finding("district_product", field, bilingual(
        f"The product must be one of the district's ODOP products: {', '.join(products)}.",
        f"उत्पाद जनपद के ओडीओपी उत्पादों में से एक होना चाहिए: {', '.join(products)}।",
    ))]


def _within(scheme: Scheme, application: Application, years: int, number: str, decided: datetime, udyam: str | None) -> Finding:
    field = "udyam_number" if application.udyam_number and udyam == application.udyam_number else "aadhaar"
    day = decided.astimezone(IST).strftime("%d-%m-%Y")
    en, hi = scheme.name_in("en"), scheme.name_in("hi")
    return Finding("not_within_years", field, bilingual(
        f"No {en} within {years} years of the last approved one: application {number} was approved on {day}.",
        f"पिछली स्वीकृति के {years} वर्ष के भीतर दोबारा {hi} नहीं मिलती: आवेदन {number} {day} को स्वीकृत हुआ था।",
    ), number)


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def _family(scheme: Scheme, application: Application, earlier: str) -> Finding:
    en, hi = scheme.name_in("en"), scheme.name_in("hi")
    return Finding("one_per_family", "family_id", bilingual(
        f"One {en} per family: the family with Family ID {application.family_id} already has application "
        f"{earlier}, open or approved.",
        f"एक परिवार को एक ही {hi}: परिवार आईडी {application.family_id} वाले परिवार का आवेदन {earlier} "
        "पहले से प्रक्रिया में या स्वीकृत है।",
    ), earlier)


def _open(scheme: Scheme, field: str, earlier: str) -> Finding:
    en, hi = scheme.name_in("en"), scheme.name_in("hi")
    return Finding("one_open_per_applicant", field, bilingual(
        f"One open application per applicant and scheme: this applicant's {en} application {earlier} is still open.",
        f"प्रति आवेदक प्रति योजना एक ही खुला आवेदन: इस आवेदक का {hi} आवेदन {earlier} अभी प्रक्रिया में है।",
    ), earlier)
