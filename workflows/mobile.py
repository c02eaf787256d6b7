"""Indian mobile numbers: ten digits starting 6-9; '+91', '91' or '0' before them and spaces or
hyphens inside are accepted and dropped. (The identity fields' checks live in workflows.identity.)"""

from __future__ import annotations

from workflows import identity


def normalise_mobile(text: str | None) -> str | None:
    """'+91 98765-43210' -> '9876543210'; None when it is not an Indian mobile number (one rule
    with the application forms' `mobile` field: `workflows.identity.mobile`)."""
    return identity.mobile(str(text or "").replace("(", "").replace(")", ""))


def mobile_problem(text: str | None) -> str | None:
    """Why `text` is not a mobile number, in words for the form; None when it is one."""
    if not str(text or "").strip():
        return "A mobile number is required."
    if normalise_mobile(text) is None:
        return "Give a 10-digit mobile number starting with 6, 7, 8 or 9 (+91 or 0 before it may be left out)."
    return None
