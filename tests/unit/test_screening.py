"""Untrusted process files are screened before any parser resolves anything."""

from pathlib import Path

import pytest

from engine.validation import MAX_FILE_BYTES, screen

FIXTURE = (Path(__file__).parent.parent / "fixtures" / "two_steps.bpmn").read_bytes()


def _messages(files: dict[str, bytes]) -> str:
    return " | ".join(str(p) for p in screen(files)[1])


def test_good_file_passes() -> None:
    screened, problems = screen({"two_steps.bpmn": FIXTURE})
    assert problems == [] and list(screened.bpmn) == ["two_steps.bpmn"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', "DOCTYPE"),
        (b"<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;'>]><a>&lol2;</a>", "DOCTYPE"),
        (b"this is not xml", "not well-formed"),
        (b"<html><body/></html>", "neither BPMN nor DMN"),
        (b"\xff\xfe<bpmn/>", "not UTF-8"),
        (b"<a>" + b" " * (MAX_FILE_BYTES + 1) + b"</a>", "the limit is"),
    ],
)
def test_hostile_or_broken_files_are_refused(content: bytes, fragment: str) -> None:
    assert fragment in _messages({"upload.bpmn": content})


def test_paths_in_file_names_are_refused() -> None:
    assert "path" in _messages({"../../etc/passwd.bpmn": FIXTURE})


def test_nothing_to_deploy() -> None:
    assert "No files" in _messages({})
