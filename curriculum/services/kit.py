"""A filled kit workbook read back: what it would change, shown before anything is saved,
then saved all or nothing where typed-in attendance and scores go.

The workbook (``curriculum.documents.kit``) carries, on a hidden sheet, whose it is and what
the app held for each person when it was made. Each filled cell is compared three ways:
with that, with what the app holds now, and with itself:

- a cell nobody filled in, or filled with what the app held, changes nothing;
- a cell filled where the app has not changed since: **new** (the app had nothing) or
  **changed**;
- a cell filled where the app changed meanwhile, to something else: **conflicting**, kept
  as the app has it unless the coordinator takes the workbook's value.

A formula, a value a cell does not take, a changed name or code (the locked cells), a
workbook of another workshop or one whose hidden sheet was altered: each is named, and
nothing is saved until the workbook is right.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..documents.kit import (
    ABSENT,
    KIT_SHEET,
    PRESENT,
    SNAPSHOT_FIELDS,
    kit_check,
    participant_code,
)
from ..errors import StaleObject, ValidationError
from ..i18n import Message, _
from ..models import Registration, Workshop
from ..permissions import Actor, require
from ..spreadsheets import read_xlsx_sheets
from . import grids
from .participants import (
    RESULT_KEYS,
    SEATED,
    attendance_cells,
    record_attendance_marks,
    record_results,
    result_cells,
    workshop_days,
)
from .reports import REGISTRATION_STATUS_LABELS
from .validation import get_or_404

MAX_BYTES = 5 * 1024 * 1024  # as a participant list
MAX_ROWS = 1_000
SOURCE = "kit workbook"  # what the audit log says the values came from

NEW, CHANGED, CONFLICT = "new", "changed", "conflict"


@dataclass(frozen=True)
class Change:
    """One cell of the workbook that would change what the app holds."""

    key: str  # "R12:2027-03-02" or "R12:pre": what a conflict's choice names
    registration_id: int
    code: str
    name: str
    field: str  # a day (ISO date), "pre" or "post"
    was: str  # what the app held when the kit was made
    now: str  # what it holds now
    sheet: str  # what the workbook says
    kind: str  # NEW, CHANGED or CONFLICT


@dataclass
class Returned:
    """What a filled workbook would do: its problems (nothing can be saved while there are
    any) and its changes, with a fingerprint of both that the save checks again."""

    workshop_id: int
    days: list[str] = field(default_factory=list)
    problems: list[Message] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        payload = json.dumps(
            [[c.key, c.now, c.sheet, c.kind] for c in self.changes] + [len(self.problems)]
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


def _refuse(message: Message) -> ValidationError:
    return ValidationError({"file": [message]})


def _pad(row: list[str], length: int) -> list[str]:
    return row + [""] * (length - len(row))


def read_returned_workbook(db: Session, actor: Actor, workshop_id, data: bytes) -> Returned:
    """Read a filled kit workbook of ``workshop_id`` (through the guarded reader, within a
    participant list's bounds) and say what it would change; store nothing."""
    require(actor, "participant.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    if len(data) > MAX_BYTES:
        raise _refuse(
            _(
                "The file is too large (%(size)s MB; at most %(max)d MB).",
                size=f"{len(data) / 1024 / 1024:.1f}",
                max=MAX_BYTES // 1024 // 1024,
            )
        )
    if not data.startswith(b"PK\x03\x04"):
        raise _refuse(_("This is not an Excel workbook (.xlsx): upload the kit's workbook."))
    hidden = read_xlsx_sheets(data, MAX_ROWS, {KIT_SHEET}).get(KIT_SHEET, [])
    kit = {row[0]: row[1:] for row in hidden if row and row[0] != "row"}
    snapshot = [row[1:] for row in hidden if row and row[0] == "row"]
    if not {"workshop", "check", "days", "sheets", "fields"} <= set(kit):
        raise _refuse(
            _("This workbook is not a workshop kit's workbook: upload the one the kit holds.")
        )
    owner = (kit["workshop"] or [""])[0]
    if owner != str(workshop.id):
        other = db.get(Workshop, int(owner)) if re.fullmatch(r"[0-9]{1,9}", owner) else None
        raise _refuse(
            _(
                "This workbook is the kit of another workshop (%(other)s), not of %(this)s.",
                other=other.title if other else owner[:40],
                this=workshop.title,
            )
        )
    days = [d for d in kit["days"] if d]
    fields = kit["fields"]
    if fields != ["code", "lao", "latin", *days, *SNAPSHOT_FIELDS]:
        raise _refuse(
            _("This workbook is not a workshop kit's workbook: upload the one the kit holds.")
        )
    width = len(fields)
    snapshot = [_pad(row, width)[:width] for row in snapshot]
    if kit_check(workshop.id, days, snapshot) != (kit["check"] or [""])[0]:
        raise _refuse(
            _("The workbook's hidden sheet was changed, so it cannot be trusted: use the kit's.")
        )
    if days != [d.isoformat() for d in workshop_days(workshop)]:
        raise _refuse(
            _(
                "The workshop's days changed after the kit was made: download a new kit and"
                " copy the marks into its workbook."
            )
        )
    attendance_name, scores_name = (kit["sheets"] + ["", ""])[:2]
    sheets = read_xlsx_sheets(data, MAX_ROWS, {attendance_name, scores_name})
    was = {row[0]: dict(zip(fields, row, strict=True)) for row in snapshot}
    regs = {
        participant_code(r): r
        for r in db.scalars(select(Registration).where(Registration.workshop_id == workshop.id))
    }
    result = Returned(workshop.id, days)
    checks = (
        (attendance_name, days, _attendance_value),
        (scores_name, ["pre", "post"], _score_value),
    )
    for sheet_name, columns, parse in checks:
        rows = sheets.get(sheet_name)
        if rows is None:
            result.problems.append(
                _("The sheet “%(sheet)s” is missing from the workbook.", sheet=sheet_name)
            )
            continue
        for number, row in enumerate(rows[1:], start=2):
            row = _pad(row, 3 + len(columns))
            code = row[0]
            before = was.get(code)
            if before is None:
                result.problems.append(
                    _(
                        "Sheet “%(sheet)s”, row %(row)d: %(code)s is not a code of this kit.",
                        sheet=sheet_name,
                        row=number,
                        code=code or "—",
                    )
                )
                continue
            if (row[1], row[2]) != (before["lao"], before["latin"]):
                result.problems.append(
                    _(
                        "Sheet “%(sheet)s”, row %(row)d: the name of %(code)s was changed in"
                        " the workbook (its name cells are locked). Correct names in the"
                        " app, and give back the workbook with the names as printed.",
                        sheet=sheet_name,
                        row=number,
                        code=code,
                    )
                )
                continue
            reg = regs.get(code)
            marked = any(cell.strip() for cell in row[3 : 3 + len(columns)])
            if reg is None or reg.status not in SEATED:
                if marked:
                    result.problems.append(
                        _(
                            "Sheet “%(sheet)s”, row %(row)d: %(code)s (%(name)s) is not"
                            " registered on this workshop's list (%(status)s): register"
                            " them, or clear their cells, then upload again.",
                            sheet=sheet_name,
                            row=number,
                            code=code,
                            name=before["lao"] or before["latin"],
                            status=REGISTRATION_STATUS_LABELS.get(
                                reg.status if reg else "cancelled", ""
                            ),
                        )
                    )
                continue
            now = {**attendance_cells(reg, workshop_days(workshop)), **result_cells(reg)}
            recorded = {a.day.isoformat() for a in reg.attendance}
            for offset, name in enumerate(columns):
                cell = f"{_column(3 + offset)}{number}"
                value, problem = parse(row[3 + offset], sheet_name, cell)
                if problem is not None:
                    result.problems.append(problem)
                    continue
                if value is None:
                    continue  # left empty: no word on it
                earlier = before[name]
                current = now[name] if name not in days or name in recorded else ""
                if _same(value, earlier):
                    continue
                if _same(current, earlier):
                    kind = NEW if earlier == "" else CHANGED
                elif _same(current, value):
                    continue
                elif name in days and earlier == "" and current == "0" and value == "1":
                    # the grid records every day it does not tick as absent: a tick from
                    # the venue over such an absence is news, not a disagreement
                    kind = CHANGED
                else:
                    kind = CONFLICT
                result.changes.append(
                    Change(
                        key=f"{code}:{name}",
                        registration_id=reg.id,
                        code=code,
                        name=" · ".join(
                            n for n in (reg.participant.name_lao, reg.participant.name_latin) if n
                        ),
                        field=name,
                        was=earlier,
                        now=current,
                        sheet=value,
                        kind=kind,
                    )
                )
    return result


def _column(index: int) -> str:
    """A sheet's column letter from a row's 0-based position."""
    return get_column_letter(index + 1)


def _formula(text: str, sheet: str, cell: str) -> Message | None:
    if text.startswith("="):
        return _(
            "Sheet “%(sheet)s”, cell %(cell)s holds a formula (%(formula)s): type the value.",
            sheet=sheet,
            cell=cell,
            formula=text[:40],
        )
    return None


def _attendance_value(text: str, sheet: str, cell: str) -> tuple[str | None, Message | None]:
    """A day's cell: a tick ("1"), a cross ("0"), or nothing."""
    text = text.strip()
    if not text:
        return None, None
    if problem := _formula(text, sheet, cell):
        return None, problem
    if text == PRESENT:
        return "1", None
    if text == ABSENT:
        return "0", None
    return None, _(
        "Sheet “%(sheet)s”, cell %(cell)s: “%(value)s” is neither %(present)s nor %(absent)s.",
        sheet=sheet,
        cell=cell,
        value=text[:40],
        present=PRESENT,
        absent=ABSENT,
    )


def _score_value(text: str, sheet: str, cell: str) -> tuple[str | None, Message | None]:
    """A test score in percent, from 0 to 100, as the results page stores it (one decimal)."""
    text = text.strip()
    if not text:
        return None, None
    if problem := _formula(text, sheet, cell):
        return None, problem
    try:
        number = Decimal(text.replace(",", ".").rstrip("%"))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not 0 <= number <= 100:
        return None, _(
            "Sheet “%(sheet)s”, cell %(cell)s: “%(value)s” is not a score from 0 to 100.",
            sheet=sheet,
            cell=cell,
            value=text[:40],
        )
    return str(number.quantize(Decimal("0.1"))), None


def _same(a: str, b: str) -> bool:
    """Two cells' values alike: equal, or the same number (40, 40.0)."""
    if a == b:
        return True
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return False


def save_returned_workbook(
    db: Session,
    actor: Actor,
    workshop_id,
    data: bytes,
    fingerprint: str,
    take: set[str] | frozenset[str] = frozenset(),
    take_all: bool = False,
) -> int:
    """Store what the preview showed, all or nothing: every new and changed cell, and the
    conflicting ones named in ``take``, or all of them with ``take_all`` (the others keep
    the app's value). Refused if the
    workbook has problems, or if the app changed since the preview (``fingerprint``).
    Returns the number of cells stored."""
    returned = read_returned_workbook(db, actor, workshop_id, data)
    if returned.problems:
        raise ValidationError({"file": returned.problems})
    if returned.fingerprint != fingerprint:
        raise StaleObject(
            _(
                "The workshop's attendance or scores changed since the preview, so nothing"
                " was saved: upload the workbook again to see what it would change now."
            )
        )
    chosen = [c for c in returned.changes if c.kind != CONFLICT or take_all or c.key in take]
    if not chosen:
        return 0
    workshop = get_or_404(db, Workshop, workshop_id)
    regs = {
        r.id: r
        for r in db.scalars(select(Registration).where(Registration.workshop_id == workshop.id))
    }
    by_reg: dict[int, dict[str, str]] = {}
    for change in chosen:
        by_reg.setdefault(change.registration_id, {})[change.field] = change.sheet
    marks = {
        (rid, dt.date.fromisoformat(name)): value == "1"
        for rid, cells in by_reg.items()
        for name, value in cells.items()
        if name in returned.days
    }
    if marks:
        record_attendance_marks(db, actor, workshop.id, marks, source=SOURCE)
    results = {
        rid: cells for rid, cells in by_reg.items() if any(f in ("pre", "post") for f in cells)
    }
    if results:
        rows, seen = {}, {}
        for rid, cells in results.items():
            current = result_cells(regs[rid])
            seen[rid] = grids.stamp(current)
            rows[rid] = {key: cells.get(key, current[key]) for key in RESULT_KEYS}
        record_results(db, actor, workshop.id, rows, seen, source=SOURCE)
    return len(chosen)
