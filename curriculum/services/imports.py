"""Participant lists from CSV or XLSX: read, preview with every problem named by row and
column, correct or skip rows, then store every accepted row or none.

The preview lives in the database (:class:`~curriculum.models.ParticipantImport`):
the rows as read, and as corrected since. Problems are worked out again on every
look, against the people known at that moment, by the same code the import uses.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, defer

from ..db import refresh_statistics, utcnow
from ..errors import ValidationError
from ..i18n import Message, _
from ..models import (
    Institution,
    Participant,
    ParticipantImport,
    Province,
    Registration,
    Workshop,
)
from ..permissions import Actor, require
from ..spreadsheets import read_csv, read_xlsx
from ..text import fold, has_lao, normalise
from ..vocabulary import ImportStatus, RegistrationStatus, Sex, WorkshopStatus
from . import audit
from .paging import Page, paginate
from .participants import (
    check_participant,
    duplicate_keys,
    next_waitlist_position,
    search_key,
    seated,
)
from .validation import Checker, flush, get_or_404

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
KEEP_PREVIEWS = dt.timedelta(days=14)

# The fields of a row, in the order of the template and the preview.
FIELDS = (
    "given_name_lo",
    "family_name_lo",
    "given_name_latin",
    "family_name_latin",
    "sex",
    "birth_year",
    "institution",
    "position",
    "province",
    "phone",
    "email",
)
TEMPLATE_HEADERS = {
    "en": (
        "Given name (Lao)",
        "Family name (Lao)",
        "Given name (Latin)",
        "Family name (Latin)",
        "Sex",
        "Year of birth",
        "Institution",
        "Position",
        "Province",
        "Phone",
        "Email",
    ),
    "lo": (
        "ຊື່ (ພາສາລາວ)",
        "ນາມສະກຸນ (ພາສາລາວ)",
        "ຊື່ (ອັກສອນລາຕິນ)",
        "ນາມສະກຸນ (ອັກສອນລາຕິນ)",
        "ເພດ",
        "ປີເກີດ",
        "ອົງການ",
        "ຕຳແໜ່ງ",
        "ແຂວງ",
        "ເບີໂທ",
        "ອີເມວ",
    ),
}
# Column headings in common use, folded; "given"/"family"/"full" go by the script typed.
_ALIASES = {
    "given": (
        "given name",
        "first name",
        "firstname",
        "forename",
        "name",
        "ຊື່",
        "ຊື່ແທ້",
    ),
    "family": ("family name", "surname", "last name", "lastname", "ນາມສະກຸນ", "ນາມສະກຸນ"),
    "full": ("full name", "name and surname", "ຊື່ ແລະ ນາມສະກຸນ", "ຊື່ ແລະ ນາມສະກຸນ", "ຊື່-ນາມສະກຸນ"),
    "sex": ("sex", "gender", "m/f", "ເພດ"),
    "birth_year": ("year of birth", "birth year", "born", "yob", "ປີເກີດ"),
    "institution": (
        "institution",
        "organisation",
        "organization",
        "agency",
        "office",
        "ministry",
        "ອົງການ",
        "ສະຖາບັນ",
        "ໜ່ວຍງານ",
        "ຫນ່ວຍງານ",
        "ອົງການຈັດຕັ້ງ",
    ),
    "position": ("position", "title", "job title", "rank", "ຕຳແໜ່ງ", "ຕໍາແໜ່ງ", "ຕຳແຫນ່ງ"),
    "province": ("province", "ແຂວງ", "ແຂວງ/ນະຄອນ"),
    "phone": ("phone", "telephone", "mobile", "tel", "phone number", "ເບີໂທ", "ໂທລະສັບ", "ເບີໂທລະສັບ"),
    "email": ("email", "e-mail", "email address", "ອີເມວ", "ອີເມລ"),
}
HEADER_FIELDS: dict[str, str] = {}
for _field, _names in _ALIASES.items():
    for _name in _names:
        HEADER_FIELDS[fold(_name)] = _field
for _headers in TEMPLATE_HEADERS.values():
    for _field, _name in zip(FIELDS, _headers, strict=True):
        HEADER_FIELDS[fold(_name)] = _field
for _field in FIELDS:
    HEADER_FIELDS[_field] = _field
    HEADER_FIELDS[fold(_field.replace("_", " "))] = _field

# Columns that give a name: one of the four, or one placed by the script typed in it.
NAME_COLUMNS = {*FIELDS[:4], "given", "family", "full"}

_SEXES = {
    "female": ("f", "female", "woman", "w", "ຍ", "ຍິງ", "ເພດຍິງ", "ນາງ", "ແມ່ຍິງ"),
    "male": ("m", "male", "man", "ຊ", "ຊາຍ", "ເພດຊາຍ", "ທ້າວ"),
    "other": ("other", "x", "ອື່ນ", "ອື່ນໆ"),
}
SEX_WORDS = {fold(w): sex for sex, words in _SEXES.items() for w in words}
FORMULA_START = "="

# An import of this many people refreshes SQLite's table statistics (else the nightly job does).
STATISTICS_AFTER = 1_000


@dataclass
class Row:
    """One row of the preview: as typed, as it will be stored, and what is wrong with it."""

    line: int
    values: dict[str, str]
    skip: bool = False
    # Whether a known look-alike is this person: None until the coordinator says; then
    # the same phone means yes, the same name alone means no (names repeat in Laos).
    same: bool | None = None
    stored: dict = field(default_factory=dict)
    errors: dict[str, list[Message]] = field(default_factory=dict)
    warnings: list[Message] = field(default_factory=list)
    match_id: int | None = None
    match_label: str = ""
    match_by_phone: bool = False
    already_registered: bool = False

    @property
    def reuse(self) -> bool:
        """Register the known look-alike rather than add a new person."""
        if self.match_id is None:
            return False
        return self.match_by_phone if self.same is None else self.same

    @property
    def accepted(self) -> bool:
        return not self.skip and not self.errors


@dataclass
class Preview:
    batch: ParticipantImport
    rows: list[Row]
    columns: list[tuple[str, str | None]]  # heading as found, field it fills (None: unused)

    @property
    def errors(self) -> int:
        return sum(1 for r in self.rows if not r.skip and r.errors)

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.rows if not r.skip and r.warnings)

    @property
    def skipped(self) -> int:
        return sum(1 for r in self.rows if r.skip)

    @property
    def to_store(self) -> int:
        return sum(1 for r in self.rows if r.accepted and not r.already_registered)

    @property
    def ready(self) -> bool:
        return self.errors == 0 and self.to_store > 0


def _refuse(message) -> ValidationError:
    return ValidationError({"file": [message]})


# -- reading files -----------------------------------------------------------------------------


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The non-empty rows of the first sheet as text (formulas as their ``=`` text), read
    within the bounds of :mod:`curriculum.spreadsheets`: the one reader of every upload."""
    if not data:
        raise _refuse(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise _refuse(
            _(
                "The file is too large (%(size)s MB; at most %(max)d MB). "
                "Split the list into several files.",
                size=f"{len(data) / 1024 / 1024:.1f}",
                max=MAX_BYTES // 1024 // 1024,
            )
        )
    name = (filename or "").lower()
    if data.startswith(b"PK\x03\x04"):
        rows = read_xlsx(data, MAX_ROWS)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(_("Old Excel files (.xls) are not read: save the list as .xlsx or CSV."))
    elif name.endswith((".xlsx", ".xlsm")):
        raise _refuse(
            _("This file is named .xlsx but is not an Excel workbook: save it again as .xlsx.")
        )
    else:
        rows = read_csv(data, MAX_ROWS)
    if not rows:
        raise _refuse(_("The file has no rows."))
    return rows


def map_columns(headers: list[str]) -> list[str | None]:
    """The field each column fills (None for a column left unused)."""
    mapped: list[str | None] = []
    for heading in headers:
        key = fold(heading).strip(" :*")
        mapped.append(HEADER_FIELDS.get(key))
    return mapped


def _row_values(mapping: list[str | None], cells: list[str]) -> dict[str, str]:
    values = dict.fromkeys(FIELDS, "")
    for column, text in zip(mapping, cells, strict=False):
        if not column or not text:
            continue
        if column in ("given", "family", "full"):
            if column == "full":
                given, _sep, family = text.partition(" ")
                parts: tuple[tuple[str, str], ...] = (("given", given), ("family", family))
            else:
                parts = ((column, text),)
            for kind, part in parts:
                script = "lo" if has_lao(part) else "latin"
                target = f"{kind}_name_{script}"
                if part and not values[target]:
                    values[target] = part
        elif not values[column]:
            values[column] = text
    return values


# -- preview -----------------------------------------------------------------------------------


def start_import(
    db: Session, actor: Actor, workshop_id, filename: str, data: bytes
) -> ParticipantImport:
    """Read an uploaded list into a preview kept on the server."""
    require(actor, "participant.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    if workshop.status in (WorkshopStatus.CANCELLED, WorkshopStatus.REPORTED):
        raise _refuse(
            _("A %(status)s workshop takes no more registrations.", status=workshop.status)
        )
    table = read_table(filename, data)
    headers, body = table[0], table[1:]
    mapping = map_columns(headers)
    if not NAME_COLUMNS & set(mapping):
        raise _refuse(
            _(
                "No name column was found in the first row. Use the template's headings "
                "(in English or Lao), such as “Given name (Lao)” or “ຊື່”."
            )
        )
    if not body:
        raise _refuse(_("The file has headings but no participants."))
    db.execute(
        delete(ParticipantImport).where(ParticipantImport.created_at < utcnow() - KEEP_PREVIEWS)
    )
    batch = ParticipantImport(
        workshop_id=workshop.id,
        created_by_id=actor.id,
        filename=normalise(filename)[:255],
        rows={
            "columns": [[h, m] for h, m in zip(headers, mapping, strict=False)],
            "rows": [
                {"line": i, "values": _row_values(mapping, cells), "skip": False, "same": None}
                for i, cells in enumerate(body, start=2)
            ],
        },
    )
    db.add(batch)
    flush(db)
    return batch


class _Known:
    """The people already known, indexed by the keys that make a likely duplicate."""

    def __init__(self, db: Session, workshop_id: int) -> None:
        self.by_key: dict[str, tuple[int, str]] = {}
        columns = (
            Participant.id,
            Participant.given_name_lo,
            Participant.family_name_lo,
            Participant.given_name_latin,
            Participant.family_name_latin,
            Participant.phone,
        )
        for row in db.execute(select(*columns)):
            label = " ".join(
                p
                for p in (
                    f"{row.given_name_lo} {row.family_name_lo}".strip(),
                    f"{row.given_name_latin} {row.family_name_latin}".strip(),
                )
                if p
            )
            for key in duplicate_keys(row):
                self.by_key.setdefault(key, (row.id, label))
        self.registered = set(
            db.scalars(
                select(Registration.participant_id).where(
                    Registration.workshop_id == workshop_id,
                    Registration.status != RegistrationStatus.CANCELLED,
                )
            )
        )
        self.provinces = {}
        for p in db.scalars(select(Province)):
            for name in (p.code, p.name_en, p.name_lo, *(p.alt_names or [])):
                if name:  # the code, both names and the usual other spellings
                    self.provinces[fold(name)] = p.id
        self.institutions = {}
        for inst in db.scalars(select(Institution)):
            for name in (inst.short_name, inst.name_en, inst.name_lo):
                if name:
                    self.institutions[fold(name)] = inst.id


def check_rows(db: Session, batch: ParticipantImport) -> Preview:
    """Every row of ``batch`` as it will be stored, with its problems."""
    known = _Known(db, batch.workshop_id)
    seen: dict[str, int] = {}
    rows = []
    for raw in batch.rows["rows"]:
        row = Row(raw["line"], dict(raw["values"]), raw.get("skip", False), raw.get("same"))
        _check_row(db, known, row)
        if not row.skip and not row.errors:
            for key in duplicate_keys(row.stored):
                if key in seen and seen[key] != row.line:
                    row.errors.setdefault("given_name_lo", []).append(
                        _("The same person as row %(line)d of this file.", line=seen[key])
                    )
                    break
            for key in duplicate_keys(row.stored):
                seen.setdefault(key, row.line)
        rows.append(row)
    columns = [(h, m) for h, m in batch.rows["columns"]]
    return Preview(batch, rows, columns)


def _sex(c: Checker, row: Row, cell: str, typed: str) -> str:
    """The stored sex for a cell: a known word in English or Lao, or not recorded."""
    sex = fold(cell)
    if sex in SEX_WORDS:
        return SEX_WORDS[sex]
    if not sex:
        if not c.errors.get("sex"):
            row.warnings.append(_("Sex is missing: stored as not recorded."))
    else:
        c.add("sex", _("Unknown sex “%(value)s”: use female, male or other.", value=typed[:20]))
    return Sex.NOT_RECORDED


def _check_row(db: Session, known: _Known, row: Row) -> None:
    c = Checker()
    values = row.values
    for name, text in values.items():
        if text.startswith(FORMULA_START):
            c.add(name, _("This cell holds a formula: type the value itself."))
    data = {k: (v if not v.startswith(FORMULA_START) else "") for k, v in values.items()}
    data["sex"] = _sex(c, row, data["sex"], values["sex"])
    year = data["birth_year"]
    if year and len(year) == 10 and year[4] == "-":  # a full date of birth
        data["birth_year"] = year[:4]
    # Provinces and institutions are looked up in memory, not once per row in the database.
    province = fold(data.pop("province"))
    province_id = known.provinces.get(province) if province else None
    if province and province_id is None:
        c.add("province", _("Unknown province “%(value)s”.", value=values["province"][:40]))
    institution = fold(data["institution"])
    institution_id = None
    if institution:
        institution_id = known.institutions.get(institution)
        if institution_id is None:
            c.add(
                "institution",
                _(
                    "Unknown institution “%(value)s”: use a name or short name from the "
                    "institutions list.",
                    value=values["institution"][:60],
                ),
            )
    stored = check_participant(db, data, c)
    stored["province_id"], stored["institution_id"] = province_id, institution_id
    errors = dict(c.errors)
    if "institution_id" in errors:
        errors.setdefault("institution", []).extend(errors.pop("institution_id"))
    row.errors = {k or "given_name_lo": v for k, v in errors.items()}
    row.stored = stored
    if not row.errors:
        _match_known(known, row)


def _match_known(known: _Known, row: Row) -> None:
    """Whether the row's person is already known (by phone first, then by name), and what
    that means for the import, as warnings on the row."""
    keys = duplicate_keys(row.stored)
    for key in sorted(keys, key=lambda k: not k.startswith("p:")):  # the phone first
        if key in known.by_key:
            row.match_id, row.match_label = known.by_key[key]
            row.match_by_phone = key.startswith("p:")
            break
    if row.match_id is None:
        return
    if row.reuse:
        row.warnings.append(
            _(
                "Registered as %(name)s, already known (same %(what)s); untick “same person” "
                "to add a new person.",
                name=row.match_label,
                what=_("phone") if row.match_by_phone else _("name"),
            )
        )
        if row.match_id in known.registered:
            row.already_registered = True
            row.warnings.append(_("Already on this workshop's list: left as is."))
    else:
        row.warnings.append(
            _(
                "Same name as %(name)s, already known: added as a new person; tick “same "
                "person” if it is them.",
                name=row.match_label,
            )
            if not row.match_by_phone
            else _(
                "Same phone as %(name)s, already known: added as a new person as asked.",
                name=row.match_label,
            )
        )


def page_imports(
    db: Session, actor: Actor, workshop_id, *, page: Any = 1, per_page: int = 20
) -> Page[ParticipantImport]:
    """The lists uploaded for a workshop, the latest first, a page at a time (their rows are
    left in the database until one is opened)."""
    require(actor, "participant.manage")
    query = (
        select(ParticipantImport)
        .where(ParticipantImport.workshop_id == workshop_id)
        .options(defer(ParticipantImport.rows))
        .order_by(ParticipantImport.created_at.desc(), ParticipantImport.id.desc())
    )
    return paginate(db, query, page, per_page)


def get_preview(db: Session, actor: Actor, batch_id) -> Preview:
    require(actor, "participant.manage")
    batch = get_or_404(db, ParticipantImport, batch_id)
    return check_rows(db, batch)


def correct_rows(
    db: Session,
    actor: Actor,
    batch_id,
    edits: dict[int, dict[str, str]],
    skip: set[int],
    same: dict[int, bool],
    shown: set[int] | None = None,
) -> ParticipantImport:
    """Store corrections typed in the preview: new cell texts by line, which lines to
    skip, and for lines with a known look-alike whether it is the same person. ``shown``
    names the lines whose skip box was on the page (None: every line); the others keep
    theirs. The rows are checked when next looked at, or by the import."""
    require(actor, "participant.manage")
    batch = get_or_404(db, ParticipantImport, batch_id)
    _require_open(batch)
    rows = []
    for raw in batch.rows["rows"]:
        raw = {**raw, "values": dict(raw["values"])}
        for name, text in edits.get(raw["line"], {}).items():
            if name in FIELDS:
                raw["values"][name] = normalise(text)[:300]
        if shown is None or raw["line"] in shown:
            raw["skip"] = raw["line"] in skip
        if raw["line"] in same:
            raw["same"] = bool(same[raw["line"]])
        rows.append(raw)
    batch.rows = {**batch.rows, "rows": rows}
    flush(db)
    return batch


def _require_open(batch: ParticipantImport) -> None:
    if batch.status != ImportStatus.OPEN:
        raise ValidationError({None: [_("This list was imported already.")]})


def commit_import(db: Session, actor: Actor, batch_id) -> int:
    """Store every accepted row, or none: refused while a row that is not skipped has an
    error. New people are added, known ones reused, and everyone registered (seats up to
    the target size, the waitlist after). Returns the number of people registered."""
    require(actor, "participant.manage")
    batch = get_or_404(db, ParticipantImport, batch_id)
    _require_open(batch)
    preview = check_rows(db, batch)
    if preview.errors:
        raise ValidationError(
            {
                None: [
                    _(
                        "%(count)d rows still have errors: correct or skip them first.",
                        count=preview.errors,
                    )
                ]
            }
        )
    workshop = batch.workshop
    if workshop.status in (WorkshopStatus.CANCELLED, WorkshopStatus.REPORTED):
        raise _refuse(
            _("A %(status)s workshop takes no more registrations.", status=workshop.status)
        )
    free = workshop.target_participants - seated(db, workshop.id)
    waitlist = [next_waitlist_position(db, workshop.id) - 1]
    existing = {
        reg.participant_id: reg
        for reg in db.scalars(select(Registration).where(Registration.workshop_id == workshop.id))
    }
    count = 0
    for row in preview.rows:
        if not row.accepted or row.already_registered:
            continue
        free = _store_row(db, workshop, row, free, waitlist, existing)
        count += 1
    if count == 0:
        raise ValidationError({None: [_("No row is left to import.")]})
    batch.status, batch.imported_count = ImportStatus.IMPORTED, count
    flush(db)
    audit.record(
        db,
        actor,
        "import",
        workshop,
        {"participants": [None, count], "file": [None, batch.filename]},
        workshop.title,
    )
    if count >= STATISTICS_AFTER:
        refresh_statistics(db)
    return count


def _store_row(
    db: Session, workshop: Workshop, row: Row, free: int, waitlist: list[int], existing
) -> int:
    """Add one row's person (or reuse the known one) and registration; returns the seats
    left. Nothing is flushed here: the import flushes once, at the end."""
    if row.reuse:
        person = db.get_one(Participant, row.match_id)
        for name, value in row.stored.items():  # fill what the known record lacks
            if value not in (None, "", Sex.NOT_RECORDED) and getattr(person, name) in (
                None,
                "",
                Sex.NOT_RECORDED,
            ):
                setattr(person, name, value)
        person.search_key = search_key(person)
        reg = existing.get(row.match_id) or Registration(
            workshop_id=workshop.id, participant_id=row.match_id
        )
    else:
        person = Participant(**row.stored, search_key=search_key(row.stored))
        db.add(person)
        reg = Registration(workshop_id=workshop.id, participant=person)
    if free > 0:
        reg.status, reg.waitlist_position = RegistrationStatus.REGISTERED, None
        free -= 1
    else:
        waitlist[0] += 1
        reg.status, reg.waitlist_position = RegistrationStatus.WAITLISTED, waitlist[0]
    db.add(reg)
    return free


# -- the template ------------------------------------------------------------------------------


def template_xlsx(language: str = "en") -> bytes:
    """An empty list with the headings in English or Lao, and one example row."""
    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook's one (and active) sheet
    sheet.title = "Participants" if language == "en" else "ຜູ້ເຂົ້າຮ່ວມ"
    sheet.append(list(TEMPLATE_HEADERS["lo" if language == "lo" else "en"]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "ສົມສັກ",
            "ແກ້ວມະນີ",
            "Somsak",
            "Keomany",
            "male" if language == "en" else "ຊາຍ",
            1985,
            "MPS",
            "Police captain" if language == "en" else "ຮ້ອຍເອກ",
            "LA-BK",
            "020 5555 0000",
            "",
        ]
    )
    for index, _column in enumerate(sheet.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 22
    for cell in sheet["J"]:
        cell.number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
