"""Real small files for upload tests (made with the same libraries that check them) and polyglots."""

from __future__ import annotations

import atexit
import io
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from workflows.catalogue.schemes import get_scheme
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.documents import FolderStore, Upload


def pdf(*, javascript: str | None = None, attachment: bytes | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if javascript is not None:  # document-level JavaScript, in the catalogue's name tree
        action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(javascript)})
        tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"), writer._add_object(action)])})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    if attachment is not None:
        writer.add_attachment("tool.exe", attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_open_action(kind: str) -> bytes:
    """A one-page PDF whose opening runs a launch (or JavaScript) action."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    if kind == "/Launch":
        action[NameObject("/F")] = TextStringObject("cmd.exe")
    else:
        action[NameObject("/JS")] = TextStringObject("app.alert(1)")
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image(fmt: str, size: tuple[int, int] = (16, 16)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=fmt)
    return out.getvalue()


PDF = pdf()
PNG = image("PNG")
JPEG = image("JPEG")
# The first bytes of a Windows and a Linux executable.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x90" * 256
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x90" * 256


# Uploaded files of use-case-level tests go to one scratch folder, removed when the tests end.
_SCRATCH = tempfile.TemporaryDirectory(prefix="odop-test-uploads-")
atexit.register(_SCRATCH.cleanup)
SCRATCH_STORE = FolderStore(Path(_SCRATCH.name))


def checklist_documents(uow: SchemeUnitOfWork, scheme_code: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """`documents` and `store` for `submit_application`: a real small PDF for each document the
    scheme's checklist needs for this data (submission refuses an application without them)."""
    scheme = get_scheme(uow.session, scheme_code)
    uploads = [Upload(i.type, f"{i.type}.pdf", PDF) for i in scheme.checklist if i.needed(data)]
    return {"documents": uploads, "store": SCRATCH_STORE}


def checklist_form(kinds: Iterable[str]) -> dict[str, tuple[io.BytesIO, str]]:
    """The apply page's file inputs (`document_<type>`), a real PDF in each."""
    return {f"document_{kind}": (io.BytesIO(PDF), f"{kind}.pdf") for kind in kinds}


# The documents each shipped scheme needs for the tests' usual data (tests/web/conftest.py MDA_FORM,
# tests/integration/scheme_helpers.py).
NEEDED = {
    "MM": ("aadhaar", "bank_passbook", "project_report", "caste_certificate"),  # category OBC
    "CFC": ("dpr", "certificate", "member_list"),
    "MDA": ("bills", "travel_bill", "proof_of_participation"),  # a travel fare is claimed
}
