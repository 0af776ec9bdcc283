"""Pages of a list: the one paginate() every list page uses (no Flask)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from curriculum.models import Participant
from curriculum.services.paging import Page, paginate


def people(db, n: int, family: str = "Pagingtest") -> list[int]:
    """``n`` people with the same name, so that only their ids tell their order apart."""
    added = [Participant(given_name_latin="Same", family_name_latin=family) for _ in range(n)]
    db.add_all(added)
    db.flush()
    return [p.id for p in added]


def query(family: str = "Pagingtest"):
    return (
        select(Participant)
        .where(Participant.family_name_latin == family)
        .order_by(Participant.given_name_latin, Participant.id)
    )


@contextmanager
def statements(db):
    """The SELECT statements sent to the database inside the block."""
    seen: list[str] = []
    engine = db.get_bind()

    def count(_conn, _cursor, sql, *_args):
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append(sql)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_pages_cover_every_row_once_with_one_count_and_one_select(db):
    ids = people(db, 7)
    with statements(db) as seen:
        first = paginate(db, query(), 1, 3)
    assert len(seen) == 2 and "count(" in seen[0].lower() and "LIMIT" in seen[1]
    second, third = paginate(db, query(), 2, 3), paginate(db, query(), 3, 3)
    assert (first.total, first.pages, first.page, first.per_page) == (7, 3, 1, 3)
    rows = [p.id for page in (first, second, third) for p in page.items]
    assert rows == ids  # rows with equal names in id order: none repeated, none skipped
    assert [len(p.items) for p in (first, second, third)] == [3, 3, 1]
    assert (third.first_number, third.last_number) == (7, 7)


@pytest.mark.parametrize(
    ("asked", "shown"),
    [(0, 1), (-4, 1), ("0", 1), ("abc", 1), ("", 1), (None, 1), ("2", 2), (999, 3), ("10" * 30, 3)],
)
def test_a_page_out_of_range_or_not_a_number_shows_the_first_or_last(db, asked, shown):
    ids = people(db, 7)
    page = paginate(db, query(), asked, 3)
    assert page.page == shown
    assert [p.id for p in page.items] == ids[(shown - 1) * 3 : shown * 3]


def test_an_empty_list_is_one_empty_page(db):
    with statements(db) as seen:
        page = paginate(db, query("Nobodyhere"), 5, 10)
    assert page == Page([], 0, 1, 10) and page.pages == 1 and page.first_number == 0
    assert len(seen) == 1  # the count only


def test_a_page_size_below_one_is_a_programming_error(db):
    with pytest.raises(ValueError):
        paginate(db, query(), 1, 0)
