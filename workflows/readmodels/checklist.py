"""An application's document checklist as pages show it: each item of the scheme's checklist
(the version it was filed under) present, missing or unacceptable, with its files; every file
ever uploaded stays listed, with the officer's reason where one was found unacceptable."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.catalogue.document_types import OTHER
from workflows.catalogue.schemes import ChecklistItem, Scheme
from workflows.models import Application, Document, DocumentReview

PRESENT, MISSING, UNACCEPTABLE, OPTIONAL = "present", "missing", "unacceptable", "optional"


@dataclass(frozen=True)
class FileState:
    document: Document
    review: DocumentReview | None  # the officer's finding that it is unacceptable, if any

    @property
    def acceptable(self) -> bool:
        return self.review is None


@dataclass(frozen=True)
class ItemState:
    kind: str
    item: ChecklistItem | None  # None: files of no checklist item ("other", or an older type)
    needed: bool
    files: tuple[FileState, ...]

    @property
    def status(self) -> str:
        if any(f.acceptable for f in self.files):
            return PRESENT
        if self.files:
            return UNACCEPTABLE
        return MISSING if self.needed else OPTIONAL

    def label_in(self, language: str) -> str:
        return self.item.label_in(language) if self.item else self.kind.replace("_", " ")


def files_of(session: Session, application: Application) -> list[FileState]:
    """Every document of the application (oldest first), with its latest review."""
    documents = list(session.scalars(select(Document).where(Document.application_id == application.id).order_by(Document.id)))
    reviews: dict[int, DocumentReview] = {}
    query = select(DocumentReview).where(DocumentReview.application_id == application.id).order_by(DocumentReview.id)
    for review in session.scalars(query):
        reviews[review.document_id] = review
    return [FileState(d, reviews.get(d.id)) for d in documents]


def checklist_of(
    session: Session, scheme: Scheme, application: Application, data: Mapping[str, Any] | None = None,
    *, visible: Callable[[str], bool] = lambda kind: True,
) -> list[ItemState]:
    """The checklist's items in order, then any other files by type; only the kinds `visible` to
    the reader (a bank officer sees the passbook and the project report, not the Aadhaar card)."""
    files = [f for f in files_of(session, application) if visible(f.document.kind)]
    data = application.data if data is None else data
    items = [
        ItemState(i.type, i, i.needed(data), tuple(f for f in files if f.document.kind == i.type))
        for i in scheme.checklist if visible(i.type)
    ]
    listed = {i.type for i in scheme.checklist}
    others = sorted({f.document.kind for f in files} - listed, key=lambda k: (k == OTHER, k))
    items += [ItemState(k, None, False, tuple(f for f in files if f.document.kind == k)) for k in others]
    return items


def acceptable_kinds(files: list[FileState]) -> set[str]:
    return {f.document.kind for f in files if f.acceptable}


def unacceptable_kinds(files: list[FileState]) -> set[str]:
    return {f.document.kind for f in files if not f.acceptable} - acceptable_kinds(files)
