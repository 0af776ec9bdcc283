"""Checks on rendered PDFs that the text layer alone cannot make."""

from __future__ import annotations

import io
from pathlib import Path

from fontTools.ttLib import TTFont
from pypdf import PdfReader

DOTTED_CIRCLE = 0x25CC


def dotted_circles(pdf: bytes | Path) -> list[str]:
    """The fonts of ``pdf`` that drew a dotted circle (U+25CC).

    A shaper draws one before a vowel or tone mark that has no consonant to sit on: the
    sign of Lao text laid out one character at a time. The text layer still reads right
    (its ToUnicode gives the characters typed), but the font subset embedded in the PDF
    holds the dotted circle's outline only when it was drawn. Our documents never type
    the character itself, so any such glyph is a broken cluster.
    """
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    found = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is None:
                continue
            descriptor = descriptor.get_object()
            stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            if stream is None:
                continue
            ttf = TTFont(io.BytesIO(stream.get_object().get_data()))
            glyph = (ttf.getBestCmap() or {}).get(DOTTED_CIRCLE)
            if glyph and "glyf" in ttf and ttf["glyf"][glyph].numberOfContours:
                found.add(str(font["/BaseFont"]))
    return sorted(found)
