"""Workshops through the web: agenda, team, confirmation, calendar feed."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from sqlalchemy import select

from curriculum.models import LessonPlan, Workshop
from curriculum.permissions import SYSTEM
from curriculum.services import calendar, workshops
from tests.conftest import make_qualification, make_trainer, make_user, sign_in
from tests.web.browser_form import open_form

START = dt.date(2027, 3, 2)


@pytest.fixture
def coordinator(db):
    user = make_user(db, "coordinator")
    db.commit()
    return user


def plan_ids(db, *keys):
    return [db.scalar(select(LessonPlan.id).where(LessonPlan.key == k)) for k in keys]


def test_create_a_workshop_and_lay_out_its_agenda(client, db, coordinator):
    sign_in(client, coordinator)
    response = client.post(
        "/workshops/rollouts/new",
        data={
            "name": "2027 rollout",
            "start_date": "2027-03-01",
            "end_date": "2027-06-30",
            "modules": ["M04", "M05"],
            "provinces": ["LA-BK"],
        },
    )
    assert response.status_code == 302
    rollout_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = client.post(
        "/workshops/new",
        data={
            "rollout": rollout_id,
            "title": "Bokeo workshop",
            "province": "LA-BK",
            "start_date": "2027-03-02",
            "end_date": "2027-03-03",
            "language": "lo",
            "target_participants": "30",
        },
    )
    assert response.status_code == 302
    workshop_id = int(response.headers["Location"].rsplit("/", 1)[1])
    ids = plan_ids(db, "m04-lo-indicators-first-contact-90", "m05-lo-needs-and-rights-90")
    client.post(f"/workshops/{workshop_id}/agenda", data={"plans": [str(i) for i in ids]})
    page = client.get(f"/workshops/{workshop_id}").get_data(as_text=True)
    assert "08:30–10:00" in page and "ພັກທ່ຽງ" not in page  # English page, Lao plan titles
    assert "ຕົວຊີ້ບອກ" in page and "Break" in page and "Lunch" not in page  # nothing after lunch
    assert "The team has 0 trainers" in page


def test_a_programme_outline_lays_out_the_agenda_in_one_step(client, db, coordinator):
    sign_in(client, coordinator)
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": START, "end_date": START + dt.timedelta(days=40)}
    )
    w = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Champasak, three days",
            "province": "LA-CH",
            "start_date": dt.date(2027, 3, 2),
            "end_date": dt.date(2027, 3, 4),
            "language": "en",
        },
    )
    db.commit()
    page = client.get(f"/workshops/{w.id}").get_data(as_text=True)
    assert "Start from a programme outline" in page
    # the outline as long as the workshop is offered first, and chosen
    assert page.index('value="provincial-3-day" checked') < page.index('value="provincial-1-day"')
    response = client.post(f"/workshops/{w.id}/programme", data={"programme": "provincial-3-day"})
    assert response.status_code == 302
    page = client.get(f"/workshops/{w.id}").get_data(as_text=True)
    assert "The agenda was laid out from the programme outline." in page
    assert "Follow the money" in page
    db.expire_all()
    days = {s.day for s in db.get(type(w), w.id).sessions}
    assert len(days) == 3
    response = client.post(f"/workshops/{w.id}/programme", data={"programme": "nothing"})
    page = client.get(f"/workshops/{w.id}").get_data(as_text=True)
    assert "There is no such programme outline." in page


def test_bad_dates_get_a_message(client, db, coordinator):
    sign_in(client, coordinator)
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": START, "end_date": START}
    )
    db.commit()
    response = client.post(
        "/workshops/new",
        data={
            "rollout": rollout.id,
            "title": "W",
            "province": "LA-BK",
            "start_date": "2027-03-05",
            "end_date": "2027-03-02",
        },
    )
    assert response.status_code == 400  # a form sent back with problems, as on every page
    assert "The end date cannot be before the start date." in response.get_data(as_text=True)
    assert db.scalar(select(Workshop.id).where(Workshop.title == "W")) is None


def _workshop_with_a_session(db):
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": START, "end_date": START + dt.timedelta(days=30)}
    )
    w = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Bokeo",
            "province": "LA-BK",
            "start_date": START,
            "end_date": START,
        },
    )
    workshops.lay_out_agenda(db, SYSTEM, w.id, plan_ids(db, "m04-en-indicators-first-contact-90"))
    return w, next(s for s in w.sessions if s.kind == "session")


def post_status(client, workshop, **data):
    """Change a workshop's status from its page's form (which carries the version)."""
    form = open_form(client, f"/workshops/{workshop.id}", "reason").to_dict()
    return client.post(
        f"/workshops/{workshop.id}/status", data={**form, **data}, follow_redirects=True
    )


def test_confirming_with_an_error_is_refused_and_warnings_need_a_reason(client, db, coordinator):
    w, session = _workshop_with_a_session(db)
    unqualified = make_trainer(db, given_name_latin="Unqualified")
    workshops.set_session_trainers(db, SYSTEM, session.id, [unqualified.id])
    db.commit()
    sign_in(client, coordinator)
    response = post_status(client, w, status="confirmed")
    page = response.get_data(as_text=True)
    assert "Fix these errors before confirming" in page and "not qualified to teach M04" in page
    db.expire_all()
    assert db.get(Workshop, w.id).status == "planned"
    qualified = make_trainer(db, given_name_latin="Qualified", institution_short="PSC")
    make_qualification(db, qualified, "M04")
    workshops.set_session_trainers(db, SYSTEM, session.id, [qualified.id])
    db.get(Workshop, w.id).assignments[:] = [
        a for a in db.get(Workshop, w.id).assignments if a.trainer_id == qualified.id
    ]
    db.commit()
    # the picker page proposes qualified trainers only
    page = client.get(f"/workshops/sessions/{session.id}/trainers").get_data(as_text=True)
    assert (
        "Qualified and free" in page
        and "Unqualified" not in page.split("Qualified and free")[1].split("<form")[0]
    )
    response = post_status(client, w, status="confirmed")
    assert "Warnings remain" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Workshop, w.id).status == "planned"
    response = post_status(
        client, w, status="confirmed", reason="A second trainer joins from the province."
    )
    page = response.get_data(as_text=True)
    assert "Confirmed despite warnings because:" in page
    assert "A second trainer joins from the province." in page
    db.expire_all()
    assert db.get(Workshop, w.id).status == "confirmed"


def test_calendar_feed_by_private_address_and_revocation(client, db, coordinator):
    w, session = _workshop_with_a_session(db)
    t = make_trainer(db)
    make_qualification(db, t, "M04")
    workshops.set_session_trainers(db, SYSTEM, session.id, [t.id])
    feed = calendar.issue_feed(db, SYSTEM, "trainer", t.id)
    db.commit()
    response = client.get(f"/workshops/calendar/{feed.token}.ics")  # no sign-in needed
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    [event] = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == dt.datetime(2027, 3, 2, 8, 30, tzinfo=calendar.ZONE)
    calendar.revoke_feed(db, SYSTEM, "trainer", t.id)
    db.commit()
    assert client.get(f"/workshops/calendar/{feed.token}.ics").status_code == 404
    assert client.get("/workshops/calendar/not-a-token.ics").status_code == 404
    sign_in(client, coordinator)
    client.post(f"/workshops/rollouts/{w.rollout_id}/feed")
    page = client.get(f"/workshops/rollouts/{w.rollout_id}").get_data(as_text=True)
    url = page.split("<code>")[1].split("</code>")[0]
    assert client.get(url.replace("http://localhost", "")).status_code == 200


def test_a_trainer_accepts_or_declines_from_the_home_page(client, db, coordinator):
    w, _session = _workshop_with_a_session(db)
    w.start_date = w.end_date = dt.date.today() + dt.timedelta(days=20)
    for s in w.sessions:
        s.day = w.start_date
    trainer = make_trainer(db)
    user = make_user(db, "trainer", trainer_id=trainer.id)
    other = workshops.assign_trainer(db, SYSTEM, w.id, make_trainer(db).id)
    mine = workshops.assign_trainer(db, SYSTEM, w.id, trainer.id)
    db.commit()
    sign_in(client, user)
    home = client.get("/").get_data(as_text=True)
    assert "My workshops" in home and "Bokeo" in home
    assert (
        client.post(
            f"/workshops/assignments/{other.id}/respond", data={"response": "accepted"}
        ).status_code
        == 403
    )
    page = client.post(
        f"/workshops/assignments/{mine.id}/respond",
        data={"response": "declined"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Say why you cannot come." in page
    client.post(
        f"/workshops/assignments/{mine.id}/respond",
        data={"response": "declined", "reason": "Court session"},
    )
    db.expire_all()
    assert (db.get(type(mine), mine.id).response, db.get(type(mine), mine.id).response_reason) == (
        "declined",
        "Court session",
    )
    sign_in(client, coordinator)
    page = client.get(f"/workshops/{w.id}").get_data(as_text=True)
    assert "Court session" in page


def test_delivery_record_and_print_list(client, db, coordinator):
    w, session = _workshop_with_a_session(db)
    t = make_trainer(db, institution_short="PSC", sex="female")
    u = make_trainer(db, institution_short="MPS", sex="male")
    for trainer in (t, u):
        make_qualification(db, trainer, "M04")
    workshops.set_session_trainers(db, SYSTEM, session.id, [t.id, u.id])
    workshops.change_status(db, SYSTEM, w.id, "confirmed", "test")
    db.commit()
    sign_in(client, coordinator)
    page = client.get(f"/workshops/{w.id}/print-list").get_data(as_text=True)
    assert "Indicator cards" in page and "Role briefs" in page  # materials from the plan
    assert "<strong>35</strong>" in page  # agenda: 30 participants, 2 trainers, 3 spares (a tenth)
    record = f"/workshops/{w.id}/delivery"
    shown = open_form(client, record, "sessions-0-seen").to_dict()
    bad = client.post(
        record,
        data={**shown, "sessions-0-delivery": "changed", "sessions-0-minutes_used": "-4"},
    )
    assert bad.status_code == 400 and "Give the minutes used" in bad.get_data(as_text=True)
    assert 'value="-4"' in bad.get_data(as_text=True)  # what was typed stays
    db.expire_all()
    assert db.get(type(session), session.id).delivery == "planned"
    ok = client.post(
        record,
        data={
            **shown,
            "sessions-0-delivery": "changed",
            "sessions-0-minutes_used": "80",
            "sessions-0-notes": "Role play cut short",
        },
    )
    assert ok.status_code == 302
    db.expire_all()
    s = db.get(type(session), session.id)
    assert (s.delivery, s.minutes_used, s.delivery_notes) == ("changed", 80, "Role play cut short")
    page = client.get(f"/lessons/{s.lesson_plan_id}").get_data(as_text=True)
    assert "Bokeo" in page.split("Delivered in workshops")[1]


def test_month_and_week_calendars_with_filters(client, db, coordinator):
    w, session = _workshop_with_a_session(db)
    t = make_trainer(db, given_name_latin="Calendar")
    make_qualification(db, t, "M04")
    workshops.set_session_trainers(db, SYSTEM, session.id, [t.id])
    db.commit()
    sign_in(client, coordinator)
    month = client.get("/workshops/calendar?date=2027-03-15").get_data(as_text=True)
    assert "March 2027" in month and 'class="event status-planned"' in month
    assert "International Women" in month  # 8 March, a Lao public holiday
    elsewhere = client.get("/workshops/calendar?date=2027-03-15&province=LA-CH")
    assert 'class="event' not in elsewhere.get_data(as_text=True)
    week = client.get(f"/workshops/calendar?view=week&date=2027-03-03&trainer={t.id}").get_data(
        as_text=True
    )
    assert "Schedule of Calendar" in week and "08:30–10:00" in week
    other = make_trainer(db)
    db.commit()
    week = client.get(f"/workshops/calendar?view=week&date=2027-03-03&trainer={other.id}").get_data(
        as_text=True
    )
    assert "08:30–10:00" not in week
    assert client.get("/workshops/calendar?date=not-a-date").status_code == 200


def test_the_calendar_in_lao_and_filters_that_open_on_their_first_event(client, db):
    w, session = _workshop_with_a_session(db)
    t = make_trainer(db, given_name_latin="Calendar", given_name_lo="ປະຕິທິນ")
    make_qualification(db, t, "M04")
    workshops.set_session_trainers(db, SYSTEM, session.id, [t.id])
    user = make_user(db, "coordinator", language="lo")
    db.commit()
    sign_in(client, user)
    month = client.get("/workshops/calendar?date=2027-03-15").get_data(as_text=True)
    assert "ມີນາ 2027" in month and "March" not in month
    assert "ວັນແມ່ຍິງສາກົນ" in month  # 8 March, named in Lao
    week = client.get("/workshops/calendar?view=week&date=2027-03-03").get_data(as_text=True)
    assert "ວັນພຸດ 3 ມີນາ" in week and "Wednesday" not in week
    # a rollout's or a trainer's filter without a date opens on its first event
    month = client.get(f"/workshops/calendar?rollout={w.rollout_id}").get_data(as_text=True)
    assert "ມີນາ 2027" in month and 'class="event status-planned"' in month
    week = client.get(f"/workshops/calendar?view=week&trainer={t.id}").get_data(as_text=True)
    assert "08:30–10:00" in week
    # coordinators choose the trainer in the page
    assert 'name="trainer"' in month and "ປະຕິທິນ" in month


def test_a_trainer_makes_and_revokes_their_calendar_address(client, db):
    trainer = make_trainer(db)
    user = make_user(db, "trainer", trainer_id=trainer.id)
    db.commit()
    sign_in(client, user)
    client.post(f"/workshops/trainers/{trainer.id}/feed")
    home = client.get("/").get_data(as_text=True)
    url = home.split("My calendar address:")[1].split("<code>")[1].split("</code>")[0]
    assert client.get(url.replace("http://localhost", "")).status_code == 200
    client.post(f"/workshops/trainers/{trainer.id}/feed", data={"revoke": "1"})
    assert client.get(url.replace("http://localhost", "")).status_code == 404
    assert client.post(f"/workshops/trainers/{make_trainer(db).id}/feed").status_code == 403


def test_adjust_the_timetable_by_hand(client, db, coordinator):
    w, session = _workshop_with_a_session(db)
    db.commit()
    sequence = session.sequence
    sign_in(client, coordinator)
    bad = client.post(
        f"/workshops/sessions/{session.id}/edit",
        data={
            "day": "2027-03-02",
            "start_time": "10:00",
            "end_time": "09:00",
            "kind": "session",
            "title": "Moved",
            "lock_version": session.lock_version,
        },
    )
    assert "The session must end after it starts." in bad.get_data(as_text=True)
    ok = client.post(
        f"/workshops/sessions/{session.id}/edit",
        data={
            "day": "2027-03-02",
            "start_time": "09:00",
            "end_time": "10:30",
            "kind": "session",
            "title": "Moved",
            "room": "Hall A",
            "lock_version": session.lock_version,
        },
    )
    assert ok.status_code == 302
    db.expire_all()
    moved = db.get(type(session), session.id)
    assert (moved.start_time.isoformat(), moved.room, moved.title) == (
        "09:00:00",
        "Hall A",
        "Moved",
    )
    assert moved.sequence > sequence
    page = client.get(f"/workshops/{w.id}").get_data(as_text=True)
    assert "09:00–10:30" in page
    client.post(
        f"/workshops/{w.id}/sessions/new",
        data={
            "day": "2027-03-02",
            "start_time": "10:00",
            "end_time": "10:30",
            "kind": "session",
            "title": "Opening by the governor",
            "room": "Hall A",
        },
    )
    page = client.get(f"/workshops/{w.id}").get_data(as_text=True)
    assert "use room Hall A at the same time" in page
    opening = db.scalar(
        select(type(session)).where(type(session).title == "Opening by the governor")
    )
    client.post(f"/workshops/sessions/{opening.id}/delete")
    assert "use room Hall A" not in client.get(f"/workshops/{w.id}").get_data(as_text=True)
    response = client.post(
        f"/workshops/{w.id}/edit",
        data={
            "title": "Bokeo, renamed",
            "province": "LA-BK",
            "start_date": "2027-03-02",
            "end_date": "2027-03-03",
            "language": "lo",
            "target_participants": "28",
            "lock_version": db.get(Workshop, w.id).lock_version,
        },
    )
    assert response.status_code == 302
    db.expire_all()
    assert (db.get(Workshop, w.id).title, db.get(Workshop, w.id).target_participants) == (
        "Bokeo, renamed",
        28,
    )


def test_edit_a_rollout(client, db, coordinator):
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": START, "end_date": START, "modules": ["M04"]}
    )
    db.commit()
    sign_in(client, coordinator)
    page = client.get(f"/workshops/rollouts/{rollout.id}/edit").get_data(as_text=True)
    assert '<input checked id="modules-3" name="modules" type="checkbox" value="M04">' in page
    response = client.post(
        f"/workshops/rollouts/{rollout.id}/edit",
        data={
            "name": "R renamed",
            "start_date": "2027-03-01",
            "end_date": "2027-02-01",
            "status": "active",
            "modules": ["M05"],
            "lock_version": rollout.lock_version,
        },
    )
    assert "The end date cannot be before the start date." in response.get_data(as_text=True)
    response = client.post(
        f"/workshops/rollouts/{rollout.id}/edit",
        data={
            "name": "R renamed",
            "start_date": "2027-03-01",
            "end_date": "2027-04-01",
            "status": "active",
            "modules": ["M05"],
            "provinces": ["LA-HO"],
            "lock_version": rollout.lock_version,
        },
    )
    assert response.status_code == 302
    db.expire_all()
    r = db.get(type(rollout), rollout.id)
    assert (r.name, r.status, [m.code for m in r.modules], [p.code for p in r.provinces]) == (
        "R renamed",
        "active",
        ["M05"],
        ["LA-HO"],
    )


def test_rollout_logo_and_signatories_from_the_form(client, db, coordinator):
    import io

    from PIL import Image

    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": START, "end_date": START}
    )
    db.commit()
    sign_in(client, coordinator)
    url = f"/workshops/rollouts/{rollout.id}/edit"
    base = {"name": "R", "start_date": "2027-03-01", "end_date": "2027-03-02"}
    bad = client.post(
        url,
        data={
            **base,
            "lock_version": rollout.lock_version,
            "logo": (io.BytesIO(b"GIF89a"), "x.gif"),
        },
        content_type="multipart/form-data",
    )
    assert "The logo must be a PNG or JPEG image." in bad.get_data(as_text=True)
    png = io.BytesIO()
    Image.new("RGB", (30, 10), "navy").save(png, "PNG")
    png.seek(0)
    response = client.post(
        url,
        data={
            **base,
            "signatories": "Bounmy P. | President",
            "lock_version": rollout.lock_version,
            "logo": (png, "logo.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.expire_all()
    r = db.get(type(rollout), rollout.id)
    assert r.logo_type == "image/png" and r.signatories == "Bounmy P. | President"
    page = client.get(url).get_data(as_text=True)
    assert 'src="data:image/png;base64,' in page


def test_the_rollout_page_counts_each_workshops_errors_and_warnings(client, db, coordinator):
    sign_in(client, coordinator)
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": START, "end_date": START + dt.timedelta(days=60)}
    )
    trainer = make_trainer(db)
    make_qualification(db, trainer, "M04")
    for i in range(2):
        workshop = workshops.create_workshop(
            db,
            SYSTEM,
            {
                "rollout": str(rollout.id),
                "title": f"Workshop {i}",
                "province": "LA-BK",
                "start_date": START + dt.timedelta(days=7 * i),
                "end_date": START + dt.timedelta(days=7 * i + 1),
            },
        )
        ids = plan_ids(db, "m04-lo-indicators-first-contact-90")
        workshops.lay_out_agenda(db, SYSTEM, workshop.id, ids)
    db.commit()
    page = client.get(f"/workshops/rollouts/{rollout.id}").get_data(as_text=True)
    # each workshop: its one session has no trainer (error), the team is empty (warning)
    assert page.count('1 error</span>, <span class="tally tally-warning">1 warning') == 2
