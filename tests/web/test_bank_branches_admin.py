"""The administrator's bank-branch page (D102): the list by district, a branch added and updated
through the form, a refused form back with its typing (Post/Redirect/Get, D90), a CSV file imported
all or nothing, a branch removed unless something refers to it, the page in Hindi."""

from __future__ import annotations

import html
import io
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.conftest import sign_in
from workflows.models import BankBranch
from workflows.uow import SchemeUnitOfWork

PAGE = "/admin/bank-branches"
NEW = {"ifsc": "CNRB0001234", "bank_name": "Canara Bank", "branch_name": "Belanganj, Agra", "district_code": "AGR"}


def _branch(app: Flask, ifsc: str) -> tuple[str, str, str] | None:
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        found = uow.session.get(BankBranch, ifsc)
        return (found.bank_name, found.branch_name, found.district_code) if found else None


def _upload(client: FlaskClient, content: bytes, *, lang: str = "en") -> str:
    sent = client.post(f"{PAGE}/import?lang={lang}", data={"file": (io.BytesIO(content), "branches.csv")},
                       content_type="multipart/form-data")
    assert sent.status_code == 302 and sent.location.endswith(PAGE)  # Post/Redirect/Get
    return client.get(sent.location).get_data(as_text=True)


def _main(page: str) -> str:
    """The visible text of the page's main part."""
    main = page.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)))


def test_the_administrator_sees_the_branches_by_district_and_others_may_not(app: Flask) -> None:
    admin = sign_in(app, "admin")
    page = admin.get(PAGE).get_data(as_text=True)
    assert f'href="{PAGE}"' in page  # in the administrator's menu
    assert "<caption>Agra (AGR)</caption>" in page and "SBIN0001735" in page and "Punjab National Bank" in page
    agra = admin.get(f"{PAGE}?district=AGR").get_data(as_text=True)
    assert "SBIN0001735" in agra and "(MBD)</caption>" not in agra and "SBIN0002498" not in agra
    for who in ("dic.agr", "bank.agr", "applicant1.agr"):
        client = sign_in(app, who)
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE, data=NEW).status_code == 403
        assert client.post(f"{PAGE}/SBIN0001735/delete").status_code == 403
    assert sign_in(app, None).get(PAGE).status_code == 302  # to the sign-in page
    assert _branch(app, "CNRB0001234") is None and _branch(app, "SBIN0001735") is not None


def test_a_branch_is_added_and_updated_through_the_form(app: Flask) -> None:
    admin = sign_in(app, "admin")
    added = admin.post(PAGE, data={**NEW, "ifsc": "cnrb0001234"}, follow_redirects=True)
    assert "Bank branch CNRB0001234 saved." in added.get_data(as_text=True)
    assert _branch(app, "CNRB0001234") == ("Canara Bank", "Belanganj, Agra", "AGR")
    form = admin.get(f"{PAGE}?edit=CNRB0001234").get_data(as_text=True)  # "Edit" fills the form
    assert 'name="branch_name" type="text" value="Belanganj, Agra"' in form
    admin.post(PAGE, data={**NEW, "branch_name": "Belanganj (main), Agra"})
    assert _branch(app, "CNRB0001234") == ("Canara Bank", "Belanganj (main), Agra", "AGR")


def test_a_refused_form_comes_back_with_the_typing_and_the_fields_marked(app: Flask) -> None:
    admin = sign_in(app, "admin")
    sent = admin.post(PAGE, data={**NEW, "ifsc": "CNRB123", "bank_name": "Canara Bank of Agra", "district_code": ""})
    assert sent.status_code == 302  # Post/Redirect/Get (D90)
    page = admin.get(sent.location).get_data(as_text=True)
    assert 'value="CNRB123"' in page and 'value="Canara Bank of Agra"' in page and 'value="Belanganj, Agra"' in page
    assert 'id="branch-ifsc-error">An IFSC is 4 letters, a zero, then 6 letters or digits.</span>' in page
    assert 'id="branch-district_code-error">Required.</span>' in page
    again = admin.get(PAGE).get_data(as_text=True)  # said once
    assert 'value="CNRB123"' not in again and "branch-ifsc-error" not in again
    assert _branch(app, "CNRB123") is None


def test_a_csv_file_is_imported_all_or_nothing(app: Flask) -> None:
    admin = sign_in(app, "admin")
    header = b"ifsc,bank_name,branch_name,district_code\n"
    page = _upload(admin, header + b"CNRB0001234,Canara Bank,\"Belanganj, Agra\",AGR\nUTIB0000001,Axis Bank,,AGR\n")
    assert "No bank branch was imported." in page and "Line 3, branch_name: required." in page
    assert _branch(app, "CNRB0001234") is None
    page = _upload(admin, header + b"CNRB0001234,Canara Bank,\"Belanganj, Agra\",AGR\nUTIB0000001,Axis Bank,Agra Cantt,AGR\n")
    assert "2 bank branches imported." in page and "Belanganj, Agra" in page and "Agra Cantt" in page
    assert _branch(app, "UTIB0000001") == ("Axis Bank", "Agra Cantt", "AGR")
    many = header + b"".join(b"BAD%d,Bank,Branch,AGR\n" % n for n in range(12))
    page = _upload(admin, many)
    assert "Line 2, ifsc" in page and "Line 9, ifsc" in page and "Line 10, ifsc" not in page
    assert "4 more problems are not listed" in page


def test_a_branch_in_use_is_not_removed(app: Flask) -> None:
    admin = sign_in(app, "admin")
    sent = admin.post(f"{PAGE}/SBIN0001735/delete")  # bank.agr works for it
    assert sent.status_code == 302
    page = admin.get(sent.location).get_data(as_text=True)
    assert "SBIN0001735 cannot be removed: 1 bank officers, 0 applications and 0 loans refer to it." in page
    assert _branch(app, "SBIN0001735") is not None
    admin.post(PAGE, data=NEW)
    removed = admin.post(f"{PAGE}/CNRB0001234/delete", follow_redirects=True).get_data(as_text=True)
    assert "Bank branch CNRB0001234 removed." in removed and _branch(app, "CNRB0001234") is None
    assert admin.post(f"{PAGE}/CNRB0001234/delete").status_code == 404


def test_the_page_and_its_refusals_in_hindi(app: Flask) -> None:
    admin = sign_in(app, "admin")
    page = admin.get(f"{PAGE}?lang=hi").get_data(as_text=True)
    assert "बैंक शाखाएँ" in page and "CSV फ़ाइल से शाखाएँ आयात करें" in page
    # Latin words left: the IFSCs, bank and branch names and the district codes of the data, the
    # columns of the file, and the abbreviations IFSC and CSV.
    data = {w for row in _rows(app) for w in re.findall(r"[A-Za-z0-9]+", " ".join(row))}
    left = set(re.findall(r"[A-Za-z][A-Za-z0-9_]*", _main(page))) - data - {"IFSC", "CSV", "ifsc", "bank_name", "branch_name", "district_code"}
    assert not left, left
    sent = admin.post(f"{PAGE}?lang=hi", data={**NEW, "ifsc": "CNRB123", "district_code": "ZZZ"})
    refused = admin.get(sent.location).get_data(as_text=True)
    assert "आईएफएससी में पहले 4 अक्षर, फिर शून्य, और फिर 6 अक्षर या अंक होते हैं।" in refused
    assert "ZZZ नाम का कोई जनपद नहीं है।" in refused
    page = _upload(admin, b"ifsc,bank_name,branch_name,district_code\nCNRB0001234,Canara Bank,Agra,XYZ\n", lang="hi")
    assert "कोई भी बैंक शाखा आयात नहीं की गई।" in page and "पंक्ति 2, district_code: XYZ नाम का कोई जनपद नहीं है।" in page
    in_use = admin.post(f"{PAGE}/SBIN0001735/delete?lang=hi", follow_redirects=True).get_data(as_text=True)
    assert "SBIN0001735 को हटाया नहीं जा सकता: इससे 1 बैंक अधिकारी, 0 आवेदन और 0 ऋण जुड़े हैं।" in in_use


def _rows(app: Flask) -> list[tuple[str, ...]]:
    """The branches' fields and the district codes: data, which stays as it is on a Hindi page."""
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        branches = [(b.ifsc, b.bank_name, b.branch_name) for b in uow.session.scalars(select(BankBranch))]
        return [*branches, tuple(d.code for d in uow.districts.all())]
