"""Notification texts in English and Hindi. `params` come from the event; missing ones show as '?'."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "application_submitted": {
        "en": ("Application {number} received",
               "Your application {number} for {scheme} was received on {date}. You can track it on the portal."),
        "hi": ("आवेदन {number} प्राप्त हुआ",
               "{scheme} हेतु आपका आवेदन {number} दिनांक {date} को प्राप्त हुआ। आप पोर्टल पर इसकी स्थिति देख सकते हैं।"),
    },
    "application_returned": {
        "en": ("Application {number}: clarification needed",
               "The office returned your application {number} for clarification: {remarks}\n"
               "Please answer on the portal."),
        "hi": ("आवेदन {number}: स्पष्टीकरण आवश्यक",
               "कार्यालय ने आपका आवेदन {number} स्पष्टीकरण हेतु वापस किया है: {remarks}\nकृपया पोर्टल पर उत्तर दें।"),
    },
    "application_approved": {
        "en": ("Application {number} approved",
               "Your application {number} for {scheme} was approved. Benefit: Rs {amount}."),
        "hi": ("आवेदन {number} स्वीकृत",
               "{scheme} हेतु आपका आवेदन {number} स्वीकृत हो गया है। लाभ राशि: ₹ {amount}।"),
    },
    "application_rejected": {
        "en": ("Application {number} rejected",
               "Your application {number} for {scheme} was rejected. Reason: {remarks}"),
        "hi": ("आवेदन {number} अस्वीकृत",
               "{scheme} हेतु आपका आवेदन {number} अस्वीकृत कर दिया गया है। कारण: {remarks}"),
    },
    "process_notice": {
        "en": ("Application {number}: a notice",
               "A notice about your application {number} for {scheme}: {remarks}"),
        "hi": ("आवेदन {number}: सूचना",
               "{scheme} हेतु आपके आवेदन {number} के संबंध में सूचना: {remarks}"),
    },
    "task_reminder": {
        "en": ("Reminder: {step} for {number} is due {due}",
               "The step \"{step}\" of application {number} is due by {due} (time limit {days} working days)."),
        "hi": ("स्मरण: {number} का \"{step}\" {due} तक देय है",
               "आवेदन {number} का चरण \"{step}\" {due} तक पूरा करना है (समय सीमा {days} कार्य दिवस)।"),
    },
    "task_escalated": {
        "en": ("Time limit missed: {step} for {number}",
               "The step \"{step}\" of application {number} ({office}) passed its time limit on {due} "
               "and is escalated to you."),
        "hi": ("समय सीमा पार: {number} का \"{step}\"",
               "आवेदन {number} का चरण \"{step}\" ({office}) {due} को समय सीमा पार कर गया है और आपको अग्रेषित किया गया है।"),
    },
    "task_appeal": {
        "en": ("Second escalation: {step} for {number}",
               "The step \"{step}\" of application {number} ({office}) is still pending {days_late} working days "
               "after its time limit ({due})."),
        "hi": ("द्वितीय अग्रेषण: {number} का \"{step}\"",
               "आवेदन {number} का चरण \"{step}\" ({office}) समय सीमा ({due}) के {days_late} कार्य दिवस बाद भी लंबित है।"),
    },
    "timer_incident": {
        "en": ("Timer incident {timer}", "Timer {timer} failed {attempts} times and needs attention: {error}"),
        "hi": ("टाइमर समस्या {timer}", "टाइमर {timer} {attempts} बार विफल रहा, ध्यान दें: {error}"),
    },
    "daily_digest": {
        "en": ("Your tasks: {overdue} overdue, {due_soon} due soon",
               "Overdue: {overdue}. Due within two working days: {due_soon}.\n{lines}"),
        "hi": ("आपके कार्य: {overdue} समय सीमा पार, {due_soon} शीघ्र देय",
               "समय सीमा पार: {overdue}। दो कार्य दिवसों में देय: {due_soon}।\n{lines}"),
    },
}


def render(template: str, language: str, params: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) in the person's language, falling back to English."""
    texts = TEMPLATES[template]
    subject, body = texts.get(language) or texts["en"]
    values = defaultdict(lambda: "?", {k: ("" if v is None else v) for k, v in params.items()})
    return subject.format_map(values), body.format_map(values)
