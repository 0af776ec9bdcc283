"""A fictitious Core Training Group for demonstrations and trying things out.

Every name here is made up. Trainers come from the seven CTG institutions;
their training records follow the 2007-2008 programme, the two 2009 ToT
workshops and, for the eleven still active, the Lesson Plan Development
workshops (DOMAIN.md).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Attendance,
    Institution,
    LessonPlan,
    Module,
    Participant,
    Province,
    Qualification,
    Registration,
    Rollout,
    Trainer,
    TrainingRecord,
    Unavailability,
    User,
)
from ..permissions import SYSTEM
from ..services import lessons, workshops
from ..services.participants import search_key
from ..vocabulary import PlanKind, PlanStatus, SessionKind, Sex
from .reference import seed_reference

DEMO_DOMAIN = "ctg-demo.example"

# given (Lao, Latin), family (Lao, Latin), sex, institution, base province, position, active
TRAINERS = [
    (
        "ບຸນມີ",
        "Bounmy",
        "ພົມມະຈັນ",
        "Phommachanh",
        "male",
        "PSC",
        "LA-VT",
        "Judge, Criminal Chamber",
        True,
    ),
    ("ມະນີວອນ", "Manivone", "ສີຫາລາດ", "Sihalath", "female", "PSC", "LA-VT", "Judge", True),
    (
        "ທອງສະຫວັນ",
        "Thongsavanh",
        "ແສງອາລຸນ",
        "Sengaloun",
        "male",
        "PSC",
        "LA-CH",
        "Judge, Provincial Court",
        False,
    ),
    ("ສຸດາລັດ", "Soudalath", "ວົງສະຫວັນ", "Vongsavanh", "female", "PSC", "LA-VT", "Court clerk", False),
    ("ສົມພອນ", "Somphone", "ຈັນທະວົງ", "Chanthavong", "male", "OSPP", "LA-VT", "Prosecutor", True),
    (
        "ຄຳຫຼ້າ",
        "Khamla",
        "ໄຊຍະວົງ",
        "Xayavong",
        "female",
        "OSPP",
        "LA-VT",
        "Deputy Director, Criminal Cases",
        True,
    ),
    ("ວັນໄຊ", "Vanxay", "ພົມມະວົງ", "Phommavong", "male", "OSPP", "LA-SV", "Prosecutor", False),
    ("ວິໄລພອນ", "Vilayphone", "ອິນທະວົງ", "Inthavong", "female", "OSPP", "LA-LP", "Prosecutor", False),
    (
        "ສີສະຫວາດ",
        "Sisavath",
        "ສຸວັນນະລາດ",
        "Souvannalath",
        "male",
        "MPS",
        "LA-VT",
        "Police Major, Anti-Trafficking Division",
        True,
    ),
    (
        "ພູວົງ",
        "Phouvong",
        "ດວງມະນີ",
        "Douangmany",
        "male",
        "MPS",
        "LA-VT",
        "Police Captain, Investigation",
        True,
    ),
    (
        "ແສງເດືອນ",
        "Sengdeuane",
        "ແກ້ວວົງສາ",
        "Keovongsa",
        "female",
        "MPS",
        "LA-VT",
        "Police Lieutenant, Victim Support",
        True,
    ),
    (
        "ໄຊຍະສິດ",
        "Xayasith",
        "ລັດຕະນະ",
        "Lattana",
        "male",
        "MPS",
        "LA-CH",
        "Police Major, Border Police",
        False,
    ),
    ("ແກ້ວມະນີ", "Keomany", "ສີສຸວັນ", "Sisouvanh", "other", "MPS", "LA-BK", "Police Lieutenant", False),
    (
        "ນິດຕະຍາ",
        "Nittaya",
        "ບຸບຜາ",
        "Boupha",
        "female",
        "MOJ",
        "LA-VT",
        "Legal officer, Department of Legislation",
        True,
    ),
    (
        "ບຸນເລີດ",
        "Bounleut",
        "ຄຳມະນີ",
        "Khammany",
        "male",
        "MOJ",
        "LA-VT",
        "Director, Training Division",
        True,
    ),
    (
        "ພອນສະຫວັນ",
        "Phonsavanh",
        "ສິດທິລາດ",
        "Sitthilath",
        "female",
        "MOJ",
        "LA-XI",
        "Legal officer",
        False,
    ),
    (
        "ສຸລິຍາ",
        "Souliya",
        "ພັນທະວົງ",
        "Phanthavong",
        "male",
        "MOJ",
        "LA-HO",
        "Provincial Justice Department",
        False,
    ),
    (
        "ດາລາວັນ",
        "Dalavanh",
        "ມະໂນລາດ",
        "Manolath",
        "female",
        "MOFA",
        "LA-VT",
        "Treaty and Law Department",
        True,
    ),
    (
        "ຄຳພັນ",
        "Khamphanh",
        "ທຳມະວົງ",
        "Thammavong",
        "male",
        "MOFA",
        "LA-VT",
        "Consular Department",
        False,
    ),
    ("ອານຸສອນ", "Anousone", "ນັນທະວົງ", "Nanthavong", "male", "LBA", "LA-VT", "Lawyer", True),
    ("ອາລຸນີ", "Alouny", "ຈະເລີນສຸກ", "Chaleunsouk", "female", "LBA", "LA-VT", "Lawyer", False),
    ("ວິລະພົງ", "Viraphong", "ອຸດົມສິນ", "Oudomsin", "male", "LBA", "LA-VI", "Lawyer", False),
    (
        "ຈັນທະລາ",
        "Chanthala",
        "ສຸລິວົງ",
        "Soulivong",
        "female",
        "FLP",
        "LA-VT",
        "Lecturer in Criminal Law",
        False,
    ),
    (
        "ສີດາ",
        "Sida",
        "ພິລາວັນ",
        "Philavanh",
        "female",
        "FLP",
        "LA-VT",
        "Lecturer in International Law",
        False,
    ),
    ("ບົວສີ", "Bouasy", "ເພັດສະໝອນ", "Phetsamone", "male", "FLP", "LA-VT", "Dean's office", False),
]

PROGRAMME = [
    (
        "The TOC and the Trafficking in Persons Protocol",
        "training_course",
        (2007, 6, 11),
        (2007, 6, 14),
    ),
    (
        "Investigating and prosecuting trafficking cases",
        "training_course",
        (2007, 10, 8),
        (2007, 10, 12),
    ),
    (
        "Victim identification and special measures for children",
        "training_course",
        (2008, 2, 18),
        (2008, 2, 21),
    ),
    ("Protecting and supporting victims", "training_course", (2008, 6, 9), (2008, 6, 12)),
    (
        "International cooperation in trafficking cases",
        "training_course",
        (2008, 10, 20),
        (2008, 10, 23),
    ),
    ("ToT workshop 1: lesson plan development", "tot_workshop", (2009, 2, 9), (2009, 2, 13)),
    ("ToT workshop 2: practical teaching methods", "tot_workshop", (2009, 3, 16), (2009, 3, 20)),
]
LESSON_PLAN_WORKSHOPS = [
    ("Lesson Plan Development Workshop 1", "lesson_plan_workshop", (2009, 5, 4), (2009, 5, 6)),
    ("Lesson Plan Development Workshop 2", "lesson_plan_workshop", (2009, 7, 6), (2009, 7, 8)),
]
ORGANISER = "CTG secretariat with UNODC"


def demo_email(given_latin: str, family_latin: str) -> str:
    return f"{given_latin.lower()}.{family_latin[:1].lower()}@{DEMO_DOMAIN}"


def seed_demo(db: Session, today: dt.date | None = None) -> int:
    """Add the demo trainers that are missing (matched by email); return how many were added."""
    today = today or dt.date.today()
    seed_reference(db)
    institutions = {i.short_name: i for i in db.scalars(select(Institution))}
    provinces = {p.code: p for p in db.scalars(select(Province))}
    existing = set(db.scalars(select(Trainer.email)))
    added = 0
    for n, row in enumerate(TRAINERS):
        given_lo, given, family_lo, family, sex, inst, prov, position, active = row
        email = demo_email(given, family)
        if email in existing:
            continue
        trainer = Trainer(
            given_name_lo=given_lo,
            family_name_lo=family_lo,
            given_name_latin=given,
            family_name_latin=family,
            sex=sex,
            institution=institutions[inst],
            base_province=provinces[prov],
            position=position,
            phone=f"+856 20 5{n:02d}{(n * 37) % 100:02d} {(n * 53) % 1000:03d}",
            email=email,
            languages=["lo", "en"] if n % 3 else ["lo", "en", "th"],
            status="active" if active else "inactive",
            joined_on=dt.date(2007, 5, 21),
            notes="",
        )
        # Everyone followed most of the programme; a few missed a course.
        for i, (title, kind, start, end) in enumerate(PROGRAMME):
            if (n + i) % 9 == 4:
                continue
            trainer.training_records.append(
                TrainingRecord(
                    title=title,
                    kind=kind,
                    start_date=dt.date(*start),
                    end_date=dt.date(*end),
                    organiser=ORGANISER,
                )
            )
        if active:
            for title, kind, start, end in LESSON_PLAN_WORKSHOPS:
                trainer.training_records.append(
                    TrainingRecord(
                        title=title,
                        kind=kind,
                        start_date=dt.date(*start),
                        end_date=dt.date(*end),
                        organiser=ORGANISER,
                    )
                )
        if active and n % 4 == 1:
            away = today + dt.timedelta(days=14 + 3 * n)
            trainer.unavailabilities.append(
                Unavailability(
                    start_date=away, end_date=away + dt.timedelta(days=4), reason="Annual leave"
                )
            )
        if active and n % 5 == 0:
            away = today + dt.timedelta(days=30 + n)
            trainer.unavailabilities.append(
                Unavailability(
                    start_date=away, end_date=away + dt.timedelta(days=2), reason="Court hearings"
                )
            )
        db.add(trainer)
        added += 1
    db.flush()
    return added


# Who may teach what, by trainer (index in TRAINERS) and module: judges lead the legal
# modules, prosecutors investigation and related crimes, police identification, the foreign
# ministry cooperation, the bar association victims' rights.
_LEAD, _MASTER, _CO = "lead", "master", "co_trainer"
QUALIFICATIONS = {
    0: {"M01": _LEAD, "M02": _MASTER, "M03": _MASTER, "M05": _LEAD, "M06": _LEAD, "M09": _LEAD},
    1: {"M01": _LEAD, "M02": _LEAD, "M03": _LEAD, "M05": _LEAD, "M06": _LEAD, "M10": _CO},
    2: {"M01": _CO},
    3: {"M03": _CO},
    4: {"M01": _LEAD, "M02": _LEAD, "M03": _LEAD, "M07": _MASTER, "M08": _LEAD, "M09": _MASTER},
    5: {"M02": _LEAD, "M03": _LEAD, "M04": _CO, "M07": _LEAD, "M08": _LEAD, "M09": _LEAD},
    8: {"M01": _LEAD, "M04": _MASTER, "M07": _LEAD, "M08": _LEAD, "M10": _CO},
    9: {"M04": _LEAD, "M05": _LEAD, "M07": _LEAD},
    10: {"M01": _CO, "M04": _LEAD, "M06": _LEAD, "M07": _LEAD},
    13: {"M03": _MASTER, "M05": _CO, "M08": _LEAD, "M10": _LEAD},
    14: {"M02": _LEAD, "M03": _LEAD, "M05": _CO},
    17: {"M02": _LEAD, "M05": _CO, "M08": _MASTER},
    19: {"M03": _CO, "M04": _LEAD, "M05": _LEAD, "M06": _LEAD, "M09": _LEAD},
}
QUALIFIED_ON = {
    _CO: dt.date(2009, 3, 20),
    _LEAD: dt.date(2009, 6, 15),
    _MASTER: dt.date(2009, 12, 10),
}
GRANTED_BY = "CTG programme board"


def seed_qualifications(db: Session) -> int:
    """Qualify the demo trainers for the modules they taught in 2009 (missing ones only)."""
    modules = {m.code: m for m in db.scalars(select(Module))}
    added = 0
    for index, levels in QUALIFICATIONS.items():
        given_lo, given, family_lo, family, *_rest = TRAINERS[index]
        trainer = db.scalar(select(Trainer).where(Trainer.email == demo_email(given, family)))
        if trainer is None:
            continue
        held = {q.module_id for q in trainer.qualifications}
        for code, level in levels.items():
            module = modules.get(code)
            if module is None or module.id in held:
                continue
            trainer.qualifications.append(
                Qualification(
                    module=module, level=level, since=QUALIFIED_ON[level], granted_by=GRANTED_BY
                )
            )
            added += 1
    db.flush()
    return added


def seed_demo_lessons(db: Session) -> int:
    """Two lesson plans of the demo trainer: a fork of the shipped M04 plan waiting for
    review (coordinators see it on their dashboard) and a refresher still in draft."""
    email = demo_email(TRAINERS[0][1], TRAINERS[0][3])
    author = db.scalar(select(User).where(User.email == email))
    source = db.scalar(
        select(LessonPlan).where(
            LessonPlan.key == "m04-en-indicators-first-contact-90",
            LessonPlan.status == PlanStatus.APPROVED,
        )
    )
    if author is None or source is None:
        return 0
    if db.scalar(select(LessonPlan.id).where(LessonPlan.owner_id == author.id).limit(1)):
        return 0
    fork = lessons.fork_plan(db, author, source.id)
    data = lessons.plan_data(fork)
    data["title"] = "First contact with returnees at the Vang Tao border checkpoint"
    data["audience"] = "Border police and social workers of Champasack Province; 25 participants."
    lessons.save_plan(db, author, fork.id, data, fork.lock_version)
    lessons.change_status(db, author, fork.id, "submit")
    template = next((t for t in lessons.list_templates(db) if t.duration_minutes == 20), None)
    if template is not None:
        lessons.create_plan(
            db,
            author,
            module_code="M04",
            language="en",
            start="template",
            template_id=template.id,
            title="Day 2 refresher: indicators",
        )
    db.flush()
    return 2


# The 2009 provincial workshops replayed in Lao: (province, first day, team by TRAINERS index).
ROLLOUT_2009 = "2009 pilot provincial rollout"
WORKSHOPS_2009 = [
    ("LA-CH", dt.date(2009, 6, 9), (0, 8, 19)),
    ("LA-VI", dt.date(2009, 7, 14), (4, 10, 19)),
    ("LA-XI", dt.date(2009, 8, 18), (1, 5, 9)),
    ("LA-HO", dt.date(2009, 9, 22), (13, 14, 19)),
    ("LA-BK", dt.date(2009, 10, 27), (0, 5, 10)),
]
TOPICS_2009 = ("M03", "M02", "M04", "M05", "M06", "M08", "M09")
ROLLOUT_2010 = "2010 rollout (in planning)"


def _demo_trainer(db: Session, index: int) -> Trainer | None:
    given_lo, given, family_lo, family, *_rest = TRAINERS[index]
    return db.scalar(select(Trainer).where(Trainer.email == demo_email(given, family)))


def _lao_plans(db: Session, codes) -> list:

    plans = []
    for code in codes:
        plan = db.scalar(
            select(LessonPlan)
            .join(Module, Module.id == LessonPlan.module_id)
            .where(
                Module.code == code,
                LessonPlan.language == "lo",
                LessonPlan.status == PlanStatus.APPROVED,
                LessonPlan.kind == PlanKind.PLAN,
            )
            .order_by(LessonPlan.version.desc())
            .limit(1)
        )
        if plan is not None:
            plans.append(plan)
    return plans


def _staff_sessions(db: Session, workshop, team: list[Trainer]) -> None:
    """Give each session up to two team members qualified for its module."""
    qualified = set(
        db.execute(
            select(Qualification.trainer_id, Qualification.module_id).where(
                Qualification.trainer_id.in_([t.id for t in team])
            )
        ).all()
    )
    for ws in workshop.sessions:
        if ws.kind != SessionKind.SESSION:
            continue
        chosen = [t.id for t in team if (t.id, ws.module_id) in qualified][:2]
        workshops.set_session_trainers(db, SYSTEM, ws.id, chosen)


def seed_demo_rollouts(db: Session) -> int:
    """The 2009 rollout (five delivered workshops in Lao) and a 2010 rollout in planning with
    a deliberate conflict; returns how many workshops were added."""
    if db.scalar(select(Rollout.id).where(Rollout.name == ROLLOUT_2009)):
        return 0
    plans = _lao_plans(db, TOPICS_2009)
    wanted = {i for _p, _d, team in WORKSHOPS_2009 for i in team}
    known = {i: t for i in wanted if (t := _demo_trainer(db, i)) is not None}
    if len(plans) < len(TOPICS_2009) or len(known) < len(wanted):
        return 0
    rollout = workshops.create_rollout(
        db,
        SYSTEM,
        {
            "name": ROLLOUT_2009,
            "name_lo": "ການຝຶກອົບຮົມຂັ້ນແຂວງ ທົດລອງ ປີ 2009",
            "start_date": dt.date(2009, 6, 1),
            "end_date": dt.date(2009, 11, 30),
            "partner": "ຄູ່ຮ່ວມງານຂອງແຜນງານ CTG",
            "goal": "ນຳຫົວຂໍ້ທັງຫົກຂອງປີ 2009 ໄປສອນຢູ່ຫ້າແຂວງ, ແຂວງລະປະມານ 30 ຄົນ.",
            "modules": list(TOPICS_2009),
            "provinces": [p for p, _d, _t in WORKSHOPS_2009],
        },
    )
    added = 0
    provinces = {p.code: p for p in db.scalars(select(Province))}
    for code, start, team_indexes in WORKSHOPS_2009:
        workshop = workshops.create_workshop(
            db,
            SYSTEM,
            {
                "rollout": rollout.id,
                "title": f"Provincial workshop on human trafficking, {provinces[code].name_en}",
                "title_lo": f"ກອງປະຊຸມຂັ້ນແຂວງ ກ່ຽວກັບການຄ້າມະນຸດ, {provinces[code].name_lo}",
                "province": code,
                "venue": "ຫ້ອງປະຊຸມ ສານປະຊາຊົນແຂວງ",
                "start_date": start,
                "end_date": start + dt.timedelta(days=2),
                "language": "lo",
                "target_participants": 30,
            },
        )
        workshops.lay_out_agenda(db, SYSTEM, workshop.id, [p.id for p in plans])
        team = [known[i] for i in team_indexes]
        for role, trainer in zip(("lead", "co_trainer", "co_trainer"), team, strict=True):
            workshops.assign_trainer(db, SYSTEM, workshop.id, trainer.id, role)
        for assignment in workshop.assignments:
            assignment.response = "accepted"
        _staff_sessions(db, workshop, team)
        reason = "ທີມດຽວກັບທີ່ໄດ້ສອນໃນປີ 2009."
        workshops.change_status(db, SYSTEM, workshop.id, "confirmed", reason)
        workshops.change_status(db, SYSTEM, workshop.id, "delivered")
        for ws in workshop.sessions:
            if ws.kind == SessionKind.SESSION:
                workshops.record_delivery(db, SYSTEM, ws.id, "as_planned")
        added += 1

    planning = workshops.create_rollout(
        db,
        SYSTEM,
        {
            "name": ROLLOUT_2010,
            "name_lo": "ແຜນການຝຶກອົບຮົມ ປີ 2010 (ກຳລັງວາງແຜນ)",
            "start_date": dt.date(2010, 3, 1),
            "end_date": dt.date(2010, 6, 30),
            "modules": ["M04", "M05", "M06"],
            "provinces": ["LA-LP", "LA-SV"],
        },
    )
    shared = known[19]  # on three of the 2009 teams
    for code, start in (("LA-LP", dt.date(2010, 3, 9)), ("LA-SV", dt.date(2010, 3, 9))):
        workshop = workshops.create_workshop(
            db,
            SYSTEM,
            {
                "rollout": planning.id,
                "title": f"Victims and children, {provinces[code].name_en}",
                "title_lo": f"ຜູ້ເຄາະຮ້າຍ ແລະ ເດັກ, {provinces[code].name_lo}",
                "province": code,
                "start_date": start,
                "end_date": start + dt.timedelta(days=1),
                "language": "lo",
            },
        )
        workshops.lay_out_agenda(
            db, SYSTEM, workshop.id, [p.id for p in _lao_plans(db, ("M04", "M05", "M06"))]
        )
        # The same trainer in both provinces on 9 March: the check shows the conflict.
        _staff_sessions(db, workshop, [shared])
        added += 1
    db.flush()
    return added


# -- participants of the 2009 workshops --------------------------------------------------------

GIVEN_FEMALE = [
    ("ນ້ອຍ", "Noy"), ("ແສງຈັນ", "Sengchanh"), ("ບົວພັນ", "Bouaphanh"), ("ມະລີ", "Maly"),
    ("ຄຳແພງ", "Khamphaeng"), ("ວັນນາ", "Vanna"), ("ສີດາ", "Sida"), ("ພອນສະຫວັນ", "Phonsavanh"),
    ("ດາວເຮືອງ", "Daoheuang"), ("ຈັນທະລີ", "Chanthaly"), ("ອາລີ", "Aly"), ("ຄຳມະນີ", "Khammany"),
]  # fmt: skip
GIVEN_MALE = [
    ("ສົມສັກ", "Somsak"), ("ບຸນທອງ", "Bounthong"), ("ຄຳພອນ", "Khamphone"), ("ວິໄລ", "Vilay"),
    ("ສຸກສະຫວັນ", "Souksavanh"), ("ທອງດີ", "Thongdy"), ("ພູວົງ", "Phouvong"),
    ("ສີສະຫວາດ", "Sisavath"), ("ສົມບັດ", "Sombath"), ("ແກ້ວ", "Keo"), ("ບຸນເລີດ", "Bounleuth"),
    ("ໄພວັນ", "Phayvanh"),
]  # fmt: skip
FAMILIES = [
    ("ແກ້ວມະນີ", "Keomany"), ("ສີສຸກ", "Sisouk"), ("ວົງສາ", "Vongsa"), ("ພົມມະວົງ", "Phommavong"),
    ("ຈັນທະລາ", "Chanthala"), ("ສຸລິຍະ", "Souliya"), ("ໄຊຍະສານ", "Xayasane"),
    ("ອິນທະວົງ", "Inthavong"), ("ລາດສະວົງ", "Latsavong"), ("ບຸບຜາ", "Boupha"),
    ("ສີວິໄລ", "Sivilay"), ("ດວງມາລາ", "Douangmala"), ("ແສງສຸລິນ", "Sengsoulin"),
    ("ພັນທະວົງ", "Phanthavong"),
]  # fmt: skip
# Institution short name, positions, weight: provincial police and prosecutors first.
PARTICIPANT_INSTITUTIONS = [
    ("MPS", ("Police officer", "Police captain", "Investigator", "Border police officer"), 9),
    ("OSPP", ("Prosecutor", "Deputy prosecutor"), 6),
    ("PSC", ("Judge", "Court clerk"), 5),
    ("MOJ", ("Justice officer",), 3),
    ("MOLSW", ("Social welfare officer",), 3),
    ("LWU", ("Women's Union officer",), 3),
    ("LBA", ("Lawyer",), 1),
]
FEEDBACK_COMMENTS = [
    "The case studies were close to our daily work.",
    "More time for the referral exercise, please.",
    "We need the Lao law articles printed for every participant.",
    "Good mix of police and prosecutors in the groups.",
    "The victim interview role play was the most useful part.",
]


def seed_demo_participants(db: Session) -> int:
    """About 30 fictitious participants in each 2009 workshop, about two women in five,
    with three days of attendance, test scores and feedback; returns how many registrations
    were added (none when the 2009 workshops already have participants)."""
    rollout = db.scalar(select(Rollout).where(Rollout.name == ROLLOUT_2009))
    if rollout is None or db.scalar(
        select(Registration.id).where(
            Registration.workshop_id.in_([w.id for w in rollout.workshops])
        )
    ):
        return 0
    rng = random.Random(2009)
    institutions = {i.short_name: i for i in db.scalars(select(Institution))}
    weighted = [row for row in PARTICIPANT_INSTITUTIONS for _ in range(row[2])]
    rollout.signatories = (
        "ບຸນມີ ພົມມະຈັນ | ປະທານ ກຸ່ມຄູຝຶກຫຼັກ\nສົມພອນ ຈັນທະວົງ | ຮອງຫົວໜ້າ ອົງການໄອຍະການປະຊາຊົນສູງສຸດ"
    )
    added = 0
    seen: set[tuple[str, str]] = set()
    for workshop in rollout.workshops:
        days = [
            workshop.start_date + dt.timedelta(days=i)
            for i in range((workshop.end_date - workshop.start_date).days + 1)
        ]
        for n in range(rng.randint(28, 32)):
            sex = Sex.FEMALE if rng.random() < 0.42 else Sex.MALE
            if n == 7 and workshop.province.code == "LA-HO":
                sex = Sex.NOT_RECORDED  # a sign-in sheet where the box was left empty
            while True:
                given = rng.choice(GIVEN_FEMALE if sex == Sex.FEMALE else GIVEN_MALE)
                if sex == Sex.NOT_RECORDED:
                    given = rng.choice(GIVEN_MALE)
                family = rng.choice(FAMILIES)
                if (given[1], family[1]) not in seen:
                    seen.add((given[1], family[1]))
                    break
            short, positions, _w = rng.choice(weighted)
            values = {
                "given_name_lo": given[0],
                "given_name_latin": given[1],
                "family_name_lo": family[0],
                "family_name_latin": family[1],
                "phone": f"020 5{rng.randint(0, 999):03d} {rng.randint(0, 9999):04d}",
                "email": "",
            }
            person = Participant(
                **values,
                sex=sex,
                birth_year=rng.randint(1962, 1986),
                institution=institutions.get(short),
                position=rng.choice(positions),
                province=workshop.province,
                search_key=search_key(values),
            )
            present = [True] * len(days)
            if rng.random() < 0.12:
                present[rng.randrange(len(days))] = False
            pre = Decimal(rng.randint(30, 65))
            reg = Registration(
                workshop=workshop,
                participant=person,
                status="attended",
                pre_score=pre,
                post_score=min(Decimal(100), pre + rng.randint(5, 35)),
                feedback_rating=rng.choice((3, 4, 4, 5, 5)),
                feedback_topic=rng.choice(("M01", "M04", "M05", "M07")),
                feedback_comment=rng.choice(FEEDBACK_COMMENTS) if rng.random() < 0.2 else "",
            )
            reg.attendance = [
                Attendance(day=d, present=p) for d, p in zip(days, present, strict=True)
            ]
            db.add(reg)
            added += 1
    db.flush()
    return added
