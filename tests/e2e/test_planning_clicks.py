"""How many pages a coordinator goes through to plan a workshop: from the "New workshop" page
to a workshop whose agenda is laid out from three approved plans in an order of their own
(not the form's) and fully staffed, with no error left in the check.

Every top-level document the page loads is counted (each click that submits a form or follows
a link, a redirect after a POST being part of the same navigation)."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Frame, expect

from curriculum.permissions import SYSTEM
from tests.e2e.journeys import plan_option, shipped_plan, shot, sign_in

COORDINATOR = "coordinator@ctg-demo.example"
ROLLOUT = "Southern provinces 2027"
MODULES = ["M04", "M05", "M07"]
WORKSHOP = "Champasak workshop on evidence and victims"
DAYS = [dt.date(2027, 3, 9) + dt.timedelta(days=n) for n in range(3)]  # Tuesday to Thursday
LANGUAGE = "lo"  # the workshop's language (the form's default)
# the order the coordinator teaches in: not the order the form lists the plans in; M07 has
# no Lao plan, so its English one; the others in the workshop's language
CHOSEN = [("M07", "en"), ("M04", "lo"), ("M05", "lo")]
MAX_PAGE_LOADS = 10


def rollout(app) -> None:
    """A rollout in planning that covers M04, M05 and M07 in Champasak."""
    from app.extensions import get_db
    from curriculum.services import workshops

    with app.app_context():
        db = get_db()
        workshops.create_rollout(
            db,
            SYSTEM,
            {
                "name": ROLLOUT,
                "start_date": dt.date(2027, 1, 1),
                "end_date": dt.date(2027, 6, 30),
                "modules": MODULES,
                "provinces": ["LA-CH"],
            },
        )
        db.commit()


def approved_plans_of(app, codes) -> int:
    """How many approved lesson plans (latest versions) the modules have."""
    from app.extensions import get_db
    from curriculum.services import lessons

    with app.app_context():
        plans = lessons.list_plans(get_db(), lessons.PlanFilters(status="approved"))
        return sum(1 for p in plans if p.module is not None and p.module.code in codes)


def test_plan_and_staff_a_workshop_in_few_pages(browser, fresh_server, tmp_path):
    app = fresh_server["app"]
    rollout(app)
    assert [code for code, _language in CHOSEN] != sorted(MODULES)
    page = sign_in(browser, fresh_server, COORDINATOR)
    loads: list[str] = []

    def navigated(frame: Frame) -> None:
        if frame == page.main_frame:
            loads.append(frame.url)

    try:
        page.get_by_role("link", name="Workshops", exact=True).click()
        expect(page.get_by_role("link", name=ROLLOUT)).to_be_visible()
        page.on("framenavigated", navigated)

        # -- the workshop: three days in the rollout ------------------------------------------
        page.get_by_role("link", name="New workshop").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("New workshop")
        page.get_by_label("Rollout (required)", exact=True).select_option(label=ROLLOUT)
        page.get_by_label("Title (required)", exact=True).fill(WORKSHOP)
        page.get_by_label("Province (required)", exact=True).select_option(label="Champasak")
        page.get_by_label("First day (required)", exact=True).fill(DAYS[0].isoformat())
        page.get_by_label("Last day (required)", exact=True).fill(DAYS[-1].isoformat())
        expect(page.get_by_label("Language", exact=True)).to_have_value(LANGUAGE)
        page.get_by_role("button", name="Create the workshop").click()
        expect(page.locator(".flash-success")).to_contain_text(
            "Workshop created. Lay out its agenda next."
        )
        expect(page.get_by_role("heading", level=1)).to_contain_text(WORKSHOP)
        workshop_url = page.url

        # -- the plans offered: the rollout's modules first, the workshop's language first ----
        places = page.get_by_role("group", name="Lesson plans, in teaching order")
        first = places.get_by_label("Place 1", exact=True)
        expect(first.locator("option:checked")).to_have_text("—")
        offered = first.evaluate(
            """select => Array.from(select.querySelectorAll('optgroup')).map(group => [
                 group.label, Array.from(group.querySelectorAll('option')).map(o => o.text)])"""
        )
        assert [label for label, _texts in offered] == ["Modules of this rollout", "Other modules"]
        ours, others = offered[0][1], offered[1][1]

        def code(text: str) -> str:
            return text.split(" · ")[0]

        def language(text: str) -> str:
            return text.rsplit(", ", 1)[1].removesuffix(")")

        assert {code(t) for t in ours} == set(MODULES), ours
        assert len(ours) == approved_plans_of(app, MODULES), ours
        assert not {code(t) for t in others} & set(MODULES), others
        assert others, "the other modules' plans are offered too"
        languages = [language(t) for t in ours]
        assert set(languages) == {"Lao", "English"}, ours
        first_other = languages.index("English")
        assert all(lang == "Lao" for lang in languages[:first_other]), ours
        assert all(lang == "English" for lang in languages[first_other:]), ours
        # the rollout's first plans are not the order this workshop is taught in
        assert [code(t) for t in ours[: len(CHOSEN)]] != [c for c, _lang in CHOSEN], ours

        # -- the agenda: one plan in each of the first three places ----------------------------
        for n, (module, plan_language) in enumerate(CHOSEN, start=1):
            places.get_by_label(f"Place {n}", exact=True).select_option(
                label=plan_option(module, plan_language)
            )
        shot(page, tmp_path, "1-places")
        page.get_by_role("button", name="Lay out", exact=True).click()
        expect(page.locator(".flash-success")).to_contain_text(
            "The agenda was laid out from the lesson plans."
        )
        teaching = page.locator("table.agenda tr.kind-session")
        codes = [hint.split(" ·")[0] for hint in teaching.locator(".hint").all_inner_texts()]
        taught = [c for n, c in enumerate(codes) if n == 0 or codes[n - 1] != c]
        assert taught == [c for c, _lang in CHOSEN], codes
        sessions = len(codes)
        expect(page.locator("#problems .problem-error")).to_have_count(sessions)  # untaught

        # -- the trainers of every plan, on one page --------------------------------------------
        page.get_by_role("link", name="Choose the trainers of every plan").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Trainers of the agenda")
        chosen: dict[str, str] = {}
        for n, (module, plan_language) in enumerate(CHOSEN):
            plan = page.get_by_role(
                "group", name=shipped_plan(module, plan_language)["title"], exact=True
            )
            offered_names = plan.locator("tbody td:nth-child(2) label").all_inner_texts()
            # a different trainer for each plan, where the plan allows it
            name = next((t for t in offered_names if t not in chosen.values()), offered_names[0])
            plan.get_by_label(name, exact=True).check()
            plan.get_by_label(f"Role of {name}", exact=True).select_option(
                label="Lead trainer" if n == 0 else "Co-trainer"
            )
            chosen[module] = name
        shot(page, tmp_path, "2-staffing")
        page.get_by_role("button", name="Save the trainers").click()
        expect(page.locator(".flash-success")).to_contain_text(
            "The trainers of the agenda were saved."
        )
        expect(page).to_have_url(f"{workshop_url}#agenda")
        problems = page.locator("#problems")
        expect(problems.locator(".problem-error")).to_have_count(0)
        count = len(loads)
        shot(page, tmp_path, "3-staffed")

        # what the workshop page shows once planned
        for i in range(sessions):
            row = teaching.nth(i)
            module = row.locator(".hint").inner_text().split(" ·")[0]
            expect(row.locator("td").nth(2)).to_contain_text(chosen[module])
        team = page.locator("#team + ul > li")
        expect(team).to_have_count(len(set(chosen.values())))
        expect(team.filter(has_text=chosen[CHOSEN[0][0]])).to_contain_text("Lead trainer")

        print(f"\npage loads from “New workshop” to a staffed agenda: {count}")
        for url in loads[:count]:
            print(f"  {url}")
        assert count <= MAX_PAGE_LOADS, loads
    finally:
        page.context.close()
