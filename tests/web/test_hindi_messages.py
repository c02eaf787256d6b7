"""Form and domain errors said from their codes in the reader's language (D88); Hindi names (D89)."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask_babel import force_locale, gettext

from tests.web.conftest import open_task_id, sign_in, submit_mda
from web.infra.config import ROOT
from web.infra.messages import ERROR_TEXTS, HTTP_TEXTS, MESSAGES
from workflows.catalogue.names import DISTRICTS_HI, LABELS_HI, STEPS_HI, diagram_in

MM = {
    "applicant_name": "Ramesh Kumar", "mobile": "9876543210", "date_of_birth": "1990-04-12", "category": "OBC",
    "gender": "male", "product": "Leather shoes", "unit_address": "12, Shahganj, Agra", "bank_name": "SBI",
    "bank_branch": "Sanjay Place", "action": "submit", "aadhaar": "234123412346", "family_id": "UPF000000001",
    "bank_ifsc": "SBIN0001735",
}  # fmt: skip


def _field_error(page: str, field: str) -> str:
    return page.split(f'id="{field}-error">', 1)[1].split("<", 1)[0].strip()


def test_a_range_error_in_hindi_and_english_with_indian_grouping(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    hindi = client.post("/apply/MM?lang=hi", data={**MM, "project_cost": "200000000"}, follow_redirects=True).get_data(as_text=True)
    assert _field_error(hindi, "project_cost") == "अधिक से अधिक 10,00,00,000 दर्ज करें।"
    english = client.post("/apply/MM?lang=en", data={**MM, "project_cost": "5000"}, follow_redirects=True).get_data(as_text=True)
    assert _field_error(english, "project_cost") == "Enter at least 10,000."
    # A message the scheme gives with its Hindi (error_pattern_hi), and a cross-field rule's Hindi.
    hindi = client.post("/apply/MM?lang=hi", data={**MM, "project_cost": "500000", "mobile": "12345"}, follow_redirects=True).get_data(as_text=True)
    assert "6, 7, 8 या 9 से शुरू होने वाला 10 अंकों का भारतीय मोबाइल नंबर" in _field_error(hindi, "mobile")
    hindi = client.post("/apply/MM?lang=hi", data={**MM, "project_cost": "500000", "bank_defaulter": "yes"}, follow_redirects=True)
    assert _field_error(hindi.get_data(as_text=True), "bank_defaulter") == "बैंक डिफॉल्टर मार्जिन मनी के पात्र नहीं हैं।"


def test_the_api_keeps_the_english_message(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    data = {**{k: v for k, v in MM.items() if k != "action"}, "project_cost": 5000, "bank_defaulter": False, "earlier_benefit": False}
    answer = client.post("/api/v1/applications?lang=hi", json={"scheme": "MM", "data": data})
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"]["project_cost"] == ["Enter at least 10,000."]


def test_domain_errors_and_error_pages_in_hindi(app: Flask) -> None:
    number = submit_mda(app)
    other = sign_in(app, "applicant2.agr")
    page = other.get(f"/applications/{number}?lang=hi")
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "अनुमति नहीं है" in html and f"आप {number} नहीं देख सकते।" in html
    admin_only = other.get("/admin/users?lang=hi")
    assert admin_only.status_code == 403 and "यह पृष्ठ इनके लिए है: प्रशासक।" in admin_only.get_data(as_text=True)
    missing = other.get("/no-such-page?lang=hi")
    assert missing.status_code == 404 and "पृष्ठ या अभिलेख नहीं मिला।" in missing.get_data(as_text=True)
    # An officer of another role: the step, the lane and the role are named in Hindi.
    task = open_task_id(app, number)
    gm = sign_in(app, "gm.agr")
    refused = gm.post(f"/tasks/{task}/claim?lang=hi", follow_redirects=True).get_data(as_text=True)
    assert "“जिला उद्योग केंद्र द्वारा सत्यापन” जिला उद्योग केंद्र के लिए है; आप महाप्रबंधक, जिला उद्योग केंद्र हैं।" in refused


def test_a_refused_decision_is_said_in_hindi(app: Flask) -> None:
    number = submit_mda(app)
    task = open_task_id(app, number)
    dic = sign_in(app, "dic.agr")
    page = dic.post(f"/tasks/{task}/decide?lang=hi", data={"outcome": "reject"}, follow_redirects=True).get_data(as_text=True)
    assert _field_error(page, "remarks") == "आवेदन अस्वीकार करने के लिए टिप्पणी आवश्यक है।"


def test_sign_in_refused_in_hindi(app: Flask) -> None:
    page = sign_in(app, None).post("/sign-in?lang=hi", data={"username": "dic.agr", "password": "wrong"})
    assert page.status_code == 401 and "उपयोगकर्ता नाम या पासवर्ड सही नहीं है।" in page.get_data(as_text=True)


def test_every_message_code_has_hindi(app: Flask) -> None:
    with app.test_request_context(), force_locale("hi"):
        for text in [*MESSAGES.values(), *ERROR_TEXTS.values(), *HTTP_TEXTS.values()]:
            said = gettext(text._args[0])
            assert said != text._args[0] and not re.search(r"[A-Za-z]{3,}", re.sub(r"%\(\w+\)s|API", "", said)), said


def test_every_code_raised_is_in_the_catalogue() -> None:
    """A Text raised anywhere has a catalogue entry (or carries its own Hindi, as scheme rules do)."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "workflows").rglob("*.py"))
    source += "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "engine").rglob("*.py"))
    codes = set(re.findall(r'Text\(\s*"([a-z_]+)"', source))
    codes |= {f"remarks_to_{o}" for o in ("return", "reject")} | {"sign_in_throttled_seconds", "sign_in_throttled_minutes"}
    assert codes - {"rule", "rule_failed", "bilingual"} <= set(MESSAGES), codes - set(MESSAGES)


def test_names_in_hindi() -> None:
    bpmn = "\n".join(p.read_text(encoding="utf-8") for p in Path(ROOT / "bpmn").glob("*.bpmn"))
    steps = set(re.findall(r'<bpmn:userTask id="[^"]*" name="([^"]*)"', bpmn))
    assert steps and steps <= set(STEPS_HI), steps - set(STEPS_HI)
    assert len(DISTRICTS_HI) == 75
    shown = diagram_in(bpmn, "hi", {"dic_officer": "जिला उद्योग केंद्र"})
    assert 'name="outcomes"' in shown and 'name="time_limit_days"' in shown  # the engine's properties stay
    names = set(re.findall(r'<bpmn:(?:userTask|exclusiveGateway|sequenceFlow|startEvent|endEvent)[^>]* name="([^"]*)"', shown))
    assert names and not [n for n in names if re.search(r"[A-Za-z]{3,}", n)], names
    assert set(LABELS_HI) >= steps


def test_a_decision_that_lost_the_race_is_said_in_hindi(app: Flask) -> None:
    number = submit_mda(app)
    task = open_task_id(app, number)
    first, second = sign_in(app, "dic.agr"), sign_in(app, "dic2.agr")
    page = second.get(f"/tasks/{task}?lang=hi").get_data(as_text=True)
    version = page.split('name="version" value="')[1].split('"')[0]
    assert first.post(f"/tasks/{task}/decide", data={"outcome": "approve", "version": version}).status_code == 302
    typed = {"outcome": "return", "remarks": "बिल स्पष्ट नहीं है", "version": version}
    response = second.post(f"/tasks/{task}/decide", data=typed)
    page = second.get(response.location).get_data(as_text=True)
    said = "“जिला उद्योग केंद्र द्वारा सत्यापन” पहले ही dic.agr द्वारा पूर्ण किया जा चुका है।"
    assert said in page or "आपके खोलने के बाद यह आवेदन बदल गया है।" in page
