"""A coordinator plans a workshop in Bokeo: agenda from plans, a busy trainer, a free one, PDFs."""

import re

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.journeys import download, plan_option, tablet_sign_in

BUSY = "Anousone Nanthavong"  # teaches in the demo 2010 rollout on 9 March 2010


def test_plan_staff_confirm_and_print_a_workshop(browser, live_server, tmp_path):
    base = live_server["url"]
    page = tablet_sign_in(browser, live_server, "coordinator@ctg-demo.example")
    try:
        page.get_by_role("link", name="Workshops", exact=True).click()
        page.get_by_role("link", name="New workshop").click()
        page.get_by_label("Rollout").select_option(label="2010 rollout (in planning)")
        page.get_by_label("Title (required)", exact=True).fill("Bokeo workshop on victims")
        page.get_by_label("Province").select_option("LA-BK")
        page.get_by_label("First day").fill("2010-03-09")
        page.get_by_label("Last day").fill("2010-03-10")
        page.get_by_role("button", name="Create the workshop").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Bokeo workshop on victims")

        # three English lesson plans laid out over the two days, one per numbered place
        places = page.get_by_role("group", name="Lesson plans, in teaching order")
        for n, code in enumerate(["M04", "M05", "M06"], start=1):
            places.get_by_label(f"Place {n}", exact=True).select_option(
                label=plan_option(code, "en")
            )
        page.get_by_role("button", name="Lay out", exact=True).click()
        agenda = page.locator("table.agenda").first
        expect(agenda).to_contain_text("08:30–10:00")
        expect(agenda).to_contain_text("Lunch")
        expect(page.locator("#agenda ~ h3")).to_have_text(
            ["Tuesday, 9 March 2010", "Wednesday, 10 March 2010"]
        )

        # a trainer on another team the same days: no clash by itself (only sessions clash)
        page.get_by_label("Trainer").select_option(label=BUSY)
        page.get_by_role("button", name="Add to the team").click()
        problems = page.locator("#problems")
        expect(problems).to_contain_text("has no trainer")
        expect(problems).not_to_contain_text(BUSY)
        page.screenshot(path=str(tmp_path / "busy.png"), full_page=True)
        page.get_by_role("button", name=f"Take {BUSY} off the team").click()

        # a proposed free trainer for every session
        links = page.get_by_role("link", name="choose trainers")
        for i in range(links.count()):
            page.get_by_role("link", name="choose trainers").nth(i).click()
            expect(page.get_by_role("heading", name="Qualified and free")).to_be_visible()
            table = page.locator("table").first
            expect(table).not_to_contain_text(BUSY)
            first = table.locator("tbody tr").first.locator("td").first.inner_text()
            page.get_by_label(first, exact=True).check()
            page.get_by_role("button", name="Save").click()
        expect(page.locator("#problems")).to_contain_text("No problem found")

        page.get_by_role("button", name="Mark as Confirmed").click()
        expect(page.locator(".flash-success")).to_contain_text("Workshop status changed.")
        expect(page.locator("p").filter(has_text="participants expected")).to_contain_text(
            "Confirmed"
        )

        workshop_id = re.search(r"/workshops/(\d+)", page.url)[1]
        texts = {}
        for part in ("agenda", "trainers", "participants"):
            path = download(page, f"{base}/workshops/{workshop_id}/{part}.pdf?download=1", tmp_path)
            texts[part] = "".join(p.extract_text() for p in PdfReader(path).pages)
        assert "Bokeo workshop on victims" in texts["agenda"]
        title = "Indicators and first contact with a presumed victim"
        assert title in texts["trainers"] and title in texts["participants"]
        assert len(texts["trainers"]) > len(texts["participants"])
    finally:
        page.context.close()
