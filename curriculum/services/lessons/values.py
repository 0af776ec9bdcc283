"""Values as the builder's form and the files send them: lines of text, whole numbers, ids."""

from __future__ import annotations


def text_lines(value) -> list[str]:
    items = value if isinstance(value, list) else str(value or "").splitlines()
    return [str(x).strip() for x in items if x and str(x).strip()]


def whole_number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def row_id(value):
    if value in (None, ""):
        return None
    return whole_number(value) if whole_number(value) is not None else -1
