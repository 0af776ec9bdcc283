"""Markdown to safe HTML, with heading anchors and a table of contents.

Raw HTML in Markdown is not interpreted (it shows as text), markdown-it refuses
``javascript:`` and similar links, and nh3 then removes anything outside a
short list of tags, attributes and URL schemes: the same HTML goes to the web
page and to the PDF.
"""

from __future__ import annotations

import html as html_module
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ins", "li", "ol", "p", "pre", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str, anchor_prefix: str = "s", shift_headings: int = 0) -> Rendered:
    """Safe HTML for ``text``; headings get ids ``{anchor_prefix}-1``, ``-2``, ...

    ``shift_headings`` moves every heading down (a chapter's ``#`` becomes h2
    when the page already has the chapter title as h1).
    """
    md = _parser()
    env: dict = {}
    tokens = md.parse(text or "", env)
    headings: list[Heading] = []
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + shift_headings, 6)
            token.tag = f"h{level}"
            if token.type == "heading_open":
                anchor = f"{anchor_prefix}-{len(headings) + 1}"
                token.attrSet("id", anchor)
                inline = tokens[index + 1]
                headings.append(Heading(level, anchor, inline.content))
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(sanitise(html), tuple(headings))


def plain_text(text: str) -> str:
    """The words of a Markdown text without markup (for search and snippets)."""
    rendered = render_markdown(text).html
    return html_module.unescape(nh3.clean(rendered.replace("</", " </"), tags=set()))
