"""CSV and XLSX downloads of a dashboard table (openpyxl for XLSX)."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response
from flask_babel import gettext
from openpyxl import Workbook

from stats.tables import Table
from web.infra.formatting import stat
from web.infra.labels import label

FORMATS = ("csv", "xlsx")
# One download holds at most this many rows; larger lists are downloaded page by page (?page=2).
EXPORT_ROWS = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Columns whose stored values are codes: the download shows what the page shows ("In process",
# "not ranked"), not `in_process` or an empty cell.
READABLE = ("status", "rank")


def _cell(value: object, kind: str = "") -> object:
    if kind in READABLE:
        return stat(value, kind)
    return value.isoformat() if isinstance(value, date) else ("" if value is None else value)


def _safe_text(value: object) -> object:
    """Spreadsheets run cells starting with = + - @ as formulas; data must never become one."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def download(table: Table, fmt: str, *, stem: str) -> Response:
    # Hours stay numbers in a download (a spreadsheet sums them); the heading names the unit.
    headings = [label(c.key) + (" (" + gettext("hours") + ")" if c.kind == "hours" else "") for c in table.columns]
    filename = f"{stem}-{table.name}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headings)
        for row in table.rows:
            writer.writerow([_safe_text(_cell(v, c.kind)) for v, c in zip(row, table.columns, strict=True)])
        # A byte-order mark so that spreadsheet programs read Hindi and the rupee sign as UTF-8.
        body = "\ufeff" + out.getvalue()
        response = Response(body, mimetype="text/csv")
    elif fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(table.name[:31])
        sheet.append(headings)
        for row in table.rows:
            sheet.append([
                _safe_text(_cell(v, c.kind) if c.kind in READABLE else v) if not isinstance(v, date) else v
                for v, c in zip(row, table.columns, strict=True)
            ])
        buffer = io.BytesIO()
        book.save(buffer)
        response = Response(buffer.getvalue(), mimetype=XLSX)
    else:
        raise ValueError(f"Unknown format '{fmt}': use csv or xlsx.")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

