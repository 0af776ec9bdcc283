"""Exports reopen with the same numbers and no text a spreadsheet would run."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from curriculum.permissions import SYSTEM
from curriculum.services import exports, reports, workshops
from curriculum.services import participants as ps
from curriculum.services.reports import RegistrationRow

START = dt.date(2027, 7, 6)
RISKY = (
    '=HYPERLINK("http://evil.example","x")',
    "+856 20 5555 1234",
    "-5 days",
    "@SUM(A1)",
    "\tTab",
    "\rReturn",
)


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_risky_text_comes_back_harmless_and_numbers_as_numbers():
    table = [["Text", "Number"], *[[text, -5] for text in RISKY], ["plain", Decimal("45.0")]]
    rows = read_csv(exports.to_csv(table))
    assert [r[0] for r in rows[1:-1]] == ["'" + t for t in RISKY]
    assert not any(
        cell.startswith(exports.FORMULA_STARTS) and not is_number(cell) for r in rows for cell in r
    )
    assert rows[1][1] == "-5"  # numbers are not quoted away

    sheet = read_xlsx(exports.to_xlsx(table))
    texts = [sheet.cell(row=r, column=1) for r in range(2, 2 + len(RISKY))]
    # XML keeps a carriage return as a line feed; the text is otherwise as written.
    assert [c.value for c in texts] == [t.replace("\r", "\n") for t in RISKY]
    assert all(c.data_type == "s" for c in texts)  # text cells, never formulas
    assert sheet.cell(row=2, column=2).value == -5
    assert sheet.cell(row=2, column=2).data_type == "n"
    assert sheet.cell(row=8, column=2).value == 45


def test_a_report_exports_the_same_figures():
    rows = [RegistrationRow(event_id=1, person_id=i, sex="female") for i in range(3)]
    rows.append(RegistrationRow(event_id=2, person_id=9, sex="male"))
    report = reports.summarise(rows)
    table = exports.report_table(report, "Programme")
    for data, reader in ((exports.to_csv(table), read_csv), (exports.to_xlsx(table), None)):
        if reader:
            cells = reader(data)
            values = {r[0]: r[1:] for r in cells if r}
            assert values["Female"][:2] == ["3", "75.0"]
            assert values["Male"][:2] == ["1", "25.0"]
        else:
            sheet = read_xlsx(data)
            values = {r[0].value: [c.value for c in r[1:]] for r in sheet.iter_rows() if r[0].value}
            assert values["Female"][:2] == [3, 75]
            assert values["Registrations"][0] == 4


def test_participant_list_keeps_phone_and_score_change(db):
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "E", "start_date": START, "end_date": START}
    )
    w = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Export",
            "province": "LA-VT",
            "start_date": START,
            "end_date": START,
        },
    )
    p = ps.create_participant(
        db,
        SYSTEM,
        {
            "given_name_latin": '=HYPERLINK("http://x")',
            "family_name_latin": "",
            "phone": "+856 20 5555 1234",
            "sex": "female",
        },
    )
    reg = ps.register(db, SYSTEM, w.id, p.id)
    reg.pre_score, reg.post_score = Decimal("60"), Decimal("55")
    db.flush()
    table = exports.participants_table(db, w)
    sheet = read_xlsx(exports.to_xlsx(table))
    header = [c.value for c in sheet[1]]
    line = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert line["Score change"].value == -5 and line["Score change"].data_type == "n"
    assert line["Phone"].value == "+856 20 5555 1234" and line["Phone"].data_type == "s"
    assert (
        line["Name (Latin)"].value.startswith("=HYPERLINK")
        and line["Name (Latin)"].data_type == "s"
    )
    cells = dict(
        zip(read_csv(exports.to_csv(table))[0], read_csv(exports.to_csv(table))[1], strict=True)
    )
    assert cells["Phone"] == "'+856 20 5555 1234"
    assert cells["Name (Latin)"].startswith("'=HYPERLINK")
    assert cells["Score change"] == "-5"
    # codes are exported as words
    assert line["Sex"].value == "Female" and line["Status"].value == "Registered"
