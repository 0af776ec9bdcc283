"""The Reference Guide rendered for real (WeasyPrint) and read back (pdftotext, pypdf)."""

from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from curriculum.content.markdown import plain_text
from curriculum.documents.guide import guide_data, guide_html, render_guide
from curriculum.documents.render import Settings
from curriculum.lao import boundaries, is_lao
from curriculum.permissions import SYSTEM
from curriculum.services.content import get_module, list_modules, save_module
from tests.pdf import (
    TRANSLATIONS,
    as_extracted,
    lao_text,
    link_uris,
    pages_text,
    squeeze,
    text_lines,
)

A4_WIDTH = 595.28
RIGHT_MARGIN = 20 / 25.4 * 72  # 20 mm, as guide.css sets
CONTENT_RIGHT = A4_WIDTH - RIGHT_MARGIN


@pytest.fixture
def settings(document_cache):
    return Settings(document_cache, TRANSLATIONS)


def test_table_of_contents_gives_the_page_each_chapter_starts_on(db, settings):
    document = render_guide(db, settings, "en")
    pages = pages_text(document.path)
    toc = pages[1]
    assert "Contents" in toc
    modules = list_modules(db)
    for module in modules:
        match = re.search(rf"^\s*{module.code}\s.*?(\d+)\s*$", toc, re.M)
        assert match, f"{module.code} missing from the table of contents"
        page = int(match.group(1))
        # the chapter's heading or running head, not a mention such as "(Module 8)" in a text
        heading = re.compile(rf"^\s*Module {int(module.code[1:])}\b(?!\))", re.M)
        assert heading.search(pages[page - 1]), f"{module.code} does not start on page {page}"
        assert module.title_en.split(":")[0][:20] in pages[page - 1].replace("\n", " ")
        assert not heading.search(pages[page - 2]), f"{module.code} starts before page {page}"
    assert re.search(r"Annex 1: Glossary\s.*?\d+", toc)
    assert "Page 3 of" in pages[2]


def test_every_chapter_has_a_bookmark(db, settings):
    reader = PdfReader(render_guide(db, settings, "en").path)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for module in list_modules(db):
        assert any(module.title_en in t for t in titles), module.code
    assert any("Glossary" in t for t in titles)
    assert any("Legal provisions cited" in t for t in titles)


# What a page prints around the text: its running head and page number, and the numbers of
# an ordered list (read back after the page's text).
FURNITURE = re.compile(r"^(ບົດທີ \d+ .*|ໜ້າ \d+ ຈາກ \d+|\d+\.\s*)$")


def running_text(pages: list[str]) -> str:
    """The pages' text as one, without what each page prints around it: a paragraph that
    runs over a page break reads back whole."""
    return "".join(
        "\n".join(line for line in page.split("\n") if not FURNITURE.match(line.strip()))
        for page in pages
    )


def test_lao_guide_contains_the_lao_chapters_and_embeds_lao_fonts(db, settings):
    document = render_guide(db, settings, "lo", ["M01", "M04"])
    text = squeeze(running_text(lao_text(document.path)))
    assert "\u200b" not in "".join(pages_text(document.path)), "copied text keeps U+200B"
    for code in ("M01", "M04"):
        body = get_module(db, code).content["body"]["lo"]
        paragraphs = [p for p in plain_text(body).split("\n") if len(p) > 40]
        assert len(paragraphs) > 10
        for paragraph in paragraphs:
            assert as_extracted(squeeze(paragraph)) in text
    fonts = subprocess.run(
        ["pdffonts", str(document.path)], capture_output=True, text=True, check=True
    ).stdout
    assert "Lao" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:]), "every font is embedded"


def test_a_chapter_without_lao_prints_english_under_a_note(db, settings):
    module = get_module(db, "M02")
    c = module.content
    save_module(  # the Lao chapter's text taken out again
        db,
        SYSTEM,
        "M02",
        "lo",
        {
            **{k: c[k]["lo"] for k in ("title", "summary", "audience")},
            "learning_outcomes": c["learning_outcomes"]["lo"],
            "key_messages": c["key_messages"]["lo"],
            "body": "",
            "translation_status": "draft",
            "comment": "Lao chapter withdrawn for review",
        },
        module.lock_version,
    )
    note = squeeze(as_extracted("ບົດນີ້ຍັງບໍ່ມີພາສາລາວ"))
    cover_note = squeeze(as_extracted("ບົດທີ່ບໍ່ມີພາສາລາວ ຖືກພິມເປັນພາສາອັງກິດ"))
    document = render_guide(db, settings, "lo", ["M02"])
    english = " ".join(" ".join(pages_text(document.path)).split())
    assert "A convention and its protocols" in english  # the English chapter, in the Lao guide
    assert "United Nations Convention against Transnational Organized Crime" in english
    lao = squeeze("".join(lao_text(document.path)))
    assert note in lao and cover_note in lao
    lao = squeeze("".join(lao_text(render_guide(db, settings, "lo", ["M04"]).path)))
    assert note not in lao and cover_note not in lao


ACRONYM = re.compile(r"\b[A-Z]{2,7}\b")


def test_the_whole_lao_guide_is_in_lao_to_its_bookmarks_and_contents(db, settings):
    document = render_guide(db, settings, "lo")
    reader = PdfReader(document.path)
    pages = [page.extract_text() for page in reader.pages]
    text = "".join(pages)
    assert squeeze(as_extracted("ບົດນີ້ຍັງບໍ່ມີພາສາລາວ")) not in squeeze(text)
    assert squeeze(as_extracted("ຖືກພິມເປັນພາສາອັງກິດ")) not in squeeze(text)
    # at least 85% of the letters on the pages are Lao (the rest: acronyms such as TOC,
    # provision keys, and the English terms beside the Lao ones in the glossary)
    letters = [ch for ch in text if ch.isalpha()]
    lao = sum(1 for ch in letters if is_lao(ch))
    assert lao / len(letters) >= 0.85, f"{lao / len(letters):.1%} of the letters are Lao"

    def titles(items):
        for item in items:
            yield from titles(item) if isinstance(item, list) else [item.title]

    bookmarks = [t.replace("\u200b", "") for t in titles(reader.outline)]
    modules = list_modules(db)
    assert len(bookmarks) > 10 * len(modules)  # the chapters and their sections
    for title in bookmarks:
        # Lao words; Latin letters only in acronyms (TOC, TIPP, PEACE)
        assert any(is_lao(ch) for ch in title), title
        assert not re.search(r"[A-Za-z]", ACRONYM.sub("", title)), title
    for module in modules:
        assert any(t.endswith(module.title_lo.replace("\u200b", "")) for t in bookmarks)
    contents = pages[1]
    assert "ສາລະບານ" in contents and not re.search(r"\bM\d\d\b", contents)
    for module in modules:
        assert squeeze(as_extracted(f"ບົດທີ {int(module.code[1:])}")) in squeeze(contents)


def test_lao_lines_stay_inside_the_margin_and_break_between_words(db, settings):
    document = render_guide(db, settings, "lo", ["M04"])
    assert len(PdfReader(document.path).pages) >= 3
    lao_lines = 0
    for lines in text_lines(document.path):
        for x_max, text in lines:
            if any(is_lao(ch) for ch in text):
                assert x_max <= CONTENT_RIGHT + 1, f"runs past the margin: {text[:40]}"
                lao_lines += 1
    assert lao_lines > 50
    # Two lines of one paragraph follow each other in the HTML's text; a heading and the
    # paragraph after it do not (a tag separates them).
    html = guide_html(settings, guide_data(db, "lo", ["M04"]), "lo")
    source = as_extracted(squeeze(re.sub(r"<[^>]*>", "|", html)))
    checked = 0
    for page in lao_text(document.path):
        lines = [squeeze(line) for line in page.split("\n")]
        for first, second in zip(lines, lines[1:], strict=False):
            if not (first and second and is_lao(first[-1]) and is_lao(second[0])):
                continue
            if first[-12:] + second[:12] not in source:
                continue  # not two lines of one paragraph
            joined = first + second
            assert len(first) in boundaries(joined), f"line ends inside a word: …{first[-15:]}"
            checked += 1
    assert checked > 20


def _save_english_body(db, module, body: str, comment: str) -> None:
    """Save ``module`` with a new English chapter text, everything else as it was."""
    save_module(
        db,
        SYSTEM,
        module.code,
        "en",
        {
            **{k: module.content[k]["en"] for k in ("title", "summary", "audience")},
            "learning_outcomes": module.content["learning_outcomes"]["en"],
            "key_messages": module.content["key_messages"]["en"],
            "body": body,
            "translation_status": "reviewed",
            "duration_minutes": 360,
            "legal_review": "checked",
            "comment": comment,
        },
        module.lock_version,
    )


def test_unsafe_markdown_is_harmless_in_the_pdf(db, settings):
    module = get_module(db, "M10")
    body = module.content["body"]["en"] + (
        "\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        "[click](javascript:alert(3)) and ![x](file:///etc/passwd)\n"
    )
    _save_english_body(db, module, body, "Unsafe input")
    html = guide_html(
        settings,
        {
            "modules": [{"code": "M10", "revision": 2, "content": module.content}],
            "provisions": [],
            "terms": [],
            "whole": False,
        },
        "en",
    )
    assert "<script>" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img" not in html
    assert 'href="javascript' not in html and 'src="file' not in html
    document = render_guide(db, settings, "en", ["M10"])
    text = " ".join(" ".join(pages_text(document.path)).split())
    assert "<script>alert(1)</script>" in text  # shown as text, not run
    assert not any("javascript" in uri.lower() for uri in link_uris(document.path))


def test_only_web_mail_and_in_document_links_reach_the_pdf(db, settings):
    module = get_module(db, "M10")
    body = module.content["body"]["en"] + (
        "\n\nSee [the previous chapter](m09-related-crimes.md), [the library](/library/),"
        " [UNODC](https://www.unodc.org/) and [the secretariat](mailto:ctg@example.org).\n"
    )
    _save_english_body(db, module, body, "Links")
    document = render_guide(db, settings, "en", ["M10"])
    web = [u for u in link_uris(document.path) if u]
    assert "https://www.unodc.org/" in web and "mailto:ctg@example.org" in web
    assert all(u.startswith(("https://", "http://", "mailto:")) for u in web), web
    assert b"file:" not in document.path.read_bytes()
    text = " ".join(" ".join(pages_text(document.path)).split())
    assert "See the previous chapter, the library," in text  # the words stay
