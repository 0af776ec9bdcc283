"""The curriculum's files in ``modules/``: read and check them, write them back.

Layout of a content folder::

    m01-concepts.md       front matter (YAML) + the English chapter
    m01-concepts.lo.md    front matter ``code``/``language: lo`` + the Lao chapter (optional)
    materials/KEY.md      a printable handout: front matter (kind, module, title, model_answer)
                          + the English text; materials/KEY.lo.md the Lao text
    provisions.yaml       instruments and their provisions
    glossary.yaml         terms in English and Lao
    lesson-plans/*.yaml   approved lesson plans and templates, one per file named by its key
    programmes.yaml       programme outlines: the plans of a one-, two- or three-day workshop

Reading checks everything before anything is used and reports every problem
with its file and line. Writing produces the canonical form: reading what was
written and writing it again gives identical files.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DomainError
from ..models.content import LEGAL_REVIEW_STATUSES, MATERIAL_KINDS, TRANSLATION_STATUSES
from ..models.lessons import (
    MAX_ACTIVITIES,
    MAX_ACTIVITY_MINUTES,
    MAX_PLAN_MINUTES,
    MAX_PROGRAMME_DAYS,
)
from ..services.lesson_rules import Step, check_plan
from ..text import check_name
from ..vocabulary import PlanKind
from .checks import (
    case_study_problems,
    handout_problems,
    lao_findings,
    outline_gaps,
    plan_coverage_gaps,
    provisions_needing_review,
    quiz_problems,
    template_gaps,
    term_rules,
)

MODULE_CODE = re.compile(r"^M\d{2}$")
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MODULE_FILE = re.compile(r"^(m\d{2})-([a-z0-9-]+)\.md$")
MATERIAL_FILE = re.compile(r"^([a-z0-9][a-z0-9-]*)(\.lo)?\.md$")
LAO_FILE = re.compile(r"^(m\d{2})-([a-z0-9-]+)\.lo\.md$")
# Texts a module has in each language, and lists of texts.
BILINGUAL_TEXTS = ("title", "summary", "audience")
BILINGUAL_LISTS = ("learning_outcomes", "key_messages")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.message}"


class ContentInvalid(DomainError):
    """The content folder has problems; nothing was imported."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Curriculum:
    """The whole curriculum as plain data, in file order."""

    instruments: list[dict] = field(default_factory=list)
    provisions: list[dict] = field(default_factory=list)
    terms: list[dict] = field(default_factory=list)
    modules: list[dict] = field(default_factory=list)  # {code, slug, version, content}
    lesson_plans: list[dict] = field(default_factory=list)  # as services.lessons.file_data
    materials: list[dict] = field(default_factory=list)  # {key, kind, module, title, body, ...}
    programmes: list[dict] = field(default_factory=list)  # {key, days, title, summary, plans}


# -- YAML with line numbers -----------------------------------------------------------------


class _Doc:
    """A YAML document and its node tree, to say on which line a value sits."""

    def __init__(self, text: str, path: str, first_line: int = 1):
        self.path = path
        self.first_line = first_line
        loader = yaml.SafeLoader(text)
        try:
            self.node = loader.get_single_node()
            self.data = loader.construct_document(self.node) if self.node is not None else None
        finally:
            loader.dispose()

    def line(self, *keys) -> int:
        node = self.node
        line = node.start_mark.line if node is not None else 0
        for key in keys:
            child = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == key:
                        child = v
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if key < len(node.value):
                    child = node.value[key]
            if child is None:
                break
            node = child
            line = node.start_mark.line
        return line + self.first_line


def _parse(text: str, path: str, first_line: int, problems: list[Problem]) -> _Doc | None:
    try:
        return _Doc(text, path, first_line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        problems.append(Problem(path, line, f"not valid YAML: {exc.problem or exc.context}"))
    except yaml.YAMLError as exc:
        problems.append(Problem(path, first_line, f"not valid YAML: {exc}"))
    return None


def _split_front_matter(text: str, path: str, problems: list[Problem]):
    """(front matter text, body) of a Markdown file; the front matter starts on line 2."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(
            Problem(path, 1, "the file must start with a '---' line (YAML front matter)")
        )
        return None, None
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1 :]).strip("\n")
    problems.append(Problem(path, 1, "the front matter has no closing '---' line"))
    return None, None


def _read_markdown(path: Path, rel: str, problems: list[Problem]) -> tuple[_Doc | None, str, int]:
    """The parsed front matter (from line 2), the body, and the line the body starts on."""
    front, body = _split_front_matter(path.read_text(encoding="utf-8"), rel, problems)
    if front is None:
        return None, "", 0
    # '---', the front matter, '---', then the body
    return _parse(front, rel, 2, problems), body, len(front.split("\n")) + 3


# -- checking -------------------------------------------------------------------------------


class _Checker:
    def __init__(self, doc: _Doc, problems: list[Problem]):
        self.doc = doc
        self.problems = problems

    def problem(self, message: str, *keys) -> None:
        self.problems.append(Problem(self.doc.path, self.doc.line(*keys), message))

    def text(self, mapping, key, *where, required=True, name=False, max_length=300) -> str:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        label = ".".join(str(k) for k in (*where, key))
        if value is None or value == "":
            if required:
                self.problem(f"missing field '{label}'", *where)
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(f"'{label}' must be text", *where, key)
            return ""
        value = str(value)
        if name:
            value, message = check_name(value, max_length=max_length)
            if message:
                self.problem(f"'{label}': {message}", *where, key)
        else:
            value = value.strip()
        return value

    def bilingual(self, mapping, key, *where, required=True, name=False) -> dict[str, str]:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if value is None:
            if required:
                self.problem(f"missing field '{'.'.join(map(str, (*where, key)))}'", *where)
            return {"en": "", "lo": ""}
        if not isinstance(value, dict):
            self.problem(f"'{key}' must have 'en' and 'lo' entries", *where, key)
            return {"en": "", "lo": ""}
        self._unknown(value, ("en", "lo"), *where, key)
        return {
            "en": self.text(value, "en", *where, key, required=required, name=name),
            "lo": self.text(value, "lo", *where, key, required=False, name=name),
        }

    def bilingual_list(self, mapping, key, *where, required=True) -> dict[str, list[str]]:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        result: dict[str, list[str]] = {"en": [], "lo": []}
        if value is None:
            if required:
                self.problem(f"missing field '{key}'", *where)
            return result
        if not isinstance(value, dict):
            self.problem(f"'{key}' must have 'en' and 'lo' lists", *where, key)
            return result
        self._unknown(value, ("en", "lo"), *where, key)
        for language in ("en", "lo"):
            items = value.get(language)
            if items is None:
                if language == "en" and required:
                    self.problem(f"missing field '{key}.en'", *where, key)
                continue
            if not isinstance(items, list) or not all(
                isinstance(i, str) and i.strip() for i in items
            ):
                self.problem(f"'{key}.{language}' must be a list of texts", *where, key, language)
                continue
            result[language] = [i.strip() for i in items]
        return result

    def text_list(self, mapping, key, *where) -> list[str]:
        """An optional list of texts (empty when the field is left out)."""
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(i, str) and i.strip() for i in value):
            self.problem(f"'{key}' must be a list of texts", *where, key)
            return []
        return [i.strip() for i in value]

    def choice(self, mapping, key, choices, *where, default=None) -> str:
        value = mapping.get(key, default) if isinstance(mapping, dict) else default
        if value not in choices:
            self.problem(
                f"'{key}' must be one of {', '.join(choices)} (found {value!r})", *where, key
            )
            return default or choices[0]
        return value

    def key(self, item: dict, seen: set[str], kind: str, *where) -> str:
        """An entry's key: present, well formed, not seen before in this file."""
        key = self.text(item, "key", *where)
        if key and not KEY.match(key):
            self.problem(f"'key' {key!r} may use letters, digits, '.', '-' and '_'", *where, "key")
        if key in seen:
            self.problem(f"{kind} {key} appears twice", *where, "key")
        seen.add(key)
        return key

    def _unknown(self, mapping: dict, known, *where) -> None:
        for key in mapping:
            if key not in known:
                self.problem(f"unknown field '{key}'", *where, key)


MODULE_KEYS = (
    "code",
    "version",
    "title",
    "summary",
    "audience",
    "duration_minutes",
    "learning_outcomes",
    "key_messages",
    "provisions",
    "translation",
    "legal_review",
    "quiz",
    "case_studies",
)


def _check_case_studies(check: _Checker, fm: dict) -> list[dict]:
    items = fm.get("case_studies", [])
    if not isinstance(items, list):
        check.problem("'case_studies' must be a list of case studies", "case_studies")
        return []
    cases = []
    for index, item in enumerate(items):
        where = ("case_studies", index)
        if not isinstance(item, dict):
            check.problem("a case study must have a title and a model_answer", *where)
            continue
        check._unknown(item, ("title", "model_answer"), *where)
        cases.append(
            {
                "title": check.bilingual(item, "title", *where, name=True),
                "model_answer": check.bilingual(item, "model_answer", *where),
            }
        )
    return cases


def _check_quiz(check: _Checker, fm: dict) -> list[dict]:
    quiz = fm.get("quiz")
    if not isinstance(quiz, list) or not quiz:
        check.problem("'quiz' must be a list of at least one question", "quiz")
        return []
    questions = []
    for index, item in enumerate(quiz):
        if not isinstance(item, dict):
            check.problem("a quiz entry must have question, choices and answer", "quiz", index)
            continue
        check._unknown(item, ("question", "choices", "answer", "explanation"), "quiz", index)
        question = check.bilingual(item, "question", "quiz", index)
        choices = check.bilingual_list(item, "choices", "quiz", index)
        answer = item.get("answer")
        if not isinstance(answer, int) or isinstance(answer, bool):
            check.problem(
                "'answer' must be the number of the right choice (1, 2, ...)", "quiz", index
            )
            answer = 1
        elif not 1 <= answer <= len(choices["en"]):
            check.problem(
                f"'answer' {answer} is not one of the {len(choices['en'])} choices",
                "quiz",
                index,
                "answer",
            )
        if choices["lo"] and len(choices["lo"]) != len(choices["en"]):
            check.problem("'choices.lo' must have as many choices as 'choices.en'", "quiz", index)
        explanation = check.bilingual(item, "explanation", "quiz", index, required=False)
        questions.append(
            {"question": question, "choices": choices, "answer": answer, "explanation": explanation}
        )
    for number, message in quiz_problems(questions):
        check.problem(message, *(("quiz", number) if number is not None else ("quiz",)))
    return questions


def _read_module(path: Path, root: Path, problems: list[Problem]) -> dict | None:
    rel = str(path.relative_to(root))
    match = MODULE_FILE.match(path.name)
    if not match:
        problems.append(Problem(rel, 1, "a module file is named like 'm01-concepts.md'"))
        return None
    doc, body, body_line = _read_markdown(path, rel, problems)
    if doc is None:
        return None
    fm = doc.data
    check = _Checker(doc, problems)
    if not isinstance(fm, dict):
        check.problem("the front matter must be a mapping of fields")
        return None
    check._unknown(fm, MODULE_KEYS)
    code = check.text(fm, "code")
    if code and not MODULE_CODE.match(code):
        check.problem(f"'code' must look like M01 (found {code!r})", "code")
    elif code and code.lower() != match.group(1):
        check.problem(f"'code' {code} does not match the file name", "code")
    version = fm.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        check.problem("'version' must be a whole number from 1", "version")
        version = 1
    duration = fm.get("duration_minutes")
    if not isinstance(duration, int) or isinstance(duration, bool) or not 15 <= duration <= 2400:
        check.problem(
            "'duration_minutes' must be a number of minutes (15-2400)", "duration_minutes"
        )
        duration = 0
    provisions = fm.get("provisions", [])
    if not isinstance(provisions, list) or not all(isinstance(p, str) for p in provisions):
        check.problem("'provisions' must be a list of provision keys", "provisions")
        provisions = []
    translation = fm.get("translation")
    if not isinstance(translation, dict):
        check.problem("missing field 'translation' (en: and lo: draft or reviewed)")
        translation = {}
    else:
        check._unknown(translation, ("en", "lo"), "translation")
    if not body.strip():
        problems.append(Problem(rel, body_line, "the chapter is empty"))
    content = {
        "title": check.bilingual(fm, "title", name=True),
        "summary": check.bilingual(fm, "summary"),
        "audience": check.bilingual(fm, "audience"),
        "duration_minutes": duration,
        "learning_outcomes": check.bilingual_list(fm, "learning_outcomes"),
        "key_messages": check.bilingual_list(fm, "key_messages"),
        "provisions": provisions,
        "translation": {
            "en": check.choice(
                translation, "en", TRANSLATION_STATUSES, "translation", default="reviewed"
            ),
            "lo": check.choice(
                translation, "lo", TRANSLATION_STATUSES, "translation", default="draft"
            ),
        },
        "legal_review": check.choice(fm, "legal_review", LEGAL_REVIEW_STATUSES, default="needed"),
        "quiz": _check_quiz(check, fm),
        "case_studies": _check_case_studies(check, fm),
        "body": {"en": body, "lo": ""},
    }
    return {
        "code": code,
        "slug": match.group(2),
        "version": version,
        "content": content,
        "_doc": doc,
    }


def _read_lao_chapter(path: Path, root: Path, problems: list[Problem]) -> tuple[str, str] | None:
    rel = str(path.relative_to(root))
    doc, body, _body_line = _read_markdown(path, rel, problems)
    if doc is None:
        return None
    check = _Checker(doc, problems)
    if not isinstance(doc.data, dict):
        check.problem("the front matter must have 'code' and 'language: lo'")
        return None
    check._unknown(doc.data, ("code", "language"))
    code = check.text(doc.data, "code")
    if doc.data.get("language") != "lo":
        check.problem("'language' must be lo", "language")
    if code and code.lower() != path.name[:3]:
        check.problem(f"'code' {code} does not match the file name", "code")
    return code, body


def _read_provisions(path: Path, root: Path, problems: list[Problem], cur: Curriculum) -> None:
    rel = str(path.relative_to(root))
    doc = _parse(path.read_text(encoding="utf-8"), rel, 1, problems)
    if doc is None:
        return
    check = _Checker(doc, problems)
    data = doc.data
    if not isinstance(data, dict):
        check.problem("provisions.yaml must have 'instruments' and 'provisions'")
        return
    check._unknown(data, ("instruments", "provisions"))
    codes: set[str] = set()
    for index, item in enumerate(data.get("instruments") or []):
        where = ("instruments", index)
        if not isinstance(item, dict):
            check.problem("an instrument must be a mapping", *where)
            continue
        check._unknown(item, ("code", "name", "year", "source"), *where)
        code = check.text(item, "code", *where)
        if code in codes:
            check.problem(f"instrument {code} appears twice", *where, "code")
        codes.add(code)
        year = item.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            check.problem("'year' must be a year", *where, "year")
            year = None
        cur.instruments.append(
            {
                "code": code,
                "name": check.bilingual(item, "name", *where, name=True),
                "year": year,
                "source": check.text(item, "source", *where, required=False, max_length=500),
            }
        )
    keys: set[str] = set()
    for index, item in enumerate(data.get("provisions") or []):
        where = ("provisions", index)
        if not isinstance(item, dict):
            check.problem("a provision must be a mapping", *where)
            continue
        check._unknown(
            item,
            (
                "key",
                "instrument",
                "article",
                "title",
                "summary",
                "source",
                "translation",
                "legal_review",
            ),
            *where,
        )
        key = check.key(item, keys, "provision", *where)
        instrument = check.text(item, "instrument", *where)
        if instrument and instrument not in codes:
            check.problem(f"unknown instrument {instrument!r}", *where, "instrument")
        translation = item.get("translation") or {}
        cur.provisions.append(
            {
                "key": key,
                "instrument": instrument,
                "article": check.text(item, "article", *where, name=True),
                "title": check.bilingual(item, "title", *where, name=True),
                "summary": check.bilingual(item, "summary", *where),
                "source": check.text(item, "source", *where, required=False, max_length=500),
                "translation": {
                    "lo": check.choice(
                        translation,
                        "lo",
                        TRANSLATION_STATUSES,
                        *where,
                        "translation",
                        default="draft",
                    )
                },
                "legal_review": check.choice(
                    item, "legal_review", LEGAL_REVIEW_STATUSES, *where, default="needed"
                ),
            }
        )
    if not data.get("provisions"):
        check.problem("'provisions' must list at least one provision")


def _entries(path: Path, root: Path, problems: list[Problem], list_name: str, kind: str):
    """(checker, where, entry) for each mapping in the list ``list_name`` of a YAML file."""
    rel = str(path.relative_to(root))
    doc = _parse(path.read_text(encoding="utf-8"), rel, 1, problems)
    if doc is None:
        return
    check = _Checker(doc, problems)
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get(list_name), list):
        check.problem(f"{path.name} must have a list '{list_name}'")
        return
    check._unknown(doc.data, (list_name,))
    for index, item in enumerate(doc.data[list_name]):
        where = (list_name, index)
        if not isinstance(item, dict):
            check.problem(f"a {kind} must be a mapping", *where)
            continue
        yield check, where, item


def _read_glossary(path: Path, root: Path, problems: list[Problem], cur: Curriculum) -> None:
    keys: set[str] = set()
    for check, where, item in _entries(path, root, problems, "terms", "term"):
        check._unknown(item, ("key", "term", "definition", "translation", "avoid"), *where)
        key = check.key(item, keys, "term", *where)
        cur.terms.append(
            {
                "key": key,
                "term": check.bilingual(item, "term", *where, name=True),
                "definition": check.bilingual(item, "definition", *where),
                "translation": {
                    "lo": check.choice(
                        item.get("translation") or {},
                        "lo",
                        TRANSLATION_STATUSES,
                        *where,
                        "translation",
                        default="draft",
                    )
                },
                "avoid": check.text_list(item, "avoid", *where),
            }
        )


PLAN_KEYS = (
    "key",
    "kind",
    "module",
    "language",
    "title",
    "credit",
    "audience",
    "duration_minutes",
    "objectives",
    "key_messages",
    "materials",
    "handouts",
    "provisions",
    "assessment",
    "trainer_notes",
    "activities",
)
ACTIVITY_KEYS = (
    "minutes",
    "method",
    "title",
    "trainer_does",
    "participants_do",
    "materials",
    "notes",
    "serves",
)
METHOD_CODE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


def _text_list(check: _Checker, mapping: dict, key: str, *where, required=False) -> list[str]:
    items = mapping.get(key)
    if items is None:
        if required:
            check.problem(f"missing field '{key}'", *where)
        return []
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        check.problem(f"'{key}' must be a list of texts", *where, key)
        return []
    return [i.strip() for i in items]


def _positive(check: _Checker, mapping: dict, key: str, *where, maximum: int) -> int:
    value = mapping.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= maximum:
        check.problem(f"'{key}' must be a whole number from 1 to {maximum}", *where, key)
        return 0
    return value


def _read_lesson_plan(path: Path, root: Path, problems: list[Problem]) -> dict | None:
    rel = str(path.relative_to(root))
    doc = _parse(path.read_text(encoding="utf-8"), rel, 1, problems)
    if doc is None:
        return None
    check = _Checker(doc, problems)
    data = doc.data
    if not isinstance(data, dict):
        check.problem("a lesson plan file must be a mapping")
        return None
    check._unknown(data, PLAN_KEYS)
    key = check.text(data, "key")
    if key and key != path.stem:
        check.problem(f"'key' {key!r} must match the file name ({path.stem})", "key")
    kind = check.choice(data, "kind", ("plan", "template"), default="plan")
    module = data.get("module")
    if kind == PlanKind.PLAN and (not isinstance(module, str) or not MODULE_CODE.match(module)):
        check.problem("'module' must be a module code such as M04", "module")
    if kind == PlanKind.TEMPLATE and module is not None:
        check.problem("a template belongs to no module: leave 'module' out", "module")
    plan: dict[str, Any] = {
        "key": key,
        "kind": kind,
        "module": module if kind == PlanKind.PLAN else None,
        "language": check.choice(data, "language", ("en", "lo")),
        "title": check.text(data, "title", name=True),
        "credit": check.text(data, "credit", required=False, name=True),
        "audience": check.text(data, "audience", required=False),
        "duration_minutes": _positive(check, data, "duration_minutes", maximum=MAX_PLAN_MINUTES),
        "objectives": _text_list(check, data, "objectives", required=True),
        "key_messages": _text_list(check, data, "key_messages"),
        "materials": check.text(data, "materials", required=False),
        "handouts": _text_list(check, data, "handouts"),
        "provisions": _text_list(check, data, "provisions"),
        "assessment": check.text(data, "assessment", required=False),
        "trainer_notes": check.text(data, "trainer_notes", required=False),
        "activities": [],
    }
    activities = data.get("activities")
    if not isinstance(activities, list) or not activities:
        check.problem("'activities' must be a list of at least one activity", "activities")
        activities = []
    if len(activities) > MAX_ACTIVITIES:
        check.problem(f"a plan has at most {MAX_ACTIVITIES} activities", "activities")
    objectives = len(plan["objectives"])
    for index, item in enumerate(activities):
        where = ("activities", index)
        if not isinstance(item, dict):
            check.problem("an activity must be a mapping", *where)
            continue
        check._unknown(item, ACTIVITY_KEYS, *where)
        method = check.text(item, "method", *where)
        if method and not METHOD_CODE.match(method):
            check.problem(f"'method' {method!r} is not a method code", *where, "method")
        serves = item.get("serves", [])
        if not isinstance(serves, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= objectives for n in serves
        ):
            check.problem(
                f"'serves' must list objective numbers from 1 to {objectives}", *where, "serves"
            )
            serves = []
        activity = {
            "minutes": _positive(check, item, "minutes", *where, maximum=MAX_ACTIVITY_MINUTES),
            "method": method,
            "title": check.text(item, "title", *where, name=True, max_length=200),
        }
        for name in ("trainer_does", "participants_do", "materials", "notes"):
            activity[name] = check.text(item, name, *where, required=False)
        activity["serves"] = sorted(set(serves))
        plan["activities"].append(activity)
    steps = [Step(a["minutes"], serves=frozenset(a["serves"])) for a in plan["activities"]]
    for problem in check_plan(plan["duration_minutes"], objectives, steps):
        if problem.is_error:
            check.problem(str(problem), "activities")
    return plan


MATERIAL_KEYS = ("kind", "module", "title", "model_answer", "translation")


def _read_materials(root: Path, problems: list[Problem], cur: Curriculum) -> None:
    """``materials/KEY.md`` (English, with the handout's kind and module) and
    ``materials/KEY.lo.md`` (its Lao text)."""
    folder = root / "materials"
    by_key: dict[str, dict[str, Any]] = {}
    lao: list[Path] = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        rel = str(path.relative_to(root))
        match = MATERIAL_FILE.match(path.name)
        if not match:
            problems.append(
                Problem(rel, 1, "a handout file is named like 'case-the-checkpoint.md'")
            )
            continue
        if match.group(2):
            lao.append(path)
            continue
        doc, body, body_line = _read_markdown(path, rel, problems)
        if doc is None:
            continue
        check = _Checker(doc, problems)
        fm = doc.data if isinstance(doc.data, dict) else {}
        if not isinstance(doc.data, dict):
            check.problem("the front matter must be a mapping of fields")
        check._unknown(fm, MATERIAL_KEYS)
        if not body.strip():
            problems.append(Problem(rel, body_line, "the handout is empty"))
        material: dict[str, Any] = {
            "key": match.group(1),
            "kind": check.choice(fm, "kind", MATERIAL_KINDS),
            "module": fm.get("module"),
            "title": {"en": check.text(fm, "title", name=True), "lo": ""},
            "body": {"en": body, "lo": ""},
            "answer": {"en": check.text(fm, "model_answer", required=False), "lo": ""},
            "translation": {
                "lo": check.choice(
                    fm.get("translation") or {}, "lo", TRANSLATION_STATUSES, default="draft"
                )
            },
        }
        if material["module"] is not None and not (
            isinstance(material["module"], str) and MODULE_CODE.match(material["module"])
        ):
            check.problem("'module' must be a module code such as M04", "module")
            material["module"] = None
        by_key[material["key"]] = material
        cur.materials.append(material)
    for path in lao:
        rel = str(path.relative_to(root))
        key = path.name.removesuffix(".lo.md")
        doc, body, body_line = _read_markdown(path, rel, problems)
        if doc is None:
            continue
        check = _Checker(doc, problems)
        fm = doc.data if isinstance(doc.data, dict) else {}
        check._unknown(fm, ("language", "title", "model_answer"))
        if fm.get("language") != "lo":
            check.problem("'language' must be lo", "language")
        english = by_key.get(key)
        if english is None:
            problems.append(Problem(rel, 1, f"no English handout materials/{key}.md"))
            continue
        if not body.strip():
            problems.append(Problem(rel, body_line, "the handout is empty"))
        english["title"]["lo"] = check.text(fm, "title", name=True)
        english["body"]["lo"] = body
        english["answer"]["lo"] = check.text(fm, "model_answer", required=False)


def _read_programmes(
    path: Path, root: Path, problems: list[Problem], cur: Curriculum, plans: dict[str, dict]
) -> None:
    """Programme outlines; each names plans that exist, in the language it lists them under."""
    keys: set[str] = set()
    for check, where, item in _entries(path, root, problems, "programmes", "programme"):
        check._unknown(item, ("key", "days", "title", "summary", "plans"), *where)
        key = check.key(item, keys, "programme", *where)
        days = _positive(check, item, "days", *where, maximum=MAX_PROGRAMME_DAYS)
        listed = item.get("plans")
        by_language: dict[str, list[str]] = {"en": [], "lo": []}
        if not isinstance(listed, dict) or not listed.get("en"):
            check.problem("'plans' must list plan keys under 'en' (and 'lo')", *where)
            listed = {}
        else:
            check._unknown(listed, ("en", "lo"), *where, "plans")
        known = len(problems)
        for language in ("en", "lo"):
            names = _text_list(check, listed, language, *where, "plans")
            for number, name in enumerate(names):
                plan = plans.get(name)
                if plan is None or plan["kind"] != "plan":
                    check.problem(
                        f"unknown lesson plan {name!r}", *where, "plans", language, number
                    )
                elif plan["language"] != language:
                    check.problem(
                        f"the plan {name!r} is in {plan['language']!r}, not {language!r}",
                        *where,
                        "plans",
                        language,
                        number,
                    )
            by_language[language] = names
        if len(problems) == known:  # the plans are right: do the languages match?
            for message in outline_gaps(by_language):
                check.problem(message, *where, "plans", "lo")
        cur.programmes.append(
            {
                "key": key,
                "days": days,
                "title": check.bilingual(item, "title", *where, name=True),
                "summary": check.bilingual(item, "summary", *where, required=False),
                "plans": by_language,
            }
        )


def read_curriculum(root: Path) -> Curriculum:
    """Read and check a content folder; raise :class:`ContentInvalid` listing every problem."""
    root = Path(root)
    problems: list[Problem] = []
    cur = Curriculum()
    if not root.is_dir():
        raise ContentInvalid([Problem(str(root), 0, "no such folder")])
    for name, reader in (("provisions.yaml", _read_provisions), ("glossary.yaml", _read_glossary)):
        path = root / name
        if path.exists():
            reader(path, root, problems, cur)
        else:
            problems.append(Problem(name, 0, "file missing"))
    provision_keys = {p["key"] for p in cur.provisions}
    review_of = {p["key"]: p["legal_review"] for p in cur.provisions}
    seen: dict[str, str] = {}
    for path in sorted(root.glob("m*.md")):
        if path.name.endswith(".lo.md"):
            continue
        module = _read_module(path, root, problems)
        if module is None:
            continue
        doc = module.pop("_doc")
        code = module["code"]
        if code in seen:
            problems.append(
                Problem(
                    doc.path, doc.line("code"), f"module {code} is also defined in {seen[code]}"
                )
            )
        elif code:
            seen[code] = doc.path
        for index, key in enumerate(module["content"]["provisions"]):
            if key not in provision_keys:
                problems.append(
                    Problem(
                        doc.path,
                        doc.line("provisions", index),
                        f"unknown provision {key!r} (not in provisions.yaml)",
                    )
                )
        unsure = provisions_needing_review(
            module["content"]["legal_review"],
            (k for k in module["content"]["provisions"] if k in provision_keys),
            review_of,
        )
        if unsure:
            problems.append(
                Problem(
                    doc.path,
                    doc.line("legal_review"),
                    "the module is marked 'legal_review: checked' but cites provisions that"
                    f" need legal review ({', '.join(unsure)}): mark it 'needed' until they"
                    " are checked",
                )
            )
        cur.modules.append(module)
    by_code = {m["code"]: m for m in cur.modules}
    for path in sorted(root.glob("m*.lo.md")):
        result = _read_lao_chapter(path, root, problems)
        if result is None:
            continue
        code, body = result
        if code in by_code:
            by_code[code]["content"]["body"]["lo"] = body
        elif code:
            problems.append(
                Problem(str(path.relative_to(root)), 2, f"no module {code} for this chapter")
            )
    for code, module in by_code.items():
        for message in case_study_problems(
            module["content"]["body"], module["content"]["case_studies"]
        ):
            problems.append(Problem(seen.get(code, ""), 1, message))
    if not cur.modules and not problems:
        problems.append(Problem(str(root), 0, "no module files (m01-....md)"))
    _read_materials(root, problems, cur)
    materials = {m["key"]: m for m in cur.materials}
    for material in cur.materials:
        if material["module"] and material["module"] not in by_code:
            problems.append(
                Problem(
                    f"materials/{material['key']}.md", 1, f"unknown module {material['module']}"
                )
            )
    for path in sorted((root / "lesson-plans").glob("*.yaml")):
        plan = _read_lesson_plan(path, root, problems)
        if plan is None:
            continue
        rel = str(path.relative_to(root))
        if plan["module"] and plan["module"] not in by_code:
            problems.append(Problem(rel, 1, f"unknown module {plan['module']}"))
        for key in plan["provisions"]:
            if key not in provision_keys:
                problems.append(Problem(rel, 1, f"unknown provision {key!r}"))
        for message in handout_problems(plan["handouts"], plan["language"], materials):
            problems.append(Problem(rel, 1, message))
        cur.lesson_plans.append(plan)
    if not problems:  # coverage is only worth reporting on content that reads cleanly
        for module in cur.modules:
            for gap in plan_coverage_gaps([module], cur.lesson_plans):
                problems.append(
                    Problem(seen.get(module["code"], ""), 1, f"{gap} (lesson plans missing)")
                )
        for gap in template_gaps(cur.lesson_plans):
            problems.append(Problem("lesson-plans", 0, gap))
    if (root / "programmes.yaml").exists():
        _read_programmes(
            root / "programmes.yaml",
            root,
            problems,
            cur,
            {p["key"]: p for p in cur.lesson_plans},
        )
    problems.extend(_terminology(root, cur.terms))
    if problems:
        raise ContentInvalid(problems)
    return cur


LAO_LETTER = re.compile("[\u0e80-\u0eff]")


def _terminology(root: Path, terms: list[dict]) -> list[Problem]:
    """Every Lao text in the folder, checked against the glossary's terms and the script's
    spelling rules (:func:`lao_findings`), each problem on the line where it starts.

    A file is read as written, its lines joined by single spaces so that a term that YAML
    or Markdown wrapped over two lines is still seen whole. The glossary's own lists of
    wrong variants are the one place those may appear.
    """
    rules = term_rules(terms)
    listed = {wrong for t in terms for wrong in t.get("avoid") or ()}
    files = [
        *sorted(root.glob("m*.md")),  # the chapters (README.md documents the rules)
        *sorted(root.glob("*.yaml")),
        *sorted((root / "lesson-plans").glob("*.yaml")),
        *sorted((root / "materials").glob("*.md")),
    ]
    problems = []
    for path in files:
        rel = str(path.relative_to(root))
        lines = path.read_text(encoding="utf-8").split("\n")
        starts, parts, offset = [], [], 0
        for number, line in enumerate(lines, start=1):
            if unicodedata.normalize("NFC", line) != line:
                problems.append(Problem(rel, number, "the text is not in Unicode NFC form"))
            part = line.strip()
            if rel == "glossary.yaml" and part.lstrip("- ").strip("'\"") in listed:
                part = ""
            starts.append(offset)
            parts.append(part)
            offset += len(part) + 1
        joined = " ".join(parts)
        if not LAO_LETTER.search(joined):
            continue
        found: set[tuple[int, str]] = set()
        for finding in lao_findings(joined, rules):
            if finding.concept:
                message = (
                    f"'{finding.found}' for {finding.concept!r}:"
                    f" the glossary's Lao term is '{finding.right}'"
                )
            else:
                message = f"'{finding.found}': {finding.rule}"
            for match in re.finditer(re.escape(finding.found), joined):
                found.add((bisect.bisect_right(starts, match.start()), message))
        problems.extend(Problem(rel, number, message) for number, message in sorted(found))
    return problems


# -- writing --------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    style = (
        "|"
        if "\n" in value and not any(line != line.rstrip() for line in value.split("\n"))
        else None
    )
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _bi(value: dict) -> dict:
    return {lang: value[lang] for lang in ("en", "lo") if value.get(lang)}


def module_front_matter(module: dict) -> dict:
    c = module["content"]
    fm = {"code": module["code"], "version": module["version"]}
    for key in ("title", "summary", "audience"):
        fm[key] = _bi(c[key])
    fm["duration_minutes"] = c["duration_minutes"]
    for key in BILINGUAL_LISTS:
        fm[key] = _bi(c[key])
    fm["provisions"] = list(c["provisions"])
    fm["translation"] = dict(c["translation"])
    fm["legal_review"] = c["legal_review"]
    fm["quiz"] = []
    for q in c["quiz"]:
        entry = {
            "question": _bi(q["question"]),
            "choices": _bi(q["choices"]),
            "answer": q["answer"],
        }
        if any(q["explanation"].values()):
            entry["explanation"] = _bi(q["explanation"])
        fm["quiz"].append(entry)
    if c.get("case_studies"):
        fm["case_studies"] = [
            {"title": _bi(case["title"]), "model_answer": _bi(case["model_answer"])}
            for case in c["case_studies"]
        ]
    return fm


def write_curriculum(cur: Curriculum, root: Path) -> list[Path]:
    """Write the curriculum in canonical form; return the files written."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    written = []

    def write(name: str, text: str) -> None:
        path = root / name
        path.write_text(text, encoding="utf-8")
        written.append(path)

    write(
        "provisions.yaml",
        _dump(
            {
                "instruments": [
                    {
                        k: v
                        for k, v in (
                            ("code", i["code"]),
                            ("name", _bi(i["name"])),
                            ("year", i["year"]),
                            ("source", i["source"]),
                        )
                        if v not in (None, "")
                    }
                    for i in cur.instruments
                ],
                "provisions": [
                    {
                        "key": p["key"],
                        "instrument": p["instrument"],
                        "article": p["article"],
                        "title": _bi(p["title"]),
                        "summary": _bi(p["summary"]),
                        **({"source": p["source"]} if p["source"] else {}),
                        "translation": dict(p["translation"]),
                        "legal_review": p["legal_review"],
                    }
                    for p in cur.provisions
                ],
            }
        ),
    )
    write(
        "glossary.yaml",
        _dump(
            {
                "terms": [
                    {
                        "key": t["key"],
                        "term": _bi(t["term"]),
                        "definition": _bi(t["definition"]),
                        "translation": dict(t["translation"]),
                        **({"avoid": list(t["avoid"])} if t.get("avoid") else {}),
                    }
                    for t in cur.terms
                ]
            }
        ),
    )
    for module in cur.modules:
        stem = f"{module['code'].lower()}-{module['slug']}"
        body = module["content"]["body"]
        write(f"{stem}.md", f"---\n{_dump(module_front_matter(module))}---\n\n{body['en']}\n")
        if body.get("lo"):
            write(
                f"{stem}.lo.md",
                f"---\n{_dump({'code': module['code'], 'language': 'lo'})}---\n\n{body['lo']}\n",
            )
    if cur.lesson_plans:
        (root / "lesson-plans").mkdir(exist_ok=True)
    for plan in cur.lesson_plans:
        write(f"lesson-plans/{plan['key']}.yaml", _dump(plan_file(plan)))
    if cur.programmes:
        write(
            "programmes.yaml",
            _dump(
                {
                    "programmes": [
                        {
                            "key": p["key"],
                            "days": p["days"],
                            "title": _bi(p["title"]),
                            **({"summary": _bi(p["summary"])} if p["summary"]["en"] else {}),
                            "plans": {k: list(v) for k, v in p["plans"].items() if v},
                        }
                        for p in cur.programmes
                    ]
                }
            ),
        )
    if cur.materials:
        (root / "materials").mkdir(exist_ok=True)
    for m in cur.materials:
        fm: dict[str, Any] = {"kind": m["kind"]}
        if m["module"]:
            fm["module"] = m["module"]
        fm["title"] = m["title"]["en"]
        if m["answer"]["en"]:
            fm["model_answer"] = m["answer"]["en"]
        fm["translation"] = dict(m["translation"])
        write(f"materials/{m['key']}.md", f"---\n{_dump(fm)}---\n\n{m['body']['en']}\n")
        if m["body"]["lo"]:
            lo: dict[str, Any] = {"language": "lo", "title": m["title"]["lo"]}
            if m["answer"]["lo"]:
                lo["model_answer"] = m["answer"]["lo"]
            write(f"materials/{m['key']}.lo.md", f"---\n{_dump(lo)}---\n\n{m['body']['lo']}\n")
    return written


def plan_file(plan: dict) -> dict:
    """A lesson plan in canonical file form: empty optional fields left out."""
    out = {k: plan[k] for k in PLAN_KEYS if k != "activities" and plan.get(k) not in (None, "")}
    for name in ("objectives", "key_messages", "provisions"):
        out[name] = list(plan[name])
    if plan.get("handouts"):
        out["handouts"] = list(plan["handouts"])
    else:
        out.pop("handouts", None)
    out["activities"] = [
        {k: a[k] for k in ACTIVITY_KEYS if a.get(k) not in (None, "")} | {"serves": a["serves"]}
        for a in plan["activities"]
    ]
    return out
