"""Uploaded files are opened before they are accepted (D49): a PDF with a PDF library (pypdf), an
image decoded with Pillow. The first bytes only say what a file claims to be; a file that does not
open as that, carries a program (JavaScript, launch actions, attachments) or has anything after
its end (the usual way to glue an executable to a harmless-looking file) is refused with the reason.
"""

from __future__ import annotations

import io
import logging
import warnings

from PIL import Image
from pypdf import PdfReader

MAX_PIXELS = 60_000_000  # larger images are refused before they are decoded (decompression bombs)
# Bytes allowed after a file's end marker: line ends, spaces and NUL padding some scanners add.
PADDING = b"\r\n\t \x00"
PDF_ACTIONS = ("/JavaScript", "/JS", "/Launch")

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a refused file is reported to its sender, not logged


def problem_with(content_type: str, content: bytes) -> str | None:
    """Why `content` is not an acceptable file of `content_type`, or None when it is."""
    if content_type == "application/pdf":
        return _pdf_problem(content)
    if content_type in ("image/jpeg", "image/png"):
        return _image_problem(content_type, content)
    return "Only PDF, JPEG and PNG files are accepted."


def _pdf_problem(content: bytes) -> str | None:
    if not content.rstrip(PADDING).endswith(b"%%EOF"):
        return "The PDF has data after its end (%%EOF); save or print it as PDF again."
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return "The PDF is protected by a password; upload it without the protection."
        if len(reader.pages) == 0:
            return "The PDF has no pages."
        if reader.attachments:
            return "The PDF carries attached files; upload each document on its own."
        if _has_actions(reader):
            return "The PDF contains scripts or launch actions; save or print it as PDF again."
    except Exception as err:  # a parser fed hostile input may fail in any way; every failure refuses the file
        return f"The file starts like a PDF but cannot be read as one ({type(err).__name__})."
    return None


def _has_actions(reader: PdfReader) -> bool:
    """JavaScript or launch actions in the document catalogue or on any page."""
    catalog = reader.trailer["/Root"]
    names = catalog.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        return True
    places = [catalog.get("/OpenAction"), catalog.get("/AA")]
    for page in reader.pages:
        places.append(page.get("/AA"))
        for annotation in page.get("/Annots") or []:
            places += [annotation.get_object().get("/A"), annotation.get_object().get("/AA")]
    return any(_mentions_action(place) for place in places if place is not None)


def _mentions_action(obj: object, depth: int = 0) -> bool:
    obj = obj.get_object() if hasattr(obj, "get_object") else obj
    if depth > 8:
        return False
    if isinstance(obj, dict):
        if str(obj.get("/S")) in PDF_ACTIONS or "/JS" in obj or "/JavaScript" in obj:
            return True
        return any(_mentions_action(v, depth + 1) for k, v in obj.items() if k not in ("/Parent", "/P"))
    if isinstance(obj, list):
        return any(_mentions_action(v, depth + 1) for v in obj)
    return False


def _image_problem(content_type: str, content: bytes) -> str | None:
    expected = "JPEG" if content_type == "image/jpeg" else "PNG"
    end = b"\xff\xd9" if expected == "JPEG" else b"IEND\xaeB`\x82"
    tail = content.rstrip(PADDING) if expected == "JPEG" else content  # a PNG ends exactly with IEND
    if not tail.endswith(end):
        return f"The {expected} image has data after its end; save it again as {expected}."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format != expected:
                    return f"The file starts like a {expected} image but is {image.format}."
                if image.width * image.height > MAX_PIXELS:
                    return f"The image is too large ({image.width} × {image.height} pixels)."
                image.verify()  # the structure (and a PNG's checksums)
            with Image.open(io.BytesIO(content)) as image:
                image.load()  # decodes every pixel: a broken or truncated image fails here
    except Exception as err:  # as for PDFs: any failure to decode refuses the file
        if isinstance(err, Image.DecompressionBombError | Image.DecompressionBombWarning):
            return "The image has too many pixels to be opened safely."
        return f"The file starts like a {expected} image but cannot be decoded ({type(err).__name__})."
    return None
