"""Use cases of the flow administration: versions, drafts, validation, deploy, compare, roll back,
and moving running applications to another version. Administrators only; every change is in the
audit log."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from engine import instance_migration
from engine.definitions import DeployResult, check, deploy
from engine.diff import Diff, diff
from engine.errors import DefinitionInvalid, DefinitionNotFound, EngineError, Problem
from engine.models import Definition
from engine.validation import screen
from workflows.access import require_admin
from workflows.catalogue.schemes import process_keys
from workflows.errors import ValidationFailed
from workflows.models import FlowDraft
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.scheme_admin import required_comment, scheme_rules


@dataclass(frozen=True)
class FlowVersion:
    definition_id: int
    version: int
    deployed_by: str
    deployed_at: datetime
    comment: str
    running: int


@dataclass(frozen=True)
class Flow:
    key: str
    name: str
    scheme: str | None  # the scheme code, for a scheme's process
    versions: list[FlowVersion]  # newest first
    draft: FlowDraft | None

    @property
    def latest(self) -> FlowVersion:
        return self.versions[0]


def _require_admin(uow: SchemeUnitOfWork, actor: str) -> None:
    require_admin(uow.users.by_username(actor), "may change or deploy process flows")


def flows(uow: SchemeUnitOfWork, *, actor: str) -> list[Flow]:
    """Every process with its versions (who, when, comment, running applications on each)."""
    _require_admin(uow, actor)
    running = uow.instances.running_per_definition()
    drafts = {d.process_key: d for d in uow.session.scalars(select(FlowDraft))}
    by_key: dict[str, list[Definition]] = {}
    for d in uow.definitions.headers():
        by_key.setdefault(d.key, []).append(d)
    scheme_of = {key: code for code, key in process_keys(uow.session).items()}
    out = []
    for key, versions in by_key.items():
        out.append(
            Flow(
                key=key,
                name=versions[0].name,
                scheme=scheme_of.get(key),
                versions=[
                    FlowVersion(v.id, v.version, v.deployed_by, v.deployed_at, v.comment or "", running.get(v.id, 0))
                    for v in versions
                ],
                draft=drafts.get(key),
            )
        )
    return sorted(out, key=lambda f: (f.scheme is None, f.scheme or "", f.key))


def flow(uow: SchemeUnitOfWork, *, actor: str, key: str) -> Flow:
    found = next((f for f in flows(uow, actor=actor) if f.key == key), None)
    if found is None:
        raise DefinitionNotFound(f"No version of the process '{key}' has been deployed.")
    return found


def version(uow: SchemeUnitOfWork, *, actor: str, key: str, number: int | None = None) -> Definition:
    _require_admin(uow, actor)
    return uow.definitions.by_version(key, number) if number else uow.definitions.require_latest(key)


def _encoded(files: Mapping[str, str | bytes]) -> dict[str, bytes]:
    return {name: body if isinstance(body, bytes) else body.encode("utf-8") for name, body in files.items()}


def save_draft(
    uow: SchemeUnitOfWork, *, actor: str, key: str, files: Mapping[str, str], based_on: int | None = None
) -> FlowDraft:
    """Keep an unfinished edit. Only safe, well-formed XML is kept; the model is checked on deploy."""
    _require_admin(uow, actor)
    uow.definitions.require_latest(key)
    _, problems = screen(_encoded(files))
    if problems:
        raise DefinitionInvalid(problems)
    draft = uow.session.get(FlowDraft, key)
    if draft is None:
        draft = FlowDraft(process_key=key)
        uow.session.add(draft)
    draft.files = dict(files)
    draft.based_on_version = based_on
    draft.saved_by = actor
    draft.saved_at = uow.clock.now()
    uow.audit.record("flow_draft_saved", actor, key=key, based_on_version=based_on, files=sorted(files))
    uow.commit()
    return draft


def discard_draft(uow: SchemeUnitOfWork, *, actor: str, key: str) -> None:
    _require_admin(uow, actor)
    draft = uow.session.get(FlowDraft, key)
    if draft is not None:
        uow.session.delete(draft)
        uow.audit.record("flow_draft_discarded", actor, key=key)
        uow.commit()


def validate(uow: SchemeUnitOfWork, *, actor: str, files: Mapping[str, str | bytes], key: str | None = None) -> list[Problem]:
    """Every problem deploying these files would find; nothing is stored."""
    _require_admin(uow, actor)
    return check(
        _encoded(files), process_id=key, **scheme_rules(uow),
        deployed_processes=uow.definitions.latest_versions(), known_operators=uow.runtime.services.names(),
    ).problems


def deploy_flow(
    uow: SchemeUnitOfWork,
    *,
    actor: str,
    files: Mapping[str, str | bytes],
    comment: str,
    key: str | None = None,
    confirm_replace: bool = False,
) -> DeployResult:
    """Validate and deploy as the newest version (of `key`, when given); removes its draft.

    Files that share no step or gateway with the deployed process of the same id are refused
    (ReplaceNotConfirmed) unless `confirm_replace`: an upload that happens to reuse a process id
    must not silently become the next version of an unrelated process."""
    _require_admin(uow, actor)
    comment = required_comment(comment, to="deploy")
    result = deploy(
        uow, _encoded(files), actor=actor, comment=comment, process_id=key, confirm_replace=confirm_replace, **scheme_rules(uow)
    )
    draft = uow.session.get(FlowDraft, result.definition.key)
    if draft is not None and result.created:
        uow.session.delete(draft)
    uow.commit()
    return result


def rollback(uow: SchemeUnitOfWork, *, actor: str, key: str, number: int, comment: str) -> DeployResult:
    """Deploy an older version's files again, as the newest version."""
    _require_admin(uow, actor)
    comment = required_comment(comment, to="deploy")
    old = uow.definitions.by_version(key, number)
    latest = uow.definitions.require_latest(key)
    if old.id == latest.id:
        raise ValidationFailed("That is already the newest version.", {"version": ["Choose an older version."]})
    # The version was chosen by number: going back to it is never an accidental replacement.
    result = deploy(
        uow, _encoded(old.files), actor=actor, comment=comment, process_id=key, confirm_replace=True, **scheme_rules(uow)
    )
    uow.audit.record(
        "definition_rolled_back", actor, key=key, from_version=latest.version, to_version=number,
        new_version=result.definition.version,
    )
    uow.commit()
    return result




def compare(uow: SchemeUnitOfWork, *, actor: str, key: str, old: int, new: int) -> Diff:
    _require_admin(uow, actor)
    return diff(uow.definitions.by_version(key, old).files, uow.definitions.by_version(key, new).files)


# A dry run checks at most this many applications (the oldest first): each check reads the
# application's whole state, and a page lists every one.
DRY_RUN_LIMIT = 1000


@dataclass(frozen=True)
class MigrationPlan:
    checks: list[instance_migration.MigrationCheck]
    total: int  # running applications picked; more than len(checks) when over the limit

    @property
    def movable(self) -> int:
        return sum(c.movable for c in self.checks)


def plan_migration(
    uow: SchemeUnitOfWork,
    *,
    actor: str,
    key: str,
    to_version: int,
    from_version: int | None = None,
    numbers: list[str] | None = None,
    limit: int = DRY_RUN_LIMIT,
) -> MigrationPlan:
    """Dry run: for each running application picked (not already on `to_version`), whether it can
    move there and why not."""
    _require_admin(uow, actor)
    target = uow.definitions.by_version(key, to_version)
    total, instances = uow.instances.running_of(
        key, not_on=target.id, version=from_version, business_keys=numbers, limit=max(1, min(limit, DRY_RUN_LIMIT))
    )
    needed = instance_migration.needed_names(target)
    return MigrationPlan([instance_migration.check(uow, instance, target, needed=needed) for instance in instances], total)


@dataclass(frozen=True)
class Moved:
    instance_id: int
    business_key: str
    moved: bool
    reason: str = ""


def migrate(
    uow_factory: Callable[[], SchemeUnitOfWork], *, actor: str, key: str, to_version: int, instance_ids: list[int]
) -> list[Moved]:
    """Move each instance in its own transaction (one that cannot move leaves the others moving)."""
    with uow_factory() as uow:
        _require_admin(uow, actor)
        uow.definitions.by_version(key, to_version)
    out = []
    for instance_id in instance_ids:
        with uow_factory() as uow:
            number = ""
            try:
                instance = uow.instances.get(instance_id)
                number = instance.business_key
                instance_migration.migrate(uow, instance, uow.definitions.by_version(key, to_version), actor=actor)
                uow.commit()
                out.append(Moved(instance_id, number, True))
            except EngineError as err:
                uow.rollback()
                out.append(Moved(instance_id, number, False, str(err)))
    return out
