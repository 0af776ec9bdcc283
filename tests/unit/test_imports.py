"""Participant lists from CSV and XLSX: preview, corrections, all-or-nothing import."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from curriculum.errors import ValidationError
from curriculum.models import Participant, ParticipantImport, Registration
from curriculum.permissions import SYSTEM
from curriculum.services import imports, workshops
from curriculum.services import participants as ps

START = dt.date(2027, 6, 1)
HEADERS = list(imports.TEMPLATE_HEADERS["en"])


def new_workshop(db, target=250):
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "Import", "start_date": START, "end_date": START}
    )
    return workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Xiangkhouang",
            "province": "LA-XI",
            "start_date": START,
            "end_date": START + dt.timedelta(days=1),
            "target_participants": target,
        },
    )


def person_row(i: int) -> list:
    sex = ("female", "male", "")[i % 3] if i % 10 else "f"
    return [
        "",
        "",
        f"Given{i}",
        f"Family{i}",
        sex,
        1970 + i % 40,
        "MPS",
        "Officer",
        "LA-XI",
        f"020 {5000_0000 + i}",
        "",
    ]


def xlsx(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_a_clean_list_of_200_imports(db):
    w = new_workshop(db)
    batch = imports.start_import(
        db, SYSTEM, w.id, "list.xlsx", xlsx(person_row(i) for i in range(200))
    )
    preview = imports.get_preview(db, SYSTEM, batch.id)
    assert (len(preview.rows), preview.errors, preview.ready) == (200, 0, True)
    missing_sex = [r for r in preview.rows if r.values["sex"] == ""]
    assert missing_sex and all("not recorded" in r.warnings[0] for r in missing_sex)
    assert missing_sex[0].stored["sex"] == "not_recorded"
    assert preview.rows[10].stored["sex"] == "female"  # "f"
    assert imports.commit_import(db, SYSTEM, batch.id) == 200
    assert count(db, Participant) == 200
    assert ps.seated(db, w.id) == 200
    with pytest.raises(ValidationError, match="imported already"):
        imports.commit_import(db, SYSTEM, batch.id)


def test_one_bad_row_holds_back_the_list_until_fixed_or_skipped(db):
    w = new_workshop(db)
    rows = [person_row(i) for i in range(5)]
    rows[2][8] = "Atlantis"
    rows[3][5] = "nineteen"
    batch = imports.start_import(db, SYSTEM, w.id, "list.csv", xlsx(rows))
    preview = imports.get_preview(db, SYSTEM, batch.id)
    bad = {r.line: r.errors for r in preview.rows if r.errors}
    assert set(bad) == {4, 5}  # rows as numbered in the sheet, after the heading
    assert "Unknown province" in bad[4]["province"][0]
    assert "year of birth" in bad[5]["birth_year"][0]
    with pytest.raises(ValidationError, match="2 rows still have errors"):
        imports.commit_import(db, SYSTEM, batch.id)
    assert count(db, Participant) == 0

    imports.correct_rows(db, SYSTEM, batch.id, {4: {"province": "Xiangkhouang"}}, skip={5}, same={})
    preview = imports.get_preview(db, SYSTEM, batch.id)
    assert preview.errors == 0 and preview.skipped == 1
    # a correction sent from a page showing only row 4 leaves row 5 skipped
    imports.correct_rows(db, SYSTEM, batch.id, {}, skip=set(), same={}, shown={4})
    assert imports.get_preview(db, SYSTEM, batch.id).skipped == 1
    assert preview.rows[2].stored["province_id"] is not None
    assert imports.commit_import(db, SYSTEM, batch.id) == 4
    assert count(db, Participant) == 4


def test_a_failure_at_row_199_leaves_nothing_behind(session_factory, monkeypatch):
    db = session_factory()
    w = new_workshop(db)
    batch = imports.start_import(
        db, SYSTEM, w.id, "list.xlsx", xlsx(person_row(i) for i in range(200))
    )
    db.commit()
    before = count(db, Participant)
    store = imports._store_row
    calls = []

    def failing(session, workshop, row, *rest):
        calls.append(row.line)
        if len(calls) == 199:
            raise RuntimeError("disk full")
        return store(session, workshop, row, *rest)

    monkeypatch.setattr(imports, "_store_row", failing)
    work = session_factory()
    with pytest.raises(RuntimeError):
        imports.commit_import(work, SYSTEM, batch.id)
    work.rollback()
    work.close()
    check = session_factory()
    assert len(calls) == 199
    assert count(check, Participant) == before
    assert count(check, Registration) == 0
    assert check.get(ParticipantImport, batch.id).status == "open"
    check.close()
    db.close()


def test_lao_headings_in_another_order_and_common_names(db):
    w = new_workshop(db)
    lo = imports.TEMPLATE_HEADERS["lo"]
    headers = [lo[8], lo[4], "ຊື່", "ນາມສະກຸນ", lo[9], "Organisation"]
    rows = [
        ["ຊຽງຂວາງ", "ຍິງ", "ນາງ ມະລີ", "ສີສຸກ", "020 5555 1111", "LWU"],
        ["LA-XI", "ຊາຍ", "Khamla", "Vong", "", "Lao Bar Association"],
    ]
    batch = imports.start_import(db, SYSTEM, w.id, "ລາຍຊື່.xlsx", xlsx(rows, headers))
    preview = imports.get_preview(db, SYSTEM, batch.id)
    assert preview.errors == 0, [r.errors for r in preview.rows]
    first, second = (r.stored for r in preview.rows)
    assert (first["given_name_lo"], first["family_name_lo"], first["sex"]) == (
        "ນາງ ມະລີ",
        "ສີສຸກ",
        "female",
    )
    assert (second["given_name_latin"], second["sex"]) == ("Khamla", "male")
    assert first["province_id"] == second["province_id"] is not None
    assert first["institution_id"] and second["institution_id"]


def test_known_people_are_reused_when_same_and_duplicates_in_the_file_refused(db):
    w = new_workshop(db)
    by_name = ps.create_participant(
        db, SYSTEM, {"given_name_latin": "Given1", "family_name_latin": "Family1"}
    )
    by_phone = ps.create_participant(
        db,
        SYSTEM,
        {"given_name_latin": "G. Two", "family_name_latin": "F", "phone": "+856 20 5000 0002"},
    )
    rows = [person_row(1), person_row(2), person_row(2)]
    batch = imports.start_import(db, SYSTEM, w.id, "l.csv", xlsx(rows))
    preview = imports.get_preview(db, SYSTEM, batch.id)
    first, second, third = preview.rows
    # the same name alone: a new person unless the coordinator says otherwise
    assert first.match_id == by_name.id and not first.reuse
    assert "Same name as" in first.warnings[-1]
    # the same phone: the known person
    assert second.match_id == by_phone.id and second.reuse
    assert "same person as row 3" in str(third.errors["given_name_lo"][0])
    imports.correct_rows(db, SYSTEM, batch.id, {}, skip={4}, same={2: True})
    preview = imports.get_preview(db, SYSTEM, batch.id)
    assert preview.rows[0].reuse
    assert imports.commit_import(db, SYSTEM, batch.id) == 2
    assert count(db, Participant) == 2  # both known people reused, nobody added
    assert [r.workshop_id for r in by_name.registrations] == [w.id]
    assert by_name.phone == "020 50000001"  # a blank filled from the list
    assert by_phone.given_name_latin == "G. Two"  # what was known is kept


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("list.xlsx", b"Given name,Family name\nA,B\n", "named .xlsx but is not"),
        ("big.csv", os.urandom(10 * 1024 * 1024), "too large"),
        ("random.bin", os.urandom(4096), "not a spreadsheet"),
        ("empty.csv", b"", "empty"),
        (
            "headers.csv",
            csv_bytes("Given name (Latin),Family name (Latin),Sex\n"),
            "no participants",
        ),
        ("nothing.csv", csv_bytes("Colour,Size\nred,2\n"), "No name column"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Old Excel"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200, "could not be read"),
    ],
)
def test_files_that_cannot_be_read_get_a_clear_message(db, name, data, message):
    w = new_workshop(db)
    with pytest.raises(ValidationError, match=message) as err:
        imports.start_import(db, SYSTEM, w.id, name, data)
    assert list(err.value.errors) == ["file"]
    assert count(db, ParticipantImport) == 0


def test_formula_cells_are_errors_not_values(db):
    w = new_workshop(db)
    rows = [person_row(1), person_row(2)]
    rows[0][2] = '=HYPERLINK("http://x.example","Click")'
    rows[1][9] = "=1+1"
    batch = imports.start_import(db, SYSTEM, w.id, "f.xlsx", xlsx(rows))
    preview = imports.get_preview(db, SYSTEM, batch.id)
    assert "formula" in preview.rows[0].errors["given_name_latin"][0]
    assert "formula" in preview.rows[1].errors["phone"][0]
    csv_batch = imports.start_import(
        db, SYSTEM, w.id, "f.csv", csv_bytes("Given name,Family name\n=cmd|' /C calc'!A0,X\n")
    )
    assert imports.get_preview(db, SYSTEM, csv_batch.id).errors == 1


def test_the_template_reads_back_in_both_languages(db):
    w = new_workshop(db)
    for language in ("en", "lo"):
        data = imports.template_xlsx(language)
        sheet = load_workbook(io.BytesIO(data)).active
        assert [c.value for c in sheet[1]] == list(imports.TEMPLATE_HEADERS[language])
        batch = imports.start_import(db, SYSTEM, w.id, "template.xlsx", data)
        preview = imports.get_preview(db, SYSTEM, batch.id)
        assert preview.errors == 0, preview.rows[0].errors
        assert preview.rows[0].stored["sex"] == "male"
