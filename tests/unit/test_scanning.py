"""The readable sheets printed for real, filled in and photographed by program, and read
back: every clear mark right, every ambiguous one left unsure (never guessed).

A three-day workshop of 30 people: the sign-in sheet of each day (2 pages each), the
attendance grid (2 pages) and 24 answer sheets of a 20-question test (20 with names, the 4
blank ones with the code bubbled), each page rendered by WeasyPrint, rasterised by
poppler at 200 dpi, filled (ticks, crosses, filled bubbles, signatures, handwritten names,
some boxes left empty, about 6 % ambiguous marks) and photographed as a phone does: up to
7 degrees askew, in perspective, out of focus, unevenly lit, JPEG quality 60.

The counts: 32 pages, 2,405 clear boxes (695 marked, 1,710 empty) every one read right,
55 ambiguous marks every one left unsure; 12 questions with two answers and 39 with an
unsure bubble wait for a decision; the 4 bubbled codes read.
"""

from __future__ import annotations

import collections
import datetime as dt
import io

import cv2
import numpy as np
import pytest
import zxingcpp
from pypdf import PdfReader

from curriculum import scanning
from curriculum.documents import sheets
from curriculum.documents.participants import paper_data
from curriculum.documents.render import Settings
from curriculum.models import Registration
from curriculum.services import scans
from tests.pdf import TRANSLATIONS, as_extracted, squeeze
from tests.scanfill import fill, pages_of, photograph
from tests.workshops import lao_people, workshop_with_people

START = dt.date(2027, 3, 2)


@pytest.fixture
def workshop(db):
    """A three-day Lao workshop of 30 people, its agenda from the three-day programme."""
    w, _registrations = workshop_with_people(
        db,
        "Bokeo",
        START,
        3,
        lao_people(30),
        title_lo="ກອງປະຊຸມຂັ້ນແຂວງ ບໍ່ແກ້ວ",
        language="lo",
        programme="provincial-3-day",
    )
    return w


@pytest.fixture
def settings(tmp_path):
    return Settings(tmp_path / "cache", TRANSLATIONS)


def _pdf(settings, data, name) -> bytes:
    return sheets.render_sheets(settings, data, name).path.read_bytes()


def test_the_sheets_print_what_they_will_be_read_by(db, workshop, settings):
    """Every page names itself in its QR code; the page as printed reads as all empty."""
    data = sheets.sign_in_sheets(db, workshop, START, "lo")
    pdf = _pdf(settings, data, "sign-in.pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2  # 30 people and 6 empty rows, 19 rows a page
    text = squeeze(as_extracted("".join(page.extract_text() for page in reader.pages)))
    assert squeeze("ໃບລົງທະບຽນເຂົ້າຮ່ວມ") in text  # the heading, in Lao
    for person in (r.participant for r in workshop_registrations(db, workshop)):
        assert squeeze(as_extracted(person.name_lao)) in text
        assert squeeze(person.name_latin) in text
    for image in pages_of(pdf, 150):
        read = scanning.read_page(image)
        assert read.problem == "" and read.page is not None
        assert read.page.workshop_id == workshop.id and read.page.days == [START]
        assert set(read.states.values()) == {scanning.EMPTY}
    # a page scanned upside down reads the same
    upside_down = cv2.rotate(pages_of(pdf, 150)[1], cv2.ROTATE_180)
    assert scanning.read_page(upside_down).page == scanning.read_page(pages_of(pdf, 150)[1]).page
    first = scanning.read_page(pages_of(pdf, 150)[0]).page
    registrations = {r.id for r in workshop_registrations(db, workshop)}
    assert first is not None and set(first.rows) <= registrations and len(first.rows) == 19


def workshop_registrations(db, workshop):
    return db.query(Registration).filter_by(workshop_id=workshop.id).all()


def test_a_code_misread_or_made_by_hand_is_refused():
    page = sheets.Page(sheets.SIGN_IN, 4, "2027-03-02", 1, 2, (10, 11), 3)
    assert sheets.parse_payload(page.payload) == page
    body, _sep, check = page.payload.rpartition(";")
    with pytest.raises(sheets.BadCode):
        sheets.parse_payload(body.replace(";4;", ";5;") + ";" + check)  # another workshop
    with pytest.raises(sheets.BadCode):
        sheets.parse_payload("https://example.org/")


def test_filled_and_photographed_pages_read_right_and_unsure_is_never_guessed(
    db, workshop, settings
):
    questions = paper_data(db, workshop, "test", "lo")["questions"]
    assert len(questions) >= 20
    pdfs = [
        _pdf(
            settings,
            sheets.sign_in_sheets(db, workshop, START + dt.timedelta(days=d), "lo"),
            f"s{d}.pdf",
        )
        for d in range(3)
    ]
    pdfs.append(_pdf(settings, sheets.attendance_sheets(db, workshop, "lo"), "grid.pdf"))
    answers = _pdf(
        settings, sheets.answer_sheets(db, workshop, "pre", questions[:20], "lo"), "t.pdf"
    )
    images = [image for pdf in pdfs for image in pages_of(pdf, 200)]
    answer_pages = pages_of(answers, 200)
    images += answer_pages[:20] + answer_pages[-4:]  # 20 with names, the 4 blank ones
    rng = np.random.default_rng(2027)
    counts: collections.Counter = collections.Counter()
    questions_unsure = questions_two = codes = 0
    for image in images:
        page = sheets.parse_payload(zxingcpp.read_barcodes(image)[0].text)
        filled = fill(image, page, 200, rng)
        photo = photograph(filled.image, rng, "photo", quality=60)
        read = scanning.read_page(scanning.decode_image(photo), crops=False)
        assert read.problem == "", read.problem
        assert read.page == page
        for key, truth in filled.truth.items():
            got = read.states[key]
            counts[(truth, got)] += 1
            assert got == truth, (page.number, key, filled.marks[key], read.shares[key])
        if page.kind == sheets.ANSWERS:
            for n in range(1, 21):
                states = [read.states[f"q{n}.{c}"] for c in range(4)]
                marked = [filled.marks[f"q{n}.{c}"] for c in range(4)]
                if marked.count("fill") == 2:  # two answers to one question
                    questions_two += 1
                    assert scans._one_marked(states) == ""
                if scanning.UNSURE in states:
                    questions_unsure += 1
                    assert scans._one_marked(states) == ""
            if page.rows == (0,):
                digits = [
                    scans._one_marked([read.states[f"c{k}.{v}"] for v in range(10)])
                    for k in range(sheets.CODE_DIGITS)
                ]
                assert "".join(digits) == filled.code
                codes += 1
    pages = len(images)
    clear = sum(n for (truth, _got), n in counts.items() if truth != scanning.UNSURE)
    ambiguous = sum(n for (truth, _got), n in counts.items() if truth == scanning.UNSURE)
    print(
        f"\n{pages} pages photographed: {clear} clear boxes all read right"
        f" ({counts[('marked', 'marked')]} marked, {counts[('empty', 'empty')]} empty);"
        f" {ambiguous} ambiguous marks all left unsure; {questions_two} questions with two"
        f" answers and {questions_unsure} with an unsure bubble left for a decision;"
        f" {codes} bubbled codes read"
    )
    # the pages are filled from a seeded generator: the same boxes every run
    assert (pages, clear, counts[("marked", "marked")], ambiguous) == (32, 2405, 695, 55)
    assert (questions_two, questions_unsure, codes) == (12, 39, 4)


@pytest.mark.parametrize("shape", sorted(scanning.THRESHOLDS))
def test_a_box_between_the_thresholds_is_unsure_never_guessed(shape):
    low, high = scanning.THRESHOLDS[shape]
    assert 0 < low < high < 1
    assert scanning.state(0.0, shape) == scanning.state(low * 0.99, shape) == scanning.EMPTY
    assert scanning.state(low, shape) == scanning.state(high * 0.99, shape) == scanning.UNSURE
    assert scanning.state(high, shape) == scanning.state(1.0, shape) == scanning.MARKED
