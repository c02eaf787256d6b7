"""The appeal pages (D85-D87): the applicant files on the application page (PRG, typing kept,
English and Hindi); the appellate authority records the order on its own page."""

from __future__ import annotations

import re

from flask import Flask

from engine.clock import FixedClock
from tests.web.conftest import sign_in, submit_mda


def _section(html: bytes) -> str:
    text = html.decode()
    return text[text.index('id="appeal-h"'):text.index('id="docs-h"')]


def test_first_appeal_filed_heard_and_decided_through_the_pages(app: Flask, clock: FixedClock) -> None:
    number = submit_mda(app)
    applicant = sign_in(app, "applicant1.agr")
    page = applicant.get(f"/applications/{number}")
    assert 'data-appeal-refused="not_yet"' in _section(page.data)
    hindi = applicant.get(f"/applications/{number}?lang=hi")
    assert "अपील" in _section(hindi.data)
    refused = applicant.post(f"/applications/{number}/appeal", data={"grounds": "Too early?"})
    assert refused.status_code == 302
    follow = applicant.get(refused.location)
    assert "Too early?" not in _section(follow.data) and "flash error" in follow.data.decode()
    applicant.get(f"/applications/{number}?lang=en")

    clock.advance(days=50)  # the 30 working days of the scheme have passed
    page = applicant.get(f"/applications/{number}")
    assert 'action="/applications/' in _section(page.data) and "File an appeal" in _section(page.data)
    assert sign_in(app, "applicant2.agr").post(f"/applications/{number}/appeal", data={"grounds": "x"}).status_code == 403
    filed = applicant.post(f"/applications/{number}/appeal", data={"grounds": "Forty days and no decision."})
    assert filed.status_code == 302 and filed.location.startswith(f"/applications/{number}")
    page = applicant.get(f"/applications/{number}").data.decode()
    assert "Your first appeal was filed" in page
    assert 'data-appeal="1"' in page and "Forty days and no decision." in page
    assert "First appeal filed with the first appellate authority." in page  # the timeline
    assert 'data-appeal-refused="pending"' in page

    assert sign_in(app, "dic.agr").get("/appeals").status_code == 403
    nodal = sign_in(app, "nodal1")
    listing = nodal.get("/appeals").data.decode()
    (appeal_id,) = re.findall(r'data-appeal-id="(\d+)"', listing)
    assert number in listing
    kept = nodal.post(f"/appeals/{appeal_id}/decide", data={"outcome": "approve", "order": " "})
    assert kept.status_code == 302 and kept.location.endswith(f"/appeals/{appeal_id}")
    again = nodal.get(kept.location).data.decode()
    assert 'value="approve" required checked' in again  # the choice survives the refusal
    done = nodal.post(f"/appeals/{appeal_id}/decide", data={"outcome": "approve", "order": "Decide within 15 days."})
    assert done.status_code == 302 and done.location.endswith("/appeals")
    assert 'data-appeal-id' not in nodal.get("/appeals").data.decode()
    page = applicant.get(f"/applications/{number}").data.decode()
    assert 'data-appeal-outcome="allowed"' in page and "Decide within 15 days." in page
    assert "First appeal decided:" in page


def test_the_dashboard_counts_appeals_filed_and_decided_in_time(app: Flask, clock: FixedClock) -> None:
    number = submit_mda(app)
    clock.advance(days=50)
    applicant = sign_in(app, "applicant1.agr")
    assert applicant.post(f"/applications/{number}/appeal", data={"grounds": "No decision."}).status_code == 302
    board = sign_in(app, "gm.agr").get("/dashboard?period=this_fy").data.decode()
    first = re.search(r'<tr data-level="1">(.*?)</tr>', board, re.S).group(1)
    assert re.findall(r"<td>(\d+)", first) == ["1", "0", "0", "1", "0"]  # filed, decided, in time, pending, overdue
    nodal = sign_in(app, "nodal1")
    (appeal_id,) = re.findall(r'data-appeal-id="(\d+)"', nodal.get("/appeals").data.decode())
    nodal.post(f"/appeals/{appeal_id}/decide", data={"outcome": "reject", "order": "The office was within its rights."})
    first = re.search(r'<tr data-level="1">(.*?)</tr>', nodal.get("/dashboard").data.decode(), re.S).group(1)
    assert re.findall(r"<td>(\d+)", first) == ["1", "1", "1", "0", "0"]
    public = sign_in(app, None).get("/public").data.decode()
    assert re.findall(r"<td>(\d+)", re.search(r'<tr data-level="1">(.*?)</tr>', public, re.S).group(1))[:3] == ["1", "1", "1"]
    other = sign_in(app, "gm.mbd").get("/dashboard").data.decode()  # another district sees none of it
    assert re.findall(r"<td>(\d+)", re.search(r'<tr data-level="1">(.*?)</tr>', other, re.S).group(1)) == ["0"] * 5
