"""A coordinator plans a whole rollout with the planner, in the Lao interface, on a fresh
database: a new rollout of three provinces, "Propose a plan" searched by the background job
(the page follows its progress), one workshop locked and the other two accepted; the
coverage matrix shows them planned, each accepted workshop passes the check, and proposing
again keeps the locked workshop's dates."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.journeys import lo, lo_n, shot, sign_in

COORDINATOR = "coordinator@ctg-demo.example"
ROLLOUT = "ແຜນການຝຶກອົບຮົມພາກເໜືອ 2027"
PROVINCES = ["LA-BK", "LA-LM", "LA-OU"]
MODULES = ["M04", "M05"]  # both have an approved Lao lesson plan
LOCKED = "LA-OU"
FIRST, LAST = dt.date(2027, 3, 1), dt.date(2027, 4, 30)


def required(label: str) -> str:
    return f"{lo(label)} {lo('(required)')}"


def province_names_lo(app) -> dict[str, str]:
    from app.extensions import get_db
    from curriculum.models import Province

    with app.app_context():
        return {p.code: p.name_lo for p in get_db().scalars(select(Province))}


def rollout_state(app):
    """The rollout's workshops (province code -> (first day, last day)), the errors the check
    finds in them, and the locks kept on the rollout."""
    from app.extensions import get_db
    from curriculum.models import Rollout
    from curriculum.services import scheduling

    with app.app_context():
        db = get_db()
        rollout = db.scalar(select(Rollout).where(Rollout.name == ROLLOUT))
        made = {w.province.code: (w.start_date, w.end_date) for w in rollout.workshops}
        checked = scheduling.check_workshops(
            db, scheduling.load_for_check(db, [w.id for w in rollout.workshops])
        )
        errors = [e for problems in checked.values() for e in scheduling.errors(problems)]
        sessions = {
            w.province.code: [
                (s.module.code if s.module else None, len(s.trainers)) for s in w.sessions
            ]
            for w in rollout.workshops
        }
        teams = {w.province.code: len(w.assignments) for w in rollout.workshops}
        return made, errors, dict((rollout.plan_settings or {}).get("locks", {})), sessions, teams


def test_a_coordinator_proposes_a_rollout_locks_one_workshop_and_accepts_two_in_lao(
    browser, fresh_server_with_jobs, tmp_path
):
    server = fresh_server_with_jobs
    names = province_names_lo(server["app"])
    page = sign_in(browser, server, COORDINATOR, lao=True)
    try:
        # -- a new rollout: three northern provinces, two modules, March and April ------------
        page.get_by_role("link", name=lo("Workshops"), exact=True).click()
        page.get_by_role("link", name=lo("New rollout")).click()
        page.get_by_label(required("Name"), exact=True).fill(ROLLOUT)
        page.get_by_label(required("From"), exact=True).fill(FIRST.isoformat())
        page.get_by_label(required("To"), exact=True).fill(LAST.isoformat())
        provinces = page.get_by_role("group", name=lo("Target provinces"))
        for code in PROVINCES:
            provinces.get_by_label(names[code], exact=True).check()
        modules = page.get_by_role("group", name=lo("Modules to cover"))
        for code in MODULES:
            modules.get_by_label(re.compile(rf"\b{code}\b")).check()
        page.get_by_role("button", name=lo("Create the rollout")).click()
        expect(page.locator(".flash-success")).to_contain_text(lo("Rollout created."))
        rollout_url = page.url

        # -- the planner's page: its settings, then the search as a background job ------------
        page.get_by_role("link", name=lo("Propose a plan")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(lo("Propose a plan"))
        expect(page.get_by_text(lo_n(
            "%(num)d workshop to plan, for the provinces of the rollout that have none yet.",
            "%(num)d workshops to plan, for the provinces of the rollout that have none yet.",
            3,
        ))).to_be_visible()  # fmt: skip
        expect(page.get_by_label(lo("Days per workshop"))).to_have_value("2")
        page.get_by_label(lo("Search time")).fill("4")
        shot(page, tmp_path, "1-settings")
        page.get_by_role("button", name=lo("Propose a plan")).click()
        # the page follows the job's progress, refreshing itself, until the proposal is shown
        expect(page.get_by_role("progressbar", name=lo("Searching for a plan"))).to_be_visible()
        expect(page.locator("#proposal-heading ~ p[role=status]")).to_contain_text(
            lo(
                "Searching (%(seconds)s seconds so far). This page checks again every second.",
                seconds="QQ",
            ).split("QQ")[0]
        )
        shot(page, tmp_path, "2-searching")
        proposal = page.locator("table.proposal")
        expect(proposal).to_be_visible(timeout=90_000)
        found = lo(
            "Proposal found in %(seconds)s seconds: a soft score of %(score)s (lower is better);"
            " the one-workshop-at-a-time plan scores %(greedy)s.",
            seconds="QQ", score="QQ", greedy="QQ",
        )  # fmt: skip
        expect(page.locator("#proposal-heading ~ p[role=status]")).to_have_text(
            re.compile(re.escape(found).replace("QQ", r"[\d.]+"))
        )
        rows = proposal.locator("tbody tr")
        expect(rows).to_have_count(3)
        for code in PROVINCES:
            expect(proposal.get_by_role("rowheader", name=re.compile(re.escape(names[code])))).to_have_count(1)  # fmt: skip
        for code in MODULES:
            expect(proposal.locator("td li strong", has_text=code)).to_have_count(3)
        # every proposed team names a lead for each module, in Lao words
        expect(proposal.get_by_text(f"({lo('lead')})").first).to_be_visible()
        shot(page, tmp_path, "3-proposal")
        proposed = {
            code: proposal.get_by_role("row", name=re.compile(re.escape(names[code])))
            .locator("td")
            .nth(1)
            .inner_text()
            for code in PROVINCES
        }

        # -- lock one workshop, accept the two others -----------------------------------------
        for code in PROVINCES:
            label = (
                lo("Lock the workshop in %(province)s", province=names[code])
                if code == LOCKED
                else lo("Accept the workshop in %(province)s", province=names[code])
            )
            page.get_by_role("checkbox", name=re.compile(re.escape(label))).check()
        page.get_by_role("button", name=lo("Accept and lock the ticked workshops")).click()
        expect(page).to_have_url(re.compile(re.escape(rollout_url) + "#coverage$"))
        expect(page.locator(".flash-success")).to_have_text([
            lo_n(
                "%(num)d workshop is locked: the next proposal keeps its dates and trainers.",
                "%(num)d workshops are locked: the next proposal keeps their dates and trainers.",
                1,
            ),
            lo_n(
                "%(num)d workshop was added to the rollout, with its agenda and team.",
                "%(num)d workshops were added to the rollout, with their agendas and teams.",
                2,
            ),
        ])  # fmt: skip
        # the coverage matrix: both modules planned in the two accepted provinces
        expect(page.locator("td.cell-planned")).to_have_count(len(MODULES) * 2)
        shot(page, tmp_path, "4-coverage")

        made, errors, locks, sessions, teams = rollout_state(server["app"])
        assert sorted(made) == sorted(set(PROVINCES) - {LOCKED})
        assert errors == []
        assert set(locks) == {LOCKED}
        for code in made:
            assert {m for m, _n in sessions[code] if m} == set(MODULES), sessions[code]
            assert all(n >= 1 for m, n in sessions[code] if m), sessions[code]
            assert 2 <= teams[code] <= 4

        # -- propose again: only the locked province is left, on the dates it had --------------
        page.get_by_role("link", name=lo("Propose a plan")).click()
        expect(page.get_by_text(lo_n(
            "%(num)d workshop to plan, for the provinces of the rollout that have none yet.",
            "%(num)d workshops to plan, for the provinces of the rollout that have none yet.",
            1,
        ))).to_be_visible()  # fmt: skip
        page.get_by_role("button", name=lo("Propose a plan")).click()
        expect(proposal).to_be_visible(timeout=90_000)
        expect(rows).to_have_count(1)
        again = rows.first
        expect(again.get_by_role("rowheader")).to_contain_text(names[LOCKED])
        expect(again.locator(".badge")).to_have_text(lo("locked"))
        expect(again.get_by_role("checkbox", name=re.compile(re.escape(
            lo("Lock the workshop in %(province)s", province=names[LOCKED])
        )))).to_be_checked()  # fmt: skip
        assert again.locator("td").nth(1).inner_text().splitlines()[0] == proposed[LOCKED]
        shot(page, tmp_path, "5-locked-again")
    except Exception:
        shot(page, tmp_path, "failed")
        raise
    finally:
        page.context.close()
