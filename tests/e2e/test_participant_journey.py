"""A coordinator imports a participant list, fixes the bad row in the preview, records two
days of attendance, prints the sign-in sheet and the certificates, and reads the report."""

import datetime as dt
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from curriculum.permissions import SYSTEM
from tests.e2e.journeys import download, tablet_sign_in

LIST = (
    "Given name (Latin),Family name (Latin),Given name (Lao),Sex,Institution,Province,Phone\n"
    "Noy,Sisouk,ນ້ອຍ,female,LWU,LA-BK,020 5555 0001\n"
    "Somsak,Vongsa,ສົມສັກ,male,MPS,LA-BK,020 5555 0002\n"
    "Maly,Inthavong,ມະລີ,female,OSPP,Atlantis,020 5555 0003\n"
    "Bounthong,Boupha,ບຸນທອງ,male,PSC,LA-BK,020 5555 0004\n"
    "Vanna,Latsavong,ວັນນາ,female,MOJ,LA-BK,020 5555 0005\n"
)
START = dt.date(2010, 5, 11)


def _workshop(app) -> int:
    """A confirmed two-day workshop in Bokeo with nobody on its list yet."""
    from curriculum.services import workshops

    with app.app_context():
        from app.extensions import get_db

        db = get_db()
        rollout = workshops.create_rollout(
            db, SYSTEM, {"name": "Bokeo 2010", "start_date": START, "end_date": START}
        )
        workshop = workshops.create_workshop(
            db,
            SYSTEM,
            {
                "rollout": rollout.id,
                "title": "Bokeo workshop on victim identification",
                "province": "LA-BK",
                "start_date": START,
                "end_date": START + dt.timedelta(days=1),
                "target_participants": 30,
            },
        )
        workshop.status = "confirmed"
        db.commit()
        return workshop.id


def test_import_attend_certify_and_report(browser, live_server, tmp_path):
    base = live_server["url"]
    workshop_id = _workshop(live_server["app"])
    page = tablet_sign_in(browser, live_server, "coordinator@ctg-demo.example")
    try:
        page.goto(f"{base}/workshops/{workshop_id}")
        page.get_by_role("link", name="Participants and attendance").click()
        page.get_by_role("link", name="Import a list").click()
        csv_path = tmp_path / "bokeo.csv"
        csv_path.write_text(LIST, encoding="utf-8")
        page.get_by_label("Participant list").set_input_files(str(csv_path))
        page.get_by_role("button", name="Upload and preview").click()

        # the preview names the bad row and column; nothing is stored yet
        expect(page.get_by_role("status").first).to_contain_text("1 with errors")
        row = page.locator("#row-4")
        expect(row).to_contain_text("Unknown province “Atlantis”")
        page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
        row.get_by_label("Province").fill("Bokeo")
        page.get_by_role("button", name="Save corrections and check again").click()
        expect(page.get_by_role("status").first).to_contain_text("0 with errors")
        page.get_by_role("button", name=re.compile(r"^Import \d+ people")).click()
        expect(page.locator(".flash-success")).to_contain_text("5 people imported and registered.")
        expect(page.locator("main")).to_contain_text("5 of 30 seats taken")

        # two days of attendance: Vanna misses the second day
        page.get_by_role("link", name="Attendance", exact=True).click()
        for name in (
            "Noy Sisouk",
            "Somsak Vongsa",
            "Maly Inthavong",
            "Bounthong Boupha",
            "Vanna Latsavong",
        ):
            page.get_by_label(f"{name}, Day 1", exact=True).check()
            if name != "Vanna Latsavong":
                page.get_by_label(f"{name}, Day 2", exact=True).check()
        page.get_by_role("button", name="Save attendance").click()
        expect(page.locator(".flash-success")).to_contain_text("Attendance saved.")
        expect(page.get_by_label("Vanna Latsavong, Day 2", exact=True)).not_to_be_checked()
        expect(page.get_by_label("Maly Inthavong, Day 2", exact=True)).to_be_checked()

        # the sign-in sheet of day 1 prints every name
        sheet = download(
            page,
            f"{base}/participants/workshops/{workshop_id}/sign-in/{START.isoformat()}.pdf"
            "?lang=en&download=1",
            tmp_path,
        )
        text = "".join(p.extract_text() for p in PdfReader(sheet).pages)
        for name in ("Noy Sisouk", "Somsak Vongsa", "Maly Inthavong", "Vanna Latsavong"):
            assert name in text

        # delivered: certificates for the four who came both days
        page.goto(f"{base}/workshops/{workshop_id}")
        page.get_by_role("button", name="Mark as Delivered").click()
        expect(page.locator(".flash-success")).to_be_visible()
        page.get_by_role("button", name="Issue certificates").click()
        expect(page.locator(".flash-success")).to_contain_text("4 certificates issued")
        certificates = download(
            page,
            f"{base}/participants/workshops/{workshop_id}/certificates.pdf?lang=en&download=1",
            tmp_path,
        )
        pages = [p.extract_text() for p in PdfReader(certificates).pages]
        assert len(pages) == 4
        assert not any("Vanna" in p for p in pages)
        assert all(re.search(r"CTG-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", p) for p in pages)

        # the workshop report with its chart
        page.get_by_role("link", name="Workshop report").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Workshop report")
        chart = page.get_by_role("figure", name="Registrations by sex")
        expect(chart).to_be_visible()
        expect(chart).to_contain_text("Female")
        expect(chart).to_contain_text("3 (60.0%)")
        expect(page.locator("table.figures").first).to_contain_text("Male")
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    finally:
        page.context.close()
