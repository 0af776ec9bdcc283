"""A coordinator brings the paper back: the sign-in sheets of two days, filled at the venue
and scanned into one PDF, and a phone photo of another workshop's sheet that got mixed in,
uploaded together. The background job reads them; the preview refuses the other workshop's
page by name and waits for a decision on the one unsure box; saved, the attendance grid and
the workshop report show what the sheets said."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.journeys import tablet_sign_in
from tests.scanfill import draw, page_of, pages_of, photograph
from tests.workshops import workshop_with_people

START = dt.date(2011, 3, 8)
PEOPLE = [("Amphone", "Sisouk"), ("Bounmy", "Keo"), ("Chanthala", "Vongsa")]


def _workshop(app, title: str, province: str, people) -> tuple[int, dict[str, int]]:
    from app.extensions import get_db

    with app.app_context():
        db = get_db()
        workshop, registrations = workshop_with_people(
            db,
            title,
            START,
            2,
            [{"given_name_latin": g, "family_name_latin": f, "sex": "female"} for g, f in people],
            province=province,
        )
        db.commit()
        return workshop.id, {r.participant.given_name_latin: r.id for r in registrations}


def _filled(app, workshop_id: int, day: dt.date, marks_by_id, size: str, seed: int) -> bytes:
    """The first page of the workshop's sign-in sheet of ``day``, filled and scanned."""
    from app.extensions import get_db
    from curriculum.documents import sheets
    from curriculum.models import Workshop

    with app.app_context():
        db = get_db()
        pdf = sheets.render_sign_in_sheet(
            db, app.extensions["ctg.documents"], db.get(Workshop, workshop_id), day, "en"
        )
        image = pages_of(pdf.path.read_bytes(), 200)[0]
    page = page_of(image)
    marks = {}
    for rid, (tick, sign) in marks_by_id.items():
        row = page.rows.index(rid)
        marks[f"r{row}.tick"], marks[f"r{row}.sign"] = tick, sign
    rng = np.random.default_rng(seed)
    return photograph(draw(image, page, 200, marks, rng).image, rng, size)


def test_scanned_sign_in_sheets_come_back_into_the_grid_and_the_report(
    browser, fresh_server_with_jobs, tmp_path
):
    server = fresh_server_with_jobs
    app, base = server["app"], server["url"]
    workshop_id, ids = _workshop(app, "Attapeu workshop", "LA-AT", PEOPLE)
    other_id, other = _workshop(app, "Luang Namtha workshop", "LA-LM", [("Dara", "Inthavong")])
    a, b, c = ids["Amphone"], ids["Bounmy"], ids["Chanthala"]
    day1 = _filled(
        app,
        workshop_id,
        START,
        {a: ("tick", "sign"), b: ("dot", "empty"), c: ("empty", "empty")},
        "scan",
        1,
    )
    day2 = _filled(
        app,
        workshop_id,
        START + dt.timedelta(days=1),
        {a: ("tick", "sign"), b: ("cross", "sign"), c: ("tick", "sign")},
        "scan",
        2,
    )
    stray = _filled(app, other_id, START, {other["Dara"]: ("tick", "sign")}, "photo", 3)
    scans = [Image.open(io.BytesIO(jpeg)) for jpeg in (day1, day2)]
    scans[0].save(tmp_path / "scan.pdf", "PDF", save_all=True, append_images=scans[1:])
    (tmp_path / "phone.jpg").write_bytes(stray)

    page = tablet_sign_in(browser, server, "coordinator@ctg-demo.example")
    try:
        page.goto(f"{base}/participants/workshops/{workshop_id}")
        page.get_by_role("link", name="Read scanned sheets").click()
        page.get_by_label("Scanned PDF or photos").set_input_files(
            [str(tmp_path / "scan.pdf"), str(tmp_path / "phone.jpg")]
        )
        page.get_by_role("button", name="Upload and read").click()
        # the progress page checks again until the job has read every page
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "What the scanned sheets say", timeout=60_000
        )
        main = page.locator("main")
        expect(main).to_contain_text(
            "This page is from another workshop: Luang Namtha workshop. It was left out."
        )
        expect(page.get_by_role("status").first).to_contain_text(
            "Pages read: 2 of 3. Unsure readings to decide: 1."
        )
        unsure = page.locator("table.scan-unsure tr", has_text="Bounmy")
        expect(unsure.locator("img")).to_be_visible()
        page.screenshot(path=str(tmp_path / "scan-preview.png"), full_page=True)

        # saving before deciding stores nothing
        page.get_by_role("button", name="Save").click()
        expect(main).to_contain_text("Unsure readings still to decide: 1.")
        page.locator("table.scan-unsure tr", has_text="Bounmy").get_by_label("present").check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".flash-success")).to_contain_text(
            "values from the scanned sheets saved."
        )

        # the attendance grid shows what the sheets said
        expect(page.get_by_role("heading", level=1)).to_contain_text("Attendance")
        for given, family in PEOPLE:
            name = f"{given} {family}"
            expect(page.get_by_label(f"{name}, Day 1", exact=True)).to_be_checked(
                checked=given != "Chanthala"
            )
            expect(page.get_by_label(f"{name}, Day 2", exact=True)).to_be_checked()
        # and so does the report: 5 of 6 person-days, two people every day
        page.goto(f"{base}/reports/workshops/{workshop_id}")
        figures = page.locator(".figure")
        expect(figures.filter(has_text="Attendance rate")).to_contain_text("83.3%")
        expect(figures.filter(has_text="Attended every day")).to_contain_text("2 (66.7%)")
        page.screenshot(path=str(tmp_path / "scan-report.png"), full_page=True)
    finally:
        page.context.close()
