"""Rules for text people type: names and codes, Lao normalisation, search folding."""

from __future__ import annotations

import re
import unicodedata

from .i18n import _

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


def check_name(
    value: str | None, *, required: bool = True, max_length: int = 100
) -> tuple[str, str | None]:
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


def check_text(value: str | None, *, max_length: int = 5000) -> tuple[str, str | None]:
    """Clean free text: stored as typed (escaped on output), only its length is limited."""
    value = unicodedata.normalize("NFC", value or "").strip()
    if len(value) > max_length:
        return value, _("Use at most %(max)d characters.", max=max_length)
    return value, None


def has_lao(value: str) -> bool:
    return any("\u0e80" <= ch <= "\u0eff" for ch in value)
