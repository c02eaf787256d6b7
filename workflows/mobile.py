"""Indian mobile numbers: ten digits starting 6-9; '+91', '91' or '0' before them and spaces or
hyphens inside are accepted and dropped. (The identity fields' checks live in workflows.identity.)"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-()]")
_TEN_DIGITS = re.compile(r"[6-9]\d{9}")


def normalise_mobile(text: str | None) -> str | None:
    """'+91 98765-43210' -> '9876543210'; None when it is not an Indian mobile number."""
    digits = _SEPARATORS.sub("", str(text or ""))
    if digits.startswith("+91"):
        digits = digits[3:]
    elif len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    return digits if _TEN_DIGITS.fullmatch(digits) else None


def mobile_problem(text: str | None) -> str | None:
    """Why `text` is not a mobile number, in words for the form; None when it is one."""
    if not str(text or "").strip():
        return "A mobile number is required."
    if normalise_mobile(text) is None:
        return "Give a 10-digit mobile number starting with 6, 7, 8 or 9 (+91 or 0 before it may be left out)."
    return None
