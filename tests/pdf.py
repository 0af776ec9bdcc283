"""Reading a rendered PDF back as a reader's software would: its pages' text (pdftotext
and pypdf), its lines with their positions, and text compared without spacing."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

from pypdf import PdfReader

TRANSLATIONS = Path(__file__).resolve().parents[1] / "app" / "translations"
XHTML = "{http://www.w3.org/1999/xhtml}"


def pages_text(path: Path) -> list[str]:
    count = len(PdfReader(path).pages)
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def lao_text(path: Path) -> list[str]:
    """Each page's text in reading order (pypdf keeps Lao marks with their consonant,
    where pdftotext may move a tone mark to the next word)."""
    return [page.extract_text() for page in PdfReader(path).pages]


# A tone mark over SARA AM (ນ້ຳ) is shaped as NIGGAHITA + tone + SARA AA; the PDF's text
# layer then gives back only SARA AA for that cluster (ນາ). Everything else is exact.
_TONE_AM = re.compile("[\u0ec8-\u0ecb]\u0eb3")


def as_extracted(text: str) -> str:
    return _TONE_AM.sub("\u0eb2", text)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text).replace("\u200b", ""))


def text_lines(path: Path):
    """Each text block's lines as (right edge in points, text), block by block."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ET.fromstring(xml)
    for page in root.iter(f"{XHTML}page"):
        for block in page.iter(f"{XHTML}block"):
            lines = []
            for line in block.iter(f"{XHTML}line"):
                words = [w.text or "" for w in line.iter(f"{XHTML}word")]
                lines.append((float(line.get("xMax")), " ".join(words).replace("\u200b", "")))
            yield lines


def link_uris(path: Path) -> list[str]:
    """The target address of every link annotation in the PDF ("" for an in-document one)."""
    return [
        str((annotation.get_object().get("/A") or {}).get("/URI", ""))
        for page in PdfReader(path).pages
        for annotation in page.get("/Annots") or []
    ]
