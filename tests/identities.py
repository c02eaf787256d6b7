"""Fresh, valid identity numbers for test applications (each call a different person or unit)."""

from __future__ import annotations

import itertools

from workflows.identity import verhoeff_check_digit

_next = itertools.count(1)


def aadhaar() -> str:
    base = f"5{next(_next):010d}"
    return base + str(verhoeff_check_digit(base))


def family_id() -> str:
    return f"UPF{next(_next):09d}"


def udyam_number() -> str:
    return f"UDYAM-UP-01-{next(_next):07d}"


def person() -> dict[str, str]:
    """Aadhaar, Family ID and Udyam number of a new applicant."""
    return {"aadhaar": aadhaar(), "family_id": family_id(), "udyam_number": udyam_number()}
