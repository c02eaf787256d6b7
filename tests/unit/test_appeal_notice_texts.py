"""Appeal notice texts (D96): the order in short, Hindi twins of params, both languages."""

from __future__ import annotations

from sla.sms_templates import render_sms
from sla.templates import render
from workflows.appeal_notices import LEVEL, summary


def test_the_order_is_cut_at_a_word_and_marked() -> None:
    order = "Heard  the applicant;\nthe record supports the claim. " * 20
    short = summary(order, limit=60)
    assert short == "Heard the applicant; the record supports the claim. Heard …"
    assert summary("  Allowed.  ") == "Allowed."


def test_params_with_a_hindi_twin_show_it_in_hindi_only() -> None:
    level, level_hi = LEVEL[2]
    params = {"number": "MM/1", "scheme": "Margin Money", "scheme_hi": "मार्जिन मनी", "date": "07-07-2025",
              "level": level, "level_hi": level_hi, "remarks": "Upheld.", "next": "", "next_hi": ""}
    subject, body = render("appeal_dismissed", "hi", params)
    assert "द्वितीय अपील" in body and "मार्जिन मनी" in body and "second" not in body
    assert "Your second appeal" in render("appeal_dismissed", "en", params)[1]
    assert render_sms("appeal_dismissed", "hi", params).text.count("द्वितीय") == 1
