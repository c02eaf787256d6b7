"""The MDA money rules as officers and applicants meet them on the pages (issue 16): the breakdown on
the GM's task page, the sanctioned amount refused above the computed one or lower without reasons
(the form shown again with what was typed), and a late claim refused naming the dates."""

from __future__ import annotations

import base64
import io

from flask import Flask

from tests import files
from tests.web.conftest import MDA_FORM, PDF, open_task_id, sign_in, submit_mda


def _at_gm(app: Flask) -> tuple[str, object]:
    number = submit_mda(app, travel_fare="25000")  # travel above the Rs 10,000 cap
    dic = sign_in(app, "dic.agr")
    task = open_task_id(app, number)
    assert dic.post(f"/tasks/{task}/claim").status_code == 302
    assert dic.post(f"/tasks/{task}/decide", data={"outcome": "approve"}).status_code == 302
    gm = sign_in(app, "gm.agr")
    task = open_task_id(app, number)
    assert gm.post(f"/tasks/{task}/claim").status_code == 302
    return task, gm


def test_the_gm_sees_the_breakdown_and_cannot_sanction_more_or_less_without_reasons(app: Flask) -> None:
    task, gm = _at_gm(app)
    page = gm.get(f"/tasks/{task}").get_data(as_text=True)
    assert "Computed benefit" in page
    assert "Travel fare of one person: Rs 25,000, at most Rs 10,000" in page and "cap applied" in page
    assert "₹\u00a067,500" in page  # 50,000 + 7,500 + 10,000
    assert 'name="sanctioned_amount" type="number" step="1" value="67500"' in page  # proposed as computed

    # Refused: back to the task page (Post/Redirect/Get) with the message and the typing kept.
    above = gm.post(f"/tasks/{task}/decide", data={"outcome": "approve", "sanctioned_amount": "70000"}, follow_redirects=True)
    page = above.get_data(as_text=True)
    assert "cannot be more than the computed admissible amount of Rs 67,500" in page
    assert 'value="70000"' in page  # what was typed is kept

    lower = gm.post(f"/tasks/{task}/decide", data={"outcome": "approve", "sanctioned_amount": "60000"}, follow_redirects=True)
    assert "Give the reasons for sanctioning less than the computed Rs 67,500." in lower.get_data(as_text=True)

    done = gm.post(f"/tasks/{task}/decide", data={
        "outcome": "approve", "sanctioned_amount": "60000", "remarks": "Travel bill is for two persons; one admitted."})
    assert done.status_code == 302


def test_the_breakdown_in_hindi(app: Flask) -> None:
    task, gm = _at_gm(app)
    assert gm.post("/account/language", data={"language": "hi"}).status_code == 302
    page = gm.get(f"/tasks/{task}").get_data(as_text=True)
    assert "गणना किया गया लाभ" in page and "सीमा लागू" in page
    assert "एक व्यक्ति का यात्रा किराया: 25,000 रुपये, अधिकतम 10,000 रुपये" in page


def test_a_late_claim_is_refused_naming_the_dates(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    form = {**MDA_FORM, "fair_start": "2025-03-01", "fair_end": "2025-04-07", "action": "submit",
            "document_kind": "bills", "document": (io.BytesIO(PDF), "bills.pdf")}  # fmt: skip
    refused = client.post("/apply/MDA", data=form, content_type="multipart/form-data", follow_redirects=True)
    page = refused.get_data(as_text=True)
    assert "for a fair that ended on 07-04-2025, claims were taken until 06-07-2025 (90 days after the fair)" in page
    assert "today is 07-07-2025" in page


CFC = {
    "spv_name": "Agra Leather Artisans", "registration_number": "U12345UP2024", "contact_name": "Ravi Kumar",
    "mobile": "9876543210", "member_count": 30, "product_linked_members": 20, "facility_type": "testing_lab",
    "location": "Foundry Nagar, Agra",
}  # fmt: skip


def test_the_api_takes_a_cfc_at_the_cost_cap_and_refuses_one_rupee_more(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    documents = [
        {"type": k, "filename": f"{k}.pdf", "content_base64": base64.b64encode(files.PDF).decode()} for k in files.NEEDED["CFC"]
    ]
    above = client.post(
        "/api/v1/applications", json={"scheme": "CFC", "data": {**CFC, "project_cost": 150_000_001}, "documents": documents}
    )
    assert above.status_code == 422
    assert above.get_json()["error"]["fields"]["project_cost"] == ["The project cost can be at most Rs 15,00,00,000 (15 crore)."]
    at_cap = client.post(
        "/api/v1/applications", json={"scheme": "CFC", "data": {**CFC, "project_cost": 150_000_000}, "documents": documents}
    )
    assert at_cap.status_code == 201, at_cap.get_json()
