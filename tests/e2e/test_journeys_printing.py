"""Printing, in the English interface, with background jobs run for real by a Huey consumer:
the whole Reference Guide in Lao and in English through its progress page, one chapter, a
delivered workshop's trainers' and participants' packs (progress pages too), its report, the
day's sign-in sheet and the certificates. Every PDF is read back."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from curriculum.permissions import SYSTEM
from tests.e2e.journeys import (
    assert_contains,
    assert_lao_inside_margin,
    assert_no_dotted_circle,
    lo,
    open_pdf,
    page_count,
    pages_text,
    shot,
    sign_in,
    squeeze,
    wait_for_progress_then_open,
)

VIEWER = "viewer@ctg-demo.example"
COORDINATOR = "coordinator@ctg-demo.example"
ROLLOUT = "Northern provinces 2011"
WORKSHOP = "ກອງປະຊຸມຝຶກອົບຮົມ ແຂວງບໍ່ແກ້ວ ກ່ຽວກັບການກຳນົດຕົວຜູ້ເຄາະຮ້າຍ"
START = dt.date(2011, 5, 10)
DAYS = [START, START + dt.timedelta(days=1)]
SIGNATORIES = [
    ("Bounmy Phommachanh", "President, Core Training Group"),
    ("ສົມພອນ ຈັນທະວົງ", "ຮອງຫົວໜ້າກົມຄະດີອາຍາ"),
]
MODULES = ["M04", "M05"]
TEAM = [("Phouvong Douangmany", "lead", "M04"), ("Manivone Sihalath", "co_trainer", "M05")]
PEOPLE = [  # Lao given, Lao family, Latin given, Latin family, sex, institution
    ("ນ້ອຍ", "ສີສຸກ", "Noy", "Sisouk", "female", "LWU"),
    ("ສົມສັກ", "ວົງສາ", "Somsak", "Vongsa", "male", "MPS"),
    ("ມະລີ", "ອິນທະວົງ", "Maly", "Inthavong", "female", "OSPP"),
    ("ບຸນທອງ", "ບຸບຜາ", "Bounthong", "Boupha", "male", "PSC"),
    ("ວັນນາ", "ລາດສະວົງ", "Vanna", "Latsavong", "female", "MOJ"),
]
ABSENT = PEOPLE[4]  # misses the second day


def logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (240, 120), (31, 95, 153)).save(out, "PNG")
    return out.getvalue()


def delivered_workshop(app) -> dict:
    """A delivered two-day Lao workshop in Bokeo, set up through the services: agenda from the
    approved Lao plans of M04 and M05, a staffed team, five people, one absent on day 2."""
    from sqlalchemy import select

    from app.extensions import get_db
    from curriculum.models import Institution, LessonPlan, Module, Trainer
    from curriculum.services import participants, workshops

    with app.app_context():
        db = get_db()
        rollout = workshops.create_rollout(
            db,
            SYSTEM,
            {
                "name": ROLLOUT,
                "start_date": dt.date(2011, 5, 1),
                "end_date": dt.date(2011, 6, 30),
                "modules": MODULES,
                "provinces": ["LA-BK"],
                "signatories": "\n".join(f"{n} | {t}" for n, t in SIGNATORIES),
            },
        )
        workshops.set_rollout_logo(db, SYSTEM, rollout.id, logo_png())
        workshop = workshops.create_workshop(
            db,
            SYSTEM,
            {
                "rollout": rollout.id,
                "title": WORKSHOP,
                "province": "LA-BK",
                "start_date": DAYS[0],
                "end_date": DAYS[-1],
                "language": "lo",
                "target_participants": 30,
            },
        )
        plans = {
            code: db.scalar(
                select(LessonPlan)
                .join(Module, Module.id == LessonPlan.module_id)
                .where(
                    Module.code == code,
                    LessonPlan.language == "lo",
                    LessonPlan.status == "approved",
                    LessonPlan.kind == "plan",
                )
            )
            for code in MODULES
        }
        workshops.lay_out_agenda(db, SYSTEM, workshop.id, [plans[c].id for c in MODULES])
        trainers = {}
        for name, role, code in TEAM:
            given, family = name.split()
            trainer = db.scalar(
                select(Trainer).where(
                    Trainer.given_name_latin == given, Trainer.family_name_latin == family
                )
            )
            workshops.assign_trainer(db, SYSTEM, workshop.id, trainer.id, role)
            trainers[code] = trainer.id
        for ws in workshop.sessions:
            if ws.kind == "session":
                workshops.set_session_trainers(db, SYSTEM, ws.id, [trainers[ws.module.code]])
        workshops.change_status(db, SYSTEM, workshop.id, "confirmed", "Set up by the test.")
        institutions = {i.short_name: i.id for i in db.scalars(select(Institution))}
        present = set()
        for given_lo, family_lo, given, family, sex, short in PEOPLE:
            person = participants.create_participant(
                db,
                SYSTEM,
                {
                    "given_name_lo": given_lo,
                    "family_name_lo": family_lo,
                    "given_name_latin": given,
                    "family_name_latin": family,
                    "sex": sex,
                    "institution_id": institutions[short],
                    "province": "LA-BK",
                },
            )
            reg = participants.register(db, SYSTEM, workshop.id, person.id)
            for n, day in enumerate(DAYS):
                if not (given == ABSENT[2] and n == 1):
                    present.add((reg.id, day))
        participants.record_attendance(db, SYSTEM, workshop.id, present)
        workshops.change_status(db, SYSTEM, workshop.id, "delivered")
        db.commit()
        return {
            "plans": {code: plan.title for code, plan in plans.items()},
            "modules": {
                m.code: (m.title_lo or m.title_en, m.title_en)
                for m in db.scalars(select(Module).order_by(Module.code))
            },
        }


def test_print_guides_chapter_packs_report_sign_in_and_certificates(
    browser, fresh_server_with_jobs, tmp_path
):
    server = fresh_server_with_jobs
    data = delivered_workshop(server["app"])
    viewer = sign_in(browser, server, VIEWER)
    coordinator = sign_in(browser, server, COORDINATOR)
    try:
        page = viewer

        # -- the whole Reference Guide, in Lao then in English, through the progress page --
        guides = {}
        for language, link, edition in (
            ("lo", "Reference Guide (Lao, PDF)", "ລາວ"),
            ("en", "Reference Guide (English, PDF)", "English"),
        ):
            page.get_by_role("link", name="Library", exact=True).click()
            page.get_by_role("link", name=link).click()
            expect(page).to_have_url(f"{server['url']}/library/guide/progress?lang={language}")
            expect(page.get_by_role("heading", level=1)).to_have_text(
                f"Trainers' Reference Guide ({edition})"
            )
            expect(page.get_by_role("status")).to_contain_text("The guide is being laid out")
            expect(page.locator('meta[http-equiv="refresh"]')).to_have_attribute("content", "1")
            shot(page, tmp_path, f"1-guide-progress-{language}")
            guides[language] = wait_for_progress_then_open(
                page, "Open the PDF", tmp_path / f"guide-{language}.pdf"
            )
            page.go_back()
            expect(page.get_by_role("status")).to_have_text("The guide is ready.")
            expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
            # the same file, downloaded this time
            with page.expect_download() as download:
                page.get_by_role("link", name="Download", exact=True).click()
            saved = tmp_path / f"downloaded-{download.value.suggested_filename}"
            download.value.save_as(saved)
            assert saved.name.endswith(".pdf") and language in saved.name
            assert saved.read_bytes() == guides[language].read_bytes()

        titles = data["modules"]
        guide_lo, guide_en = guides["lo"], guides["en"]
        assert page_count(guide_lo) >= len(titles) + 2
        assert page_count(guide_en) >= len(titles) + 2
        assert_contains(
            guide_lo,
            [
                lo("Trainers' Reference Guide on Human Trafficking for the Legal Sector"),
                lo("Lao edition"),
                lo("Contents"),
                lo("Annex 1: Glossary"),
                *[
                    f"{lo('Module %(number)s', number=int(c[1:]))} {t[0]}"
                    for c, t in titles.items()
                ],
            ],
        )
        assert_contains(
            guide_en,
            [
                "Trainers' Reference Guide on Human Trafficking for the Legal Sector",
                "English edition",
                *[f"Module {int(c[1:])} {t[1]}" for c, t in titles.items()],
            ],
        )
        assert_lao_inside_margin(guide_lo, "guide.css", at_least=200)
        assert_lao_inside_margin(guide_en, "guide.css")  # the glossary's Lao terms
        assert_no_dotted_circle(guide_lo)
        assert len(PdfReader(guide_lo).outline) >= len(titles)

        # -- one chapter, from its module page, in Lao --------------------------------------
        page.get_by_role("link", name="Library", exact=True).click()
        page.get_by_role("link", name="M04 Victim identification").click()
        page.get_by_role("link", name="ລາວ", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(titles["M04"][0])
        chapter = open_pdf(
            page,
            page.get_by_role("link", name="Chapter as PDF").click,
            tmp_path / "chapter-m04-lo.pdf",
        )
        assert page_count(chapter) >= 3
        assert_contains(chapter, [f"{lo('Module %(number)s', number=4)} {titles['M04'][0]}"])
        assert_lao_inside_margin(chapter, "guide.css", at_least=50)
        assert_no_dotted_circle(chapter)
        page.go_back()

        # -- the workshop's packs, rendered in the background --------------------------------
        page.get_by_role("link", name="Workshops", exact=True).click()
        page.get_by_role("link", name=ROLLOUT).click()
        page.get_by_role("link", name=WORKSHOP).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(WORKSHOP)
        workshop_url = page.url
        packs = {}
        for part, link, name in (
            ("trainers", "Trainers' pack (PDF)", "Trainers' pack"),
            ("participants", "Participants' pack (PDF)", "Participants' pack"),
        ):
            page.get_by_role("link", name=link).click()
            expect(page).to_have_url(f"{workshop_url}/{part}/progress")
            expect(page.get_by_role("heading", level=1)).to_contain_text(name)
            shot(page, tmp_path, f"2-pack-progress-{part}")
            packs[part] = wait_for_progress_then_open(
                page, "Open the PDF", tmp_path / f"pack-{part}.pdf"
            )
            page.go_back()
            expect(page.get_by_role("status")).to_have_text("The pack is ready.")
            page.get_by_role("link", name="Back to the workshop").click()
            expect(page).to_have_url(workshop_url)
        plan_titles = [data["plans"][code] for code in MODULES]
        for part, kind in (("trainers", "Trainers' pack"), ("participants", "Participants' pack")):
            path = packs[part]
            # cover, contents, the agenda of each day, then each plan on its own pages
            assert page_count(path) >= 2 + len(DAYS) + len(MODULES), part
            assert_contains(path, [WORKSHOP, lo(kind), lo("Contents"), *plan_titles])
            assert_lao_inside_margin(path, "pack.css", at_least=50)
            assert_no_dotted_circle(path)
        assert_contains(
            packs["trainers"], [f"{lo('Module %(number)s', number=4)} {titles['M04'][0]}"]
        )
        assert page_count(packs["trainers"]) > page_count(packs["participants"])

        # -- the workshop report --------------------------------------------------------------
        page.get_by_role("link", name="Workshop report").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Workshop report")
        labels = page.locator("figure.chart .chart-label").all_inner_texts()
        by_sex = page.get_by_role("figure", name="Registrations by sex")
        assert by_sex.locator(".chart-label").all_inner_texts()[:2] == ["Female", "Male"]
        report = open_pdf(
            page, page.get_by_role("link", name="PDF", exact=True).click, tmp_path / "report-en.pdf"
        )
        assert page_count(report) >= 1
        assert_contains(report, ["Workshop report", "Registrations by sex", WORKSHOP, *labels])
        assert_lao_inside_margin(report, "report.css")  # the workshop's Lao title
        assert_no_dotted_circle(report)

        # -- the coordinator prints the first day's sign-in sheet and the certificates -------
        page = coordinator
        page.get_by_role("link", name="Workshops", exact=True).click()
        page.get_by_role("link", name=ROLLOUT).click()
        page.get_by_role("link", name=WORKSHOP).click()
        sheet = open_pdf(
            page,
            page.get_by_role("link", name="Sign-in sheet (PDF)").first.click,
            tmp_path / "sign-in-day-1.pdf",
        )
        assert page_count(sheet) == 1
        assert_contains(
            sheet,
            [lo("Sign-in sheet"), WORKSHOP, *[f"{p[0]} {p[1]}" for p in PEOPLE]],
        )
        assert all(f"{p[2]} {p[3]}" in "".join(pages_text(sheet)) for p in PEOPLE)
        assert_lao_inside_margin(sheet, "sign_in.css", at_least=len(PEOPLE))
        assert_no_dotted_circle(sheet)
        page.go_back()

        certificates = page.locator("#certificates")
        certificates.get_by_role("button", name="Issue certificates").click()
        earned = len(PEOPLE) - 1
        expect(page.locator(".flash-success")).to_contain_text(
            f"{earned} certificates issued: choose the language and open the PDF."
        )
        certificates = page.locator("#certificates")
        certificates.get_by_label("Language of the certificates").select_option(
            label="Lao and English"
        )
        shot(page, tmp_path, "3-certificates")
        both = open_pdf(
            page,
            certificates.get_by_role("button", name="Open the certificates (PDF)").click,
            tmp_path / "certificates-both.pdf",
        )
        assert page_count(both) == earned
        pages = [squeeze(text) for text in pages_text(both)]
        reader = PdfReader(both)
        for n, text in enumerate(pages):
            assert len(reader.pages[n].images) == 1, f"certificate {n + 1} has no logo"
            assert squeeze("Certificate of participation") in text
            assert squeeze("ໃບຢັ້ງຢືນການເຂົ້າຮ່ວມ") in text
        for person in PEOPLE:
            lao_name, latin = (
                squeeze(f"{person[0]} {person[1]}"),
                squeeze(f"{person[2]} {person[3]}"),
            )
            holders = [n + 1 for n, text in enumerate(pages) if lao_name in text and latin in text]
            assert len(holders) == (0 if person is ABSENT else 1), f"{person[2]}: {holders}"
        assert not any(squeeze(ABSENT[0]) in text or ABSENT[3] in text for text in pages)
        assert_contains(both, [WORKSHOP] + [part for s in SIGNATORIES for part in s])
        assert_lao_inside_margin(both, "certificate.css", at_least=earned * 4)
        assert_no_dotted_circle(both)
    finally:
        viewer.context.close()
        coordinator.context.close()
