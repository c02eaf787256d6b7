"""Notification texts for India: digit grouping, lakh/crore, India-time dates, Hindi scheme names,
and the mobile-number rule (ten digits from 6-9, +91 / 0 dropped)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sla.indian import grouped, india_day, rupees
from sla.sms_templates import SMS, render_sms
from sla.templates import TEMPLATES, render
from workflows.mobile import mobile_problem, normalise_mobile


@pytest.mark.parametrize(("amount", "text"), [
    (0, "₹ 0"), (999, "₹ 999"), (99_999, "₹ 99,999"), (1_00_000, "₹ 1,00,000 (1 lakh)"),
    (6_40_000, "₹ 6,40,000 (6.4 lakh)"), (99_99_999, "₹ 99,99,999 (99.99 lakh)"),
    (1_00_00_000, "₹ 1,00,00,000 (1 crore)"), (13_50_00_000, "₹ 13,50,00,000 (13.5 crore)"),
])
def test_amounts_in_indian_grouping_with_lakh_and_crore(amount: int, text: str) -> None:
    assert rupees(amount) == text


def test_hindi_amounts_and_negative_grouping() -> None:
    assert rupees(4_50_00_000, "hi") == "₹ 4,50,00,000 (4.5 करोड़)"
    assert grouped(-640000) == "-6,40,000"


def test_a_day_is_the_day_in_india() -> None:
    assert india_day(datetime(2025, 7, 6, 19, 0, tzinfo=UTC)) == "07-07-2025"  # 00:30 IST
    assert india_day(datetime(2025, 7, 7, 18, 29, tzinfo=UTC)) == "07-07-2025"  # 23:59 IST


def test_texts_take_the_hindi_scheme_name_and_format_amounts() -> None:
    params = {"number": "UP/1", "scheme": "Margin Money", "scheme_hi": "मार्जिन मनी", "amount": 640000}
    subject, body = render("application_approved", "hi", params)
    assert "मार्जिन मनी" in body and "₹ 6,40,000 (6.4 लाख)" in body and "Margin" not in body
    assert "₹ 6,40,000 (6.4 lakh)" in render("application_approved", "en", params)[1]
    assert "Margin Money" in render("application_approved", "fr", params)[1]  # unknown language: English
    assert "₹ 6,40,000 (6.4 lakh)" in render("application_approved", "en", {**params, "amount": "640,000"})[1]
    sms = render_sms("application_approved", "hi", params)
    assert sms.dlt_template_id == SMS["application_approved"]["hi"].dlt_template_id and "मार्जिन मनी" in sms.text


def test_every_sms_has_both_languages_and_a_distinct_registered_id() -> None:
    ids = [t.dlt_template_id for texts in SMS.values() for t in texts.values()]
    assert len(ids) == len(set(ids)) and all(i.isdigit() and len(i) == 19 for i in ids)
    assert all(set(texts) == {"en", "hi"} for texts in SMS.values())
    assert set(SMS) <= set(TEMPLATES)


@pytest.mark.parametrize(("typed", "mobile"), [
    ("9876543210", "9876543210"), ("+91 98765-43210", "9876543210"), ("09876543210", "9876543210"),
    ("919876543210", "9876543210"), ("6000000000", "6000000000"),
    ("5876543210", None), ("987654321", None), ("98765432100", None), ("+1 9876543210", None), ("", None),
    ("98765abcde", None),
])
def test_mobile_numbers(typed: str, mobile: str | None) -> None:
    assert normalise_mobile(typed) == mobile
    assert (mobile_problem(typed) is None) == (mobile is not None)
