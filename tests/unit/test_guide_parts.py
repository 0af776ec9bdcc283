"""The Reference Guide put together from parts laid out apart (curriculum/documents/parts.py):
read back, it is the guide laid out as one document, page for page, with its page numbers,
contents, bookmarks and links; after an edit only the parts made from it are laid out again."""

from __future__ import annotations

import re
import threading

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from curriculum.documents import parts
from curriculum.documents.guide import guide_data, guide_html, render_guide
from curriculum.documents.render import CachedDocument, Settings, render_pdf
from curriculum.permissions import SYSTEM
from curriculum.services.content import get_module, list_modules, save_module
from tests.pdf import TRANSLATIONS, as_extracted, lao_text, pages_text, squeeze


@pytest.fixture
def settings(document_cache):
    return Settings(document_cache, TRANSLATIONS)


def outline(path) -> list[tuple[int, int, str]]:
    """(depth, page number, title) of every bookmark, in order."""
    reader = PdfReader(path)
    found: list[tuple[int, int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, reader.get_destination_page_number(item) + 1, item.title))

    walk(reader.outline, 0)
    return found


def links(path) -> list[tuple[int, str, int | str]]:
    """(page number, target, page it lands on) of every link: in-document links by their
    named destination, others by their address."""
    reader = PdfReader(path)
    destinations = reader.named_destinations
    found: list[tuple[int, str, int | str]] = []
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            target = annotation.get("/Dest")
            if target is None:
                action = annotation["/A"].get_object()
                target = action.get("/D", action.get("/URI"))
            if isinstance(target, str) and target in destinations:
                landing = reader.get_destination_page_number(destinations[target]) + 1
                found.append((number, str(target), landing))
            else:
                found.append((number, "address", str(target)))
    return found


def read_pages(path) -> list[str]:
    return [as_extracted(squeeze(page)) for page in lao_text(path)]


@pytest.mark.parametrize("language", ["en", "lo"])
def test_the_assembled_guide_reads_as_the_guide_laid_out_as_one_document(
    db, settings, tmp_path, language
):
    with parts.process_pool() as pool:
        document = render_guide(db, settings, language, pool=pool)
    one = tmp_path / "one-document.pdf"
    one.write_bytes(render_pdf(guide_html(settings, guide_data(db, language), language)))

    assembled = pages_text(document.path)
    assert len(assembled) == len(pages_text(one)) > 40
    assert assembled == pages_text(one)  # page for page, footers and contents included
    assert outline(document.path) == outline(one)
    assert links(document.path) == links(one)
    reader, whole = PdfReader(document.path), PdfReader(one)
    assert reader.metadata.title == whole.metadata.title
    assert reader.metadata.author == whole.metadata.author
    assert reader.root_object["/Lang"] == whole.root_object["/Lang"] == language

    # and on its own terms: every page but the cover says its number, once
    pages = read_pages(document.path)
    label = page_label(settings, language)
    assert label.findall(pages[0]) == []
    for number, text in enumerate(pages[1:], 2):
        assert label.findall(text) == [(str(number), str(len(pages)))], f"page {number}"

    # the contents give the page each chapter starts on, and its bookmark lands there
    contents = pages_text(document.path)[1]
    listed = [int(n) for n in re.findall(r"\.{5,}\s*(\d+)\s*$", contents, re.M)]
    bookmarks = {squeeze(title): page for depth, page, title in outline(document.path) if not depth}
    modules = list_modules(db)
    assert len(listed) == len(modules) + 2  # and the two annexes
    for module, start in zip(modules, listed, strict=False):
        heading = message(settings, language, "Module %(number)s", number=int(module.code[1:]))
        # the English contents name a chapter by its code, the Lao by its number in Lao
        listed_as = module.code if language == "en" else r"\s*".join(map(re.escape, heading))
        assert re.search(rf"^\s*{listed_as}\s.*\s{start}\s*$", contents, re.M), module.code
        title = module.title_lo if language == "lo" and module.title_lo else module.title_en
        assert bookmarks[squeeze(heading + title)] == start, module.code
        assert as_extracted(heading + squeeze(title)) in pages[start - 1], module.code
    annex = listed[-1]
    annex_title = message(settings, language, "Annex 2: Legal provisions cited")
    assert bookmarks[annex_title] == annex
    assert as_extracted(annex_title) in pages[annex - 1]
    assert as_extracted(annex_title) not in pages[annex - 2]

    # each chapter's list of its provisions links to their pages in the annex
    provisions = {f"p-{p['key'].lower()}": p for p in guide_data(db, language)["provisions"]}
    cited = [link for link in links(document.path) if link[1] in provisions]
    assert len({target for _page, target, _landing in cited}) == len(provisions)
    for page, target, landing in cited:
        assert page < annex <= landing, target
        provision = provisions[target]
        key = squeeze(f"{provision['instrument']} {provision['article']}")
        assert key in pages[landing - 1], target
    assert all("xref.invalid" not in str(link) for link in links(document.path))


def message(settings: Settings, language: str, text: str, **values) -> str:
    """``text`` in ``language``, without spacing."""
    return squeeze(str(settings.translations(language).gettext(text)) % values)


def page_label(settings: Settings, language: str) -> re.Pattern:
    """ "Page X of N" in ``language`` as the text layer gives it, without spacing; X and N
    captured."""
    label = message(settings, language, "Page %(page)s of %(pages)s", page="§", pages="¶")
    before, rest = as_extracted(label).split("§")
    middle, after = rest.split("¶")
    return re.compile(f"{re.escape(before)}(\\d+){re.escape(middle)}(\\d+){re.escape(after)}")


def save_body(db, code: str, language: str, body: str) -> None:
    """Save one language of module ``code`` with a new chapter text, all else as it was."""
    module = get_module(db, code)
    c = module.content
    values = {
        **{k: c[k][language] for k in ("title", "summary", "audience", "body")},
        "learning_outcomes": c["learning_outcomes"][language],
        "key_messages": c["key_messages"][language],
        "translation_status": c["translation"][language],
        "comment": "Edited",
        "body": body,
    }
    if language == "en":
        values |= {"duration_minutes": c["duration_minutes"], "legal_review": c["legal_review"]}
    save_module(db, SYSTEM, code, language, values, module.lock_version)
    db.flush()


def cached_parts(settings: Settings) -> dict[str, int]:
    """The guide's parts in the cache: file name and inode (a file written again is a new
    file moved into place; its time changes whenever it is used, see mark_used)."""
    return {p.name: p.stat().st_ino for p in settings.cache_dir.glob("guide-*.pdf")}


@pytest.mark.parametrize(
    "language, code, pooled", [("en", "M03", True), ("lo", "M04", False)], ids=["en", "lo"]
)
def test_after_a_module_is_edited_only_its_chapter_is_laid_out_again(
    db, settings, monkeypatch, language, code, pooled
):
    laid_out: list[str] = []  # the parts laid out in this process (without a pool)
    lay_out = parts.lay_out

    def counted(document: CachedDocument, *args, **kwargs):
        laid_out.append(document.filename.removesuffix(".pdf"))
        return lay_out(document, *args, **kwargs)

    monkeypatch.setattr(parts, "lay_out", counted)

    def render():
        if not pooled:
            return render_guide(db, settings, language)
        with parts.process_pool() as pool:
            return render_guide(db, settings, language, pool=pool)

    first = render()
    before = cached_parts(settings)
    chapters = [m.code for m in list_modules(db)]
    assert len(before) == len(chapters) + 4  # the front, the annexes and the footers
    # without a pool every part was laid out here; with one, in its processes
    assert len(laid_out) == (0 if pooled else len(before))
    laid_out.clear()
    pages = len(PdfReader(first.path).pages)

    # a word changed: that chapter's part only, the contents' numbers and the footers stay
    body = get_module(db, code).content["body"][language]
    word = re.search(r"\b[a-z]{6,}\b" if language == "en" else "ການ", body).group(0)
    mark = "Amended" if language == "en" else "ປັບປຸງ"
    edited = body.replace(word, f"{word} {mark}", 1)
    save_body(db, code, language, edited)
    second = render()
    assert second.path != first.path and len(PdfReader(second.path).pages) == pages
    after = cached_parts(settings)
    new = sorted(set(after) - set(before))
    assert len(new) == 1 and new[0].startswith(f"guide-{code}-{language}-"), new
    assert all(after[name] == inode for name, inode in before.items()), "laid out again"
    if not pooled:
        assert laid_out == [f"{code}-{language}"]
    assert squeeze(mark) in squeeze("".join(lao_text(second.path)))

    # pages more in the chapter: it and the contents (new numbers) and the footers
    # ("of N") are laid out again, no other chapter
    laid_out.clear()
    paragraph = " ".join([word] * 60)
    save_body(db, code, language, edited + ("\n\n" + paragraph) * 12)
    third = render()
    new = sorted(set(cached_parts(settings)) - set(after))
    grown = len(PdfReader(third.path).pages) - pages
    assert grown >= 1
    expected = [f"{code}-{language}", "front-" + language, f"footer-{pages + grown}-{language}"]
    assert sorted(n.rsplit("-", 1)[0].removeprefix("guide-") for n in new) == sorted(expected)
    if not pooled:
        assert sorted(laid_out) == sorted(expected)
    # and the chapters after it are listed, and found, further on
    contents = pages_text(third.path)[1]
    listed = [int(n) for n in re.findall(r"\.{5,}\s*(\d+)\s*$", contents, re.M)]
    text = read_pages(third.path)
    later = chapters.index(code) + 1
    heading = message(settings, language, "Module %(number)s", number=later + 1)
    assert as_extracted(heading) in text[listed[later] - 1]
    assert page_label(settings, language).findall(text[-1]) == [(str(len(text)),) * 2]


def page(body: str) -> str:
    """A part made of ``body`` (module level: a part's HTML is made where it is laid out)."""
    return parts.cross_part_links(f"<html><body>{body}</body></html>")


def test_a_link_to_another_part_lands_on_its_anchor_and_one_to_no_part_keeps_its_text(
    document_cache,
):
    def part(name: str, body: str) -> parts.Part:
        cached = CachedDocument(name, document_cache / f"{name}.pdf", f"{name}.pdf")
        return parts.Part(name, cached, page, (body,))

    first = part(
        "a", '<h1 id="top">A</h1><a href="#top">up</a> <a href="#b">on</a> <a href="#x">x</a>'
    )
    second = part("b", '<h1 id="b">B</h1><p><a href="#top">back</a></p>')
    assert parts.render_parts([first, second, first]) == ["a", "b"]  # each part once
    assert parts.render_parts([first, second]) == []  # from the cache
    book = CachedDocument("book", document_cache / "book.pdf", "book.pdf")
    parts.assemble(book, [first.path, second.path])
    assert links(book.path) == [(1, "top", 1), (1, "b", 2), (2, "top", 1)]
    assert "up on x" in pages_text(book.path)[0]  # the link to no part is text
    assert b"xref.invalid" not in book.path.read_bytes()
    with pytest.raises(ValueError, match="footer has 1 pages, the book 2"):
        parts.assemble(book, [first.path, second.path], footer=first.path)

    footer = part(
        "footer",
        "<style>@page { @bottom-center { content: 'Folio ' counter(page) } }</style>"
        '<p style="break-after: page"></p><p></p>',
    )
    parts.render_parts([footer])
    parts.assemble(book, [first.path, second.path], footer=footer.path, footer_from=1)
    text = pages_text(book.path)
    assert "Folio" not in text[0] and "Folio 2" in text[1] and "back" in text[1]
    for page_ in PdfReader(book.path).pages:  # each content stream an indirect object
        contents = page_.raw_get("/Contents")
        streams = contents.get_object() if isinstance(contents.get_object(), list) else [contents]
        assert all(isinstance(stream, IndirectObject) for stream in streams)


def test_a_process_with_threads_lays_out_parts_in_processes_from_a_fork_server(db, settings):
    """As in the job consumer, whose jobs run in a worker thread beside others."""
    stop = threading.Event()
    beside = threading.Thread(target=stop.wait)
    beside.start()
    try:
        with parts.process_pool() as pool:
            assert pool._mp_context.get_start_method() == "forkserver"
            document = render_guide(db, settings, "lo", ["M04"], pool=pool)
    finally:
        stop.set()
        beside.join()
    assert sorted(p.name.split("-")[1] for p in settings.cache_dir.glob("guide-*.pdf")) == [
        "M04",
        "footer",
        "front",
        "glossary",
        "provisions",
    ]
    lao = squeeze("".join(lao_text(document.path)))
    assert as_extracted(squeeze(message(settings, "lo", "Module %(number)s", number=4))) in lao
