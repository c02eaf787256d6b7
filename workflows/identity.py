"""Identity numbers on application forms: Aadhaar, UP Family ID, Udyam registration, mobile (D70).

Pure functions, no Flask and no configuration: each number is normalised (spaces, hyphens, case
and prefixes as people type them) and checked; a wrong one gets a message in English and Hindi
that names the field. An Aadhaar number is never kept: `protect` turns it into a keyed hash
(HMAC-SHA256 with the key the entry point installs on the runtime, `install_key`) and its last
four digits, shown as `XXXX XXXX 1234`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any

from engine.messages import Text
from workflows.errors import bilingual

AADHAAR, FAMILY_ID, UDYAM, MOBILE = "aadhaar", "family_id", "udyam_number", "mobile"
FIELDS = (AADHAAR, FAMILY_ID, UDYAM, MOBILE)
KEY_NAME = "aadhaar_hmac"

# Verhoeff's dihedral-group tables: multiplication, position permutation, inverse.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4), (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7), (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)

_SEPARATORS = re.compile(r"[\s\-.]")
MASKED = re.compile(r"^XXXX XXXX \d{4}$")
_AADHAAR = re.compile(r"^[2-9]\d{11}$")
_FAMILY = re.compile(r"^[A-Z0-9]{12}$")
_UDYAM = re.compile(r"^UDYAM-[A-Z]{2}-\d{2}-\d{7}$")
_MOBILE = re.compile(r"^[6-9]\d{9}$")

MESSAGES: dict[str, Text] = {
    AADHAAR: bilingual(
        "Aadhaar number: enter the 12 digits of the Aadhaar number (it does not start with 0 or 1).",
        "आधार संख्या: आधार के 12 अंक दर्ज करें (आधार संख्या 0 या 1 से शुरू नहीं होती)।",
    ),
    "aadhaar_check": bilingual(
        "Aadhaar number: this is not a valid Aadhaar number (its check digit does not match); check the digits.",
        "आधार संख्या: यह मान्य आधार संख्या नहीं है (इसका जाँच अंक मेल नहीं खाता); अंक दोबारा जाँचें।",
    ),
    "aadhaar_masked": bilingual(
        "Aadhaar number: enter the full 12-digit number; a masked number cannot be checked.",
        "आधार संख्या: पूरी 12 अंकों की संख्या दर्ज करें; छिपाई गई संख्या की जाँच नहीं हो सकती।",
    ),
    FAMILY_ID: bilingual(
        "Family ID: enter the 12 letters and digits of the UP Family ID (Parivar Pehchan Patra).",
        "परिवार आईडी: उत्तर प्रदेश परिवार पहचान पत्र की 12 अक्षरों और अंकों वाली परिवार आईडी दर्ज करें।",
    ),
    UDYAM: bilingual(
        "Udyam registration number: enter it as UDYAM-XX-00-0000000 (state code, district number, seven digits).",
        "उद्यम पंजीकरण संख्या: इसे UDYAM-XX-00-0000000 के रूप में दर्ज करें (राज्य कोड, जनपद संख्या, सात अंक)।",
    ),
    MOBILE: bilingual(
        "Mobile number: enter a 10-digit Indian mobile number starting with 6, 7, 8 or 9 (+91 or 0 in front may be left).",
        "मोबाइल नंबर: 6, 7, 8 या 9 से शुरू होने वाला 10 अंकों का भारतीय मोबाइल नंबर दर्ज करें (आगे +91 या 0 रह सकता है)।",
    ),
}


def verhoeff_check_digit(digits: str) -> int:
    """The digit that, appended to `digits`, makes the whole number pass Verhoeff's check."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[(i + 1) % 8][int(ch)]]
    return _INV[c]


def verhoeff_valid(number: str) -> bool:
    """Whether a string of digits (its last one the check digit) passes Verhoeff's check."""
    if not number.isascii() or not number.isdigit():
        return False
    c = 0
    for i, ch in enumerate(reversed(number)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c == 0


def _plain(value: Any) -> str:
    return _SEPARATORS.sub("", str(value)) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def aadhaar(value: Any) -> str | None:
    """The 12 digits of a valid Aadhaar number (spaces and hyphens dropped), else None."""
    digits = _plain(value)
    return digits if _AADHAAR.match(digits) and verhoeff_valid(digits) else None


def aadhaar_problem(value: Any) -> Text | None:
    digits = _plain(value)
    if not _AADHAAR.match(digits):
        return MESSAGES[AADHAAR]
    return None if verhoeff_valid(digits) else MESSAGES["aadhaar_check"]


def family_id(value: Any) -> str | None:
    """A UP Family ID: exactly 12 letters A-Z and digits (upper-cased, separators dropped), else None."""
    text = _plain(value).upper()
    return text if _FAMILY.match(text) else None


def udyam_number(value: Any) -> str | None:
    """`UDYAM-XX-00-0000000` (upper-cased, spaces dropped), else None."""
    text = re.sub(r"\s", "", str(value)).upper() if isinstance(value, str) else ""
    return text if _UDYAM.match(text) else None


def mobile(value: Any) -> str | None:
    """The 10 digits of an Indian mobile number; a leading +91, 91 (with 12 digits) or 0 is dropped."""
    digits = _plain(value)
    if digits.startswith("+91"):
        digits = digits[3:]
    elif digits.startswith("91") and len(digits) == 12:
        digits = digits[2:]
    elif digits.startswith("0") and len(digits) == 11:
        digits = digits[1:]
    return digits if _MOBILE.match(digits) else None


def mask(last4: str) -> str:
    return f"XXXX XXXX {last4}"


def mask_aadhaar(number: str) -> str:
    """`XXXX XXXX 1234`: how an Aadhaar number is shown anywhere."""
    return mask(_plain(number)[-4:])


def aadhaar_hash(key: bytes, number: str) -> str:
    """HMAC-SHA256 of the 12 digits under the installation's key, hex: equal numbers hash equal."""
    if not key:
        raise RuntimeError("The Aadhaar hashing key is not configured (ODOP_AADHAAR_KEY).")
    return hmac.new(key, _plain(number).encode(), hashlib.sha256).hexdigest()


def normalise(data: Mapping[str, Any], keys: set[str] | frozenset[str], *, masked_ok: bool = False) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The data with each identity field of the form (`keys`) normalised, and the errors per field.

    Empty values are left for the form's required check. A masked Aadhaar (`XXXX XXXX 1234`) is
    accepted only when `masked_ok` (an application's stored value, unchanged in a correction)."""
    out, errors = dict(data), {}
    for key in FIELDS:
        value = out.get(key)
        if key not in keys or value is None or value == "":
            continue
        if key == AADHAAR:
            if isinstance(value, str) and MASKED.match(value.strip()):
                if not masked_ok:
                    errors[key] = [MESSAGES["aadhaar_masked"]]
                continue
            problem = aadhaar_problem(value)
            if problem:
                errors[key] = [problem]
            else:
                out[key] = _plain(value)
            continue
        cleaned = {FAMILY_ID: family_id, UDYAM: udyam_number, MOBILE: mobile}[key](value)
        if cleaned is None:
            errors[key] = [MESSAGES[key]]
        else:
            out[key] = cleaned
    return out, errors


def protect(data: Mapping[str, Any], key: bytes) -> tuple[dict[str, Any], str | None]:
    """The data with a full Aadhaar number replaced by its mask, and the number's keyed hash
    (None when the data holds no full number: none given, or already masked)."""
    out = dict(data)
    number = out.get(AADHAAR)
    if not isinstance(number, str) or not _AADHAAR.match(number):
        return out, None
    out[AADHAAR] = mask_aadhaar(number)
    return out, aadhaar_hash(key, number)


def install_key(runtime: Any, key: bytes) -> None:
    """The entry point hands the Aadhaar hashing key to the layers above the engine this way."""
    runtime.keys[KEY_NAME] = key


def key_of(runtime: Any) -> bytes:
    key = runtime.keys.get(KEY_NAME, b"")
    if not key:
        raise RuntimeError("The Aadhaar hashing key is not configured (ODOP_AADHAAR_KEY).")
    return key
