"""What the journeys share: signing in, the Lao interface's words, PDFs opened by clicking
and read back (page count, headings, the right margin, dotted circles).

A PDF opened in Chromium lands in its PDF viewer, whose page is not the PDF's bytes; so every
context records the PDF responses it receives (a route that fetches each ``*.pdf`` address
once and hands the very same response to the browser) and ``open_pdf`` saves the bytes that
answered the click.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from babel.support import Translations
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from pypdf import PdfReader

from tests.pdf_checks import dotted_circles

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
DOCUMENT_CSS = ROOT / "curriculum" / "documents" / "static"
XHTML = "{http://www.w3.org/1999/xhtml}"
MM = 72 / 25.4
PAGE_SIZES = {"A4": (210 * MM, 297 * MM)}
DOTTED_CIRCLE = "\u25cc"

# -- the interface's words --------------------------------------------------------------------


@cache
def _lao() -> Translations:
    catalogue = Translations.load(str(TRANSLATIONS), ["lo"])
    # without the compiled catalogue the app and these helpers would both fall back to
    # English, and a "Lao" journey would quietly walk the English interface
    assert isinstance(catalogue, Translations), "no Lao catalogue: run `make translations`"
    return catalogue


def lo(message: str, **values) -> str:
    """The Lao interface's text for ``message`` (from the same catalogue the app reads)."""
    text = _lao().ugettext(message)
    return text % values if values else text


def lo_n(singular: str, plural: str, n: int, **values) -> str:
    return _lao().ungettext(singular, plural, n) % {"num": n, **values}


# -- the agenda's lesson plans ------------------------------------------------------------------

LANGUAGES = {"lo": "Lao", "en": "English"}


def shipped_plan(code: str, language: str) -> dict:
    """The first shipped lesson plan of a module in a language (by file name), as the data
    has it."""
    path = sorted((ROOT / "modules" / "lesson-plans").glob(f"{code.lower()}-{language}-*.yaml"))[0]
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def plan_option(code: str, language: str, *, lao: bool = False) -> str:
    """The text of the agenda form's option for the shipped plan of a module, in the English
    interface or (``lao``) the Lao one: "M04 · <title> (90 minutes, English)"."""
    plan = shipped_plan(code, language)
    minutes, name = "%(minutes)s minutes", LANGUAGES[language]
    if lao:
        details = f"{lo(minutes, minutes=plan['duration_minutes'])}, {lo(name)}"
    else:
        details = f"{minutes % {'minutes': plan['duration_minutes']}}, {name}"
    return f"{code} · {plan['title']} ({details})"


# -- people ------------------------------------------------------------------------------------


def sign_in(browser: Browser, server: dict, email: str, *, lao: bool = False) -> Page:
    """A new browser context signed in as ``email``; with ``lao`` the person then switches
    the interface to Lao with the language control in the page header."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="en-GB"
    )
    record_pdfs(context)
    page = _signed_in(context.new_page(), server, email)
    if lao:
        page.get_by_role("button", name="ລາວ", exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "lo")
        expect(page.get_by_role("link", name=lo("Lesson plans"), exact=True)).to_be_visible()
    return page


def tablet_sign_in(browser: Browser, server: dict, email: str) -> Page:
    """A new browser context the size of a tablet, signed in as ``email``."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, accept_downloads=True)
    return _signed_in(context.new_page(), server, email)


def _signed_in(page: Page, server: dict, email: str) -> Page:
    page.goto(f"{server['url']}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(server["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Lesson plans", exact=True)).to_be_visible()
    return page


def download(page, url, tmp_path):
    with page.expect_download() as info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = '';"
            " document.body.appendChild(a); a.click(); }",
            url,
        )
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def shot(page: Page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


# -- PDFs opened by clicking ---------------------------------------------------------------------


def record_pdfs(context: BrowserContext) -> None:
    bodies: dict[str, bytes] = {}
    context.pdf_bodies = bodies  # type: ignore[attr-defined]

    def handle(route: Route) -> None:
        response = route.fetch(max_redirects=0)
        if response.headers.get("content-type", "").startswith("application/pdf"):
            bodies[route.request.url] = response.body()
        route.fulfill(response=response)

    context.route(lambda url: urlsplit(url).path.endswith(".pdf"), handle)


def open_pdf(page: Page, click, path: Path, timeout: float = 60_000) -> Path:
    """Do ``click`` (a callable), wait for the PDF it opens, save its bytes at ``path``."""
    with page.expect_response(
        lambda r: r.headers.get("content-type", "").startswith("application/pdf"), timeout=timeout
    ) as info:
        click()
    response = info.value
    assert response.status == 200, f"{response.url}: {response.status}"
    data = page.context.pdf_bodies.pop(response.url)  # type: ignore[attr-defined]
    assert data.startswith(b"%PDF-"), f"{response.url} is not a PDF"
    path.write_bytes(data)
    return path


def wait_for_progress_then_open(page: Page, open_label: str, path: Path) -> Path:
    """On a progress page (it reloads itself every second): wait for the open button, click it."""
    link = page.get_by_role("link", name=open_label, exact=True)
    expect(link).to_be_visible(timeout=90_000)
    return open_pdf(page, link.click, path)


# -- reading a PDF back ----------------------------------------------------------------------


def squeeze(text: str) -> str:
    """Compare text across line breaks: NFC, no whitespace, no U+200B."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text).replace("\u200b", ""))


def is_lao(ch: str) -> bool:
    return "\u0e80" <= ch <= "\u0eff"


def page_count(path: Path) -> int:
    return len(PdfReader(path).pages)


def pages_text(path: Path) -> list[str]:
    """Each page's text in reading order (pypdf keeps Lao marks with their consonant)."""
    return [page.extract_text() for page in PdfReader(path).pages]


def poppler_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def text_of(path: Path) -> str:
    return squeeze("".join(pages_text(path)))


def lines_of(path: Path) -> set[str]:
    """The PDF's lines of text, each squeezed."""
    return {squeeze(line) for text in pages_text(path) for line in text.splitlines()}


def assert_contains(path: Path, strings, *, pages: list[str] | None = None) -> None:
    """Each string (a heading as typed in the page or the data) is in the PDF's text, exactly
    (compared without whitespace and U+200B, NFC)."""
    text = squeeze("".join(pages)) if pages is not None else text_of(path)
    for s in strings:
        assert squeeze(s) in text, f"{path.name}: {s!r} not found"


def assert_no_dotted_circle(path: Path) -> None:
    """A Lao vowel or tone mark drawn on its own shows U+25CC: never in our documents."""
    assert DOTTED_CIRCLE not in "".join(pages_text(path)), f"{path.name}: dotted circle (pypdf)"
    assert DOTTED_CIRCLE not in poppler_text(path), f"{path.name}: dotted circle (pdftotext)"
    # the text layer reads right even where the shaper drew a dotted circle: look for the
    # glyph itself in the embedded fonts
    assert dotted_circles(path) == [], f"{path.name}: dotted circle drawn"


def page_box(css_name: str) -> tuple[float, float]:
    """(page width, right margin) in points, from the document's own @page rule."""
    css = (DOCUMENT_CSS / css_name).read_text()
    rule = css[css.index("@page") :]
    size = re.search(r"size:\s*([^;}]+)", rule)[1].split()
    width, height = PAGE_SIZES[size[0]]
    if "landscape" in size:
        width, height = height, width
    margins = [
        float(v.removesuffix("mm")) * MM for v in re.search(r"margin:\s*([^;}]+)", rule)[1].split()
    ]
    right = margins[1] if len(margins) > 1 else margins[0]
    return width, right


def lines_with_boxes(path: Path):
    """Each page's width and its lines (xMax, text), from pdftotext -bbox-layout."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    for page in root.iter(f"{XHTML}page"):
        lines = []
        for line in page.iter(f"{XHTML}line"):
            words = [w.text or "" for w in line.iter(f"{XHTML}word")]
            lines.append((float(line.get("xMax")), " ".join(words).replace("\u200b", "")))
        yield float(page.get("width")), lines


def assert_lao_inside_margin(path: Path, css_name: str, *, at_least: int = 1) -> int:
    """No line with Lao in it runs past the right margin the document's CSS sets; returns
    how many Lao lines were checked (at least ``at_least``)."""
    width, right = page_box(css_name)
    checked = 0
    for page_width, lines in lines_with_boxes(path):
        assert abs(page_width - width) < 1, f"{path.name}: page {page_width} pt wide, not {width}"
        for x_max, text in lines:
            if any(is_lao(ch) for ch in text):
                assert x_max <= width - right + 1, (
                    f"{path.name}: a Lao line runs past the right margin "
                    f"({x_max:.1f} > {width - right:.1f} pt): {text[:60]}"
                )
                checked += 1
    assert checked >= at_least, f"{path.name}: only {checked} Lao lines"
    return checked
