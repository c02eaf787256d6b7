"""What the internal and the public dashboard share: opening the read side for a request, the
table pages and the downloads. `who` is the signed-in user's name, or None for the public."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from werkzeug.datastructures import MultiDict

from stats.dashboards import Dashboard, open_dashboard
from web.dashboards.exports import EXPORT_ROWS, FORMATS, download
from web.dashboards.filters import filters_from, options_from, page_from
from web.infra.extensions import uow
from workflows.uow import SchemeUnitOfWork


def open_page(work: SchemeUnitOfWork, who: str | None, args: MultiDict, *, area: str) -> tuple[Dashboard, dict]:
    """The dashboard `who` may see with the query string's filters, and the page context."""
    board = open_dashboard(work, who, lambda today, districts, schemes: filters_from(args, today=today, districts=districts, schemes=schemes))
    ctx = {
        "area": area,
        "f": board.filters,
        "districts": board.districts,
        "district_codes": {name: code for code, name in board.districts.items()},
        "schemes": board.schemes,
        "fixed_district": board.fixed_district,
        "args": {k: v for k, v in args.items() if k != "page"},
        "computed_at": board.now,
    }
    return board, ctx


def table_page(who: str | None, name: str, *, area: str, title: str) -> str:
    """A page showing one table, cut by the query string."""
    with uow() as work:
        board, ctx = open_page(work, who, request.args, area=area)
        table = board.table(name, options_from(request.args, board.filters))
    return render_template("dashboards/stats_page.html", table=table, title=title, page=page_from(request.args), **ctx)


def export(who: str | None, name: str, fmt: str, *, stem: str) -> Response:
    """A download of the table `name`, with the same filters and access rules as its page."""
    if fmt not in FORMATS:
        abort(404)
    with uow() as work:
        board, _ctx = open_page(work, who, request.args, area="export")
        table = board.table(name, options_from(request.args, board.filters, per_page=EXPORT_ROWS))
    return download(table, fmt, stem=stem)
