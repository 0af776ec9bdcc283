"""Certificates go to attendees only, with numbers nobody can guess, checked publicly."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from curriculum.errors import ValidationError
from curriculum.models import Registration
from curriculum.permissions import SYSTEM
from curriculum.services import certificates, workshops
from tests.conftest import make_held_workshop

START = dt.date(2027, 3, 2)


@pytest.fixture
def workshop(db):
    """Two days, not yet delivered: one person came both days, one came once, one never
    came, and one cancelled."""
    people = [
        ("Full", "Test", "female", (True, True)),
        ("Half", "Test", "female", (True, False)),
        ("None", "Test", "female", (False, False)),
        ("Gone", "", "male", None),
    ]
    return make_held_workshop(db, people, start=START, status="planned", title="Bokeo")


def test_only_attendees_who_met_the_rule_get_a_certificate(db, workshop):
    with pytest.raises(ValidationError, match="delivered"):
        certificates.issue_certificates(db, SYSTEM, workshop.id)
    workshop.status = "delivered"
    issued = certificates.issue_certificates(db, SYSTEM, workshop.id)
    assert [r.participant.given_name_latin for r in issued] == ["Full"]
    workshop.certificate_days = 1  # this workshop asks for one day
    issued = certificates.issue_certificates(db, SYSTEM, workshop.id)
    assert sorted(r.participant.given_name_latin for r in issued) == ["Full", "Half"]
    assert all(r.certificate_number for r in issued)
    assert not any(
        r.certificate_number
        for r in workshop_registrations(db, workshop)
        if r.participant.given_name_latin in ("None", "Gone")
    )


def workshop_registrations(db, workshop):
    from sqlalchemy import select

    return db.scalars(select(Registration).where(Registration.workshop_id == workshop.id)).all()


def test_reissuing_keeps_the_number_and_the_page_checks_it(db, workshop):
    workshop.status = "delivered"
    [first] = certificates.issue_certificates(db, SYSTEM, workshop.id)
    number = first.certificate_number
    [again] = certificates.issue_certificates(db, SYSTEM, workshop.id)
    assert again.certificate_number == number
    found = certificates.verify(db, number.lower().replace("-", " "))
    assert (found.name_latin, found.workshop, found.start) == ("Full Test", "Bokeo", "2027-03-02")
    assert certificates.verify(db, certificates.new_number()) is None
    assert certificates.verify(db, "CTG-1234") is None
    assert certificates.verify(db, "") is None


def test_numbers_are_random_not_sequential():
    numbers = [certificates.new_number() for _ in range(2000)]
    assert len(set(numbers)) == 2000
    assert all(len(n) == len("CTG-AAAA-BBBB-CCCC") for n in numbers)
    assert not set("01ILO") & set("".join(n[4:] for n in numbers))
    # consecutive numbers share no more than chance
    same_start = sum(a[4:8] == b[4:8] for a, b in zip(numbers, numbers[1:], strict=False))
    assert same_start < 3


def test_rollout_signatories_logo_and_the_attendance_rule_are_checked(db, workshop):
    import io

    from PIL import Image

    from curriculum.documents.certificates import certificate_data

    rollout = workshop.rollout
    base = {"name": rollout.name, "start_date": rollout.start_date, "end_date": rollout.end_date}
    with pytest.raises(ValidationError) as err:
        workshops.update_rollout(db, SYSTEM, rollout.id, {**base, "signatories": "a|b\nc\nd\ne"})
    assert "three" in str(err.value.errors["signatories"][0])
    workshops.update_rollout(
        db, SYSTEM, rollout.id, {**base, "signatories": " Bounmy P. | President \n\n"}
    )
    assert rollout.signatories == "Bounmy P. | President"

    with pytest.raises(ValidationError, match="PNG or JPEG"):
        workshops.set_rollout_logo(db, SYSTEM, rollout.id, b"GIF89a....")
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(png, "PNG")
    workshops.set_rollout_logo(db, SYSTEM, rollout.id, png.getvalue())
    data = certificate_data(workshop, [], "https://example.org/verify", "both")
    # the logo reaches the renderer through its fetcher; the data holds its hash (the cache key)
    assert data["logo"] == hashlib.sha256(png.getvalue()).hexdigest()
    assert data["signatories"] == [{"name": "Bounmy P.", "title": "President"}]

    details = {
        "title": workshop.title,
        "province": "LA-BK",
        "start_date": workshop.start_date,
        "end_date": workshop.end_date,
    }
    with pytest.raises(ValidationError):
        workshops.update_workshop(db, SYSTEM, workshop.id, {**details, "certificate_days": 3})
    workshops.update_workshop(db, SYSTEM, workshop.id, {**details, "certificate_days": 1})
    assert workshop.certificate_days == 1
