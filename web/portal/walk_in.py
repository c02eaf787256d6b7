"""A facilitation centre registers a walk-in applicant of its own district (D84), then files for them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.infra.auth import actor, require_roles
from web.infra.errors import flash_and_redirect, kept_errors, kept_form
from web.infra.extensions import uow
from web.infra.forms import PERSON_FIELDS, person_form
from workflows.catalogue import roles
from workflows.errors import NotAllowed, ValidationFailed
from workflows.usecases import registration

bp = Blueprint("walk_in", __name__, url_prefix="/walk-in")
FIELDS = PERSON_FIELDS


def _page(errors: dict, form: dict, status: int = 200, message: str | None = None):  # noqa: ANN202
    return person_form("portal/walk_in.html", errors, form, status, message)


@bp.get("")
@login_required
@require_roles(roles.FACILITATION_OPERATOR)
def form():  # noqa: ANN201
    with uow() as work:
        me = work.users.by_username(actor())
    return _page(kept_errors(), {"district_code": me.district_code or "", "language": "hi", **kept_form()})


@bp.post("")
@login_required
@require_roles(roles.FACILITATION_OPERATOR)
def register():  # noqa: ANN201
    typed = {k: request.form.get(k, "") for k in FIELDS}
    try:
        with uow() as work:
            user = registration.register_walk_in(work, actor=actor(), **typed)
    except ValidationFailed as err:  # Post/Redirect/Get (D90): the form again, as typed
        return flash_and_redirect(err, url_for("walk_in.form"), say=not err.fields)
    except NotAllowed as err:  # another district: refused, and the typing stays
        return _page({}, typed, 403, message=str(err))
    flash(_("%(name)s is registered with the user name %(username)s; you can now file for them.",
            name=user.full_name, username=user.username))
    return redirect(url_for("portal.schemes"))
