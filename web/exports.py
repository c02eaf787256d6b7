"""CSV and XLSX downloads of a dashboard table (openpyxl for XLSX); one endpoint body for both dashboards."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, abort, request
from openpyxl import Workbook

from stats.tables import Table
from web.dashboard_filters import open_page, options_from
from web.dashboard_labels import label
from web.extensions import uow

FORMATS = ("csv", "xlsx")
# One download holds at most this many rows; larger lists are downloaded page by page (?page=2).
EXPORT_ROWS = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else ("" if value is None else value)


def _safe_text(value: object) -> object:
    """Spreadsheets run cells starting with = + - @ as formulas; data must never become one."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def download(table: Table, fmt: str, *, stem: str) -> Response:
    headings = [label(c.key) for c in table.columns]
    filename = f"{stem}-{table.name}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headings)
        for row in table.rows:
            writer.writerow([_safe_text(_cell(v)) for v in row])
        # A byte-order mark so that spreadsheet programs read Hindi and the rupee sign as UTF-8.
        body = "\ufeff" + out.getvalue()
        response = Response(body, mimetype="text/csv")
    elif fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(table.name[:31])
        sheet.append(headings)
        for row in table.rows:
            sheet.append([_safe_text(v) if not isinstance(v, date) else v for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = Response(buffer.getvalue(), mimetype=XLSX)
    else:
        raise ValueError(f"Unknown format '{fmt}': use csv or xlsx.")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export(who: str | None, name: str, fmt: str, *, stem: str) -> Response:
    """The table `name` of the dashboard `who` (None: the public) may see, with the query string's filters."""
    if fmt not in FORMATS:
        abort(404)
    with uow() as work:
        board, _ctx = open_page(work, who, request.args, area="export")
        table = board.table(name, options_from(request.args, board.filters, per_page=EXPORT_ROWS))
    return download(table, fmt, stem=stem)
