"""The sign-in sheet read back: every registered name printed, Lao names inside their column
and the page's printed area (the sheet's reading is tested in test_scanning)."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader

from curriculum.documents.render import Settings
from curriculum.documents.sheets import SIGN_IN_COLUMNS, render_sign_in_sheet
from curriculum.errors import NotFound
from curriculum.lao import is_lao
from curriculum.models import Participant, Registration
from curriculum.permissions import SYSTEM
from curriculum.services import workshops
from tests.pdf import TRANSLATIONS, squeeze, text_lines

START = dt.date(2027, 3, 2)
RIGHT = 595.28 - 7 / 25.4 * 72  # the corner markers' edge
PT = 72 / 25.4
LAO_GIVEN = ["ບຸນມີ", "ສົມພອນ", "ຄຳຫຼ້າ", "ນ້ອຍ", "ວິໄລວັນ", "ພອນສະຫວັນ", "ສຸລິຍາ", "ແສງເດືອນ"]
LAO_FAMILY = ["ພົມມະຈັນ", "ສີສຸວັນ", "ແກ້ວມະນີວົງ", "ຈັນທະວົງ", "ສຸວັນນະລາດ", "ອິນທະວົງສາຄອນ"]


@pytest.fixture
def workshop(db):
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": START, "end_date": START}
    )
    w = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Bokeo",
            "province": "LA-BK",
            "start_date": START,
            "end_date": START + dt.timedelta(days=2),
        },
    )
    for n in range(32):
        person = Participant(
            given_name_lo=LAO_GIVEN[n % len(LAO_GIVEN)],
            family_name_lo=LAO_FAMILY[n % len(LAO_FAMILY)] + ("ສີຫາລາດ" * (n % 3)),
            given_name_latin=f"Person{n}",
            family_name_latin=f"Family{n}",
            sex="female" if n % 2 else "male",
        )
        status = "cancelled" if n == 31 else "registered"
        db.add(Registration(workshop=w, participant=person, status=status))
    db.flush()
    return w


def test_every_registered_name_is_printed_with_lao_inside_the_margins(db, workshop, document_cache):
    settings = Settings(document_cache, TRANSLATIONS)
    document = render_sign_in_sheet(db, settings, workshop, START + dt.timedelta(days=1), "lo")
    reader = PdfReader(document.path)
    text = squeeze("".join(p.extract_text() for p in reader.pages))
    for n in range(31):
        assert f"Person{n}Family{n}" in text
    assert "Person31" not in text  # cancelled
    assert squeeze("ບຸນມີ") in text
    assert squeeze("ວັນພຸດ, 3 ມີນາ 2027") in text and len(reader.pages) >= 2
    lao_lines = 0
    names = {squeeze(r.participant.name_lao) for r in workshop_rows(db, workshop)}
    lao_column_end = sum(dict((k, (x, w)) for k, x, w in SIGN_IN_COLUMNS)["lao"]) * PT
    for lines in text_lines(document.path):
        for x_max, line in lines:
            if any(is_lao(ch) for ch in line):
                assert x_max <= RIGHT + 1, f"runs past the margin: {line[:30]}"
                lao_lines += 1
                if any(squeeze(line) in name for name in names):  # a name, or part of one
                    assert x_max <= lao_column_end + 1, f"runs out of its column: {line[:30]}"
    assert lao_lines >= 31


def workshop_rows(db, workshop):
    return db.query(Registration).filter_by(workshop_id=workshop.id, status="registered").all()


def test_a_day_outside_the_workshop_is_refused(db, workshop, document_cache):
    settings = Settings(document_cache, TRANSLATIONS)
    with pytest.raises(NotFound):
        render_sign_in_sheet(db, settings, workshop, START - dt.timedelta(days=1))
