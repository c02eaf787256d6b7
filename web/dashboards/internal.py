"""Internal dashboard (signed in officers and administrators): figures, drill-down, heatmap, exports."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from web.dashboards.filters import unit_from
from web.dashboards.pages import export as export_table
from web.dashboards.pages import open_page, table_page
from web.infra.auth import actor
from web.infra.extensions import uow

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


@bp.get("")
@login_required
def index():  # noqa: ANN201
    with uow() as work:
        board, ctx = open_page(work, actor(), request.args, area="dashboard")
        unit = unit_from(request.args)
        view = board.overview(unit=unit, by="district")
        appeals = board.appeals()
    return render_template(
        "dashboards/dashboard.html", total=view.total, by_scheme=view.by_scheme, by_district=view.by_district, series=view.series,
        unit=unit, appeals=appeals, **ctx,
    )


@bp.get("/steps")
@login_required
def steps():  # noqa: ANN201
    with uow() as work:
        board, ctx = open_page(work, actor(), request.args, area="dashboard")
        view = board.steps()
    return render_template("dashboards/steps.html", table=view.table, slowest=view.slowest, heat=view.heat, **ctx)


@bp.get("/officers")
@login_required
def officers():  # noqa: ANN201
    return table_page(actor(), "officers", area="dashboard", title="officers")


@bp.get("/applications")
@login_required
def applications():  # noqa: ANN201
    return table_page(actor(), "applications", area="dashboard", title="applications")


@bp.get("/loans")
@login_required
def loans():  # noqa: ANN201
    return table_page(actor(), "loans", area="dashboard", title="loans")


@bp.get("/ranking")
@login_required
def ranking():  # noqa: ANN201
    return table_page(actor(), "ranking", area="dashboard", title="ranking")


@bp.get("/export/<name>.<fmt>")
@login_required
def export(name: str, fmt: str):  # noqa: ANN201
    return export_table(actor(), name, fmt, stem="odop-dashboard")
