"""Domain errors of the scheme layer; each message is meant for the person who caused it.

An error's `code` says what kind of error it is; its message may be an `engine.messages.Text`
(a code of its own with parameters), which pages say in their reader's language (D88)."""

from __future__ import annotations

from engine.errors import EngineError, NotFound
from engine.messages import Text


def bilingual(en: str, hi: str = "") -> Text:
    """A message in English that carries its Hindi: a `Text` the pages say in their language (D88);
    the API and logs read the English."""
    return Text("bilingual", en, hi=hi or en, custom=True)


class DomainError(EngineError):
    code = "domain_error"


class ValidationFailed(DomainError):
    """Input that breaks the scheme's rules; `fields` maps each field to what is wrong with it."""

    code = "validation_failed"

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        self.message = message  # without the fields: a page says it, and the fields, in its language
        self.fields = fields or {}
        detail = "; ".join(f"{k}: {', '.join(v)}" for k, v in self.fields.items())
        super().__init__(f"{message} ({detail})" if detail else message)


class DocumentsMissing(ValidationFailed):
    """Documents the scheme's checklist needs are not there; `missing` are their types, in checklist order."""

    code = "documents_missing"

    def __init__(self, message: str, fields: dict[str, list[str]], missing: list[str]) -> None:
        super().__init__(message, fields)
        self.missing = list(missing)


class NotEligible(ValidationFailed):
    """An eligibility rule checked against the records refuses the application (D71)."""

    code = "not_eligible"


class ApplicationNotFound(DomainError, NotFound):
    code = "application_not_found"


class UnknownScheme(DomainError):
    code = "unknown_scheme"


class NotAllowed(DomainError):
    code = "not_allowed"


class UnknownUser(DomainError):
    code = "unknown_user"


class UnknownDistrict(DomainError):
    code = "unknown_district"


class UnknownTradeFair(DomainError):
    code = "unknown_trade_fair"


class UnknownBankBranch(DomainError):
    code = "unknown_bank_branch"


class BankBranchInUse(DomainError):
    """A bank branch that applications, loans or bank officers refer to cannot be removed (D102)."""

    code = "bank_branch_in_use"


class AppealNotFound(DomainError, NotFound):
    code = "appeal_not_found"


class AppealRefused(DomainError):
    """An appeal that may not be filed now; `reason` is one of appeal_rules' refusal codes."""

    code = "appeal_refused"

    def __init__(self, message: str, reason: str) -> None:
        self.reason = reason
        super().__init__(message)
