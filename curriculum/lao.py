"""Lao words and order, from ICU (PyICU): word boundaries and collation.

Lao is written without spaces between words. ICU's dictionary-based word
break iterator (the one browsers use) finds the boundaries; the PDF pipeline
inserts U+200B there so that Pango can break lines, and search uses them to
tell a whole-word match from a part of a word. ICU's collation for "lo" sorts
Lao words in dictionary order (code-point order puts words written with a
leading vowel out of place).
"""

from __future__ import annotations

import re
import threading

import icu

ZWSP = "\u200b"
_LAO_RUN = re.compile(r"[\u0e80-\u0eff]+")
_local = threading.local()


def _iterator() -> icu.BreakIterator:
    # A BreakIterator keeps state, so each thread gets its own.
    it = getattr(_local, "words", None)
    if it is None:
        it = _local.words = icu.BreakIterator.createWordInstance(icu.Locale("lo"))
    return it


def is_lao(ch: str) -> bool:
    return "\u0e80" <= ch <= "\u0eff"


def boundaries(text: str) -> set[int]:
    """Offsets in ``text`` where a word starts or ends (0 and len(text) included)."""
    it = _iterator()
    it.setText(text)
    result = {it.first()}
    result.update(it)
    return result


def words(text: str) -> list[str]:
    """``text`` cut at its word boundaries (spaces and punctuation are pieces too)."""
    cuts = sorted(boundaries(text))
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def insert_breaks(text: str) -> str:
    """``text`` with U+200B between adjacent Lao words, so a renderer may break lines there."""
    if not _LAO_RUN.search(text):
        return text

    def run(match: re.Match) -> str:
        return ZWSP.join(words(match.group(0)))

    return _LAO_RUN.sub(run, text)


def strip_breaks(text: str) -> str:
    return text.replace(ZWSP, "")


def collation_key(text: str) -> bytes:
    collator = getattr(_local, "collator", None)
    if collator is None:
        collator = _local.collator = icu.Collator.createInstance(icu.Locale("lo"))
    return collator.getSortKey(text)
