"""Scanned sheets through the pages: the sheets printed by the app's own routes, filled in
and scanned by program, uploaded as one PDF, read by the job, decided and saved."""

from __future__ import annotations

import datetime as dt
import io
import re

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import func, select

from curriculum.documents.participants import paper_data
from curriculum.documents.sheets import parse_payload
from curriculum.models import AuditEvent, Registration
from tests.conftest import sign_in
from tests.scanfill import draw, pages_of, photograph
from tests.web.uploads import post_files
from tests.workshops import workshop_with_people

START = dt.date(2027, 10, 5)


def _workshop(db, title: str, names: list[tuple[str, str]], province: str = "LA-OU"):
    people = [
        {"given_name_latin": latin, "given_name_lo": lao, "sex": "female"} for latin, lao in names
    ]
    w, regs = workshop_with_people(
        db, title, START, 3, people, province=province, programme="provincial-3-day"
    )
    db.commit()
    return w, regs


@pytest.fixture
def coordinator(client, people):
    sign_in(client, people["users"]["coordinator"])
    return client


def _pages(client, address: str) -> list[np.ndarray]:
    with client.get(address) as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        return pages_of(response.data, 200)


def _scan(client, address: str, index: int, marks) -> tuple[bytes, object]:
    """Page ``index`` of the PDF at ``address``, marked (``marks(page)`` gives the box
    marks), as a scanner gives it back."""
    rng = np.random.default_rng(index + 7)
    image = _pages(client, address)[index]
    page = _read_code(image)
    filled = draw(image, page, 200, marks(page), rng)
    return photograph(filled.image, rng, "scan"), page


def _read_code(image):
    import zxingcpp

    return parse_payload(zxingcpp.read_barcodes(image)[0].text)


def _pdf(jpegs: list[bytes]) -> bytes:
    images = [Image.open(io.BytesIO(j)) for j in jpegs]
    out = io.BytesIO()
    try:
        images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=200)
    finally:
        for image in images:
            image.close()
    return out.getvalue()


def _upload(client, workshop_id: int, files: list[tuple[bytes, str]], **fields):
    return post_files(
        client,
        f"/participants/workshops/{workshop_id}/scans",
        {**fields, "file": [(io.BytesIO(data), name) for data, name in files]},
    )


def test_a_scan_is_read_decided_and_saved_all_or_nothing(app, coordinator, db):
    w, (a, b, c) = _workshop(
        db, "Oudomxay workshop", [("Amphone", "ອຳພອນ"), ("Bounmy", "ບຸນມີ"), ("Chanthala", "ຈັນທະລາ")]
    )
    other, (d,) = _workshop(db, "Luang Namtha workshop", [("Dara", "ດາລາ")], "LA-LM")
    questions = paper_data(db, w, "test", "en")["questions"]
    key = [q["answer"] - 1 for q in questions]

    def sign_in_marks(page):
        row = {rid: i for i, rid in enumerate(page.rows)}
        return {
            f"r{row[a.id]}.tick": "tick",
            f"r{row[a.id]}.sign": "sign",
            f"r{row[b.id]}.tick": "dot",  # neither a tick nor nothing
            f"r{row[b.id]}.sign": "empty",
            f"r{row[c.id]}.tick": "empty",
            f"r{row[c.id]}.sign": "empty",
            "w0.name": "name",  # someone not on the list wrote their name in
        }

    def answer_marks(page):
        marks = {f"q{n}.{ch}": "empty" for n in range(1, len(questions) + 1) for ch in range(4)}
        for n in range(1, len(questions) + 1):
            if n != 3:  # question 3 left unanswered
                marks[f"q{n}.{key[n - 1]}"] = "fill"
        marks[f"q2.{(key[1] + 1) % 4}"] = "fill"  # two answers to question 2
        return marks

    day1 = START.isoformat()
    sign_in_scan, _page = _scan(
        coordinator, f"/participants/workshops/{w.id}/sign-in/{day1}.pdf?lang=en", 0, sign_in_marks
    )
    answers_url = f"/participants/workshops/{w.id}/paper/answers-pre.pdf?lang=lo"
    answer_index = [
        i
        for i, image in enumerate(_pages(coordinator, answers_url))
        if _read_code(image).rows == (a.id,)
    ][0]
    answer_scan, _page = _scan(coordinator, answers_url, answer_index, answer_marks)
    other_scan, _page = _scan(
        coordinator,
        f"/participants/workshops/{other.id}/sign-in/{day1}.pdf",
        0,
        lambda page: {"r0.tick": "tick", "r0.sign": "sign"},
    )
    scan = _pdf([sign_in_scan, answer_scan, other_scan])

    # the workshop's page offers the upload; a file that is no scan is refused on the form
    page = coordinator.get(f"/participants/workshops/{w.id}").get_data(as_text=True)
    assert f"/participants/workshops/{w.id}/scans" in page and "answers-pre.pdf" in page
    refused = _upload(coordinator, w.id, [(b"Name,Day\n", "list.csv")])
    assert refused.status_code == 400
    assert "list.csv is not a photo (JPEG or PNG) or a scanned PDF." in refused.get_data(
        as_text=True
    )

    response = _upload(coordinator, w.id, [(scan, "scan.pdf")])
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    html = coordinator.get(preview_url).get_data(as_text=True)
    text = re.sub(r"\s+", " ", html)
    # the other workshop's page is refused by name; the rest is shown, the unsure first
    assert "This page is from another workshop: Luang Namtha workshop. It was left out." in text
    assert "Pages read: 2 of 3. Unsure readings to decide: 2." in text
    assert "Written in by hand (not on the list)" in text
    crops = re.findall(r'src="([^"]+\.png)"', html)
    # the three rows, the row written in, each question: every reading beside its image
    assert len(crops) == len(set(crops)) == 4 + len(questions)
    for src in crops[:6]:
        with coordinator.get(src) as image:
            assert image.mimetype == "image/png" and image.data.startswith(b"\x89PNG")
    decide = sorted(set(re.findall(r'name="(decide-[^"]+)"', html)))
    row_b = next(k for k in decide if ":r" in k)
    assert decide == sorted([row_b, "decide-2:q2"])
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', html).group(1)
    save_url = preview_url + "/save"

    # odd decisions are no decisions: named, nothing stored
    odd = coordinator.post(
        save_url, data={"fingerprint": fingerprint, row_b: "²", "decide-2:q2": "9" * 5000}
    )
    assert odd.status_code == 400
    assert "Unsure readings still to decide: 2." in odd.get_data(as_text=True)
    # saving with a box undecided stores nothing
    refused = coordinator.post(save_url, data={"fingerprint": fingerprint, row_b: "1"})
    assert refused.status_code == 400
    assert "Unsure readings still to decide: 1." in refused.get_data(as_text=True)
    db.expire_all()
    assert (
        db.get(Registration, a.id).attendance == [] and db.get(Registration, a.id).pre_score is None
    )

    saved = coordinator.post(
        save_url, data={"fingerprint": fingerprint, row_b: "1", "decide-2:q2": str(key[1])}
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    db.expire_all()

    def present(reg):
        return {x.day: x.present for x in db.get(Registration, reg.id).attendance}

    assert present(a) == {START: True} and present(b) == {START: True}
    assert present(c) == {START: False}
    assert db.get(Registration, d.id).attendance == []  # the other workshop's page
    n = len(questions)
    expected = round((n - 1) * 100 / n, 1)  # all right but the unanswered question 3
    assert float(db.get(Registration, a.id).pre_score) == pytest.approx(expected)
    labels = db.scalars(
        select(AuditEvent.object_label).where(AuditEvent.object_type == "Registration")
    ).all()
    assert any("(scanned sheets)" in label for label in labels)

    # the attendance grid and the report show it
    grid = coordinator.get(f"/participants/workshops/{w.id}/attendance").get_data(as_text=True)
    assert grid.count("checked") >= 2
    # the same scan again, decided alike: nothing new to store, nothing stored twice
    events = db.scalar(select(func.count()).select_from(AuditEvent))
    again = _upload(coordinator, w.id, [(scan, "scan.pdf")])
    html = coordinator.get(again.headers["Location"]).get_data(as_text=True)
    text = re.sub(r"\s+", " ", html)
    assert "New values to store: 0; values other than the app's: 0; already held: 2." in text
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', html).group(1)
    saved = coordinator.post(
        again.headers["Location"] + "/save",
        data={"fingerprint": fingerprint, row_b: "1", "decide-2:q2": str(key[1])},
        follow_redirects=True,
    )
    assert "0 values from the scanned sheets saved." in saved.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_a_scan_larger_than_other_forms_passes_the_csrf_check_and_too_large_is_named(
    make_app, db, people, tmp_path
):
    """A scan may be larger than any other form (16 MB): the larger bound holds before the
    CSRF check reads the form. Past its own bound (60 MB) the upload is refused by name."""
    from curriculum.services import scans

    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    sign_in(client, people["users"]["coordinator"])
    w, _regs = _workshop(db, "Oudomxay workshop", [("Amphone", "ອຳພອນ")])
    form = client.get(f"/participants/workshops/{w.id}/scans").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    photo = b"\xff\xd8\xff" + bytes(20 * 1024 * 1024)  # 20 MB that say they are a JPEG

    def post(files):
        return _upload(client, w.id, files, csrf_token=token)

    accepted = post([(photo, "big.jpg")])
    assert accepted.status_code == 302
    html = client.get(accepted.headers["Location"]).get_data(as_text=True)
    assert "This file or page is not an image the app can read." in html
    refused = post([(photo, "a.jpg"), (photo, "b.jpg"), (photo, "c.jpg")])
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert (
        f"at most {scans.MAX_BYTES // 1024 // 1024} MB" in text
        and "upload the pages in parts" in text
    )
