"""A crawler over the Lao interface: no English interface word, no server error, for any role.

On the demo data (a fresh database prepared as a first `flask setup` does: reference data,
the shipped curriculum and lesson plans, the demo trainers, lesson plans, the 2009 and 2010
rollouts and their participants), with the interface in Lao, signed in as each role
(admin, coordinator, trainer, viewer) and as an anonymous visitor (who chose Lao with the
language switch, ``auth.language``), the test

1. requests every GET route of the access matrix (``ROUTES`` of test_access_matrix.py) that
   the role may use, with real ids from the demo data (``_demo_ids`` says which: the 2009
   rollout, its first workshop and one of its participants and sessions, module M01, the
   first Lao lesson plan, the demo trainer's own record and another trainer's, ...);
2. follows every same-site ``<a href>`` found on the home page and on the pages it reaches,
   to a depth of 2 from home (each URL once per role; sign-out and downloads are not
   followed);
3. collects every 5xx (with the traceback's last lines) and every English interface word
   in the visible text of each Lao HTML page, and fails once at the end with one report.

Visible text: text nodes outside ``script``, ``style``, ``template`` and elements with the
``hidden`` attribute, plus the ``title``, ``aria-label``, ``placeholder`` and ``alt``
attributes and the ``value`` of submit/button/reset inputs. Text inside an element whose
``lang`` is "en" (the nearest ``lang`` wins) is content explicitly marked as English (a
chapter or a lesson plan written in English, the "English" button of the language switch)
and is allowed.

English interface words: the vocabulary is every word of three or more Latin letters in the
English msgids of the Lao catalog, lower-cased; a Latin-script word of a page's visible text
that is in it is reported, unless ``ALLOWED`` lists it (codes and proper names, each with
its reason). Removed before the words are read: email addresses, URLs, codes of capitals
joined by hyphens (LAO-ATIP, ACTIP-2), and an English term glossed in brackets right after
Lao text, as Lao legal writing does ("ການເລົ່າເລື່ອງ (Account)"). Dates and codes such as
M01 or LA-VT have no word of three letters. The document's <title> and attributes cannot
mark a part of themselves: what they repeat of English-marked content on the page (an
English plan's title in an aria-label) is left out. ``<code>`` elements are identifiers.

A page is also reported if it is not served as <html lang="lo">; a GET route this test
cannot request (missing from ROUTES, or no demo value for one of its arguments) fails it too.

Downloads (PDF, CSV, XLSX, ICS) and static files are requested once per role (status < 500)
but never read for words. Each run writes its report to build/lao-crawl-<backend>.txt.
"""

from __future__ import annotations

import re
import time
import traceback
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError, RequestRedirect

from app import create_app
from curriculum.permissions import SYSTEM
from tests.conftest import ROOT, app_config, backend, fresh_database, login_id, prepare
from tests.web.access import ROUTES, expected_allowed

LAO_PO = ROOT / "app" / "translations" / "lo" / "LC_MESSAGES" / "messages.po"
ROLES = ("anonymous", "viewer", "trainer", "coordinator", "admin")
MAX_DEPTH = 2

# Latin words that may stand on a Lao page although the catalog's English uses them.
ALLOWED = {
    "ctg": "the programme's name (Core Training Group), written so in Lao too",
    "toc": "code of the UN Convention against Transnational Organized Crime",
    "tipp": "code of the Trafficking in Persons Protocol",
    "unodc": "the UN agency's acronym, a proper name",
    "vientiane": "the capital's name (in a msgid), also a province's Latin spelling",
    "pdf": "file format",
    "csv": "file format",
    "xlsx": "file format",
    "xls": "file format",
    "zip": "file format (the offline workshop kit)",
    "ics": "file format (calendar)",
    "png": "image format",
    "dpi": "a scanner's resolution (dots per inch), as scanners show it",
    "jpeg": "image format",
    "excel": "a program's name (Microsoft Excel)",
    "markdown": "a text format's name, as PDF is a file format's",
    "ctrl": "a key's name as printed on the keyboard",
    "cmd": "a key's name as printed on the keyboard",
    "iso": "standard's name (ISO 3166 codes, ISO dates)",
    "utc": "time standard (UTC+7)",
}

# Endpoints whose answer is a file, not a page: requested (status < 500), never scanned,
# and not followed when a page links to them.
DOWNLOADS = {
    "static",
    "library.chapter_pdf",
    "library.guide_pdf",
    "lessons.pdf",
    "participants.certificates_pdf",
    "participants.export_list",
    "participants.import_template",
    "participants.paper",
    "participants.sign_in_sheet",
    "reports.export",
    "reports.workshop_export",
    "workshops.document",
    "workshops.kit",
    "workshops.feed",  # the private calendar (ICS), reached by a secret token
}
# Not followed from a page (and not a GET route anyway): signing out would end the crawl.
NOT_FOLLOWED = {"auth.logout"}

# URL query variants worth a request besides the bare route (a page that answers a search).
EXTRA_PAGES = {
    "participants.verify": ["?number=CTG-0000-000"],
    # A Lao query, and a code that finds English content (the page repeats the query).
    "library.search": ["?q=ການຄ້າມະນຸດ", "?q=TIPP"],
}


# -- the vocabulary ------------------------------------------------------------------------------


def interface_vocabulary() -> set[str]:
    with LAO_PO.open("rb") as handle:
        catalog = read_po(handle, locale="lo")
    words: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            plain = re.sub(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}", " ", msgid)
            words |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", plain)}
    return words - ALLOWED.keys()


# Removed before words are read: email addresses, URLs, codes of capitals and digits joined
# by hyphens (LAO-ATIP, LAO-TH-MOU, ACTIP-2, LA-VT), and an English term glossed in brackets
# right after Lao text, as Lao legal writing does: "ການເລົ່າເລື່ອງ (Account)".
NOT_WORDS = re.compile(
    r"\S+@\S+\.\w+|\b(?:https?://|www\.)\S+|\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b"
    r"|(?<=[\u0e80-\u0eff]) ?\([A-Za-z]+(?:[ -][A-Za-z]+){0,2}\)"
)
LATIN_WORD = re.compile(r"[A-Za-z]+")


def english_words(texts: list[str], vocabulary: set[str]) -> dict[str, list[str]]:
    """The texts that hold interface words: text (spaces tidied) -> its words."""
    found: dict[str, list[str]] = {}
    for text in texts:
        words = [
            word.lower()
            for word in LATIN_WORD.findall(NOT_WORDS.sub(" ", text))
            if len(word) >= 3 and word.lower() in vocabulary
        ]
        if words:
            found.setdefault(" ".join(text.split()), list(dict.fromkeys(words)))
    return found


# -- reading a page ------------------------------------------------------------------------------

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
INVISIBLE = {"script", "style", "template"}
# Elements whose end tag HTML lets one leave out: a new one closes the previous one.
SELF_CLOSING_SIBLINGS = {"li", "option", "p", "td", "th", "tr", "dt", "dd"}


class PageReader(HTMLParser):
    """The visible text a Lao reader sees (English-marked content left out) and the links.

    The document's <title> and an attribute (an aria-label) cannot mark a part of
    themselves as English: text of them that repeats content marked as English on the page
    (an English plan's title) is left out as well. ``<code>`` holds identifiers (a glossary
    key, a method's code), which are codes, not words.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.html_lang: str | None = None
        self._english: list[str] = []  # content marked lang="en"
        self._title: list[str] = []
        self._stack: list[tuple[str, bool, bool]] = []  # tag, invisible, english

    def _state(self) -> tuple[bool, bool]:
        return self._stack[-1][1:] if self._stack else (False, False)

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "html":
            self.html_lang = values.get("lang")
        if tag in SELF_CLOSING_SIBLINGS and self._stack and self._stack[-1][0] == tag:
            self._stack.pop()
        invisible, english = self._state()
        invisible = invisible or tag in INVISIBLE or "hidden" in values
        if "lang" in values:
            english = values["lang"].lower().split("-")[0] == "en"
        if tag == "code":
            english = True  # an identifier: allowed as a code
        if not invisible and not english:
            for name in ("title", "aria-label", "placeholder", "alt"):
                if values.get(name):
                    self._title.append(values[name])
            kind = values.get("type", "").lower()
            if tag == "input" and kind in ("submit", "button", "reset") and values.get("value"):
                self._title.append(values["value"])
        if tag not in VOID:
            self._stack.append((tag, invisible, english))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self._stack and self._stack[-1][0] == tag:
            self._stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data):
        invisible, english = self._state()
        if invisible or not data.strip():
            return
        if english:
            self._english.append(" ".join(data.split()))
        elif self._stack and self._stack[-1][0] == "title":
            self._title.append(data)
        else:
            self.texts.append(data)

    def close(self):
        super().close()
        english = sorted({t for t in self._english if len(t) >= 3}, key=len, reverse=True)
        for text in self._title:
            text = " ".join(text.split())
            for content in english:
                text = text.replace(content, " ")
            self.texts.append(text)


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


# -- the demo site -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """The app on its own database with the demo data of a first `flask setup`, every account
    in Lao, and the ids the routes need (per role where a trainer's own record matters)."""
    tmp_path = tmp_path_factory.mktemp("lao-crawl")
    with fresh_database(tmp_path) as url:
        prepare(url)
        app = create_app(
            app_config(tmp_path, DATABASE_URL=url), instance_path=str(tmp_path / "instance")
        )
        result = app.test_cli_runner().invoke(args=["setup", "--no-logins"])
        assert result.exit_code == 0, result.output
        try:
            yield {"app": app, **_demo_ids(app)}
        finally:
            app.extensions["ctg.engine"].dispose()


def _demo_ids(app) -> dict:
    from app.jobs import scan_store
    from curriculum.db import session_scope
    from curriculum.documents import sheets
    from curriculum.models import (
        Institution,
        LessonPlan,
        Method,
        Module,
        Province,
        Qualification,
        Registration,
        Rollout,
        Trainer,
        TrainingRecord,
        Unavailability,
        User,
    )
    from curriculum.services import calendar, imports
    from tests.scanfill import stored_scan

    with session_scope(app.extensions["ctg.sessionmaker"]) as db:
        users = {}
        for user in db.scalars(select(User)):
            user.language = "lo"
            users.setdefault(user.role, user)
        assert set(users) == set(ROLES) - {"anonymous"}, users
        own = db.get(Trainer, users["trainer"].trainer_id)
        other = db.scalar(
            select(Trainer)
            .where(Trainer.id != own.id, Trainer.unavailabilities.any())
            .order_by(Trainer.id)
        )

        def trainer_ids(trainer):
            return {
                "trainer_id": trainer.id,
                "record_id": db.scalar(
                    select(TrainingRecord.id).where(TrainingRecord.trainer_id == trainer.id)
                ),
                "item_id": db.scalar(
                    select(Unavailability.id).where(Unavailability.trainer_id == trainer.id)
                ),
            }

        rollout = db.scalar(select(Rollout).order_by(Rollout.start_date))  # the 2009 rollout
        workshop = min(rollout.workshops, key=lambda w: w.start_date)  # delivered, participants
        module = db.scalar(select(Module).where(Module.code == "M01"))
        plan = db.scalar(
            select(LessonPlan)
            .where(LessonPlan.language == "lo", LessonPlan.kind == "plan")
            .order_by(LessonPlan.id)
        )
        # Demo data has no import under way: one list read for the 2009 workshop (Lao headings,
        # an unknown province) gives the preview page something to show.
        batch = imports.start_import(
            db, SYSTEM, workshop.id, "ລາຍຊື່.csv", "ຊື່,ນາມສະກຸນ,ເພດ,ແຂວງ\nນ້ອຍ,ແກ້ວມະນີ,ຍ,ZZ\n".encode()
        )
        # Nor a calendar feed: its address is a secret token.
        token = calendar.issue_feed(db, SYSTEM, "trainer", own.id).token
        # Nor a scan read: the workshop's Lao sign-in sheet of its first day, one row ticked.
        sheet = sheets.render_sign_in_sheet(
            db, app.extensions["ctg.documents"], workshop, workshop.start_date, "lo"
        )
        scan = stored_scan(
            scan_store(app).root, workshop.id, sheet.path.read_bytes(), "ໃບລົງທະບຽນ.jpg"
        )

        common = {
            "filename": "css/app.css",
            "user_id": users["viewer"].id,
            "province_id": db.scalar(select(Province.id).where(Province.code == "LA-VT")),
            "institution_id": db.scalar(select(Institution.id).order_by(Institution.id)),
            "code": module.code,
            "number": 1,
            "key": "TIPP",
            "qualification_id": db.scalar(select(Qualification.id).order_by(Qualification.id)),
            "plan_id": plan.id,
            "kind": ["plan", "handout"],
            "method_id": db.scalar(select(Method.id).order_by(Method.id)),
            "rollout_id": rollout.id,
            "workshop_id": workshop.id,
            "session_id": next(s.id for s in workshop.sessions if s.kind == "session"),
            "participant_id": db.scalar(
                select(Registration.participant_id)
                .where(Registration.workshop_id == workshop.id)
                .order_by(Registration.id)
            ),
            "batch_id": batch.id,
            "fmt": ["csv", "xlsx", "pdf"],
            "lang": ["lo", "en"],
            "paper": ["attendance", "test", "evaluation", "answers-pre", "answers-post"],
            "day": workshop.start_date.isoformat(),
            "part": ["agenda", "trainers", "participants"],
            "token": token,
            "scan": scan,
            "page": 1,
            "area": "r0.row",
        }
        values = {"-": common, "own": trainer_ids(own), "other": trainer_ids(other)}
        empty = [(k, name) for k, v in values.items() for name, value in v.items() if value is None]
        assert not empty, f"the demo data has nothing for {empty}"
        login_ids = {role: login_id(user) for role, user in users.items()}
        return {"login_ids": login_ids, "values": values}


# -- requests ------------------------------------------------------------------------------------


def _client_for(app, role: str, login_ids: dict):
    client = app.test_client()
    if role == "anonymous":
        response = client.post("/language", data={"language": "lo", "next": "/"})
        response.close()
        assert response.status_code == 302, response.status_code
    else:
        with client.session_transaction() as session:
            session["_user_id"] = login_ids[role]
            session["_fresh"] = True
    return client


def _route_urls(app, values: dict, role: str, missing: set[str]) -> list[str]:
    """Every GET route the role may use, with demo ids (each value of a list tried); a route
    that cannot be requested (not in ROUTES, or no demo value for an argument) goes into
    ``missing``."""
    from itertools import product

    from flask import url_for

    adapter = app.url_map.bind("localhost")
    urls: list[str] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods:
            continue
        action = ROUTES.get((rule.endpoint, "GET"))
        if action is None:
            missing.add(f"{rule.endpoint} ({rule.rule}): not in ROUTES of test_access_matrix.py")
            continue
        unknown = sorted(rule.arguments - values["-"].keys() - values["own"].keys())
        if unknown:
            missing.add(f"{rule.endpoint} ({rule.rule}): no demo value for {', '.join(unknown)}")
            continue
        trainer_rule = bool({"trainer_id", "record_id", "item_id"} & rule.arguments)
        for variant in ("own", "other") if trainer_rule else ("-",):
            if not expected_allowed(action, role, variant):
                continue
            merged = {**values["-"], **values.get(variant, {})}
            names = sorted(rule.arguments)
            choices = [v if isinstance(v, list) else [v] for v in (merged[n] for n in names)]
            for combination in product(*choices):
                try:
                    with app.test_request_context():
                        url = url_for(rule.endpoint, **dict(zip(names, combination, strict=True)))
                    if adapter.match(url, method="GET")[0] != rule.endpoint:
                        continue
                except (ValueError, BuildError, HTTPException):
                    continue  # a value this rule does not take (e.g. part=agenda for progress)
                urls.append(url)
                urls += [url + extra for extra in EXTRA_PAGES.get(rule.endpoint, [])]
    return list(dict.fromkeys(urls))


def _endpoint(app, url: str) -> str | None:
    parts = urlsplit(url)
    try:
        return app.url_map.bind("localhost").match(parts.path, method="GET")[0]
    except RequestRedirect:
        return None
    except HTTPException:
        return None


def _same_site(base: str, href: str) -> str | None:
    """The link as a path (with its query, without its fragment), or None if off site."""
    href = href.strip()
    if href.startswith(("mailto:", "tel:", "javascript:", "data:", "#")):
        return None
    absolute = urlsplit(urljoin("http://localhost" + base, href))
    if absolute.netloc != "localhost" or absolute.scheme not in ("http", "https"):
        return None
    return absolute.path + (f"?{absolute.query}" if absolute.query else "")


class Crawl:
    def __init__(self, app, role: str, client, vocabulary: set[str]):
        self.app, self.role, self.client, self.vocabulary = app, role, client, vocabulary
        self.seen: set[str] = set()
        self.english: dict[str, dict[str, list[str]]] = {}  # url -> text -> its words
        self.errors: dict[str, str] = {}  # url -> status and traceback
        self.not_lao: dict[str, str | None] = {}  # url -> <html lang>
        self.pages = self.files = 0

    def visit(self, url: str) -> list[str]:
        """Request ``url`` (following redirects on site); return the links of the page."""
        links: list[str] = []
        for _hop in range(5):
            if url in self.seen:
                return links
            self.seen.add(url)
            try:
                response = self.client.get(url)
            except Exception as exc:  # TESTING propagates exceptions: this is a 500
                lines = traceback.format_exception(exc)
                self.errors[url] = "500\n" + "".join(lines[-6:]).rstrip()
                return links
            try:
                status = response.status_code
                if status >= 500:
                    self.errors[url] = f"{status}\n" + response.get_data(as_text=True)[:500]
                    return links
                if 300 <= status < 400:
                    target = _same_site(url, response.headers.get("Location", ""))
                    if target is None or _endpoint(self.app, target) in NOT_FOLLOWED:
                        return links
                    url = target
                    continue
                if _endpoint(self.app, url) in DOWNLOADS or response.mimetype != "text/html":
                    self.files += 1
                    return links
                self.pages += 1
                page = read_page(response.get_data(as_text=True))
                if page.html_lang != "lo":
                    self.not_lao[url] = page.html_lang
                words = english_words(page.texts, self.vocabulary)
                if words:
                    self.english[url] = words
                return [link for href in page.links if (link := _same_site(url, href))]
            finally:
                response.close()
        return links

    def follow(self, start: str = "/") -> None:
        """Breadth first from ``start``, to MAX_DEPTH links away; downloads not followed."""
        frontier = [start]
        for depth in range(MAX_DEPTH + 1):
            found: list[str] = []
            for url in frontier:
                links = self.visit(url) if url not in self.seen else []
                if depth < MAX_DEPTH:
                    found += links
            frontier = [
                link
                for link in dict.fromkeys(found)
                if link not in self.seen
                and _endpoint(self.app, link) not in DOWNLOADS | NOT_FOLLOWED
            ]


# -- the report ----------------------------------------------------------------------------------


def _report(crawls: list[Crawl], missing: set[str], seconds: float) -> tuple[str, int]:
    lines: list[str] = []
    problems = len(missing)
    if missing:
        lines.append(f"== GET routes this test could not request ({len(missing)}): add them")
        lines += sorted(missing)

    errors: dict[str, list[str]] = defaultdict(list)
    for crawl in crawls:
        for url, text in crawl.errors.items():
            errors[url].append(f"{crawl.role}: {text}")
    if errors:
        lines.append(f"== Server errors (5xx) on {len(errors)} URL(s)")
        for url in sorted(errors):
            lines.append(f"GET {url}")
            lines += ["    " + line for entry in errors[url] for line in entry.splitlines()]
        problems += sum(len(e) for e in errors.values())

    not_lao: dict[str, list[str]] = defaultdict(list)
    for crawl in crawls:
        for url, lang in crawl.not_lao.items():
            not_lao[f"{url} (html lang={lang!r})"].append(crawl.role)
    if not_lao:
        lines.append(f"== Pages not served in Lao ({len(not_lao)})")
        lines += [f"{page}  [{', '.join(roles)}]" for page, roles in sorted(not_lao.items())]
        problems += sum(len(r) for r in not_lao.values())

    # url -> roles -> words, text -> (words, roles, urls), word -> urls
    by_page: dict[str, dict[str, list[str]]] = defaultdict(dict)
    by_text: dict[str, tuple[list[str], set[str], set[str]]] = {}
    by_word: dict[str, set[str]] = defaultdict(set)
    for crawl in crawls:
        for url, texts in crawl.english.items():
            words = sorted({w for ws in texts.values() for w in ws})
            by_page[url][crawl.role] = words
            problems += 1
            for text, text_words in texts.items():
                entry = by_text.setdefault(text, (text_words, set(), set()))
                entry[1].add(crawl.role)
                entry[2].add(url)
            for word in words:
                by_word[word].add(url)
    if by_page:
        lines.append(
            f"== English interface words: {len(by_word)} word(s) in {len(by_text)} text(s) "
            f"on {len(by_page)} Lao page(s)"
        )
        lines.append("-- by page: roles: words")
        for url in sorted(by_page):
            lines.append(f"GET {url}")
            groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
            for role, words in by_page[url].items():
                groups[tuple(words)].append(role)
            lines += [f"    {', '.join(r)}: {' '.join(w)}" for w, r in groups.items()]
        lines.append("-- by text: «text» words [roles] (pages)")
        for text, (words, roles, urls) in sorted(
            by_text.items(), key=lambda item: (-len(item[1][2]), item[0])
        ):
            short = text if len(text) <= 90 else text[:87] + "..."
            pages = sorted(urls)
            more = f" (+{len(pages) - 4} more)" if len(pages) > 4 else ""
            lines.append(f"«{short}» {' '.join(words)} [{', '.join(sorted(roles))}]")
            lines.append(f"    {len(pages)} page(s): {' '.join(pages[:4])}{more}")
        lines.append("-- by word: word (pages)")
        lines += [
            f"{word} ({len(urls)})"
            for word, urls in sorted(by_word.items(), key=lambda item: (-len(item[1]), item[0]))
        ]

    summary = ", ".join(f"{c.role} {c.pages} pages + {c.files} files" for c in crawls)
    lines.insert(0, f"Lao crawl on {backend()}: {summary}; {seconds:.0f} s")
    return "\n".join(lines), problems


def test_lao_interface_has_no_english_words_nor_server_errors(demo_site):
    started = time.monotonic()
    app = demo_site["app"]
    vocabulary = interface_vocabulary()
    crawls = []
    missing: set[str] = set()
    for role in ROLES:
        client = _client_for(app, role, demo_site["login_ids"])
        crawl = Crawl(app, role, client, vocabulary)
        routes = _route_urls(app, demo_site["values"], role, missing)
        files = [url for url in routes if _endpoint(app, url) in DOWNLOADS]
        for url in files:  # first: a progress page is a page once its document exists
            crawl.visit(url)
        crawl.follow("/")
        for url in routes:
            crawl.visit(url)
        crawls.append(crawl)
    report, problems = _report(crawls, missing, time.monotonic() - started)
    build = ROOT / "build"
    build.mkdir(exist_ok=True)
    Path(build / f"lao-crawl-{backend()}.txt").write_text(report + "\n")
    assert problems == 0, (
        f"{problems} problem(s); also in build/lao-crawl-{backend()}.txt\n{report}"
    )


def test_the_reader_keeps_only_what_a_lao_reader_sees():
    """The detector's own rules, on a small page (no database)."""
    page = read_page(
        '<html lang="lo"><head><title>Three elements · ຫຼັກສູດ</title></head><body>'
        '<h1 lang="en">Three elements</h1><p hidden>Hidden text</p><template><p>Row</p></template>'
        '<script>var title = "Title";</script><div lang="en"><p>English content'
        '<span lang="lo">ລາວ Nested</span></p></div><ul><li>ໜຶ່ງ<li lang="en">Item<li>Third</ul>'
        '<input type="submit" value="Save"><input type="text" value="Typed"><button value="x">ສົ່ງ</button>'
        '<img alt="Logo"><a href="/trainers/?page=2#top" aria-label="Next page">ຕໍ່ໄປ</a>'
        "<p>LAO-ATIP, M01, LA-VT, 2027-03-09, a.name@example.org, https://example.org/page</p>"
        "<p>ການເລົ່າເລື່ອງ (Account) · 90 (Minutes)</p>"
        "</body></html>"
    )
    assert page.html_lang == "lo"
    assert page.links == ["/trainers/?page=2#top"]
    assert _same_site("/", page.links[0]) == "/trainers/?page=2"
    vocabulary = {"three", "hidden", "row", "title", "english", "nested", "item", "third", "save"}
    vocabulary |= {"typed", "logo", "next", "page", "lao", "name", "example", "elements"}
    vocabulary |= {"account", "minutes"}
    assert english_words(page.texts, vocabulary) == {
        "ລາວ Nested": ["nested"],
        "Third": ["third"],
        "Save": ["save"],
        "Logo": ["logo"],
        "Next page": ["next", "page"],
        "ການເລົ່າເລື່ອງ (Account) · 90 (Minutes)": ["minutes"],
    }
