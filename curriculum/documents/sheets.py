"""Sheets the app can read back from a scan or a phone photo: the daily sign-in sheet, the
attendance grid and the pre/post-test answer sheet.

Every page is laid out here, in millimetres on A4, by one function per kind of sheet; the
printed page (``render_sheets``) and the reader (``curriculum.scanning``) both take their
boxes from it, so what is printed is what is read. Each page carries:

- four ArUco markers in its corners (OpenCV's 4x4 dictionary, ids 0 to 3), by which the
  reader finds the page in a photo and straightens it;
- a QR code naming the workshop, the kind of sheet, its day or test, the page number, the
  people on it (their registration numbers, in row order) and a check value;
- per person the short code of the workshop's paper (R and the registration number) and
  the name in both scripts, a tick box per day and a signature box; on an answer sheet a
  bubble per choice of each question, and the code as bubbles on the blank sheets for
  people who came without a printed one.

The QR code holds all the reader needs to rebuild the page's layout, so a list changed after
printing does not move any box of a sheet already printed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import localise
from ..errors import NotFound
from ..i18n import _
from ..models import Registration, Workshop
from ..services.participants import workshop_days
from .participants import LISTED, paper_data, paper_order
from .render import (
    CachedDocument,
    Settings,
    add_line_breaks,
    cached,
    content_key,
    render_pdf,
    render_template,
    store,
)

PAGE_W, PAGE_H = 210.0, 297.0
MARKER = 14.0  # a corner marker's side
EDGE = 7.0  # from the paper's edge to a marker
MARKER_DICTIONARY = cv2.aruco.DICT_4X4_50
MARKER_BITS = 4
# id -> the marker's top-left corner on the page
MARKERS = {
    0: (EDGE, EDGE),
    1: (PAGE_W - EDGE - MARKER, EDGE),
    2: (EDGE, PAGE_H - EDGE - MARKER),
    3: (PAGE_W - EDGE - MARKER, PAGE_H - EDGE - MARKER),
}
QR_SIZE = 25.0
QR_AT = (PAGE_W - EDGE - MARKER - 4.0 - QR_SIZE, EDGE)  # left of the top-right marker

VERSION = "CTG1"
SIGN_IN, GRID, ANSWERS = "S", "A", "T"
KINDS = {SIGN_IN: "sign-in", GRID: "attendance", ANSWERS: "answers"}
TESTS = ("pre", "post")

SIGN_IN_ROWS = 19  # rows on a sign-in page
SIGN_IN_WALK_INS = 6  # empty rows at the end, for people not on the list
GRID_ROWS = 24
GRID_WALK_INS = 4
TABLE_TOP = 44.0  # a sign-in sheet's first row
GRID_TOP = 48.0  # the attendance grid's (its day headings take two lines)
SIGN_IN_ROW = 11.5
GRID_ROW = 9.5
TICK = 6.0  # a tick box's side
BUBBLE = 5.0  # a bubble's diameter
CHOICES = 4  # every quiz question has four (content checks)
MAX_QUESTIONS = 50  # two columns of 25 on one answer sheet
CODE_DIGITS = 5  # the blank answer sheet's code: R and up to five digits
MAX_DAYS = 7  # day columns the attendance grid has room for


@dataclass(frozen=True)
class Box:
    """A box on the page, in millimetres from the top-left corner of the paper."""

    x: float
    y: float
    w: float
    h: float
    shape: str = "square"  # "square" (a tick box), "round" (a bubble), "area" (signature)


@dataclass(frozen=True)
class Page:
    """One printed page as the QR code names it."""

    kind: str  # SIGN_IN, GRID or ANSWERS
    workshop_id: int
    detail: str  # the day (ISO) / first day and day count "2027-03-02x3" / "pre-abc123-20"
    number: int
    count: int
    rows: tuple[int, ...]  # registration ids in row order (0: a blank answer sheet)
    walk_ins: int = 0  # empty rows after them

    @property
    def payload(self) -> str:
        body = self._body()
        return f"{body};{check_value(body)}"

    def _body(self) -> str:
        people = ".".join(str(r) for r in self.rows)
        return ";".join(
            [
                VERSION,
                self.kind,
                str(self.workshop_id),
                self.detail,
                f"{self.number}/{self.count}",
                f"{people}+{self.walk_ins}",
            ]
        )

    @property
    def days(self) -> list[dt.date]:
        if self.kind == SIGN_IN:
            return [dt.date.fromisoformat(self.detail)]
        if self.kind == GRID:
            first, _x, count = self.detail.partition("x")
            start = dt.date.fromisoformat(first)
            if not count.isdigit() or not 1 <= int(count) <= MAX_DAYS:
                raise ValueError(self.detail)
            return [start + dt.timedelta(days=i) for i in range(int(count))]
        return []

    @property
    def test(self) -> tuple[str, str, int]:
        """An answer sheet's test ("pre" or "post"), its questions' digest and count."""
        test, digest, count = self.detail.split("-")
        if not count.isdigit() or len(count) > 3:
            raise ValueError(self.detail)
        return test, digest, int(count)


class BadCode(ValueError):
    """A QR code that is not one of these sheets' (or was misread)."""


def check_value(body: str) -> str:
    """Six hex digits over the rest of the code: a misread or hand-made code is noticed."""
    return hashlib.sha256(body.encode()).hexdigest()[:6]


MAX_ID = 2**31 - 1  # a registration's or a workshop's number, as the database holds it


def parse_payload(text: str) -> Page:
    """The page a QR code's text names; BadCode when it is not one of ours or does not add
    up. The check value is not a secret (anyone can make a code that passes it), so every
    number is held to what a printed page can have."""
    parts = text.strip().split(";")
    if len(parts) != 7 or parts[0] != VERSION or parts[1] not in KINDS:
        raise BadCode(text[:60])
    if check_value(";".join(parts[:6])) != parts[6]:
        raise BadCode(text[:60])
    try:
        number, count = (_number(n) for n in parts[4].split("/"))
        people, _plus, walk_ins = parts[5].partition("+")
        page = Page(
            kind=parts[1],
            workshop_id=_number(parts[2]),
            detail=parts[3],
            number=number,
            count=count,
            rows=tuple(_number(r, zero=True) for r in people.split(".")) if people else (),
            walk_ins=_number(walk_ins or "0", zero=True),
        )
        if not 1 <= page.number <= page.count <= 1000:
            raise ValueError(parts[4])
        if page.kind == ANSWERS:
            test, _digest, questions = page.test
            if test not in TESTS or not 0 < questions <= MAX_QUESTIONS or len(page.rows) != 1:
                raise ValueError(page.detail)
        else:
            room = SIGN_IN_ROWS if page.kind == SIGN_IN else GRID_ROWS
            days = page.days
            if 0 in page.rows or len(page.rows) + page.walk_ins > room:
                raise ValueError(parts[5])
            if not 1 <= len(days) <= (1 if page.kind == SIGN_IN else MAX_DAYS):
                raise ValueError(page.detail)
    except (ValueError, OverflowError) as exc:
        raise BadCode(text[:60]) from exc
    return page


def _number(text: str, zero: bool = False) -> int:
    """A whole number as a code writes it (digits only, up to the database's largest)."""
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        raise ValueError(text)
    value = int(text)
    if value > MAX_ID or (value == 0 and not zero):
        raise ValueError(text)
    return value


# -- the layout of each kind of page -----------------------------------------------------------


def boxes(page: Page) -> dict[str, Box]:
    """Every box the reader looks at on ``page``, by key:

    - sign-in: ``r<i>.tick``, ``r<i>.sign`` for the i-th person; ``w<i>.name``, ``w<i>.tick``,
      ``w<i>.sign`` for the i-th empty row;
    - attendance grid: ``r<i>.d<j>`` (day j, from 0), ``w<i>.name`` and ``w<i>.d<j>``;
    - answer sheet: ``q<n>.<c>`` (question n from 1, choice c from 0), and on a blank sheet
      ``c<k>.<digit>`` (the code's k-th digit from 0).
    """
    if page.kind == SIGN_IN:
        return _sign_in_boxes(page)
    if page.kind == GRID:
        return _grid_boxes(page)
    return _answer_boxes(page)


# sign-in columns: code, Lao name, Latin name, institution, present, signature
SIGN_IN_COLUMNS = (
    ("code", 12.0, 14.0),
    ("lao", 26.0, 46.0),
    ("latin", 72.0, 42.0),
    ("institution", 114.0, 24.0),
    ("present", 138.0, 16.0),
    ("signature", 154.0, 49.0),
)


def _column(columns, name: str) -> tuple[float, float]:
    for key, x, w in columns:
        if key == name:
            return x, w
    raise KeyError(name)


def _sign_in_boxes(page: Page) -> dict[str, Box]:
    found: dict[str, Box] = {}
    px, pw = _column(SIGN_IN_COLUMNS, "present")
    sx, sw = _column(SIGN_IN_COLUMNS, "signature")
    name_x = _column(SIGN_IN_COLUMNS, "lao")[0]
    name_end = sum(_column(SIGN_IN_COLUMNS, "institution"))
    for i in range(len(page.rows) + page.walk_ins):
        top = TABLE_TOP + i * SIGN_IN_ROW
        key = f"r{i}" if i < len(page.rows) else f"w{i - len(page.rows)}"
        tick = Box(px + (pw - TICK) / 2, top + (SIGN_IN_ROW - TICK) / 2, TICK, TICK)
        found[f"{key}.tick"] = tick
        found[f"{key}.sign"] = Box(sx + 1.5, top + 1.2, sw - 3.0, SIGN_IN_ROW - 2.4, "area")
        if key.startswith("w"):
            found[f"{key}.name"] = Box(name_x, top, name_end - name_x, SIGN_IN_ROW, "area")
    return found


GRID_NAME_COLUMNS = (("code", 12.0, 14.0), ("lao", 26.0, 48.0), ("latin", 74.0, 46.0))
GRID_DAYS_X, GRID_DAYS_END = 122.0, 203.0


def grid_day_width(days: int) -> float:
    return min(20.0, (GRID_DAYS_END - GRID_DAYS_X) / max(days, 1))


def _grid_boxes(page: Page) -> dict[str, Box]:
    found: dict[str, Box] = {}
    days = len(page.days)
    width = grid_day_width(days)
    for i in range(len(page.rows) + page.walk_ins):
        top = GRID_TOP + i * GRID_ROW
        key = f"r{i}" if i < len(page.rows) else f"w{i - len(page.rows)}"
        for j in range(days):
            x = GRID_DAYS_X + j * width + (width - TICK) / 2
            found[f"{key}.d{j}"] = Box(x, top + (GRID_ROW - TICK) / 2, TICK, TICK)
        if key.startswith("w"):
            found[f"{key}.name"] = Box(26.0, top, GRID_DAYS_X - 26.0, GRID_ROW, "area")
    return found


ANSWER_TOP = 96.0  # the first question's row
ANSWER_ROW = 7.0
ANSWER_COLUMNS = (30.0, 122.0)  # where each column's number starts
ANSWER_PER_COLUMN = 25
CHOICE_STEP = 12.0  # from one bubble to the next
CODE_TOP = 44.0  # the blank sheet's code bubbles: one column per digit, 0 at the top
CODE_X = 150.0
CODE_STEP_X = 8.0
CODE_STEP_Y = 4.6


def answer_bubble(question: int, choice: int) -> Box:
    """Question ``question`` (from 1), choice ``choice`` (from 0)."""
    column, row = divmod(question - 1, ANSWER_PER_COLUMN)
    x = ANSWER_COLUMNS[column] + 12.0 + choice * CHOICE_STEP
    y = ANSWER_TOP + row * ANSWER_ROW + (ANSWER_ROW - BUBBLE) / 2
    return Box(x, y, BUBBLE, BUBBLE, "round")


def code_bubble(digit: int, value: int) -> Box:
    return Box(CODE_X + digit * CODE_STEP_X, CODE_TOP + value * CODE_STEP_Y, 4.0, 4.0, "round")


def _answer_boxes(page: Page) -> dict[str, Box]:
    found = {
        f"q{n}.{c}": answer_bubble(n, c) for n in range(1, page.test[2] + 1) for c in range(CHOICES)
    }
    if page.rows == (0,):
        for k in range(CODE_DIGITS):
            for v in range(10):
                found[f"c{k}.{v}"] = code_bubble(k, v)
    return found


def areas(page: Page) -> dict[str, Box]:
    """The parts of ``page`` a person looks at to check a reading (not read for ink): each
    row of people ``r<i>.row`` / ``w<i>.row``, each question's row of bubbles ``q<n>.row``,
    a blank answer sheet's code ``code.all``."""
    if page.kind in (SIGN_IN, GRID):
        height = SIGN_IN_ROW if page.kind == SIGN_IN else GRID_ROW
        top = TABLE_TOP if page.kind == SIGN_IN else GRID_TOP
        rows = [f"r{i}" for i in range(len(page.rows))] + [f"w{i}" for i in range(page.walk_ins)]
        return {
            f"{key}.row": Box(12.0, top + i * height, 191.0, height, "area")
            for i, key in enumerate(rows)
        }
    found = {}
    for n in range(1, page.test[2] + 1):
        first = answer_bubble(n, 0)
        found[f"q{n}.row"] = Box(
            first.x - 13.0, first.y - 1.0, 13.0 + CHOICES * CHOICE_STEP, BUBBLE + 2.0, "area"
        )
    if page.rows == (0,):
        found["code.all"] = Box(
            CODE_X - 10.0, CODE_TOP - 8.0, CODE_DIGITS * CODE_STEP_X + 12.0, 10 * CODE_STEP_Y + 9.0
        )
    return found


# -- what the printed pages show ---------------------------------------------------------------


def marker_cells(marker_id: int) -> np.ndarray:
    """An ArUco marker's cells, dark True, its black border included."""
    dictionary = cv2.aruco.getPredefinedDictionary(MARKER_DICTIONARY)
    cells = MARKER_BITS + 2
    return cv2.aruco.generateImageMarker(dictionary, marker_id, cells, borderBits=1) < 128


def qr_cells(text: str) -> np.ndarray:
    """A QR code's modules, dark True (no quiet zone: the page leaves white around it)."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return np.array(barcode.to_image(scale=1, add_quiet_zones=False)) < 128


def _cells_path(dark: np.ndarray, x: float, y: float, side: float) -> str:
    """The dark cells of a square grid as one SVG path: a rectangle per run of dark cells
    in a row (few shapes, and no seams between neighbours)."""
    step = side / dark.shape[0]
    runs = []
    for row in range(dark.shape[0]):
        col = 0
        while col < dark.shape[1]:
            if not dark[row, col]:
                col += 1
                continue
            start = col
            while col < dark.shape[1] and dark[row, col]:
                col += 1
            left, top, width = x + start * step, y + row * step, (col - start) * step
            # a hair taller than a cell, so that rows meet without a seam
            runs.append(f"M{left:.3f} {top:.3f}h{width:.3f}v{step * 1.02:.3f}h{-width:.3f}z")
    return f'<path d="{"".join(runs)}" fill="#000"/>'


def _box_svg(box: Box) -> str:
    if box.shape == "round":
        r = box.w / 2
        return (
            f'<circle cx="{box.x + r:.2f}" cy="{box.y + r:.2f}" r="{r - 0.15:.2f}"'
            ' fill="#fff" stroke="#444" stroke-width="0.3"/>'
        )
    stroke, width = ("#444", 0.35) if box.shape == "square" else ("#aaa", 0.2)
    return (
        f'<rect x="{box.x:.2f}" y="{box.y:.2f}" width="{box.w:.2f}" height="{box.h:.2f}"'
        f' fill="#fff" stroke="{stroke}" stroke-width="{width}"/>'
    )


def _text_svg(x: float, y: float, text: str, size: float, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" text-anchor="end"{weight}>'
        f"{escape(text)}</text>"
    )


def overlay(page: Page, letters: list[str]) -> Markup:
    """Everything on ``page`` the reader looks at, drawn in one SVG over the whole sheet (in
    millimetres): the corner markers, the QR code, the ruled rows and every box, bubble,
    question number, choice letter and code digit. One drawing instead of hundreds of
    positioned boxes keeps a 36-page set of answer sheets quick to lay out."""
    parts = [_cells_path(marker_cells(i), x, y, MARKER) for i, (x, y) in MARKERS.items()]
    parts.append(
        f'<rect x="{QR_AT[0] - 1:.2f}" y="{QR_AT[1] - 1:.2f}" width="{QR_SIZE + 2:.2f}"'
        f' height="{QR_SIZE + 2:.2f}" fill="#fff"/>'
    )
    parts.append(_cells_path(qr_cells(page.payload), QR_AT[0], QR_AT[1], QR_SIZE))
    if page.kind in (SIGN_IN, GRID):
        top = TABLE_TOP if page.kind == SIGN_IN else GRID_TOP
        height = SIGN_IN_ROW if page.kind == SIGN_IN else GRID_ROW
        parts.append(f'<path d="M12 {top}H203" stroke="#000" stroke-width="0.4"/>')
        for i in range(1, len(page.rows) + page.walk_ins + 1):
            y = top + i * height
            parts.append(f'<path d="M12 {y:.2f}H203" stroke="#999" stroke-width="0.2"/>')
    layout = boxes(page)
    parts += [_box_svg(b) for b in layout.values()]
    if page.kind == ANSWERS:
        size = 2.8  # 8 pt
        for n in range(1, page.test[2] + 1):
            first = layout[f"q{n}.0"]
            middle = first.y + first.h / 2 + size * 0.36
            parts.append(_text_svg(first.x - 4.2, middle, f"{n}.", size * 1.1, bold=True))
            for c in range(CHOICES):
                b = layout[f"q{n}.{c}"]
                parts.append(_text_svg(b.x - 0.8, middle, letters[c], size))
        if page.rows == (0,):
            parts.append(_text_svg(CODE_X - 2.0, CODE_TOP - 2.2, "R", 3.9, bold=True))
            for k in range(CODE_DIGITS):
                first = layout[f"c{k}.0"]
                parts.append(
                    f'<rect x="{first.x - 1:.2f}" y="{CODE_TOP - 6.5:.2f}" width="6"'
                    ' height="5.5" fill="#fff" stroke="#444" stroke-width="0.3"/>'
                )
                for v in range(10):
                    b = layout[f"c{k}.{v}"]
                    parts.append(_text_svg(b.x - 0.6, b.y + b.h / 2 + 0.9, str(v), 2.4))
    return Markup(
        '<svg class="overlay" xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm"'
        ' viewBox="0 0 210 297" font-family="Noto Sans, Noto Sans Lao, sans-serif">'
        + "".join(parts)
        + "</svg>"
    )


def quiz_digest(questions: list[dict]) -> str:
    """Six hex digits over a test's modules and answers, whatever its language: an answer
    sheet printed for one set of questions is not marked against another."""
    text = "|".join(f"{q['module']}:{q['answer']}" for q in questions)
    return hashlib.sha256(text.encode()).hexdigest()[:6]


def _people(db: Session, workshop: Workshop, statuses) -> list[Registration]:
    registrations = db.scalars(
        select(Registration).where(
            Registration.workshop_id == workshop.id, Registration.status.in_(statuses)
        )
    )
    return sorted(registrations, key=lambda r: paper_order(r.participant))


def _person(reg: Registration) -> dict[str, str]:
    p = reg.participant
    return {
        "code": f"R{reg.id}",
        "lao": p.name_lao,
        "latin": p.name_latin,
        "institution": p.institution.short_name if p.institution else "",
    }


def _paged(items: list, per_page: int, walk_ins: int) -> list[tuple[list, int]]:
    """``items`` in pages of ``per_page`` rows, ``walk_ins`` empty rows after the last person
    (on a page of their own when the last one is full)."""
    pages: list[tuple[list, int]] = []
    rest = list(items)
    while rest or not pages or walk_ins:
        chunk, rest = rest[:per_page], rest[per_page:]
        room = per_page - len(chunk)
        empty = min(room, walk_ins) if not rest else 0
        walk_ins -= empty
        pages.append((chunk, empty))
        if not rest and not walk_ins:
            break
    return pages


def _common(workshop: Workshop, language: str) -> dict[str, str]:
    return {
        "title": localise.local_name(workshop, language, "title"),
        "province": localise.local_name(workshop.province, language),
        "dates": localise.date_range(workshop.start_date, workshop.end_date, language),
    }


def sign_in_sheets(db: Session, workshop: Workshop, day: dt.date, language: str) -> dict:
    """The sign-in sheet of one day, as plain data (the cache key's input and the template's)."""
    if not workshop.start_date <= day <= workshop.end_date:
        raise NotFound(_("That day is not a day of the workshop."))
    people = _people(db, workshop, LISTED)
    chunks = _paged(people, SIGN_IN_ROWS, SIGN_IN_WALK_INS)
    pages = []
    for number, (chunk, empty) in enumerate(chunks, start=1):
        page = Page(
            SIGN_IN,
            workshop.id,
            day.isoformat(),
            number,
            len(chunks),
            tuple(r.id for r in chunk),
            empty,
        )
        pages.append(_page_data(page, [_person(r) for r in chunk]))
    return {
        "kind": "sign-in",
        "language": language,
        **_common(workshop, language),
        "venue": workshop.venue,
        "day": localise.day(day, language),
        "day_number": (day - workshop.start_date).days + 1,
        "columns": SIGN_IN_COLUMNS,
        "days": [],
        "pages": pages,
    }


def attendance_sheets(db: Session, workshop: Workshop, language: str) -> dict:
    """The attendance grid, as plain data: a tick box per person and day, empty (the sheet
    is filled at the venue and read back, so nothing is printed in its boxes)."""
    days = workshop_days(workshop)
    if len(days) > MAX_DAYS:
        raise NotFound(
            _(
                "The attendance grid has room for %(max)d days; print a sign-in sheet for each"
                " day instead.",
                max=MAX_DAYS,
            )
        )
    people = _people(db, workshop, ("registered", "attended"))
    chunks = _paged(people, GRID_ROWS, GRID_WALK_INS)
    detail = f"{days[0].isoformat()}x{len(days)}"
    pages = []
    for number, (chunk, empty) in enumerate(chunks, start=1):
        page = Page(
            GRID, workshop.id, detail, number, len(chunks), tuple(r.id for r in chunk), empty
        )
        pages.append(_page_data(page, [_person(r) for r in chunk]))
    width = grid_day_width(len(days))
    return {
        "kind": "attendance",
        "language": language,
        **_common(workshop, language),
        "columns": GRID_NAME_COLUMNS,
        "days": [
            {"label": localise.short_day(d, language), "x": GRID_DAYS_X + j * width, "w": width}
            for j, d in enumerate(days)
        ],
        "pages": pages,
    }


def answer_sheets(
    db: Session, workshop: Workshop, test: str, questions: list[dict], language: str
) -> dict:
    """One answer sheet per person on the list for the pre- or post-test, and four blank ones
    (with the code as bubbles) for people who came without a printed sheet."""
    if test not in TESTS:
        raise NotFound(_("There is no such paper."))
    if not questions:
        raise NotFound(_("The workshop's agenda has no module yet, so there are no questions."))
    if len(questions) > MAX_QUESTIONS:
        raise NotFound(
            _(
                "The test has %(n)d questions; an answer sheet has room for %(max)d.",
                n=len(questions),
                max=MAX_QUESTIONS,
            )
        )
    people = _people(db, workshop, ("registered", "attended"))
    detail = f"{test}-{quiz_digest(questions)}-{len(questions)}"
    sheets = [(r.id, _person(r)) for r in people] + [(0, None)] * 4
    pages = []
    for number, (rid, person) in enumerate(sheets, start=1):
        page = Page(ANSWERS, workshop.id, detail, number, len(sheets), (rid,), 0)
        pages.append(_page_data(page, [person] if person else []))
    return {
        "kind": "answers",
        "test": test,
        "language": language,
        **_common(workshop, language),
        "count": len(questions),
        "pages": pages,
    }


def _page_data(page: Page, people: list[dict]) -> dict:
    return {
        "payload": page.payload,
        "number": page.number,
        "count": page.count,
        "people": people,
        "walk_ins": page.walk_ins,
    }


def render_sheets(settings: Settings, data: dict, filename: str) -> CachedDocument:
    """The PDF of a set of readable sheets (from the cache when it is there)."""
    language = data["language"]
    translations = settings.translations(language)
    key = content_key(
        f"sheets-{data['kind']}", language, [settings.catalog_version(language), data]
    )
    document = cached(settings, key, filename)
    if not document.ready:
        letters = [str(translations.gettext(letter)) for letter in ("A", "B", "C", "D")]
        pages = [
            {**p, "overlay": overlay(parse_payload(p["payload"]), letters)} for p in data["pages"]
        ]
        html = render_template(
            settings,
            language,
            "sheets.html",
            d={**data, "pages": pages},
            table_top=TABLE_TOP,
            grid_top=GRID_TOP,
            sign_in_row=SIGN_IN_ROW,
            grid_row=GRID_ROW,
            code=dict(top=CODE_TOP, x=CODE_X),
        )
        store(document, render_pdf(add_line_breaks(html)))
    return document


SHEETS = ("attendance", "answers-pre", "answers-post")  # the papers that are sheets


def render_sign_in_sheet(
    db: Session, settings: Settings, workshop: Workshop, day: dt.date, language: str = "lo"
) -> CachedDocument:
    """The sign-in sheet of ``day``: names pre-printed, a row each, empty rows at the end."""
    language = language if language in ("en", "lo") else "lo"
    data = sign_in_sheets(db, workshop, day, language)
    return render_sheets(
        settings, data, f"sign-in-workshop-{workshop.id}-{day.isoformat()}-{language}.pdf"
    )


def render_sheet(
    db: Session, settings: Settings, workshop: Workshop, kind: str, language: str = "lo"
) -> CachedDocument:
    """The attendance grid ("attendance") or the answer sheets of the pre- or post-test
    ("answers-pre", "answers-post") of ``workshop``."""
    language = language if language in ("en", "lo") else "lo"
    if kind == "attendance":
        data = attendance_sheets(db, workshop, language)
    elif kind in ("answers-pre", "answers-post"):
        questions = paper_data(db, workshop, "test", language)["questions"]
        data = answer_sheets(db, workshop, kind.removeprefix("answers-"), questions, language)
    else:
        raise NotFound(_("There is no such paper."))
    return render_sheets(settings, data, f"{kind}-workshop-{workshop.id}-{language}.pdf")
