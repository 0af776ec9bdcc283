"""A workshop's agenda and packs rendered for real and read back."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from curriculum.documents.render import Settings
from curriculum.documents.workshops import render_pack
from curriculum.models import LessonPlan
from curriculum.permissions import SYSTEM
from curriculum.services import workshops
from tests.conftest import make_qualification, make_trainer
from tests.pdf import TRANSLATIONS, pages_text, squeeze

START = dt.date(2027, 3, 2)
KEYS = (
    "m04-en-indicators-first-contact-90",
    "m05-en-needs-and-rights-90",
    "m06-en-child-sensitive-interview-90",
)


@pytest.fixture
def settings(document_cache):
    return Settings(document_cache, TRANSLATIONS)


@pytest.fixture
def workshop(db):
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": START, "end_date": START + dt.timedelta(days=30)}
    )
    w = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Bokeo pack test",
            "province": "LA-BK",
            "start_date": START,
            "end_date": START + dt.timedelta(days=1),
            "language": "en",
        },
    )
    plans = [db.scalar(select(LessonPlan).where(LessonPlan.key == k)) for k in KEYS]
    workshops.lay_out_agenda(db, SYSTEM, w.id, [p.id for p in plans])
    trainer = make_trainer(db, given_name_latin="Khamla")
    for code in ("M04", "M05", "M06"):
        make_qualification(db, trainer, code)
    for s in w.sessions:
        if s.kind == "session":
            workshops.set_session_trainers(db, SYSTEM, s.id, [trainer.id])
    return w


def outline(path):
    reader = PdfReader(path)
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append((item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return titles


def test_agenda_has_a_page_per_day_with_the_sessions(db, settings, workshop):
    document = render_pack(db, settings, workshop, "agenda")
    pages = pages_text(document.path)
    assert len(pages) == 2
    assert "Day 1: Tuesday, 2 March 2027" in pages[0]
    assert "Day 2: Wednesday, 3 March 2027" in pages[1]
    assert "08:30–10:00" in pages[0] and "Lunch" in pages[0]
    assert "Indicators and first contact" in pages[0]
    assert "Khamla" in pages[0]


def test_trainers_pack_contents_bookmarks_plans_and_chapters(db, settings, workshop):
    document = render_pack(db, settings, workshop, "trainers")
    pages = pages_text(document.path)
    text = squeeze("".join(pages))
    marks = dict(outline(document.path))
    plans = [s.lesson_plan for s in workshop.sessions if s.kind == "session"]
    unique = list(dict.fromkeys(plans))
    assert len(unique) == 3
    for plan in unique:
        # every session's plan: a bookmark, a contents line with the page it starts on,
        # and its trainer's notes
        assert plan.title in marks
        page = marks[plan.title]
        assert squeeze(plan.title) in squeeze(pages[page - 1])
        contents = pages[1]
        line = next(line for line in contents.splitlines() if plan.title[:30] in line)
        assert line.rstrip().endswith(str(page))
        assert squeeze(plan.trainer_notes)[:50] in text
    for code in ("M04", "M05", "M06"):
        assert any(title.startswith(f"Module {int(code[1:])}") for title in marks), marks
    assert "Contents" in marks and "Agenda: Bokeo pack test" in marks


def test_participants_pack_has_handouts_and_glossary_but_no_trainer_note(db, settings, workshop):
    document = render_pack(db, settings, workshop, "participants")
    text = squeeze("".join(pages_text(document.path)))
    marks = dict(outline(document.path))
    plans = list(dict.fromkeys(s.lesson_plan for s in workshop.sessions if s.kind == "session"))
    for plan in plans:
        assert plan.title in marks
        assert squeeze(plan.trainer_notes)[:40] not in text
        for a in plan.activities:
            if a.notes:
                assert squeeze(a.notes)[:30] not in text
            if a.trainer_does:
                assert squeeze(a.trainer_does)[:40] not in text
        assert squeeze(plan.objectives[0].text)[:40] in text
    assert "Glossary" in marks
    assert "Module 4" not in "".join(marks)  # no Reference Guide chapter for participants


def test_a_lao_title_prints_on_the_lao_agenda_and_packs(db, settings, workshop):
    workshop.title_lo = "ກອງປະຊຸມບໍ່ແກ້ວ"
    workshop.rollout.name_lo = "ແຜນ 2027"
    db.flush()
    lao = squeeze(
        "".join(
            p.extract_text()
            for p in PdfReader(render_pack(db, settings, workshop, "agenda", "lo").path).pages
        )
    )
    assert squeeze("ກອງປະຊຸມບໍ່ແກ້ວ") in lao and "Bokeo pack test" not in lao
    assert squeeze("ແຜນ 2027") in lao  # the rollout's Lao name
    english = "".join(pages_text(render_pack(db, settings, workshop, "agenda", "en").path))
    assert "Bokeo pack test" in english and "ກອງປະຊຸມບໍ່ແກ້ວ" not in english
    workshop.language = "lo"
    db.flush()
    pack = squeeze(
        "".join(
            p.extract_text()
            for p in PdfReader(render_pack(db, settings, workshop, "participants").path).pages
        )
    )
    assert squeeze("ກອງປະຊຸມບໍ່ແກ້ວ") in pack and squeeze("ແຜນ 2027") in pack


def test_the_agenda_prints_in_either_language(db, settings, workshop):
    lao = render_pack(db, settings, workshop, "agenda", "lo")
    assert lao.filename.endswith("-agenda-lo.pdf")
    text = "".join(pages_text(lao.path))
    assert "ກຳນົດການ" in text and "ພັກທ່ຽງ" in text  # "Agenda", "Lunch" in Lao
    # dates through Babel's Lao locale, read back in reading order (pypdf)
    lao_pages = [squeeze(p.extract_text()) for p in PdfReader(lao.path).pages]
    assert squeeze("ມື້ທີ 1: ວັນອັງຄານ, 2 ມີນາ 2027") in lao_pages[0]
    assert squeeze("ມື້ທີ 2: ວັນພຸດ, 3 ມີນາ 2027") in lao_pages[1]
    assert not any(month in "".join(lao_pages) for month in ("March", "Tuesday", "2027-03"))
    english = render_pack(db, settings, workshop, "agenda", "en")
    assert english.path != lao.path and "Lunch" in "".join(pages_text(english.path))


def test_model_answers_print_in_the_trainers_pack_and_never_in_the_participants_pack(
    db, settings, workshop
):
    plans = list(dict.fromkeys(s.lesson_plan for s in workshop.sessions if s.kind == "session"))
    handouts = [link.material for plan in plans for link in plan.handout_links]
    assert {m.key for m in handouts} >= {
        "case-checkpoint",
        "first-contact-role-briefs",
        "referral-chart",
        "story-of-noy",
        "age-assessment-cards",
    }
    modules = [plan.module for plan in plans]
    chapter_answers = [
        case["model_answer"]["en"] for m in modules for case in m.content["case_studies"]
    ]
    assert len(chapter_answers) == 3  # the case studies of M04, M05 and M06

    def words(markdown: str) -> str:
        """The first words of a text's first line, as they read back from the PDF."""
        first = markdown.split("\n")[0].lstrip("0123456789. ")
        return squeeze(first)[:45]

    trainers = squeeze("".join(pages_text(render_pack(db, settings, workshop, "trainers").path)))
    participants = squeeze(
        "".join(pages_text(render_pack(db, settings, workshop, "participants").path))
    )
    for material in handouts:
        # the handout itself is in both packs: participants need it for the exercise
        assert squeeze(material.title_en) in trainers and squeeze(material.title_en) in participants
        assert words(material.answer_en) in trainers, material.key
        assert words(material.answer_en) not in participants, material.key
    for answer in chapter_answers:
        assert words(answer) in trainers
        assert words(answer) not in participants
    assert squeeze("Model answer (for the trainer)") in trainers
    assert squeeze("Model answer") not in participants
