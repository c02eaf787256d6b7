"""Use cases of the scheme administration: create a scheme from a flow template, keep a draft of its
bundle, validate it against its flow, publish it with a comment (with the flow's draft, if any),
compare versions, roll back, close. Administrators only; every change is in the audit log.
Each use case commits once."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from sqlalchemy import select

from engine.definitions import deploy
from workflows.access import require_admin
from workflows.catalogue import bundles, roles
from workflows.catalogue.appeal_rules import APPEAL_DATA_NAMES
from workflows.catalogue.schemes import catalogue, data_names
from workflows.errors import UnknownScheme, ValidationFailed
from workflows.models import FlowDraft, SchemeDraft, SchemeVersion
from workflows.uow import SchemeUnitOfWork

MAX_COMMENT = 500
TEMPLATES = {"verify_and_sanction": "DIC verification, a benefit table, GM DIC sanction"}


def scheme_rules(uow: SchemeUnitOfWork, extra_names: Iterable[str] = ()) -> dict[str, Any]:
    """What any scheme process must satisfy beyond BPMN itself: its lanes are roles, and its conditions
    read only what an application of some scheme holds (a form's field) or the model sets. Every
    flow deploy and validation uses these; publishing checks a bundle against its own flow, narrowly."""
    return {"known_lanes": roles.LANE_ROLES, "known_names": data_names(uow.session) | set(extra_names) | APPEAL_DATA_NAMES}


def _admin(uow: SchemeUnitOfWork, actor: str) -> None:
    require_admin(uow.users.by_username(actor), "may create, change or publish schemes")


def required_comment(comment: str, *, to: str = "publish") -> str:
    """The comment a deploy or publish must carry: said, and not too long."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed("Say what changed and why.", {"comment": [f"A comment is required to {to}."]})
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed("The comment is too long.", {"comment": [f"At most {MAX_COMMENT} characters."]})
    return comment


def _versions(uow: SchemeUnitOfWork, code: str) -> list[SchemeVersion]:
    return list(uow.session.scalars(select(SchemeVersion).where(SchemeVersion.code == code).order_by(SchemeVersion.version.desc())))


def _others(uow: SchemeUnitOfWork, code: str) -> list[tuple[str, str]]:
    pairs = [(c, s.process_key) for c, s in catalogue(uow.session).items() if c != code]
    pairs += [(d.code, d.bundle.get("process", "")) for d in uow.session.scalars(select(SchemeDraft)) if d.code != code]
    return pairs


def _flow_files(uow: SchemeUnitOfWork, process: str) -> dict[str, bytes] | None:
    """The files the bundle will run with: the flow's draft, if any, else its newest version."""
    draft = uow.session.get(FlowDraft, process) if process else None
    if draft is not None:
        return {n: b.encode("utf-8") for n, b in draft.files.items()}
    latest = uow.definitions.latest(process) if process else None
    return {n: b.encode("utf-8") for n, b in latest.files.items()} if latest is not None else None


def check(uow: SchemeUnitOfWork, bundle: Mapping[str, Any], flow_files: Mapping[str, bytes] | None = None) -> list[str]:
    """Every problem publishing `bundle` would find (against its flow's draft or newest version)."""
    process = bundle.get("process") if isinstance(bundle, Mapping) else None
    files = flow_files if flow_files is not None else _flow_files(uow, process if isinstance(process, str) else "")
    return bundles.problems(bundle, files, others=_others(uow, str(bundle.get("code", ""))))


def publish_bundle(
    uow: SchemeUnitOfWork,
    bundle: Mapping[str, Any],
    *,
    actor: str,
    comment: str,
    check_role: bool = True,
) -> tuple[SchemeVersion, bool]:
    """Validate the bundle and store it as the newest version of its scheme, deploying the flow's draft
    first if there is one. Identical content to the newest version stores nothing. Commits once."""
    if check_role:
        _admin(uow, actor)
    comment = required_comment(comment)
    process = str(bundle.get("process", ""))
    flow_draft = uow.session.get(FlowDraft, process) if process else None
    problems = check(uow, bundle)
    if problems:
        raise ValidationFailed(f"The scheme cannot be published: {len(problems)} problem(s).", {"bundle": problems})
    if flow_draft is not None:
        files = {n: b.encode("utf-8") for n, b in flow_draft.files.items()}
        deploy(uow, files, actor=actor, comment=comment, process_id=process, **scheme_rules(uow, bundles.data_names(bundle)))
        uow.session.delete(flow_draft)
    code = str(bundle["code"])
    versions = _versions(uow, code)
    digest = bundles.checksum(bundle)
    created = not versions or versions[0].checksum != digest
    row = versions[0] if versions else None
    if created:
        row = SchemeVersion(
            code=code, version=(versions[0].version + 1) if versions else 1, process_key=process,
            bundle=copy.deepcopy(dict(bundle)), checksum=digest, published_by=actor,
            published_at=uow.clock.now(), comment=comment,
        )  # fmt: skip
        uow.session.add(row)
        uow.flush()
        uow.audit.record("scheme_published", actor, code=code, version=row.version, process=process, comment=comment)
    draft = uow.session.get(SchemeDraft, code)
    if draft is not None:
        uow.session.delete(draft)
    uow.commit()
    return row, created  # type: ignore[return-value]


@dataclass(frozen=True)
class SchemeEntry:
    code: str
    name: str
    process: str
    versions: list[SchemeVersion]  # newest first
    draft: SchemeDraft | None

    @property
    def closed_on(self) -> str | None:
        return self.versions[0].bundle.get("closes_on") if self.versions else None


def schemes(uow: SchemeUnitOfWork, *, actor: str) -> list[SchemeEntry]:
    """Every scheme, published or only drafted, with its versions."""
    _admin(uow, actor)
    drafts = {d.code: d for d in uow.session.scalars(select(SchemeDraft))}
    codes = list(catalogue(uow.session)) + sorted(set(drafts) - set(catalogue(uow.session)))
    return [scheme(uow, actor=actor, code=c, _drafts=drafts) for c in codes]


def scheme(uow: SchemeUnitOfWork, *, actor: str, code: str, _drafts: Mapping[str, SchemeDraft] | None = None) -> SchemeEntry:
    _admin(uow, actor)
    versions = _versions(uow, code)
    draft = _drafts.get(code) if _drafts is not None else uow.session.get(SchemeDraft, code)
    if not versions and draft is None:
        raise UnknownScheme(f"There is no scheme '{code}'.")
    bundle = draft.bundle if draft is not None else versions[0].bundle
    return SchemeEntry(code, (bundle.get("name") or {}).get("en", code), str(bundle.get("process", "")), versions, draft)


def working_bundle(uow: SchemeUnitOfWork, *, actor: str, code: str) -> dict[str, Any]:
    """The draft being edited, or else the newest published version."""
    entry = scheme(uow, actor=actor, code=code)
    return copy.deepcopy(dict(entry.draft.bundle if entry.draft is not None else entry.versions[0].bundle))


def version(uow: SchemeUnitOfWork, *, actor: str, code: str, number: int) -> SchemeVersion:
    _admin(uow, actor)
    found = next((v for v in _versions(uow, code) if v.version == number), None)
    if found is None:
        raise UnknownScheme(f"The scheme '{code}' has no version {number}.")
    return found


def save_draft(uow: SchemeUnitOfWork, *, actor: str, bundle: Mapping[str, Any]) -> SchemeDraft:
    """Keep an unfinished edit of a scheme (any content that is a JSON object with a known code)."""
    _admin(uow, actor)
    code = bundle.get("code") if isinstance(bundle, Mapping) else None
    if not isinstance(code, str) or not (_versions(uow, code) or uow.session.get(SchemeDraft, code)):
        raise ValidationFailed("Create the scheme first.", {"code": [f"There is no scheme '{code}'."]})
    draft = uow.session.get(SchemeDraft, code)
    if draft is None:
        draft = SchemeDraft(code=code)
        uow.session.add(draft)
    versions = _versions(uow, code)
    draft.bundle = copy.deepcopy(dict(bundle))
    draft.based_on_version = versions[0].version if versions else None
    draft.saved_by = actor
    draft.saved_at = uow.clock.now()
    uow.audit.record("scheme_draft_saved", actor, code=code, based_on_version=draft.based_on_version)
    uow.commit()
    return draft


def validate(uow: SchemeUnitOfWork, *, actor: str, code: str) -> list[str]:
    """The problems of the working bundle (draft or newest) with its flow (draft or newest)."""
    return check(uow, working_bundle(uow, actor=actor, code=code))


def publish(uow: SchemeUnitOfWork, *, actor: str, code: str, comment: str) -> tuple[SchemeVersion, bool]:
    return publish_bundle(uow, working_bundle(uow, actor=actor, code=code), actor=actor, comment=comment)


def rollback(uow: SchemeUnitOfWork, *, actor: str, code: str, number: int, comment: str) -> tuple[SchemeVersion, bool]:
    """Publish an older version's bundle again, as the newest version (against today's flow)."""
    old = version(uow, actor=actor, code=code, number=number)
    if old.id == _versions(uow, code)[0].id:
        raise ValidationFailed("That is already the newest version.", {"version": ["Choose an older version."]})
    return publish_bundle(uow, old.bundle, actor=actor, comment=comment)


def close(uow: SchemeUnitOfWork, *, actor: str, code: str, on: date, comment: str) -> tuple[SchemeVersion, bool]:
    """Publish a version that takes no applications after `on`; running applications go on."""
    _admin(uow, actor)
    versions = _versions(uow, code)
    if not versions:
        raise UnknownScheme(f"The scheme '{code}' has not been published.")
    bundle = copy.deepcopy(dict(versions[0].bundle))
    bundle["closes_on"] = on.isoformat()
    return publish_bundle(uow, bundle, actor=actor, comment=comment)


def compare(uow: SchemeUnitOfWork, *, actor: str, code: str, old: int, new: int) -> list[str]:
    """What changed between two versions, in plain words (settings, fields, rules, checklist)."""
    a, b = version(uow, actor=actor, code=code, number=old).bundle, version(uow, actor=actor, code=code, number=new).bundle
    changes = []
    for key in sorted((set(a) | set(b)) - {"forms", "rules", "checklist"}):
        if a.get(key) != b.get(key):
            changes.append(f"{key}: {a.get(key)!r} → {b.get(key)!r}")
    forms_a, forms_b = a.get("forms") or {}, b.get("forms") or {}
    for form in sorted(set(forms_a) | set(forms_b)):
        fa = {c.get("key"): c for c in (forms_a.get(form) or {}).get("components", []) if c.get("key")}
        fb = {c.get("key"): c for c in (forms_b.get(form) or {}).get("components", []) if c.get("key")}
        changes += [f"form '{form}': field '{k}' added" for k in fb if k not in fa]
        changes += [f"form '{form}': field '{k}' removed" for k in fa if k not in fb]
        changes += [f"form '{form}': field '{k}' changed" for k in fa if k in fb and fa[k] != fb[k]]
    rules_a, rules_b = {r.get("check") for r in a.get("rules") or []}, {r.get("check") for r in b.get("rules") or []}
    changes += [f"rule added: {r}" for r in sorted(rules_b - rules_a)] + [f"rule removed: {r}" for r in sorted(rules_a - rules_b)]
    docs_a = {c.get("type"): c for c in a.get("checklist") or []}
    docs_b = {c.get("type"): c for c in b.get("checklist") or []}
    changes += [f"document '{t}' added" for t in docs_b if t not in docs_a]
    changes += [f"document '{t}' removed" for t in docs_a if t not in docs_b]
    changes += [f"document '{t}' changed" for t in docs_a if t in docs_b and docs_a[t] != docs_b[t]]
    return changes


def starter_bundle(code: str, process: str, name_en: str, name_hi: str) -> dict[str, Any]:
    """A new scheme's first draft: one name field, the template flow's benefit and steps."""
    return {
        "format": bundles.FORMAT, "code": code, "process": process,
        "name": {"en": name_en, "hi": name_hi}, "description": {"en": name_en, "hi": name_hi},
        "eligibility": {"en": "", "hi": ""}, "time_limit_days": 30, "opens_on": None, "closes_on": None,
        "applicant_name_field": "applicant_name",
        "benefit": {"field": "benefit_amount", "sanction_step": "gm_sanction", "release_steps": ["gm_sanction"],
                    "released_field": "benefit_amount"},
        "forms": {"application": {"type": "default", "id": f"Form_{process}_application", "schemaVersion": 16, "components": [
            {"id": "Field_applicant_name", "key": "applicant_name", "type": "textfield", "label": "Applicant's name",
             "validate": {"required": True, "minLength": 2, "maxLength": 200}, "properties": {"label_hi": "आवेदक का नाम"}},
        ]}},
        "rules": [], "checklist": [],
    }  # fmt: skip


def template_files(template: str, process: str, name: str) -> dict[str, bytes]:
    if template not in TEMPLATES:
        raise ValidationFailed("Choose a flow template.", {"template": [f"Known templates: {', '.join(TEMPLATES)}."]})
    folder = resources.files("workflows") / "data" / "templates"
    out = {}
    for suffix in (".bpmn", ".dmn"):
        text = (folder / f"{template}{suffix}").read_text(encoding="utf-8")
        text = text.replace("TEMPLATE_PROCESS", process).replace("TEMPLATE_NAME", name)
        out[f"{process}{suffix}" if suffix == ".bpmn" else f"{process}_benefit.dmn"] = text.encode("utf-8")
    return out


def create(
    uow: SchemeUnitOfWork, *, actor: str, code: str, process: str, name_en: str, name_hi: str, template: str
) -> SchemeDraft:
    """A new scheme: its flow deployed from a template (version 1) and a first draft of its bundle."""
    _admin(uow, actor)
    code, process = (code or "").strip().upper(), (process or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if not bundles.CODE.match(code):
        errors["code"] = ["2 to 8 capital letters or digits, starting with a letter."]
    elif _versions(uow, code) or uow.session.get(SchemeDraft, code):
        errors["code"] = [f"The code {code} is already used by another scheme."]
    if not bundles.PROCESS.match(process):
        errors["process"] = ["Lower-case letters, digits and '_', starting with a letter."]
    elif uow.definitions.latest(process) is not None or any(p == process for _, p in _others(uow, code)):
        errors["process"] = [f"The process '{process}' already exists."]
    if not (name_en or "").strip():
        errors["name_en"] = ["Required."]
    if errors:
        raise ValidationFailed("The scheme cannot be created.", errors)
    bundle = starter_bundle(code, process, name_en.strip(), (name_hi or "").strip())
    files = template_files(template, process, name_en.strip())
    deploy(uow, files, actor=actor, comment=f"Started from the template '{template}'", process_id=process,
           **scheme_rules(uow, bundles.data_names(bundle)))  # fmt: skip
    draft = SchemeDraft(code=code, bundle=bundle, based_on_version=None, saved_by=actor, saved_at=uow.clock.now())
    uow.session.add(draft)
    uow.audit.record("scheme_created", actor, code=code, process=process, template=template)
    uow.commit()
    return draft
