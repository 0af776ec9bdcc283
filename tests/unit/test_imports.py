"""Participant lists from CSV and XLSX: preview, corrections, all-or-nothing import; uploads
that would cost far more to read than they weigh are refused by name, quickly, with little
memory, while real lists, as Excel saves them, still read cell for cell."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from curriculum.errors import ValidationError
from curriculum.models import Participant, ParticipantImport, Registration
from curriculum.permissions import SYSTEM
from curriculum.services import imports, workshops
from curriculum.services import participants as ps
from tests import workbooks
from tests.workbooks import HEADING, MAIN, PERSON, inline, sheet_xml, write_xlsx

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


# -- what an upload may cost to read ----------------------------------------------------------

BOMB_MESSAGES = {
    "wide sheet (A1:XFD20000)": "Cell XFD20000 is beyond column AD: a list may have at most 30 "
    "columns. Delete the columns after AD.",
    "3,000,000 shared strings": "This workbook is packed far more tightly than a spreadsheet "
    "can be",
    "one cell of 300 MiB": "This workbook unpacks to 300 MB, more than the 50 MB a list can need",
    "one 500-character text in 600,000 cells": "The list holds more than 10 million characters",
    "an attribute of 40 MiB": "This file could not be read as an Excel workbook",
}


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {
        name: build(folder / f"{build.__name__}.xlsx") for name, build in workbooks.BOMBS.items()
    }


def refused(data: bytes, name: str = "list.xlsx") -> str:
    with pytest.raises(ValidationError) as err:
        imports.read_table(name, data)
    assert list(err.value.errors) == ["file"]
    return str(err.value)


def read(path: Path) -> list[list[str]]:
    return imports.read_table(path.name, path.read_bytes())


@pytest.mark.parametrize("name", list(workbooks.BOMBS))
def test_a_bomb_is_refused_with_its_reason_and_nothing_is_stored(db, bombs, name):
    w = new_workshop(db)
    with pytest.raises(ValidationError) as err:
        imports.start_import(db, SYSTEM, w.id, "list.xlsx", bombs[name].read_bytes())
    assert list(err.value.errors) == ["file"]
    assert BOMB_MESSAGES[name] in str(err.value)
    assert count(db, ParticipantImport) == 0


@pytest.mark.parametrize("name", list(workbooks.BOMBS))
def test_a_bomb_is_refused_within_2_s_and_100_mb(bombs, name):
    # A separate process, capped at 1.5 GB of address space and 20 s, so a reader that
    # expands the bomb fails fast instead of taking the machine. A second try absorbs a
    # pause of a busy machine; a reader that expands the bomb is slow both times.
    cost = workbooks.refusal_cost(bombs[name])
    if cost["outcome"].startswith("refused") and cost["seconds"] >= 2:
        cost = workbooks.refusal_cost(bombs[name])
    assert cost["outcome"].startswith("refused: ") and BOMB_MESSAGES[name] in cost["outcome"], cost
    assert cost["seconds"] < 2, cost
    assert cost["extra_mb"] < 100, cost


def test_a_value_beyond_column_30_is_refused_but_formatting_there_is_ignored(tmp_path):
    # An empty formatted cell far to the right, and a dimension saying so, change nothing.
    formatted = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Noy</t></is></c><c r="XFD2" s="1"/></row>'
    )
    path = write_xlsx(tmp_path / "f.xlsx", sheet_xml(HEADING, formatted, dimension="A1:XFD2"))
    assert read(path) == [["Given name", "Family name"], ["Noy"]]
    at_30 = f'<row r="2">{inline("A2", "Noy")}{inline("AD2", "note")}</row>'
    path = write_xlsx(tmp_path / "30.xlsx", sheet_xml(HEADING, at_30))
    assert read(path)[1] == ["Noy"] + [""] * 28 + ["note"]
    at_31 = f'<row r="2">{inline("A2", "Noy")}{inline("AE2", "note")}</row>'
    path = write_xlsx(tmp_path / "31.xlsx", sheet_xml(HEADING, at_31))
    assert "Cell AE2 is beyond column AD" in refused(path.read_bytes())


def one_cell(folder: Path, form: str, text: str) -> bytes:
    """A list whose cell B2 holds ``text`` in one of the ways a workbook keeps text."""
    runs = f"<r><t>{text[:100]}</t></r><r><rPr><b/></rPr><t>{text[100:]}</t></r>"
    cells = {
        "inline": (inline("B2", text), ""),
        "inline in runs": (f'<c r="B2" t="inlineStr"><is>{runs}</is></c>', ""),
        "shared": ('<c r="B2" t="s"><v>0</v></c>', f"<si><t>{text}</t></si>"),
        "shared in runs": ('<c r="B2" t="s"><v>0</v></c>', f"<si>{runs}</si>"),
        "formula": (f'<c r="B2"><f>{text}</f></c>', ""),
    }
    cell, strings = cells[form]
    shared = f'<sst xmlns="{MAIN}">{strings}</sst>' if strings else None
    sheet = sheet_xml(HEADING, f'<row r="2">{inline("A2", "Noy")}{cell}</row>')
    return write_xlsx(folder / "cell.xlsx", sheet, shared=shared).read_bytes()


@pytest.mark.parametrize(
    "form", ["inline", "inline in runs", "shared", "shared in runs", "formula"]
)
def test_a_cell_over_500_characters_is_refused_however_its_text_is_kept(tmp_path, form):
    table = imports.read_table("list.xlsx", one_cell(tmp_path, form, "ລ" * 500))
    assert table[1][1].removeprefix("=") == "ລ" * 500
    message = refused(one_cell(tmp_path, form, "ລ" * 501))
    assert "Cell B2 holds more than 500 characters" in message


def test_a_csv_row_is_held_to_30_columns_of_500_characters_and_a_line_to_what_they_take():
    padded = "Given name,Family name" + "," * 200 + "\nNoy,Sisouk" + "," * 200 + "\n"
    assert imports.read_table("padded.csv", padded.encode()) == [
        ["Given name", "Family name"],
        ["Noy", "Sisouk"],
    ]
    at_30 = "Given name,Family name\nNoy,Sisouk" + "," * 28 + "note\n"
    assert imports.read_table("30.csv", at_30.encode())[1] == ["Noy", "Sisouk"] + [""] * 27 + [
        "note"
    ]
    beyond = "Given name,Family name\nNoy,Sisouk" + "," * 29 + "note\n"
    assert "Cell AE2 is beyond column AD" in refused(beyond.encode(), "list.csv")
    at_500 = "Given name,Family name\nNoy," + "x" * 500 + "\n"
    assert imports.read_table("500.csv", at_500.encode())[1] == ["Noy", "x" * 500]
    at_501 = "Given name,Family name\nNoy," + "x" * 501 + "\n"
    assert "Cell B2 holds more than 500 characters" in refused(at_501.encode(), "list.csv")
    long_line = "Given name,Family name\n" + "x," * 25_000 + "\n"
    assert "Line 2 of the file is longer than a row of a list can be" in refused(
        long_line.encode(), "list.csv"
    )


def test_a_workbook_of_more_than_1000_parts_is_refused(tmp_path):
    def with_pictures(count: int) -> bytes:
        pictures: dict[str, workbooks.Chunks] = {
            f"xl/media/image{i}.png": b"\x89PNG" for i in range(count)
        }
        sheet = sheet_xml(HEADING, PERSON)
        return write_xlsx(tmp_path / "p.xlsx", sheet, extra=pictures).read_bytes()

    assert imports.read_table("list.xlsx", with_pictures(994))[1] == ["Noy", "Sisouk"]
    assert "more than 1000 files inside it" in refused(with_pictures(995))


def test_more_shared_strings_than_a_list_can_use_are_refused(tmp_path):
    def strings():
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}">'
        yield "<si><t>Given name</t></si><si><t>Family name</t></si>"
        for start in range(0, 300_000, 10_000):
            yield "".join(f"<si><t>{i}</t></si>" for i in range(start, start + 10_000))
        yield "</sst>"

    heading = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    path = write_xlsx(tmp_path / "s.xlsx", sheet_xml(heading, PERSON), shared=strings())
    assert "more than 300000 different texts" in refused(path.read_bytes())


def test_a_sheet_of_millions_of_empty_formatted_cells_is_refused(tmp_path):
    # 50,000 rows of 40 empty cells, each row drawn from a thousand with styles picked at
    # random, so the sheet packs only about 13 times, as real sheets do, and is judged
    # by its 2 million cells, not by its packing.
    noise = random.Random(0)
    kinds = [
        "<row>" + "".join(f'<c s="{s}"/>' for s in noise.choices("0123456789", k=40)) + "</row>"
        for _ in range(1_000)
    ]
    rows = ("".join(noise.choices(kinds, k=1_000)) for _ in range(50))
    path = write_xlsx(tmp_path / "cells.xlsx", sheet_xml(HEADING, PERSON, *rows))
    message = refused(path.read_bytes())
    assert "This workbook has more cells than a list of 20000 rows and 30 columns" in message


@pytest.mark.parametrize(
    "sheet",
    [
        pytest.param(
            # entities that expand 200 bytes into a cell of a million characters
            '<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
            + "".join(
                f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
                for a, b in zip("abcde", "bcdef", strict=True)
            )
            + f']>\n<worksheet xmlns="{MAIN}"><sheetData>{HEADING}'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>&f;</t></is></c></row>'
            "</sheetData></worksheet>",
            id="entities",
        ),
        pytest.param(
            "".join(sheet_xml(HEADING, '<row r="2"><c r="A2" t="s"><v>7</v></c></row>')),
            id="a shared string that is not there",
        ),
    ],
)
def test_a_malformed_workbook_is_refused_as_unreadable(tmp_path, sheet):
    path = write_xlsx(tmp_path / "m.xlsx", sheet, shared=f'<sst xmlns="{MAIN}"/>')
    assert "could not be read as an Excel workbook" in refused(path.read_bytes())


def test_a_list_as_excel_saves_it_reads_cell_for_cell(tmp_path):
    # Two sheets with the list first, a dimension reaching XFD1048576, an array formula
    # (read as its "=" text like every formula), a date, rich text, a phonetic guide.
    path = workbooks.excel_like(tmp_path / "excel.xlsx")
    assert read(path) == workbooks.EXCEL_TABLE


def test_20000_people_with_a_blank_row_after_each_are_read_whole(db):
    book = Workbook()
    sheet = book.active
    sheet.append(list(imports.TEMPLATE_HEADERS["en"]))
    for i in range(20_000):
        sheet.append(person_row(i))
        sheet.append([])
    out = io.BytesIO()
    book.save(out)
    w = new_workshop(db)
    batch = imports.start_import(db, SYSTEM, w.id, "list.xlsx", out.getvalue())
    assert len(batch.rows["rows"]) == 20_000
    assert batch.rows["rows"][-1]["values"]["given_name_latin"] == "Given19999"
    one_more = xlsx([person_row(i) for i in range(20_001)])
    assert "more than 20000 rows" in refused(one_more)
