"""Self-registration of applicants with a mobile OTP (D84): the form, the code, a new code.

The number being confirmed is kept in the session between the pages; a refused form sends the
person back to it with what was typed (the password excepted) and the messages (Post/Redirect/Get,
D90); a throttled request answers in place with Retry-After, as sign-in does."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from web.infra.auth import CurrentUser, begin_session
from web.infra.errors import flash_and_redirect, kept_errors, kept_form
from web.infra.extensions import uow
from web.infra.forms import PERSON_FIELDS, person_form
from workflows.errors import ValidationFailed
from workflows.usecases import registration

bp = Blueprint("signup", __name__, url_prefix="/sign-up")
FIELDS = PERSON_FIELDS


def _form_page(errors: dict, form: dict, status: int = 200, message: str | None = None):  # noqa: ANN202
    return person_form("account/sign_up.html", errors, form, status, message)


@bp.get("")
def form():  # noqa: ANN201
    return _form_page(kept_errors(), {"language": session.get("lang", "hi"), **kept_form()})


@bp.post("")
def start():  # noqa: ANN201
    f = request.form
    typed = {k: f.get(k, "") for k in FIELDS}
    try:
        with uow() as work:
            mobile = registration.start_sign_up(work, **typed, password=f.get("password", ""),
                                                address=request.remote_addr or "")
    except ValidationFailed as err:
        return flash_and_redirect(err, url_for("signup.form"), say=not err.fields)
    except registration.SignUpThrottled as err:
        page, status = _form_page({}, typed, 429, message=str(err))
        return page, status, {"Retry-After": str(err.retry_after)}
    session["sign_up_mobile"] = mobile
    flash(_("A code was sent by SMS to %(mobile)s.", mobile=mobile))
    return redirect(url_for("signup.code_page"))


@bp.get("/code")
def code_page():  # noqa: ANN201
    if "sign_up_mobile" not in session:
        return redirect(url_for("signup.form"))
    return render_template("account/sign_up_code.html", mobile=session["sign_up_mobile"], errors=kept_errors(), message=None)


@bp.post("/code")
def confirm():  # noqa: ANN201
    mobile = session.get("sign_up_mobile", "")
    try:
        with uow() as work:
            user = registration.confirm_sign_up(work, mobile=mobile, code=request.form.get("code", ""))
            me = CurrentUser.of(user)
    except ValidationFailed as err:
        return flash_and_redirect(err, url_for("signup.code_page"), say=not err.fields)
    begin_session(me)
    flash(_("Welcome! Your account is ready; your user name is your mobile number."))
    return redirect(url_for("home.index"))


@bp.post("/code/new")
def new_code():  # noqa: ANN201
    mobile = session.get("sign_up_mobile", "")
    try:
        with uow() as work:
            registration.resend_code(work, mobile=mobile, address=request.remote_addr or "")
    except ValidationFailed:
        return redirect(url_for("signup.form"))
    except registration.SignUpThrottled as err:
        return render_template("account/sign_up_code.html", mobile=mobile, errors={}, message=str(err)), 429
    flash(_("A new code was sent by SMS to %(mobile)s.", mobile=mobile))
    return redirect(url_for("signup.code_page"))
