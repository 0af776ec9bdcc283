"""Reports and participant lists as CSV and XLSX.

Numbers are written as numbers. Text that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is made
harmless: in CSV it gets a leading ``'``; in XLSX it is written as a plain text
cell, which spreadsheet programs never evaluate.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..i18n import LazyMessage, _, current_language
from ..localise import local_name
from .participants import SEATED, registrations_of
from .reports import REGISTRATION_STATUS_LABELS, SEX_LABELS, Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Table = list[list[object]]


def harmless(value: object) -> object:
    """``value`` as a CSV cell: numbers as they are, risky text behind a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _words(value):
    """A label (translated when shown) as the reader's words; anything else as it is."""
    return str(value) if isinstance(value, LazyMessage) else value


def _number(value):
    value = _words(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in table:
        writer.writerow(["" if v is None else harmless(_words(v)) for v in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel read Lao script


def to_xlsx(table: Table, title: str = "Report") -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook's one (and active) sheet
    sheet.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Report"
    for r, row in enumerate(table, start=1):
        for c, value in enumerate(row, start=1):
            value = _number(value)
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                # Assigning text that starts with "=" would make a formula: set the type.
                cell.value = value
                cell.data_type = "s"
            else:
                cell.value = value
        if r == 1 or (row and row[0] and all(v in (None, "") for v in row[1:])):
            for cell in sheet[r]:
                cell.font = Font(bold=True)
    for index, column in enumerate(sheet.columns, start=1):
        width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_table(report: Report, title: str) -> Table:
    """A report as rows: the summary, then each breakdown with counts and percentages."""
    table: Table = [[title, ""]]
    summary = [
        (_("Events"), report.events),
        (_("Registrations"), report.registrations),
        (_("People (counted once)"), report.people),
        (_("Attended at least one day"), report.attended),
        (_("Attended every day"), report.completed),
        (_("Attendance rate (%)"), report.attendance_rate),
        (_("Completion rate (%)"), report.completion_rate),
        (_("Participants with both test scores"), report.scored),
        (_("Pre-test mean"), report.pre_mean),
        (_("Post-test mean"), report.post_mean),
        (_("Score change"), report.score_change),
    ]
    table += [[str(label), value] for label, value in summary]
    sections: Iterable = (
        (_("Registrations by sex"), [(s.label, s.count, s.percent) for s in report.by_sex.rows]),
        (_("People by sex"), [(s.label, s.count, s.percent) for s in report.people_by_sex.rows]),
        (_("By institution"), [(c.key, c.count, c.percent) for c in report.by_institution]),
        (_("By province"), [(c.key, c.count, c.percent) for c in report.by_province]),
        (_("By position"), [(c.key, c.count, c.percent) for c in report.by_position]),
    )
    for heading, rows in sections:
        table.append([])
        table.append([str(heading), str(_("Count")), "%"])
        table += [[str(label), count, share] for label, count, share in rows]
    table.append([])
    table.append([str(report.note)])
    return table


def participants_table(db, workshop) -> Table:
    """A workshop's list: one row per registration, with days present and scores."""
    table: Table = [
        [
            str(_("Name (Lao)")),
            str(_("Name (Latin)")),
            str(_("Sex")),
            str(_("Year of birth")),
            str(_("Institution")),
            str(_("Position")),
            str(_("Province")),
            str(_("Phone")),
            str(_("Email")),
            str(_("Status")),
            str(_("Days present")),
            str(_("Pre-test")),
            str(_("Post-test")),
            str(_("Score change")),
            str(_("Rating")),
            str(_("Certificate")),
        ]
    ]
    for reg in registrations_of(db, workshop.id):
        person = reg.participant
        change = (
            reg.post_score - reg.pre_score
            if reg.pre_score is not None and reg.post_score is not None
            else None
        )
        table.append(
            [
                person.name_lao,
                person.name_latin,
                str(SEX_LABELS.get(person.sex, person.sex)),
                person.birth_year,
                person.institution.short_name if person.institution else "",
                person.position,
                local_name(person.province, current_language()) if person.province else "",
                person.phone,
                person.email,
                str(REGISTRATION_STATUS_LABELS.get(reg.status, reg.status)),
                sum(1 for a in reg.attendance if a.present) if reg.status in SEATED else None,
                reg.pre_score,
                reg.post_score,
                change,
                reg.feedback_rating,
                reg.certificate_number or "",
            ]
        )
    return table
