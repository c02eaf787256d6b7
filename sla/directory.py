"""Who is told: the SLA layer asks a directory, which the composition root wires to the user table."""

from __future__ import annotations

from typing import NamedTuple, Protocol

from engine.uow import UnitOfWork


class Recipient(NamedTuple):
    username: str
    email: str | None
    language: str
    mobile: str | None = None  # ten digits, for SMS


class Directory(Protocol):
    def person(self, uow: UnitOfWork, username: str) -> Recipient | None: ...

    def lane_officers(
        self, uow: UnitOfWork, lane: str, district: str | None, instance_id: int | None = None
    ) -> list[Recipient]: ...

    def supervisors(self, uow: UnitOfWork, lane: str, district: str | None) -> list[Recipient]: ...

    def appellate(self, uow: UnitOfWork, lane: str, district: str | None) -> list[Recipient]: ...

    def applicant_of(self, uow: UnitOfWork, instance_id: int) -> Recipient | None: ...

    def administrators(self, uow: UnitOfWork) -> list[Recipient]: ...
