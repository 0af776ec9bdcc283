"""People, duplicates, merging, the waitlist, attendance and paper results (no Flask)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from curriculum.errors import ValidationError
from curriculum.models import Attendance, AuditEvent, Participant, Registration
from curriculum.permissions import SYSTEM
from curriculum.services import participants as ps
from curriculum.services import workshops

START = dt.date(2027, 5, 4)
DAY2 = START + dt.timedelta(days=1)


def new_workshop(db, target=30, title="Bokeo", status="confirmed"):
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": f"R {title}", "start_date": START, "end_date": DAY2}
    )
    w = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": title,
            "province": "LA-BK",
            "start_date": START,
            "end_date": DAY2,
            "target_participants": target,
        },
    )
    w.status = status
    db.flush()
    return w


def person(db, given="Somsak", family="Keo", **values):
    return ps.create_participant(
        db, SYSTEM, {"given_name_latin": given, "family_name_latin": family, **values}
    )


def test_a_person_needs_a_name_and_valid_details(db):
    with pytest.raises(ValidationError) as err:
        ps.create_participant(
            db, SYSTEM, {"sex": "unknown", "birth_year": "198x", "province": "LA-ZZ"}
        )
    assert set(err.value.errors) >= {"given_name_lo", "sex", "birth_year", "province"}
    p = ps.create_participant(
        db,
        SYSTEM,
        {"given_name_lo": "ສົມສັກ", "family_name_lo": "ແກ້ວ", "phone": "+856 20 5555 1234"},
    )
    assert p.sex == "not_recorded"
    assert "55551234" in p.search_key


def test_likely_duplicates_by_name_in_either_script_or_phone(db):
    a = person(db, given_name_lo="ສົມສັກ", family_name_lo="ແກ້ວ", phone="020 5555 1234")
    person(db, "Other", "Person")
    assert ps.likely_duplicates(
        db,
        {
            "given_name_latin": "SOMSAK",
            "family_name_latin": "keo",
            "given_name_lo": "",
            "family_name_lo": "",
            "phone": "",
        },
    ) == [a]
    by_lao = {
        "given_name_latin": "",
        "family_name_latin": "",
        "given_name_lo": "ສົມສັກ",
        "family_name_lo": "ແກ້ວ",
        "phone": "",
    }
    assert ps.likely_duplicates(db, by_lao) == [a]
    by_phone = {
        "given_name_latin": "X",
        "family_name_latin": "Y",
        "given_name_lo": "",
        "family_name_lo": "",
        "phone": "+856 20 5555 1234",
    }
    assert ps.likely_duplicates(db, by_phone) == [a]
    assert ps.likely_duplicates(db, by_phone, exclude_id=a.id) == []
    assert ps.search_participants(db, SYSTEM, "somsak") == [a]
    assert ps.search_participants(db, SYSTEM, "ສົມສັກ") == [a]


def test_merging_keeps_every_registration_and_attendance(db):
    w1, w2 = new_workshop(db, title="One"), new_workshop(db, title="Two")
    keep = person(db)
    drop = person(db, "Somsack", "Keo", phone="020 5555 1234", sex="male")
    r1 = ps.register(db, SYSTEM, w1.id, keep.id)
    r2 = ps.register(db, SYSTEM, w2.id, drop.id)
    both = ps.register(db, SYSTEM, w1.id, drop.id)  # the same person, twice on one list
    ps.record_attendance(db, SYSTEM, w1.id, {(r1.id, START), (both.id, DAY2)})
    ps.record_attendance(db, SYSTEM, w2.id, {(r2.id, START), (r2.id, DAY2)})
    both.post_score = Decimal("80")
    db.flush()

    merged = ps.merge_participants(db, SYSTEM, keep.id, drop.id)

    assert db.get(Participant, drop.id) is None
    assert merged.phone == "020 5555 1234" and merged.sex == "male"  # blanks filled
    regs = {r.workshop_id: r for r in merged.registrations}
    assert set(regs) == {w1.id, w2.id}
    assert {a.day: a.present for a in regs[w1.id].attendance} == {START: True, DAY2: True}
    assert regs[w1.id].post_score == Decimal("80")
    assert [a.present for a in regs[w2.id].attendance] == [True, True]
    assert db.scalar(select(func.count()).select_from(Registration)) == 2
    assert db.scalar(select(func.count()).select_from(Attendance)) == 4
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "merge")) is not None
    with pytest.raises(ValidationError):
        ps.merge_participants(db, SYSTEM, keep.id, keep.id)


def test_the_waitlist_moves_up_within_the_target_size(db):
    w = new_workshop(db, target=2)
    a, b, c, d = (person(db, n, "Test") for n in ("Aa", "Bb", "Cc", "Dd"))
    ra, rb = ps.register(db, SYSTEM, w.id, a.id), ps.register(db, SYSTEM, w.id, b.id)
    rc, rd = ps.register_many(db, SYSTEM, w.id, [c.id, d.id])
    assert (ra.status, rb.status) == ("registered", "registered")
    assert (rc.status, rc.waitlist_position, rd.waitlist_position) == ("waitlisted", 1, 2)
    with pytest.raises(ValidationError, match="already"):
        ps.register(db, SYSTEM, w.id, a.id)
    with pytest.raises(ValidationError, match="full"):
        ps.set_status(db, SYSTEM, rd.id, "registered")

    ps.set_status(db, SYSTEM, ra.id, "cancelled")
    assert (rc.status, rc.waitlist_position) == ("registered", None)
    assert rd.status == "waitlisted"
    assert ps.seated(db, w.id) == 2
    order = [r.participant.given_name_latin for r in ps.registrations_of(db, w.id)]
    assert order[-2:] == ["Dd", "Aa"]  # waitlist, then the cancelled


def test_attendance_grid_marks_days_and_attended(db):
    w = new_workshop(db, status="planned")
    a, b = person(db, "Aa", "T"), person(db, "Bb", "T")
    ra, rb = ps.register(db, SYSTEM, w.id, a.id), ps.register(db, SYSTEM, w.id, b.id)
    with pytest.raises(ValidationError, match="confirmed"):
        ps.record_attendance(db, SYSTEM, w.id, {(ra.id, START)})
    w.status = "confirmed"
    assert ps.record_attendance(db, SYSTEM, w.id, {(ra.id, START), (ra.id, DAY2)}) == 2
    assert ra.status == "attended" and rb.status == "registered"
    assert [(x.day, x.present) for x in rb.attendance] == [(START, False), (DAY2, False)]
    ps.record_attendance(db, SYSTEM, w.id, {(rb.id, DAY2)})
    assert ra.status == "registered" and rb.status == "attended"
    with pytest.raises(ValidationError):
        ps.record_attendance(db, SYSTEM, w.id, {(rb.id, START - dt.timedelta(days=1))})


def test_paper_results_are_checked_per_row(db):
    w = new_workshop(db)
    r = ps.register(db, SYSTEM, w.id, person(db).id)
    with pytest.raises(ValidationError) as err:
        ps.record_results(db, SYSTEM, w.id, {r.id: {"pre": "abc", "post": "120", "rating": "9"}})
    assert set(err.value.errors) == {f"pre-{r.id}", f"post-{r.id}", f"rating-{r.id}"}
    ps.record_results(
        db, SYSTEM, w.id, {r.id: {"pre": "45,5", "post": "80", "rating": "5", "topic": "NRM"}}
    )
    assert (r.pre_score, r.post_score, r.feedback_rating) == (Decimal("45.5"), 80, 5)
    assert r.feedback_topic == "NRM"


def test_a_workshops_list_pages_in_lao_alphabetical_order(db):
    """The database orders the list as a Lao reader does (a leading vowel is written first
    but sorted after its consonant), page after page, and follows a change of name."""
    w = new_workshop(db, target=10)
    names = ["ຂາວ", "ເກດ", "ກາ", "ໂຄ"]
    people = [ps.create_participant(db, SYSTEM, {"given_name_lo": name}) for name in names]
    for p in people:
        ps.register(db, SYSTEM, w.id, p.id)

    def listed() -> list[str]:
        pages = [ps.registration_page(db, SYSTEM, w.id, page=n, per_page=1) for n in (1, 2, 3, 4)]
        assert all(page.total == 4 and len(page.items) == 1 for page in pages)
        return [page.items[0].participant.name_lao for page in pages]

    assert listed() == ["ກາ", "ເກດ", "ຂາວ", "ໂຄ"]
    assert sorted(names) != listed()  # code-point order puts ເກດ and ໂຄ last
    ps.update_participant(db, SYSTEM, people[2].id, {"given_name_lo": "ຄຳ"})
    assert listed() == ["ເກດ", "ຂາວ", "ຄຳ", "ໂຄ"]


def test_the_figures_of_a_list_count_everyone_on_it(db):
    w = new_workshop(db, target=2)
    for given, sex in (("Aa", "female"), ("Bb", "male"), ("Cc", "female"), ("Dd", "other")):
        ps.register(db, SYSTEM, w.id, person(db, given, sex=sex).id)
    ps.set_status(db, SYSTEM, ps.registration_page(db, SYSTEM, w.id).items[-1].id, "cancelled")
    figures = ps.list_figures(db, SYSTEM, w.id)
    assert (figures.seated, figures.waiting, figures.total) == (2, 1, 4)
    assert figures.by_status == {"registered": 2, "waitlisted": 1, "cancelled": 1}
    by_sex = {row.key: row.count for row in figures.seated_by_sex.rows}
    assert by_sex == {"female": 1, "male": 1, "other": 0}
