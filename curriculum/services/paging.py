"""Pages of a list that grows with the data: one COUNT and one LIMIT/OFFSET query each.

Every list page (trainers, participants, a workshop's registrations, lesson plans,
rollouts, imports, the audit log) is a :class:`Page` made by :func:`paginate`. Its
query must order the rows completely (end the ORDER BY with the primary key), so that
moving from one page to the next neither repeats nor skips a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, and where it stands in the whole list."""

    items: list[T]
    total: int  # rows in the whole list, not only on this page
    page: int  # 1 for the first page
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the list has (one, even when it is empty)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def first_number(self) -> int:
        """The position in the whole list of this page's first row (0 when it is empty)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_number(self) -> int:
        return (self.page - 1) * self.per_page + len(self.items)


def page_number(value: Any) -> int:
    """A page number as sent (``?page=``): a whole number, or the first page for anything
    else. :func:`paginate` brings it within the list."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 1


def paginate(db: Session, query: Select, page: Any, per_page: int) -> Page[Any]:
    """The ``page``-th page of ``query``'s rows (its first column), ``per_page`` at a time.

    A number below 1, or anything that is not a number, gives the first page; one past
    the last gives the last page. ``query`` must order its rows completely (see the
    module's note)."""
    if per_page < 1:
        raise ValueError(f"per_page must be 1 or more, not {per_page!r}")
    counted = query.order_by(None).subquery()
    total = db.scalar(select(func.count()).select_from(counted)) or 0
    last = max(1, -(-total // per_page))
    number = min(max(1, page_number(page)), last)
    items = list(db.scalars(query.limit(per_page).offset((number - 1) * per_page))) if total else []
    return Page(items, total, number, per_page)
