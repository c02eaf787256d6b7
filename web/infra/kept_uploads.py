"""Files of a refused application form, kept for its next sending (D73).

A browser cannot fill a file input again, so when the server refuses an application (a field
wrong, a required document missing) the files that passed the content checks are kept in
`<upload dir>/kept/` under random names, and the page carries a signed token per file (this user
only, for six hours) in place of the file; sending the form again sends the tokens, and the files
come back as uploads. Unticking a kept file drops it. Accepted or not, kept files older than six
hours are removed whenever files are kept."""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from web.infra.extensions import settings
from workflows.errors import ValidationFailed
from workflows.usecases.documents import FolderStore, Upload, check_upload

MAX_AGE = 6 * 3600
FIELD = "kept_upload"


@dataclass(frozen=True)
class KeptFile:
    token: str
    kind: str
    filename: str


def _store() -> FolderStore:
    return FolderStore(settings().upload_dir / "kept")


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.secret_key), salt="odop-kept-upload")


def restore(tokens: list[str], username: str) -> list[tuple[KeptFile, Upload]]:
    """The kept files the tokens name (this user's, not expired, still there); others are ignored."""
    out = []
    for token in dict.fromkeys(tokens):
        try:
            data = _signer().loads(token, max_age=MAX_AGE)
            if data["u"] != username:
                continue
            content = _store().read(data["n"])
        except (BadSignature, KeyError, TypeError, OSError):
            continue
        out.append((KeptFile(token, data["k"], data["f"]), Upload(data["k"], data["f"], content)))
    return out


def keep(uploads: list[Upload], username: str) -> list[KeptFile]:
    """Keep the uploads that pass the content checks; a token for each."""
    _remove_old()
    kept = []
    for upload in uploads:
        try:
            check_upload(upload.filename, upload.content)
        except ValidationFailed:
            continue  # refused files are not kept: the page says why
        name = _store().save(upload.content)
        token = _signer().dumps({"n": name, "k": upload.kind, "f": upload.filename[:200], "u": username})
        kept.append(KeptFile(token, upload.kind, upload.filename[:200]))
    return kept


def forget(kept: list[KeptFile]) -> None:
    """Remove kept files once the form was accepted (their content is stored with the application)."""
    for file in kept:
        try:
            _store().delete(_signer().loads(file.token)["n"])
        except (BadSignature, KeyError, OSError):
            continue


def _remove_old() -> None:
    folder = _store().folder
    if not folder.is_dir():
        return
    limit = time.time() - MAX_AGE
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
