"""The lesson plan service on the real database: create, save, versions, forks, review."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from curriculum.errors import PermissionDenied, StaleObject, ValidationError
from curriculum.models import AuditEvent, LessonActivity, LessonPlan
from curriculum.services import lessons as service
from tests.conftest import CURRICULUM, make_qualification, make_trainer, make_user


def shipped(db, key: str) -> LessonPlan:
    return db.scalar(select(LessonPlan).where(LessonPlan.key == key))


def activity(minutes=30, method="group_work", title="Work", serves=(1,), id=None):
    return {
        "id": id,
        "minutes": minutes,
        "method": method,
        "title": title,
        "trainer_does": "",
        "participants_do": "",
        "materials": "",
        "notes": "",
        "serves": list(serves),
    }


@pytest.fixture
def author(db):
    trainer = make_trainer(db, given_name_latin="Bounmy", family_name_latin="Phommachanh")
    return make_user(db, "trainer", trainer_id=trainer.id)


@pytest.fixture
def draft(db, author):
    plan = service.create_plan(db, author, module_code="M04", language="en", start="module")
    data = service.plan_data(plan)
    data["duration_minutes"] = 90
    data["objectives"] = data["objectives"][:2]
    data["activities"] = [
        activity(20, "presentation", "Input", [1]),
        activity(40, "role_play", "Role play", [2]),
        activity(30, "plenary", "Debrief", [1, 2]),
    ]
    plan = service.save_plan(db, author, plan.id, data, plan.lock_version)
    db.commit()
    return plan


def rows(db, plan_id):
    return db.execute(
        select(LessonActivity.position, LessonActivity.minutes)
        .where(LessonActivity.plan_id == plan_id)
        .order_by(LessonActivity.position)
    ).all()


def test_shipped_plans_are_approved_and_error_free(db):
    plans = service.list_plans(db)
    assert {p.module.code for p in plans if p.language == "en"} == {
        f"M{n:02}" for n in range(1, 11)
    }
    # every module has plans in Lao too (the plan-coverage check of the import)
    assert {p.module.code for p in plans if p.language == "lo"} == {
        f"M{n:02}" for n in range(1, 11)
    }
    for plan in plans:
        assert plan.status == "approved"
        assert service.plan_problems(plan) == [] or all(
            not p.is_error for p in service.plan_problems(plan)
        )
        assert len(plan.activities) >= 3
    assert {t.title for t in service.list_templates(db)} >= {
        "90-minute case-study session",
        "Half-day module (210 minutes)",
        "20-minute refresher",
    }


def test_create_from_module_prefills_objectives_and_key_messages(db, author):
    plan = service.create_plan(db, author, module_code="M06", language="lo", start="module")
    module = plan.module
    assert [o.text for o in plan.objectives] == module.content["learning_outcomes"]["lo"]
    assert plan.key_messages.split("\n") == module.content["key_messages"]["lo"]
    assert plan.status == "draft" and plan.version == 1 and plan.authors == [author]
    assert plan.title == module.content["title"]["lo"]


def test_create_from_template_copies_its_activities(db, author):
    template = next(t for t in service.list_templates(db) if t.duration_minutes == 90)
    plan = service.create_plan(
        db, author, module_code="M01", language="en", start="template", template_id=template.id
    )
    assert [(a.minutes, a.method.code) for a in plan.activities] == [
        (a.minutes, a.method.code) for a in template.activities
    ]
    assert plan.total_minutes == 90
    assert [o.text for o in plan.objectives] == [o.text for o in template.objectives]
    assert template.activities[0].plan_id == template.id  # the template itself is untouched


def test_create_with_bad_input_names_every_field(db, author):
    with pytest.raises(ValidationError) as caught:
        service.create_plan(db, author, module_code="M99", language="fr", start="template")
    assert set(caught.value.errors) == {"module", "language", "template"}


def test_a_draft_is_saved_with_errors_and_the_problems_are_reported(db, author, draft):
    data = service.plan_data(draft)
    data["activities"][0]["minutes"] = 10
    plan = service.save_plan(db, author, draft.id, data, draft.lock_version)
    assert plan.total_minutes == 80
    assert [p.code for p in service.plan_problems(plan)] == ["minutes"]
    with pytest.raises(ValidationError, match="Fix the errors"):
        service.change_status(db, author, plan.id, "submit")
    assert plan.status == "draft"


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda d: d["activities"][0].update(minutes=-5), "activities.0.minutes"),
        (lambda d: d["activities"][1].update(minutes="ten"), "activities.1.minutes"),
        (lambda d: d.update(duration_minutes=0), "duration_minutes"),
        (lambda d: d["activities"][2].update(method="lecture-ish"), "activities.2.method"),
        (lambda d: d["activities"][2].update(serves=[7]), "activities.2.serves"),
        (lambda d: d["activities"][0].update(title="<b>x</b>"), "activities.0.title"),
        (lambda d: d.update(activities=[activity(1)] * 10_000), "activities"),
    ],
)
def test_bad_input_stores_nothing(db, author, draft, change, field):
    before = rows(db, draft.id)
    lock = draft.lock_version
    data = service.plan_data(draft)
    change(data)
    with pytest.raises(ValidationError) as caught:
        service.save_plan(db, author, draft.id, data, lock)
    assert field in caught.value.errors
    db.rollback()
    assert rows(db, draft.id) == before
    assert db.get(LessonPlan, draft.id).lock_version == lock


def test_ids_of_another_plan_are_refused(db, author, draft):
    other = shipped(db, "m01-en-three-elements-90")
    data = service.plan_data(draft)
    data["activities"][1]["id"] = other.activities[0].id
    data["objectives"][0]["id"] = other.objectives[0].id
    with pytest.raises(ValidationError) as caught:
        service.save_plan(db, author, draft.id, data, draft.lock_version)
    assert "activities.1.title" in caught.value.errors
    assert "objectives.0.text" in caught.value.errors
    db.rollback()
    assert other.activities[0].plan_id == other.id


def test_activities_keep_their_identity_across_saves_and_moves(db, author, draft):
    ids = [a.id for a in draft.activities]
    data = service.plan_data(draft)
    plan = service.save_plan(db, author, draft.id, data, draft.lock_version, operation="move:2:0")
    assert [a.id for a in plan.activities] == [ids[2], ids[0], ids[1]]
    assert [a.position for a in plan.activities] == [1, 2, 3]
    # an objective removed (emptied) drops out of the activities that served it
    data = service.plan_data(plan)
    data["objectives"][0]["text"] = ""
    plan = service.save_plan(db, author, plan.id, data, plan.lock_version)
    assert len(plan.objectives) == 1
    assert [[o.position for o in a.objectives] for a in plan.activities] == [[1], [], [1]]


def test_two_tabs_cannot_overwrite_each_other(db, author, draft):
    opened = draft.lock_version
    data = service.plan_data(draft)
    service.save_plan(db, author, draft.id, data | {"title": "First tab"}, opened)
    with pytest.raises(StaleObject):
        service.save_plan(db, author, draft.id, data | {"title": "Second tab"}, opened)
    assert db.get(LessonPlan, draft.id).title == "First tab"


def review_to_approval(db, author, reviewer, plan):
    service.change_status(db, author, plan.id, "submit")
    return service.change_status(db, reviewer, plan.id, "approve")


def test_nobody_approves_their_own_plan(db, author, draft):
    # even an author who is a master trainer of the module and a coordinator
    make_qualification(db, author.trainer, "M04", level="master")
    service.change_status(db, author, draft.id, "submit")
    with pytest.raises(PermissionDenied):
        service.change_status(db, author, draft.id, "approve")
    coordinator = make_user(db, "coordinator")
    draft.authors.append(coordinator)
    with pytest.raises(PermissionDenied):
        service.change_status(db, coordinator, draft.id, "approve")


def test_who_reviews(db, author, draft):
    service.change_status(db, author, draft.id, "submit")
    lead = make_user(db, "trainer", trainer_id=make_trainer(db).id)
    make_qualification(db, lead.trainer, "M04", level="lead")
    master = make_user(db, "trainer", trainer_id=make_trainer(db).id)
    make_qualification(db, master.trainer, "M04", level="master")
    viewer = make_user(db, "viewer")
    for outsider in (lead, viewer):
        with pytest.raises(PermissionDenied):
            service.change_status(db, outsider, draft.id, "approve")
    with pytest.raises(ValidationError, match="Say what should change"):
        service.change_status(db, master, draft.id, "request_changes", "")
    service.change_status(db, master, draft.id, "request_changes", "Shorten the input.")
    assert draft.status == "draft"
    assert [w.reason for w in service.waiting_for(db, author)] == ["changes"]
    service.change_status(db, author, draft.id, "submit")
    assert [w.plan for w in service.waiting_for(db, master)] == [draft]
    assert service.waiting_for(db, lead) == []
    service.change_status(db, master, draft.id, "approve")
    assert draft.status == "approved" and draft.approved_at is not None
    actions = db.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "LessonPlan", AuditEvent.object_id == draft.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions[-4:] == ["submit", "request_changes", "submit", "approve"]


def test_an_approved_plan_is_read_only_and_editing_starts_a_new_version(db, author, draft):
    reviewer = make_user(db, "coordinator")
    approved = review_to_approval(db, author, reviewer, draft)
    data = service.plan_data(approved)
    with pytest.raises(ValidationError, match="read-only"):
        service.save_plan(db, author, approved.id, data, approved.lock_version)
    new = service.start_new_version(db, author, approved.id)
    assert (new.key, new.version, new.status) == (approved.key, 2, "draft")
    assert service.start_new_version(db, author, approved.id) is new  # one draft at a time
    data = service.plan_data(new)
    data["title"] = "Second version"
    service.save_plan(db, author, new.id, data, new.lock_version)
    assert approved.title != "Second version"
    review_to_approval(db, author, reviewer, new)
    assert approved.status == "retired"  # superseded
    diffs = service.compare_plans(approved, new)
    assert [d.field for d in diffs] == ["title"]


def test_fork_keeps_the_source_and_records_the_link(db, author):
    source = shipped(db, "m05-en-needs-and-rights-90")
    before = service.file_data(source)
    fork = service.fork_plan(db, author, source.id)
    assert fork.forked_from is source and fork.key != source.key
    assert (fork.version, fork.status, fork.authors) == (1, "draft", [author])
    assert service.fork_count(db, source) == 1
    data = service.plan_data(fork)
    data["activities"][0]["title"] = "Our own opening"
    service.save_plan(db, author, fork.id, data, fork.lock_version)
    db.expire_all()
    assert service.file_data(source) == before
    with pytest.raises(ValidationError):
        service.fork_plan(db, author, fork.id)  # a draft is not forked


def test_comments_on_activities_and_answers(db, author, draft):
    master = make_user(db, "trainer", trainer_id=make_trainer(db).id)
    make_qualification(db, master.trainer, "M04", level="master")
    service.change_status(db, author, draft.id, "submit")
    target = draft.activities[1]
    comment = service.add_comment(db, master, draft.id, "Too long", activity_id=target.id)
    answer = service.add_comment(db, author, draft.id, "Cut to 30", reply_to_id=comment.id)
    assert answer.activity is target and answer.reply_to is comment
    stranger = make_user(db, "trainer")
    with pytest.raises(PermissionDenied):
        service.add_comment(db, stranger, draft.id, "Hello")
    other = shipped(db, "m01-en-three-elements-90")
    with pytest.raises(ValidationError):
        service.add_comment(db, master, draft.id, "x", activity_id=other.activities[0].id)


def test_viewer_cannot_create_or_edit(db, draft):
    viewer = make_user(db, "viewer")
    with pytest.raises(PermissionDenied):
        service.create_plan(db, viewer, module_code="M01", language="en")
    with pytest.raises(PermissionDenied):
        service.save_plan(db, viewer, draft.id, service.plan_data(draft), draft.lock_version)


def test_library_filters(db, author, draft):
    ids = lambda **f: {p.id for p in service.list_plans(db, service.PlanFilters(**f))}  # noqa: E731
    assert draft.id in ids(module="M04", status="draft", author=author.id)
    assert draft.id not in ids(module="M05")
    lao = ids(language="lo")
    assert len(lao) == len(list((CURRICULUM / "lesson-plans").glob("m*-lo-*.yaml")))
    assert draft.id in ids(method="role_play") and draft.id not in ids(method="video")
    assert draft.id not in ids(max_duration=60)
    assert ids(q="indicators") >= {shipped(db, "m04-en-indicators-first-contact-90").id}
    assert ids(q="ຕົວຊີ້ບອກ") == {shipped(db, "m04-lo-indicators-first-contact-90").id}
    durations = [
        p.duration_minutes for p in service.list_plans(db, service.PlanFilters(sort="duration"))
    ]
    assert durations == sorted(durations)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    ops=st.lists(
        st.one_of(
            st.tuples(st.just("add"), st.integers(0, 8)),
            st.tuples(st.sampled_from(["up", "down", "delete"]), st.integers(0, 8)),
            st.tuples(st.just("move"), st.integers(0, 8), st.integers(0, 8)),
        ),
        max_size=12,
    )
)
def test_random_builder_edits_on_the_database(db, author, draft, ops):
    plan = draft
    expected = [a.minutes for a in plan.activities]
    for op in ops:
        name, *args = op
        operation = ":".join([name, *map(str, args)])
        data = service.plan_data(plan)
        if name == "add" and len(expected) >= 40:
            continue
        plan = service.save_plan(db, author, plan.id, data, plan.lock_version, operation)
        if name == "add":
            expected.insert(min(args[0], len(expected)), 10)
        elif name == "delete" and args[0] < len(expected):
            del expected[args[0]]
        elif name in ("up", "down", "move") and args[0] < len(expected):
            if name == "up":
                target = args[0] - 1
            elif name == "down":
                target = args[0] + 1
            else:
                target = args[1]
            target = max(0, min(len(expected) - 1, target))
            expected.insert(target, expected.pop(args[0]))
        stored = rows(db, plan.id)
        assert [p for p, _m in stored] == list(range(1, len(stored) + 1))
        assert [m for _p, m in stored] == expected
        assert plan.total_minutes == sum(expected)
    # restore the fixture's plan for the next example
    data = service.plan_data(plan)
    data["activities"] = [
        activity(20, "presentation", "Input", [1]),
        activity(40, "role_play", "Role play", [2]),
        activity(30, "plenary", "Debrief", [1, 2]),
    ]
    service.save_plan(db, author, plan.id, data, plan.lock_version)
    assert (
        db.scalar(
            select(func.count())
            .select_from(LessonActivity)
            .where(LessonActivity.plan_id == plan.id)
        )
        == 3
    )
