"""A lesson plan's two PDFs rendered for real (WeasyPrint) and read back (pdftotext, pypdf)."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from curriculum.documents.lessons import render_plan
from curriculum.documents.render import Settings
from curriculum.lao import is_lao
from curriculum.models import LessonPlan
from curriculum.services import lessons as service
from tests.conftest import make_user
from tests.pdf import TRANSLATIONS, pages_text, squeeze, text_lines

LEFT_MARGIN = RIGHT_MARGIN = 18 / 25.4 * 72  # lesson.css
CONTENT_RIGHT = 595.28 - RIGHT_MARGIN


@pytest.fixture
def settings(document_cache):
    return Settings(document_cache, TRANSLATIONS)


def plan(db, key: str) -> LessonPlan:
    return db.scalar(select(LessonPlan).where(LessonPlan.key == key))


def text_of(path) -> str:
    return "\n".join(pages_text(path))


def test_trainer_plan_has_the_right_start_times(db, settings):
    m07 = plan(db, "m07-en-evidence-and-peace-120")
    document = render_plan(db, settings, m07, "plan")
    text = text_of(document.path)
    # each activity's row starts with its start and end minute, then its minutes
    rows = re.findall(r"^\s*(\d+)–(\d+)\s+(\d+)\s+\d+\. (.+?)\s{2,}", text, re.M)
    assert [(int(a), int(b), int(m)) for a, b, m, _t in rows] == [
        (0, 15, 15),
        (15, 35, 20),
        (35, 65, 30),
        (65, 80, 15),
        (80, 110, 30),
        (110, 120, 10),
    ]
    assert rows[0][3].startswith("Why do trafficking cases fail?")
    assert "120 of 120 minutes" in text


def test_times_follow_a_change_of_the_plan(db, settings):
    author = make_user(db, "trainer")
    draft = service.fork_plan(db, author, plan(db, "m01-en-three-elements-90").id)
    data = service.plan_data(draft)
    data["activities"][0]["minutes"] = 25
    data["activities"] = data["activities"][:1] + data["activities"][2:]
    draft = service.save_plan(db, author, draft.id, data, draft.lock_version)
    text = text_of(render_plan(db, settings, draft, "plan").path)
    starts = re.findall(r"^\s*(\d+)–(\d+)\s+\d+\s+\d+\.", text, re.M)
    assert starts == [("0", "25"), ("25", "55"), ("55", "75"), ("75", "85")]
    assert "85 of 90 minutes" in text


def test_trainer_notes_are_in_the_plan_and_not_in_the_handout(db, settings):
    m04 = plan(db, "m04-en-indicators-first-contact-90")
    notes = squeeze(m04.trainer_notes)[:60]
    activity_note = "Never use a real victim"
    trainer = squeeze(text_of(render_plan(db, settings, m04, "plan").path))
    handout_doc = render_plan(db, settings, m04, "handout")
    handout = squeeze(text_of(handout_doc.path))
    assert notes in trainer
    assert notes not in handout and squeeze(activity_note) not in handout
    assert squeeze("Spread the indicator cards") in trainer  # what the trainer does
    assert squeeze("Spread the indicator cards") not in handout
    # the handout keeps what participants need
    for objective in m04.objectives:
        assert squeeze(objective.text)[:50] in handout
    assert squeeze("Play the first contact") in handout
    # glossary terms the plan uses ("indicators", "referral"), with their definitions
    assert "Glossary" in handout and "indicator" in handout and "referral" in handout
    assert squeeze("A sign that suggests, without proving") in handout


def test_a_lao_plan_stays_inside_the_margins(db, settings):
    m06 = plan(db, "m06-lo-child-sensitive-interview-90")
    for kind in ("plan", "handout"):
        document = render_plan(db, settings, m06, kind)
        reader = PdfReader(document.path)
        fonts = {
            str(f["/BaseFont"])
            for page in reader.pages
            for f in page["/Resources"]["/Font"].values()
        }
        assert any("Noto-Sans-Lao" in f for f in fonts), fonts
        lao_lines = 0
        for lines in text_lines(document.path):
            for x_max, text in lines:
                if any(is_lao(ch) for ch in text):
                    assert x_max <= CONTENT_RIGHT + 1, f"runs past the margin: {text[:40]}"
                    lao_lines += 1
        assert lao_lines > 20
        text = "".join(page.extract_text() for page in reader.pages)
        assert "\u200b" not in text


def test_pdfs_are_cached_until_the_plan_changes(db, settings):
    author = make_user(db, "trainer")
    draft = service.fork_plan(db, author, plan(db, "m09-en-follow-the-money-90").id)
    first = render_plan(db, settings, draft, "handout")
    assert render_plan(db, settings, draft, "handout").path == first.path
    data = service.plan_data(draft)
    data["key_messages"] = ["A new key message."]
    draft = service.save_plan(db, author, draft.id, data, draft.lock_version)
    second = render_plan(db, settings, draft, "handout")
    assert second.path != first.path
    assert "A new key message." in text_of(second.path)
