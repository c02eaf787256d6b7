"""Domain errors of the scheme layer; each message is meant for the person who caused it."""

from __future__ import annotations

from engine.errors import EngineError, NotFound


class Bilingual(str):
    """A message in English (the string itself) that also carries its Hindi text (`hi`).

    Pages in Hindi show `hi` (`in_language`); everything else (the API, logs) reads the English."""

    hi: str

    def __new__(cls, en: str, hi: str = "") -> Bilingual:
        text = super().__new__(cls, en)
        text.hi = hi or en
        return text

    def in_language(self, language: str) -> str:
        return self.hi if language == "hi" else str(self)


class DomainError(EngineError):
    code = "domain_error"


class ValidationFailed(DomainError):
    """Input that breaks the scheme's rules; `fields` maps each field to what is wrong with it."""

    code = "validation_failed"

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        self.fields = fields or {}
        detail = "; ".join(f"{k}: {', '.join(v)}" for k, v in self.fields.items())
        super().__init__(f"{message} ({detail})" if detail else message)


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
