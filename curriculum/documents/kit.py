"""The offline workshop kit: one ZIP a coordinator takes to a venue without internet.

It holds the agenda, both packs, a sign-in sheet per day, the attendance grid, the
pre/post test's questions and its answer sheets (the sheets the app reads back from a scan),
an ``index.html`` that opens in any browser from the unzipped folder (no
server, no link leaving the folder), and a workbook of the participants, their attendance
and their scores, locked but for the cells to fill, with data validation on those.

Like the packs it is cached by a hash of what it is made of and laid out by a background
job; its files are named in ASCII so that any unzip tool and any browser find them.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import localise
from ..models import Registration, Workshop
from ..services.participants import result_cells, workshop_days
from ..text import normalise
from .participants import LISTED, paper_data, paper_order, render_paper
from .render import CachedDocument, Settings, cached, content_key, render_template, store
from .sheets import render_sheet, render_sign_in_sheet
from .workshops import cached_pack, ensure_pack, pack_data

PRESENT, ABSENT = "✓", "✗"  # what the workbook's attendance cells take (or nothing)
SCORE_RANGE = (0, 100)  # a test score in percent, as the results page takes it
PACKS = ("agenda", "trainers", "participants")
UNLOCKED_FILL = PatternFill("solid", fgColor="FFF4CC")  # the cells to fill, pale yellow
KIT_SHEET = "kit"  # the hidden sheet: whose workbook this is, and what the app held


def participant_code(registration: Registration) -> str:
    """The short code a person has on the workshop's paper: their registration's number."""
    return f"R{registration.id}"


def kit_data(db: Session, workshop: Workshop, language: str | None = None) -> dict:
    """Everything the kit is made of, as plain data (its cache key's input)."""
    language = language if language in ("en", "lo") else workshop.language
    days = workshop_days(workshop)
    registrations = sorted(
        db.scalars(
            select(Registration).where(
                Registration.workshop_id == workshop.id, Registration.status.in_(LISTED)
            )
        ),
        key=lambda r: paper_order(r.participant),
    )
    people = []
    for r in registrations:
        p = r.participant
        marked = {a.day: a.present for a in r.attendance}
        people.append(
            {
                "code": participant_code(r),
                "lao": p.name_lao,
                "latin": p.name_latin,
                "sex": p.sex,
                "institution": p.institution.short_name if p.institution else "",
                "position": p.position,
                "attendance": [marked.get(d) for d in days],
                "pre": None if r.pre_score is None else float(r.pre_score),
                "post": None if r.post_score is None else float(r.post_score),
                # what the app held when the kit was made, as its grids show it: the
                # filled workbook is compared with it to tell new, changed and conflicting
                "results": result_cells(r),
            }
        )
    return {
        "workshop": {
            "id": workshop.id,
            "title": localise.local_name(workshop, language, "title"),
            "province": localise.local_name(workshop.province, language),
            "venue": workshop.venue,
            "dates": localise.date_range(workshop.start_date, workshop.end_date, language),
        },
        "language": language,
        "days": [d.isoformat() for d in days],
        "day_labels": [localise.short_day(d, language) for d in days],
        "people": people,
        "packs": {kind: pack_data(db, workshop, kind, language) for kind in PACKS},
        "test": paper_data(db, workshop, "test", language),
    }


def kit_filename(workshop: Workshop, language: str) -> str:
    return f"workshop-{workshop.id}-kit-{language}.zip"


def kit_document(
    db: Session, settings: Settings, workshop: Workshop, language: str | None = None
) -> tuple[CachedDocument, dict]:
    data = kit_data(db, workshop, language)
    key = content_key(
        "workshop-kit", data["language"], [settings.catalog_version(data["language"]), data]
    )
    return cached(settings, key, kit_filename(workshop, data["language"])), data


def kit_files(data: dict) -> list[tuple[str, str]]:
    """The kit's documents as (file name, what it is), in the order ``index.html`` lists them;
    the names are ASCII, the descriptions in the kit's language (filled in by the index)."""
    files = [
        ("agenda.pdf", "agenda"),
        ("trainers-pack.pdf", "trainers"),
        ("participants-pack.pdf", "participants"),
    ]
    files += [(f"sign-in-day-{n}.pdf", "sign-in") for n in range(1, len(data["days"]) + 1)]
    files += [("attendance-grid.pdf", "attendance"), ("test.pdf", "test")]
    if data["test"]["questions"]:
        files += [("answers-pre.pdf", "answers-pre"), ("answers-post.pdf", "answers-post")]
    files.append(("workbook.xlsx", "workbook"))
    return files


def build_kit(db: Session, settings: Settings, workshop: Workshop, data: dict) -> bytes:
    """The kit's ZIP: every document rendered (from the cache where it is there already)."""
    language = data["language"]
    contents: dict[str, bytes] = {}
    for kind, name in zip(
        PACKS, ("agenda.pdf", "trainers-pack.pdf", "participants-pack.pdf"), strict=True
    ):
        pack = data["packs"][kind]  # made once, for the kit's cache key
        contents[name] = ensure_pack(
            settings, cached_pack(settings, workshop, pack), pack
        ).path.read_bytes()
    for n, day in enumerate(workshop_days(workshop), start=1):
        sheet = render_sign_in_sheet(db, settings, workshop, day, language)
        contents[f"sign-in-day-{n}.pdf"] = sheet.path.read_bytes()
    contents["attendance-grid.pdf"] = render_sheet(
        db, settings, workshop, "attendance", language
    ).path.read_bytes()
    contents["test.pdf"] = render_paper(db, settings, workshop, "test", language).path.read_bytes()
    for name, what in kit_files(data):
        if what.startswith("answers-"):
            contents[name] = render_sheet(db, settings, workshop, what, language).path.read_bytes()
    contents["workbook.xlsx"] = kit_workbook(settings, data)
    contents["index.html"] = kit_index_html(settings, data, contents).encode("utf-8")
    folder = f"workshop-{workshop.id}-kit"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ["index.html", *(n for n, _what in kit_files(data))]:
            archive.writestr(f"{folder}/{name}", contents[name])
    return out.getvalue()


def ensure_kit(
    db: Session, settings: Settings, workshop: Workshop, document: CachedDocument, data: dict
) -> CachedDocument:
    if not document.ready:
        store(document, build_kit(db, settings, workshop, data))
    return document


def kit_index_html(settings: Settings, data: dict, contents: dict[str, bytes]) -> str:
    """The page that opens the kit: what each file is, linked by its relative name."""
    files = [
        {"name": name, "what": what, "size": len(contents[name])} for name, what in kit_files(data)
    ]
    return render_template(settings, data["language"], "kit_index.html", d=data, files=files)


SNAPSHOT_FIELDS = ("pre", "post")  # besides the days: what the workbook's cells can change


def kit_check(workshop_id: int, days: list[str], rows: list[list[str]]) -> str:
    """A check value over what the hidden sheet holds (the workshop, its days, each person's
    code, names and values), so that a hidden sheet edited by mistake, or pasted from another
    kit, is noticed. It is a consistency check, not a signature: whoever may upload a
    workbook may type the same values into the app."""
    kept = [[normalise(str(v)) for v in row] for row in rows]  # as a workbook reads back
    payload = json.dumps([str(workshop_id), days, kept], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _text(cell, value) -> None:
    """Put text in a cell as text: a name starting with "=" must not become a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def kit_workbook(settings: Settings, data: dict) -> bytes:
    """Participants, attendance and scores: every sheet protected, the cells to fill
    unlocked and checked (a tick or a cross per day present or absent; a score from 0 to
    100), so that what comes back can be read without guessing."""
    _ = settings.translations(data["language"]).gettext
    book = Workbook()
    about = book.worksheets[0]
    about.title = _("About")
    lines = [
        [data["workshop"]["title"]],
        [f"{data['workshop']['province']} · {data['workshop']['dates']}"],
        [],
        [_("Fill in the yellow cells only: the others are locked.")],
        [
            _("Attendance: %(present)s present, %(absent)s absent, empty if not known.")
            % {"present": PRESENT, "absent": ABSENT}
        ],
        [_("Scores: the percentage right, from 0 to 100.")],
        [_("Give the filled workbook back to the workshop's coordinator.")],
    ]
    for row, line in enumerate(lines, start=1):
        for column, value in enumerate(line, start=1):
            _text(about.cell(row=row, column=column), value)
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 90
    about.protection.sheet = True

    header = [_("Code"), _("Name (Lao script)"), _("Name (Latin script)")]
    people = data["people"]

    attendance = book.create_sheet(_("Attendance"))
    _table(attendance, header + data["day_labels"], people, lambda p: p["attendance"], 3)
    ticks = DataValidation(
        type="list",
        formula1=f'"{PRESENT},{ABSENT}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Attendance"),
        error=_("Choose %(present)s or %(absent)s, or leave the cell empty.")
        % {"present": PRESENT, "absent": ABSENT},
    )
    _validate(attendance, ticks, 4, len(data["days"]), len(people))

    scores = book.create_sheet(_("Scores"))
    _table(
        scores,
        header + [_("Pre-test (%)"), _("Post-test (%)")],
        people,
        lambda p: [p["pre"], p["post"]],
        3,
    )
    percent = DataValidation(
        type="decimal",
        operator="between",
        formula1=str(SCORE_RANGE[0]),
        formula2=str(SCORE_RANGE[1]),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Scores"),
        error=_("Give a percentage from 0 to 100, or leave the cell empty."),
    )
    _validate(scores, percent, 4, 2, len(people))

    listing = book.create_sheet(_("Participants"))
    listing.append(header + [_("Sex"), _("Institution"), _("Position")])
    sexes = {
        "female": _("Female"),
        "male": _("Male"),
        "other": _("Other"),
        "not_recorded": _("Not recorded"),
    }
    for p in people:
        listing.append([None] * 6)
        row = listing.max_row
        sex = sexes.get(p["sex"], p["sex"])
        values = [p["code"], p["lao"], p["latin"], sex, p["institution"], p["position"]]
        for column, value in enumerate(values, start=1):
            _text(listing.cell(row=row, column=column), value)
    _finish(listing, 6)

    kit = book.create_sheet(KIT_SHEET)
    rows = [
        [
            p["code"],
            p["lao"],
            p["latin"],
            *("" if a is None else "1" if a else "0" for a in p["attendance"]),
            *(p["results"][k] for k in SNAPSHOT_FIELDS),
        ]
        for p in people
    ]
    kit.append(["workshop", data["workshop"]["id"]])
    kit.append(["language", data["language"]])
    kit.append(["days", *data["days"]])
    kit.append(["check", kit_check(data["workshop"]["id"], data["days"], rows)])
    kit.append(["sheets", attendance.title, scores.title])
    kit.append(["fields", "code", "lao", "latin", *data["days"], *SNAPSHOT_FIELDS])
    for kept in rows:
        kit.append([None] * (len(kept) + 1))
        for column, value in enumerate(["row", *kept], start=1):
            _text(kit.cell(row=kit.max_row, column=column), value)
    kit.sheet_state = "veryHidden"
    kit.protection.sheet = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(sheet, header: list[str], people: list[dict], values, fixed: int) -> None:
    """A header, then a row per person: code and names (locked), then ``values(person)``
    in unlocked, yellow cells."""
    sheet.append(header)
    for p in people:
        row: list[Any] = [None] * len(header)
        sheet.append(row)
        number = sheet.max_row
        for column, value in enumerate([p["code"], p["lao"], p["latin"]], start=1):
            _text(sheet.cell(row=number, column=column), value)
        for column, value in enumerate(values(p), start=fixed + 1):
            cell = sheet.cell(row=number, column=column)
            if value is True:
                cell.value = PRESENT
            elif value is False:
                cell.value = ABSENT
            else:
                cell.value = value
            cell.protection = Protection(locked=False)
            cell.fill = UNLOCKED_FILL
            cell.alignment = Alignment(horizontal="center")
    _finish(sheet, len(header))


def _validate(sheet, rule: DataValidation, first_column: int, columns: int, rows: int) -> None:
    if not rows or not columns:
        return
    first = f"{get_column_letter(first_column)}2"
    last = f"{get_column_letter(first_column + columns - 1)}{rows + 1}"
    rule.add(f"{first}:{last}")
    sheet.add_data_validation(rule)


def _finish(sheet, columns: int) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    for index in range(1, columns + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14 if index > 3 else 26
    sheet.protection.sheet = True
