"""Internal dashboard (signed in officers and administrators): figures, drill-down, heatmap, exports."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, render_template, request
from flask_login import login_required

from stats import access, queries, step_queries, tables
from stats.filters import Filters
from web.auth import actor
from web.dashboard_filters import filters_from, page_from, status_and_sort, step_from, unit_from
from web.exports import EXPORT_ROWS, FORMATS, download
from web.extensions import uow
from workflows import roles
from workflows.errors import NotAllowed
from workflows.schemes import catalogue
from workflows.uow import SchemeUnitOfWork

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def _request(work: SchemeUnitOfWork) -> tuple[Filters, dict, datetime]:
    """The filters narrowed to what the signed-in officer may see, the page context, and now."""
    districts = queries.district_names(work.session)
    now = work.clock.now()
    user = work.users.by_username(actor())
    schemes = catalogue(work.session)
    f = access.scoped(user, filters_from(request.args, today=now.date(), districts=districts, schemes=schemes))
    ctx = {
        "area": "dashboard",
        "f": f,
        "districts": districts,
        "district_codes": {name: code for code, name in districts.items()},
        "schemes": schemes,
        "fixed_district": None if roles.is_state_role(user.role) else user.district_code,
        "args": {k: v for k, v in request.args.items() if k != "page"},
        "computed_at": now,
    }
    return f, ctx, now


@bp.get("")
@login_required
def index():  # noqa: ANN201
    with uow() as work:
        f, ctx, now = _request(work)
        unit = unit_from(request.args)
        total, districts_rows = queries.summary_and_rows(work.session, f, today=now.date(), by="district")
        by_scheme = tables.build("summary_by_scheme", work.session, f, today=now.date(), now=now)
        by_district = tables.summary_table(work.session, districts_rows, "district")
        series = tables.build("series", work.session, f, today=now.date(), now=now, unit=unit)
    return render_template(
        "dashboard.html", total=total, by_scheme=by_scheme, by_district=by_district, series=series, unit=unit,
        **ctx,
    )


@bp.get("/steps")
@login_required
def steps():  # noqa: ANN201
    with uow() as work:
        f, ctx, now = _request(work)
        rows = step_queries.steps(work.session, f, now=now)
        table = tables.steps_table(rows)
        heat = tables.heatmap(work, f.scheme, rows) if f.scheme else None
    return render_template(
        "dashboard_steps.html", table=table, slowest=step_queries.slowest_step(rows), heat=heat,
        **ctx,
    )


@bp.get("/officers")
@login_required
def officers():  # noqa: ANN201
    with uow() as work:
        f, ctx, now = _request(work)
        table = tables.build("officers", work.session, f, today=now.date(), now=now)
    return render_template("stats_page.html", table=table, title="officers", **ctx)


@bp.get("/applications")
@login_required
def applications():  # noqa: ANN201
    with uow() as work:
        f, ctx, now = _request(work)
        status, sort = status_and_sort(request.args)
        table = tables.build(
            "applications", work.session, f, today=now.date(), now=now, status=status, sort=sort,
            step=step_from(request.args, f), page=page_from(request.args),
        )
    return render_template(
        "stats_page.html", table=table, title="applications", page=page_from(request.args),
        **ctx,
    )


@bp.get("/ranking")
@login_required
def ranking():  # noqa: ANN201
    with uow() as work:
        f, ctx, now = _request(work)
        table = tables.build("ranking", work.session, f, today=now.date(), now=now)
    return render_template("stats_page.html", table=table, title="ranking", **ctx)


@bp.get("/export/<name>.<fmt>")
@login_required
def export(name: str, fmt: str):  # noqa: ANN201
    if name not in tables.INTERNAL or fmt not in FORMATS:
        raise NotAllowed(f"There is no download '{name}.{fmt}'.")
    with uow() as work:
        f, _ctx, now = _request(work)
        status, sort = status_and_sort(request.args)
        table = tables.build(
            name, work.session, f, today=now.date(), now=now, unit=unit_from(request.args), status=status, sort=sort,
            step=step_from(request.args, f), page=page_from(request.args), per_page=EXPORT_ROWS,
        )
    return download(table, fmt, stem="odop-dashboard")
