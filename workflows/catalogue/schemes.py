"""The scheme catalogue, read from the published scheme bundles (table `scheme_versions`).

A `Scheme` is one published version of a bundle (workflows/catalogue/bundles.py), parsed once per process and
kept by row id (published versions never change). `catalogue()` is the newest version of every
scheme; an application reads the version it was filed under (`scheme_of`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from engine.messages import Text
from workflows import identity
from workflows.catalogue import form_rules, forms
from workflows.catalogue.bank_step import BankStep, bank_step
from workflows.catalogue.bundles import APPLICATION_FORM
from workflows.catalogue.bundles import data_names as bundle_names
from workflows.catalogue.document_types import OTHER
from workflows.errors import UnknownScheme, ValidationFailed
from workflows.models import Application, SchemeDraft, SchemeVersion

if TYPE_CHECKING:
    from engine.models import Task
    from workflows.uow import SchemeUnitOfWork


@dataclass(frozen=True)
class ChecklistItem:
    type: str
    label: str
    label_hi: str
    required: bool
    required_if: str | None
    formats: tuple[str, ...]
    max_size_kb: int

    def needed(self, data: Mapping[str, Any]) -> bool:
        """Whether the document must be there for an application with this data."""
        if self.required:
            return True
        if not self.required_if:
            return False
        try:
            return bool(form_rules.holds(self.required_if, data))
        except Exception:  # values the form refuses (e.g. text for a number): their errors are shown instead
            return False

    def label_in(self, language: str) -> str:
        return self.label_hi if language == "hi" and self.label_hi else self.label


@dataclass(frozen=True)
class Scheme:
    code: str
    version: int
    process_key: str
    bundle: Mapping[str, Any] = field(repr=False)
    fields: tuple[forms.Field, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()

    def _text(self, name: str, language: str = "en") -> str:
        value = self.bundle.get(name) or {}
        return str(value.get(language) or value.get("en") or "")

    @property
    def name(self) -> str:
        return self._text("name")

    def name_in(self, language: str) -> str:
        return self._text("name", language)

    def description_in(self, language: str) -> str:
        return self._text("description", language)

    def eligibility_in(self, language: str) -> str:
        return self._text("eligibility", language)

    @property
    def time_limit_days(self) -> int:
        return int(self.bundle["time_limit_days"])

    @property
    def applicant_name_field(self) -> str:
        return str(self.bundle.get("applicant_name_field", ""))

    def _benefit(self, key: str, default: Any = "") -> Any:
        return (self.bundle.get("benefit") or {}).get(key) or default

    @property
    def benefit_field(self) -> str:
        return str(self._benefit("field"))

    @property
    def sanction_step(self) -> str:
        return str(self._benefit("sanction_step"))

    @property
    def release_steps(self) -> tuple[str, ...]:
        return tuple(self._benefit("release_steps", ()))

    @property
    def released_field(self) -> str:
        return str(self._benefit("released_field"))

    @property
    def parameters(self) -> dict[str, int]:
        """The bundle's numbers (caps, windows) that its rules and flow read; process data from the start."""
        return dict(self.bundle.get("parameters") or {})

    def start_data(self, application_data: Mapping[str, Any], *, district: str, number: str) -> dict[str, Any]:
        """What a round of the scheme's process starts with: the bundle's parameters, the
        application's data and its scheme, district and number."""
        return {**self.parameters, **application_data, "scheme": self.code, "district": district, "application_number": number}

    def decision_rules(self, form_key: str | None) -> list[Mapping[str, Any]]:
        """Cross-field rules of the step's decision form (they also read the application's process data)."""
        return list((self.bundle.get("decision_rules") or {}).get(form_key or "", []))

    def breakdown_at(self, step: str) -> list[Mapping[str, Any]]:
        """The lines of the computed benefit shown on the task page of `step` (none when not shown there)."""
        breakdown = self.bundle.get("breakdown") or {}
        return list(breakdown.get("lines") or []) if step in (breakdown.get("steps") or ()) else []

    @property
    def bank(self) -> BankStep | None:
        """The scheme's bank step (branch routing, loan, what a bank officer sees), if it has one."""
        return bank_step(self.bundle)

    @property
    def opens_on(self) -> date | None:
        return date.fromisoformat(self.bundle["opens_on"]) if self.bundle.get("opens_on") else None

    @property
    def closes_on(self) -> date | None:
        return date.fromisoformat(self.bundle["closes_on"]) if self.bundle.get("closes_on") else None

    def is_open(self, day: date) -> bool:
        return (self.opens_on is None or self.opens_on <= day) and (self.closes_on is None or day <= self.closes_on)

    @property
    def field_names(self) -> frozenset[str]:
        return frozenset(f.key for f in self.fields)

    def labels(self, language: str = "en") -> dict[str, str]:
        """Every field's label, of the application form and the decision forms, in `language`."""
        out = {}
        for definition in (self.bundle.get("forms") or {}).values():
            out.update({f.key: f.label_in(language) for f in forms.fields(definition)})
        return out

    def decision_form(self, key: str | None) -> list[forms.Field]:
        definition = (self.bundle.get("forms") or {}).get(key) if key else None
        return forms.fields(definition) if definition else []

    def validate(self, data: Mapping[str, Any], *, application_date: date, masked_ok: bool = False) -> dict[str, Any]:
        """The application data cleaned of empty values, or ValidationFailed naming every field.

        Identity numbers (Aadhaar, Family ID, Udyam, mobile) are normalised and checked first
        (workflows/identity.py); `masked_ok` accepts the masked Aadhaar an application already holds."""
        data, identity_errors = identity.normalise(data, self.field_names, masked_ok=masked_ok)
        cleaned, errors = forms.check(list(self.fields), data)
        errors = {**errors, **identity_errors}
        if not errors:
            errors = form_rules.broken(self.bundle.get("rules") or [], cleaned, application_date, self.parameters)
        if errors:
            labels = {f.key: {"en": f.label, "hi": f.label_in("hi")} for f in self.fields}
            named = [labels.get(k, {"en": k, "hi": k}) for k in errors]
            english = ", ".join(n["en"] for n in named)
            raise ValidationFailed(Text(
                "application_invalid", f"The {self.name} application is not complete or not valid: {english}.",
                scheme={"en": self.name, "hi": self.name_in("hi")}, fields=named,
            ), errors)
        return cleaned

    @property
    def eligibility_rules(self) -> tuple[Mapping[str, Any], ...]:
        """The rules checked against the records (workflows/eligibility.py), e.g. {"rule": "one_per_family"}."""
        return tuple(r for r in self.bundle.get("eligibility_rules") or () if isinstance(r, Mapping))

    def missing_documents(self, data: Mapping[str, Any], kinds: set[str]) -> list[ChecklistItem]:
        return [item for item in self.checklist if item.needed(data) and item.type not in kinds]

    @property
    def document_kinds(self) -> tuple[str, ...]:
        """The document types this scheme takes: its checklist's, then "other"."""
        return (*(item.type for item in self.checklist), OTHER)


def parse(row: SchemeVersion) -> Scheme:
    return from_bundle(row.bundle, version=row.version)


def from_bundle(bundle: Mapping[str, Any], *, version: int = 0) -> Scheme:
    """A scheme read from a bundle (as published, or as workflows.catalogue.bundles.load_folder reads it)."""
    checklist = tuple(
        ChecklistItem(
            type=c["type"], label=c["label"]["en"], label_hi=c["label"].get("hi", ""), required=bool(c.get("required")),
            required_if=c.get("required_if") or None, formats=tuple(c.get("formats") or ()),
            max_size_kb=int(c.get("max_size_kb") or 5120),
        )
        for c in bundle.get("checklist") or ()
    )
    return Scheme(
        code=str(bundle["code"]),
        version=version,
        process_key=str(bundle["process"]),
        bundle=bundle,
        fields=tuple(forms.fields(bundle["forms"][APPLICATION_FORM])),
        checklist=checklist,
    )


# Parsed versions by (id, checksum): a published row never changes, and the checksum tells apart
# rows of different databases that happen to share an id (tests, several installations).
_parsed: dict[tuple[int, str], Scheme] = {}
_lock = threading.Lock()
_KEY = (SchemeVersion.id, SchemeVersion.checksum)


def _rows(session: Session, keys: list[tuple[int, str]]) -> list[Scheme]:
    keys = [(int(i), str(c)) for i, c in keys]
    missing = [i for i, c in keys if (i, c) not in _parsed]
    if missing:
        for row in session.scalars(select(SchemeVersion).where(SchemeVersion.id.in_(missing))):
            parsed = parse(row)
            with _lock:
                _parsed[(row.id, row.checksum)] = parsed
    return [_parsed[k] for k in keys if k in _parsed]


def catalogue(session: Session) -> dict[str, Scheme]:
    """The newest version of every scheme, in the order they were first published."""
    newest = (
        select(SchemeVersion.code, func.max(SchemeVersion.id).label("newest"), func.min(SchemeVersion.id).label("first"))
        .group_by(SchemeVersion.code)
        .subquery()
    )
    keys = session.execute(
        select(*_KEY).join(newest, SchemeVersion.id == newest.c.newest).order_by(newest.c.first)
    ).all()
    return {s.code: s for s in _rows(session, keys)}


def _looked_up(session: Session, key: tuple, query: Any) -> list[Scheme]:
    """One look-up per transaction: the same question asked again in this session (a decision asks
    for its application's scheme in several places) is answered from the session's memo."""
    memo = session.info.setdefault("scheme_lookups", {})
    if key not in memo:
        memo[key] = _rows(session, session.execute(query).all())
    return memo[key]


def remember_version(session: Session, code: str, version: int, key: tuple[int, str]) -> None:
    """A caller that read the (id, checksum) of scheme `code` version `version` along with other
    rows tells it here, so that `get_scheme` in this transaction asks the database nothing more."""
    session.info.setdefault("scheme_lookups", {})[("code", (code or "").upper(), version)] = _rows(session, [key])


_BY_VERSION = select(*_KEY).where(SchemeVersion.code == bindparam("code"), SchemeVersion.version == bindparam("version"))
_NEWEST = (
    select(*_KEY).where(SchemeVersion.code == bindparam("code")).order_by(SchemeVersion.version.desc()).limit(1)
)


def remember_filing(session: Session, scheme: Scheme) -> None:
    """The scheme an application is being filed under in this transaction: the statistics recorder
    (which runs inside the engine's start, before the application row exists) and the notices
    take it from the memo instead of asking the database again."""
    memo = session.info.setdefault("scheme_lookups", {})
    memo[("process", scheme.process_key)] = [scheme]
    memo[("code", scheme.code, scheme.version)] = [scheme]


def get_scheme(session: Session, code: str, version: int | None = None) -> Scheme:
    code = (code or "").upper()
    if version:
        memo = session.info.setdefault("scheme_lookups", {})
        key = ("code", code, version)
        if key not in memo:  # published versions never change: one look-up per transaction
            memo[key] = _rows(session, session.execute(_BY_VERSION, {"code": code, "version": version}).all())
        found = memo[key]
    else:
        found = _rows(session, session.execute(_NEWEST, {"code": code}).all())
    if not found:
        known = ", ".join(catalogue(session))
        wanted = f"'{code}'" + (f" version {version}" if version else "")
        raise UnknownScheme(f"There is no scheme {wanted}. Known schemes: {known or 'none published'}.")
    return found[0]


def published(uow: SchemeUnitOfWork) -> dict[str, Scheme]:
    """The schemes on offer, for entry points (which do not touch the session themselves)."""
    return catalogue(uow.session)


def published_scheme(uow: SchemeUnitOfWork, code: str) -> Scheme:
    """The newest version of scheme `code`, for entry points."""
    return get_scheme(uow.session, code)


def scheme_of(session: Session, application: Application) -> Scheme:
    """The scheme version the application was filed under (remembered for its instance, so that
    the statistics recorder in the same transaction asks the database no second time)."""
    scheme = get_scheme(session, application.scheme_code, application.scheme_version)
    session.info.setdefault("scheme_lookups", {})[("instance", application.instance_id)] = [scheme]
    return scheme


def scheme_of_instance(session: Session, instance_id: int, process_key: str, *, new: bool = False) -> Scheme | None:
    """The scheme version an instance's application was filed under; for an instance with no
    application yet (being submitted in this transaction: `new`), the scheme being filed
    (remember_filing) or else the newest version of its flow's scheme."""
    memo = session.info.get("scheme_lookups", {})
    if ("instance", instance_id) in memo:
        return memo[("instance", instance_id)][0]
    if new:
        return by_process(session, process_key)
    filed = session.execute(
        select(Application.scheme_code, Application.scheme_version).where(Application.instance_id == instance_id)
    ).first()
    if filed is None or filed.scheme_version is None:
        return by_process(session, process_key)
    return get_scheme(session, filed.scheme_code, filed.scheme_version)


def by_process(session: Session, process_key: str) -> Scheme | None:
    """The newest version of the scheme whose flow is `process_key`, if any."""
    query = select(*_KEY).where(SchemeVersion.process_key == process_key).order_by(SchemeVersion.id.desc()).limit(1)
    found = _looked_up(session, ("process", process_key), query)
    return found[0] if found else None


def process_keys(session: Session) -> dict[str, str]:
    """Scheme code -> process key, of the newest versions."""
    return {code: s.process_key for code, s in catalogue(session).items()}


def data_names(session: Session) -> frozenset[str]:
    """Every name some scheme's forms ask for: what a condition in a scheme's flow may read."""
    names: set[str] = set()
    for scheme in catalogue(session).values():
        names |= bundle_names(scheme.bundle)
    for draft in session.scalars(select(SchemeDraft)):
        names |= bundle_names(draft.bundle)
    return frozenset(names)


def decision_form(uow: SchemeUnitOfWork, task: Task, application: Application) -> list[forms.Field]:
    """The fields of the step's decision form (the user task's `form_key` in the application's
    scheme version, else in the newest one); none when the step has no form."""
    definition = uow.definitions.summary(uow.instances.get(task.instance_id).definition_id)
    key = definition.user_tasks.get(task.bpmn_id, {}).get("properties", {}).get("form_key")
    if not key:
        return []
    scheme = scheme_of(uow.session, application)
    found = scheme.decision_form(key)
    if not found:
        found = get_scheme(uow.session, application.scheme_code).decision_form(key)
    return found
