"""Background documents (the whole guide, the workshop packs) as a user gets them: from an
empty cache, by the link on the page, through the progress page to the PDF."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from curriculum.permissions import SYSTEM
from curriculum.services import workshops
from tests.conftest import make_user, sign_in
from tests.pdf import squeeze


@pytest.fixture
def viewer(db):
    user = make_user(db, "viewer")
    db.commit()
    return user


def _href(page: str, pattern: str) -> str:
    match = re.search(rf'href="({pattern})"', page)
    assert match, f"no link matching {pattern}"
    return match.group(1).replace("&amp;", "&")


def get(client, url: str):
    """A GET whose body is read and whose file (a PDF sent from the cache) is closed."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), squeeze("".join(p.extract_text() for p in reader.pages))


@pytest.mark.parametrize(
    "language, heading", [("en", "Trainers' Reference Guide"), ("lo", "ຄູ່ມືອ້າງອີງ")]
)
def test_the_whole_guide_downloads_from_an_empty_cache(
    client, viewer, document_cache, language, heading
):
    assert not document_cache.exists() or not any(document_cache.iterdir())
    sign_in(client, viewer)
    library = get(client, "/library/").get_data(as_text=True)
    link = _href(library, rf"/library/guide\.pdf\?lang={language}")
    response = get(client, link)  # jobs run at once in tests: the PDF comes straight back
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    pages, text = _pdf_text(response.data)
    assert pages > 40
    assert squeeze(heading) in text
    # the second request is served from the cache
    assert get(client, link).data == response.data


def test_the_guide_goes_through_the_progress_page_when_the_job_waits_in_the_queue(make_app, viewer):
    app = make_app(JOBS_IMMEDIATE=False)
    client = app.test_client()
    sign_in(client, viewer)
    response = get(client, "/library/guide.pdf?lang=lo")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/library/guide/progress?lang=lo")
    page = get(client, "/library/guide/progress?lang=lo")
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="1">' in page.get_data(as_text=True)  # 1 s
    # asking again does not queue a second job
    assert get(client, "/library/guide.pdf?lang=lo").status_code == 302
    huey = app.extensions["huey"]
    assert huey.pending_count() == 1
    huey.execute(huey.dequeue())
    ready = get(client, "/library/guide/progress?lang=lo").get_data(as_text=True)
    assert "/library/guide.pdf?lang=lo" in ready and 'http-equiv="refresh"' not in ready
    response = get(client, "/library/guide.pdf?lang=lo")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_a_failed_render_says_so_and_can_be_tried_again(make_app, viewer, monkeypatch):
    from curriculum.documents import guide

    app = make_app(JOBS_IMMEDIATE=False)
    client = app.test_client()
    sign_in(client, viewer)
    get(client, "/library/guide.pdf?lang=en")
    huey = app.extensions["huey"]

    def broken(*args, **kwargs):
        raise RuntimeError("the font is missing")

    monkeypatch.setattr(guide, "ensure_rendered", broken)
    huey.execute(huey.dequeue())
    page = get(client, "/library/guide/progress?lang=en").get_data(as_text=True)
    assert "could not be rendered" in page and "the font is missing" in page
    monkeypatch.undo()
    assert get(client, "/library/guide.pdf?lang=en").status_code == 302  # a new job
    huey.execute(huey.dequeue())
    assert get(client, "/library/guide.pdf?lang=en").mimetype == "application/pdf"


def test_a_workshop_pack_downloads_through_the_same_flow(make_app, db, viewer):
    rollout = workshops.create_rollout(
        db,
        SYSTEM,
        {"name": "R", "start_date": dt.date(2027, 3, 1), "end_date": dt.date(2027, 3, 31)},
    )
    workshop = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": str(rollout.id),
            "title": "Bokeo workshop",
            "province": "LA-BK",
            "start_date": dt.date(2027, 3, 2),
            "end_date": dt.date(2027, 3, 3),
        },
    )
    db.commit()
    app = make_app(JOBS_IMMEDIATE=False)
    client = app.test_client()
    sign_in(client, viewer)
    page = get(client, f"/workshops/{workshop.id}").get_data(as_text=True)
    link = _href(page, rf"/workshops/{workshop.id}/participants\.pdf[^\"]*")
    response = get(client, link)
    assert response.status_code == 302 and "/participants/progress" in response.headers["Location"]
    progress = get(client, response.headers["Location"])
    assert progress.status_code == 200
    assert '<meta http-equiv="refresh" content="1">' in progress.get_data(as_text=True)
    huey = app.extensions["huey"]
    huey.execute(huey.dequeue())
    response = get(client, link)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Bokeoworkshop" in _pdf_text(response.data)[1]


def test_a_coordinator_gets_the_offline_kit_from_the_print_list_through_the_progress_page(
    make_app, db, viewer
):
    import zipfile

    rollout = workshops.create_rollout(
        db,
        SYSTEM,
        {"name": "R", "start_date": dt.date(2027, 3, 1), "end_date": dt.date(2027, 3, 31)},
    )
    workshop = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": str(rollout.id),
            "title": "Bokeo workshop",
            "title_lo": "ກອງປະຊຸມ ບໍ່ແກ້ວ",
            "province": "LA-BK",
            "start_date": dt.date(2027, 3, 2),
            "end_date": dt.date(2027, 3, 3),
            "language": "lo",
        },
    )
    coordinator = make_user(db, "coordinator")
    db.commit()
    app = make_app(JOBS_IMMEDIATE=False)
    client = app.test_client()

    # a viewer sees the print list but not the kit, which holds the participants' names
    sign_in(client, viewer)
    page = get(client, f"/workshops/{workshop.id}/print-list").get_data(as_text=True)
    assert f"/workshops/{workshop.id}/kit.zip" not in page
    assert get(client, f"/workshops/{workshop.id}/kit.zip").status_code == 403
    client.post("/logout")

    sign_in(client, coordinator)
    page = get(client, f"/workshops/{workshop.id}/print-list").get_data(as_text=True)
    link = _href(page, rf"/workshops/{workshop.id}/kit\.zip")
    response = get(client, link)
    assert response.status_code == 302 and "/kit/progress" in response.headers["Location"]
    progress = get(client, response.headers["Location"]).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="1">' in progress
    huey = app.extensions["huey"]
    huey.execute(huey.dequeue())
    ready = get(client, response.headers["Location"]).get_data(as_text=True)
    response = get(client, _href(ready, rf"/workshops/{workshop.id}/kit\.zip[^\"]*"))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment")
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert f"workshop-{workshop.id}-kit/index.html" in names
    assert f"workshop-{workshop.id}-kit/sign-in-day-2.pdf" in names
