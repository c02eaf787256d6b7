"""The scheme bundle format: reading a bundle from a folder, its checksum, and its validation.

A bundle is one JSON document (`scheme.json` in a folder, with its forms in `.form` files beside it,
which are inlined when it is read):

    {"format": 1, "code": "MM", "process": "margin_money",
     "name": {"en": ..., "hi": ...}, "description": {...}, "eligibility": {...},
     "time_limit_days": 60, "opens_on": null, "closes_on": null,
     "applicant_name_field": "applicant_name",
     "benefit": {"field": "margin_money", "sanction_step": "gm_release",
                 "release_steps": ["gm_release"], "released_field": "margin_money"},
     "forms": {"application": <form-js JSON>, "bank_loan": <form-js JSON>},
     "rules": [{"field": ..., "check": <expression>, "message": {"en": ..., "hi": ...}}],
     "checklist": [{"type": "project_report", "label": {...}, "required": true,
                    "required_if": <expression, optional>, "formats": ["pdf"], "max_size_kb": 5120}],
     "parameters": {...}, "decision_rules": {...}, "breakdown": {...},   (bundle_extras.py)
     "eligibility_rules": [{"rule": "one_per_family"}, {"rule": "one_open_per_applicant"},
                           {"rule": "not_within_years", "years": 2},
                           {"rule": "district_product", "field": "product"}]}

Eligibility rules are checked against the records (workflows/eligibility.py, D71).

The flow is the engine process `process` (its BPMN and DMN files); a user task names its decision
form with the property `form_key`. `problems()` checks a bundle against a flow before it is published.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from engine.definitions import check as check_flow
from engine.validation import BPMN_NS, NS, ScreenedFiles, names_set_by_model, screen
from workflows.catalogue import bank_step, bundle_extras, form_rules, forms, roles, step_limits
from workflows.catalogue.document_types import FORMATS, KINDS

FORMAT = 1
APPLICATION_FORM = "application"
CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
PROCESS = re.compile(r"^[a-z][a-z0-9_]{1,99}$")
# Names every application's process data holds besides its form's fields.
SET_AT_SUBMISSION = frozenset({"scheme", "district", "application_number"})


def load_folder(folder: Path) -> dict[str, Any]:
    """A bundle from `folder/scheme.json`, its forms read from the files it names."""
    bundle = json.loads((folder / "scheme.json").read_text(encoding="utf-8"))
    bundle["forms"] = {
        key: json.loads((folder / value).read_text(encoding="utf-8")) if isinstance(value, str) else value
        for key, value in (bundle.get("forms") or {}).items()
    }
    return bundle


def checksum(bundle: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(bundle, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def form_fields(bundle: Mapping[str, Any]) -> dict[str, list[forms.Field]]:
    """Every form's fields; forms that do not parse are left out (problems() reports them)."""
    out = {}
    for key, definition in (bundle.get("forms") or {}).items():
        try:
            out[key] = forms.fields(definition)
        except forms.FormDefinitionInvalid:
            continue
    return out


def data_names(bundle: Mapping[str, Any]) -> set[str]:
    """The names an application of this scheme holds: its forms' fields and what submission sets."""
    names = {f.key for fields in form_fields(bundle).values() for f in fields} | SET_AT_SUBMISSION
    return names | bundle_extras.parameter_names(bundle)


def _text(value: Any) -> bool:
    return isinstance(value, Mapping) and isinstance(value.get("en"), str) and bool(value["en"].strip())


def problems(
    bundle: Mapping[str, Any],
    flow_files: Mapping[str, bytes] | None,
    *,
    others: Iterable[tuple[str, str]] = (),
) -> list[str]:
    """Everything that stops this bundle being published, in plain words.

    `flow_files` are the BPMN/DMN files of its process (None: no flow deployed); `others` are the
    (code, process) pairs of the other schemes, whose codes and processes this one may not reuse.
    """
    out: list[str] = []
    if not isinstance(bundle, Mapping):
        return ["The scheme file is not a JSON object."]
    if bundle.get("format") != FORMAT:
        out.append(f"The scheme file's format must be {FORMAT}.")
    code, process = bundle.get("code"), bundle.get("process")
    if not isinstance(code, str) or not CODE.match(code):
        out.append("The code must be 2 to 8 capital letters or digits, starting with a letter (it starts application numbers).")
    if not isinstance(process, str) or not PROCESS.match(process):
        out.append("The process must be the id of a BPMN process (lower-case letters, digits and '_').")
    for other_code, other_process in others:
        if other_code != code and other_process == process:
            out.append(f"The process '{process}' already belongs to the scheme {other_code}.")
    for field in ("name", "description", "eligibility"):
        if not _text(bundle.get(field)):
            out.append(f"The scheme needs a {field} in English (and Hindi).")
        elif not (bundle[field].get("hi") or "").strip():
            out.append(f"The scheme's {field} has no Hindi text.")
    limit = bundle.get("time_limit_days")
    if not (isinstance(limit, int) and not isinstance(limit, bool) and 0 < limit <= 1000):
        out.append("The overall time limit must be a whole number of working days from 1 to 1000.")
    out += _dates(bundle)
    parsed = {}
    raw_forms = bundle.get("forms")
    if not isinstance(raw_forms, Mapping) or APPLICATION_FORM not in raw_forms:
        out.append("The scheme has no application form (forms.application).")
        raw_forms = raw_forms if isinstance(raw_forms, Mapping) else {}
    for key, definition in raw_forms.items():
        try:
            parsed[key] = forms.fields(definition, where=f"The form '{key}'")
        except forms.FormDefinitionInvalid as err:
            out += err.problems
    application = {f.key for f in parsed.get(APPLICATION_FORM, [])}
    if bundle.get("applicant_name_field") not in application:
        out.append(f"The applicant's name field '{bundle.get('applicant_name_field')}' is not a field of the application form.")
    parameters = bundle_extras.parameter_names(bundle)
    out += bundle_extras.parameter_problems(bundle, application)
    out += form_rules.problems(bundle.get("rules"), application | parameters)
    out += _checklist(bundle.get("checklist"), application)
    out += bank_step.problems(bundle, application)
    out += eligibility_problems(bundle.get("eligibility_rules"), application)
    names = {f.key for fields in parsed.values() for f in fields} | SET_AT_SUBMISSION | parameters
    if flow_files is None:
        out.append(f"No flow has been deployed for the process '{process}'; start one from a template.")
    else:
        out += _flow(bundle, flow_files, names, set(parsed))
    return out


ELIGIBILITY_RULES = ("one_per_family", "one_open_per_applicant", "not_within_years", "district_product")


def eligibility_problems(rules: Any, field_keys: set[str]) -> list[str]:
    """What is wrong with a bundle's `eligibility_rules`, in plain words."""
    if rules is not None and not isinstance(rules, list):
        return ["The eligibility rules must be a list."]
    out = []
    for i, rule in enumerate(rules or ()):
        kind = rule.get("rule") if isinstance(rule, Mapping) else None
        if kind not in ELIGIBILITY_RULES:
            out.append(f"Eligibility rule {i + 1} must be one of {', '.join(ELIGIBILITY_RULES)}.")
        elif kind == "one_per_family" and "family_id" not in field_keys:
            out.append("The eligibility rule one_per_family needs a 'family_id' field on the application form.")
        elif kind == "district_product" and rule.get("field") not in field_keys:
            out.append(f"The eligibility rule district_product names '{rule.get('field')}', which is not a field of the application form.")
        elif kind == "not_within_years" and not (
            isinstance(rule.get("years"), int) and not isinstance(rule["years"], bool) and 0 < rule["years"] <= 20
        ):
            out.append("The eligibility rule not_within_years needs 'years', a whole number from 1 to 20.")
    return out


def _dates(bundle: Mapping[str, Any]) -> list[str]:
    out, days = [], {}
    for field in ("opens_on", "closes_on"):
        value = bundle.get(field)
        if value in (None, ""):
            continue
        try:
            days[field] = date.fromisoformat(str(value))
        except ValueError:
            out.append(f"The {field.replace('_', ' ')} date '{value}' is not a date (YYYY-MM-DD).")
    if len(days) == 2 and days["closes_on"] < days["opens_on"]:
        out.append("The scheme closes before it opens.")
    return out


def _checklist(checklist: Any, application: set[str]) -> list[str]:
    if checklist in (None, []):
        return []
    if not isinstance(checklist, list):
        return ["The document checklist must be a list."]
    out, seen = [], set()
    for i, item in enumerate(checklist, start=1):
        if not isinstance(item, Mapping):
            out.append(f"Checklist item {i} is not an object.")
            continue
        kind = item.get("type")
        where = f"Checklist item {i} ('{kind}')"
        if kind not in KINDS:
            out.append(f"{where}: the document type is not known (known: {', '.join(KINDS)}).")
        if kind in seen:
            out.append(f"{where}: the document type is listed twice.")
        seen.add(kind)
        if not _text(item.get("label")):
            out.append(f"{where} needs a label in English (and Hindi).")
        formats = item.get("formats") or []
        if not formats or not set(formats) <= set(FORMATS):
            out.append(f"{where}: accepted formats must be some of {', '.join(FORMATS)}.")
        size = item.get("max_size_kb")
        if not (isinstance(size, int) and 0 < size <= 5120):
            out.append(f"{where}: the size limit must be 1 to 5120 KB.")
        condition = item.get("required_if")
        if condition:
            out += [p.replace("Rule 1", where) for p in form_rules.problems(
                [{"check": condition, "field": None, "message": {"en": "-"}}], application)]  # fmt: skip
    return out


def _flow(bundle: Mapping[str, Any], files: Mapping[str, bytes], names: set[str], form_keys: set[str]) -> list[str]:
    checked = check_flow(files, process_id=bundle.get("process"), known_lanes=roles.LANE_ROLES, known_names=names)
    out = [_plain(p) for p in checked.problems]
    screened, screen_problems = screen(files)
    if screen_problems:
        return out
    known = names | names_set_by_model(screened)
    for where, read in _reads(screened):
        for name in sorted(read - known):
            out.append(f"{where} reads '{name}', which no form asks for and the flow does not set.")
    tasks = _user_tasks(screened)
    for name, props in tasks.values():
        key = props.get("form_key")
        if key and key not in form_keys:
            out.append(f"The step '{name}' uses the form '{key}', which the scheme does not have.")
    out += bank_step.flow_problems(bundle, set(tasks))
    benefit = bundle.get("benefit") or {}
    for step in [benefit.get("sanction_step"), *(benefit.get("release_steps") or [])]:
        if step and step not in tasks:
            out.append(f"The benefit step '{step}' is not a user task of the flow.")
    for field in ("field", "released_field"):
        if benefit.get(field) and benefit[field] not in known:
            out.append(f"The benefit amount '{benefit[field]}' is set by no form and no step of the flow.")
    out += bundle_extras.decision_rule_problems(bundle, known, form_keys)
    out += bundle_extras.breakdown_problems(bundle, known, set(tasks))
    out += step_limits.problems(screened.bpmn, str(bundle.get("process")), bundle.get("time_limit_days"))
    return out


def _plain(problem: Any) -> str:
    where = ", ".join(x for x in (problem.file, problem.element_name or problem.element_id) if x)
    return f"{where}: {problem.message}" if where else problem.message


def _loads(text: str, mode: str = "eval") -> set[str]:
    try:
        tree = ast.parse(text.strip(), mode=mode)
    except SyntaxError:
        return set()  # the flow check reports it
    own = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    callees = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    return {
        n.id for n in ast.walk(tree)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and id(n) not in callees and n.id not in own
    } - form_rules.ALLOWED_FUNCTIONS  # fmt: skip


def _reads(screened: ScreenedFiles) -> list[tuple[str, set[str]]]:
    """(where, names read) for every DMN input and output expression and script of the flow."""
    out = []
    for file, root in screened.dmn.items():
        for decision in root.iter("{*}decision"):
            label = f"{file}, table '{decision.get('name') or decision.get('id')}'"
            for expr in decision.iter("{*}inputExpression"):
                text = "".join(expr.itertext())
                out.append((f"{label}, input `{text.strip()[:60]}`", _loads(text)))
            for entry in decision.iter("{*}outputEntry"):
                text = "".join(entry.itertext())
                if text.strip():
                    out.append((f"{label}, output `{text.strip()[:60]}`", _loads(text)))
    for file, root in screened.bpmn.items():
        for script_task in root.iter(f"{{{BPMN_NS}}}scriptTask"):
            for script in script_task.iter(f"{{{BPMN_NS}}}script"):
                out.append((f"{file}, script '{script_task.get('name') or script_task.get('id')}'", _loads(script.text or "", "exec")))
    return out


def _user_tasks(screened: ScreenedFiles) -> dict[str, tuple[str, dict[str, str]]]:
    tasks = {}
    for root in screened.bpmn.values():
        for el in root.iter(f"{{{BPMN_NS}}}userTask"):
            props = {
                p.get("name"): p.get("value") for p in el.findall(".//spiffworkflow:properties/spiffworkflow:property", NS)
            }
            tasks[el.get("id")] = (el.get("name") or el.get("id"), props)
    return tasks
