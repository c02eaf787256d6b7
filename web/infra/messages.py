"""Messages said in the page's language from their codes, never translated from English text (D88).

Form checks and domain errors carry an `engine.messages.Text` (a code with parameters); `say()`
renders it from the catalogue below through gettext, numbers with Indian grouping, names given as
{"en", "hi"} in the page's language (in English the Text's own sentence, made from the same code and
parameters, is shown as it is). An error without a Text of its own is said from its class's
code (`ERROR_TEXTS`), an HTTP error from its status (`HTTP_TEXTS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from engine.errors import EngineError
from engine.messages import Text, grouped
from web.infra.formatting import CHOICE_LABELS, OUTCOME_LABELS, ROLE_LABELS
from workflows.catalogue.names import district_in, step_in
from workflows.errors import ValidationFailed

MESSAGES = {
    # a form's checks (workflows/catalogue/forms.py)
    "required": _l("Required."),
    "not_a_field": _l("This is not a field of the form."),
    "invalid": _l("Not a valid value."),
    "type_integer": _l("Enter a whole number."),
    "type_number": _l("Enter a number."),
    "type_boolean": _l("Answer yes or no."),
    "type_array": _l("Choose from the list."),
    "type_string": _l("Enter text."),
    "min": _l("Enter at least %(min)s."),
    "max": _l("Enter at most %(max)s."),
    "min_length": _l("At least %(n)s characters."),
    "max_length": _l("At most %(n)s characters."),
    "pattern": _l("This is not in the expected form."),
    "choose_one": _l("Choose one of: %(options)s."),
    "date": _l("Enter a date as YYYY-MM-DD."),
    "ticked": _l("This must be ticked."),
    "at_least_one": _l("Choose at least one."),
    "once": _l("Choose each option once."),
    # errors of the scheme layer with parameters
    "application_invalid": _l("The %(scheme)s application is not complete or not valid: %(fields)s."),
    "cannot_see": _l("You cannot see %(number)s."),
    "not_your_lane": _l("'%(step)s' is for the role %(lane)s; you are %(role)s."),
    "not_your_district": _l("'%(step)s' belongs to district %(district)s; you work for %(own)s."),
    "only_the_applicant": _l("Only the applicant of %(number)s can answer '%(step)s'."),
    "decision_incomplete": _l("The decision on '%(step)s' is not complete."),
    "remarks_to_return": _l("Remarks are required to return an application."),
    "remarks_to_reject": _l("Remarks are required to reject an application."),
    "choose_outcome": _l("Choose one of: %(outcomes)s."),
    "page_for": _l("This page is for: %(roles)s."),
    "claimed_by": _l("'%(step)s' is already claimed by %(who)s."),
    "claimed_not_by_you": _l("'%(step)s' is claimed by %(who)s, not by you."),
    "claimed_only_they": _l("'%(step)s' is claimed by %(who)s; only they can complete it."),
    "completed_by": _l("'%(step)s' was already completed by %(who)s."),
    "changed_since_opened": _l("This application changed since you opened it. Reload it to see the changes."),
    "integration_api_only": _l("Integration accounts may only send messages and signals through the API."),
    "sign_in_wrong": _l("The user name or password is not correct."),
    "sign_in_wait": _l("The user name or password is not correct. Wait %(seconds)s seconds before the next try."),
    "sign_in_throttled_seconds": _l("Too many failed attempts from this address. Try again in %(n)s seconds."),
    "sign_in_throttled_minutes": _l("Too many failed attempts from this address. Try again in %(n)s minutes."),
    "integration_account": _l("This account is for other systems: it uses API tokens and cannot sign in."),
    # bank branches administered in the app (workflows/usecases/bank_branches.py, D102)
    "branch_invalid": _l("The bank branch was not saved."),
    "ifsc_format": _l("An IFSC is 4 letters, a zero, then 6 letters or digits."),
    "no_district": _l("There is no district %(district)s."),
    "branch_district_fixed": _l("Bank officers, applications or loans refer to %(ifsc)s; its district cannot change."),
    "no_bank_branch": _l("There is no bank branch %(ifsc)s."),
    "branch_in_use": _l(
        "%(ifsc)s cannot be removed: %(officers)s bank officers, %(applications)s applications and %(loans)s loans refer to it."
    ),
    "branches_not_imported": _l("No bank branch was imported."),
    "csv_unreadable": _l("The file is not a CSV file in UTF-8."),
    "csv_columns": _l("The first line must name the columns %(columns)s."),
    "csv_empty": _l("The file has no bank branches."),
    "csv_cells": _l("Line %(line)s: %(found)s values instead of %(n)s."),
    "csv_required": _l("Line %(line)s, %(column)s: required."),
    "csv_max_length": _l("Line %(line)s, %(column)s: at most %(n)s characters."),
    "csv_ifsc_format": _l("Line %(line)s, %(column)s: an IFSC is 4 letters, a zero, then 6 letters or digits."),
    "csv_no_district": _l("Line %(line)s, %(column)s: there is no district %(district)s."),
    "csv_district_fixed": _l(
        "Line %(line)s, %(column)s: bank officers, applications or loans refer to %(ifsc)s; its district cannot change."
    ),
    "csv_repeated": _l("Line %(line)s, %(column)s: %(ifsc)s is on line %(first)s already."),
}

ERROR_TEXTS = {
    "validation_failed": _l("Some of what was entered is not valid."),
    "not_allowed": _l("You may not do this."),
    "not_found": _l("The page or record was not found."),
    "application_not_found": _l("There is no such application."),
    "unknown_scheme": _l("There is no such scheme, or it is not open."),
    "unknown_user": _l("There is no such user."),
    "unknown_district": _l("There is no such district."),
    "unknown_trade_fair": _l("There is no such trade fair."),
    "unknown_bank_branch": _l("There is no such bank branch."),
    "bank_branch_in_use": _l("This bank branch is in use and cannot be removed."),
    "unknown_table": _l("There is no such table."),
    "task_not_found": _l("There is no such task."),
    "instance_not_found": _l("There is no such process."),
    "definition_not_found": _l("There is no such process flow."),
    "task_not_ready": _l("This task cannot be worked now: it is already completed or cancelled."),
    "task_already_completed": _l("This task has already been completed."),
    "task_claimed_by_other": _l("Another officer has claimed this task."),
    "stale_state": _l("Someone else changed this application meanwhile. Open it again and repeat."),
    "duplicate_business_key": _l("An application with this number already exists."),
    "script_error": _l("The step could not be carried out; nothing was changed."),
    "database_unavailable": _l("The database is briefly unavailable. Try again in a moment."),
    "definition_invalid": _l("The process flow is not valid."),
    "calendar_invalid": _l("The holiday calendar change is not valid."),
    "message_not_expected": _l("The process is not waiting for this message."),
    "migration_refused": _l("The applications cannot be moved to that version."),
    "replace_not_confirmed": _l("Confirm that the process should be replaced."),
    "domain_error": _l("The request could not be carried out."),
    "engine_error": _l("The request could not be carried out."),
}

HTTP_TEXTS = {
    400: _l("The request could not be read."),
    401: _l("Please sign in."),
    403: _l("You may not open this page."),
    404: _l("The page or record was not found."),
    405: _l("This page does not accept this kind of request."),
    413: _l("The upload is too large."),
    415: _l("This kind of content is not accepted."),
    422: _l("Some of what was entered is not valid."),
    429: _l("Too many attempts. Please wait a little and try again."),
    500: _l("Something went wrong on our side. Please try again later."),
    503: _l("The service is briefly unavailable. Try again in a moment."),
}


def language() -> str:
    return str(get_locale() or "en")


def _param(value: Any, lang: str, key: str = "") -> str:
    """A parameter as a page shows it; by its name, roles, districts and outcomes get their labels."""
    if key in ("lane", "role") and isinstance(value, str):
        return str(ROLE_LABELS.get(value, value))
    if key == "step" and isinstance(value, str):
        return step_in(value, lang)
    if key in ("district", "own") and isinstance(value, str):
        return district_in(value, lang)
    if key == "roles" and isinstance(value, list):
        return ", ".join(str(ROLE_LABELS.get(v, v)) for v in value)
    if key == "outcomes" and isinstance(value, list):
        return ", ".join(str(OUTCOME_LABELS.get(v, v)) for v in value)
    if isinstance(value, Mapping) and "en" in value:
        return str(value.get(lang) or value["en"])
    if isinstance(value, tuple) and len(value) == 2:  # a choice: (value, label)
        return str(CHOICE_LABELS.get(value[0], value[1])) if lang == "hi" else str(value[1])
    if isinstance(value, list):
        return ", ".join(_param(v, lang) for v in value)
    return grouped(value)


def say(message: Any) -> str:
    """A message in the page's language: a Text from its code, anything else as it is."""
    if not isinstance(message, Text):
        return str(message)
    lang = language()
    if lang == "hi" and message.hi:
        return message.hi
    if lang == "en":  # the English sentence was made from the same code and parameters
        return str(message)
    template = MESSAGES.get(message.code)
    if template is None:
        return str(message)
    return str(template) % {k: _param(v, lang, k) for k, v in message.params.items()}


def say_all(fields: Mapping[str, list[Any]]) -> dict[str, list[str]]:
    return {name: [say(m) for m in messages] for name, messages in fields.items()}


def message_of(err: EngineError) -> str:
    """What a page says of an error: its Text, or in Hindi the text of its code; English as raised."""
    text = err.message if isinstance(err, ValidationFailed) else (err.args[0] if err.args else None)
    lang = language()
    if not isinstance(text, Text) and lang == "en":
        return str(err)
    if isinstance(text, Text):
        said = say(text)
    else:
        said = str(ERROR_TEXTS.get(err.code) or ERROR_TEXTS["engine_error"])
    if isinstance(err, ValidationFailed) and err.fields:
        # In Hindi only what has a code is said (an English text stays out); field keys are English.
        parts = [
            (f"{name}: " if lang == "en" else "") + ", ".join(said_ones)
            for name, messages in err.fields.items() if isinstance(messages, list)
            if (said_ones := [say(m) for m in messages if isinstance(m, Text) or lang == "en"])
        ]
        if parts:
            said = f"{said} ({'; '.join(parts)})"
    return said


def http_message(err: HTTPException) -> str:
    """An HTTP error's text: ours (said through gettext where it was raised), or in Hindi the text of
    its status in place of the English default of the HTTP library."""
    status = err.code or 500
    ours = err.description and err.description != type(err).description
    if ours or (language() == "en" and err.description):
        return str(err.description)
    return str(HTTP_TEXTS.get(status) or HTTP_TEXTS[500 if status >= 500 else 400])
