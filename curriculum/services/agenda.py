"""Laying lesson plans out over a workshop's days (plain values, no database).

A day follows a template of blocks (teaching, break, lunch). Plans are placed in
order; a plan that does not fit in what is left of a block continues in the next
teaching block (after the break, or on the next day), and it is split only
between two of its activities, never inside one. An activity longer than every
teaching block cannot be placed and is reported. Breaks and lunch stay where the
template puts them, on the days and at the times where teaching stands on both sides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ..i18n import _
from ..vocabulary import SessionKind


@dataclass(frozen=True)
class Block:
    start: dt.time
    end: dt.time
    kind: str = SessionKind.SESSION

    @property
    def minutes(self) -> int:
        return _minutes(self.end) - _minutes(self.start)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


# 08:30-16:30 with a break in each half-day and an hour and a half for lunch.
DEFAULT_DAY: tuple[Block, ...] = (
    Block(_t("08:30"), _t("10:00")),
    Block(_t("10:00"), _t("10:15"), "break"),
    Block(_t("10:15"), _t("12:00")),
    Block(_t("12:00"), _t("13:30"), "lunch"),
    Block(_t("13:30"), _t("15:00")),
    Block(_t("15:00"), _t("15:15"), "break"),
    Block(_t("15:15"), _t("16:30")),
)


R = TypeVar("R")


@dataclass(frozen=True)
class PlanItem(Generic[R]):
    ref: R  # what the session will point at (a lesson plan)
    title: str
    activities: tuple[tuple[str, int], ...]  # (title, minutes)


@dataclass
class Placed(Generic[R]):
    day: dt.date
    start: dt.time
    end: dt.time
    kind: str
    title: str
    ref: R | None = None  # the plan's ref; None for a break or lunch
    part: int = 1
    parts: int = 1
    activities: list[str] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return _minutes(self.end) - _minutes(self.start)


def lay_out(
    days: Sequence[dt.date], plans: Sequence[PlanItem[R]], template: Sequence[Block] = DEFAULT_DAY
) -> tuple[list[Placed[R]], list[str]]:
    """Sessions for ``plans`` over ``days``, and what could not be placed."""
    problems: list[str] = []
    placed: list[Placed[R]] = []
    teaching = [b for b in template if b.kind == SessionKind.SESSION]
    if not days or not teaching:
        return [], [str(_("There is no day or no teaching time to lay the plans out in."))]
    longest = max(b.minutes for b in teaching)
    day_index, block_index = 0, 0
    cursor = _minutes(template[0].start)
    used_days: set[int] = set()
    out_of_days = False

    def advance() -> None:
        nonlocal day_index, block_index, cursor
        block_index += 1
        if block_index >= len(template):
            block_index = 0
            day_index += 1
        cursor = _minutes(template[block_index].start)

    for plan in plans:
        if out_of_days:
            problems.append(
                str(_("“%(title)s” does not fit in the workshop's days.", title=plan.title))
            )
            continue
        chunks: list[Placed[R]] = []
        chunk: Placed[R] | None = None
        for title, minutes in plan.activities:
            if minutes > longest:
                problems.append(_too_long(title, plan.title, minutes, longest))
                continue
            while True:
                if day_index >= len(days):
                    out_of_days = True
                    break
                block = template[block_index]
                if block.kind != SessionKind.SESSION or _minutes(block.end) - cursor < minutes:
                    chunk = None
                    advance()
                    continue
                if chunk is None:
                    chunk = Placed(
                        days[day_index],
                        _time(cursor),
                        _time(cursor),
                        SessionKind.SESSION,
                        plan.title,
                        plan.ref,
                    )
                    chunks.append(chunk)
                    used_days.add(day_index)
                cursor += minutes
                chunk.end = _time(cursor)
                chunk.activities.append(title)
                break
            if out_of_days:
                problems.append(
                    str(_("“%(title)s” does not fit in the workshop's days.", title=plan.title))
                )
                break
        for number, c in enumerate(chunks, start=1):
            c.part, c.parts = number, len(chunks)
        placed.extend(chunks)
    for index in sorted(used_days):
        placed.extend(_pauses(days[index], [p for p in placed if p.day == days[index]], template))
    placed.sort(key=lambda p: (p.day, p.start))
    return placed, problems


def _too_long(activity: str, title: str, minutes: int, longest: int) -> str:
    return str(
        _(
            "“%(activity)s” of “%(title)s” lasts %(minutes)d minutes, longer than "
            "any teaching block (%(longest)d): place it by hand.",
            activity=activity,
            title=title,
            minutes=minutes,
            longest=longest,
        )
    )


def _pauses(day: dt.date, sessions: list[Placed[R]], template: Sequence[Block]) -> list[Placed[R]]:
    """The day's breaks and lunch: each stands only between two teaching sessions."""
    return [
        Placed(
            day,
            block.start,
            block.end,
            block.kind,
            str(_("Lunch")) if block.kind == SessionKind.LUNCH else str(_("Break")),
        )
        for block in template
        if block.kind != SessionKind.SESSION
        and any(p.end <= block.start for p in sessions)
        and any(p.start >= block.end for p in sessions)
    ]
