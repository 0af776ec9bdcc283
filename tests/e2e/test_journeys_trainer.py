"""A trainer's journey on a fresh database, in English: build a 90-minute lesson plan for a
module, submit it; a coordinator comments and approves it; the trainer sees it approved and
prints the trainer's plan and the participant handout, both read back."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.journeys import (
    assert_contains,
    assert_lao_inside_margin,
    assert_no_dotted_circle,
    open_pdf,
    page_count,
    pages_text,
    shot,
    sign_in,
    squeeze,
)

TRAINER = "bounmy.p@ctg-demo.example"
COORDINATOR = "coordinator@ctg-demo.example"
TITLE = "Spotting trafficking at the Houayxay crossing"
OBJECTIVES = [
    "Explain ການຄ້າມະນຸດ (trafficking in persons) by its three elements.",
    "Apply a safe first-contact procedure with a presumed victim.",
]
ACTIVITIES = [  # minutes, method, title, objectives served: 90 minutes in all
    ("10", "energizer", "Sort the indicator cards", ["1"]),
    ("20", "presentation", "Act, means, purpose", ["1"]),
    ("35", "role_play", "First contact at the checkpoint", ["2"]),
    ("25", "plenary", "What did the observers see?", ["1", "2"]),
]
REVIEW_NOTE = "Give the observers a checklist for the role play."
APPROVAL_NOTE = "Approved for the Bokeo workshops."


def test_trainer_builds_a_plan_a_coordinator_approves_it(browser, fresh_server, tmp_path):
    trainer = sign_in(browser, fresh_server, TRAINER)
    coordinator = sign_in(browser, fresh_server, COORDINATOR)
    try:
        # -- the trainer starts a draft from scratch --------------------------------------
        page = trainer
        page.get_by_role("link", name="Lesson plans", exact=True).click()
        page.get_by_role("link", name="New lesson plan").click()
        page.get_by_label("Module (required)").select_option("M04")
        page.get_by_label("From scratch").check()
        page.get_by_label("Title (optional)").fill(TITLE)
        page.get_by_role("button", name="Create the draft").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Build the lesson plan")

        for i, text in enumerate(OBJECTIVES):
            page.locator(f"#objectives-{i}-text").fill(text)
        for _ in ACTIVITIES:
            page.get_by_role("button", name="+ Add an activity").click()
        expect(page.locator(".activity-row")).to_have_count(len(ACTIVITIES))
        for i, (minutes, method, title, serves) in enumerate(ACTIVITIES):
            page.locator(f"#activities-{i}-minutes").fill(minutes)
            page.locator(f"#activities-{i}-method").select_option(method)
            page.locator(f"#activities-{i}-title").fill(title)
            for n in serves:
                page.locator(f'input[name="activities-{i}-serves"][value="{n}"]').check()
        page.locator("#activities-2-materials").fill("Role briefs; indicator cards")

        # the timeline adds the minutes up as they are typed
        expect(page.locator("#timeline-total")).to_have_text("Total: 90 of 90 minutes")
        expect(page.locator("#problems")).to_contain_text("Nothing to fix")
        expect(page.locator(".activity-time").nth(3)).to_have_text("65–90")
        expect(page.locator("#autosave-status")).to_have_text("Draft saved automatically.")
        shot(page, tmp_path, "1-builder")
        page.get_by_role("button", name="Save and view the plan").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
        expect(page.locator(".objectives")).to_contain_text(OBJECTIVES[0])
        page.get_by_role("button", name="Submit for review").click()
        expect(page.locator(".plan-status")).to_contain_text("In review")
        plan_url = page.url
        shot(page, tmp_path, "2-submitted")

        # -- the coordinator finds it waiting, comments on an activity, approves ---------
        page = coordinator
        page.get_by_role("link", name="Home", exact=True).click()
        waiting = page.get_by_role("region", name="Waiting for you")
        expect(waiting).to_contain_text("lesson plan to review")
        waiting.get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
        card = page.locator(".activity-card").nth(2)
        card.get_by_text("Comment on this activity").click()
        card.get_by_label(f"Comment on “{ACTIVITIES[2][2]}”").fill(REVIEW_NOTE)
        card.get_by_role("button", name="Add the comment").click()
        expect(page.locator(".activity-card").nth(2)).to_contain_text(REVIEW_NOTE)
        page.get_by_label("Comment (required to request changes)").fill(APPROVAL_NOTE)
        page.get_by_role("button", name="Approve").click()
        expect(page.locator(".plan-status")).to_contain_text("Approved")
        shot(page, tmp_path, "3-approved")

        # -- the trainer sees it approved, with the comment, and prints it ---------------
        page = trainer
        page.get_by_role("link", name="Home", exact=True).click()
        mine = page.get_by_role("region", name="My lesson plans")
        expect(mine.get_by_role("listitem").filter(has_text=TITLE)).to_contain_text("Approved")
        mine.get_by_role("link", name=TITLE).click()
        expect(page).to_have_url(plan_url)
        expect(page.locator(".plan-status")).to_contain_text("Approved")
        expect(page.locator(".activity-card").nth(2)).to_contain_text(REVIEW_NOTE)
        expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)

        plan_pdf = open_pdf(
            page,
            page.get_by_role("link", name="Trainer's plan (PDF)").click,
            tmp_path / "plan.pdf",
        )
        page.go_back()
        handout_pdf = open_pdf(
            page,
            page.get_by_role("link", name="Participant handout (PDF)").click,
            tmp_path / "handout.pdf",
        )

        # -- both PDFs read back ----------------------------------------------------------
        for path, kind in (
            (plan_pdf, "TRAINER'S LESSON PLAN"),
            (handout_pdf, "PARTICIPANT HANDOUT"),
        ):
            assert page_count(path) >= 1
            pages = pages_text(path)
            assert kind in "".join(pages).upper(), path.name
            assert_contains(path, [TITLE, OBJECTIVES[0], OBJECTIVES[1]])
            assert_lao_inside_margin(path, "lesson.css")
            assert_no_dotted_circle(path)
        plan_text = squeeze("".join(pages_text(plan_pdf)))
        for _minutes, _method, title, _serves in ACTIVITIES:
            assert squeeze(title) in plan_text
        assert squeeze("Role briefs; indicator cards") in plan_text  # the trainer's side only
        assert re.search(r"90of90minutes", plan_text)
    finally:
        trainer.context.close()
        coordinator.context.close()
