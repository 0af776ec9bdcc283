"""A trainer builds a 90-minute plan, a coordinator reviews it, the trainer prints it."""

import re

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.journeys import download, tablet_sign_in

TITLE = "First contact at the border: a practice session"


def test_build_review_and_print_a_lesson_plan(browser, live_server, tmp_path):
    base = live_server["url"]
    trainer = tablet_sign_in(browser, live_server, "bounmy.p@ctg-demo.example")
    coordinator = tablet_sign_in(browser, live_server, "coordinator@ctg-demo.example")
    try:
        # The trainer starts a plan from scratch and writes two objectives.
        page = trainer
        page.get_by_role("link", name="Lesson plans", exact=True).click()
        page.get_by_role("link", name="New lesson plan").click()
        page.get_by_label("Module (required)").select_option("M04")
        page.get_by_label("From scratch").check()
        page.get_by_label("Title (optional)").fill(TITLE)
        page.get_by_role("button", name="Create the draft").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Build the lesson plan")
        page.locator("#objectives-0-text").fill(
            "Identify the indicators of trafficking in a returnee's story."
        )
        page.locator("#objectives-1-text").fill("Apply a safe first-contact procedure.")
        for _ in range(4):
            page.get_by_role("button", name="+ Add an activity").click()
        expect(page.locator(".activity-row")).to_have_count(4)

        # Four activities whose minutes do not add up: the timeline says so at once,
        # and the automatic save brings back the error.
        rows = [
            ("10", "energizer", "Sort the indicator cards", ["1"]),
            ("20", "presentation", "Indicators and reasonable grounds", ["1"]),
            ("30", "role_play", "First contact role play", ["2"]),
            ("20", "plenary", "What did the observers see?", ["1", "2"]),
        ]
        for i, (minutes, method, title, serves) in enumerate(rows):
            page.locator(f"#activities-{i}-minutes").fill(minutes)
            page.locator(f"#activities-{i}-method").select_option(method)
            page.locator(f"#activities-{i}-title").fill(title)
            for n in serves:
                page.locator(f'input[name="activities-{i}-serves"][value="{n}"]').check()
        expect(page.locator("#timeline-total")).to_have_text("Total: 80 of 90 minutes")
        expect(page.locator("#problems")).to_contain_text("10 minutes still to plan")
        expect(page.locator("#autosave-status")).to_have_text("Draft saved automatically.")
        expect(page.locator(".activity-time").nth(3)).to_have_text("60–80")
        page.screenshot(path=str(tmp_path / "builder-warning.png"), full_page=True)

        page.locator("#activities-3-minutes").fill("30")
        expect(page.locator("#timeline-total")).to_have_text("Total: 90 of 90 minutes")
        expect(page.locator("#problems")).to_contain_text("Nothing to fix")
        page.get_by_role("button", name="Save and view the plan").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
        page.get_by_role("button", name="Submit for review").click()
        expect(page.locator(".plan-status")).to_contain_text("In review")
        plan_url = page.url

        # The coordinator finds it waiting, comments on one activity and asks for a change.
        page = coordinator
        page.goto(f"{base}/")
        page.get_by_role("link", name=TITLE).click()
        card = page.locator(".activity-card").nth(2)
        card.get_by_text("Comment on this activity").click()
        card.locator("textarea").fill("Give the observers a checklist and 5 more minutes.")
        card.get_by_role("button", name="Add the comment").click()
        page.locator("#status-comment").fill("One change on activity 3, see the comment.")
        page.get_by_role("button", name="Request changes").click()
        expect(page.locator(".plan-status")).to_contain_text("Draft")

        # The trainer sees the comment, answers it, fixes the activity and resubmits.
        page = trainer
        page.goto(f"{base}/")
        expect(page.get_by_text("changes requested on your lesson plan")).to_be_visible()
        page.goto(plan_url)
        card = page.locator(".activity-card").nth(2)
        expect(card).to_contain_text("Give the observers a checklist")
        card.get_by_text("Answer").first.click()
        card.locator("textarea").first.fill("Done: checklist added, 35 minutes.")
        card.get_by_role("button", name="Send the answer").click()
        page.get_by_role("link", name="Edit", exact=True).click()
        page.locator("#activities-2-minutes").fill("35")
        page.locator("#activities-2-materials").fill("Role briefs; observer checklist")
        page.locator("#activities-1-minutes").fill("15")
        expect(page.locator("#timeline-total")).to_have_text("Total: 90 of 90 minutes")
        page.get_by_role("button", name="Save and view the plan").click()
        page.get_by_role("button", name="Submit for review").click()
        expect(page.locator(".plan-status")).to_contain_text("In review")

        # The coordinator approves.
        page = coordinator
        page.goto(plan_url)
        expect(page.locator(".activity-card").nth(2)).to_contain_text("35 min")
        page.get_by_role("button", name="Approve").click()
        expect(page.locator(".plan-status")).to_contain_text("Approved")

        # The trainer downloads both PDFs.
        page = trainer
        page.goto(plan_url)
        expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
        plan_id = re.search(r"/lessons/(\d+)", plan_url)[1]
        trainer_pdf = download(page, f"{base}/lessons/{plan_id}/plan.pdf?download=1", tmp_path)
        handout_pdf = download(page, f"{base}/lessons/{plan_id}/handout.pdf?download=1", tmp_path)
        plan_text = "".join(p.extract_text() for p in PdfReader(trainer_pdf).pages)
        handout_text = "".join(p.extract_text() for p in PdfReader(handout_pdf).pages)
        assert TITLE in plan_text and TITLE in handout_text
        assert "observer checklist" in plan_text  # the activity's materials, trainer's side
        assert "25–60" in plan_text and "90 of 90 minutes" in plan_text
        assert "TRAINER'S LESSON PLAN" in plan_text.upper()
        assert "PARTICIPANT HANDOUT" in handout_text.upper()
    finally:
        trainer.context.close()
        coordinator.context.close()


def test_drag_an_activity_to_reorder_it(browser, live_server):
    page = tablet_sign_in(browser, live_server, "bounmy.p@ctg-demo.example")
    try:
        page.goto(f"{live_server['url']}/lessons/")
        page.get_by_role("link", name="Day 2 refresher: indicators").click()  # a demo draft
        page.get_by_role("link", name="Edit", exact=True).click()
        rows = page.locator(".activity-row")
        expect(rows).to_have_count(2)
        first_title = page.locator("#activities-0-title").input_value()
        # Chromium's own drag session does not start under Playwright's synthetic mouse,
        # so the page gets the drag events it would have seen.
        page.evaluate(
            """() => {
              const rows = document.querySelectorAll('.activity-row');
              const source = rows[1], target = rows[0];
              const data = new DataTransfer();
              const box = target.getBoundingClientRect();
              source.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));
              target.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true,
                dataTransfer: data, clientX: box.left + 10, clientY: box.top + 5}));
              source.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: data}));
            }"""
        )
        expect(rows.nth(0).locator(".activity-time")).to_have_text("0–10")
        expect(rows.nth(1).locator("input[name$='-title']")).to_have_value(first_title)
        expect(page.locator("#autosave-status")).to_have_text("Draft saved automatically.")
        page.reload()
        expect(page.locator("#activities-1-title")).to_have_value(first_title)
    finally:
        page.context.close()
