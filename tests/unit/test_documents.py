"""Upload checks: by content, not by name; size; names with paths."""

from __future__ import annotations

import pytest

from tests.files import PDF
from workflows.errors import ValidationFailed
from workflows.usecases.documents import MAX_BYTES, check_upload, sniff


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"%PDF-1.7\n", "application/pdf"), (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"), (b"\x89PNG\r\n\x1a\nIHDR", "image/png"),
     (b"GIF89a", None), (b"<html><script>", None), (b"PK\x03\x04", None)],
)
def test_sniff(content: bytes, expected: str | None) -> None:
    assert sniff(content) == expected


@pytest.mark.parametrize("name", ["../a.pdf", "a/b.pdf", "C:\\x\\a.pdf", ".htaccess", "a\0.pdf", ""])
def test_names_with_paths_are_refused(name: str) -> None:
    with pytest.raises(ValidationFailed, match="file"):
        check_upload(name, b"%PDF-1.4")


def test_a_pdf_named_png_is_accepted_as_what_it_is() -> None:
    assert check_upload("scan.png", PDF) == "application/pdf"


def test_size_limit_and_empty_files() -> None:
    with pytest.raises(ValidationFailed, match="larger than 5 MB"):
        check_upload("big.pdf", b"%PDF" + b"0" * MAX_BYTES)
    with pytest.raises(ValidationFailed, match="empty"):
        check_upload("empty.pdf", b"")
