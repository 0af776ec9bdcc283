"""HTML to PDF with WeasyPrint, a URL fetcher that serves only the package's assets, and a cache.

A document's cache key is a hash of everything it is made from (its data and
the templates, CSS and code that lay it out), so an unchanged document is
served from ``instance/documents/`` without rendering, and any change to the
content or to the templates makes a new file.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .. import localise, vocabulary
from ..lao import insert_breaks

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
ASSETS = HERE / "static"
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_STYLE = re.compile(r"(<style.*?</style>)", re.S)


RESOURCE_SCHEME = "resource"


def resource_url(name: str) -> str:
    """The address of an in-memory resource handed to :func:`render_pdf` (a stored logo)."""
    return f"{RESOURCE_SCHEME}:{name}"


class AssetFetcher(URLFetcher):
    """Serves files under ``static/`` of this package and the document's own in-memory
    resources (``resource:NAME``); refuses every other URL."""

    def __init__(self, resources: dict[str, tuple[bytes, str]] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.resources = resources or {}

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == RESOURCE_SCHEME and parsed.path in self.resources:
            data, media_type = self.resources[parsed.path]
            return URLFetcherResponse(url, data, {"Content-Type": media_type})
        if parsed.scheme != "file":
            raise ValueError(f"refused: {url}")
        path = Path(unquote(parsed.path)).resolve()
        if not path.is_relative_to(ASSETS.resolve()) or not path.is_file():
            raise ValueError(f"refused: {url}")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})


# an <a> tag's href that is not http(s), mailto or an anchor in the document
_OTHER_LINKS = re.compile(r"""(<a\b[^>]*?)\s+href=(["'])(?!https?:|mailto:|#)[^"']*\2""", re.I)


def render_pdf(
    html: str,
    *,
    base_url: str | None = None,
    resources: dict[str, tuple[bytes, str]] | None = None,
    font_config: FontConfiguration | None = None,
) -> bytes:
    """The PDF of ``html``; relative links resolve in the package's static folder, and
    ``resources`` (name: (bytes, media type)) are served at :func:`resource_url` names.
    Only web, mail and in-document links reach the PDF: any other link (a relative one
    would become a ``file://`` address on the server) keeps its text and loses its target.
    Documents laid out one after the other in one thread may share a ``font_config`` (the
    fonts found and measured for one serve the next)."""
    return HTML(
        string=_OTHER_LINKS.sub(r"\1", html),
        base_url=base_url or ASSETS.as_uri() + "/",
        url_fetcher=AssetFetcher(resources),
    ).write_pdf(font_config=font_config)


def add_line_breaks(html: str) -> str:
    """Insert U+200B between Lao words in the text of ``html`` (not in tags or styles)."""
    pieces = []
    for part in _STYLE.split(html):
        if part.startswith("<style"):
            pieces.append(part)
            continue
        pieces.extend(
            piece if piece.startswith("<") else insert_breaks(piece)
            for piece in _TAG_OR_TEXT.split(part)
        )
    return "".join(pieces)


@lru_cache(maxsize=1)
def template_version() -> str:
    """A hash of every file that shapes a document's look: templates, CSS, this code."""
    digest = hashlib.sha256()
    files = sorted(TEMPLATES.rglob("*")) + sorted(ASSETS.rglob("*")) + sorted(HERE.glob("*.py"))
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def content_key(kind: str, language: str, data) -> str:
    payload = json.dumps([template_version(), kind, language, data], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Settings:
    """Where documents are cached and where the message catalogs are."""

    cache_dir: Path
    translations_dir: Path | None = None

    def translations(self, language: str):
        if self.translations_dir is None or language == "en":
            return NullTranslations()
        return _load_translations(str(self.translations_dir), language)

    def catalog_version(self, language: str) -> str:
        """A hash of the compiled message catalog documents in ``language`` are printed with
        ("" for English), for the cache keys of documents whose words it gives."""
        if self.translations_dir is None or language == "en":
            return ""
        path = Path(self.translations_dir) / language / "LC_MESSAGES" / "messages.mo"
        try:
            return _file_hash(str(path), path.stat().st_mtime_ns)
        except FileNotFoundError:
            return ""


@lru_cache(maxsize=8)
def _file_hash(path: str, _mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


@lru_cache(maxsize=8)
def _load_translations(directory: str, language: str):
    return Translations.load(directory, [language])


@lru_cache(maxsize=8)
def _environment(translations) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]  # the jinja2.ext.i18n extension adds this at runtime
    # the same filters as the pages', in the document's language
    for name in localise.DATE_FILTERS:
        env.filters[name] = _in_language(getattr(localise, name))
    env.filters["dates"] = pass_context(
        lambda context, start, end: localise.date_range(start, end, context["language"])
    )
    env.filters["local"] = pass_context(
        lambda context, obj, field="name": localise.local_name(obj, context["language"], field)
    )
    env.globals.update(vocabulary.TEMPLATE_GLOBALS)
    return env


def _in_language(format_value):
    return pass_context(lambda context, value: format_value(value, context["language"]))


def render_template(settings: Settings, language: str, name: str, **context) -> str:
    env = _environment(settings.translations(language))
    return env.get_template(name).render(language=language, **context)


@dataclass(frozen=True)
class CachedDocument:
    key: str
    path: Path
    filename: str

    @property
    def ready(self) -> bool:
        return self.path.exists()

    @property
    def progress_path(self) -> Path:
        return self.path.with_suffix(".progress")

    @property
    def error_path(self) -> Path:
        return self.path.with_suffix(".error")


def cached(settings: Settings, key: str, filename: str) -> CachedDocument:
    """Where the document of ``key`` is cached: a PDF, or a ZIP when ``filename`` is one."""
    suffix = ".zip" if filename.endswith(".zip") else ".pdf"
    return CachedDocument(key, Path(settings.cache_dir) / f"{key}{suffix}", filename)


def store(document: CachedDocument, pdf: bytes) -> Path:
    """Write the PDF atomically (another worker may be reading the cache)."""
    document.path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=document.path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(pdf)
    os.replace(tmp, document.path)
    for leftover in (document.progress_path, document.error_path):
        leftover.unlink(missing_ok=True)
    return document.path


def mark_used(document: CachedDocument) -> None:
    """Note that ``document`` was sent, so that pruning keeps what is still asked for."""
    try:
        os.utime(document.path)
    except OSError:
        pass


# What a render leaves besides the PDF: markers and unfinished files, stale after a day.
_LEFTOVERS = (".progress", ".error", ".tmp")
_LEFTOVER_AGE = 24 * 3600


def prune_cache(cache_dir: Path, max_age_days: int, now: float | None = None) -> tuple[int, int]:
    """Delete cached documents (PDFs, kits) not used for ``max_age_days`` and leftovers
    older than a day; the number of files deleted and their bytes. A deleted document is
    made again when asked."""
    now = time.time() if now is None else now
    deleted = freed = 0
    try:
        entries = list(Path(cache_dir).iterdir())
    except FileNotFoundError:
        return 0, 0
    for path in entries:
        if path.suffix in (".pdf", ".zip"):
            limit = max_age_days * 86400
        elif path.suffix in _LEFTOVERS:
            limit = _LEFTOVER_AGE
        else:
            continue
        try:
            stat = path.stat()
            if now - stat.st_mtime > limit:
                path.unlink()
                deleted, freed = deleted + 1, freed + stat.st_size
        except FileNotFoundError:  # another process pruned or replaced it
            continue
    return deleted, freed


def mark_started(document: CachedDocument) -> None:
    """Note that a background job is rendering ``document`` (its progress page reads this)."""
    document.progress_path.parent.mkdir(parents=True, exist_ok=True)
    document.progress_path.write_text(str(time.time()))


def started_at(document: CachedDocument) -> float | None:
    try:
        return float(document.progress_path.read_text())
    except (OSError, ValueError):
        return None
