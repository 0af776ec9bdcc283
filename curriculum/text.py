"""Rules for text people type: names and codes, Lao normalisation, search folding."""

from __future__ import annotations

import re
import unicodedata

from .i18n import Message, _

# Lao spelling variants folded for search (DOMAIN.md, "Lao script").
_LAO_FOLDS = (
    ("\u0eab\u0ea5", "\u0eab\u0ebc"),  # ຫລ (ho + lo) -> ຫຼ (ho + subscript lo)
    ("\u0ecd\u0eb2", "\u0eb3"),  # ໍ + າ -> ຳ
    ("\u0edc", "\u0eab\u0e99"),  # ໜ -> ຫນ
    ("\u0edd", "\u0eab\u0ea1"),  # ໝ -> ຫມ
)
LAO_DIGITS = {0x0ED0 + i: str(i) for i in range(10)}
_SPACES = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))


def normalise(value: str | None) -> str:
    """NFC, no zero-width characters, single spaces, trimmed."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", value).translate(_INVISIBLE)
    return _SPACES.sub(" ", value).strip()


def fold(value: str | None) -> str:
    """A search key: normalised, case-folded, Lao variants and digits folded."""
    value = normalise(value).casefold()
    for variant, canonical in _LAO_FOLDS:
        value = value.replace(variant, canonical)
    return value.translate(LAO_DIGITS)


_FOLD_PAIRS = {variant: canonical for variant, canonical in _LAO_FOLDS if len(variant) == 2}
_FOLD_SINGLES = {variant: canonical for variant, canonical in _LAO_FOLDS if len(variant) == 1}


def fold_map(value: str) -> tuple[str, list[int]]:
    """``fold(value)`` with, for each of its characters, the offset it came from in ``value``.

    ``value`` should already be NFC (stored text is); used to highlight a match
    found in folded text at the right place of the text as written.
    """
    out: list[str] = []
    where: list[int] = []
    i, n = 0, len(value)
    while i < n:
        ch = value[i]
        if ch in "\u200b\u200c\u200d\ufeff":
            i += 1
            continue
        if ch.isspace():
            j = i
            while j < n and value[j].isspace():
                j += 1
            if out and j < n:
                out.append(" ")
                where.append(i)
            i = j
            continue
        pair = value[i : i + 2]
        if pair in _FOLD_PAIRS:
            piece, step = _FOLD_PAIRS[pair], 2
        else:
            piece, step = _FOLD_SINGLES.get(ch, ch).casefold(), 1
        piece = piece.translate(LAO_DIGITS)
        out.extend(piece)
        where.extend([i] * len(piece))
        i += step
    return "".join(out), where


def check_name(
    value: str | None, *, required: bool = True, max_length: int = 100
) -> tuple[str, Message | None]:
    """Clean a name, code or title; return (value, message or None).

    Names refuse ``<`` and ``>`` (nobody's name has them) and control characters.
    """
    value = normalise(value)
    if not value:
        return value, (_("This field is required.") if required else None)
    if len(value) > max_length:
        return value, _("Use at most %(max)d characters.", max=max_length)
    if "<" in value or ">" in value:
        return value, _("Names cannot contain < or >.")
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        return value, _("Remove the control characters.")
    return value, None


def check_text(value: str | None, *, max_length: int = 5000) -> tuple[str, Message | None]:
    """Clean free text: stored as typed (escaped on output), only its length is limited."""
    value = unicodedata.normalize("NFC", value or "").strip()
    if len(value) > max_length:
        return value, _("Use at most %(max)d characters.", max=max_length)
    return value, None


def has_lao(value: str) -> bool:
    return any("\u0e80" <= ch <= "\u0eff" for ch in value)
