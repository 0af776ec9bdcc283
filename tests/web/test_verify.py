"""The public certificate check: real numbers found, made-up ones not, and rate limited."""

from __future__ import annotations

import datetime as dt

from curriculum.models import Attendance, Participant, Registration
from curriculum.permissions import SYSTEM
from curriculum.services import certificates
from tests.conftest import make_held_workshop

START = dt.date(2027, 3, 2)


def _certificate(db) -> str:
    w = make_held_workshop(db, start=START)
    [issued] = certificates.issue_certificates(db, SYSTEM, w.id)
    db.commit()
    return issued.certificate_number


def test_the_page_finds_a_real_number_and_not_a_made_up_one(client, db):
    number = _certificate(db)
    page = client.get(f"/participants/verify?number={number}").get_data(as_text=True)  # no sign-in
    assert (
        "This certificate is genuine" in page and "Noy Sisouk" in page and "Bokeo workshop" in page
    )
    assert "5555" not in page  # nothing but name, workshop and dates
    page = client.get(f"/participants/verify?number={certificates.new_number()}").get_data(
        as_text=True
    )
    assert "Not found" in page and "Noy" not in page


def test_the_page_is_rate_limited(make_app, db):
    app = make_app(RATELIMIT_ENABLED=True, VERIFY_LIMIT="3 per minute")
    client = app.test_client()
    codes = [
        client.get("/participants/verify?number=CTG-AAAA-BBBB-CCCC").status_code for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]


def test_certificates_pdf_holds_attendees_only(client, db):
    from pypdf import PdfReader

    from tests.conftest import make_user, sign_in

    number = _certificate(db)
    reg = db.query(Registration).filter_by(certificate_number=number).one()
    absent = Registration(
        workshop=reg.workshop,
        participant=Participant(given_name_latin="Absent", family_name_latin="Person", sex="male"),
        status="registered",
        attendance=[Attendance(day=START, present=False)],
    )
    db.add(absent)
    reg.workshop.rollout.signatories = "Khamphone Sisouk | Director, CTG secretariat"
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in(client, coordinator)
    # the workshop page issues them with a button and lets the language be chosen
    page = client.get(f"/workshops/{reg.workshop_id}").get_data(as_text=True)
    assert f'action="/participants/workshops/{reg.workshop_id}/certificates"' in page
    assert 'name="lang"' in page and 'value="lo"' in page and 'value="en"' in page
    issued = client.post(f"/participants/workshops/{reg.workshop_id}/certificates")
    assert issued.status_code == 302 and issued.headers["Location"].endswith("#certificates")
    response = client.get(f"/participants/workshops/{reg.workshop_id}/certificates.pdf?lang=both")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    import io

    reader = PdfReader(io.BytesIO(response.data))
    response.close()
    text = "".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) == 1
    assert "Noy Sisouk" in text and "ນ້ອຍ" in text and number in text
    assert "Absent" not in text
    assert "Director, CTG secretariat" in text
    # issuing again keeps the number; printing changes nothing
    db.expire_all()
    stamped = db.get(Registration, reg.id).certificate_issued_at
    client.post(f"/participants/workshops/{reg.workshop_id}/certificates")
    client.get(f"/participants/workshops/{reg.workshop_id}/certificates.pdf?lang=lo").close()
    db.expire_all()
    again = db.get(Registration, reg.id)
    assert (again.certificate_number, again.certificate_issued_at) == (number, stamped)


def test_certificates_are_issued_by_post_only_and_printing_issues_none(client, db):
    from tests.conftest import make_user, sign_in

    number = _certificate(db)
    reg = db.query(Registration).filter_by(certificate_number=number).one()
    late = Registration(
        workshop=reg.workshop,
        participant=Participant(given_name_latin="Late", family_name_latin="Entry", sex="male"),
        status="attended",
        attendance=[Attendance(day=START, present=True)],
    )
    db.add(late)
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in(client, coordinator)
    url = f"/participants/workshops/{reg.workshop_id}/certificates"
    client.get(f"{url}.pdf").close()  # a GET prints what was issued and issues nothing
    db.expire_all()
    assert db.get(Registration, late.id).certificate_number is None
    assert client.get(url).status_code == 405
    client.post(url)
    db.expire_all()
    assert db.get(Registration, late.id).certificate_number is not None


def test_issuing_needs_the_csrf_token(make_app, db):
    from tests.conftest import make_user, sign_in

    number = _certificate(db)
    reg = db.query(Registration).filter_by(certificate_number=number).one()
    coordinator = make_user(db, "coordinator")
    db.commit()
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    sign_in(client, coordinator)
    response = client.post(f"/participants/workshops/{reg.workshop_id}/certificates")
    assert response.status_code == 400


def test_sign_in_sheet_from_the_workshop_page(client, db):
    from tests.conftest import make_user, sign_in

    number = _certificate(db)
    reg = db.query(Registration).filter_by(certificate_number=number).one()
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in(client, coordinator)
    page = client.get(f"/workshops/{reg.workshop_id}").get_data(as_text=True)
    assert f"/participants/workshops/{reg.workshop_id}/sign-in/2027-03-02.pdf" in page
    response = client.get(f"/participants/workshops/{reg.workshop_id}/sign-in/2027-03-02.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    response.close()
    assert (
        client.get(f"/participants/workshops/{reg.workshop_id}/sign-in/2027-03-09.pdf").status_code
        == 404
    )
    assert (
        client.get(f"/participants/workshops/{reg.workshop_id}/sign-in/someday.pdf").status_code
        == 404
    )
