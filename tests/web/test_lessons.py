"""Lesson plans through the web: the builder, its buttons, autosave, review, permissions."""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from curriculum.models import LessonActivity, LessonPlan
from curriculum.services import lessons as service
from tests.conftest import make_qualification, make_trainer, make_user, sign_in
from tests.web.browser_form import open_form


def form_of(data: dict, lock_version, **extra) -> dict:
    """The builder's post for ``data`` (as the page would send it)."""
    form = {
        "lock_version": str(lock_version),
        "title": data["title"],
        "language": data["language"],
        "duration_minutes": str(data["duration_minutes"]),
        "audience": data["audience"],
        "key_messages": "\n".join(data["key_messages"]),
        "materials": data["materials"],
        "assessment": data["assessment"],
        "trainer_notes": data["trainer_notes"],
        "provisions": data["provisions"],
        "handouts": data.get("handouts", []),
    }
    for i, o in enumerate(data["objectives"]):
        form[f"objectives-{i}-id"] = str(o["id"] or "")
        form[f"objectives-{i}-text"] = o["text"]
    for i, a in enumerate(data["activities"]):
        for name in ("id", *service.ACTIVITY_FIELDS):
            form[f"activities-{i}-{name}"] = "" if a[name] is None else str(a[name])
        form[f"activities-{i}-order"] = str(i)
        form[f"activities-{i}-serves"] = [str(n) for n in a["serves"]]
    form.update(extra)
    return form


@pytest.fixture
def author(db):
    trainer = make_trainer(db, given_name_latin="Bounmy", family_name_latin="Phommachanh")
    user = make_user(db, "trainer", trainer_id=trainer.id)
    db.commit()
    return user


@pytest.fixture
def draft(db, author):
    template = next(t for t in service.list_templates(db) if t.duration_minutes == 90)
    plan = service.create_plan(
        db, author, module_code="M04", language="en", start="template", template_id=template.id
    )
    db.commit()
    return plan


def stored(db, plan_id):
    db.expire_all()
    plan = db.get(LessonPlan, plan_id)
    return (plan.lock_version, plan.title, [(a.id, a.minutes, a.title) for a in plan.activities])


def post_status(client, plan, **data):
    """Submit, approve... from the plan's page, whose form carries the plan's version."""
    form = open_form(client, f"/lessons/{plan.id}", "comment").to_dict()
    return client.post(f"/lessons/{plan.id}/status", data={**form, **data}, follow_redirects=True)


def test_builder_page_shows_the_timeline_and_what_is_off(client, db, author, draft):
    sign_in(client, author)
    page = client.get(f"/lessons/{draft.id}/edit").get_data(as_text=True)
    assert 'name="activities-2-minutes"' in page
    assert "30–65" in page  # third activity of the template: 10 + 20 then 35 minutes
    assert "Total: 90 of 90 minutes" in page
    assert "Nothing to fix" in page


def test_buttons_work_without_javascript(client, db, author, draft):
    sign_in(client, author)
    before = stored(db, draft.id)
    ids = [a[0] for a in before[2]]
    data = service.plan_data(draft)
    response = client.post(
        f"/lessons/{draft.id}/edit", data=form_of(data, draft.lock_version, op="down:0")
    )
    assert response.status_code == 302
    assert [a[0] for a in stored(db, draft.id)[2]] == [ids[1], ids[0], *ids[2:]]
    db.expire_all()
    plan = db.get(LessonPlan, draft.id)
    response = client.post(
        f"/lessons/{draft.id}/edit",
        data=form_of(service.plan_data(plan), plan.lock_version, op="add"),
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Total: 100 of 90 minutes" in page
    assert "10 minutes too many" in page
    db.expire_all()
    plan = db.get(LessonPlan, draft.id)
    client.post(
        f"/lessons/{draft.id}/edit",
        data=form_of(service.plan_data(plan), plan.lock_version, op=f"delete:{len(ids)}"),
    )
    assert len(stored(db, draft.id)[2]) == len(ids)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda f: f.update({"activities-0-minutes": "-10"}), "Give whole minutes, 1 to 480."),
        (lambda f: f.update({"duration_minutes": "0"}), "Give the duration in whole minutes"),
        (lambda f: f.update({"activities-1-title": ""}), "This field is required."),
        (
            lambda f: f.update({"activities-1-serves": ["9"]}),
            "is not one of this plan&#39;s objectives",
        ),
    ],
)
def test_bad_input_gets_a_message_and_stores_nothing(client, db, author, draft, change, message):
    sign_in(client, author)
    before = stored(db, draft.id)
    form = form_of(service.plan_data(draft), draft.lock_version, op="save")
    change(form)
    response = client.post(f"/lessons/{draft.id}/edit", data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored(db, draft.id) == before


def test_handouts_are_chosen_in_the_builder_and_shown_on_the_plan(client, db, author, draft):
    sign_in(client, author)
    page = client.get(f"/lessons/{draft.id}/edit").get_data(as_text=True)
    assert "Handouts to print with the plan" in page
    # the plan's own module's handouts are offered first
    assert page.index('value="first-contact-role-briefs"') < page.index('value="story-of-noy"')
    form = form_of(service.plan_data(draft), draft.lock_version, op="view")
    form["handouts"] = ["referral-chart", "first-contact-role-briefs"]
    response = client.post(f"/lessons/{draft.id}/edit", data=form)
    assert response.status_code == 302
    db.expire_all()
    plan = db.get(LessonPlan, draft.id)
    assert [link.material.key for link in plan.handout_links] == [
        "referral-chart",
        "first-contact-role-briefs",
    ]
    shown = client.get(f"/lessons/{draft.id}").get_data(as_text=True)
    assert "Referral chart: who does what next" in shown


def test_a_lao_plan_cannot_name_a_handout_without_lao_text(client, db, author, draft):
    from curriculum.models import Material

    sign_in(client, author)
    chart = db.scalar(select(Material).where(Material.key == "referral-chart"))
    chart.body_lo = ""
    db.commit()
    before = stored(db, draft.id)
    data = service.plan_data(draft) | {"language": "lo", "handouts": ["referral-chart"]}
    response = client.post(
        f"/lessons/{draft.id}/edit", data=form_of(data, draft.lock_version, op="save")
    )
    assert response.status_code == 400
    assert "These handouts have no Lao text yet: Referral chart" in response.get_data(as_text=True)
    assert stored(db, draft.id) == before


def test_ten_thousand_activities_get_a_message_and_store_nothing(client, db, author, draft):
    sign_in(client, author)
    before = stored(db, draft.id)
    form = form_of(service.plan_data(draft), draft.lock_version, op="save")
    for i in range(10_000):
        form[f"activities-{i}-minutes"] = "1"
        form[f"activities-{i}-title"] = "x"
        form[f"activities-{i}-method"] = "quiz"
    started = time.perf_counter()
    response = client.post(f"/lessons/{draft.id}/edit", data=form)
    assert response.status_code == 400
    assert "at most 40 activities; 10000 were sent" in response.get_data(as_text=True)
    assert time.perf_counter() - started < 30
    assert stored(db, draft.id) == before
    assert db.scalar(select(LessonActivity.id).where(LessonActivity.title == "x")) is None


def test_an_objective_or_activity_of_another_plan_is_refused(client, db, author, draft):
    sign_in(client, author)
    other = db.scalar(select(LessonPlan).where(LessonPlan.key == "m01-en-three-elements-90"))
    before = stored(db, draft.id)
    form = form_of(service.plan_data(draft), draft.lock_version, op="save")
    form["objectives-0-id"] = str(other.objectives[0].id)
    form["activities-0-id"] = str(other.activities[0].id)
    response = client.post(f"/lessons/{draft.id}/edit", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This objective belongs to another plan" in page
    assert "This activity belongs to another plan" in page
    assert stored(db, draft.id) == before
    db.expire_all()
    assert other.objectives[0].plan_id == other.id


def test_two_tabs_cannot_silently_overwrite_each_other(client, db, author, draft):
    sign_in(client, author)
    opened = draft.lock_version
    data = service.plan_data(draft)
    first = client.post(
        f"/lessons/{draft.id}/edit", data=form_of(data | {"title": "Tab one"}, opened, op="save")
    )
    assert first.status_code == 302
    second = client.post(
        f"/lessons/{draft.id}/edit", data=form_of(data | {"title": "Tab two"}, opened, op="save")
    )
    assert second.status_code == 400
    assert "Someone else saved this record" in second.get_data(as_text=True)
    assert stored(db, draft.id)[1] == "Tab one"
    # autosave from the stale tab is refused the same way
    auto = client.post(
        f"/lessons/{draft.id}/autosave", data=form_of(data | {"title": "Tab two"}, opened)
    )
    assert auto.status_code == 409 and auto.get_json()["saved"] is False
    assert stored(db, draft.id)[1] == "Tab one"


def test_autosave_answers_with_the_lock_ids_and_problems(client, db, author, draft):
    sign_in(client, author)
    data = service.plan_data(draft)
    data["activities"][0]["minutes"] = 5
    data["objectives"].append({"id": None, "text": "Explain the referral steps."})
    response = client.post(f"/lessons/{draft.id}/autosave", data=form_of(data, draft.lock_version))
    result = response.get_json()
    assert response.status_code == 200 and result["saved"] is True
    assert result["lock_version"] == draft.lock_version + 1
    assert len(result["objective_ids"]) == 3 and all(result["objective_ids"])
    assert result["total"] == 85
    messages = [p["message"] for p in result["problems"]]
    assert any("5 minutes still to plan" in m for m in messages)
    assert any("No activity serves objective 3" in m for m in messages)
    bad = client.post(
        f"/lessons/{draft.id}/autosave",
        data=form_of(data, result["lock_version"]) | {"activities-0-minutes": "-1"},
    )
    assert bad.status_code == 400 and "activities-0-minutes" in bad.get_json()["errors"]


def test_a_form_opened_hours_ago_still_saves(app, client, db, author, draft, monkeypatch):
    """The CSRF token has no time limit: a long editing session never fails on save."""
    app.config["WTF_CSRF_ENABLED"] = True
    sign_in(client, author)
    page = client.get(f"/lessons/{draft.id}/edit").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    # the token the page would have carried had it been opened ten hours ago
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(real(self)) - 10 * 3600)
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    assert (
        URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
        .loads(token, return_timestamp=True)[1]
        .timestamp()
        < time.time() - 9 * 3600
    )
    form = form_of(service.plan_data(draft), draft.lock_version, op="save", csrf_token=token)
    form["title"] = "Saved after ten hours"
    response = client.post(f"/lessons/{draft.id}/edit", data=form)
    assert response.status_code == 302
    assert stored(db, draft.id)[1] == "Saved after ten hours"


def test_a_trainer_cannot_approve_their_own_plan(client, db, author, draft):
    make_qualification(db, author.trainer, "M04", level="master")
    db.commit()
    sign_in(client, author)
    post_status(client, draft, action="submit")
    db.expire_all()
    assert db.get(LessonPlan, draft.id).status == "in_review"
    response = post_status(client, draft, action="approve")
    assert "never an author of the plan" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(LessonPlan, draft.id).status == "in_review"
    page = client.get(f"/lessons/{draft.id}").get_data(as_text=True)
    assert 'value="approve"' not in page and 'value="withdraw"' in page


def test_a_viewer_cannot_edit(client, db, draft):
    viewer = make_user(db, "viewer")
    db.commit()
    sign_in(client, viewer)
    before = stored(db, draft.id)
    assert client.get(f"/lessons/{draft.id}/edit").status_code == 403
    form = form_of(service.plan_data(draft), draft.lock_version, op="save", title="Viewer's")
    assert client.post(f"/lessons/{draft.id}/edit", data=form).status_code == 403
    assert client.post(f"/lessons/{draft.id}/autosave", data=form).status_code == 403
    assert stored(db, draft.id) == before
    page = client.get(f"/lessons/{draft.id}").get_data(as_text=True)
    assert f"/lessons/{draft.id}/edit" not in page


def test_another_trainer_cannot_edit_someone_elses_draft(client, db, draft):
    other = make_user(db, "trainer")
    db.commit()
    sign_in(client, other)
    assert client.get(f"/lessons/{draft.id}/edit").status_code == 403


def test_an_approved_plan_cannot_be_edited_in_place(client, db, author):
    plan = db.scalar(
        select(LessonPlan).where(LessonPlan.key == "m04-en-indicators-first-contact-90")
    )
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in(client, coordinator)
    before = stored(db, plan.id)
    response = client.get(f"/lessons/{plan.id}/edit", follow_redirects=True)
    assert "An approved plan is read-only" in response.get_data(as_text=True)
    form = form_of(service.plan_data(plan), plan.lock_version, op="save", title="Changed in place")
    client.post(f"/lessons/{plan.id}/edit", data=form)
    assert client.post(f"/lessons/{plan.id}/autosave", data=form).status_code == 400
    assert stored(db, plan.id) == before
    response = client.post(f"/lessons/{plan.id}/new-version")
    assert response.status_code == 302
    new = db.scalar(select(LessonPlan).where(LessonPlan.key == plan.key, LessonPlan.version == 2))
    assert response.headers["Location"].endswith(f"/lessons/{new.id}/edit")
    assert new.status == "draft" and stored(db, plan.id) == before


def test_fork_through_the_web_keeps_the_source(client, db, author):
    source = db.scalar(
        select(LessonPlan).where(LessonPlan.key == "m06-en-child-sensitive-interview-90")
    )
    before = service.file_data(source)
    sign_in(client, author)
    response = client.post(f"/lessons/{source.id}/fork")
    assert response.status_code == 302
    fork = db.scalar(select(LessonPlan).where(LessonPlan.forked_from_id == source.id))
    assert fork.authors == [author] and fork.status == "draft"
    db.expire_all()
    assert service.file_data(source) == before
    assert "1 fork" in client.get(f"/lessons/{source.id}").get_data(as_text=True)


def test_library_filters_and_plan_page(client, db, author):
    sign_in(client, author)
    page = client.get("/lessons/?language=lo&module=M04").get_data(as_text=True)
    assert "ຕົວຊີ້ບອກ" in page and "Indicators and first contact" not in page
    page = client.get("/lessons/?method=role_play&sort=duration").get_data(as_text=True)
    assert "Indicators and first contact" in page and "Follow the money" not in page
    plan = db.scalar(select(LessonPlan).where(LessonPlan.key == "m07-en-evidence-and-peace-120"))
    page = client.get(f"/lessons/{plan.id}").get_data(as_text=True)
    assert "0–15 min" in page and "110–120 min" in page
    assert "Trainer's plan (PDF)" in page


def test_review_round_trip_with_comments(client, db, author, draft):
    reviewer = make_user(db, "trainer", trainer_id=make_trainer(db).id)
    make_qualification(db, reviewer.trainer, "M04", level="master")
    db.commit()
    sign_in(client, author)
    post_status(client, draft, action="submit")
    sign_in(client, reviewer)
    assert draft.title in client.get("/").get_data(as_text=True)  # waiting on the dashboard
    activity = draft.activities[2]
    client.post(
        f"/lessons/{draft.id}/comments",
        data={"body": "Shorter case please", "activity_id": activity.id},
    )
    post_status(client, draft, action="request_changes", comment="See activity 3")
    db.expire_all()
    assert db.get(LessonPlan, draft.id).status == "draft"
    sign_in(client, author)
    home = client.get("/").get_data(as_text=True)
    assert "My lesson plans" in home and "changes requested on your lesson plan" in home
    page = client.get(f"/lessons/{draft.id}").get_data(as_text=True)
    assert "Shorter case please" in page and "Changes requested" in page
    comment_id = db.get(LessonPlan, draft.id).comments[0].id
    client.post(
        f"/lessons/{draft.id}/comments",
        data={"body": "Cut to 25 minutes", "reply_to_id": comment_id},
    )
    assert "Cut to 25 minutes" in client.get(f"/lessons/{draft.id}").get_data(as_text=True)


def test_versions_compare_word_by_word(client, db):
    plan = db.scalar(select(LessonPlan).where(LessonPlan.key == "m08-en-mla-request-90"))
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in(client, coordinator)
    client.post(f"/lessons/{plan.id}/new-version")
    new = db.scalar(select(LessonPlan).where(LessonPlan.key == plan.key, LessonPlan.version == 2))
    data = service.plan_data(new)
    data["title"] = "Drafting a strong request for mutual legal assistance"
    data["activities"][2]["minutes"] = 35
    data["activities"][3]["minutes"] = 25
    saved = client.post(f"/lessons/{new.id}/edit", data=form_of(data, new.lock_version, op="save"))
    assert saved.status_code == 302, saved.get_data(as_text=True)[-2000:]
    page = client.get(f"/lessons/{new.id}/compare?a=1&b=2").get_data(as_text=True)
    main = page[page.find("<main") :]
    assert "Drafting a<ins> strong</ins> request" in main
    assert "<del>40</del>" in page and "<ins>35</ins>" in page
    assert client.get(f"/lessons/{new.id}/compare?a=1&b=9").status_code == 404
