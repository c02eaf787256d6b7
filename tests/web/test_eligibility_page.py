"""The DIC's task page shows what the records say against an application, in the page's language,
and an approval there is refused naming the rule (D71, D72)."""

from __future__ import annotations

from flask import Flask

from tests import files
from tests.web.conftest import open_task_id, sign_in
from tests.web.test_aadhaar_masking import MM_FORM
from workflows.models import District
from workflows.uow import SchemeUnitOfWork


def test_the_dic_sees_the_finding_and_cannot_approve(app: Flask) -> None:
    applicant = sign_in(app, "applicant1.agr")
    page = applicant.get("/apply/MM").get_data(as_text=True)
    assert '<select id="f-product" name="product"' in page and '<option value="Leather products"' in page
    filed = applicant.post("/apply/MM", data={**MM_FORM, "action": "submit", **files.checklist_form(files.NEEDED["MM"])}, content_type="multipart/form-data")
    assert filed.status_code == 302
    number = filed.location.split("/applications/", 1)[1]
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:  # the district's list changed meanwhile
        uow.session.get(District, "AGR").odop_products = ["Stone craft"]
        uow.commit()
    task = open_task_id(app, number)
    dic = sign_in(app, "dic.agr")
    dic.post(f"/tasks/{task}/claim")
    html = dic.get(f"/tasks/{task}").get_data(as_text=True)
    assert "data-eligibility" in html and "The product must be one of the district&#39;s ODOP products: Stone craft." in html
    hindi = dic.get(f"/tasks/{task}?lang=hi").get_data(as_text=True)
    assert "उत्पाद जनपद के ओडीओपी उत्पादों में से एक होना चाहिए: Stone craft।" in hindi
    refused = dic.post(f"/tasks/{task}/decide?lang=en", data={"outcome": "approve"}, follow_redirects=True)
    assert refused.history and "ODOP products: Stone craft" in refused.get_data(as_text=True)
    rejected = dic.post(f"/tasks/{task}/decide", data={"outcome": "reject", "remarks": "Not the district's product."})
    assert rejected.status_code == 302
