"""The public dashboard: no sign-in, no personal data (no names, contacts or documents)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from web.dashboards.filters import unit_from
from web.dashboards.pages import export as export_table
from web.dashboards.pages import open_page, table_page
from web.infra.extensions import uow
from workflows.usecases import trade_fairs

bp = Blueprint("public", __name__, url_prefix="/public")


@bp.get("")
def index():  # noqa: ANN201
    with uow() as work:
        board, ctx = open_page(work, None, request.args, area="public")
        unit = unit_from(request.args)
        view = board.overview(unit=unit, by="scheme")
        fairs = trade_fairs.upcoming(work, today=board.now.date(), limit=10)
        appeals = board.appeals()
    return render_template(
        "dashboards/public.html", total=view.total, series=view.series, by_scheme=view.by_scheme, unit=unit, fairs=fairs,
        appeals=appeals, **ctx,
    )


@bp.get("/districts")
def districts_page():  # noqa: ANN201
    return table_page(None, "summary_by_district", area="public", title="districts")


@bp.get("/applications")
def applications():  # noqa: ANN201
    return table_page(None, "applications", area="public", title="applications")


@bp.get("/ranking")
def ranking():  # noqa: ANN201
    return table_page(None, "ranking", area="public", title="ranking")


@bp.get("/businesses")
def businesses():  # noqa: ANN201
    return table_page(None, "businesses", area="public", title="businesses")


@bp.get("/events")
def events_page():  # noqa: ANN201
    with uow() as work:
        now = work.clock.now()
        fairs = trade_fairs.upcoming(work, today=now.date(), limit=200)
    return render_template("dashboards/public_events.html", fairs=fairs)


@bp.get("/export/<name>.<fmt>")
def export(name: str, fmt: str):  # noqa: ANN201
    return export_table(None, name, fmt, stem="odop-public")
