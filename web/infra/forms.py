"""Reading HTML form posts with a scheme's own form definition (workflows/catalogue/forms.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from flask import render_template

from web.infra.extensions import uow
from workflows.catalogue import forms
from workflows.catalogue.schemes import Scheme
from workflows.form_choices import choices_of


def describe(scheme: Scheme, choices: Mapping[str, Sequence[tuple[str, str]]] | None = None) -> list[forms.Field]:
    """The fields the apply and answer pages render, in the form's order; a field whose choices
    come from the records (`choices_from`, e.g. the district's bank branches; the district's ODOP
    products, D72) is shown as a list of them (`workflows.form_choices.choices_for`)."""
    out = []
    for f in scheme.fields:
        options = choices_of(f.key, f.choices_from, dict(choices or {}))
        out.append(replace(f, type="select", options=tuple(options), pattern=None) if options else f)
    return out


def coerce(scheme: Scheme, posted: Any) -> dict[str, Any]:
    """Form strings to the typed values the scheme's form describes; the rest is left for its check."""
    return forms.coerce(list(scheme.fields), posted)


# What a person registering (sign-up, a walk-in at a facilitation centre) types (D84).
PERSON_FIELDS = ("full_name", "mobile", "district_code", "language")


def person_form(template: str, errors: dict, form: dict, status: int = 200, message: str | None = None):  # noqa: ANN201
    """A registration form: the districts to choose from, what was typed and the messages."""
    with uow() as work:
        districts = list(work.districts.all())
    return render_template(template, districts=districts, errors=errors, form=form, message=message), status
