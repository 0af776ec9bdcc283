"""Grids saved as a whole (attendance, results, the delivery record), merged cell by cell.

A grid page carries, for every row, a stamp of what each of its cells showed when the
page was opened. On save each cell is compared three ways (what the page showed, what
the user sent, what is stored now):

- a cell only the user changed takes the user's value;
- a cell only someone else changed keeps theirs, silently (no lost update);
- a cell both changed, to different values, is a conflict: nothing is stored, the row
  says what the other person saved, the user's input stays on the page, and the page's
  stamp becomes the new one, so saving again stores the user's value on purpose.

A row sent without a stamp (or with one that does not fit the row) is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ..errors import StaleObject
from ..i18n import Message, _

Key = TypeVar("Key", bound=Hashable)
Row = Mapping[str, object]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _hash(value: object) -> str:
    return hashlib.sha256(_text(value).encode()).hexdigest()[:8]


def stamp(values: Row) -> str:
    """What a row's cells show, one short fingerprint per cell (in the order of the names)."""
    return ".".join(_hash(values[name]) for name in sorted(values))


@dataclass
class Merge(Generic[Key]):
    """``store``: the rows to write, with their merged values; ``conflicts``: rows where a
    cell was changed both here and by someone else (what they now hold); ``shown``: every
    sent row as the page shows it again if the save is refused (the user's changes over
    what is stored now)."""

    store: dict[Key, dict[str, str]] = field(default_factory=dict)
    conflicts: dict[Key, Row] = field(default_factory=dict)
    shown: dict[Key, dict[str, str]] = field(default_factory=dict)


def _refused() -> StaleObject:
    return StaleObject(
        _(
            "The page did not say what each row held when it was opened, so nothing "
            "was saved: reload the page and enter your changes again."
        )
    )


def merge(seen: Mapping[Key, str], current: Mapping[Key, Row], sent: Mapping[Key, Row]) -> Merge:
    """Merge the rows of a saved grid cell by cell (see the module's text). ``current``
    holds every row still on the grid; a row sent that is no longer there is the caller's
    to refuse."""
    result: Merge = Merge()
    for key, mine in sent.items():
        now = current[key]
        names = sorted(now)
        was = (seen.get(key) or "").split(".")
        if len(was) != len(names):
            raise _refused()
        merged, clash = {}, False
        for name, before in zip(names, was, strict=True):
            mine_value, their_value = _text(mine.get(name)), _text(now[name])
            mine_changed = _hash(mine_value) != before
            if mine_changed and _hash(their_value) != before and mine_value != their_value:
                clash = True
            merged[name] = mine_value if mine_changed else their_value
        result.shown[key] = merged
        if clash:
            result.conflicts[key] = now
        elif merged != {name: _text(now[name]) for name in names}:
            result.store[key] = merged
    return result


def conflict_message(summary: Message) -> Message:
    return _(
        "Someone else saved this row after you opened the page: it now reads %(theirs)s. "
        "Your entries are kept here; save again to store them instead.",
        theirs=summary,
    )


def redisplay(
    seen: Mapping[Key, str], current: Mapping[Key, Row], sent: Mapping[Key, Row]
) -> dict[Key, dict[str, str]]:
    """After a refused save: each row as the page shows it again, the user's changes over
    what is stored now (what is stored, when the page sent no usable stamps)."""
    try:
        return merge(seen, current, {k: v for k, v in sent.items() if k in current}).shown
    except StaleObject:
        return {}
