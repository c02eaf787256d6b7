"""Reading HTML form posts with a scheme's own form definition (workflows/catalogue/forms.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from workflows.catalogue import forms
from workflows.catalogue.schemes import Scheme


def describe(scheme: Scheme, choices: Mapping[str, list[str]] | None = None) -> list[forms.Field]:
    """The fields the apply and answer pages render, in the form's order; a field in `choices`
    (the district's ODOP products, D72) is offered as a choice of those values."""
    return [
        replace(f, type="select", options=tuple((c, c) for c in choices[f.key]), pattern=None)
        if choices and choices.get(f.key) else f
        for f in scheme.fields
    ]


def coerce(scheme: Scheme, posted: Any) -> dict[str, Any]:
    """Form strings to the typed values the scheme's form describes; the rest is left for its check."""
    return forms.coerce(list(scheme.fields), posted)
