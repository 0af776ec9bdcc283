"""Programme outlines: a one-, two- or three-day workshop laid out in one step."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from curriculum.content.files import ContentInvalid, read_curriculum
from curriculum.permissions import SYSTEM
from curriculum.services import programmes, workshops
from curriculum.vocabulary import SessionKind
from tests.conftest import CURRICULUM

START = dt.date(2027, 3, 2)  # a Tuesday: three working days follow


def _workshop(db, days: int, language: str = "en"):
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": START, "end_date": START + dt.timedelta(days=60)}
    )
    return workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": f"{days}-day test",
            "province": "LA-CH",
            "start_date": START,
            "end_date": START + dt.timedelta(days=days - 1),
            "language": language,
        },
    )


def test_the_three_day_outline_lays_out_a_three_day_agenda_in_one_step(db):
    workshop = _workshop(db, 3)
    outline = next(p for p in programmes.list_programmes(db) if p.key == "provincial-3-day")
    offered = programmes.for_workshop(db, workshop)
    assert offered[0].key == "provincial-3-day"  # the outline as long as the workshop first

    workshop, problems = programmes.lay_out_programme(db, SYSTEM, workshop.id, outline.key)

    assert problems == []
    sessions = sorted(
        (s for s in workshop.sessions if s.kind == SessionKind.SESSION),
        key=lambda s: (s.day, s.start_time),
    )
    taught = list(dict.fromkeys(s.lesson_plan.key for s in sessions))
    assert taught == outline.plan_keys("en")  # every plan, in the outline's order
    assert {s.day for s in sessions} == {START + dt.timedelta(days=n) for n in range(3)}
    assert all(s.lesson_plan.language == "en" for s in sessions)
    # each plan's whole time is on the agenda
    for plan in {s.lesson_plan for s in sessions}:
        minutes = sum(
            (
                dt.datetime.combine(s.day, s.end_time) - dt.datetime.combine(s.day, s.start_time)
            ).seconds
            // 60
            for s in sessions
            if s.lesson_plan_id == plan.id
        )
        assert minutes == plan.duration_minutes, plan.key


def test_a_lao_workshop_gets_the_lao_plans_of_the_outline(db):
    workshop = _workshop(db, 2, "lo")
    workshop, problems = programmes.lay_out_programme(db, SYSTEM, workshop.id, "provincial-2-day")
    assert problems == []
    plans = {s.lesson_plan for s in workshop.sessions if s.kind == SessionKind.SESSION}
    assert plans and all(p.language == "lo" for p in plans)
    outline = next(p for p in programmes.list_programmes(db) if p.key == "provincial-2-day")
    assert {p.key for p in plans} == set(outline.plan_keys("lo"))


def test_an_unknown_outline_is_refused_and_the_agenda_kept(db):
    from curriculum.errors import NotFound

    workshop = _workshop(db, 1)
    with pytest.raises(NotFound):
        programmes.lay_out_programme(db, SYSTEM, workshop.id, "no-such-outline")
    assert workshop.sessions == []


def test_an_outline_naming_an_unknown_plan_or_one_in_another_language_is_refused(tmp_path):
    folder = tmp_path / "modules"
    shutil.copytree(CURRICULUM, folder)
    path = folder / "programmes.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    - m01-en-three-elements-90\n", "    - m01-en-no-such-plan\n", 1)
    at = text.index("    - m02-lo-toc-tipp-together-90\n")
    text = text[:at] + text[at:].replace("-lo-", "-en-", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentInvalid) as info:
        read_curriculum(folder)
    messages = sorted(p.message for p in info.value.problems)
    assert messages == [
        "the plan 'm02-en-toc-tipp-together-90' is in 'en', not 'lo'",
        "unknown lesson plan 'm01-en-no-such-plan'",
    ]
    lines = text.splitlines()
    assert {p.line for p in info.value.problems} == {
        lines.index("    - m01-en-no-such-plan") + 1,
        text[:at].count("\n") + 1,
    }
