"""The participant pages: uploads that fail cleanly, the preview, attendance, results,
merging, exports, and the reports with their chart and the donor report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import func, select

from curriculum.models import Participant, ParticipantImport, Registration
from curriculum.permissions import SYSTEM
from curriculum.services import participants as ps
from curriculum.services import workshops
from tests import workbooks
from tests.conftest import ROOT, sign_in
from tests.web.browser_form import open_form
from tests.web.uploads import post_files

START = dt.date(2027, 9, 7)
DAY2 = START + dt.timedelta(days=1)


@pytest.fixture
def workshop(db):
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "Web", "start_date": START, "end_date": DAY2}
    )
    w = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Oudomxay workshop",
            "province": "LA-OU",
            "start_date": START,
            "end_date": DAY2,
            "target_participants": 2,
        },
    )
    w.status = "confirmed"
    db.commit()
    return w


@pytest.fixture
def coordinator(client, people):
    sign_in(client, people["users"]["coordinator"])
    return client


def upload(client, workshop, name, data, page="import"):
    return post_files(
        client,
        f"/participants/workshops/{workshop.id}/{page}",
        {"file": (io.BytesIO(data), name)},
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("big.xlsx", os.urandom(10 * 1024 * 1024), "too large"),
        ("fake.xlsx", b"just some text\n", "not an Excel workbook"),
        ("empty.csv", b"", "empty"),
        ("headers.csv", "ຊື່,ເພດ\n".encode(), "no participants"),
    ],
)
def test_bad_uploads_get_a_message_on_the_form(coordinator, db, workshop, name, data, message):
    response = upload(coordinator, workshop, name, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert db.scalar(select(func.count()).select_from(ParticipantImport)) == 0


def test_a_workbook_bomb_gets_its_reason_on_the_form_in_english_and_lao(
    coordinator, db, workshop, people, tmp_path
):
    # 2 KB that declare 16,384 columns by 20,000 rows, with a value in the last cell
    data = workbooks.wide_sheet(tmp_path / "list.xlsx").read_bytes()
    response = upload(coordinator, workshop, "list.xlsx", data)
    assert response.status_code == 400
    english = (
        "Cell XFD20000 is beyond column AD: a list may have at most 30 columns. "
        "Delete the columns after AD."
    )
    assert english in response.get_data(as_text=True)
    people["users"]["coordinator"].language = "lo"
    db.commit()
    response = upload(coordinator, workshop, "list.xlsx", data)
    assert response.status_code == 400
    with (ROOT / "app/translations/lo/LC_MESSAGES/messages.po").open("rb") as handle:
        lao = read_po(handle, locale="lo")
    msgid = (
        "Cell %(cell)s is beyond column %(last)s: a list may have at most %(max)d columns. "
        "Delete the columns after %(last)s."
    )
    assert lao[msgid].string % {"cell": "XFD20000", "last": "AD", "max": 30} in (
        response.get_data(as_text=True)
    )
    assert db.scalar(select(func.count()).select_from(ParticipantImport)) == 0


def test_preview_correct_and_import_with_the_waitlist(coordinator, db, workshop):
    data = (
        "Name,Surname,Sex,Province\nNoy,Sisouk,f,Oudomxay\nSomsak,Keo,m,Narnia\nMaly,Vong,,LA-OU\n"
    )
    response = upload(coordinator, workshop, "list.csv", data.encode())
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    html = coordinator.get(preview_url).get_data(as_text=True)
    assert "Unknown province “Narnia”" in html and "Sex is missing" in html
    # importing with the error left is refused, and nothing is stored
    response = coordinator.post(preview_url, data={"action": "import", "shown": ["3", "4"]})
    assert db.scalar(select(func.count()).select_from(Registration)) == 0
    html = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 rows still have errors" in html, html
    response = coordinator.post(
        preview_url, data={"action": "import", "shown": ["3", "4"], "3-province": "LA-OU"}
    )
    assert db.scalar(select(func.count()).select_from(Participant)) == 3
    regs = ps.registrations_of(db, workshop.id)
    assert sorted(r.status for r in regs) == ["registered", "registered", "waitlisted"]


def test_attendance_grid_results_and_exports(coordinator, db, workshop):
    a = ps.create_participant(db, SYSTEM, {"given_name_latin": "Aa", "phone": "+856 20 5555 1234"})
    b = ps.create_participant(db, SYSTEM, {"given_name_latin": '=HYPERLINK("x")'})
    ra, rb = ps.register(db, SYSTEM, workshop.id, a.id), ps.register(db, SYSTEM, workshop.id, b.id)
    db.commit()
    grid = f"/participants/workshops/{workshop.id}/attendance"
    ticks = open_form(coordinator, grid, "seen-*")
    ticks.setlist("present", [f"{ra.id}@{START}", f"{ra.id}@{DAY2}", f"{rb.id}@{START}"])
    response = coordinator.post(grid, data=ticks)
    assert response.status_code == 302
    db.expire_all()
    assert [x.present for x in ra.attendance] == [True, True]
    assert [x.present for x in rb.attendance] == [True, False]
    results = f"/participants/workshops/{workshop.id}/results"
    cells = open_form(coordinator, results, "seen-*")
    bad = coordinator.post(results, data={**cells.to_dict(), f"pre-{ra.id}": "abc"})
    assert bad.status_code == 400 and "Enter a score from 0 to 100." in bad.get_data(as_text=True)
    assert 'value="abc"' in bad.get_data(as_text=True)  # what was typed stays
    typed = {f"pre-{ra.id}": "60", f"post-{ra.id}": "55", f"rating-{ra.id}": "4"}
    assert coordinator.post(results, data={**cells.to_dict(), **typed}).status_code == 302
    response = coordinator.get(f"/participants/workshops/{workshop.id}/participants.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    by_phone = {r["Phone"]: r for r in rows}
    assert by_phone["'+856 20 5555 1234"]["Score change"] == "-5.0"
    assert any(r["Name (Latin)"].startswith("'=HYPERLINK") for r in rows)


def test_merge_from_the_duplicates_page(coordinator, db, workshop):
    a = ps.create_participant(db, SYSTEM, {"given_name_latin": "Noy", "family_name_latin": "S"})
    b = ps.create_participant(db, SYSTEM, {"given_name_latin": "noy", "family_name_latin": "s"})
    ps.register(db, SYSTEM, workshop.id, b.id)
    db.commit()
    keep, drop = a.id, b.id
    assert "Noy" in coordinator.get("/participants/duplicates").get_data(as_text=True)
    coordinator.post("/participants/merge", data={"keep": keep, "drop": drop})
    db.expunge_all()
    assert db.get(Participant, drop) is None
    assert [r.workshop_id for r in db.get(Participant, keep).registrations] == [workshop.id]


def test_reports_show_the_chart_and_the_donor_report_marks_reported(coordinator, db, workshop):
    person = ps.create_participant(db, SYSTEM, {"given_name_latin": "Aa", "sex": "female"})
    reg = ps.register(db, SYSTEM, workshop.id, person.id)
    ps.record_attendance(db, SYSTEM, workshop.id, {(reg.id, START), (reg.id, DAY2)})
    db.commit()
    html = coordinator.get(f"/reports/workshops/{workshop.id}").get_data(as_text=True)
    assert "<svg" in html and "Registrations by sex" in html and "1 (100.0%)" in html
    assert '<figure class="chart" id="chart-sex" aria-labelledby="chart-sex-title">' in html
    refused = coordinator.post(f"/reports/workshops/{workshop.id}/donor-report")
    assert refused.status_code == 302  # not delivered yet
    workshop.status = "delivered"
    db.commit()
    response = coordinator.post(f"/reports/workshops/{workshop.id}/donor-report")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    response.close()
    db.expire_all()
    assert workshop.status == "reported"
    xlsx = coordinator.get("/reports/report.xlsx?province=LA-OU")
    assert xlsx.data.startswith(b"PK")
    page = coordinator.get("/reports/?start=nonsense").get_data(as_text=True)
    assert "is not a date" in page


def test_the_same_person_box_decides_for_a_look_alike(coordinator, db, workshop):
    known = ps.create_participant(
        db, SYSTEM, {"given_name_latin": "Noy", "family_name_latin": "Sisouk"}
    )
    db.commit()
    response = upload(coordinator, workshop, "l.csv", b"Name,Surname,Sex\nNoy,Sisouk,f\n")
    preview_url = response.headers["Location"]
    html = coordinator.get(preview_url).get_data(as_text=True)
    assert 'name="matched" value="2"' in html and "Same name as" in html
    coordinator.post(
        preview_url, data={"action": "import", "shown": ["2"], "matched": ["2"], "same": ["2"]}
    )
    assert db.scalar(select(func.count()).select_from(Participant)) == 1
    assert [r.participant_id for r in ps.registrations_of(db, workshop.id)] == [known.id]


def test_lao_report_pdf_charts_read_back_as_the_page_shows_them(client, db, workshop):
    """WeasyPrint draws SVG text one character at a time, which left Lao vowels and tone
    marks on dotted circles; the chart labels are HTML text, shaped as in the page."""
    import re
    import unicodedata

    from pypdf import PdfReader

    from tests.conftest import make_user
    from tests.pdf_checks import dotted_circles

    workshop.target_participants = 10
    present = set()
    for given, sex in (("Aa", "female"), ("Bb", "male"), ("Cc", "female")):
        person = ps.create_participant(db, SYSTEM, {"given_name_latin": given, "sex": sex})
        present.add((ps.register(db, SYSTEM, workshop.id, person.id).id, START))
    ps.record_attendance(db, SYSTEM, workshop.id, present)
    user = make_user(db, "coordinator", language="lo")
    db.commit()
    sign_in(client, user)
    response = client.get(f"/reports/workshops/{workshop.id}/report.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    response.close()
    text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in reader.pages))
    assert "\u25cc" not in text
    assert dotted_circles(response.data) == []  # nor drawn by a broken cluster
    page = client.get(f"/reports/workshops/{workshop.id}").get_data(as_text=True)
    assert '<html lang="lo"' in page
    chart = re.search(r'<figure class="chart" id="chart-sex".*?</figure>', page, re.S).group(0)
    labels = re.findall(r'<th scope="row" class="chart-label">([^<]*)</th>', chart)
    assert len(labels) >= 2 and all(any("\u0e80" <= ch <= "\u0eff" for ch in x) for x in labels)
    squeezed = re.sub(r"\s+", "", text.replace("\u200b", ""))
    for label in labels:
        assert re.sub(r"\s+", "", label) in squeezed, label
    assert "2(66.7%)" in squeezed and "1(33.3%)" in squeezed


def _upload_workbook(client, workshop, data):
    return upload(client, workshop, "workbook.xlsx", data, page="workbook")


def test_the_kit_workbook_comes_back_through_a_preview_and_lands_in_the_grids(
    app, coordinator, db, workshop
):
    from openpyxl import load_workbook

    from curriculum.documents.kit import PRESENT, kit_data, kit_workbook
    from tests.web.browser_form import form_values

    a = ps.create_participant(db, SYSTEM, {"given_name_latin": "Amphone", "given_name_lo": "ອຳພອນ"})
    b = ps.create_participant(db, SYSTEM, {"given_name_latin": "Bounmy", "given_name_lo": "ບຸນມີ"})
    ra, rb = ps.register(db, SYSTEM, workshop.id, a.id), ps.register(db, SYSTEM, workshop.id, b.id)
    db.commit()
    settings = app.extensions["ctg.documents"]
    printed = kit_workbook(settings, kit_data(db, workshop, "en"))

    def filled(score) -> bytes:
        book = load_workbook(io.BytesIO(printed))
        attendance, scores = book.worksheets[1], book.worksheets[2]
        row = next(r for r in range(2, 4) if attendance.cell(row=r, column=1).value == f"R{ra.id}")
        attendance.cell(row=row, column=4).value = PRESENT
        scores.cell(row=row, column=4).value = score
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    page = coordinator.get(f"/participants/workshops/{workshop.id}")
    assert f"/participants/workshops/{workshop.id}/workbook" in page.get_data(as_text=True)
    # a formula typed into a score: named, with its cell, and nothing to save
    refused = _upload_workbook(coordinator, workshop, filled("=D2*2"))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "holds a formula (=D2*2)" in text
    assert "Save these changes" not in text

    preview = _upload_workbook(coordinator, workshop, filled(64))
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "New: 2 · changed: 0 · conflicting: 0." in text
    assert "Amphone" in text and "Bounmy" not in text
    db.expire_all()
    assert ra.pre_score is None and ra.attendance == []  # nothing saved by the preview
    form = form_values(text, "fingerprint")
    saved = coordinator.post(f"/participants/workshops/{workshop.id}/workbook/save", data=form)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/attendance")
    db.expire_all()
    # the day ticked is stored, the day left empty is not made an absence
    assert float(ra.pre_score) == 64 and [(x.day, x.present) for x in ra.attendance] == [
        (START, True)
    ]
    grid = coordinator.get(f"/participants/workshops/{workshop.id}/attendance")
    assert "2 marks from the workbook saved." in grid.get_data(as_text=True)
    # the same workbook again: the app holds it all already
    again = _upload_workbook(coordinator, workshop, filled(64)).get_data(as_text=True)
    assert "holds nothing that the app does not hold already" in again
    assert rb.pre_score is None
