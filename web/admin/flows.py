"""Administration of process flows: versions, the browser editor, comparison, rollback, migration.

The editor saves, validates and deploys through the API (web/api/definitions.py); these pages
show versions and run the forms."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.infra.auth import actor, require_roles
from web.infra.errors import redirect_on_error
from web.infra.extensions import uow
from workflows.catalogue import roles
from workflows.errors import ValidationFailed
from workflows.usecases import flows

bp = Blueprint("flows", __name__, url_prefix="/admin/flows")


@bp.get("")
@login_required
@require_roles(roles.ADMIN)
def index():  # noqa: ANN201
    with uow() as work:
        found = flows.flows(work, actor=actor())
    return render_template("admin/flows.html", flows=found)


@bp.get("/<key>")
@login_required
@require_roles(roles.ADMIN)
def flow_page(key: str):  # noqa: ANN201
    with uow() as work:
        found = flows.flow(work, actor=actor(), key=key)
    return render_template("admin/flow.html", flow=found)


@bp.get("/<key>/edit")
@login_required
@require_roles(roles.ADMIN)
def edit(key: str):  # noqa: ANN201
    """The editor opens the draft if there is one, else the newest version."""
    with uow() as work:
        found = flows.flow(work, actor=actor(), key=key)
        latest = flows.version(work, actor=actor(), key=key)
        files = found.draft.files if found.draft else latest.files
        based_on = (found.draft.based_on_version if found.draft else None) or latest.version
    return render_template(
        "admin/flow_editor.html", flow=found, files=files, based_on=based_on, roles=roles.LANE_ROLES,
        from_draft=found.draft is not None,
    )


@bp.get("/<key>/versions/<int:number>")
@login_required
@require_roles(roles.ADMIN)
def version(key: str, number: int):  # noqa: ANN201
    """A version's diagram; with ?compare=<older>, both diagrams with what changed marked."""
    other = request.args.get("compare", type=int)
    with uow() as work:
        found = flows.flow(work, actor=actor(), key=key)
        shown = flows.version(work, actor=actor(), key=key, number=number)
        diff = flows.compare(work, actor=actor(), key=key, old=other, new=number) if other else None
        old_files = flows.version(work, actor=actor(), key=key, number=other).files if other else {}
    return render_template(
        "admin/flow_version.html", flow=found, shown=shown, bpmn=_bpmn_name(shown.files), other=other, diff=diff,
        old_bpmn=_bpmn_name(old_files) if other else None,
    )


def _bpmn_name(files: dict[str, str]) -> str:
    return next(name for name in sorted(files) if name.endswith(".bpmn"))


@bp.get("/<key>/compare")
@login_required
@require_roles(roles.ADMIN)
def compare(key: str):  # noqa: ANN201
    """The versions page's "compare any two" form."""
    old, new = request.args.get("old", type=int), request.args.get("new", type=int)
    if not old or not new:
        raise ValidationFailed("Choose two versions to compare.", {"old": ["Choose a version."], "new": ["Choose a version."]})
    return redirect(url_for("flows.version", key=key, number=new, compare=old))


@bp.post("/<key>/rollback")
@login_required
@require_roles(roles.ADMIN)
@redirect_on_error(lambda key: url_for("flows.flow_page", key=key))
def rollback(key: str):  # noqa: ANN201
    with uow() as work:
        result = flows.rollback(
            work, actor=actor(), key=key, number=request.form.get("version", type=int) or 0,
            comment=request.form.get("comment", ""),
        )
    flash(_("Version %(old)s deployed again as version %(new)s.", old=request.form.get("version"), new=result.definition.version))
    return redirect(url_for("flows.flow_page", key=key))


def _numbers(text: str) -> list[str]:
    return [n.strip() for n in text.replace(",", "\n").splitlines() if n.strip()]


@bp.route("/<key>/migrate", methods=["GET", "POST"])
@login_required
@require_roles(roles.ADMIN)
def migrate(key: str):  # noqa: ANN201
    """Pick applications, see which can move and why not (dry run), then move the chosen ones."""
    form = request.form if request.method == "POST" else request.args
    with uow() as work:
        found = flows.flow(work, actor=actor(), key=key)
    to_version = form.get("to_version", type=int) or found.latest.version
    from_version = form.get("from_version", type=int)
    numbers = _numbers(form.get("numbers", ""))
    plan, moved = None, None
    if request.method == "POST" and form.get("action") == "migrate":
        ids = [int(i) for i in request.form.getlist("instance_id") if i.isdigit()]
        if not ids:
            flash(_("Choose at least one application to move."), "error")
        else:
            moved = flows.migrate(uow, actor=actor(), key=key, to_version=to_version, instance_ids=ids)
            done = sum(m.moved for m in moved)
            flash(_("%(done)d of %(total)d applications moved to version %(version)d.", done=done, total=len(moved), version=to_version))
    if request.method == "POST" and form.get("action") == "dry_run":
        with uow() as work:
            plan = flows.plan_migration(
                work, actor=actor(), key=key, to_version=to_version, from_version=from_version, numbers=numbers or None
            )
    return render_template(
        "admin/flow_migrate.html", flow=found, plan=plan, moved=moved, to_version=to_version,
        from_version=from_version, numbers="\n".join(numbers),
    )
