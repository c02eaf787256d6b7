"""The public verification page a letter's QR code opens: `/verify/<application number>`.

No sign-in and no personal data: scheme, district, status and the sanctioned amount only
(`workflows.usecases.letters.verification`). An unknown number is a 404 page.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from web.infra.extensions import uow
from workflows.usecases.letters import verification

bp = Blueprint("verify", __name__)


@bp.get("/verify/<path:number>")
def verify(number: str):  # noqa: ANN201
    with uow() as work:
        found = verification(work, number)
    return render_template("dashboards/verify.html", v=found)
