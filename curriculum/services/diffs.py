"""Differences between two versions of a text (a module, a lesson plan) and a text in the
language asked for: what the library and the lesson plans both show, kept apart from either
so that neither service imports the other."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass


class ContentKind:
    """What a library item is (module, provision or glossary term), said by predicates that
    templates use instead of comparing ``kind`` with a string."""

    kind: str

    @property
    def is_module(self) -> bool:
        return self.kind == "module"

    @property
    def is_provision(self) -> bool:
        return self.kind == "provision"

    @property
    def is_term(self) -> bool:
        return self.kind == "term"


@dataclass(frozen=True)
class LocalText:
    """A module text in the language asked for, or its English text when there is none."""

    value: str | list
    language: str  # the language of ``value``
    fallback: bool  # True when English stands in for missing Lao


def local(content: dict, key: str, language: str) -> LocalText:
    entry = content[key]
    if language == "lo" and entry.get("lo"):
        return LocalText(entry["lo"], "lo", False)
    return LocalText(entry.get("en", ""), "en", language == "lo")


# -- differences between versions -------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side comparison: ``kind`` is equal, replace, delete or insert."""

    kind: str
    old: str
    new: str

    @property
    def is_replace(self) -> bool:
        return self.kind == "replace"

    @property
    def is_delete(self) -> bool:
        return self.kind == "delete"

    @property
    def is_insert(self) -> bool:
        return self.kind == "insert"


@dataclass(frozen=True)
class FieldDiff:
    field: str
    language: str
    rows: tuple[DiffRow, ...]


DIFF_FIELDS = (
    ("title", "text"),
    ("summary", "text"),
    ("audience", "text"),
    ("learning_outcomes", "list"),
    ("key_messages", "list"),
    ("body", "text"),
)


def _as_lines(value) -> list[str]:
    if isinstance(value, list):
        return list(value)
    return str(value or "").split("\n")


def compare_contents(old: dict, new: dict) -> list[FieldDiff]:
    """The fields that differ between two versions, line by line, side by side."""
    result = []
    for name, _kind in DIFF_FIELDS:
        for language in ("en", "lo"):
            a = _as_lines(old[name].get(language, ""))
            b = _as_lines(new[name].get(language, ""))
            if a == b:
                continue
            result.append(FieldDiff(name, language, line_diff(a, b)))
    for name in ("duration_minutes", "legal_review", "provisions", "translation"):
        if old.get(name) != new.get(name):
            result.append(
                FieldDiff(
                    name, "", (DiffRow("replace", _show(old.get(name)), _show(new.get(name))),)
                )
            )
    return result


def line_diff(a: list[str], b: list[str]) -> tuple[DiffRow, ...]:
    """Two texts' lines side by side: equal, replaced, deleted and inserted rows, trimmed
    to the changes and two lines around them."""
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffRow("equal", x, x) for x in a[i1:i2])
        elif tag == "replace":
            olds, news = a[i1:i2], b[j1:j2]
            for k in range(max(len(olds), len(news))):
                o = olds[k] if k < len(olds) else ""
                n = news[k] if k < len(news) else ""
                kind = "replace" if o and n else ("delete" if o else "insert")
                rows.append(DiffRow(kind, o, n))
        elif tag == "delete":
            rows.extend(DiffRow("delete", x, "") for x in a[i1:i2])
        else:
            rows.extend(DiffRow("insert", "", x) for x in b[j1:j2])
    return tuple(_trim(rows))


def _show(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _trim(rows: list[DiffRow], context: int = 2) -> list[DiffRow]:
    """Keep changed rows and ``context`` equal rows around them; mark skipped stretches."""
    keep: set[int] = set()
    for i, row in enumerate(rows):
        if row.kind != "equal":
            keep.update(range(max(0, i - context), min(len(rows), i + context + 1)))
    out = []
    skipped = False
    for i, row in enumerate(rows):
        if i in keep:
            out.append(row)
            skipped = False
        elif not skipped:
            out.append(DiffRow("skip", "…", "…"))
            skipped = True
    return out


def inline_changes(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both sides of a changed line as (text, changed) pieces, word by word."""
    a = re.findall(r"\s+|[^\s]+", old)
    b = re.findall(r"\s+|[^\s]+", new)
    left, right = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            left.append(("".join(a[i1:i2]), False))
            right.append(("".join(b[j1:j2]), False))
        else:
            if i2 > i1:
                left.append(("".join(a[i1:i2]), True))
            if j2 > j1:
                right.append(("".join(b[j1:j2]), True))
    return left, right
