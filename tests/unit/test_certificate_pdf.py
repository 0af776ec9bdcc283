"""Certificates rendered for real and read back: one landscape A4 page each in every
language mode, the rollout's logo on every page, signature lines at one height, names in
the certificate's script."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from curriculum.documents.certificates import render_certificates
from curriculum.documents.render import Settings
from curriculum.models import (
    Assignment,
    Attendance,
    Module,
    Participant,
    Registration,
    Rollout,
    Workshop,
    WorkshopSession,
)
from curriculum.permissions import SYSTEM
from curriculum.services import certificates
from tests.conftest import make_trainer, province
from tests.pdf import TRANSLATIONS, XHTML, squeeze

START = dt.date(2027, 3, 2)
DAYS = [START + dt.timedelta(days=i) for i in range(3)]
A4_LANDSCAPE = (841.89, 595.28)
SIGNATORIES = (
    "Khamphone Sisouk | Director, CTG secretariat\n"
    "Bouasone Vongsa | Vice-President of the People's Supreme Court and chair of the "
    "programme board"
)


def logo_png() -> bytes:
    image = Image.new("RGB", (240, 120), (31, 95, 153))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def workshop(db):
    """26 participants over three days; one of them missed a day and earns nothing.
    The sessions cover all ten modules, the longest text a certificate carries."""
    rollout = Rollout(
        name="2027 rollout",
        start_date=START,
        end_date=START + dt.timedelta(days=60),
        signatories=SIGNATORIES,
        logo=logo_png(),
        logo_type="image/png",
    )
    w = Workshop(
        rollout=rollout,
        title="Provincial workshop on trafficking in persons",
        province=province(db, "LA-BK"),
        start_date=DAYS[0],
        end_date=DAYS[-1],
        status="delivered",
    )
    db.add(w)
    for i, m in enumerate(db.scalars(select(Module).order_by(Module.code))):
        day, hour = DAYS[i // 4], 8 + 2 * (i % 4)
        db.add(
            WorkshopSession(
                workshop=w,
                day=day,
                start_time=dt.time(hour),
                end_time=dt.time(hour + 1),
                title=m.title_en,
                module=m,
            )
        )
    for sex in ("female", "male", "male"):
        db.add(Assignment(workshop=w, trainer=make_trainer(db, sex=sex), role="co_trainer"))
    for n in range(26):
        reg = Registration(
            workshop=w,
            participant=Participant(
                given_name_latin=f"Given{n:02d}",
                family_name_latin=f"Family{n:02d}",
                given_name_lo="ບຸນມີ",
                family_name_lo=f"ສີສຸກ{'ກ' * (n % 3)}",
                sex="female" if n % 2 else "male",
            ),
            status="attended",
        )
        reg.attendance = [Attendance(day=d, present=not (n == 7 and d == DAYS[1])) for d in DAYS]
        db.add(reg)
    db.flush()
    return w


def words(path) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words with their boxes (xMin, yMin, xMax, yMax), from pdftotext -bbox."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    return [
        [
            (
                w.text or "",
                float(w.get("xMin")),
                float(w.get("yMin")),
                float(w.get("xMax")),
                float(w.get("yMax")),
            )
            for w in page.iter(f"{XHTML}word")
        ]
        for page in root.iter(f"{XHTML}page")
    ]


@pytest.mark.parametrize("mode", ["en", "lo", "both"])
def test_one_landscape_page_per_certificate_earned_with_logo_and_level_signatures(
    db, workshop, document_cache, mode
):
    issued = certificates.issue_certificates(db, SYSTEM, workshop.id)
    assert len(issued) == 25  # Given07 missed the second day
    settings = Settings(document_cache, TRANSLATIONS)
    document = render_certificates(db, settings, workshop, issued, mode, "https://ctg.example/v")
    reader = PdfReader(document.path)
    assert len(reader.pages) == 25
    baselines = set()
    for n, (page, page_words) in enumerate(zip(reader.pages, words(document.path), strict=True)):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (
            round(A4_LANDSCAPE[0], 1),
            round(A4_LANDSCAPE[1], 1),
        )
        assert len(page.images) == 1, f"page {n + 1} has no logo"
        text = squeeze(page.extract_text())
        person = issued[n].participant
        if mode == "en":
            assert squeeze(person.name_latin) in text and "ບຸນມີ" not in text
        elif mode == "lo":
            assert squeeze(person.name_lao) in text and "Given" not in text
        else:
            assert squeeze(person.name_latin) in text and squeeze(person.name_lao) in text
        assert issued[n].certificate_number in text
        # each signatory's name sits on the same baseline, on every page
        first = [w for w in page_words if w[0] in ("Khamphone", "Bouasone")]
        assert [w[0] for w in first] == ["Khamphone", "Bouasone"]
        baselines |= {round(w[4], 1) for w in first}
        # nothing above the foot runs into the space kept for signing
        top_of_foot = min(w[2] for w in first) - 12 / 25.4 * 72
        body = [w for w in page_words if w[0].startswith(("Trainers", "ຄູຝຶກ"))]
        assert body and max(w[4] for w in body) < top_of_foot
    assert len(baselines) == 1, baselines
    assert "Given07" not in squeeze("".join(p.extract_text() for p in reader.pages))


def test_printing_certificates_changes_nothing(db, workshop, document_cache):
    from curriculum.models import AuditEvent

    issued = certificates.issue_certificates(db, SYSTEM, workshop.id)
    stamps = {r.id: (r.certificate_number, r.certificate_issued_at) for r in issued}
    events = db.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    printed = certificates.issued_certificates(db, workshop)
    assert [r.id for r in printed] == [r.id for r in issued]
    settings = Settings(document_cache, TRANSLATIONS)
    render_certificates(db, settings, workshop, printed, "lo", "https://ctg.example/v")
    db.flush()
    assert {r.id: (r.certificate_number, r.certificate_issued_at) for r in printed} == stamps
    assert db.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) == events
    # issuing again keeps numbers and dates and records nothing new
    again = certificates.issue_certificates(db, SYSTEM, workshop.id)
    assert {r.id: (r.certificate_number, r.certificate_issued_at) for r in again} == stamps
    assert db.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) == events


def test_lao_certificates_print_the_lao_title_and_lao_dates(db, workshop, document_cache):
    workshop.title_lo = "ກອງປະຊຸມກ່ຽວກັບການຄ້າມະນຸດ"
    workshop.rollout.name_lo = "ແຜນການຝຶກອົບຮົມ 2027"
    db.flush()
    issued = certificates.issue_certificates(db, SYSTEM, workshop.id)
    settings = Settings(document_cache, TRANSLATIONS)
    lao = render_certificates(db, settings, workshop, issued[:1], "lo", "https://ctg.example/v")
    text = squeeze(PdfReader(lao.path).pages[0].extract_text())
    assert squeeze("ກອງປະຊຸມກ່ຽວກັບການຄ້າມະນຸດ") in text and "Provincial" not in text
    assert squeeze("2 – 4 ມີນາ 2027") in text and "2027-03" not in text
    assert squeeze("ແຜນການຝຶກອົບຮົມ 2027") in text and "2027 rollout" not in text
    both = render_certificates(db, settings, workshop, issued[:1], "both", "https://ctg.example/v")
    text = squeeze(PdfReader(both.path).pages[0].extract_text())
    assert squeeze("ກອງປະຊຸມກ່ຽວກັບການຄ້າມະນຸດ") in text
    assert squeeze("Provincial workshop on trafficking in persons") in text
    assert squeeze("2 – 4 March 2027") in text
