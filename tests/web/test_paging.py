"""Every list that grows with the data is paged: pages that differ, figures for the whole
list, out-of-range and nonsense page numbers, and a page whose size and number of
statements do not grow with the list.

The lists are made a little longer than a page lowered with the PAGE_SIZES setting; the
real sizes are used where the size of a page is measured."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from curriculum.models import AuditEvent, Participant, ParticipantImport, Registration, Rollout
from curriculum.permissions import SYSTEM
from curriculum.services import lessons, workshops
from curriculum.services import participants as ps
from curriculum.vocabulary import ImportStatus
from tests.conftest import add_session, make_trainer, make_workshop, sign_in

START = dt.date(2027, 10, 5)
DAY2 = START + dt.timedelta(days=1)
NONSENSE = ("0", "-3", "abc", "", "1.5", "%00")


@pytest.fixture
def coordinator(client, people):
    sign_in(client, people["users"]["coordinator"])
    return client


@pytest.fixture
def admin(client, people):
    sign_in(client, people["users"]["admin"])
    return client


def small_pages(app, **sizes) -> None:
    app.config["PAGE_SIZES"] = sizes  # the app fixture puts the configuration back


def new_workshop(db, target: int):
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "Paging", "start_date": START, "end_date": DAY2}
    )
    workshop = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Paging workshop",
            "province": "LA-OU",
            "start_date": START,
            "end_date": DAY2,
            "target_participants": target,
        },
    )
    workshop.status = "confirmed"
    return workshop


def register_people(db, workshop, sexes: list[str], seats: int, prefix: str = "Pg") -> list[str]:
    """One person per sex given, the first ``seats`` seated and the rest waitlisted; their
    Latin given names (Pg00, Pg01, ...) in the list's order."""
    names = []
    for n, sex in enumerate(sexes):
        name = f"{prefix}{n:04d}"
        seated = n < seats
        db.add(
            Registration(
                workshop=workshop,
                participant=Participant(given_name_latin=name, family_name_latin="Listed", sex=sex),
                status="registered" if seated else "waitlisted",
                waitlist_position=None if seated else n - seats + 1,
            )
        )
        names.append(name)
    db.commit()
    return names


def shown(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def check_pages(client, url: str, pattern: str, pages: int) -> list[list[str]]:
    """The rows (``pattern``'s matches) of each of the ``pages`` pages of ``url``; each page
    differs from the others and says where it stands. Page 0, a negative or nonsense
    number shows the first page; one past the end, the last."""
    join = "&" if "?" in url else "?"
    rows = [shown(get(client, f"{url}{join}page={n}"), pattern) for n in range(1, pages + 1)]
    assert all(rows), rows
    for a in range(pages):
        for b in range(a + 1, pages):
            assert not set(rows[a]) & set(rows[b]), (a + 1, b + 1, rows)
    first, last = get(client, f"{url}{join}page=1"), get(client, f"{url}{join}page={pages}")
    assert f"Page 1 of {pages}" in first and f"Page {pages} of {pages}" in last
    for nonsense in NONSENSE:
        assert shown(get(client, f"{url}{join}page={nonsense}"), pattern) == rows[0], nonsense
    for beyond in (pages + 1, 999, 10**30):
        html = get(client, f"{url}{join}page={beyond}")
        assert shown(html, pattern) == rows[-1] and f"Page {pages} of {pages}" in html
    return rows


# -- a workshop's participants --------------------------------------------------------------


def test_a_workshops_list_is_paged_with_figures_for_everyone(app, coordinator, db):
    small_pages(app, registrations=4)
    workshop = new_workshop(db, target=6)
    sexes = ["female", "female", "male", "female", "other", "male"] + ["male"] * 4
    names = register_people(db, workshop, sexes, seats=6)
    url = f"/participants/workshops/{workshop.id}"
    rows = check_pages(coordinator, url, r"Pg\d{4}", pages=3)
    assert [name for page in rows for name in page] == names  # the list's order, once each

    for page in (1, 3):  # the figures are for the whole list on every page
        html = get(coordinator, f"{url}?page={page}")
        assert "6 of 6 seats taken; 4 on the waitlist." in html
        assert "10 registrations, cancelled ones included." in html
        female, male, other = (
            re.search(rf"<th scope=\"row\">{label}</th><td class=\"num\">(\d+)</td>", html)
            for label in ("Female", "Male", "Other")
        )
        assert female and male and other
        assert (female[1], male[1], other[1]) == ("3", "2", "1")  # the six seated people
    assert "Shown here: 9 to 10." in get(coordinator, f"{url}?page=3")


def test_a_status_change_returns_to_its_page_and_the_search_still_works(app, coordinator, db):
    small_pages(app, registrations=3)
    workshop = new_workshop(db, target=2)
    register_people(db, workshop, ["female"] * 7, seats=2)
    ps.create_participant(db, SYSTEM, {"given_name_latin": "Findme", "family_name_latin": "Out"})
    listed = ps.create_participant(
        db, SYSTEM, {"given_name_latin": "Findme", "family_name_latin": "Listed"}
    )
    waiting = ps.register(db, SYSTEM, workshop.id, listed.id)  # on the last page
    db.commit()
    url = f"/participants/workshops/{workshop.id}"

    html = get(coordinator, f"{url}?q=findme&page=2")
    offered = html[html.index('<ul class="checklist">') :]
    offered = offered[: offered.index("</ul>")]
    assert "Findme Out" in offered and "Listed" not in offered  # listed: not offered again
    assert shown(html, r"Pg\d{4}") == ["Pg0003", "Pg0004", "Pg0005"]
    assert f"{url}?q=findme&amp;page=3" in html  # the next page keeps the search

    response = coordinator.post(
        f"/participants/registrations/{waiting.id}/status",
        data={"status": "cancelled", "lock_version": waiting.lock_version, "page": "3"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}?page=3#list")
    db.refresh(waiting)
    assert waiting.status == "cancelled"


def count_selects(engine):
    @contextmanager
    def counting():
        seen: list[str] = []

        def count(_conn, _cursor, sql, *_args):
            if sql.lstrip().upper().startswith("SELECT"):
                seen.append(sql)

        event.listen(engine, "before_cursor_execute", count)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", count)

    return counting


def test_a_workshops_list_page_does_not_grow_with_its_registrations(coordinator, db, engine):
    """With the real page size: 1,000 people registered make a page no larger, and no more
    statements, than 60 do."""
    workshop = new_workshop(db, target=30)
    register_people(db, workshop, ["female", "male"] * 30, seats=30)
    url = f"/participants/workshops/{workshop.id}"
    counting = count_selects(engine)
    get(coordinator, url)
    with counting() as few:
        small = coordinator.get(url).data
    register_people(db, workshop, ["female", "male"] * 470, seats=0, prefix="Qg")
    with counting() as many:
        large = coordinator.get(url).data
    assert len(large) < 150 * 1024, len(large)
    assert len(large) < len(small) + 2 * 1024  # the same rows; only the figures change
    assert len(many) == len(few), (len(few), len(many))
    assert "30 of 30 seats taken; 970 on the waitlist." in large.decode()


def test_the_attendance_grid_lists_the_seated_people_only(coordinator, db, engine):
    workshop = new_workshop(db, target=3)
    register_people(db, workshop, ["female"] * 3, seats=3)
    counting = count_selects(engine)
    url = f"/participants/workshops/{workshop.id}/attendance"
    get(coordinator, url)
    with counting() as few:
        html = get(coordinator, url)
    register_people(db, workshop, ["male"] * 1200, seats=0, prefix="Wt")
    with counting() as many:
        after = get(coordinator, url)
    assert shown(after, r"Pg\d{4}") == shown(html, r"Pg\d{4}") and "Wt0" not in after
    assert len(many) == len(few), (len(few), len(many))


# -- the other lists ------------------------------------------------------------------------


def test_the_people_index_is_paged_and_counts_everyone_found(app, coordinator, db):
    small_pages(app, participants=3)
    for n in range(7):
        ps.create_participant(
            db, SYSTEM, {"given_name_latin": f"Pi{n:04d}", "family_name_latin": "Indexed"}
        )
    db.commit()
    rows = check_pages(coordinator, "/participants/?q=indexed", r"Pi\d{4}", pages=3)
    assert [len(page) for page in rows] == [3, 3, 1]
    assert "7 people found" in get(coordinator, "/participants/?q=indexed&page=2")
    html = get(coordinator, "/participants/")
    assert re.search(r"\d+ people known", html) and "Page 1 of " in html


def test_lesson_plans_are_paged(app, coordinator, db, people):
    small_pages(app, lesson_plans=2)
    author = people["users"]["coordinator"]
    for n in range(5):
        lessons.create_plan(
            db, author, module_code="M04", language="en", title=f"Pagedplan Lp{n:04d}"
        )
    db.commit()
    rows = check_pages(coordinator, "/lessons/?q=pagedplan", r"Lp\d{4}", pages=3)
    assert [name for page in rows for name in page] == [f"Lp{n:04d}" for n in range(5)]
    assert "5 plans" in get(coordinator, "/lessons/?q=pagedplan&page=3")


def test_rollouts_are_paged_latest_first(app, coordinator, db):
    small_pages(app, rollouts=2)
    for n in range(5):  # later than any other rollout, so first in the list
        start = dt.date(2090, 1, 1) + dt.timedelta(days=n)
        db.add(Rollout(name=f"Ro{n:04d}", start_date=start, end_date=start))
    db.commit()
    rows = [shown(get(coordinator, f"/workshops/?page={n}"), r"Ro\d{4}") for n in (1, 2, 3)]
    assert rows == [["Ro0004", "Ro0003"], ["Ro0002", "Ro0001"], ["Ro0000"]]
    html = get(coordinator, "/workshops/")
    total = int(re.search(r"(\d+) rollouts, the latest first", html)[1])  # type: ignore[index]
    pages = -(-total // 2)
    assert f"Page 1 of {pages}" in html
    for nonsense in NONSENSE:
        assert shown(get(coordinator, f"/workshops/?page={nonsense}"), r"Ro\d{4}") == rows[0]
    assert f"Page {pages} of {pages}" in get(coordinator, "/workshops/?page=999")


def test_a_workshops_uploaded_lists_are_paged(app, coordinator, db):
    small_pages(app, imports=2)
    workshop = new_workshop(db, target=5)
    for n in range(5):
        db.add(
            ParticipantImport(
                workshop=workshop,
                filename=f"Up{n:04d}.xlsx",
                created_at=dt.datetime(2027, 9, 1 + n, tzinfo=dt.UTC),
                rows={"columns": [], "rows": []},
                status=ImportStatus.IMPORTED if n == 0 else ImportStatus.OPEN,
                imported_count=12 if n == 0 else 0,
            )
        )
    db.commit()
    url = f"/participants/workshops/{workshop.id}/import"
    rows = check_pages(coordinator, url, r"Up\d{4}", pages=3)
    assert rows == [["Up0004", "Up0003"], ["Up0002", "Up0001"], ["Up0000"]]
    html = get(coordinator, f"{url}?page=3")
    assert "5 lists, the latest first." in html and "Imported: 12 people registered" in html


def _audited_trainer(db, label: str, events: int):
    """A trainer with ``events`` audit events, an hour apart, labelled label0000, ..."""
    trainer = make_trainer(db)
    for n in range(events):
        db.add(
            AuditEvent(
                actor_label="command line",
                action="update",
                object_type="Trainer",
                object_id=trainer.id,
                object_label=f"{label}{n:04d}",
                changes={},
                at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n),
            )
        )
    db.commit()
    return trainer


def test_the_audit_log_stays_paged(app, admin, db):
    small_pages(app, audit=2)
    trainer = _audited_trainer(db, "Au", 5)
    url = f"/admin/audit?object_type=Trainer&object_id={trainer.id}"
    rows = check_pages(admin, url, r"Au\d{4}", pages=3)
    assert rows == [["Au0004", "Au0003"], ["Au0002", "Au0001"], ["Au0000"]]
    assert "5 events" in get(admin, f"{url}&page=2")


def test_the_trainer_list_takes_its_page_size_from_the_setting(app, coordinator, db):
    small_pages(app, trainers=2)
    for n in range(5):
        make_trainer(db, given_name_latin="Tr", family_name_latin=f"Tr{n:04d}")
    db.commit()
    rows = check_pages(coordinator, "/trainers/?q=tr00", r"Tr\d{4}", pages=3)
    assert [name for page in rows for name in page] == [f"Tr{n:04d}" for n in range(5)]


def test_the_audit_log_past_its_last_page_shows_the_last_page(admin, db):
    """With the real page size (50): page 999 of 52 events is page 2, not an empty page."""
    trainer = _audited_trainer(db, "Av", 52)
    html = get(admin, f"/admin/audit?object_type=Trainer&object_id={trainer.id}&page=999")
    assert "Page 2 of 2" in html and shown(html, r"Av\d{4}") == ["Av0001", "Av0000"]


def test_a_workshop_page_offers_every_agenda_to_copy_in_a_fixed_number_of_statements(
    coordinator, db, engine
):
    workshop = new_workshop(db, target=5)
    db.commit()

    def with_agenda(numbers: range) -> None:
        for i in numbers:
            start = dt.date(2088, 1, 1) + dt.timedelta(days=i)
            rollout = Rollout(name=f"Copy {i}", start_date=start, end_date=start)
            source = make_workshop(db, rollout, start=start, days=1, title=f"Cp{i:04d}")
            add_session(db, source, "09:00", "10:00")
        db.commit()

    with_agenda(range(2))
    counting = count_selects(engine)
    url = f"/workshops/{workshop.id}"
    get(coordinator, url)
    with counting() as few:
        html = get(coordinator, url)
    with_agenda(range(2, 10))
    with counting() as many:
        after = get(coordinator, url)
    assert shown(html, r"Cp\d{4}") == ["Cp0001", "Cp0000"]  # latest rollout first
    assert shown(after, r"Cp\d{4}") == [f"Cp{i:04d}" for i in range(9, -1, -1)]
    assert len(many) == len(few), (len(few), len(many))
