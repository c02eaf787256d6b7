"""Tables of the scheme layer: districts, users, applications and their numbering."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.models import Base, BigId
from engine.types import JSONType, UTCDateTime


class District(Base):
    __tablename__ = "districts"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    state_code: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(100))
    division: Mapped[str] = mapped_column(String(100))
    odop_product: Mapped[str] = mapped_column(String(200))
    # The notified ODOP products an application may choose from (D72); empty: [odop_product].
    odop_products: Mapped[list[str] | None] = mapped_column(JSONType, nullable=True)

    @property
    def products(self) -> list[str]:
        return list(self.odop_products or []) or [self.odop_product]


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(32), index=True)
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(8), default="en")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Every signed-in session carries the generation it began in; bumping it (sign-out, a new
    # password, deactivation) ends all of them, copied cookies included.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A bank officer works for one branch and sees only the applications routed to it (D76).
    bank_ifsc: Mapped[str | None] = mapped_column(ForeignKey("bank_branches.ifsc"))


class Application(Base):
    """An application to a scheme; its approval path runs as the engine instance it points to."""

    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_scheme_district_status", "scheme_code", "district_code", "status"),
        Index("ix_applications_submitted", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    scheme_code: Mapped[str] = mapped_column(String(8))
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    applicant_name: Mapped[str] = mapped_column(String(200))
    instance_id: Mapped[int] = mapped_column(ForeignKey("instances.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    benefit_amount: Mapped[int | None] = mapped_column(BigInteger)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    remarks: Mapped[str | None] = mapped_column(Text)
    # The scheme version (form, checklist, rules) the application was filed under; it stays there.
    scheme_version: Mapped[int | None] = mapped_column(Integer)
    # The bank branch the applicant chose (schemes with a bank step); it routes the bank's tasks.
    bank_ifsc: Mapped[str | None] = mapped_column(ForeignKey("bank_branches.ifsc"), index=True)
    # Identity as the eligibility rules compare it (D70-D71): the Aadhaar number only as its keyed
    # hash (the data holds the masked number), the Family ID and the Udyam number normalised.
    aadhaar_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    family_id: Mapped[str | None] = mapped_column(String(12), index=True)
    udyam_number: Mapped[str | None] = mapped_column(String(24), index=True)


class BankBranch(Base):
    """A bank branch that takes loan cases of a district, known by its IFSC (D76)."""

    __tablename__ = "bank_branches"

    ifsc: Mapped[str] = mapped_column(String(11), primary_key=True)
    bank_name: Mapped[str] = mapped_column(String(200))
    branch_name: Mapped[str] = mapped_column(String(200))
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)


class Loan(Base):
    """The bank loan of an application: sanctioned, then disbursed (D77). One per application."""

    __tablename__ = "loans"

    application_id: Mapped[int] = mapped_column(BigId, ForeignKey("applications.id"), primary_key=True)
    bank_ifsc: Mapped[str] = mapped_column(ForeignKey("bank_branches.ifsc"), index=True)
    district_code: Mapped[str] = mapped_column(String(16))
    scheme_code: Mapped[str] = mapped_column(String(8))
    sanctioned_amount: Mapped[int] = mapped_column(BigInteger)
    account_number: Mapped[str] = mapped_column(String(40))
    sanctioned_on: Mapped[date] = mapped_column(Date, index=True)
    sanctioned_by: Mapped[str] = mapped_column(String(100))
    disbursed_amount: Mapped[int | None] = mapped_column(BigInteger)
    disbursed_on: Mapped[date | None] = mapped_column(Date, index=True)
    disbursed_by: Mapped[str | None] = mapped_column(String(100))


class EligibilityClaim(Base):
    """A hold one application has on a rule's key, e.g. (`family:MM`, the Family ID) (D71).

    Unique per (rule, key): of two applications filed at once for the same family, the second
    insert finds the first one's row and is refused with its number; the check is the write."""

    __tablename__ = "eligibility_claims"
    __table_args__ = (UniqueConstraint("rule", "key", name="uq_eligibility_claims_rule_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rule: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(128))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    application_number: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApplicationSequence(Base):
    """The last number handed out per scheme/district/financial year; bumped under a row lock."""

    __tablename__ = "application_sequences"

    prefix: Mapped[str] = mapped_column(String(40), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class ApplicationStatus:
    IN_PROCESS = "in_process"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"
    FINAL = (APPROVED, REJECTED)


class SavedFilter(Base):
    """An inbox filter kept on the server; `shared` makes it visible to everyone of the same role."""

    __tablename__ = "saved_filters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(100))
    params: Mapped[dict[str, Any]] = mapped_column(JSONType)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A machine client's bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Document(Base):
    """An uploaded file of an application, stored outside the web root under a random name."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DocumentReview(Base):
    """An officer's finding that a document is unacceptable, made when returning the application
    (the task of that return); the document itself is kept, and a replacement is a new document."""

    __tablename__ = "document_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(Text)
    reviewed_by: Mapped[str] = mapped_column(String(100))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginThrottle(Base):
    """Failed sign-ins per client address and user name (user name '' counts every name tried
    from the address), to slow password guessing down with growing waits; never a lock that
    someone at another address can keep on the owner (see workflows.usecases.signin)."""

    __tablename__ = "login_throttle"

    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Draft(Base):
    """An application being filled in; it has no number and no process until it is submitted."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    scheme_code: Mapped[str] = mapped_column(String(8))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TradeFair(Base):
    """An upcoming trade fair or event, managed by administrators and shown on the public dashboard;
    each links to the marketing assistance application with the fair filled in."""

    __tablename__ = "trade_fairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    fair_type: Mapped[str] = mapped_column(String(16))  # domestic / international, as in the MDA form
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def claims_from(self) -> date:
        """The first day a marketing assistance claim for this fair is taken: the day after it ends (D79)."""
        return self.ends_on + timedelta(days=1)


class FlowDraft(Base):
    """An administrator's unfinished edit of a process (BPMN and its DMN files), one per process;
    deploying it (or discarding it) removes it."""

    __tablename__ = "flow_drafts"

    process_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    files: Mapped[dict[str, str]] = mapped_column(JSONType)
    based_on_version: Mapped[int | None] = mapped_column(Integer)
    saved_by: Mapped[str] = mapped_column(String(100))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SchemeVersion(Base):
    """One immutable published version of a scheme bundle (names, forms, checklist, rules, limits);
    its flow is the engine's process `process_key`. Applications keep the version they were filed
    under (`applications.scheme_version`)."""

    __tablename__ = "scheme_versions"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_scheme_versions_code_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), index=True)
    version: Mapped[int] = mapped_column(Integer)
    process_key: Mapped[str] = mapped_column(String(100), index=True)
    bundle: Mapped[dict[str, Any]] = mapped_column(JSONType)
    checksum: Mapped[str] = mapped_column(String(64))
    published_by: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    comment: Mapped[str] = mapped_column(Text, default="")


class SchemeDraft(Base):
    """An administrator's unpublished edit of a scheme bundle, one per scheme code."""

    __tablename__ = "scheme_drafts"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    bundle: Mapped[dict[str, Any]] = mapped_column(JSONType)
    based_on_version: Mapped[int | None] = mapped_column(Integer)
    saved_by: Mapped[str] = mapped_column(String(100))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Appeal(Base):
    """A first (level 1) or second (level 2) appeal of an applicant under the UP Janhit Guarantee
    Adhiniyam 2011; heard as an instance of the `appeal` process (D85-D87). One per application and
    level: the unique constraint is what refuses a second filing, at write time."""

    __tablename__ = "appeals"
    __table_args__ = (UniqueConstraint("application_id", "level", name="uq_appeals_application_level"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    # Why it may be filed: delay / rejection (first); not_decided / dismissed (second).
    cause: Mapped[str] = mapped_column(String(16))
    grounds: Mapped[str] = mapped_column(Text)
    district_code: Mapped[str] = mapped_column(String(16), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instances.id"), unique=True)
    # The application's process instance when the appeal was filed (its timeline before a reopening).
    round_instance_id: Mapped[int] = mapped_column(ForeignKey("instances.id"))
    filed_by: Mapped[str] = mapped_column(String(100))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    # allowed / dismissed; the order's text is `order`.
    outcome: Mapped[str | None] = mapped_column(String(16))
    order: Mapped[str | None] = mapped_column(Text)
class SignUp(Base):
    """A self-registration waiting for its mobile OTP: nothing becomes an account before the code
    is confirmed (D84). One row per mobile number; a new request replaces the code."""

    __tablename__ = "sign_ups"

    mobile: Mapped[str] = mapped_column(String(10), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    language: Mapped[str] = mapped_column(String(8))
    password_hash: Mapped[str] = mapped_column(String(255))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
