"""Use cases of documents: upload (checked by content, not by name: the file is opened, see
workflows/content_checks.py) and authorized download."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from engine.messages import Text
from workflows import access
from workflows.catalogue.document_types import FORMATS, KINDS
from workflows.catalogue.schemes import scheme_of
from workflows.content_checks import problem_with
from workflows.errors import DocumentsMissing, NotAllowed, ValidationFailed
from workflows.models import Application, Document
from workflows.uow import SchemeUnitOfWork

MAX_BYTES = 5 * 1024 * 1024
# The first bytes of each accepted type; a file is accepted only when its content starts with one.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSION = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


class FolderStore:
    """Files in a folder outside the web root, under random names, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def save(self, content: bytes) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = secrets.token_hex(24)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".upload-")
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.replace(tmp, self.folder / name)
        return name

    def read(self, name: str) -> bytes:
        return (self.folder / name).read_bytes()

    def delete(self, name: str) -> None:
        (self.folder / name).unlink(missing_ok=True)


def sniff(content: bytes) -> str | None:
    for content_type, signatures in SIGNATURES.items():
        if any(content.startswith(s) for s in signatures):
            return content_type
    return None


def check_upload(filename: str, content: bytes) -> str:
    """The content type of an acceptable upload, or ValidationFailed saying what is wrong."""
    problems = []
    if not filename or "/" in filename or "\\" in filename or filename.startswith(".") or "\0" in filename:
        problems.append("The file name may not contain a path.")
    if len(content) == 0:
        problems.append("The file is empty.")
    if len(content) > MAX_BYTES:
        problems.append(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    content_type = sniff(content)
    if content and content_type is None:
        problems.append("Only PDF, JPEG and PNG files are accepted (checked by their content).")
    elif content_type is not None and len(content) <= MAX_BYTES:
        problem = problem_with(content_type, content)
        if problem:
            problems.append(problem)
            content_type = None
    if problems or content_type is None:
        raise ValidationFailed("The document was not accepted.", {"file": problems})
    return content_type


@dataclass(frozen=True)
class Upload:
    kind: str
    filename: str
    content: bytes


def check_uploads(uploads: Sequence[Upload], kinds: Collection[str] = KINDS, *, by_kind: bool = False) -> list[str]:
    """The content type of each upload, or one ValidationFailed naming every problem.

    `kinds` are the document types the application's scheme takes (its checklist and "other");
    `by_kind` reports each problem under the upload's type (the apply form has an input per type)."""
    errors: dict[str, list[str]] = {}
    types = []
    for i, upload in enumerate(uploads):
        key = "file" if len(uploads) == 1 else f"file_{i + 1}"
        if by_kind and upload.kind in kinds:
            key = upload.kind
        if upload.kind not in kinds:
            errors.setdefault(key, []).append(f"Unknown document kind; choose one of: {', '.join(kinds)}.")
        try:
            types.append(check_upload(upload.filename, upload.content))
        except ValidationFailed as err:
            named = [f"{upload.filename[:100]}: {p}" for p in err.fields.get("file", [])] if by_kind else err.fields.get("file", [])
            errors.setdefault(key, []).extend(named)
    if errors:
        raise ValidationFailed("The document was not accepted.", errors)
    return types


def check_checklist(
    scheme: Any, data: Mapping[str, Any], uploads: Sequence[Upload], content_types: Sequence[str], *,
    kept: Collection[str] = (), unacceptable: Collection[str] = (),
) -> None:
    """Every document the scheme's checklist needs for this data is there, in an accepted format
    and within its size limit; or one ValidationFailed naming each problem.

    `kept` are the types of acceptable documents the application already has; `unacceptable` the
    types an officer found unacceptable (they need a replacement even where optional)."""
    errors: dict[str, list[str]] = {}
    items = {item.type: item for item in scheme.checklist}
    for upload, content_type in zip(uploads, content_types, strict=True):
        item = items.get(upload.kind)
        if item is None:
            continue
        accepted = [FORMATS[f] for f in item.formats]
        if content_type not in accepted:
            errors.setdefault(upload.kind, []).append(f"{item.label}: only {', '.join(f.upper() for f in item.formats)} accepted.")
        if len(upload.content) > item.max_size_kb * 1024:
            errors.setdefault(upload.kind, []).append(f"{item.label}: at most {item.max_size_kb} KB.")
    given = {u.kind for u in uploads} | set(kept)
    needed = scheme.missing_documents(data, given)
    needed += [i for i in scheme.checklist if i.type in set(unacceptable) - given and i not in needed]
    for item in needed:
        errors.setdefault(item.type, []).append(f"{item.label} is required.")
    if needed:
        names = ", ".join(item.label for item in needed)
        raise DocumentsMissing(f"Required documents are missing: {names}.", errors, [i.type for i in needed])
    if errors:
        raise ValidationFailed("Documents of the checklist are not accepted.", errors)


_INSERT_DOCUMENT = insert(Document.__table__).returning(Document.__table__.c.id)


class StoredFiles:
    """Files written during one transaction; removed again unless the transaction commits."""

    def __init__(self, store: FolderStore) -> None:
        self.store = store
        self.names: list[str] = []

    def __enter__(self) -> StoredFiles:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if exc_type is not None:
            for name in self.names:
                self.store.delete(name)

    def attach(self, uow: SchemeUnitOfWork, application: Application, actor: str, upload: Upload, content_type: str) -> Document:
        stored = self.store.save(upload.content)
        self.names.append(stored)
        values = dict(
            application_id=application.id,
            kind=upload.kind,
            original_name=upload.filename[:200],
            stored_name=stored,
            content_type=content_type,
            size=len(upload.content),
            sha256=hashlib.sha256(upload.content).hexdigest(),
            uploaded_by=actor,
            uploaded_at=uow.clock.now(),
        )
        # A Core insert that returns the id: no flush of the whole session per document.
        document = Document(id=uow.session.connection().execute(_INSERT_DOCUMENT, values).scalar_one(), **values)
        uow.audit.record(
            "document_uploaded", actor, instance_id=application.instance_id, document_id=document.id, document_kind=upload.kind
        )
        return document


def upload_document(
    uow: SchemeUnitOfWork, store: FolderStore, *, actor: str, number: str, upload: Upload
) -> Document:
    """Store a document of an application the actor may see; commits once (the file goes if it fails)."""
    user = uow.users.by_username(actor)
    application = uow.applications.by_number(number)
    if not access.may_see_application(user, application):
        raise NotAllowed(f"You cannot add documents to {number}.")
    (content_type,) = check_uploads([upload], scheme_of(uow.session, application).document_kinds)
    with StoredFiles(store) as files:
        document = files.attach(uow, application, actor, upload, content_type)
        uow.commit()
    return document


def documents_of(uow: SchemeUnitOfWork, *, actor: str, number: str) -> list[Document]:
    user = uow.users.by_username(actor)
    application = uow.applications.by_number(number)
    if not access.may_see_application(user, application):
        raise NotAllowed(Text("cannot_see", f"You cannot see {number}.", number=number))
    scheme = scheme_of(uow.session, application)
    return [
        d for d in uow.session.scalars(select(Document).where(Document.application_id == application.id).order_by(Document.id))
        if access.may_see_document(user, d.kind, scheme)
    ]


def read_document(uow: SchemeUnitOfWork, store: FolderStore, *, actor: str, document_id: int) -> tuple[Document, bytes]:
    user = uow.users.by_username(actor)
    document = uow.session.get(Document, document_id)
    if document is None:
        raise NotAllowed("There is no such document, or you cannot see it.")
    application = uow.applications.get(document.application_id)
    if not access.may_see_application(user, application) or not access.may_see_document(
        user, document.kind, scheme_of(uow.session, application)
    ):
        raise NotAllowed("There is no such document, or you cannot see it.")
    return document, store.read(document.stored_name)
