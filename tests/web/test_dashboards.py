"""Dashboards over HTTP: access rules, figures after a decision, downloads, and no personal data
on anything the public can reach."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from openpyxl import load_workbook

from tests.web.conftest import MDA_FORM, open_task_id, sign_in, submit_mda
from web.infra.config import ROOT
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import claim, decide

PUBLIC_PAGES = ["/public", "/public/districts", "/public/applications", "/public/ranking", "/public/businesses", "/public/events"]
PUBLIC_TABLES = ["summary_by_scheme", "summary_by_district", "series", "applications", "ranking", "businesses"]


def _decide(app: Flask, number: str, actor: str, outcome: str, **fields) -> None:  # noqa: ANN003
    runtime = app.extensions["odop.runtime"]
    task_id = open_task_id(app, number)
    with SchemeUnitOfWork(runtime) as uow:
        claim(uow, [task_id], actor=actor)
    with SchemeUnitOfWork(runtime) as uow:
        decide(uow, task_id, actor=actor, outcome=outcome, remarks="Not eligible." if outcome == "reject" else "", fields=fields)


def _approved_and_rejected(app: Flask) -> tuple[str, str]:
    approved, rejected = submit_mda(app), submit_mda(app)
    _decide(app, approved, "dic.agr", "approve")
    _decide(app, approved, "gm.agr", "approve")
    _decide(app, approved, "dic.agr", "approve", payment_reference="PFMS-123")
    _decide(app, rejected, "dic.agr", "reject")
    return approved, rejected


def _figure(html: str, name: str) -> str:
    return html.split(f'data-figure="{name}">', 1)[1].split("<", 1)[0]


def test_public_dashboard_shows_a_decision_at_once(app: Flask) -> None:
    client = sign_in(app, None)
    before = client.get("/public").get_data(as_text=True)
    assert _figure(before, "received") == "0"
    _approved_and_rejected(app)
    html = client.get("/public").get_data(as_text=True)
    assert (_figure(html, "received"), _figure(html, "approved"), _figure(html, "rejected")) == ("2", "1", "1")
    assert _figure(html, "benefit_released") == "₹\u00a059,900"
    assert "Figures computed from the approval records at 07-07-2025" in html
    assert 'src="/static/vendor/chart.js/chart.umd.min.js"' in html


def test_downloads_hold_the_page_figures_in_csv_and_xlsx(app: Flask) -> None:
    approved, _ = _approved_and_rejected(app)
    client = sign_in(app, None)
    response = client.get("/public/export/applications.csv?status=approved")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Application", "Scheme", "District"]
    assert [(r[0], r[5], r[8]) for r in rows[1:]] == [(approved, "Approved", "59900")]  # readable status
    book = load_workbook(io.BytesIO(client.get("/public/export/summary_by_scheme.xlsx").data))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert (row["Scheme"], row["Received"], row["Approved"], row["Rejected"], row["Benefit released"]) == (
        "Marketing Development Assistance", 2, 1, 1, 59900,
    )


def _personal_data() -> list[str]:
    found = list(MDA_FORM[k] for k in ("applicant_name", "unit_name", "mobile"))
    lines = (ROOT / "workflows" / "data" / "demo_users.csv").read_text(encoding="utf-8").splitlines()
    header = lines[1].split(",")
    for line in lines[2:]:
        user = dict(zip(header, line.split(","), strict=True))
        if user["role"] in ("applicant", "facilitation_operator"):
            found += [user["full_name"], user["email"], user["phone"], user["username"]]
    return [p for p in found if p]


def test_no_personal_data_on_any_public_page_or_download(app: Flask) -> None:
    approved, rejected = _approved_and_rejected(app)
    admin = sign_in(app, "admin")
    admin.post("/admin/events", data={"name": "UP International Trade Show", "city": "Greater Noida", "fair_type": "domestic",
                                      "starts_on": "2025-09-25", "ends_on": "2025-09-29"})
    client = sign_in(app, None)
    urls = [*PUBLIC_PAGES, "/public?unit=day", "/public/applications?status=approved&sort=days", "/public?district=AGR&scheme=MDA"]
    urls += [f"/public/export/{t}.{fmt}" for t in PUBLIC_TABLES for fmt in ("csv", "xlsx")]
    urls += [f"/verify/{approved}", f"/verify/{rejected}"]  # the page a letter's QR code opens
    personal = _personal_data()
    assert "Sunita Devi" in personal and "9876543210" in personal
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True) if not url.endswith(".xlsx") else _xlsx_text(response.data)
        leaked = [p for p in personal if p in body]
        assert not leaked, f"{url} shows {leaked}"


def _xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None)


@pytest.mark.parametrize(
    ("user", "url", "status"),
    [
        (None, "/dashboard", 302),
        ("applicant1.agr", "/dashboard", 403),
        ("fc.agr", "/dashboard/export/officers.csv", 403),
        ("dic.agr", "/dashboard", 200),
        ("dic.agr", "/dashboard?district=MBD", 403),
        ("dic.agr", "/dashboard/export/applications.csv?district=MBD", 403),
        ("dic.agr", "/dashboard/officers", 200),
        ("dic.agr", "/dashboard/ranking", 200),
        ("dic.agr", "/dashboard/ranking?district=AGR", 200),  # the ranking still compares all districts
        (None, "/public/ranking?district=AGR", 200),
        ("nodal1", "/dashboard?district=MBD", 200),
        ("admin", "/dashboard/steps?scheme=CFC", 200),
        (None, "/public/export/officers.csv", 404),
        (None, "/public/export/steps.xlsx", 404),
    ],
)
def test_internal_dashboard_access(app: Flask, user: str | None, url: str, status: int) -> None:
    assert sign_in(app, user).get(url).status_code == status


def test_district_officer_sees_only_their_district(app: Flask) -> None:
    _approved_and_rejected(app)  # all in Agra
    agra = sign_in(app, "dic.agr").get("/dashboard").get_data(as_text=True)
    moradabad = sign_in(app, "dic.mbd").get("/dashboard").get_data(as_text=True)
    assert _figure(agra, "received") == "2"
    assert _figure(moradabad, "received") == "0"
    officers = sign_in(app, "dic.mbd").get("/dashboard/export/officers.csv").get_data(as_text=True)
    assert "Rajesh Kumar Sharma" not in officers  # Agra's DIC officer


def test_drill_down_steps_and_heatmap(app: Flask) -> None:
    _approved_and_rejected(app)
    html = sign_in(app, "gm.agr").get("/dashboard/steps?scheme=MDA").get_data(as_text=True)
    assert 'id="heat-data"' in html and '"id": "dic_verification"' in html
    assert "Slowest step:" in html
    listing = sign_in(app, "gm.agr").get("/dashboard/applications?status=rejected").get_data(as_text=True)
    assert "Rejected" in listing


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("fy=2025-27", "fy: &#39;2025-27&#39; is not a financial year"),
        ("start=2025-13-01", "start: &#39;2025-13-01&#39; is not a date"),
        ("start=2025-08-01&end=2025-07-01", "end: The period ends before it starts."),
        ("scheme=XYZ", "scheme: There is no scheme &#39;XYZ&#39;"),
        ("district=NOPE", "district: There is no district &#39;NOPE&#39;"),
        ("unit=year", "unit: Choose one of: day, week, month."),
    ],
)
def test_bad_filters_are_named(app: Flask, query: str, message: str) -> None:
    response = sign_in(app, None).get(f"/public?{query}")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_administrator_lists_a_trade_fair_linking_to_the_mda_form(app: Flask) -> None:
    admin = sign_in(app, "admin")
    bad = admin.post("/admin/events", data={"name": "X", "city": "", "fair_type": "moon", "starts_on": "2025-09-29", "ends_on": "2025-09-25"})
    assert bad.status_code == 302  # Post/Redirect/Get (D90): the page again, the fields marked
    assert b"The fair cannot end before it starts." in admin.get(bad.location).data
    assert sign_in(app, "dic.agr").post("/admin/events", data={"name": "Sneaky fair"}).status_code == 403
    ok = admin.post("/admin/events", data={"name": "UP International Trade Show", "city": "Greater Noida",
                                           "fair_type": "domestic", "starts_on": "2025-09-25", "ends_on": "2025-09-29"})
    assert ok.status_code == 302
    public = sign_in(app, None).get("/public/events").get_data(as_text=True)
    assert "UP International Trade Show" in public and "25-09-2025" in public
    assert "Claim marketing assistance after the fair (from 30-09-2025)" in public  # not before it ends (D79)
    link = public.split('href="/apply/MDA?', 1)[1].split('"', 1)[0]
    form = sign_in(app, "applicant1.agr").get(f"/apply/MDA?{link.replace('&amp;', '&')}").get_data(as_text=True)
    assert 'value="UP International Trade Show"' in form


def test_registered_businesses_after_an_approval(app: Flask) -> None:
    _approved_and_rejected(app)
    html = sign_in(app, None).get("/public/businesses").get_data(as_text=True)
    assert "ODOP-AGR-" in html and "Leather" in html and "Marketing Development Assistance" in html



def test_public_dashboard_in_hindi(app: Flask) -> None:
    client = sign_in(app, None)
    html = client.get("/public?lang=hi").get_data(as_text=True)
    assert "एक जनपद एक उत्पाद: आवेदन और लाभ" in html and "प्राप्त आवेदन" in html
    rows = list(csv.reader(io.StringIO(client.get("/public/export/ranking.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["रैंक", "जनपद", "अंक"]


def test_drill_down_from_a_step_to_the_applications_waiting_there(app: Flask) -> None:
    approved, rejected = _approved_and_rejected(app)
    waiting = submit_mda(app)
    _decide(app, waiting, "dic.agr", "approve")  # now at the GM's sanction
    gm = sign_in(app, "gm.agr")
    steps = gm.get("/dashboard/steps?scheme=MDA").get_data(as_text=True)
    assert "step=gm_sanction" in steps
    listing = gm.get("/dashboard/applications?scheme=MDA&step=gm_sanction&status=in_process").get_data(as_text=True)
    assert waiting in listing and approved not in listing and rejected not in listing
    assert gm.get("/dashboard/applications?step=gm_sanction").status_code == 422  # which scheme's step?
    assert gm.get("/dashboard/applications?scheme=MDA&step=<script>").status_code == 422
