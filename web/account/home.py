"""The start page sends each person where their work is."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user

from workflows.catalogue import roles

bp = Blueprint("home", __name__)


@bp.get("/")
def index():  # noqa: ANN201
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    if current_user.role == roles.ADMIN:
        return redirect(url_for("admin.users"))
    if current_user.files_applications:
        return redirect(url_for("portal.applications"))
    return redirect(url_for("inbox.index"))
