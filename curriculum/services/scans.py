"""Scanned and photographed sheets of a workshop given back: uploaded, read in a background
job, shown box by box, saved all or nothing where typed-in attendance and scores go.

1. ``check_upload`` refuses what cannot be a scan (the wrong kind of file, too large, too
   many pages) at once, with a message the upload form shows; ``Store.create`` keeps the
   files for the job, beside the document cache (jobs write files, not rows).
2. ``read_batch`` (the job) reads each page image: its QR code and every box
   (``curriculum.scanning``), the images of the boxes beside the result.
3. ``preview`` turns the pages read into what a coordinator decides on, against what the
   app holds now: per person and day present or absent, per answer sheet the answer to
   each question and the score. A page of another workshop, an unreadable page, a test
   changed since the sheet was printed: each is refused by name, the other pages stand.
   An unsure box is never guessed; it waits for a decision.
4. ``save`` stores the preview's changes in one transaction, or nothing: a value the app
   had nothing for at once, one that replaces what the app holds when the coordinator takes
   it; refused while a decision is missing, or when the app's values changed since the
   preview.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
import secrets
import time
import warnings
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import scanning
from ..documents.participants import paper_data
from ..documents.sheets import (
    ANSWERS,
    CHOICES,
    CODE_DIGITS,
    GRID,
    SIGN_IN,
    BadCode,
    Page,
    parse_payload,
    quiz_digest,
)
from ..errors import StaleObject, ValidationError
from ..i18n import Message, _, named
from ..models import Registration, Workshop
from ..permissions import Actor, require
from ..vocabulary import RegistrationStatus
from . import grids
from .participants import (
    RESULT_KEYS,
    SEATED,
    record_attendance_marks,
    record_results,
    result_cells,
    workshop_days,
)
from .validation import get_or_404

MAX_BYTES = 60 * 1024 * 1024  # one upload: about 200 pages scanned at 200 dpi
MAX_FILES = 200
MAX_PAGES = 200
MAX_PIXELS = 50_000_000  # an image larger than a 50-megapixel photo is refused unread
SOURCE = "scanned sheets"  # what the audit log says the values came from

PRESENT, ABSENT, NO_ANSWER = "1", "0", "-"
NEW, CHANGED = "new", "changed"


# -- the files of one upload, kept for the job ---------------------------------------------------


class Store:
    """Uploads and what their job read, one folder per upload under ``root``:
    ``meta.json`` (the workshop, who uploaded, the files), ``file-<n>`` (as uploaded),
    ``progress.json`` while the job runs, ``pages.json`` when done (or ``error``), and
    ``crops/<page>-<box>.png``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, token: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{24}", token):
            raise ValueError(token)
        return self.root / token

    def _write(self, path: Path, data: Any) -> None:
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(data))
        os.replace(partial, path)  # readers see the old file or the new one, never half

    def _read(self, token: str, name: str) -> Any:
        try:
            return json.loads((self.folder(token) / name).read_text())
        except (FileNotFoundError, ValueError):
            return None

    def create(self, workshop_id: int, user_id: int | None, files: list[tuple[str, bytes]]) -> str:
        token = secrets.token_hex(12)
        folder = self.folder(token)
        folder.mkdir(parents=True)
        (folder / "crops").mkdir()
        for n, (_name, data) in enumerate(files):
            (folder / f"file-{n}").write_bytes(data)
        self._write(
            folder / "meta.json",
            {
                "workshop": workshop_id,
                "user": user_id,
                "files": [name for name, _data in files],
                "created": time.time(),
            },
        )
        return token

    def meta(self, token: str) -> dict | None:
        return self._read(token, "meta.json")

    def files(self, token: str) -> list[tuple[str, bytes]]:
        meta = self.meta(token) or {"files": []}
        folder = self.folder(token)
        return [(name, (folder / f"file-{n}").read_bytes()) for n, name in enumerate(meta["files"])]

    def progress(self, token: str) -> dict | None:
        return self._read(token, "progress.json")

    def pages(self, token: str) -> list[dict] | None:
        return self._read(token, "pages.json")

    def error(self, token: str) -> str | None:
        try:
            return (self.folder(token) / "error").read_text()
        except FileNotFoundError:
            return None

    def idle(self, token: str) -> float:
        """Seconds since the upload's job last wrote (or since the upload, before it began)."""
        folder = self.folder(token)
        times = [
            (folder / name).stat().st_mtime
            for name in ("meta.json", "progress.json")
            if (folder / name).exists()
        ]
        return time.time() - max(times, default=0.0)

    def report(self, token: str, done: int, total: int) -> None:
        self._write(self.folder(token) / "progress.json", {"done": done, "total": total})

    def finish(self, token: str, pages: list[dict]) -> None:
        self._write(self.folder(token) / "pages.json", pages)
        (self.folder(token) / "progress.json").unlink(missing_ok=True)

    def fail(self, token: str, text: str) -> None:
        (self.folder(token) / "error").write_text(text)
        (self.folder(token) / "progress.json").unlink(missing_ok=True)

    def crop_path(self, token: str, page: int, key: str) -> Path:
        if not re.fullmatch(r"[a-z]{1,4}[0-9]{0,3}\.[a-z0-9]{1,4}", key):
            raise ValueError(key)
        return self.folder(token) / "crops" / f"{page}-{key}.png"

    def prune(self, max_age_days: int, now: float | None = None) -> int:
        """Delete uploads nobody has touched for ``max_age_days``; how many went."""
        now = time.time() if now is None else now
        gone = 0
        for folder in self.root.glob("*") if self.root.exists() else ():
            try:
                if now - folder.stat().st_mtime > max_age_days * 86400:
                    for path in sorted(folder.rglob("*"), reverse=True):
                        path.rmdir() if path.is_dir() else path.unlink()
                    folder.rmdir()
                    gone += 1
            except FileNotFoundError:  # another process pruned it
                continue
        return gone


# -- the upload ----------------------------------------------------------------------------------

JPEG, PNG, PDF = "jpeg", "png", "pdf"
# What a damaged or hostile PDF makes pypdf raise (its own errors, limits reached among them,
# and what a malformed object tree gives when it is walked)
PDF_ERRORS = (
    PyPdfError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    OSError,
    RecursionError,
    OverflowError,
)
log = logging.getLogger("ctg.scans")


def _kind(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.lstrip()[:5] == b"%PDF-":
        return PDF
    return None


def _refuse(message: Message) -> ValidationError:
    return ValidationError({"file": [message]})


def check_upload(files: list[tuple[str, bytes]]) -> int:
    """Refuse an upload that cannot be read as scanned sheets, naming the file; the number of
    pages it holds otherwise."""
    if not files:
        raise _refuse(_("Choose the scanned PDF or the photos of the sheets to upload."))
    if len(files) > MAX_FILES:
        raise _refuse(_("Upload at most %(max)d files at a time.", max=MAX_FILES))
    size = sum(len(data) for _name, data in files)
    if size > MAX_BYTES:
        raise _refuse(
            _(
                "The upload is too large (%(size)s MB; at most %(max)d MB): upload the pages"
                " in parts.",
                size=f"{size / 1024 / 1024:.1f}",
                max=MAX_BYTES // 1024 // 1024,
            )
        )
    pages = 0
    for name, data in files:
        kind = _kind(data)
        if kind is None:
            raise _refuse(
                _(
                    "%(file)s is not a photo (JPEG or PNG) or a scanned PDF.",
                    file=name[:80] or "—",
                )
            )
        if kind == PDF:
            try:
                reader = PdfReader(io.BytesIO(data))
                locked = reader.is_encrypted
                pages += 0 if locked else len(reader.pages)
            except PDF_ERRORS as exc:
                raise _refuse(_("%(file)s cannot be read as a PDF.", file=name[:80])) from exc
            if locked:
                raise _refuse(
                    _(
                        "%(file)s is protected by a password: save the scan again without one.",
                        file=name[:80],
                    )
                )
        else:
            pages += 1
        if pages > MAX_PAGES:
            raise _refuse(
                _("The upload holds more than %(max)d pages: upload them in parts.", max=MAX_PAGES)
            )
    return pages


def _image_pixels(data: bytes) -> int:
    """The pixels an image declares, from its header (nothing is decoded)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused below
        try:
            with Image.open(io.BytesIO(data)) as image:
                return image.width * image.height
        except Image.DecompressionBombError:
            return MAX_PIXELS + 1


def _pdf_page_image(page) -> np.ndarray | str:
    """The scanned image of a PDF page (its largest), or a problem. Its size is checked before
    it is decoded: the size the PDF declares, and a JPEG's own."""
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources else None
    candidates = []
    for name, ref in (xobjects.get_object() if xobjects else {}).items():
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Image":
            candidates.append((int(obj.get("/Width", 0)) * int(obj.get("/Height", 0)), name, obj))
    if not candidates:
        return "no-image"
    pixels, name, obj = max(candidates, key=lambda c: c[0])
    if pixels > MAX_PIXELS:
        return "too-large"
    if obj.get("/Filter") in ("/DCTDecode", ["/DCTDecode"]):
        jpeg = obj.get_data()  # as the scanner made it: DCTDecode is left for the JPEG reader
        if _image_pixels(jpeg) > MAX_PIXELS:
            return "too-large"
        image = scanning.decode_image(jpeg)
        return image if image is not None else "not-image"
    for candidate in page.images:
        if candidate.name.startswith(str(name).lstrip("/")):
            return np.array(candidate.image.convert("L"))
    return "not-image"


def page_images(
    files: list[tuple[str, bytes]],
) -> Iterator[tuple[str, int | None, np.ndarray | str]]:
    """Each page of the upload: (its file, its page in a PDF, its grey image or a problem).
    A page that cannot be read is a problem of its own; the other pages stand."""
    for name, data in files:
        if _kind(data) == PDF:
            try:
                reader = PdfReader(io.BytesIO(data))
                count = len(reader.pages)
            except PDF_ERRORS:
                yield name, None, "not-image"
                continue
            for n in range(count):
                try:
                    image = _pdf_page_image(reader.pages[n])
                except PDF_ERRORS:
                    image = "not-image"
                yield name, n + 1, image
            continue
        try:
            too_large = _image_pixels(data) > MAX_PIXELS
        except (OSError, ValueError):
            yield name, None, "not-image"
            continue
        if too_large:
            yield name, None, "too-large"
            continue
        decoded = scanning.decode_image(data)
        yield name, None, decoded if decoded is not None else "not-image"


def _page_count(data: bytes) -> int:
    if _kind(data) != PDF:
        return 1
    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except PDF_ERRORS:
        return 1


def read_batch(store: Store, token: str) -> list[dict]:
    """Read every page of an upload (the background job): the QR code and the state and ink
    share of every box, the box images into the store. A page the reader fails on is a
    problem of that page alone."""
    files = store.files(token)
    total = sum(_page_count(data) for _name, data in files)
    store.report(token, 0, total)
    pages: list[dict] = []
    for number, (source, in_file, image) in enumerate(page_images(files), start=1):
        entry: dict[str, Any] = {"number": number, "source": source, "page": in_file}
        entry["problem"] = image if isinstance(image, str) else ""
        if not isinstance(image, str):
            try:
                read = scanning.read_page(image)
            except Exception:  # noqa: BLE001 - one odd image must not lose the others
                log.exception("page %d of upload %s could not be read", number, token)
                read = scanning.PageRead(problem="not-image")
            entry["problem"] = read.problem
            if read.page is not None:
                entry.update(code=read.page.payload, states=read.states, shares=read.shares)
                for key, png in read.crops.items():
                    store.crop_path(token, number, key).write_bytes(png)
        pages.append(entry)
        store.report(token, number, max(total, number))
    store.finish(token, pages)
    return pages


# -- what the pages say, against what the app holds -------------------------------------------


@dataclass
class Item:
    """One thing read from a page that a coordinator can check: a person's presence on a
    day, an answer to a question, the code on a blank answer sheet."""

    key: str  # unique in the upload: "<page>:<what>", e.g. "3:r5", "7:q12", "7:code"
    kind: str  # "day", "answer" or "code"
    area: str  # the image shown beside it: its row of the sheet, its question's bubbles
    read: str  # PRESENT / ABSENT; a choice "0".."3" or NO_ANSWER; a registration id; "" unsure
    registration_id: int | None = None
    day: dt.date | None = None
    question: int = 0
    decided: str = ""  # the coordinator's decision where ``read`` is unsure

    @property
    def unsure(self) -> bool:
        return self.read == ""

    @property
    def value(self) -> str:
        return self.read or self.decided


@dataclass
class PageView:
    """One page of the upload as the preview shows it."""

    number: int
    source: str  # the file it came from
    in_file: int | None = None  # its page in a PDF
    problem: Message | None = None
    page: Page | None = None
    person: Registration | None = None  # an answer sheet's, once known
    items: list[Item] = field(default_factory=list)
    walk_ins: list[str] = field(default_factory=list)  # name boxes with handwriting
    notes: list[Message] = field(default_factory=list)
    score: Decimal | None = None  # an answer sheet's, once every answer is known
    right: int = 0

    @property
    def unsure(self) -> list[Item]:
        return [i for i in self.items if i.unsure]


@dataclass(frozen=True)
class Change:
    """A value saving would store: attendance of a person on a day, or a test score."""

    registration_id: int
    field: str  # a day (ISO) or "pre" / "post"
    now: str  # what the app holds ("" nothing)
    new: str
    kind: str  # NEW or CHANGED
    pages: tuple[int, ...]

    @property
    def key(self) -> str:
        """What the preview's "take the sheets' value" names: "12:2027-03-02", "12:pre"."""
        return f"{self.registration_id}:{self.field}"


@dataclass
class Preview:
    workshop: Workshop
    pages: list[PageView]
    people: dict[int, Registration]
    changes: list[Change] = field(default_factory=list)
    same: int = 0  # values read that the app holds already
    missing: list[Item] = field(default_factory=list)  # unsure and not decided
    # what the app holds now of everything the pages speak of, decided or not yet
    held: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """Changes when the app's values of anything on the pages change (not with the
        decisions taken on the preview)."""
        payload = json.dumps(sorted(self.held))
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    @property
    def read_pages(self) -> list[PageView]:
        return [p for p in self.pages if p.problem is None]

    @property
    def refused(self) -> list[PageView]:
        return [p for p in self.pages if p.problem is not None]

    @property
    def unsure(self) -> list[Item]:
        return [i for p in self.pages for i in p.unsure]


PROBLEMS: dict[str, Callable[[], Message]] = {
    "markers": lambda: _(
        "The page's four black corner squares were not found: photograph or scan the whole"
        " page, flat and in focus."
    ),
    "code": lambda: _(
        "The page's code (the square pattern at the top) could not be read: keep it clean and"
        " in focus, and upload the page again."
    ),
    "not-ours": lambda: _("This is not a sheet printed by this app for a workshop."),
    "not-image": lambda: _("This file or page is not an image the app can read."),
    "no-image": lambda: _(
        "This PDF page holds no scanned image (upload the scan, not the"
        " sheet as printed from the app)."
    ),
    "too-large": lambda: _(
        "This image is too large (more than %(max)d megapixels).", max=MAX_PIXELS // 1_000_000
    ),
}


def _one_marked(states: list[str]) -> str:
    """The position of the one marked box among ``states``, NO_ANSWER when all are empty,
    "" (unsure) otherwise: a box unsure, or two marked."""
    if scanning.UNSURE in states:
        return ""
    marked = [i for i, s in enumerate(states) if s == scanning.MARKED]
    if not marked:
        return NO_ANSWER
    return str(marked[0]) if len(marked) == 1 else ""


def _present(states: list[str]) -> str:
    """A sign-in row: present when either box is marked, absent when both are empty."""
    if scanning.MARKED in states:
        return PRESENT
    if all(s == scanning.EMPTY for s in states):
        return ABSENT
    return ""


def _person_label(reg: Registration) -> str:
    names = [n for n in (reg.participant.name_lao, reg.participant.name_latin) if n]
    return f"R{reg.id} · " + " · ".join(names)


def test_questions(db: Session, workshop: Workshop) -> list[dict]:
    return paper_data(db, workshop, "test", "en").get("questions", [])


def preview(
    db: Session,
    actor: Actor,
    workshop_id,
    pages: list[dict],
    decisions: Mapping[str, str] | None = None,
) -> Preview:
    """What the pages read from an upload say and would change (nothing is stored).
    ``decisions``: item key -> value for the unsure ones, as the coordinator chose."""
    require(actor, "participant.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    decisions = decisions or {}
    regs = {
        r.id: r
        for r in db.scalars(select(Registration).where(Registration.workshop_id == workshop.id))
    }
    people = {rid: r for rid, r in regs.items() if r.status in SEATED}
    days = workshop_days(workshop)
    questions = test_questions(db, workshop)
    views: list[PageView] = []
    seen_tests: dict[tuple[int, str], int] = {}
    for entry in pages:
        view = PageView(entry["number"], entry["source"], entry.get("page"))
        views.append(view)
        if entry["problem"]:
            view.problem = PROBLEMS.get(entry["problem"], PROBLEMS["not-image"])()
            continue
        try:
            page = parse_payload(entry["code"])
        except BadCode:
            view.problem = PROBLEMS["not-ours"]()
            continue
        view.page = page
        if page.workshop_id != workshop.id:
            other = db.get(Workshop, page.workshop_id)
            view.problem = (
                _(
                    "This page is from another workshop: %(other)s. It was left out.",
                    other=named(other, "title"),
                )
                if other
                else _("This page is from a workshop the app does not hold. It was left out.")
            )
            continue
        states: dict[str, str] = entry["states"]
        if page.kind in (SIGN_IN, GRID):
            if any(d not in days for d in page.days) or (page.kind == GRID and page.days != days):
                view.problem = _(
                    "The workshop's days changed after this sheet was printed: copy its marks"
                    " onto the attendance page."
                )
                continue
            _rows(view, page, states, people, regs, decisions)
        else:
            test, digest, count = page.test
            if digest != quiz_digest(questions) or count != len(questions):
                view.problem = _(
                    "The workshop's test changed after this answer sheet was printed, so it"
                    " cannot be marked against today's answers."
                )
                continue
            _answers(view, page, states, people, decisions)
            person = view.person
            if person is not None:
                earlier = seen_tests.setdefault((person.id, test), view.number)
                if earlier != view.number:
                    view.problem = _(
                        "Page %(page)d holds this person's %(test)s answer sheet already; this"
                        " one was left out.",
                        page=earlier,
                        test=_("pre-test") if test == "pre" else _("post-test"),
                    )
                    view.items = []
                    continue
            if person is not None and all(i.value for i in view.items if i.kind == "answer"):
                view.right = sum(
                    1
                    for i in view.items
                    if i.kind == "answer"
                    and i.value == str(questions[i.question - 1]["answer"] - 1)
                )
                view.score = (Decimal(view.right) * 100 / Decimal(count)).quantize(Decimal("0.1"))
    result = Preview(workshop, views, people)
    result.missing = [i for i in result.unsure if not i.decided]
    _changes(result)
    return result


def _rows(
    view: PageView,
    page: Page,
    states: Mapping[str, str],
    people: Mapping[int, Registration],
    regs: Mapping[int, Registration],
    decisions: Mapping[str, str],
) -> None:
    for i, rid in enumerate(page.rows):
        reg = people.get(rid)
        reads = []
        for j, day in enumerate(page.days):
            if page.kind == SIGN_IN:
                read = _present([states[f"r{i}.tick"], states[f"r{i}.sign"]])
            else:
                cell = states[f"r{i}.d{j}"]
                read = {scanning.MARKED: PRESENT, scanning.EMPTY: ABSENT}.get(cell, "")
            reads.append((j, day, read))
        if reg is None:
            if any(read != ABSENT for _j, _day, read in reads):
                view.notes.append(_not_listed(i + 1, rid, regs.get(rid)))
            continue
        for j, day, read in reads:
            key = f"{view.number}:r{i}" + (f"d{j}" if page.kind == GRID else "")
            item = Item(key, "day", f"r{i}.row", read, reg.id, day)
            if item.unsure and decisions.get(key) in (PRESENT, ABSENT):
                item.decided = decisions[key]
            view.items.append(item)
    for w in range(page.walk_ins):
        if states.get(f"w{w}.name") != scanning.EMPTY:
            view.walk_ins.append(f"w{w}.row")


def _not_listed(row: int, rid: int, reg: Registration | None) -> Message:
    """Why a marked row of a sheet is left out: its person is not seated on the list."""
    if reg is not None and reg.status == RegistrationStatus.INVITED:
        return _(
            "Row %(row)d: %(name)s was invited but is not registered. Register them on the"
            " participants page, then upload this page again.",
            row=row,
            name=_person_label(reg),
        )
    return _(
        "Row %(row)d (R%(code)d) is no longer on this workshop's list; its marks were left out.",
        row=row,
        code=rid,
    )


def _answers(
    view: PageView,
    page: Page,
    states: Mapping[str, str],
    people: Mapping[int, Registration],
    decisions: Mapping[str, str],
) -> None:
    test, _digest, count = page.test
    rid = page.rows[0]
    if rid == 0:  # a blank sheet: the code is bubbled
        digits = [_one_marked([states[f"c{k}.{v}"] for v in range(10)]) for k in range(CODE_DIGITS)]
        text = "".join(d for d in digits if d != NO_ANSWER)
        read = ""
        if all(d for d in digits) and text and int(text) in people:
            read = str(int(text))
        elif all(d for d in digits) and text:
            view.notes.append(
                _("The code bubbled, R%(code)s, is not on this workshop's list.", code=text)
            )
        code = Item(f"{view.number}:code", "code", "code.all", read)
        chosen = decisions.get(code.key, "")
        if code.unsure and re.fullmatch(r"[0-9]{1,9}", chosen) and int(chosen) in people:
            code.decided = chosen
        view.items.append(code)
        rid = int(code.value) if code.value else 0
    view.person = people.get(rid)
    if rid and view.person is None:
        view.problem = _(
            "This answer sheet's person (R%(code)d) is no longer on this workshop's list.",
            code=rid,
        )
        return
    for n in range(1, count + 1):
        read = _one_marked([states[f"q{n}.{c}"] for c in range(CHOICES)])
        item = Item(f"{view.number}:q{n}", "answer", f"q{n}.row", read, rid or None, question=n)
        chosen = decisions.get(item.key, "")
        if item.unsure and (chosen == NO_ANSWER or chosen in {str(c) for c in range(CHOICES)}):
            item.decided = chosen
        view.items.append(item)


def _changes(result: Preview) -> None:
    """What saving would store, merged over the pages: a person present on any page of a
    day is present that day."""
    attendance: dict[tuple[int, dt.date], tuple[str, list[int]]] = {}
    scores: dict[tuple[int, str], tuple[str, int]] = {}
    held: set[tuple[int, str, str]] = set()
    for view in result.read_pages:
        if view.page is not None and view.page.kind == ANSWERS:
            test = view.page.test[0]
            # a blank sheet may be anyone's until decided: what everyone holds counts
            whose = result.people.values() if view.page.rows == (0,) else [view.person]
            held |= {(r.id, test, _score_now(r, test)) for r in whose if r is not None}
        for item in view.items:
            if item.kind == "day" and item.registration_id and item.day:
                reg = result.people[item.registration_id]
                held.add((reg.id, item.day.isoformat(), _attendance_now(reg, item.day)))
            if item.kind == "day" and item.value and item.registration_id and item.day:
                slot = (item.registration_id, item.day)
                value, where = attendance.get(slot, (ABSENT, []))
                present = PRESENT in (value, item.value)
                attendance[slot] = (PRESENT if present else ABSENT, [*where, view.number])
        if view.page is not None and view.page.kind == ANSWERS and view.person is not None:
            if view.score is not None:
                scores[(view.person.id, view.page.test[0])] = (str(view.score), view.number)
    changes: list[Change] = []
    same = 0
    for (rid, day), (value, where) in sorted(attendance.items(), key=lambda kv: kv[0]):
        now = _attendance_now(result.people[rid], day)
        if now == value:
            same += 1
            continue
        kind = NEW if now == "" else CHANGED
        changes.append(Change(rid, day.isoformat(), now, value, kind, tuple(sorted(set(where)))))
    for (rid, test), (value, number) in sorted(scores.items()):
        now = _score_now(result.people[rid], test)
        if now == value:
            same += 1
            continue
        changes.append(Change(rid, test, now, value, NEW if now == "" else CHANGED, (number,)))
    result.changes, result.same, result.held = changes, same, sorted(held)


def _attendance_now(reg: Registration, day: dt.date) -> str:
    return next((PRESENT if a.present else ABSENT for a in reg.attendance if a.day == day), "")


def _score_now(reg: Registration, test: str) -> str:
    current = reg.pre_score if test == "pre" else reg.post_score
    return "" if current is None else str(Decimal(current).quantize(Decimal("0.1")))


def save(
    db: Session,
    actor: Actor,
    workshop_id,
    pages: list[dict],
    decisions: Mapping[str, str],
    fingerprint: str,
    take: Collection[str] = (),
    take_all: bool = False,
) -> int:
    """Store what the preview showed, all or nothing; the number of values stored. A value
    the app had nothing for is stored; one that replaces what the app holds (typed in, or
    from an earlier upload) only when the coordinator takes it: its key in ``take``, or
    every one with ``take_all``. Refused while an unsure box waits for a decision, or if the
    app's attendance or scores changed since the preview (``fingerprint``)."""
    result = preview(db, actor, workshop_id, pages, decisions)
    if result.missing:
        raise ValidationError(
            {f"decide-{item.key}": [_("Decide what this box says.")] for item in result.missing}
            | {
                None: [
                    _(
                        "Unsure readings still to decide: %(n)d. Decide each of them, then save.",
                        n=len(result.missing),
                    )
                ]
            }
        )
    if result.fingerprint != fingerprint:
        raise StaleObject(
            _(
                "The workshop's attendance or scores changed since this preview, so nothing was"
                " saved: look at what the pages would change now, then save again."
            )
        )
    chosen = [c for c in result.changes if c.kind == NEW or take_all or c.key in take]
    marks = {
        (c.registration_id, dt.date.fromisoformat(c.field)): c.new == PRESENT
        for c in chosen
        if c.field not in ("pre", "post")
    }
    if marks:
        record_attendance_marks(db, actor, result.workshop.id, marks, source=SOURCE)
    scores: dict[int, dict[str, str]] = {}
    for c in chosen:
        if c.field in ("pre", "post"):
            scores.setdefault(c.registration_id, {})[c.field] = c.new
    if scores:
        rows, seen = {}, {}
        for rid, values in scores.items():
            current = result_cells(result.people[rid])
            seen[rid] = grids.stamp(current)
            rows[rid] = {key: values.get(key, current[key]) for key in RESULT_KEYS}
        record_results(db, actor, result.workshop.id, rows, seen, source=SOURCE)
    return len(chosen)
