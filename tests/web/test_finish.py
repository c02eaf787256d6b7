"""Issue 17, "the finish": completed tasks, Post/Redirect/Get, names, favicon (web level)."""

from __future__ import annotations

from flask import Flask

from tests.web.conftest import open_task_id, sign_in, submit_mda


def _version(page: str) -> str:
    return page.split('name="version" value="')[1].split('"')[0]


def test_a_refused_decision_redirects_back_with_the_marked_fields_and_the_typing(app: Flask) -> None:
    number = submit_mda(app)
    task = open_task_id(app, number)
    dic = sign_in(app, "dic.agr")
    version = _version(dic.get(f"/tasks/{task}").get_data(as_text=True))
    refused = dic.post(f"/tasks/{task}/decide", data={"outcome": "", "remarks": "Bills look fine", "version": version})
    assert refused.status_code == 302 and refused.location.endswith(f"/tasks/{task}")  # Back cannot re-send it
    page = dic.get(refused.location).get_data(as_text=True)
    assert "Please correct the marked fields." in page and 'id="outcome-error"' in page
    assert ">Bills look fine</textarea>" in page and 'name="odop-keep-typed"' in page
    again = dic.get(f"/tasks/{task}").get_data(as_text=True)  # once only
    assert "Please correct the marked fields." not in again and ">Bills look fine</textarea>" not in again


def test_a_completed_task_opened_again_shows_how_it_was_completed(app: Flask) -> None:
    number = submit_mda(app)
    task = open_task_id(app, number)
    dic = sign_in(app, "dic.agr")
    version = _version(dic.get(f"/tasks/{task}").get_data(as_text=True))
    assert dic.post(f"/tasks/{task}/decide", data={"outcome": "approve", "version": version}).status_code == 302
    page = dic.get(f"/tasks/{task}").get_data(as_text=True)
    assert "Completed on " in page and " by dic.agr with outcome Approve / forward" in page
    assert ">Due<" not in page and "Claimed by" not in page
    assert "Record decision" not in page and "/decide" not in page
    hindi = dic.get(f"/tasks/{task}?lang=hi").get_data(as_text=True)
    assert "द्वारा पूर्ण, परिणाम:" in hindi


def test_the_favicon_is_served_to_everyone_and_linked_from_every_page(app: Flask) -> None:
    for client in (app.test_client(), sign_in(app, "dic.agr")):
        icon = client.get("/favicon.ico")
        assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
        assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
        assert 'rel="icon" href="/favicon.ico"' in client.get("/public").get_data(as_text=True)


def _decided_in_agra(app: Flask) -> str:
    from tests.web.test_dashboards import _approved_and_rejected

    approved, _rejected = _approved_and_rejected(app)
    submit_mda(app)  # one still in process
    return approved


def test_the_ranking_ranks_only_districts_that_decided_and_moves_only_against_figures(app: Flask) -> None:
    _decided_in_agra(app)
    client = sign_in(app, None)
    html = client.get("/public/ranking").get_data(as_text=True)
    rows = [r for r in html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]]
    assert len(rows) == 75 and "Agra" in rows[0] and ">1<" in rows[0].replace(" ", "").replace("\n", "")
    assert all("not ranked" in row for row in rows[1:])
    assert not any("▲" in row or "▼" in row for row in rows)  # the previous period has no figures
    lines = client.get("/public/export/ranking.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[1].startswith("1,Agra,") and lines[2].startswith("not ranked,")
    assert "क्रम नहीं दिया गया" in client.get("/public/ranking?lang=hi").get_data(as_text=True)


def test_downloads_show_readable_statuses(app: Flask) -> None:
    _decided_in_agra(app)
    client = sign_in(app, "gm.agr")
    text = client.get("/dashboard/export/applications.csv").get_data(as_text=True)
    assert "In process" in text and "Approved" in text and "in_process" not in text
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/dashboard/export/applications.xlsx").data))
    cells = {c for row in book.active.iter_rows(values_only=True) for c in row}
    assert "In process" in cells and "in_process" not in cells


def test_applicants_see_offices_not_lane_ids_and_no_process_key(app: Flask) -> None:
    number = submit_mda(app)
    applicant = sign_in(app, "applicant1.agr")
    page = applicant.get(f"/applications/{number}").get_data(as_text=True)
    assert "marketing_assistance v" not in page and "Process version" not in page
    definition = page.split("/tasks/diagram/", 1)[1].split(".bpmn", 1)[0]
    xml = applicant.get(f"/tasks/diagram/{definition}.bpmn").get_data(as_text=True)
    assert 'name="District Industries Centre"' in xml and 'name="dic_officer"' not in xml
    hindi = applicant.get(f"/tasks/diagram/{definition}.bpmn?lang=hi").get_data(as_text=True)
    assert 'name="dic_officer"' not in hindi and 'name="District Industries Centre"' not in hindi


def test_steps_and_officers_name_offices_and_say_durations_in_days_or_hours(app: Flask) -> None:
    _decided_in_agra(app)
    gm = sign_in(app, "gm.agr")
    page = gm.get("/dashboard/steps?scheme=MDA").get_data(as_text=True)
    assert "District Industries Centre" in page and ">dic_officer<" not in page
    officers = gm.get("/dashboard/officers").get_data(as_text=True)
    assert ">dic_officer<" not in officers and "District Industries Centre" in officers
    with app.test_request_context("/"):
        render = app.jinja_env.from_string("{{ 1059.4|duration }}|{{ 1|duration }}|{{ 5.25|duration }}|{{ '1990-05-31'|shown_text }}")
        assert render.render() == "44.1 days|1 hour|5.2 hours|31-05-1990"


def test_counts_use_the_singular_for_one(app: Flask) -> None:
    number = submit_mda(app)
    applicant = sign_in(app, "applicant1.agr")
    assert "1 application<" in applicant.get("/applications").get_data(as_text=True)
    dic = sign_in(app, "dic.agr")
    claimed = dic.post("/inbox/claim", data={"task_id": open_task_id(app, number)}, follow_redirects=True)
    assert "1 task claimed." in claimed.get_data(as_text=True)


def test_a_refused_application_redirects_back_to_the_form_with_the_typing(app: Flask) -> None:
    from tests.web.conftest import MDA_FORM

    client = sign_in(app, "applicant1.agr")
    refused = client.post("/apply/MDA", data={**MDA_FORM, "stall_charges": "many", "action": "submit"})
    assert refused.status_code == 302 and refused.location.endswith("/apply/MDA")
    page = client.get(refused.location).get_data(as_text=True)
    assert "The application is not complete." in page and 'value="Devi Leather Works"' in page
    assert "The application is not complete." not in client.get("/apply/MDA").get_data(as_text=True)


def test_applicants_timeline_names_no_process_message_or_signal_ids(app: Flask) -> None:
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from flask import render_template

    from workflows.readmodels.timeline import Entry

    at = datetime(2025, 7, 7, 5, 0, tzinfo=UTC)
    entries = [
        Entry(at, "gm_dic", "process_called", None, None, None, {"key": "inspection", "version": 2}),
        Entry(at, "bank_officer", "message_received", None, None, None, {"message": "loan_sanctioned"}),
        Entry(at, "gm_dic", "task_completed", "Sanction", "approve", None, {}),
    ]
    with app.test_request_context("/"):
        html = render_template("_timeline.html", timeline=entries, current_user=SimpleNamespace(files_applications=True))
    assert "inspection" not in html and "loan_sanctioned" not in html and "gm_dic" not in html
    assert "General Manager, DIC completed “Sanction”" in html
