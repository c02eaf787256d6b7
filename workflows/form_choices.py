"""Choices of application-form fields that come from the records, for a district's forms: the bank
branches a field names with `choices_from` (D76) and the district's ODOP products (D72)."""

from __future__ import annotations

from workflows import banks, eligibility
from workflows.catalogue.schemes import Scheme
from workflows.uow import SchemeUnitOfWork


def choices_for(uow: SchemeUnitOfWork, scheme: Scheme, district_code: str | None) -> dict[str, list[tuple[str, str]]]:
    """(value, label) pairs by `choices_from` name or, for the products, by field name."""
    out = dict(banks.form_choices(uow, district_code))
    for name, products in eligibility.form_choices(uow, scheme, district_code).items():
        out[name] = [(p, p) for p in products]
    return out


def choices_of(field_key: str, choices_from: str | None, choices: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """A field's choices: by its `choices_from` name if it has one, else by its own name."""
    return list(choices.get(choices_from or field_key) or [])
