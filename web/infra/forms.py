"""Reading HTML form posts with a scheme's own form definition (workflows/catalogue/forms.py)."""

from __future__ import annotations

from typing import Any

from workflows.catalogue import forms
from workflows.catalogue.schemes import Scheme


def describe(scheme: Scheme) -> list[forms.Field]:
    """The fields the apply and answer pages render, in the form's order."""
    return list(scheme.fields)


def coerce(scheme: Scheme, posted: Any) -> dict[str, Any]:
    """Form strings to the typed values the scheme's form describes; the rest is left for its check."""
    return forms.coerce(list(scheme.fields), posted)
