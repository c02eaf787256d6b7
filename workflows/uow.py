"""The scheme layer's unit of work: the engine's, plus the scheme repositories."""

from __future__ import annotations

from engine.uow import UnitOfWork
from workflows.repositories import Applications, Districts, Users


class SchemeUnitOfWork(UnitOfWork):
    def __enter__(self) -> SchemeUnitOfWork:
        super().__enter__()
        self.users = Users(self.session)
        self.districts = Districts(self.session)
        self.applications = Applications(self.session)
        return self
