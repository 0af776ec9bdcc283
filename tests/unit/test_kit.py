"""The offline workshop kit, built for real and opened as a coordinator at the venue would:
the ZIP's files, its index page's links, the PDFs read back, the workbook's locks and checks."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from curriculum.documents.kit import (
    ABSENT,
    PRESENT,
    ensure_kit,
    kit_check,
    kit_data,
    kit_document,
    kit_workbook,
    participant_code,
)
from curriculum.documents.render import Settings
from curriculum.models import Attendance, Participant, Registration
from curriculum.permissions import SYSTEM
from curriculum.scanning import read_page
from curriculum.services import programmes, workshops
from tests.pdf import TRANSLATIONS, squeeze
from tests.scanfill import pages_of

START = dt.date(2027, 3, 2)
LAO_GIVEN = ["ບຸນມີ", "ສົມພອນ", "ຄຳຫຼ້າ", "ນ້ອຍ", "ວິໄລວັນ", "ພອນສະຫວັນ"]
LAO_FAMILY = ["ພົມມະຈັນ", "ສີສຸວັນ", "ແກ້ວມະນີວົງ", "ຈັນທະວົງ", "ສຸວັນນະລາດ"]


@pytest.fixture
def workshop(db):
    """A three-day Lao workshop of 30 people (and one cancelled), its agenda laid out from
    the three-day programme, some attendance and scores already typed in."""
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": START, "end_date": START}
    )
    w = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Bokeo",
            "title_lo": "ກອງປະຊຸມຂັ້ນແຂວງ ບໍ່ແກ້ວ",
            "province": "LA-BK",
            "start_date": START,
            "end_date": START + dt.timedelta(days=2),
            "language": "lo",
        },
    )
    programmes.lay_out_programme(db, SYSTEM, w.id, "provincial-3-day")
    for n in range(31):
        person = Participant(
            given_name_lo=LAO_GIVEN[n % len(LAO_GIVEN)],
            family_name_lo=LAO_FAMILY[n % len(LAO_FAMILY)],
            given_name_latin="" if n == 7 else f"Person{n}",
            # a name that a spreadsheet would take for a formula stays a name
            family_name_latin="=HYPERLINK(1)" if n == 7 else f"Family{n}",
            sex="female" if n % 2 else "male",
        )
        status = "cancelled" if n == 30 else "registered"
        registration = Registration(workshop=w, participant=person, status=status)
        if n < 5:
            registration.pre_score, registration.post_score = 40 + n, 80 + n
            registration.attendance = [
                Attendance(day=START, present=True),
                Attendance(day=START + dt.timedelta(days=1), present=n % 2 == 0),
            ]
        db.add(registration)
    db.flush()
    db.expire_all()  # the scores as the database gives them back (0-100, one decimal)
    return w


@pytest.fixture
def settings(document_cache):
    return Settings(document_cache, TRANSLATIONS)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and "href" in values:
            self.hrefs.append(values["href"])
        for name in ("src", "srcset"):
            if name in values:
                self.sources.append(values[name])
        if tag == "link" and "href" in values:
            self.sources.append(values["href"])


def _kit(db, settings, workshop) -> tuple[zipfile.ZipFile, dict]:
    document, data = kit_document(db, settings, workshop)
    ensure_kit(db, settings, workshop, document, data)
    return zipfile.ZipFile(document.path), data


def test_the_kit_holds_every_document_and_an_index_that_links_them_all(db, settings, workshop):
    archive, data = _kit(db, settings, workshop)
    folder = f"workshop-{workshop.id}-kit/"
    names = [info.filename for info in archive.infolist()]
    assert all(name.startswith(folder) for name in names)
    files = [name[len(folder) :] for name in names]
    assert files == [
        "index.html",
        "agenda.pdf",
        "trainers-pack.pdf",
        "participants-pack.pdf",
        "sign-in-day-1.pdf",
        "sign-in-day-2.pdf",
        "sign-in-day-3.pdf",
        "attendance-grid.pdf",
        "test.pdf",
        "answers-pre.pdf",
        "answers-post.pdf",
        "workbook.xlsx",
    ]
    # every document opens, in Lao; the sign-in sheets carry the 30 listed names
    texts = {}
    for name in files:
        if name.endswith(".pdf"):
            reader = PdfReader(io.BytesIO(archive.read(folder + name)))
            assert len(reader.pages) >= 1, name
            texts[name] = squeeze("".join(p.extract_text() for p in reader.pages))
    assert squeeze("ສາມອົງປະກອບຂອງການຄ້າມະນຸດ") in texts["trainers-pack.pdf"]
    for day in (1, 2, 3):
        sheet = texts[f"sign-in-day-{day}.pdf"]
        assert all(f"Person{n}" in sheet for n in range(30) if n != 7) and "Person30" not in sheet
    # an answer sheet per person and four blank ones, each naming itself to the reader
    for test in ("pre", "post"):
        pdf = archive.read(f"{folder}answers-{test}.pdf")
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 30 + 4
        assert all(f"Person{n}" in texts[f"answers-{test}.pdf"] for n in range(30) if n != 7)
        first, *_rest = pages_of(pdf, 100)
        read = read_page(first, crops=False)
        assert read.page is not None and read.page.workshop_id == workshop.id
        assert read.page.test[0] == test and read.page.count == 34

    # the index links each file once, by its name beside it, and loads nothing else
    page = archive.read(folder + "index.html").decode("utf-8")
    links = Links()
    links.feed(page)
    assert sorted(links.hrefs) == sorted(files[1:])
    assert links.sources == []
    assert "http" not in page and "//" not in page.replace("<!--", "")
    assert '<html lang="lo">' in page and "ກອງປະຊຸມຂັ້ນແຂວງ ບໍ່ແກ້ວ" in page

    # asked again, the kit comes from the cache
    again, _data = kit_document(db, settings, workshop)
    assert again.ready and again.path == kit_document(db, settings, workshop)[0].path


def test_the_workbook_is_locked_but_for_the_cells_to_fill(db, settings, workshop):
    # the workbook as the kit puts it in its ZIP (the ZIP itself: the test above)
    data = kit_data(db, workshop)
    book = load_workbook(io.BytesIO(kit_workbook(settings, data)))
    visible = [s for s in book.worksheets if s.sheet_state == "visible"]
    assert len(visible) == 4 and all(s.protection.sheet for s in book.worksheets)
    about, attendance, scores, listing = visible
    codes = [p["code"] for p in data["people"]]  # in the order of the names on paper
    listed = db.scalars(
        select(Registration).where(
            Registration.workshop_id == workshop.id, Registration.status != "cancelled"
        )
    )
    by_code = {participant_code(r): r for r in listed}
    assert sorted(codes) == sorted(by_code) and len(codes) == 30

    # attendance: a row per person, a column per day; the day cells alone are unlocked, and
    # take a tick, a cross or nothing
    assert attendance.max_row == 31 and attendance.max_column == 3 + 3
    assert [attendance.cell(row=r, column=1).value for r in range(2, 32)] == codes
    for row in range(2, 32):
        assert attendance.cell(row=row, column=2).protection.locked
        assert all(not attendance.cell(row=row, column=c).protection.locked for c in (4, 5, 6))
    (ticks,) = attendance.data_validations.dataValidation
    assert ticks.type == "list" and ticks.formula1 == f'"{PRESENT},{ABSENT}"'
    assert str(ticks.sqref) == "D2:F31" and ticks.showErrorMessage

    # what was typed in already is there: present, absent, not recorded
    def row_of(pre_score) -> int:
        return 2 + codes.index(next(c for c, r in by_code.items() if r.pre_score == pre_score))

    row = row_of(40)
    assert [attendance.cell(row=row, column=c).value for c in (4, 5, 6)] == [
        PRESENT,
        PRESENT,
        None,
    ]
    assert attendance.cell(row=row_of(41), column=5).value == ABSENT

    # scores: percentages from 0 to 100, the two test columns unlocked
    (percent,) = scores.data_validations.dataValidation
    assert (percent.type, percent.operator, percent.formula1, percent.formula2) == (
        "decimal",
        "between",
        "0",
        "100",
    )
    assert str(percent.sqref) == "D2:E31"
    assert [scores.cell(row=row, column=c).value for c in (4, 5)] == [40, 80]
    assert not scores.cell(row=row, column=4).protection.locked

    # names stay text, even one that looks like a formula
    formula_like = next(
        r for r in range(2, 32) if "HYPERLINK" in str(listing.cell(row=r, column=3).value)
    )
    cell = listing.cell(row=formula_like, column=3)
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(1)"
    assert all(listing.cell(row=r, column=2).value for r in range(2, 32))  # Lao names

    # the hidden sheet says whose workbook this is
    kit = book["kit"]
    assert kit.sheet_state == "veryHidden"
    assert kit["B1"].value == workshop.id
    assert [kit.cell(row=r, column=2).value for r in range(7, 37)] == codes
    snapshot = [
        [kit.cell(row=r, column=c).value or "" for c in range(2, 2 + 3 + 3 + 2)]
        for r in range(7, 37)
    ]
    assert kit["B4"].value == kit_check(workshop.id, data["days"], snapshot)


# -- the filled workbook read back -------------------------------------------------------------


def _filled(settings, data, edit) -> bytes:
    """The kit's workbook as a coordinator gives it back: opened, ``edit`` applied to its
    Attendance and Scores sheets (by code), saved."""
    book = load_workbook(io.BytesIO(kit_workbook(settings, data)))
    _about, attendance, scores, _listing = [
        s for s in book.worksheets if s.sheet_state == "visible"
    ]
    rows = {attendance.cell(row=r, column=1).value: r for r in range(2, attendance.max_row + 1)}
    edit(attendance, scores, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_filled_workbook_shows_new_changed_and_conflicting_before_saving_all_or_nothing(
    db, settings, workshop
):
    from curriculum.errors import StaleObject, ValidationError
    from curriculum.models import AuditEvent
    from curriculum.services import kit as returns
    from curriculum.services.participants import record_results

    workshop.status = "confirmed"
    db.flush()
    data = kit_data(db, workshop)
    codes = [p["code"] for p in data["people"]]
    by_code = {
        participant_code(r): r
        for r in db.scalars(select(Registration).where(Registration.workshop_id == workshop.id))
    }
    typed = [c for c in codes if by_code[c].pre_score is not None]  # the five typed in before
    blank = [c for c in codes if by_code[c].pre_score is None]

    def fill(attendance, scores, rows):
        for code in blank[:20]:  # day 1 ticked for twenty people, day 2 crossed for ten
            attendance.cell(row=rows[code], column=4).value = PRESENT
        for code in blank[:10]:
            attendance.cell(row=rows[code], column=5).value = ABSENT
        scores.cell(row=rows[blank[0]], column=4).value = 55
        scores.cell(row=rows[blank[1]], column=4).value = 72.5
        scores.cell(row=rows[blank[2]], column=4).value = 60  # the app gets 65 meanwhile
        scores.cell(row=rows[typed[0]], column=5).value = 90  # was 80: changed
        # as the app holds it: nothing to change
        scores.cell(row=rows[typed[1]], column=4).value = float(by_code[typed[1]].pre_score)
        scores.cell(row=rows[blank[3]], column=5).value = "=D5*2"  # a formula typed in
        attendance.cell(row=rows[blank[4]], column=2).value = "ຊື່ອື່ນ"  # a locked cell

    filled = _filled(settings, data, fill)
    record_results(db, SYSTEM, workshop.id, {by_code[blank[2]].id: {"pre": "65"}})
    coordinator = SYSTEM

    returned = returns.read_returned_workbook(db, coordinator, workshop.id, filled)
    messages = [str(m) for m in returned.problems]
    assert len(messages) == 2, messages
    assert "cell E" in messages[0] or "cell E" in messages[1]
    assert any("formula (=D5*2)" in m for m in messages)
    assert any(f"the name of {blank[4]} was changed" in m for m in messages)
    # nothing is saved while the workbook has problems
    with pytest.raises(ValidationError):
        returns.save_returned_workbook(db, coordinator, workshop.id, filled, returned.fingerprint)
    assert by_code[blank[0]].pre_score is None

    def fixed(attendance, scores, rows):
        fill(attendance, scores, rows)
        scores.cell(row=rows[blank[3]], column=5).value = 70
        attendance.cell(row=rows[blank[4]], column=2).value = by_code[blank[4]].participant.name_lao

    filled = _filled(settings, data, fixed)
    returned = returns.read_returned_workbook(db, coordinator, workshop.id, filled)
    assert returned.problems == []
    kinds = {kind: len(returned.of_kind(kind)) for kind in ("new", "changed", "conflict")}
    # 20 ticks, 10 crosses and 3 scores new; one score changed; one score in conflict
    assert kinds == {"new": 33, "changed": 1, "conflict": 1}, kinds
    (conflict,) = returned.of_kind("conflict")
    assert (conflict.code, conflict.field, conflict.now, conflict.sheet) == (
        blank[2],
        "pre",
        "65.0",
        "60.0",
    )
    (changed,) = returned.of_kind("changed")
    assert (changed.code, changed.field, changed.was, changed.sheet) == (
        typed[0],
        "post",
        str(by_code[typed[0]].post_score),
        "90.0",
    )

    # the app changes between the preview and the save, where the workbook would change
    # it: refused, nothing stored
    record_results(db, SYSTEM, workshop.id, {by_code[blank[0]].id: {"pre": "55"}})
    with pytest.raises(StaleObject):
        returns.save_returned_workbook(
            db, coordinator, workshop.id, filled, returned.fingerprint, {conflict.key}
        )
    assert by_code[blank[1]].pre_score is None
    # the conflict left as the app has it, everything else stored
    returned = returns.read_returned_workbook(db, coordinator, workshop.id, filled)
    stored = returns.save_returned_workbook(
        db, coordinator, workshop.id, filled, returned.fingerprint
    )
    assert stored == 33  # the score typed in meanwhile is no change any more
    db.expire_all()
    assert float(by_code[blank[0]].pre_score) == 55 and float(by_code[blank[1]].pre_score) == 72.5
    assert float(by_code[blank[2]].pre_score) == 65  # the app's value kept
    assert float(by_code[typed[0]].post_score) == 90
    first = {a.day: a.present for a in by_code[blank[0]].attendance}
    assert first[START] is True and first[START + dt.timedelta(days=1)] is False
    assert {a.day: a.present for a in by_code[blank[15]].attendance}[START] is True
    assert by_code[blank[15]].status == "attended"
    labels = db.scalars(
        select(AuditEvent.object_label).where(AuditEvent.object_type == "Registration")
    )
    assert any(label.endswith("(kit workbook)") for label in labels)
    # read again, the same workbook changes nothing but the conflict, now taken on purpose
    returned = returns.read_returned_workbook(db, coordinator, workshop.id, filled)
    assert [c.kind for c in returned.changes] == ["conflict"]
    assert (
        returns.save_returned_workbook(
            db, coordinator, workshop.id, filled, returned.fingerprint, {conflict.key}
        )
        == 1
    )
    db.expire_all()
    assert float(by_code[blank[2]].pre_score) == 60


def test_a_workbook_of_another_workshop_is_refused_by_name(db, settings, workshop):
    from curriculum.errors import ValidationError
    from curriculum.services import kit as returns

    other = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": workshop.rollout_id,
            "title": "Oudomxay",
            "province": "LA-OU",
            "start_date": START,
            "end_date": START,
        },
    )
    filled = kit_workbook(settings, kit_data(db, other))
    with pytest.raises(ValidationError) as info:
        returns.read_returned_workbook(db, SYSTEM, workshop.id, filled)
    (message,) = info.value.errors["file"]
    assert "another workshop (Oudomxay)" in str(message) and "Bokeo" in str(message)


def test_marks_for_someone_not_registered_are_named_and_a_tick_over_an_implied_absence_is_news(
    db, settings, workshop
):
    from curriculum.services import kit as returns
    from curriculum.services.participants import record_attendance

    workshop.status = "confirmed"
    data = kit_data(db, workshop)
    codes = [p["code"] for p in data["people"]]
    by_code = {
        participant_code(r): r
        for r in db.scalars(select(Registration).where(Registration.workshop_id == workshop.id))
    }
    blank = [c for c in codes if by_code[c].pre_score is None]
    invited = by_code[blank[0]]
    invited.status = "invited"  # on the kit's list, but not (yet) registered
    db.flush()
    # after the kit was made, day 1 is typed into the grid: every other day of the people on
    # it is recorded absent, though nobody said so
    record_attendance(db, SYSTEM, workshop.id, {(by_code[blank[1]].id, START)})

    def fill(attendance, scores, rows):
        attendance.cell(row=rows[blank[0]], column=4).value = PRESENT
        attendance.cell(row=rows[blank[1]], column=5).value = PRESENT  # day 2
        attendance.cell(row=rows[blank[2]], column=5).value = PRESENT

    filled = _filled(settings, data, fill)
    returned = returns.read_returned_workbook(db, SYSTEM, workshop.id, filled)
    (problem,) = [str(p) for p in returned.problems]
    assert f"{blank[0]} (" in problem and "is not registered" in problem and "Invited" in problem
    invited.status = "registered"
    db.flush()
    returned = returns.read_returned_workbook(db, SYSTEM, workshop.id, filled)
    assert returned.problems == []
    kinds = {(c.code, c.field): c.kind for c in returned.changes}
    day2 = (START + dt.timedelta(days=1)).isoformat()
    assert kinds == {
        (blank[0], START.isoformat()): "new",
        # present over the absences the grid implied, for everyone on it
        (blank[1], day2): "changed",
        (blank[2], day2): "changed",
    }
    assert (
        returns.save_returned_workbook(db, SYSTEM, workshop.id, filled, returned.fingerprint) == 3
    )
    db.expire_all()
    assert {a.day: a.present for a in by_code[blank[1]].attendance}[START + dt.timedelta(days=1)]
    assert {a.day: a.present for a in by_code[blank[2]].attendance} == {
        START: False,
        START + dt.timedelta(days=1): True,
        START + dt.timedelta(days=2): False,
    }
    assert by_code[blank[2]].status == "attended"


def test_a_workbook_whose_hidden_sheet_was_edited_is_refused(db, settings, workshop):
    from curriculum.errors import ValidationError
    from curriculum.services import kit as returns

    book = load_workbook(io.BytesIO(kit_workbook(settings, kit_data(db, workshop))))
    book["kit"].cell(row=7, column=7).value = "1"  # someone's day 1 made "present" before
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError) as info:
        returns.read_returned_workbook(db, SYSTEM, workshop.id, out.getvalue())
    assert "hidden sheet was changed" in str(info.value.errors["file"][0])
