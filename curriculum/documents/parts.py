"""Long documents laid out part by part, in parallel processes, and put together with pypdf.

WeasyPrint lays a document out on one core, and the whole Reference Guide is its longest
document. A book is therefore made of parts (the cover and contents, each chapter, each
annex), each laid out as a PDF of its own and cached under a key of what it is made from.
The parts missing from the cache are laid out in parallel processes, longest first; after
an edit only the parts made from what changed are laid out again. pypdf then puts the parts
together, keeping their bookmarks and named destinations.

Page numbers are stamped, not laid out. A part's footer is blank; the assembled book gets
one overlay of "Page X of N" footers (a document of N empty pages laid out by WeasyPrint
from the book's CSS, cached by N and language) laid over its pages. So a part never
depends on the page it starts on nor on the book's length: when a chapter grows by a page,
the chapters after it are not laid out again, only the contents (whose numbers changed) and
an overlay for the new length. Laying out each part with ``counter-reset: page N`` instead
would bake N and the total into every part, and one page more anywhere would lay out every
part after it (and, for "of N", every part).

Links between parts: WeasyPrint drops a link to an anchor its document lacks, so before
layout a part's link to an anchor it does not hold is pointed at ``XREF`` + anchor (an
address that cannot resolve: ``.invalid`` is reserved), and once the parts are together
that link is pointed at the anchor's named destination, or loses its target (keeping its
text) if no part has the anchor.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import forkserver
from pathlib import Path
from typing import cast
from urllib.parse import unquote

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    StreamObject,
    TextStringObject,
)
from weasyprint.text.fonts import FontConfiguration

from .render import CachedDocument, mark_used, render_pdf, store

XREF = "https://xref.invalid/#"
_ID = re.compile(r"""(?<![\w-])id=(["'])(.*?)\1""")
_ANCHOR_HREF = re.compile(r"""(?<![\w-])href=(["'])#(.*?)\1""")
# catalog entries of the first part that the book keeps (WeasyPrint's /Lang, for one)
_CATALOG_KEYS = ("/Lang", "/PageMode", "/PageLayout", "/ViewerPreferences", "/MarkInfo")


def cross_part_links(html: str) -> str:
    """``html`` with each link to an anchor it does not hold pointed at ``XREF`` + anchor."""
    ids = {match.group(2) for match in _ID.finditer(html)}

    def point(match: re.Match) -> str:
        quote, anchor = match.group(1), match.group(2)
        if anchor in ids:
            return match.group(0)
        return f"href={quote}{XREF}{anchor}{quote}"

    return _ANCHOR_HREF.sub(point, html)


@dataclass(frozen=True)
class Part:
    """One part of a book: where it is cached, and how to make its HTML (``build(*args)``,
    a module-level function, so that another process can run it)."""

    name: str
    document: CachedDocument
    build: Callable[..., str]
    args: tuple
    weight: int = 0  # a guess at its layout time: the heaviest parts start first

    @property
    def path(self) -> Path:
        return self.document.path


def lay_out(
    document: CachedDocument,
    build: Callable[..., str],
    args: tuple,
    font_config: FontConfiguration | None = None,
) -> None:
    """Make the part's HTML, lay it out and cache the PDF."""
    store(document, render_pdf(build(*args), font_config=font_config))


_WORKER_FONTS: FontConfiguration | None = None


def _worker_started() -> None:
    """Set up a pool's process: the objects it was forked with are left out of garbage
    collection (scanning them would copy their memory pages too), and collections come less
    often (a layout makes many objects and few cycles: a tenth less CPU time)."""
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def _lay_out_in_worker(document: CachedDocument, build: Callable[..., str], args: tuple) -> None:
    """:func:`lay_out` in a pool's process, which lays out one part at a time: every part it
    lays out shares its fonts."""
    global _WORKER_FONTS
    if _WORKER_FONTS is None:
        _WORKER_FONTS = FontConfiguration()
    lay_out(document, build, args, _WORKER_FONTS)


def render_parts(parts: Sequence[Part], pool: Executor | None = None) -> list[str]:
    """Lay out the parts that the cache lacks, in ``pool`` when given (else one after the
    other, here); the names of the parts laid out."""
    missing: list[Part] = []
    keys = set()
    for part in parts:
        if part.document.ready:
            mark_used(part.document)
        elif part.document.key not in keys:
            keys.add(part.document.key)
            missing.append(part)
    missing.sort(key=lambda part: -part.weight)
    if pool is None or len(missing) < 2:
        fonts = FontConfiguration()
        for part in missing:
            lay_out(part.document, part.build, part.args, fonts)
    else:
        futures = [pool.submit(_lay_out_in_worker, p.document, p.build, p.args) for p in missing]
        for future in futures:
            future.result()
    return [part.name for part in missing]


def process_pool(workers: int | None = None, preload: Sequence[str] = ()) -> ProcessPoolExecutor:
    """Processes to lay out parts in: ``workers`` of them, at most one per CPU.

    They are forked from this process when it runs no other thread (they start at once,
    WeasyPrint already imported); otherwise (a job consumer's worker thread, a threaded
    server) from a fork server that has imported ``preload``, since forking a process with
    threads could copy a lock that another thread holds at that moment."""
    cpus = os.cpu_count() or 1
    count = max(1, min(workers or cpus, cpus))
    if threading.active_count() == 1:
        fork = multiprocessing.get_context("fork")
        return ProcessPoolExecutor(count, mp_context=fork, initializer=_worker_started)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, *preload])
    return ProcessPoolExecutor(count, mp_context=context, initializer=_worker_started)


def start_fork_server(preload: Sequence[str] = ()) -> None:
    """Start the fork server that :func:`process_pool` uses in a process with threads, with
    ``preload`` imported, now rather than when the first pool needs it (a job consumer calls
    this as it starts: the imports then take place while it waits for jobs). It stops when
    this process does."""
    multiprocessing.get_context("forkserver").set_forkserver_preload([__name__, *preload])
    forkserver.ensure_running()


def assemble(
    document: CachedDocument,
    parts: Sequence[Path | PdfReader],
    footer: Path | None = None,
    footer_from: int = 0,
) -> None:
    """Put the parts' PDFs (files, or files already read) together, in order, into
    ``document``.

    Bookmarks and named destinations come from the parts; links between parts are pointed
    at their destinations; ``footer`` (a PDF with as many pages as the book) is laid over
    every page from index ``footer_from`` on; the title, author and language are the first
    part's."""
    writer = PdfWriter()
    readers = [part if isinstance(part, PdfReader) else PdfReader(part) for part in parts]
    for reader in readers:
        writer.append(reader, import_outline=True)
    if footer is not None:
        overlay = PdfReader(footer)
        if len(overlay.pages) != len(writer.pages):
            raise ValueError(
                f"the footer has {len(overlay.pages)} pages, the book {len(writer.pages)}"
            )
        stamps = _Stamps(writer)
        for index in range(footer_from, len(writer.pages)):
            stamps.lay_over(writer.pages[index], overlay.pages[index], index)
    _link_parts(writer)
    first = readers[0]
    if first.metadata:
        writer.add_metadata(dict(first.metadata))
    for key in _CATALOG_KEYS:
        if key in first.root_object:
            writer.root_object[NameObject(key)] = first.root_object[key].clone(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    store(document, buffer.getvalue())


class _Stamps:
    """Lays a page of another PDF over a page of the book, as a form XObject drawn after the
    page's own content (pypdf's merge_page parses and rewrites both pages' content streams,
    uncompressed: slower, and the book came out seven times larger)."""

    def __init__(self, writer: PdfWriter):
        self.writer = writer
        self.save = self._stream(b"q\n")

    def _stream(self, data: bytes):
        stream = DecodedStreamObject()
        stream.set_data(data)
        return self.writer._add_object(stream)

    def lay_over(self, page: PageObject, over: PageObject, index: int) -> None:
        content = over.get("/Contents")
        if content is None:
            return
        content = content.get_object()
        if not isinstance(content, StreamObject):  # an array of streams: the slow way
            page.merge_page(over)
            return
        form = content.clone(self.writer)
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(over.mediabox),
                NameObject("/Resources"): over["/Resources"].clone(self.writer),
            }
        )
        name = NameObject(f"/PartStamp{index}")
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        xobjects = cast(DictionaryObject, resources["/XObject"].get_object())
        xobjects[name] = form.indirect_reference
        contents = page.raw_get("/Contents")  # a stream must stay an indirect object
        resolved = contents.get_object()
        own = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
        draw = self._stream(f"Q q {name} Do Q\n".encode())
        page[NameObject("/Contents")] = ArrayObject([self.save, *own, draw])


def _link_parts(writer: PdfWriter) -> None:
    """Point every link at ``XREF`` + anchor at the named destination ``anchor``, or drop
    the link's target (its text stays) when the book has no such destination."""
    names = set(writer.named_destinations)
    for page in writer.pages:
        annotations = page.get("/Annots")
        if not annotations:
            continue
        kept = ArrayObject()
        changed = False
        for reference in annotations.get_object():
            annotation = reference.get_object()
            action = annotation.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if isinstance(uri, str) and uri.startswith(XREF):
                changed = True
                anchor = unquote(uri[len(XREF) :])
                if anchor not in names:
                    continue
                del annotation["/A"]
                annotation[NameObject("/Dest")] = TextStringObject(anchor)
            kept.append(reference)
        if changed:
            page[NameObject("/Annots")] = kept
