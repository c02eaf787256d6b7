"""Administration of schemes: the list, creating one from a flow template, a scheme's page with its
versions and the bundle editor (settings, forms in the form-js editor beside a live preview, the
document checklist, cross-field rules), validate, publish with a comment, compare, roll back, close.

The page posts the whole bundle; this module turns the post into the bundle's JSON (parsing) and
calls one use case of workflows/usecases/scheme_admin.py."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.datastructures import MultiDict

from web.infra.auth import actor, require_roles
from web.infra.errors import flash_and_redirect, kept_errors, kept_form, redirect_on_error
from web.infra.extensions import uow
from workflows.catalogue import roles
from workflows.catalogue.document_types import FORMATS, KINDS
from workflows.errors import ValidationFailed
from workflows.usecases import scheme_admin


def _scheme_page(code: str) -> str:
    return url_for("schemes_admin.page", code=code)


bp = Blueprint("schemes_admin", __name__, url_prefix="/admin/schemes")


@bp.get("")
@login_required
@require_roles(roles.ADMIN)
def index():  # noqa: ANN201
    with uow() as work:
        found = scheme_admin.schemes(work, actor=actor())
    return render_template("admin/schemes.html", schemes=found, templates=scheme_admin.TEMPLATES, values=kept_form(), errors=kept_errors())


@bp.post("")
@login_required
@require_roles(roles.ADMIN)
def create():  # noqa: ANN201
    f = request.form
    try:
        with uow() as work:
            draft = scheme_admin.create(
                work, actor=actor(), code=f.get("code", ""), process=f.get("process", ""), name_en=f.get("name_en", ""),
                name_hi=f.get("name_hi", ""), template=f.get("template", ""),
            )  # fmt: skip
    except ValidationFailed as err:
        return flash_and_redirect(err, url_for("schemes_admin.index"))  # Post/Redirect/Get (D90)
    flash(_("Scheme %(code)s created with its flow from the template. Fill in the form and the checklist, then publish.", code=draft.code))
    return redirect(url_for("schemes_admin.page", code=draft.code))


def _page(code: str, *, bundle: dict | None = None, problems: list[str] | None = None, errors: dict | None = None,
          status: int = 200):  # noqa: ANN202
    with uow() as work:
        entry = scheme_admin.scheme(work, actor=actor(), code=code)
        bundle = bundle or scheme_admin.working_bundle(work, actor=actor(), code=code)
    return render_template(
        "admin/scheme.html", entry=entry, bundle=bundle, problems=problems, errors=errors or {}, kinds=KINDS,
        formats=list(FORMATS), today=date.today().isoformat(),
        extras_json=json.dumps({k: bundle[k] for k in EXTRAS if bundle.get(k)}, ensure_ascii=False, indent=2),
    ), status


@bp.get("/<code>")
@login_required
@require_roles(roles.ADMIN)
def page(code: str):  # noqa: ANN201
    return _page(code)


def _text(f: MultiDict, name: str) -> dict[str, str]:
    return {"en": f.get(f"{name}_en", "").strip(), "hi": f.get(f"{name}_hi", "").strip()}


def _int(raw: str | None) -> int | str | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() else (raw or None)


# The bundle's money parts, edited as one JSON text (workflows/catalogue/bundle_extras.py).
EXTRAS = ("parameters", "decision_rules", "breakdown")


def _json(raw: str | None, field: str) -> Any:
    try:
        return json.loads(raw) if raw and raw.strip() else {}
    except ValueError:
        raise ValidationFailed("The amounts and caps could not be read.", {field: ["Not valid JSON."]}) from None


def bundle_from(f: MultiDict, code: str) -> dict[str, Any]:
    """The bundle the page posted: settings, forms (JSON from the form editors), checklist, rules."""
    try:
        forms = json.loads(f.get("forms_json") or "{}")
    except ValueError:
        raise ValidationFailed("The forms could not be read.", {"forms": ["Not valid JSON."]}) from None
    try:  # the bank step (D76-D77): kept as JSON, empty for schemes without one
        bank = json.loads(f.get("bank_json") or "null")
    except ValueError:
        raise ValidationFailed("The bank step could not be read.", {"bank_json": ["Not valid JSON."]}) from None
    checklist = []
    for i in range(int(f.get("doc_rows", "0") or 0)):
        kind = f.get(f"doc-{i}-type", "").strip()
        if not kind:
            continue
        item: dict[str, Any] = {
            "type": kind, "label": {"en": f.get(f"doc-{i}-label_en", "").strip(), "hi": f.get(f"doc-{i}-label_hi", "").strip()},
            "required": bool(f.get(f"doc-{i}-required")), "formats": f.getlist(f"doc-{i}-formats"),
            "max_size_kb": _int(f.get(f"doc-{i}-max_size_kb")),
        }  # fmt: skip
        if f.get(f"doc-{i}-required_if", "").strip():
            item["required_if"] = f.get(f"doc-{i}-required_if", "").strip()
        checklist.append(item)
    rules = [
        {"field": f.get(f"rule-{i}-field", "").strip() or None, "check": f.get(f"rule-{i}-check", "").strip(),
         "message": {"en": f.get(f"rule-{i}-message_en", "").strip(), "hi": f.get(f"rule-{i}-message_hi", "").strip()}}
        | ({"values": _json(f.get(f"rule-{i}-values"), "rules")} if f.get(f"rule-{i}-values") else {})
        for i in range(int(f.get("rule_rows", "0") or 0))
        if f.get(f"rule-{i}-check", "").strip()
    ]  # fmt: skip
    extras = _json(f.get("extras_json"), "extras")
    if not isinstance(extras, dict) or set(extras) - set(EXTRAS):
        raise ValidationFailed("The amounts and caps could not be read.", {"extras": [f"An object with some of: {', '.join(EXTRAS)}."]})
    return {
        "format": 1, "code": code, "process": f.get("process", "").strip(),
        "name": _text(f, "name"), "description": _text(f, "description"), "eligibility": _text(f, "eligibility"),
        "time_limit_days": _int(f.get("time_limit_days")),
        "opens_on": f.get("opens_on") or None, "closes_on": f.get("closes_on") or None,
        "applicant_name_field": f.get("applicant_name_field", "").strip(),
        "benefit": {
            "field": f.get("benefit_field", "").strip(), "sanction_step": f.get("sanction_step", "").strip(),
            "release_steps": [s.strip() for s in f.get("release_steps", "").split(",") if s.strip()],
            "released_field": f.get("released_field", "").strip(),
        },
        "forms": forms, "rules": rules, "checklist": checklist, **{k: v for k, v in extras.items() if v},
        **({"bank": bank} if bank is not None else {}),
    }  # fmt: skip


@bp.post("/<code>")
@login_required
@require_roles(roles.ADMIN)
def save(code: str):  # noqa: ANN201
    """Save the draft; then validate it, or publish it with the comment, as the button asked."""
    action = request.form.get("action", "save")
    try:
        bundle = bundle_from(request.form, code)
        with uow() as work:
            scheme_admin.save_draft(work, actor=actor(), bundle=bundle)
    except ValidationFailed as err:
        return _page(code, errors=err.fields, status=422)
    if action == "validate":
        with uow() as work:
            problems = scheme_admin.validate(work, actor=actor(), code=code)
        return _page(code, problems=problems, status=200)
    if action == "publish":
        try:
            with uow() as work:
                row, created = scheme_admin.publish(work, actor=actor(), code=code, comment=request.form.get("comment", ""))
        except ValidationFailed as err:
            return _page(code, problems=err.fields.get("bundle"), errors=err.fields, status=422)
        flash(_("Published as version %(v)s.", v=row.version) if created else _("Nothing changed: version %(v)s holds this.", v=row.version))
        return redirect(url_for("schemes_admin.page", code=code))
    flash(_("Draft saved."))
    return redirect(url_for("schemes_admin.page", code=code))


@bp.post("/<code>/close")
@login_required
@require_roles(roles.ADMIN)
@redirect_on_error(_scheme_page)
def close(code: str):  # noqa: ANN201
    try:
        on = date.fromisoformat(request.form.get("on", ""))
    except ValueError:
        flash(_("Give the last day applications are taken (YYYY-MM-DD)."), "error")
        return redirect(url_for("schemes_admin.page", code=code))
    with uow() as work:
        row, _created = scheme_admin.close(work, actor=actor(), code=code, on=on, comment=request.form.get("comment", ""))
    flash(_("Version %(v)s closes the scheme after %(day)s.", v=row.version, day=on.isoformat()))
    return redirect(url_for("schemes_admin.page", code=code))


@bp.post("/<code>/rollback")
@login_required
@require_roles(roles.ADMIN)
@redirect_on_error(_scheme_page)
def rollback(code: str):  # noqa: ANN201
    with uow() as work:
        row, _created = scheme_admin.rollback(
            work, actor=actor(), code=code, number=request.form.get("version", type=int) or 0,
            comment=request.form.get("comment", ""),
        )  # fmt: skip
    flash(_("Version %(old)s published again as version %(new)s.", old=request.form.get("version"), new=row.version))
    return redirect(url_for("schemes_admin.page", code=code))


@bp.get("/<code>/compare")
@login_required
@require_roles(roles.ADMIN)
def compare(code: str):  # noqa: ANN201
    old, new = request.args.get("old", type=int) or 0, request.args.get("new", type=int) or 0
    with uow() as work:
        entry = scheme_admin.scheme(work, actor=actor(), code=code)
        changes = scheme_admin.compare(work, actor=actor(), code=code, old=old, new=new)
    return render_template("admin/scheme_compare.html", entry=entry, old=old, new=new, changes=changes)
