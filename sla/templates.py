"""Notification texts in English and Hindi. `params` come from the event; missing ones show as '?'.

Amounts (`MONEY` params, whole rupees) are written the Indian way when rendered, and `{scheme}`
takes the Hindi name (`scheme_hi`) in Hindi texts, as does any param given with a `_hi` twin; dates come as India-time DD-MM-YYYY already.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sla.indian import rupees

# Params holding an amount in rupees: ₹ 6,40,000 (6.4 lakh) in the text.
MONEY = ("amount", "released", "total")

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
               "Your application {number} for {scheme} was approved. Benefit: {amount}."),
        "hi": ("आवेदन {number} स्वीकृत",
               "{scheme} हेतु आपका आवेदन {number} स्वीकृत हो गया है। लाभ राशि: {amount}।"),
    },
    "application_sanctioned": {
        "en": ("Application {number} sanctioned",
               "Your application {number} for {scheme} was sanctioned on {date}: {amount}. "
               "The money is released in steps; you will be told of each release."),
        "hi": ("आवेदन {number} संस्वीकृत",
               "{scheme} हेतु आपका आवेदन {number} दिनांक {date} को संस्वीकृत हुआ: {amount}। "
               "राशि किस्तों में जारी होगी; प्रत्येक किस्त की सूचना आपको दी जाएगी।"),
    },
    "benefit_released": {
        "en": ("Application {number}: instalment {instalment} released",
               "Instalment {instalment} for your application {number} ({scheme}) was released on {date}. "
               "Released so far: {released} of {total}."),
        "hi": ("आवेदन {number}: किस्त {instalment} जारी",
               "{scheme} हेतु आपके आवेदन {number} की किस्त {instalment} दिनांक {date} को जारी की गई। "
               "अब तक जारी: {total} में से {released}।"),
    },
    "walk_in_registered": {
        "en": ("Registered on the ODOP portal", "{name}, the facilitation centre {centre} registered you on the ODOP "
               "portal; your user name is {username}. To set a password, sign up with this mobile number."),
        "hi": ("ओडीओपी पोर्टल पर पंजीकरण", "{name}, सुविधा केंद्र {centre} ने आपको ओडीओपी पोर्टल पर पंजीकृत किया है; "
               "आपका उपयोगकर्ता नाम {username} है। पासवर्ड बनाने हेतु इसी मोबाइल नंबर से पंजीकरण करें।"),
    },
    "signup_code": {
        "en": ("Your ODOP sign-up code", "Your ODOP sign-up code is {code}. It is valid for {minutes} minutes. "
               "Do not share it with anyone."),
        "hi": ("आपका ओडीओपी पंजीकरण कोड", "आपका ओडीओपी पंजीकरण कोड {code} है। यह {minutes} मिनट तक मान्य है। "
               "इसे किसी को न बताएँ।"),
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
    "appeal_filed": {
        "en": ("Appeal received: application {number}",
               "Your {level} appeal about application {number} ({scheme}) was received on {date}. "
               "The {level} appellate authority is to decide it by {due}; you will be told of its order."),
        "hi": ("अपील प्राप्त: आवेदन {number}",
               "{scheme} हेतु आवेदन {number} के संबंध में आपकी {level} अपील दिनांक {date} को प्राप्त हुई। "
               "{level} अपीलीय प्राधिकारी को इसका निर्णय {due} तक करना है; आदेश की सूचना आपको दी जाएगी।"),
    },
    "appeal_received": {
        "en": ("New {level} appeal: application {number}",
               "A {level} appeal about application {number} ({scheme}, district {district}) was filed on {date} "
               "against {cause}. Grounds: {grounds}\nIt is to be decided by {due}; it is on your Appeals page."),
        "hi": ("नई {level} अपील: आवेदन {number}",
               "{scheme} हेतु आवेदन {number} (जनपद {district}) के संबंध में {cause} के विरुद्ध {level} अपील "
               "दिनांक {date} को दायर हुई। आधार: {grounds}\nइसका निर्णय {due} तक करना है; यह आपके अपील पृष्ठ पर है।"),
    },
    "appeal_allowed": {
        "en": ("Appeal allowed: application {number}",
               "Your {level} appeal about application {number} ({scheme}) was allowed on {date}. "
               "The order, in short: {remarks}"),
        "hi": ("अपील स्वीकार: आवेदन {number}",
               "{scheme} हेतु आवेदन {number} के संबंध में आपकी {level} अपील दिनांक {date} को स्वीकार की गई। "
               "आदेश का सार: {remarks}"),
    },
    "appeal_allowed_reopened": {
        "en": ("Appeal allowed, application {number} reopened",
               "Your {level} appeal about application {number} ({scheme}) was allowed on {date}: the rejection "
               "is set aside and your application is reopened; the office will examine it again. "
               "The order, in short: {remarks}"),
        "hi": ("अपील स्वीकार, आवेदन {number} पुनः खोला गया",
               "{scheme} हेतु आवेदन {number} के संबंध में आपकी {level} अपील दिनांक {date} को स्वीकार की गई: "
               "अस्वीकृति निरस्त कर आपका आवेदन पुनः खोला गया है; कार्यालय इसकी फिर से जाँच करेगा। "
               "आदेश का सार: {remarks}"),
    },
    "appeal_dismissed": {
        "en": ("Appeal dismissed: application {number}",
               "Your {level} appeal about application {number} ({scheme}) was dismissed on {date}. "
               "The order, in short: {remarks}\n{next}"),
        "hi": ("अपील खारिज: आवेदन {number}",
               "{scheme} हेतु आवेदन {number} के संबंध में आपकी {level} अपील दिनांक {date} को खारिज की गई। "
               "आदेश का सार: {remarks}\n{next}"),
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


def values_for(language: str, params: dict[str, Any]) -> defaultdict[str, Any]:
    """The params as a text shows them: amounts written the Indian way, the scheme in the language."""
    values: dict[str, Any] = {k: ("" if v is None else v) for k, v in params.items()}
    for name in MONEY:
        amount = params.get(name)
        if isinstance(amount, str) and amount.replace(",", "").isdigit():
            amount = int(amount.replace(",", ""))  # written before D83 as '640,000'
        if isinstance(amount, int) and not isinstance(amount, bool):
            values[name] = rupees(amount, language)
    if language == "hi":  # a param given in Hindi too ("scheme_hi", "level_hi"...) is shown in Hindi
        for name, value in params.items():
            if name.endswith("_hi") and value:
                values[name[:-3]] = value
    return defaultdict(lambda: "?", values)


def render(template: str, language: str, params: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) in the person's language, falling back to English."""
    texts = TEMPLATES[template]
    if language not in texts:
        language = "en"
    subject, body = texts[language]
    values = values_for(language, params)
    return subject.format_map(values), body.format_map(values)
