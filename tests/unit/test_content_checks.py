"""Uploads are opened before they are accepted: polyglots and disguised programs are refused with
the reason; real PDF, PNG and JPEG files pass."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfWriter

from tests import files
from workflows.errors import ValidationFailed
from workflows.usecases.documents import check_upload


def _encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("pdf-header-then-exe.pdf", b"%PDF-1.7\n" + files.EXE, "data after its end"),
        ("pdf-header-then-elf.pdf", b"%PDF-1.4\n%%EOF\n" + files.ELF + b"\n%%EOF\n", "cannot be read as one"),
        ("pdf-then-exe.pdf", files.PDF + files.EXE, "data after its end"),
        ("pdf-javascript.pdf", files.pdf(javascript="app.alert('hi')"), "scripts or launch actions"),
        ("pdf-open-launch.pdf", files.pdf_with_open_action("/Launch"), "scripts or launch actions"),
        ("pdf-open-js.pdf", files.pdf_with_open_action("/JavaScript"), "scripts or launch actions"),
        ("pdf-attachment.pdf", files.pdf(attachment=files.EXE), "attached files"),
        ("pdf-encrypted.pdf", _encrypted_pdf(), "protected by a password"),
        ("png-then-exe.png", files.PNG + files.EXE, "data after its end"),
        ("png-header-then-exe.png", b"\x89PNG\r\n\x1a\n" + files.EXE + b"IEND\xaeB`\x82", "cannot be decoded"),
        ("png-truncated.png", files.PNG[:60] + b"IEND\xaeB`\x82", "cannot be decoded"),
        ("jpeg-then-zip.jpg", files.JPEG + b"PK\x03\x04" + b"\x00" * 64, "data after its end"),
        ("jpeg-header-then-exe.jpg", b"\xff\xd8\xff\xe0" + files.EXE + b"\xff\xd9", "cannot be decoded"),
        ("png-inside-a-jpeg.jpg", b"\xff\xd8\xff" + files.PNG[3:] + b"\xff\xd9", "cannot be decoded"),
    ],
)
def test_polyglots_are_refused_with_the_reason(name: str, content: bytes, reason: str) -> None:
    with pytest.raises(ValidationFailed, match="not accepted") as refused:
        check_upload(name, content)
    assert any(reason in problem for problem in refused.value.fields["file"]), refused.value.fields


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(files.PDF, "application/pdf"), (files.PDF + b"\r\n\x00\x00", "application/pdf"), (files.PNG, "image/png"),
     (files.JPEG, "image/jpeg"), (files.image("JPEG", (1200, 900)), "image/jpeg")],
)
def test_real_files_are_accepted(content: bytes, content_type: str) -> None:
    assert check_upload("scan", content) == content_type


def test_an_image_bomb_is_refused_before_it_is_decoded() -> None:
    bomb = io.BytesIO()
    Image.new("1", (12_000, 8_000)).save(bomb, format="PNG")  # 96 megapixels in a few kilobytes
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(ValidationFailed, match="pixels"):
        check_upload("bomb.png", bomb.getvalue())
