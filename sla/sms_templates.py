"""SMS texts, each with the id under which it is registered on the DLT platform (TRAI's rule in
India: a commercial SMS is delivered only if its text matches a registered template, named by id).

The texts are short (one or two SMS parts); the variables are those of sla.templates. A template
without an SMS text here is not sent by SMS (officers' reminders and digests go by e-mail).
The ids below are the deployment's registered ones; a new text needs a new registration (D82).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sla.templates import values_for


class SmsText(NamedTuple):
    dlt_template_id: str
    text: str


SMS: dict[str, dict[str, SmsText]] = {
    "signup_code": {
        "en": SmsText("1107170000000000101", "ODOP UP: your sign-up code is {code}, valid {minutes} minutes. Do not share it."),
        "hi": SmsText("1107170000000000102", "ओडीओपी उ.प्र.: आपका पंजीकरण कोड {code} है, {minutes} मिनट तक मान्य। किसी को न बताएँ।"),
    },
    "walk_in_registered": {
        "en": SmsText("1107170000000000181", "ODOP UP: you are registered by {centre}; user name {username}. Sign up with this number to set a password."),
        "hi": SmsText("1107170000000000182", "ओडीओपी उ.प्र.: {centre} ने आपको पंजीकृत किया; उपयोगकर्ता नाम {username}। पासवर्ड हेतु इसी नंबर से पंजीकरण करें।"),
    },
    "application_submitted": {
        "en": SmsText("1107170000000000111", "ODOP UP: application {number} for {scheme} received on {date}."),
        "hi": SmsText("1107170000000000112", "ओडीओपी उ.प्र.: {scheme} हेतु आवेदन {number} दिनांक {date} को प्राप्त हुआ।"),
    },
    "application_returned": {
        "en": SmsText("1107170000000000121", "ODOP UP: application {number} returned for clarification. Please answer on the portal."),
        "hi": SmsText("1107170000000000122", "ओडीओपी उ.प्र.: आवेदन {number} स्पष्टीकरण हेतु वापस किया गया। कृपया पोर्टल पर उत्तर दें।"),
    },
    "application_sanctioned": {
        "en": SmsText("1107170000000000131", "ODOP UP: application {number} for {scheme} sanctioned on {date}: {amount}."),
        "hi": SmsText("1107170000000000132", "ओडीओपी उ.प्र.: {scheme} हेतु आवेदन {number} दिनांक {date} को संस्वीकृत: {amount}।"),
    },
    "benefit_released": {
        "en": SmsText("1107170000000000141", "ODOP UP: instalment {instalment} of application {number} released on {date}. Released so far: {released} of {total}."),
        "hi": SmsText("1107170000000000142", "ओडीओपी उ.प्र.: आवेदन {number} की किस्त {instalment} दिनांक {date} को जारी। अब तक जारी: {total} में से {released}।"),
    },
    "application_approved": {
        "en": SmsText("1107170000000000151", "ODOP UP: application {number} for {scheme} approved. Benefit: {amount}."),
        "hi": SmsText("1107170000000000152", "ओडीओपी उ.प्र.: {scheme} हेतु आवेदन {number} स्वीकृत। लाभ राशि: {amount}।"),
    },
    "application_rejected": {
        "en": SmsText("1107170000000000161", "ODOP UP: application {number} for {scheme} was rejected. The reason is on the portal."),
        "hi": SmsText("1107170000000000162", "ओडीओपी उ.प्र.: {scheme} हेतु आवेदन {number} अस्वीकृत। कारण पोर्टल पर देखें।"),
    },
    "process_notice": {
        "en": SmsText("1107170000000000171", "ODOP UP: a notice about application {number}. Please see the portal."),
        "hi": SmsText("1107170000000000172", "ओडीओपी उ.प्र.: आवेदन {number} के संबंध में सूचना। कृपया पोर्टल देखें।"),
    },
    "appeal_filed": {
        "en": SmsText("1107170000000000191", "ODOP UP: your {level} appeal on application {number} was received on {date}. Decision due by {due}."),
        "hi": SmsText("1107170000000000192", "ओडीओपी उ.प्र.: आवेदन {number} पर आपकी {level} अपील दिनांक {date} को प्राप्त। निर्णय की अंतिम तिथि {due}।"),
    },
    "appeal_allowed": {
        "en": SmsText("1107170000000000201", "ODOP UP: your {level} appeal on application {number} was allowed on {date}. The order is on the portal."),
        "hi": SmsText("1107170000000000202", "ओडीओपी उ.प्र.: आवेदन {number} पर आपकी {level} अपील दिनांक {date} को स्वीकार। आदेश पोर्टल पर देखें।"),
    },
    "appeal_allowed_reopened": {
        "en": SmsText("1107170000000000211", "ODOP UP: your {level} appeal on application {number} was allowed on {date}; the application is reopened. The order is on the portal."),
        "hi": SmsText("1107170000000000212", "ओडीओपी उ.प्र.: आवेदन {number} पर आपकी {level} अपील दिनांक {date} को स्वीकार; आवेदन पुनः खोला गया। आदेश पोर्टल पर देखें।"),
    },
    "appeal_dismissed": {
        "en": SmsText("1107170000000000221", "ODOP UP: your {level} appeal on application {number} was dismissed on {date}. The order is on the portal."),
        "hi": SmsText("1107170000000000222", "ओडीओपी उ.प्र.: आवेदन {number} पर आपकी {level} अपील दिनांक {date} को खारिज। आदेश पोर्टल पर देखें।"),
    },
}


def has_sms(template: str) -> bool:
    return template in SMS


def render_sms(template: str, language: str, params: dict[str, Any]) -> SmsText:
    """The SMS in the person's language (English when there is none), with its DLT template id."""
    texts = SMS[template]
    if language not in texts:
        language = "en"
    registered = texts[language]
    return SmsText(registered.dlt_template_id, registered.text.format_map(values_for(language, params)))
