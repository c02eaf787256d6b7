"""The kinds of document a scheme's checklist may ask for, and the file formats it may accept."""

from __future__ import annotations

KINDS = (
    "aadhaar", "bank_passbook", "certificate", "project_report", "bills", "utilisation_certificate",
    "rpl_certificate", "dpr", "member_list", "proof_of_participation", "caste_certificate", "travel_bill", "other",
)  # fmt: skip
# Files that are not one of a scheme's checklist items are filed under this kind.
OTHER = "other"
# The formats a scheme's checklist may accept, by the name the checklist uses.
FORMATS = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
