"""The offline kit as a venue without internet gets it: unzipped, its index.html opened from
the folder in Chromium (file://, no server), every link landing on a file beside it."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from curriculum.documents.kit import ensure_kit, kit_document
from curriculum.documents.render import Settings
from curriculum.models import Participant, Registration
from curriculum.permissions import SYSTEM
from curriculum.services import programmes, workshops
from tests.pdf import TRANSLATIONS


def test_the_kit_index_opens_from_the_unzipped_folder_and_links_every_file(
    browser, db, document_cache, tmp_path
):
    start = dt.date(2027, 5, 4)
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": start, "end_date": start}
    )
    workshop = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Luang Namtha",
            "title_lo": "ກອງປະຊຸມຂັ້ນແຂວງ ຫຼວງນ້ຳທາ",
            "province": "LA-LM",
            "start_date": start,
            "end_date": start + dt.timedelta(days=1),
            "language": "lo",
        },
    )
    programmes.lay_out_programme(db, SYSTEM, workshop.id, "provincial-2-day")
    for n in range(6):
        person = Participant(given_name_lo="ບຸນມີ", family_name_lo=f"ສີສຸວັນ{n}", sex="female")
        db.add(Registration(workshop=workshop, participant=person, status="registered"))
    db.flush()
    settings = Settings(document_cache, TRANSLATIONS)
    document, data = kit_document(db, settings, workshop)
    ensure_kit(db, settings, workshop, document, data)
    with zipfile.ZipFile(document.path) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / f"workshop-{workshop.id}-kit"
    files = sorted(p.name for p in folder.iterdir() if p.name != "index.html")

    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto((folder / "index.html").as_uri())
    assert response is None or response.ok
    assert page.title() == "ກອງປະຊຸມຂັ້ນແຂວງ ຫຼວງນ້ຳທາ"
    assert page.locator("html").get_attribute("lang") == "lo"
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    linked = []
    for href in hrefs:
        url = urlparse(href)
        assert url.scheme == "file", href
        path = Path(unquote(url.path))
        assert path.parent == folder and path.is_file(), href
        linked.append(path.name)
    assert sorted(linked) == files  # every file, each once
    assert all(url.startswith("file://") for url in requests), requests
    # a link is followed as a reader would: the workbook comes down as a file
    with page.expect_download() as download:
        page.click('a[href="workbook.xlsx"]')
    assert download.value.suggested_filename == "workbook.xlsx"
    page.screenshot(path=str(tmp_path / "kit-index.png"), full_page=True)
    page.close()
