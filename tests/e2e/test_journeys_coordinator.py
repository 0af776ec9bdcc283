"""A coordinator's journey on a fresh database, in the Lao interface: a rollout with two
certificate signatories and a logo, a workshop laid out from approved lesson plans, staffed,
checked and confirmed; participants imported, attendance taken (one person misses a day),
the workshop delivered, certificates issued and printed in Lao, the report and its PDF."""

from __future__ import annotations

import datetime as dt
import io
import re

from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.journeys import (
    assert_contains,
    assert_lao_inside_margin,
    assert_no_dotted_circle,
    lines_of,
    lo,
    lo_n,
    open_pdf,
    page_count,
    pages_text,
    plan_option,
    shipped_plan,
    shot,
    sign_in,
    squeeze,
)

COORDINATOR = "coordinator@ctg-demo.example"
ROLLOUT = "ແຜນການຝຶກອົບຮົມພາກເໜືອ 2011"
WORKSHOP = "ກອງປະຊຸມຝຶກອົບຮົມ ແຂວງບໍ່ແກ້ວ ກ່ຽວກັບການຕ້ານການຄ້າມະນຸດ"
START = dt.date(2011, 5, 10)  # a Tuesday; two days
DAYS = [START, START + dt.timedelta(days=1)]
SIGNATORIES = [
    ("ບຸນມີ ພົມມະຈັນ", "ປະທານກຸ່ມຄູຝຶກຫຼັກ"),
    ("ສົມພອນ ຈັນທະວົງ", "ຮອງຫົວໜ້າກົມຄະດີອາຍາ"),
]
TAUGHT = ["M02", "M03", "M04", "M05", "M06"]  # laid out from the Lao plans, in this order
NOT_TAUGHT = "M09"  # a module of the rollout this workshop leaves to another one
TEAM = [  # name, role, modules taught
    ("Manivone Sihalath", "lead", ["M03", "M05"]),
    ("Phouvong Douangmany", "co_trainer", ["M04"]),
    ("Bounmy Phommachanh", "co_trainer", ["M02", "M06"]),
]
ROLE_LABELS = {"lead": "Lead trainer", "co_trainer": "Co-trainer", "resource": "Resource person"}
REASON = "ໂມດູນ M09 ຈະສອນໃນກອງປະຊຸມຄັ້ງຕໍ່ໄປ."
PEOPLE = [  # Lao given, Lao family, Latin given, Latin family, sex, institution
    ("ນ້ອຍ", "ສີສຸກ", "Noy", "Sisouk", "ຍິງ", "LWU"),
    ("ສົມສັກ", "ວົງສາ", "Somsak", "Vongsa", "ຊາຍ", "MPS"),
    ("ມະລີ", "ອິນທະວົງ", "Maly", "Inthavong", "ຍິງ", "OSPP"),
    ("ບຸນທອງ", "ບຸບຜາ", "Bounthong", "Boupha", "ຊາຍ", "PSC"),
    ("ວັນນາ", "ລາດສະວົງ", "Vanna", "Latsavong", "ຍິງ", "MOJ"),
]
ABSENT = PEOPLE[4]  # misses the second day: no certificate
HEADINGS = "ຊື່ (ພາສາລາວ),ນາມສະກຸນ (ພາສາລາວ),ຊື່ (ອັກສອນລາຕິນ),ນາມສະກຸນ (ອັກສອນລາຕິນ),ເພດ,ອົງການ,ແຂວງ,ເບີໂທ"


def required(label: str) -> str:
    """A required field's label in the Lao interface, with its marker."""
    return f"{lo(label)} {lo('(required)')}"


def logo_png(tmp_path) -> str:
    image = Image.new("RGB", (240, 120), (31, 95, 153))
    out = io.BytesIO()
    image.save(out, "PNG")
    path = tmp_path / "ctg-logo.png"
    path.write_bytes(out.getvalue())
    return str(path)


def trainer_names_lo(app) -> dict[str, str]:
    """Each trainer's name in Latin script -> the name a Lao page shows (Lao script)."""
    from sqlalchemy import select

    from app.extensions import get_db
    from curriculum.models import Trainer

    with app.app_context():
        return {t.name_latin: t.name_lao or t.name_latin for t in get_db().scalars(select(Trainer))}


def province_lo(app, code: str) -> str:
    from sqlalchemy import select

    from app.extensions import get_db
    from curriculum.models import Province

    with app.app_context():
        return get_db().scalar(select(Province.name_lo).where(Province.code == code))


def test_coordinator_plans_delivers_and_certifies_a_workshop_in_lao(
    browser, fresh_server, tmp_path
):
    bokeo = province_lo(fresh_server["app"], "LA-BK")
    namtha = province_lo(fresh_server["app"], "LA-LM")
    lao_names = trainer_names_lo(fresh_server["app"])
    page = sign_in(browser, fresh_server, COORDINATOR, lao=True)
    try:
        # -- the rollout: modules, provinces, two signatories and a logo -----------------
        page.get_by_role("link", name=lo("Workshops"), exact=True).click()
        page.get_by_role("link", name=lo("New rollout")).click()
        page.get_by_label(required("Name"), exact=True).fill(ROLLOUT)
        page.get_by_label(required("From"), exact=True).fill("2011-05-01")
        page.get_by_label(required("To"), exact=True).fill("2011-06-30")
        provinces = page.get_by_role("group", name=lo("Target provinces"))
        provinces.get_by_label(bokeo, exact=True).check()
        provinces.get_by_label(namtha, exact=True).check()
        modules = page.get_by_role("group", name=lo("Modules to cover"))
        for code in [*TAUGHT, NOT_TAUGHT]:
            modules.get_by_label(re.compile(rf"\b{code}\b")).check()
        page.get_by_label(lo("Certificate signatories")).fill(
            "\n".join(f"{name} | {title}" for name, title in SIGNATORIES)
        )
        page.get_by_label(lo("Logo on the certificates")).set_input_files(logo_png(tmp_path))
        shot(page, tmp_path, "1-rollout-form")
        page.get_by_role("button", name=lo("Create the rollout")).click()
        expect(page.locator(".flash-success")).to_contain_text(lo("Rollout created."))
        expect(page.get_by_role("heading", level=1)).to_have_text(ROLLOUT)

        # -- a workshop of the rollout ----------------------------------------------------
        page.get_by_role("link", name=lo("Add a workshop")).click()
        expect(page.get_by_label(required("Rollout"), exact=True)).to_have_value(re.compile(r"\d+"))
        page.get_by_label(required("Title"), exact=True).fill(WORKSHOP)
        page.get_by_label(required("Province"), exact=True).select_option(label=bokeo)
        page.get_by_label(required("First day"), exact=True).fill(DAYS[0].isoformat())
        page.get_by_label(required("Last day"), exact=True).fill(DAYS[-1].isoformat())
        expect(page.get_by_label(lo("Language"), exact=True)).to_have_value("lo")
        page.get_by_role("button", name=lo("Create the workshop")).click()
        expect(page.locator(".flash-success")).to_contain_text(
            lo("Workshop created. Lay out its agenda next.")
        )
        expect(page.get_by_role("heading", level=1)).to_contain_text(WORKSHOP)
        workshop_url = page.url

        # -- the agenda from approved Lao lesson plans, one per numbered place ---------------
        places = page.get_by_role("group", name=lo("Lesson plans, in teaching order"))
        for n, code in enumerate(TAUGHT, start=1):
            places.get_by_label(lo("Place %(n)d", n=n), exact=True).select_option(
                label=plan_option(code, "lo", lao=True)
            )
        page.get_by_role("button", name=lo("Lay out"), exact=True).click()
        expect(page.locator(".flash-success")).to_contain_text(
            lo("The agenda was laid out from the lesson plans.")
        )
        teaching = page.locator("table.agenda tr.kind-session")
        sessions = teaching.count()
        assert sessions >= len(TAUGHT)
        expect(page.locator("table.agenda")).to_have_count(2)  # the plans fill both days
        # the days, the breaks and lunch read in Lao
        expect(page.locator("#agenda ~ h3")).to_have_text(
            ["ວັນອັງຄານ, 10 ພຶດສະພາ 2011", "ວັນພຸດ, 11 ພຶດສະພາ 2011"]
        )
        for kind, word in (("break", "Break"), ("lunch", "Lunch")):
            expect(page.locator(f"table.agenda tr.kind-{kind} td:nth-child(2)").first).to_have_text(
                lo(word)
            )
        codes = [hint.split(" ·")[0] for hint in teaching.locator(".hint").all_inner_texts()]
        assert list(dict.fromkeys(codes)) == TAUGHT, codes  # taught in the order chosen
        # the form, opened again, shows the agenda's plans back in their places
        page.get_by_text(lo("Lay out the agenda from lesson plans"), exact=True).click()
        for n, code in enumerate(TAUGHT, start=1):
            expect(
                places.get_by_label(lo("Place %(n)d", n=n), exact=True).locator("option:checked")
            ).to_have_text(plan_option(code, "lo", lao=True))
        # nobody teaches yet: every teaching session is an error of the check
        expect(page.locator("#problems .problem-error")).to_have_count(sessions)
        shot(page, tmp_path, "2-agenda-unstaffed")

        # -- the trainers of every plan, with their role on the team, on one page ------------
        page.get_by_role("link", name=lo("Choose the trainers of every plan")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(lo("Trainers of the agenda"))
        teacher = {code: lao_names[name] for name, _role, codes in TEAM for code in codes}
        roles = {lao_names[name]: role for name, role, _codes in TEAM}
        for code in TAUGHT:
            plan = page.get_by_role("group", name=shipped_plan(code, "lo")["title"], exact=True)
            name = teacher[code]  # trainers are named in Lao on a Lao page
            plan.get_by_label(name, exact=True).check()
            plan.get_by_label(lo("Role of %(name)s", name=name), exact=True).select_option(
                label=lo(ROLE_LABELS[roles[name]])
            )
        shot(page, tmp_path, "3-staffing")
        page.get_by_role("button", name=lo("Save the trainers")).click()
        expect(page.locator(".flash-success")).to_contain_text(
            lo("The trainers of the agenda were saved.")
        )
        expect(page).to_have_url(f"{workshop_url}#agenda")
        # every session a plan was split into is taught by the plan's trainer
        for i in range(sessions):
            row = page.locator("table.agenda tr.kind-session").nth(i)
            code = row.locator(".hint").inner_text().split(" ·")[0]
            expect(row.locator("td").nth(2)).to_contain_text(teacher[code])
        # and each of them is on the team with the role given
        team = page.locator("#team + ul > li")
        expect(team).to_have_count(len(TEAM))
        for name, role, _codes in TEAM:
            expect(team.filter(has_text=lao_names[name])).to_contain_text(lo(ROLE_LABELS[role]))

        # the check: no error left; one warning, the rollout module taught elsewhere
        problems = page.locator("#problems")
        expect(problems.locator(".problem-error")).to_have_count(0)
        expect(problems.locator(".problem-warning")).to_have_count(1)
        expect(problems).to_contain_text(
            lo("No session covers %(code)s, a module of the rollout.", code=NOT_TAUGHT)
        )
        shot(page, tmp_path, "4-staffed")

        # -- confirm: the form asks why the workshop goes ahead despite the warning ---------
        confirm = page.get_by_role("button", name=lo("Mark as %(status)s", status=lo("Confirmed")))
        confirm.click()
        expect(page.locator(".flash-error")).to_contain_text(
            lo(
                "Warnings remain: say why the workshop goes ahead as it is "
                "(the reason is kept with the workshop)."
            )
        )
        page.get_by_label(lo("Reason (required when warnings remain)")).fill(REASON)
        confirm.click()
        expect(page.locator(".flash-success")).to_contain_text(lo("Workshop status changed."))
        expect(page.locator("main .status").first).to_have_text(lo("Confirmed"))
        expect(page.locator("main")).to_contain_text(REASON)

        # the rollout's list shows the workshop's check tally
        page.get_by_role("link", name=ROLLOUT).first.click()
        expect(page.get_by_role("columnheader", name=lo("Check"))).to_be_visible()
        row = page.get_by_role("row").filter(has_text=WORKSHOP)
        expect(row.get_by_role("cell").last).to_have_text(
            lo_n("%(num)d warning", "%(num)d warnings", 1)
        )
        expect(row.get_by_role("cell").last.get_by_role("link")).to_have_attribute(
            "href", re.compile(r"/workshops/\d+#problems$")
        )
        shot(page, tmp_path, "5-rollout-tally")
        row.get_by_role("link", name=WORKSHOP).click()
        expect(page).to_have_url(workshop_url)

        # -- participants: a list with Lao and Latin names, through the import preview -------
        page.get_by_role("link", name=lo("Participants and attendance")).click()
        page.get_by_role("link", name=lo("Import a list")).click()
        csv_path = tmp_path / "bokeo.csv"
        csv_path.write_text(
            HEADINGS
            + "\n"
            + "".join(
                f"{g},{f},{gl},{fl},{sex},{inst},{bokeo},020 5555 {n:04d}\n"
                for n, (g, f, gl, fl, sex, inst) in enumerate(PEOPLE, start=1)
            ),
            encoding="utf-8",
        )
        page.get_by_label(lo("Participant list")).set_input_files(str(csv_path))
        page.get_by_role("button", name=lo("Upload and preview")).click()
        summary = re.escape(
            lo(
                "%(rows)d rows: %(errors)d with errors, %(warnings)d with warnings, "
                "%(skipped)d skipped; %(store)d will be registered.",
                rows=len(PEOPLE),
                errors=0,
                warnings=999,
                skipped=0,
                store=len(PEOPLE),
            )
        ).replace("999", r"\d+")
        expect(page.locator("main p[role=status]")).to_have_text(re.compile(summary))
        page.get_by_role("link", name=lo("Show every row")).click()
        for person in PEOPLE:
            for name in person[:4]:  # each name as typed, in its own field of the row
                expect(
                    page.locator(f'#row-{PEOPLE.index(person) + 2} input[value="{name}"]')
                ).to_have_count(1)
        shot(page, tmp_path, "6-import-preview")
        page.get_by_role("button", name=lo("Import %(n)d people", n=len(PEOPLE))).click()
        expect(page.locator(".flash-success")).to_contain_text(
            lo("%(n)d people imported and registered.", n=len(PEOPLE))
        )
        expect(page.locator("main p[role=status]")).to_have_text(
            lo(
                "%(seated)d of %(target)d seats taken; %(waiting)d on the waitlist.",
                seated=len(PEOPLE),
                target=30,
                waiting=0,
            )
        )

        # -- attendance: everyone both days, except one person on day 2 ----------------------
        page.get_by_role("link", name=lo("Attendance"), exact=True).click()
        for person in PEOPLE:
            latin = f"{person[2]} {person[3]}"
            for n, _day in enumerate(DAYS, start=1):
                if person is ABSENT and n == 2:
                    continue
                page.get_by_label(f"{latin}, {lo('Day %(n)d', n=n)}", exact=True).check()
        page.get_by_role("button", name=lo("Save attendance")).click()
        expect(page.locator(".flash-success")).to_contain_text(lo("Attendance saved."))
        absent = f"{ABSENT[2]} {ABSENT[3]}, {lo('Day %(n)d', n=2)}"
        expect(page.get_by_label(absent, exact=True)).not_to_be_checked()
        shot(page, tmp_path, "7-attendance")

        # -- delivered ------------------------------------------------------------------------
        page.get_by_role("link", name=re.compile(re.escape(WORKSHOP))).first.click()  # the list
        page.get_by_role("link", name=WORKSHOP).first.click()  # the workshop
        expect(page).to_have_url(workshop_url)
        page.get_by_role("button", name=lo("Mark as %(status)s", status=lo("Delivered"))).click()
        expect(page.locator(".flash-success")).to_contain_text(lo("Workshop status changed."))
        expect(page.locator("main .status").first).to_have_text(lo("Delivered"))

        # -- certificates: issue (a POST), choose Lao, open the PDF -------------------------
        certificates = page.locator("#certificates")
        expect(certificates.get_by_role("heading", level=2)).to_have_text(lo("Certificates"))
        certificates.get_by_role("button", name=lo("Issue certificates")).click()
        earned = len(PEOPLE) - 1
        expect(page.locator(".flash-success")).to_contain_text(
            lo_n(
                "%(num)d certificate issued: choose the language and open the PDF.",
                "%(num)d certificates issued: choose the language and open the PDF.",
                earned,
            )
        )
        certificates = page.locator("#certificates")
        certificates.get_by_label(lo("Language of the certificates")).select_option("lo")
        shot(page, tmp_path, "8-certificates")
        pdf = open_pdf(
            page,
            certificates.get_by_role("button", name=lo("Open the certificates (PDF)")).click,
            tmp_path / "certificates-lo.pdf",
        )
        assert page_count(pdf) == earned
        pages = pages_text(pdf)
        reader = PdfReader(pdf)
        for n, text in enumerate(pages):
            assert len(reader.pages[n].images) == 1, f"certificate {n + 1} has no logo"
            assert "ໃບຢັ້ງຢືນການເຂົ້າຮ່ວມ" in squeeze(text)
        for person in PEOPLE:
            lao_name = squeeze(f"{person[0]} {person[1]}")
            holders = [n + 1 for n, text in enumerate(pages) if lao_name in squeeze(text)]
            expected = 0 if person is ABSENT else 1
            assert len(holders) == expected, f"{person[2]} {person[3]} on pages {holders}"
        assert not any(ABSENT[2] in text or ABSENT[3] in text for text in pages)
        assert not any("Noy" in text for text in pages)  # a Lao certificate: names in Lao
        assert_contains(
            pdf,
            [WORKSHOP, bokeo, "ກຸ່ມຄູຝຶກຫຼັກ"] + [part for s in SIGNATORIES for part in s],
        )
        assert_lao_inside_margin(pdf, "certificate.css", at_least=earned * 4)
        assert_no_dotted_circle(pdf)

        # -- the workshop report and its PDF ---------------------------------------------------
        page.go_back()
        page.get_by_role("link", name=lo("Workshop report")).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(lo("Workshop report"))
        by_sex = page.get_by_role("figure", name=lo("Registrations by sex"))
        expect(by_sex).to_be_visible()
        sex_labels = by_sex.locator(".chart-label").all_inner_texts()
        assert lo("Female") in sex_labels and lo("Male") in sex_labels, sex_labels
        expect(
            by_sex.locator("tr").filter(has_text=lo("Female")).locator(".chart-value")
        ).to_have_text("3 (60.0%)")
        charts = []
        for figure in page.locator("figure.chart").all():
            caption = figure.locator("figcaption").inner_text()
            rows = [
                (row.locator(".chart-label").inner_text(), row.locator(".chart-value").inner_text())
                for row in figure.locator("tr").all()
                if row.locator(".chart-label").count()
            ]
            charts.append((caption, rows))
        assert len(charts) >= 3, charts
        shot(page, tmp_path, "9-report")
        report = open_pdf(
            page,
            page.get_by_role("link", name=lo("PDF"), exact=True).click,
            tmp_path / "report-lo.pdf",
        )
        assert page_count(report) >= 1
        assert_contains(report, [lo("Workshop report"), lo("By sex"), WORKSHOP])
        lines = lines_of(report)
        for caption, rows in charts:
            assert squeeze(caption) in lines, f"chart “{caption}” not in the PDF"
            for label, value in rows:
                # each label reads back exactly as the page shows it, on one line with its value
                assert squeeze(label) + squeeze(value) in lines, (
                    f"chart “{caption}”: “{label}” {value} not in the PDF"
                )
        assert_lao_inside_margin(report, "report.css")
        assert_no_dotted_circle(report)

        # everything a person reads is in their language: in the Lao interface the chart of
        # registrations by province names the province in Lao, as the rest of the page does
        by_province = dict(charts)[lo("Registrations by province")]
        assert [label for label, _value in by_province] == [bokeo], by_province
    finally:
        page.context.close()
