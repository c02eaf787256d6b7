"""The money parts of a scheme bundle: parameters, decision-form rules and the benefit breakdown.

    "parameters": {"travel_fare_cap": 10000, "claim_window_days": 90}
        Whole numbers the scheme's rules and flow read by name (caps, windows). They are part of
        every application's process data from its start, so a DMN table can use them.
    "decision_rules": {"sanction": [{"field": "sanctioned_amount", "check": ..., "message": ...}]}
        Rules checked when an officer approves a step whose decision form is `sanction`; they read
        the application's process data (computed amounts too), the form's values and `remarks`.
    "breakdown": {"steps": ["gm_sanction"], "lines": [{"field": "stall_reimbursement",
                  "label": {"en": "Stall: 75% of charges, at most Rs {stall_cap}", "hi": ...},
                  "capped_if": "stall_charges * 75 // 100 > stall_cap"}]}
        What the task pages of `steps` show of the computed benefit; `{name}` in a label is a value
        of the process data; a line whose `capped_if` holds is marked "cap applied".
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping
from typing import Any

from workflows.catalogue import form_rules

# What a decision rule may read besides the process data: the officer's remarks and choice.
DECISION_NAMES = frozenset({"remarks", "outcome"})


def parameter_names(bundle: Mapping[str, Any]) -> set[str]:
    parameters = bundle.get("parameters")
    return set(parameters) if isinstance(parameters, Mapping) else set()


def parameter_problems(bundle: Mapping[str, Any], field_keys: set[str]) -> list[str]:
    parameters = bundle.get("parameters")
    if parameters in (None, {}):
        return []
    if not isinstance(parameters, Mapping):
        return ["The parameters must be an object of names and whole numbers."]
    out = []
    for name, value in parameters.items():
        if not (isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name)):
            out.append(f"The parameter '{name}' needs a name of letters, digits and '_'.")
        elif name in field_keys:
            out.append(f"The parameter '{name}' has the name of a form field.")
        if not (isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10**12):
            out.append(f"The parameter '{name}' must be a whole number from 0 to 10^12.")
    return out


def decision_rule_problems(bundle: Mapping[str, Any], known: set[str], form_keys: set[str]) -> list[str]:
    rules = bundle.get("decision_rules")
    if rules in (None, {}):
        return []
    if not isinstance(rules, Mapping):
        return ["The decision rules must be an object: form name -> list of rules."]
    out = []
    for key, listed in rules.items():
        if key not in form_keys:
            out.append(f"The decision rules name the form '{key}', which the scheme does not have.")
            continue
        found = form_rules.problems(listed, known | DECISION_NAMES)
        out += [f"Decision form '{key}': {p}".replace("of the application form", "of the process data") for p in found]
    return out


def breakdown_problems(bundle: Mapping[str, Any], known: set[str], steps: set[str]) -> list[str]:
    breakdown = bundle.get("breakdown")
    if breakdown in (None, {}):
        return []
    if not isinstance(breakdown, Mapping) or not isinstance(breakdown.get("lines"), list):
        return ["The breakdown needs a list of lines."]
    out = [f"The breakdown is shown at '{s}', which is not a user task of the flow."
           for s in breakdown.get("steps") or () if s not in steps]  # fmt: skip
    for i, line in enumerate(breakdown["lines"], start=1):
        if not isinstance(line, Mapping) or line.get("field") not in known:
            out.append(f"Breakdown line {i} shows '{(line or {}).get('field')}', which the process data does not hold.")
            continue
        label = line.get("label")
        if not (isinstance(label, Mapping) and label.get("en") and label.get("hi")):
            out.append(f"Breakdown line {i} needs a label in English and Hindi.")
        if line.get("capped_if"):
            rule = {"check": line["capped_if"], "field": None, "message": {"en": "-"}}
            out += [p.replace("Rule 1", f"Breakdown line {i}") for p in form_rules.problems([rule], known)]
    return out


def broken_decision_rules(
    rules: list[Mapping[str, Any]], process_data: Mapping[str, Any], form_keys: list[str], values: Mapping[str, Any]
) -> dict[str, list[str]]:
    """The messages of the decision rules an approval breaks. A field left empty reads as the process
    data's value (e.g. the amount proposed before the step), else as None."""
    data = {**{k: None for k in form_keys}, **process_data, **values}
    return form_rules.broken(rules, data, None)
