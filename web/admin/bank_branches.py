"""Administrator page: the bank branches that take loan cases, by district (D102).

A branch is added or updated from a form, many at once from a CSV file (all or none), and removed
while nothing refers to it. Refused forms come back through Post/Redirect/Get with the typing (D90).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.infra.auth import actor, require_roles
from web.infra.errors import flash_and_redirect, kept_errors, kept_extra, kept_form
from web.infra.extensions import uow
from workflows.catalogue import roles
from workflows.errors import BankBranchInUse, ValidationFailed
from workflows.usecases import bank_branches

bp = Blueprint("bank_branches", __name__, url_prefix="/admin/bank-branches")

FORM_FIELDS = bank_branches.COLUMNS
LISTED_PROBLEMS = 8  # a refused file's problems carried to the page (the cookie holds about 4 kB, D90)


def _page(district: str | None = None) -> str:
    return url_for("bank_branches.index", district=district or None)


@bp.get("")
@login_required
@require_roles(roles.ADMIN)
def index():  # noqa: ANN201
    district = (request.args.get("district") or "").strip().upper() or None
    edit = (request.args.get("edit") or "").strip().upper()
    with uow() as work:
        branches = bank_branches.list_branches(work, district_code=district)
        districts = list(work.districts.all())
    errors, values = kept_errors(), kept_form()
    if not values and edit:  # "Edit" on a row fills the form with that branch
        values = next(({c: getattr(b, c) for c in FORM_FIELDS} for b in branches if b.ifsc == edit), {})
    return render_template(
        "admin/bank_branches.html", branches=branches, districts=districts, district=district,
        district_names={d.code: d.name for d in districts},
        values=values, errors={k: v for k, v in errors.items() if k in FORM_FIELDS},
        file_errors={k: v for k, v in errors.items() if k not in FORM_FIELDS},
        unlisted=kept_extra().get("unlisted", 0),
    )


@bp.post("")
@login_required
@require_roles(roles.ADMIN)
def save():  # noqa: ANN201
    form = request.form
    try:
        with uow() as work:
            branch = bank_branches.save_branch(work, actor=actor(), **{c: form.get(c, "") for c in FORM_FIELDS})
    except ValidationFailed as err:
        return flash_and_redirect(err, _page(form.get("district_filter")))  # Post/Redirect/Get (D90)
    flash(_("Bank branch %(ifsc)s saved.", ifsc=branch.ifsc))
    return redirect(_page(form.get("district_filter")))


@bp.post("/import")
@login_required
@require_roles(roles.ADMIN)
def import_file():  # noqa: ANN201
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file to upload."), "error")
        return redirect(_page())
    try:
        with uow() as work:
            count = bank_branches.import_csv(work, actor=actor(), content=upload.read())
    except ValidationFailed as err:
        listed = dict(list(err.fields.items())[:LISTED_PROBLEMS])
        shown = ValidationFailed(err.message, listed)
        # Said under the upload form, line by line, rather than in a flash as well.
        return flash_and_redirect(shown, _page(), say=False, extra={"unlisted": len(err.fields) - len(listed)})
    flash(_("%(n)s bank branches imported.", n=count))
    return redirect(_page())


@bp.post("/<ifsc>/delete")
@login_required
@require_roles(roles.ADMIN)
def remove(ifsc: str):  # noqa: ANN201
    try:
        with uow() as work:
            bank_branches.remove_branch(work, actor=actor(), ifsc=ifsc)
    except BankBranchInUse as err:
        return flash_and_redirect(err, _page(request.form.get("district_filter")))
    flash(_("Bank branch %(ifsc)s removed.", ifsc=ifsc.upper()))
    return redirect(_page(request.form.get("district_filter")))
