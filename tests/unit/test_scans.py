"""What pages read from a scan say and would change, decided and saved (without Flask): the
rules of the preview on pages as the reading job leaves them, the upload's checks, the
images of a scanned PDF's pages, the store's clean-up."""

from __future__ import annotations

import datetime as dt
import io
import time
from decimal import Decimal

import numpy as np
import pytest
from PIL import Image

from curriculum.documents import sheets
from curriculum.errors import StaleObject, ValidationError
from curriculum.permissions import SYSTEM
from curriculum.scanning import EMPTY, MARKED, UNSURE
from curriculum.services import participants as ps
from curriculum.services import scans
from tests.workshops import workshop_with_people

START = dt.date(2027, 4, 6)


def _workshop(db, title="Saravane", people=3):
    people_ = [{"given_name_latin": f"P{n}", "family_name_latin": "Test"} for n in range(people)]
    return workshop_with_people(
        db, title, START, 2, people_, province="LA-SL", programme="provincial-2-day"
    )


def _sign_in(number, w, regs, day, states, walk_ins=0) -> dict:
    """A sign-in page as the job leaves it: ``states`` per row (tick, signature)."""
    page = sheets.Page(
        sheets.SIGN_IN, w.id, day.isoformat(), 1, 1, tuple(r.id for r in regs), walk_ins
    )
    read = {}
    for i, (tick, sign) in enumerate(states):
        read[f"r{i}.tick"], read[f"r{i}.sign"] = tick, sign
    for i in range(walk_ins):
        read[f"w{i}.name"], read[f"w{i}.tick"], read[f"w{i}.sign"] = MARKED, MARKED, MARKED
    return {
        "number": number,
        "source": f"p{number}",
        "problem": "",
        "code": page.payload,
        "states": read,
    }


def _answers(number, w, rid, answers, questions, test="pre", code=None) -> dict:
    """An answer sheet: ``answers`` per question, a list of the choices marked."""
    detail = f"{test}-{sheets.quiz_digest(questions)}-{len(questions)}"
    page = sheets.Page(sheets.ANSWERS, w.id, detail, 1, 1, (rid,), 0)
    read = {}
    for n, marked in enumerate(answers, start=1):
        for c in range(4):
            read[f"q{n}.{c}"] = (
                marked.get(c, EMPTY)
                if isinstance(marked, dict)
                else (MARKED if c in marked else EMPTY)
            )
    if code is not None:
        for k in range(sheets.CODE_DIGITS):
            for v in range(10):
                read[f"c{k}.{v}"] = MARKED if code[k] == str(v) else EMPTY
    return {
        "number": number,
        "source": f"p{number}",
        "problem": "",
        "code": page.payload,
        "states": read,
    }


def test_rows_are_present_absent_or_wait_and_nothing_unsure_is_saved(db):
    w, (a, b, c) = _workshop(db)
    pages = [
        _sign_in(1, w, [a, b, c], START, [(MARKED, EMPTY), (UNSURE, EMPTY), (EMPTY, EMPTY)], 1)
    ]
    result = scans.preview(db, SYSTEM, w.id, pages)
    view = result.pages[0]
    assert [i.read for i in view.items] == ["1", "", "0"] and view.walk_ins == ["w0.row"]
    assert [(ch.registration_id, ch.new) for ch in result.changes] == [(a.id, "1"), (c.id, "0")]
    with pytest.raises(ValidationError) as refused:
        scans.save(db, SYSTEM, w.id, pages, {}, result.fingerprint)
    assert "decide-1:r1" in refused.value.errors
    assert a.attendance == [] and b.attendance == []  # nothing stored
    stored = scans.save(db, SYSTEM, w.id, pages, {"1:r1": "1"}, result.fingerprint)
    db.expire_all()
    assert stored == 3
    assert [(x.day, x.present) for x in b.attendance] == [(START, True)]
    assert c.attendance[0].present is False and c.status == "registered"
    assert b.status == "attended"
    # the app changed since a preview: refused, nothing stored
    again = scans.preview(db, SYSTEM, w.id, pages, {"1:r1": "0"})
    assert [(ch.registration_id, ch.now, ch.new) for ch in again.changes] == [(b.id, "1", "0")]
    c.attendance[0].present = True
    db.flush()
    with pytest.raises(StaleObject):
        scans.save(db, SYSTEM, w.id, pages, {"1:r1": "0"}, again.fingerprint)


def test_a_value_replacing_the_apps_is_stored_only_when_taken(db):
    w, (a, b, c) = _workshop(db)
    ps.record_attendance_marks(db, SYSTEM, w.id, {(a.id, START): True, (b.id, START): True})
    pages = [_sign_in(1, w, [a, b, c], START, [(EMPTY, EMPTY)] * 3)]
    result = scans.preview(db, SYSTEM, w.id, pages)
    assert [(ch.key, ch.kind) for ch in result.changes] == [
        (f"{a.id}:{START}", scans.CHANGED),
        (f"{b.id}:{START}", scans.CHANGED),
        (f"{c.id}:{START}", scans.NEW),
    ]
    # the new value is stored; of the two that differ, only the one taken
    stored = scans.save(db, SYSTEM, w.id, pages, {}, result.fingerprint, {f"{b.id}:{START}"})
    db.expire_all()
    assert stored == 2
    assert [x.present for x in a.attendance] == [True]  # kept as typed in
    assert [x.present for x in b.attendance] == [False] and [x.present for x in c.attendance] == [
        False
    ]
    again = scans.preview(db, SYSTEM, w.id, pages)
    assert scans.save(db, SYSTEM, w.id, pages, {}, again.fingerprint, take_all=True) == 1
    db.expire_all()
    assert [x.present for x in a.attendance] == [False]


def test_a_present_mark_on_any_page_wins_and_pages_of_other_workshops_are_named(db):
    w, (a, b, c) = _workshop(db)
    other, (d,) = _workshop(db, "Sekong", 1)
    pages = [
        _sign_in(1, w, [a, b, c], START, [(EMPTY, EMPTY)] * 3),
        _sign_in(2, w, [a, b, c], START, [(MARKED, MARKED), (EMPTY, EMPTY), (EMPTY, EMPTY)]),
        _sign_in(3, other, [d], START, [(MARKED, MARKED)]),
        {"number": 4, "source": "p4", "problem": "markers"},
    ]
    result = scans.preview(db, SYSTEM, w.id, pages)
    assert str(result.pages[2].problem) == (
        "This page is from another workshop: Sekong. It was left out."
    )
    assert "corner squares were not found" in str(result.pages[3].problem)
    assert {(ch.registration_id, ch.new, ch.pages) for ch in result.changes} == {
        (a.id, "1", (1, 2)),
        (b.id, "0", (1, 2)),
        (c.id, "0", (1, 2)),
    }


def test_a_row_of_someone_no_longer_listed_is_left_out_with_a_note(db):
    w, (a, b, c) = _workshop(db)
    page = _sign_in(1, w, [a, b, c], START, [(MARKED, MARKED)] * 3)
    b.status = "cancelled"
    db.flush()
    result = scans.preview(db, SYSTEM, w.id, [page])
    assert [i.registration_id for i in result.pages[0].items] == [a.id, c.id]
    assert "is no longer on this workshop's list" in str(result.pages[0].notes[0])


def test_a_sheet_of_changed_days_or_a_changed_test_is_refused(db):
    w, (a, b, c) = _workshop(db)
    questions = scans.test_questions(db, w)
    pages = [
        _sign_in(1, w, [a], START - dt.timedelta(days=1), [(MARKED, MARKED)]),
        _answers(2, w, a.id, [[0]] * len(questions), questions[:-1]),
    ]
    result = scans.preview(db, SYSTEM, w.id, pages)
    assert "days changed" in str(result.pages[0].problem)
    assert "test changed" in str(result.pages[1].problem)
    assert result.changes == []


def test_answer_sheets_are_scored_from_the_key_and_two_marks_wait_for_a_decision(db):
    w, (a, b, c) = _workshop(db)
    questions = scans.test_questions(db, w)
    n = len(questions)
    key = [q["answer"] - 1 for q in questions]
    right = [[k] for k in key]
    a_marks = [[key[0], (key[0] + 1) % 4], *right[1:-1], []]  # two marks; the last empty
    pages = [
        _answers(1, w, a.id, a_marks, questions),
        # a blank sheet: the code bubbled, every answer wrong but one, a bubble unsure
        _answers(
            2,
            w,
            0,
            [[(key[0] + 1) % 4], {key[1]: UNSURE}, *[[(k + 1) % 4] for k in key[2:]]],
            questions,
            "post",
            f"{b.id:05d}",
        ),
        # b's post-test a second time: left out, named
        _answers(3, w, b.id, right, questions, "post"),
    ]
    result = scans.preview(db, SYSTEM, w.id, pages)
    first, blank, twice = result.pages
    assert [i.key for i in result.unsure] == ["1:q1", "2:q2"]
    assert first.score is None and blank.person is b
    assert "already" in str(twice.problem)
    decided = scans.preview(db, SYSTEM, w.id, pages, {"1:q1": str(key[0]), "2:q2": "-"})
    assert decided.pages[0].score == (Decimal(n - 1) * 100 / n).quantize(Decimal("0.1"))
    assert decided.pages[1].score == Decimal("0.0")
    scans.save(db, SYSTEM, w.id, pages, {"1:q1": str(key[0]), "2:q2": "-"}, decided.fingerprint)
    db.expire_all()
    assert a.pre_score == decided.pages[0].score and b.post_score == Decimal("0.0")


def test_a_bubbled_code_not_on_the_list_waits_for_the_person_to_be_chosen(db):
    w, (a, b, c) = _workshop(db)
    questions = scans.test_questions(db, w)
    pages = [_answers(1, w, 0, [[0]] * len(questions), questions, code="99999")]
    result = scans.preview(db, SYSTEM, w.id, pages)
    (code,) = result.unsure
    assert code.kind == "code" and "R99999" in str(result.pages[0].notes[0])
    chosen = scans.preview(db, SYSTEM, w.id, pages, {"1:code": str(c.id)})
    assert chosen.pages[0].person is c and chosen.missing == []
    ignored = scans.preview(db, SYSTEM, w.id, pages, {"1:code": "424242"})  # not listed
    assert ignored.missing == [ignored.pages[0].items[0]]


def _jpeg(size=(60, 80), colour=255) -> bytes:
    out = io.BytesIO()
    Image.new("L", size, colour).save(out, "JPEG")
    return out.getvalue()


def test_an_upload_that_cannot_be_a_scan_is_refused_by_name():
    with pytest.raises(ValidationError, match="list.xlsx is not a photo"):
        scans.check_upload([("list.xlsx", b"PK\x03\x04 a workbook")])
    with pytest.raises(ValidationError, match="broken.pdf cannot be read as a PDF"):
        scans.check_upload([("broken.pdf", b"%PDF-1.7\n garbage")])
    with pytest.raises(ValidationError, match="Choose the scanned PDF"):
        scans.check_upload([])
    with pytest.raises(ValidationError, match="at most 200 files"):
        scans.check_upload([(f"{n}.jpg", _jpeg()) for n in range(201)])
    many = io.BytesIO()
    blank = [Image.new("L", (8, 8), 255) for _n in range(150)]
    blank[0].save(many, "PDF", save_all=True, append_images=blank[1:])
    with pytest.raises(ValidationError, match="more than 200 pages"):
        scans.check_upload([("a.pdf", many.getvalue()), ("b.pdf", many.getvalue())])
    assert scans.check_upload([("a.jpg", _jpeg()), ("b.jpg", _jpeg())]) == 2


def test_the_pages_of_a_scanned_pdf_come_out_as_images_whatever_their_coding():
    pages = [Image.new("L", (120, 160), 200), Image.new("RGB", (100, 100), (10, 20, 30))]
    jpeg_pdf, png_pdf = io.BytesIO(), io.BytesIO()
    pages[0].save(jpeg_pdf, "PDF", save_all=True, append_images=[pages[1]])
    Image.new("1", (64, 64), 1).save(png_pdf, "PDF")  # a bilevel scan: not a JPEG inside
    out = list(
        scans.page_images(
            [
                ("scan.pdf", jpeg_pdf.getvalue()),
                ("fax.pdf", png_pdf.getvalue()),
                ("photo.jpg", _jpeg()),
                ("bad.png", b"\x89PNG\r\n\x1a\n broken"),
            ]
        )
    )
    assert [(name, page) for name, page, _image in out] == [
        ("scan.pdf", 1),
        ("scan.pdf", 2),
        ("fax.pdf", 1),
        ("photo.jpg", None),
        ("bad.png", None),
    ]
    shapes = [image.shape if isinstance(image, np.ndarray) else image for *_n, image in out]
    assert shapes == [(160, 120), (100, 100), (64, 64), (80, 60), "not-image"]


def test_a_decompression_bomb_is_refused_unread():
    # a PNG header that declares 100,000 x 100,000 pixels
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
    assert len(png) < 200
    assert list(scans.page_images([("bomb.png", png)])) == [("bomb.png", None, "too-large")]


def test_old_uploads_are_pruned(tmp_path):
    store = scans.Store(tmp_path)
    old = store.create(1, None, [("a.jpg", _jpeg())])
    new = store.create(1, None, [("b.jpg", _jpeg())])
    past = time.time() - 40 * 86400
    import os

    os.utime(store.folder(old), (past, past))
    assert store.prune(30) == 1
    assert not store.folder(old).exists() and store.meta(new)["files"] == ["b.jpg"]
    with pytest.raises(ValueError):
        store.folder("../etc")


@pytest.mark.parametrize(
    "fields",
    [
        ["T", "4", "pre-abcdef-20", "1/1", "+0"],  # an answer sheet of nobody
        ["T", "4", "pre-abcdef-20", "1/1", "0.0+0"],  # of two
        ["S", "99999999999999999999", "2027-04-06", "1/1", "1+0"],  # a number too large
        ["A", "4", "2027-04-06x3000000", "1/1", "1+0"],  # three million days
        ["S", "4", "2027-04-06", "1/1", "1+100000"],  # rows no page has room for
        ["S", "4", "2027-04-06", "2/1", "1+0"],  # page 2 of 1
        ["S", "4", "2027-04-06", "1/1", "²+0"],  # a digit that is not 0-9
    ],
)
def test_a_code_made_by_hand_that_no_sheet_could_carry_is_refused(fields):
    body = ";".join([sheets.VERSION, *fields])
    with pytest.raises(sheets.BadCode):
        sheets.parse_payload(f"{body};{sheets.check_value(body)}")


def test_choosing_whose_blank_sheet_it_is_keeps_the_preview_fingerprint(db):
    w, (a, b, c) = _workshop(db)
    questions = scans.test_questions(db, w)
    pages = [_answers(1, w, 0, [[0]] * len(questions), questions, code="99999")]
    shown = scans.preview(db, SYSTEM, w.id, pages)  # as the page showed it, undecided
    stored = scans.save(db, SYSTEM, w.id, pages, {"1:code": str(c.id)}, shown.fingerprint)
    db.expire_all()
    assert stored == 1 and c.pre_score is not None


def test_odd_decisions_are_no_decision(db):
    w, (a, b, c) = _workshop(db)
    questions = scans.test_questions(db, w)
    pages = [
        _answers(1, w, 0, [[0, 1]] + [[0]] * (len(questions) - 1), questions, code="99999"),
        _sign_in(2, w, [a], START, [(UNSURE, EMPTY)]),
    ]
    for odd in ("²", "9" * 5000, "-1", "", "present", "1.0"):
        result = scans.preview(db, SYSTEM, w.id, pages, {"1:code": odd, "1:q1": odd, "2:r0": odd})
        assert [i.key for i in result.missing] == ["1:code", "1:q1", "2:r0"]


def test_an_invited_person_who_signed_is_named_with_what_to_do(db):
    w, (a, b, c) = _workshop(db)
    b.status = "invited"
    db.flush()
    result = scans.preview(db, SYSTEM, w.id, [_sign_in(1, w, [a, b], START, [(MARKED,) * 2] * 2)])
    (note,) = result.pages[0].notes
    assert f"R{b.id}" in str(note) and "invited but is not registered" in str(note)


def test_a_damaged_locked_or_odd_pdf_is_refused_or_left_out_page_by_page(tmp_path):
    # a cross-reference table that declares a hundred million objects
    bomb = b"%PDF-1.7\nxref\n0 100000000\n0000000000 65535 f \ntrailer\n<< /Size 100000000 >>\n"
    with pytest.raises(ValidationError, match="cannot be read as a PDF"):
        scans.check_upload([("bomb.pdf", bomb + b"startxref\n9\n%%EOF\n")])
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(ValidationError, match="protected by a password"):
        scans.check_upload([("locked.pdf", locked.getvalue())])
    # a sliver of an image and a page without an image: problems of their pages alone
    sliver = io.BytesIO()
    Image.new("L", (1, 5000), 255).save(sliver, "PNG")
    blank = PdfWriter()
    blank.add_blank_page(200, 200)
    printed = io.BytesIO()
    blank.write(printed)
    store = scans.Store(tmp_path)
    token = store.create(
        1, None, [("sliver.png", sliver.getvalue()), ("printed.pdf", printed.getvalue())]
    )
    pages = scans.read_batch(store, token)
    assert [(p["source"], p["page"], p["problem"]) for p in pages] == [
        ("sliver.png", None, "markers"),
        ("printed.pdf", 1, "no-image"),
    ]
