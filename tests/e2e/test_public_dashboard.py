"""The public dashboard, signed out: its figures match the database right after a decision made in
this test, its tables download as CSV and XLSX, and each page is screenshotted."""

from __future__ import annotations

import csv
import io

from flask import Flask
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect
from sqlalchemy import func, select

from tests.e2e.conftest import Shots
from tests.e2e.test_marketing_assistance_walk import signed_in, work_task
from tests.files import checklist_documents
from tests.integration.scheme_helpers import fresh
from tests.web.conftest import open_task_id
from workflows.models import Application
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import claim, decide
from workflows.usecases.submission import submit_application


def _submit(app: Flask) -> str:
    # Through the use case: the live server checks CSRF tokens, which the test client has not got.
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        data = fresh("MDA")
        return submit_application(
            uow, scheme_code="MDA", district_code="AGR", data=data, actor="applicant1.agr", **checklist_documents(uow, "MDA", data),
        ).number


def _advance(app: Flask, number: str, actor: str) -> None:
    runtime = app.extensions["odop.runtime"]
    task_id = open_task_id(app, number)
    with SchemeUnitOfWork(runtime) as uow:
        claim(uow, [task_id], actor=actor)
    with SchemeUnitOfWork(runtime) as uow:
        decide(uow, task_id, actor=actor, outcome="approve")


def _database_figures(app: Flask) -> tuple[int, int, int]:
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        s = uow.session
        received = s.scalar(select(func.count()).select_from(Application))
        approved = s.scalar(select(func.count()).where(Application.status == "approved"))
        paid = s.scalar(select(func.coalesce(func.sum(Application.benefit_amount), 0)).where(Application.status == "approved"))
    return received, approved, paid


def test_public_dashboard(app: Flask, browser: Browser, live_url: str, shots: Shots) -> None:
    paid, waiting = _submit(app), _submit(app)
    _advance(app, paid, "dic.agr")
    _advance(app, paid, "gm.agr")

    public = browser.new_context(base_url=live_url, locale="en-IN", accept_downloads=True).new_page()
    public.goto("/public")
    expect(public.locator("#series-chart")).to_have_attribute("data-ready", "1")
    expect(public.locator('[data-figure="received"]')).to_have_text("2")
    expect(public.locator('[data-figure="approved"]')).to_have_text("0")
    shots(public, "public-before")

    # The DIC records the payment in the browser: the application is approved (decision D13).
    officer = signed_in(browser, live_url, "dic.agr")
    work_task(officer, shots, paid, "approve", payment_reference="PFMS-2025-0042")

    received, approved, amount = _database_figures(app)
    assert (received, approved, amount) == (2, 1, 59_900)
    public.goto("/public")
    expect(public.locator('[data-figure="received"]')).to_have_text(str(received))
    expect(public.locator('[data-figure="approved"]')).to_have_text(str(approved))
    expect(public.locator('[data-figure="benefit_released"]')).to_have_text("₹\u00a059,900")
    expect(public.locator(".computed")).to_contain_text("Figures computed from the approval records at")
    shots(public, "public-after")

    public.goto("/public/applications")
    expect(public.locator("table.stats")).to_contain_text(paid)
    expect(public.locator("table.stats")).to_contain_text(waiting)
    shots(public, "public-applications")
    with public.expect_download() as csv_download:
        public.click("a:text('CSV')")
    rows = list(csv.reader(io.StringIO(csv_download.value.path().read_text(encoding="utf-8-sig"))))
    assert {r[0]: (r[5], r[8]) for r in rows[1:]} == {paid: ("Approved", "59900"), waiting: ("In process", "")}
    with public.expect_download() as xlsx_download:
        public.click("a:text('XLSX')")
    assert xlsx_download.value.suggested_filename == "odop-public-applications.xlsx"
    sheet = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes())).active
    values = {row[0]: row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values == {paid: "Approved", waiting: "In process"}

    for path, what in (("/public/ranking", "ranking"), ("/public/businesses", "businesses"), ("/public/events", "events")):
        public.goto(path)
        shots(public, what)
    expect(public.locator("body")).not_to_contain_text("Sunita Devi")
