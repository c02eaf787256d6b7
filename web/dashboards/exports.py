"""CSV and XLSX downloads of a dashboard table (openpyxl for XLSX)."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response
from openpyxl import Workbook

from stats.tables import Table
from web.infra.labels import label

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

