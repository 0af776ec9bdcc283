"""English and Lao: a complete catalog, and Lao pages with no English interface text left."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from curriculum.permissions import SYSTEM
from tests.conftest import make_record, make_unavailability, sign_in

ROOT = Path(__file__).resolve().parents[2]
LAO_PO = ROOT / "app" / "translations" / "lo" / "LC_MESSAGES" / "messages.po"


def extracted(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as handle:
        return read_po(handle)


def lao_catalog():
    with LAO_PO.open("rb") as handle:
        return read_po(handle, locale="lo")


def test_every_string_has_a_lao_translation(tmp_path):
    catalog = lao_catalog()
    problems = []
    for message in extracted(tmp_path):
        if not message.id:
            continue
        translated = catalog.get(message.id)
        if translated is None:
            problems.append(f"missing: {message.id!r}")
        elif translated.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(
            translated.string if isinstance(translated.string, tuple) else [translated.string]
        ):
            problems.append(f"untranslated: {message.id!r}")
    assert problems == [], "run `make catalog` and translate:\n" + "\n".join(problems)


def test_translations_keep_their_placeholders():
    for message in lao_catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)\w", ids[-1]))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)\w", string)) == wanted, message.id
            assert any("\u0e80" <= ch <= "\u0eff" for ch in string), f"not Lao: {message.id!r}"


class TextOnly(HTMLParser):
    """Visible text and attribute values people read (title, aria-label, placeholder, value of buttons).

    Text marked as another language (the switch's "English" button, lang="en") is left out.
    """

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0
        self._foreign: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if self._foreign or dict(attrs).get("lang", "lo") != "lo":
            self._foreign.append(tag)
            self._skip += 1
            return
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.parts.append(value)
            if name == "value" and tag == "input" and dict(attrs).get("type") == "submit":
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if self._foreign and self._foreign[-1] == tag:
            self._foreign.pop()
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = TextOnly()
    parser.feed(html)
    return "\n".join(p.strip() for p in parser.parts if p.strip())


def english_left(text: str, catalog) -> list[str]:
    """Interface strings of the catalog that appear in English in ``text``."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            plain = re.sub(r"%\(\w+\)\w", "", msgid).strip(" .:")
            # whole words only, and only phrases long enough not to be a person's data
            if len(plain) >= 4 and re.search(rf"(?<![\w-]){re.escape(plain)}(?![\w-])", text):
                found.append(msgid)
    return found


@pytest.fixture
def lao_admin(client, db, people):
    admin = people["users"]["admin"]
    admin.language = "lo"
    db.commit()
    sign_in(client, admin)
    return admin


def participant_pages(db):
    import datetime as dt

    from curriculum.services import imports, workshops
    from curriculum.services import participants as ps

    start = dt.date(2027, 4, 6)
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "i18n", "start_date": start, "end_date": start}
    )
    w = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Bokeo",
            "province": "LA-BK",
            "start_date": start,
            "end_date": start,
        },
    )
    w.status = "delivered"
    person = ps.create_participant(db, SYSTEM, {"given_name_lo": "ນ້ອຍ", "sex": "female"})
    ps.create_participant(db, SYSTEM, {"given_name_lo": "ນ້ອຍ", "sex": "female"})
    ps.register(db, SYSTEM, w.id, person.id)
    batch = imports.start_import(db, SYSTEM, w.id, "l.csv", "ຊື່,ເພດ,ແຂວງ\nນ້ອຍ,,ZZ\n".encode())
    return [
        "/participants/",
        "/participants/new",
        f"/participants/{person.id}",
        "/participants/duplicates",
        f"/participants/workshops/{w.id}",
        f"/participants/workshops/{w.id}?q=ນ້ອຍ",
        f"/participants/workshops/{w.id}/attendance",
        f"/participants/workshops/{w.id}/results",
        f"/participants/workshops/{w.id}/import",
        f"/participants/imports/{batch.id}",
        "/reports/",
        f"/reports/workshops/{w.id}",
    ]


def pages(people, db):
    own, other = people["own"], people["other"]
    record = make_record(db, own)
    item = make_unavailability(db, own)
    user = people["users"]["viewer"]
    db.commit()
    return [
        "/",
        "/trainers/",
        "/trainers/?q=zzzz",
        f"/trainers/{own.id}",
        f"/trainers/{own.id}/edit",
        "/trainers/new",
        f"/trainers/{own.id}/contacts",
        f"/trainers/{own.id}/delete",
        f"/trainers/{own.id}/records/new",
        f"/trainers/records/{record.id}/edit",
        f"/trainers/{own.id}/unavailability/new",
        f"/trainers/unavailability/{item.id}/edit",
        "/account",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{user.id}/edit",
        f"/admin/users/{user.id}/password",
        "/admin/provinces",
        "/admin/provinces/1/edit",
        "/admin/travel",
        "/admin/travel/1",
        "/admin/institutions",
        "/admin/institutions/new",
        "/admin/audit",
        f"/trainers/{other.id + 1000}",
    ]


def test_lao_pages_have_no_english_interface_text(client, db, people, lao_admin):
    catalog = lao_catalog()
    for url in pages(people, db):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert '<html lang="lo">' in html, url
        assert english_left(visible_text(html), catalog) == [], url


def test_lao_participant_and_report_pages_have_no_english_interface_text(
    client, db, people, lao_admin
):
    catalog = lao_catalog()
    urls = participant_pages(db)
    db.commit()
    for url in urls:
        html = client.get(url).get_data(as_text=True)
        assert '<html lang="lo">' in html, url
        assert english_left(visible_text(html), catalog) == [], url


def test_lao_form_errors_are_in_lao(client, db, people, lao_admin):
    catalog = lao_catalog()
    response = client.post(
        "/trainers/new",
        data={
            "given_name_latin": "x" * 500,
            "joined_on": "31/31/2020",
            "base_province": "LA-ZZ",
            "institution_id": "abc",
            "email": "nope",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ໃຊ້ບໍ່ເກີນ 100 ຕົວອັກສອນ." in html
    assert english_left(visible_text(html), catalog) == []
    assert "Not a valid" not in html and "Invalid" not in html


def test_english_is_the_default(client, db, people):
    sign_in(client, people["users"]["viewer"])
    html = client.get("/trainers/").get_data(as_text=True)
    assert '<html lang="en">' in html and "Trainers" in html


def test_lao_catalog_is_compiled():
    assert LAO_PO.with_suffix(".mo").exists(), "run `make translations`"


def test_the_remembered_catalog_follows_a_forced_locale_and_comes_back(app):
    """The page's catalog is looked up once per request, and again whenever the locale
    changes: inside ``force_locale`` templates, services and page_language follow the
    forced language, and after it the page's own."""
    from flask import render_template_string
    from flask_babel import force_locale

    from app.language import page_language, page_translations
    from curriculum import i18n

    template = "{{ _('Trainers') }}"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert (render_template_string(template), page_language()) == ("Trainers", "en")
        with force_locale("lo"):
            assert render_template_string(template) == "ຄູຝຶກ"
            assert page_translations().ugettext("Sign out") == "ອອກຈາກລະບົບ"
            assert (page_language(), str(i18n._("Trainers"))) == ("lo", "ຄູຝຶກ")
        assert (render_template_string(template), page_language()) == ("Trainers", "en")
        assert str(i18n._("Trainers")) == "Trainers"
    with app.test_request_context("/", headers={"Accept-Language": "lo"}):
        assert (render_template_string(template), page_language()) == ("ຄູຝຶກ", "lo")
    # a job renders documents in an app context, with no request
    with app.app_context(), force_locale("lo"):
        assert render_template_string(template) == "ຄູຝຶກ"
