"""The public dashboard: no sign-in, no personal data (no names, contacts or documents)."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, render_template, request

from stats import queries, tables
from stats.filters import Filters
from web.dashboard_filters import filters_from, page_from, status_and_sort, unit_from
from web.exports import EXPORT_ROWS, FORMATS, download
from web.extensions import uow
from workflows import events
from workflows.schemes import catalogue
from workflows.uow import SchemeUnitOfWork

bp = Blueprint("public", __name__, url_prefix="/public")


def _request(work: SchemeUnitOfWork) -> tuple[Filters, dict, datetime]:
    """The filters of the query string, the page context, and now."""
    districts = queries.district_names(work.session)
    now = work.clock.now()
    schemes = catalogue(work.session)
    f = filters_from(request.args, today=now.date(), districts=districts, schemes=schemes)
    ctx = {
        "area": "public", "f": f, "districts": districts, "schemes": schemes, "fixed_district": None,
        "args": {k: v for k, v in request.args.items() if k != "page"}, "computed_at": now,
    }
    return f, ctx, now


@bp.get("")
def index():  # noqa: ANN201
    with uow() as work:
        f, ctx, now = _request(work)
        unit = unit_from(request.args)
        total, scheme_rows = queries.summary_and_rows(work.session, f, today=now.date(), by="scheme")
        series = tables.build("series", work.session, f, today=now.date(), now=now, unit=unit)
        by_scheme = tables.summary_table(work.session, scheme_rows, "scheme")
        fairs = events.upcoming(work, today=now.date(), limit=10)
    return render_template(
        "public.html", total=total, series=series, by_scheme=by_scheme, unit=unit, fairs=fairs,
        **ctx,
    )


@bp.get("/districts")
def districts_page():  # noqa: ANN201
    with uow() as work:
        f, ctx, now = _request(work)
        by_district = tables.build("summary_by_district", work.session, f, today=now.date(), now=now)
    return render_template("stats_page.html", table=by_district, title="districts", **ctx)


@bp.get("/applications")
def applications():  # noqa: ANN201
    with uow() as work:
        f, ctx, now = _request(work)
        status, sort = status_and_sort(request.args)
        page = page_from(request.args)
        table = tables.build("applications", work.session, f, today=now.date(), now=now, status=status, sort=sort, page=page)
    return render_template(
        "stats_page.html", table=table, title="applications", page=page, **ctx
    )


@bp.get("/ranking")
def ranking():  # noqa: ANN201
    with uow() as work:
        f, ctx, now = _request(work)
        table = tables.build("ranking", work.session, f, today=now.date(), now=now)
    return render_template("stats_page.html", table=table, title="ranking", **ctx)


@bp.get("/businesses")
def businesses():  # noqa: ANN201
    with uow() as work:
        f, ctx, now = _request(work)
        page = page_from(request.args)
        table = tables.build("businesses", work.session, f, today=now.date(), now=now, page=page)
    return render_template(
        "stats_page.html", table=table, title="businesses", page=page, **ctx
    )


@bp.get("/events")
def events_page():  # noqa: ANN201
    with uow() as work:
        now = work.clock.now()
        fairs = events.upcoming(work, today=now.date(), limit=200)
    return render_template("public_events.html", fairs=fairs)


@bp.get("/export/<name>.<fmt>")
def export(name: str, fmt: str):  # noqa: ANN201
    if name not in tables.PUBLIC or fmt not in FORMATS:
        abort(404)
    with uow() as work:
        f, _ctx, now = _request(work)
        status, sort = status_and_sort(request.args)
        table = tables.build(
            name, work.session, f, today=now.date(), now=now, unit=unit_from(request.args), status=status, sort=sort,
            page=page_from(request.args), per_page=EXPORT_ROWS,
        )
    return download(table, fmt, stem="odop-public")
