"""Letters: the acknowledgement and the sanction letter as PDF (they open, say the amount in words,
carry a QR code of the verification page), who may download them, and the public verification page."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pypdf
import pytest
import zxingcpp
from flask import Flask

from tests.web.conftest import sign_in, submit_mda
from tests.web.test_dashboards import _decide, _personal_data
from workflows.printing.letter_pdf import Letter, render


def _text(pdf: bytes) -> str:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    return " ".join(page.extract_text().split())


def _qr(pdf: bytes) -> list[str]:
    """The texts of the QR codes in the images of the PDF's first page."""
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    return [code.text for image in page.images for code in zxingcpp.read_barcodes(image.image)]


def _approved(app: Flask) -> str:
    number = submit_mda(app)
    _decide(app, number, "dic.agr", "approve")
    _decide(app, number, "gm.agr", "approve")
    _decide(app, number, "dic.agr", "approve", payment_reference="PFMS-123")
    return number


def _letter(amount: int, kind: str = "sanction", scheme: str = "MM") -> Letter:
    return Letter(
        kind=kind, number="MM/UP/AGR/2025-26/000007", scheme_code=scheme, scheme_name="Margin Money", district="Agra",
        applicant_name="Test Person", submitted_at=datetime(2025, 7, 6, 20, 0, tzinfo=UTC),  # 07-07-2025 01:30 in India
        decided_at=datetime(2025, 8, 1, 19, 0, tzinfo=UTC), amount=amount, time_limit_days=60,
    )


@pytest.mark.parametrize(
    ("amount", "figures", "words"),
    [
        (99_999, "99,999", "Rupees ninety-nine thousand nine hundred and ninety-nine only"),
        (1_00_000, "1,00,000", "Rupees one lakh only"),
        (99_99_999, "99,99,999", "Rupees ninety-nine lakh ninety-nine thousand nine hundred and ninety-nine only"),
        (1_00_00_000, "1,00,00,000", "Rupees one crore only"),
    ],
)
def test_a_sanction_letter_states_the_amount_in_figures_and_words(amount: int, figures: str, words: str) -> None:
    url = "https://odop.example.in/verify/MM/UP/AGR/2025-26/000007"
    text = _text(render(_letter(amount), "en", url))
    assert f"Sanctioned amount: ₹ {figures}" in text
    assert f"In words: {words}" in text
    # Dates are India's: submitted 20:00 UTC on the 6th is the 7th; decided 19:00 UTC on the 1st is the 2nd.
    assert "received on 07-07-2025, was approved on 02-08-2025" in text and "Date: 02-08-2025" in text
    assert "General Manager District Industries Centre, Agra" in text
    hindi = render(_letter(amount), "hi", url)
    assert pypdf.PdfReader(io.BytesIO(hindi)).metadata.title.startswith("स्वीकृति पत्र")
    assert _qr(hindi) == [url]


def test_a_cfc_sanction_is_signed_by_the_state_level_committee() -> None:
    text = _text(render(_letter(13_50_00_000, scheme="CFC"), "en", "https://x.in/verify/1"))
    assert "Member Secretary State Level Committee (ODOP), Uttar Pradesh" in text
    assert "Rupees thirteen crore fifty lakh only" in text


def test_the_hindi_letter_embeds_the_devanagari_font_and_is_reproducible() -> None:
    pdf = render(_letter(6_40_000), "hi", "https://x.in/verify/1")
    assert pdf == render(_letter(6_40_000), "hi", "https://x.in/verify/1")
    fonts = {
        str(font["/BaseFont"])
        for font in pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("+LohitDevanagari") for name in fonts), fonts  # embedded as a subset


def test_the_applicant_downloads_the_acknowledgement_then_the_sanction_letter(app: Flask) -> None:
    number = submit_mda(app)
    client = sign_in(app, "applicant1.agr")
    page = client.get(f"/applications/{number}").get_data(as_text=True)
    assert f'href="/applications/{number}/letters/en/acknowledgement.pdf"' in page
    assert "/sanction.pdf" not in page
    response = client.get(f"/applications/{number}/letters/en/acknowledgement.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = _text(response.data)
    assert "Acknowledgement of application" in text and number in text and "Sunita Devi" in text
    assert "received on 07-07-2025" in text
    # The overall limit in working days (30 for MDA) from receipt, on the state's calendar, as on the page.
    assert "within 30 working days of receipt, by 14-08-2025" in text
    assert _qr(response.data) == [f"http://localhost/verify/{number}"]
    assert client.get(f"/applications/{number}/letters/en/sanction.pdf").status_code == 404

    _decide(app, number, "dic.agr", "approve")
    _decide(app, number, "gm.agr", "approve")
    _decide(app, number, "dic.agr", "approve", payment_reference="PFMS-123")
    page = client.get(f"/applications/{number}").get_data(as_text=True)
    assert f'href="/applications/{number}/letters/hi/sanction.pdf"' in page
    for language in ("en", "hi"):
        letter = client.get(f"/applications/{number}/letters/{language}/sanction.pdf")
        assert letter.status_code == 200, language
        assert _qr(letter.data) == [f"http://localhost/verify/{number}"]
    assert "Sanctioned amount: ₹ 59,900 In words: Rupees fifty-nine thousand nine hundred only" in _text(
        client.get(f"/applications/{number}/letters/en/sanction.pdf").data
    )


@pytest.mark.parametrize(
    ("user", "status"),
    [("applicant1.agr", 200), ("applicant2.agr", 403), ("fc.agr", 403), ("dic.agr", 200), ("gm.agr", 200), ("dic.mbd", 403),
     ("nodal1", 200), ("admin", 200), (None, 302)],
)
def test_letters_go_to_those_who_may_see_the_application(app: Flask, user: str | None, status: int) -> None:
    number = submit_mda(app)
    assert sign_in(app, user).get(f"/applications/{number}/letters/en/acknowledgement.pdf").status_code == status


@pytest.mark.parametrize(("path", "named"), [("fr/acknowledgement.pdf", "lang"), ("en/receipt.pdf", "kind")])
def test_an_unknown_letter_or_language_is_a_clear_422(app: Flask, path: str, named: str) -> None:
    number = submit_mda(app)
    response = sign_in(app, "applicant1.agr").get(f"/applications/{number}/letters/{path}")
    assert response.status_code == 422
    assert named in response.get_data(as_text=True)


def test_the_verification_page_shows_the_public_facts_and_no_personal_data(app: Flask) -> None:
    number = _approved(app)
    client = sign_in(app, None)
    response = client.get(f"/verify/{number}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Marketing Development Assistance" in html and "Agra" in html
    assert 'data-status="approved"' in html and "₹\u00a059,900" in html
    leaked = [p for p in _personal_data() if p in html]
    assert not leaked


def test_the_verification_page_before_a_decision_shows_no_amount(app: Flask) -> None:
    number = submit_mda(app)
    html = sign_in(app, None).get(f"/verify/{number}").get_data(as_text=True)
    assert 'data-status="in_process"' in html and "None sanctioned" in html


def test_an_unknown_number_is_a_plain_404_page(app: Flask) -> None:
    response = sign_in(app, None).get("/verify/MDA/UP/AGR/2025-26/999999")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "There is no application MDA/UP/AGR/2025-26/999999." in response.get_data(as_text=True)


def test_the_verification_page_in_hindi(app: Flask) -> None:
    number = _approved(app)
    html = sign_in(app, None).get(f"/verify/{number}?lang=hi").get_data(as_text=True)
    assert "पत्र का सत्यापन" in html and "स्वीकृत राशि" in html and "Verify a letter" not in html
