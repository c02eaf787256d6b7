"""Administration of users, their roles and districts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.infra.auth import actor, require_roles
from web.infra.errors import flash_and_redirect, kept_errors, kept_form
from web.infra.extensions import uow
from workflows import banks
from workflows.catalogue import roles
from workflows.errors import ValidationFailed
from workflows.usecases import accounts

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@login_required
@require_roles(roles.ADMIN)
def users():  # noqa: ANN201
    with uow() as work:
        people = accounts.users_list(work, actor=actor())
        districts = list(work.districts.all())
        branches = banks.all_branches(work)
    return render_template(
        "admin/users.html", users=people, districts=districts, branches=branches, roles=roles.ALL_ROLES,
        errors=kept_errors(), form=kept_form(),
    )


@bp.post("/users")
@login_required
@require_roles(roles.ADMIN)
def save_user():  # noqa: ANN201
    f = request.form
    try:
        with uow() as work:
            user = accounts.save_user(
                work,
                actor=actor(),
                username=f.get("username", ""),
                full_name=f.get("full_name", ""),
                role=f.get("role", ""),
                district_code=f.get("district_code") or None,
                email=f.get("email") or None,
                phone=f.get("phone") or None,
                password=f.get("password") or None,
                active=f.get("active") == "on",
                language=f.get("language", "en"),
                bank_ifsc=f.get("bank_ifsc") or None,
            )
    except ValidationFailed as err:
        return flash_and_redirect(err, url_for("admin.users"))  # Post/Redirect/Get (D90)
    flash(_("Saved %(username)s.", username=user.username))
    return redirect(url_for("admin.users"))
